"""Benchmark ``lineage scan``: a cold scan of a synthetic 10,000-file models folder, a re-scan of the unchanged
folder (from the SQLite cache), peak memory, and the cost of a verdict per file.

Targets (issue 13): cold scan <= 60 s, re-scan <= 5 s. Each scan runs the real command (``lineage scan FOLDER
--cache FILE``, the terminal table) in its own process, so the times include starting Python and loading the
graph; wall time and CPU time (user + system) are both printed because a shared machine stretches wall time.
Then the verdict cost per file and the reasoner calls are measured in-process.

Run: ``.venv/bin/python benchmarks/bench_scan.py [--files 10000]``. Prints numbers; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lineage.core.graph import load_graph  # noqa: E402
from lineage.scan import ScanStore, scan_paths  # noqa: E402
from lineage.scan.synth import make_models_folder  # noqa: E402


def run_scan(folder: Path, cache: Path) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds (user + system) and the summary line of one ``lineage scan`` run."""
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "lineage.cli", "scan", str(folder), "--cache", str(cache)],
                          capture_output=True, text=True, env=env, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    summary = next(line for line in proc.stdout.splitlines() if re.match(r"^\d+ files: ", line))
    return wall, cpu, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder, cache = Path(tmp) / "models", Path(tmp) / "cache" / "scan.sqlite"
        start = time.perf_counter()
        counts = make_models_folder(folder, args.files, seed=0)
        print(f"generated {args.files:,} files {counts} in {time.perf_counter() - start:.1f} s")
        for label, target in (("cold scan", 60), ("re-scan", 5)):
            wall, cpu, summary = run_scan(folder, cache)
            print(f"{label:<9}: {wall:6.2f} s wall, {cpu:6.2f} s CPU (target <= {target} s)\n           {summary}")
        print(f"peak RSS of the scan processes: {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.0f} MiB"
              f"; cache file {cache.stat().st_size / 1e6:.1f} MB")
        with ScanStore(cache) as store:
            stats = scan_paths([folder], load_graph(), store).stats
        print(f"verdicts: {stats['reasoner_calls']} reasoner calls for {stats['distinct_answers']} distinct (release, "
              f"base, declared terms) answers over {stats['files']:,} files; placement + verdict "
              f"{stats['verdict_seconds_per_file'] * 1e6:.0f} µs per file")
        print(f"machine load while running: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
