"""Benchmark the graph core: cold load + validate, resolve and trace latency, on the shipped data and on a
generated graph of 100k nodes (written as YAML and loaded through the same code path).

Run: ``.venv/bin/python benchmarks/bench_graph.py [--nodes 100000]``. Prints numbers and ratios; asserts nothing.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lineage.answers.reasoner import can_i  # noqa: E402
from lineage.core.graph import build_graph  # noqa: E402
from lineage.core.load import load  # noqa: E402
from lineage.core.queries import ancestors  # noqa: E402
from lineage.core.resolve import resolve  # noqa: E402
from lineage.core.validate import validate  # noqa: E402


def timed(fn: Callable[[], object], repeat: int = 1) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def cold_process_seconds(data: Path | None) -> float:
    """Wall time of a fresh ``lineage validate`` process (imports included)."""
    cmd = [sys.executable, "-m", "lineage.cli"] + (["--data", str(data)] if data else []) + ["validate"]
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - start


def generate(n: int, path: Path) -> None:
    """A synthetic dataset: n nodes in chains and trees of fine-tunes, each with a VAE, a license and a source."""
    rng = random.Random(0)
    claim = [{"source": "gen", "locator": "generated"}]
    doc: dict[str, list] = {
        "sources": [{"id": "gen", "ref": "https://example.org/gen", "title": "generated"}],
        "organizations": [{"id": f"org-{i}", "name": f"Org {i}", "sources": claim} for i in range(50)],
        "licenses": [{"id": "lic-open", "name": "Open", "sources": claim,
                      "terms": {"commercial-use": {"verdict": "yes", "clauses": [{"quote": "any purpose"}]}}},
                     {"id": "lic-nc", "name": "NC", "sources": claim,
                      "flow_down": {"applies": True, "edge_types": ["finetuned_from"]},
                      "terms": {"commercial-use": {"verdict": "no", "clauses": [{"quote": "non-commercial"}]}}}],
        "nodes": [],
        "edges": [],
    }
    for i in range(n):
        year = 2020 + i * 6 // n
        doc["nodes"].append({
            "id": f"m{i}", "name": f"Model {i}", "kind": "vae" if i % 10 == 0 else "model",
            "organization": f"org-{i % 50}", "released": [{"value": f"{year}-01-01", **claim[0]}],
            "licenses": [{"id": "lic-nc" if i % 7 == 0 else "lic-open", "sources": claim}], "sources": claim,
        })
        if i % 10 and i > 10:
            parent = rng.randrange(max(1, i - 1000), i)
            if parent % 10 == 0:
                parent -= 1  # a model, not a VAE (parent >= 10 here, since 1..9 are not multiples of 10)
            doc["edges"].append({"source": f"m{i}", "type": "finetuned_from", "target": f"m{parent}", "sources": claim})
            doc["edges"].append({"source": f"m{i}", "type": "uses_vae", "target": f"m{i // 10 * 10}", "sources": claim})
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    path.write_text(yaml.dump(doc, Dumper=dumper, sort_keys=False), encoding="utf-8")


def report(label: str, data: Path | None, names: list[str]) -> None:
    t_load, result = timed(lambda: load(data))
    t_validate, problems = timed(lambda: validate(result))  # type: ignore[arg-type]
    assert not result.problems and not problems, (result.problems + problems)[:3]  # type: ignore[operator]
    t_build, graph = timed(lambda: build_graph(result.dataset))  # type: ignore[attr-defined]
    t_cold = cold_process_seconds(data)
    t_index, _ = timed(lambda: resolve(graph, names[0]))
    t_resolve, _ = timed(lambda: [resolve(graph, n) for n in names], repeat=5)
    ids = [resolve(graph, n) for n in names]
    t_trace, steps = timed(lambda: [ancestors(graph, i) for i in ids], repeat=5)
    t_can, _ = timed(lambda: [can_i(graph, i, "commercial-use") for i in ids], repeat=3)
    print(f"\n== {label}: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges")
    print(f"cold `lineage validate` process     {t_cold * 1000:9.1f} ms")
    print(f"load (parse + schema)                {t_load * 1000:9.1f} ms")
    print(f"validate (cross-record rules)        {t_validate * 1000:9.1f} ms")
    print(f"build graph                          {t_build * 1000:9.1f} ms")
    print(f"first resolve (builds name index)    {t_index * 1000:9.1f} ms")
    print(f"resolve, per name                    {t_resolve / len(names) * 1e6:9.1f} us")
    print(f"trace (ancestors), per model         {t_trace / len(ids) * 1e6:9.1f} us  "
          f"({sum(len(s) for s in steps) / len(ids):.1f} edges on average)")  # type: ignore[arg-type]
    print(f"can-i, per model                     {t_can / len(ids) * 1e6:9.1f} us")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--nodes", type=int, default=100_000)
    args = parser.parse_args()
    report("shipped data", None, ["Anima Preview 2", "FLUX.1 [dev]", "flux1-schnell", "SDXL 1.0", "Wan2.1 VAE"])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.yaml"
        t_gen, _ = timed(lambda: generate(args.nodes, path))
        print(f"\n(generated {args.nodes} nodes in {t_gen:.1f} s, {path.stat().st_size / 1e6:.1f} MB of YAML)")
        rng = random.Random(1)
        report(f"generated graph ({args.nodes} nodes)", path,
               [f"Model {rng.randrange(args.nodes)}" for _ in range(200)])


if __name__ == "__main__":
    main()
