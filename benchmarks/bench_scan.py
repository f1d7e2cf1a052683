"""Benchmark ``lineage scan``: a cold scan of a synthetic 10,000-file models folder, a re-scan of the unchanged
folder (from the SQLite cache), peak memory, and the cost of a verdict per file.

Targets (issue 13): cold scan <= 60 s, re-scan <= 5 s on the project machine. Each scan runs in its own
process through the real CLI (``lineage scan --json``), so the times include starting Python and loading the
graph, and the peak RSS is that process's. Run: ``.venv/bin/python benchmarks/bench_scan.py [--files 10000]``.
Prints numbers; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lineage.scan.synth import make_models_folder  # noqa: E402


def run_scan(folder: Path, cache: Path, *extra: str) -> tuple[float, dict, int]:
    """Wall time, the JSON report's stats, and the child's peak RSS in KiB."""
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "lineage.cli", "scan", str(folder), "--cache", str(cache), "--json",
                           *extra], capture_output=True, text=True, env=env, check=True)
    elapsed = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    report = json.loads(proc.stdout)
    return elapsed, report["stats"] | {"summary": report["summary"]}, max(rss, before)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder, cache = Path(tmp) / "models", Path(tmp) / "cache" / "scan.sqlite"
        start = time.perf_counter()
        counts = make_models_folder(folder, args.files, seed=0)
        print(f"generated {args.files:,} files {counts} in {time.perf_counter() - start:.1f} s")
        cold, stats, rss = run_scan(folder, cache)
        print(f"cold scan:  {cold:6.2f} s wall (target <= 60), {stats['seconds']:.2f} s in the scan, "
              f"{stats['opened']:,} files opened, peak RSS {rss / 1024:.0f} MiB")
        print(f"            {stats['reasoner_calls']} reasoner calls for {stats['distinct_answers']} distinct "
              f"(release, base, terms) answers; verdict cost {stats['verdict_seconds_per_file'] * 1e6:.0f} µs/file")
        warm, stats2, rss2 = run_scan(folder, cache)
        print(f"re-scan:    {warm:6.2f} s wall (target <= 5), {stats2['seconds']:.2f} s in the scan, "
              f"{stats2['opened']:,} files opened, {stats2['from_cache']:,} from the cache, peak RSS "
              f"{rss2 / 1024:.0f} MiB")
        sell = stats2["summary"]["verdicts"]["sell-outputs"]
        print(f"sell-outputs verdicts: {sell}; cache file {cache.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
