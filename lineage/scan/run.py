"""The scan, end to end: walk -> facts (cached in SQLite) -> placement in the graph -> verdicts per use.

:func:`scan_paths` is the library entry point; ``lineage scan`` and the "My models" page are thin layers over
it. Pickles are listed as refused and never opened; unreadable, changing or malformed files are listed with
the reason; nothing raises for a bad file.

>>> import pathlib, tempfile
>>> from lineage.core.graph import load_graph
>>> from lineage.scan.store import ScanStore
>>> d = pathlib.Path(tempfile.mkdtemp()); _ = (d / "old.ckpt").write_bytes(b"\\x80\\x04")
>>> with ScanStore(d / "cache.sqlite") as store:
...     result = scan_paths([d], load_graph(), store)
>>> [(f.name, f.status) for f in result.files]
[('old.ckpt', 'refused')]
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import networkx as nx

from lineage.core.problems import LineageError
from lineage.core.schema import USES
from lineage.scan.facts import FileChanged, read_facts
from lineage.scan.place import Placement, place
from lineage.scan.sidecars import snapshot_readme
from lineage.scan.store import ScanStore, abspath
from lineage.scan.verdicts import Judge
from lineage.scan.walk import Entry, Skipped, stat_signature, walk

PICKLE_REASON = ("a Python pickle format (.ckpt/.pt/.pth/.bin): loading one can run arbitrary code, so it is "
                 "never opened; get the .safetensors release")


@dataclass
class FileResult:
    """One file's row in the report: what it is, where it sits, and the verdict per use (with reasons)."""

    path: str
    name: str
    kind: str  # "checkpoint" | "diffusion model" | "lora" | "vae" | "text encoder" | ... | "pickle" | "unknown"
    role: str | None  # the role its folder gives it (ComfyUI/A1111/InvokeAI layouts)
    layout: str
    size: int
    status: str  # "ok" | "refused" | "error"
    reason: str | None = None
    format: str | None = None
    identified: str | None = None  # what the header says it is (architecture family)
    sha256: str | None = None
    sha256_source: str | None = None
    placement: dict[str, Any] = field(default_factory=dict)
    family: str | None = None  # the base family (for the summary)
    verdicts: dict[str, dict[str, Any]] = field(default_factory=dict)
    declared: dict[str, Any] = field(default_factory=dict)
    training: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    cached: bool = False

    def verdict(self, use: str) -> str:
        return self.verdicts[use]["verdict"] if use in self.verdicts else "unknown"

    def to_dict(self) -> dict[str, Any]:
        """A shallow dict (verdicts are shared between files with the same answer; never mutate them)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass
class ScanResult:
    roots: list[str]
    files: list[FileResult]
    skipped: list[Skipped]
    stats: dict[str, Any]

    def summary(self) -> dict[str, Any]:
        """Counts of files per verdict for each use, per kind and per base family."""
        judged = [f for f in self.files if f.status == "ok"]
        return {
            "files": len(self.files), "judged": len(judged),
            "refused": sum(f.status == "refused" for f in self.files),
            "errors": sum(f.status == "error" for f in self.files), "skipped": len(self.skipped),
            "by_kind": dict(Counter(f.kind for f in self.files).most_common()),
            "by_family": dict(Counter(f.family or "unknown" for f in judged).most_common()),
            "verdicts": {use: dict(Counter(f.verdict(use) for f in judged)) for use in USES},
        }

    def to_dict(self) -> dict[str, Any]:
        return {"roots": self.roots, "stats": self.stats, "summary": self.summary(),
                "files": [f.to_dict() for f in self.files], "skipped": [asdict(s) for s in self.skipped]}


def family_of(graph: nx.MultiDiGraph, node: str | None) -> str | None:
    """The name of a node's family (or the node's own name when it has none)."""
    if not node or node not in graph:
        return None
    fam = graph.nodes[node].get("family")
    return graph.nodes[fam]["name"] if fam and fam in graph else graph.nodes[node]["name"]


def judge_facts(graph: nx.MultiDiGraph, judge: Judge, result: FileResult, facts: dict[str, Any],
                hf_repo: str | None = None, base_hint: str | None = None) -> None:
    """Fill ``result`` from ``facts``: placement, verdicts, and the fields the report shows."""
    placement: Placement = place(graph, facts, result.name, hf_repo, base_hint)
    result.kind = facts.get("kind") or "unknown"
    result.format = facts.get("format")
    arch = facts.get("architecture") or {}
    result.identified = arch.get("family")
    result.sha256, result.sha256_source = facts.get("sha256"), facts.get("sha256_source")
    result.placement = placement.to_dict()
    result.family = family_of(graph, placement.node or placement.base)
    result.verdicts = judge.judge(placement, facts)
    result.declared = facts.get("declared") or {}
    result.training = facts.get("training") or {}
    result.warnings = list(facts.get("warnings") or []) + list(result.declared.get("warnings") or [])


def scan_paths(paths: list[Path], graph: nx.MultiDiGraph, store: ScanStore, rehash: bool = False,
               compute_hash: bool = False, progress: Callable[[int, int], None] | None = None) -> ScanResult:
    """Scan ``paths`` (folders or files): every weights file judged, every pickle refused, every problem listed.

    ``rehash`` ignores the cache and reads every file again; ``compute_hash`` computes each file's sha256
    (slow for big files; it names the exact release). ``progress(done, total)`` is called after each file.
    """
    start = time.perf_counter()
    entries: list[Entry] = []
    skipped: list[Skipped] = []
    for item in walk(list(paths)):
        (entries if isinstance(item, Entry) else skipped).append(item)
    judge = Judge(graph)
    files: list[FileResult] = []
    reads_before = store.reads
    judge_seconds = 0.0
    for i, entry in enumerate(entries):
        result = FileResult(abspath(entry.path), entry.name, entry.role or "unknown", entry.role, entry.layout,
                            entry.size, "ok")
        if entry.kind == "pickle":
            result.kind, result.status, result.reason = "pickle", "refused", PICKLE_REASON
        else:
            facts = _facts(entry, store, rehash, compute_hash, result)
            if facts is not None:
                t0 = time.perf_counter()
                judge_facts(graph, judge, result, facts, entry.hf_repo, entry.base_hint)
                judge_seconds += time.perf_counter() - t0
        files.append(result)
        if progress:
            progress(i + 1, len(entries))
    store.con.commit()
    elapsed = time.perf_counter() - start
    stats = {"seconds": round(elapsed, 3), "files": len(files), "opened": store.reads - reads_before,
             "from_cache": sum(f.cached for f in files), "reasoner_calls": judge.reasoner_calls,
             "distinct_answers": len(judge.cache), "verdict_seconds_per_file":
             round(judge_seconds / max(1, sum(f.status == "ok" for f in files)), 6), "cache": str(store.path)}
    return ScanResult([abspath(p) for p in paths], files, skipped, stats)


def _facts(entry: Entry, store: ScanStore, rehash: bool, compute_hash: bool,
           result: FileResult) -> dict[str, Any] | None:
    sig = entry.sidecars
    readme = snapshot_readme(Path(entry.path), entry.hf_repo) if entry.hf_repo else None
    if readme is not None:
        sig += "|" + stat_signature([readme])
    sig += "|hash" if compute_hash else ""
    key = result.path
    if not rehash:
        cached = store.get(key, entry.size, entry.mtime_ns, sig)
        if cached is not None and (cached[0] is None or cached[0].get("sha256") or not compute_hash):
            facts, error = cached
            result.cached = True
            if error:
                result.status, result.reason = "error", error
            return facts
    store.reads += 1
    try:
        facts = read_facts(Path(entry.path), entry.size, entry.mtime_ns, entry.hf_repo, entry.blob, compute_hash)
    except FileChanged as err:
        result.status, result.reason = "error", str(err)
        store.forget(key)
        return None
    except LineageError as err:
        result.status, result.reason = "error", str(err)
        store.put(key, entry.size, entry.mtime_ns, sig, None, str(err))
        return None
    except OSError as err:
        result.status, result.reason = "error", f"{entry.name}: cannot be read ({err.strerror or err})"
        return None
    store.put(key, entry.size, entry.mtime_ns, sig, facts, None)
    return facts
