"""Match a weights file (by sha256, else by file name) to the graph node it is.

A sha256 listed in the data names the exact release (``verified``); a file name that matches a node's
``files`` or ``file_patterns`` is only a guess (not verified), because anyone can rename a file.

>>> from lineage.core.graph import load_graph
>>> g = load_graph()
>>> m = match_weight_file(g, "anima-preview2.safetensors",
...                       "a21ff6807e31cbd2e6e7f24de07921b3190cd832819389f6b6b27e3a04e82f57")
>>> m.node_id, m.matched_by, m.verified
('anima-preview-2', 'sha256', True)
>>> match_weight_file(g, "anima-preview2.safetensors", None).matched_by
'name'
"""

from __future__ import annotations

import fnmatch
from dataclasses import asdict, dataclass
from pathlib import PurePath
from typing import Any, Literal

import networkx as nx


@dataclass(frozen=True)
class FileMatch:
    node_id: str
    matched_by: Literal["sha256", "name"]
    verified: bool
    file_name: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _file_index(graph: nx.MultiDiGraph) -> tuple[dict[str, str], dict[str, str], list[tuple[str, str]]]:
    cached = graph.graph.get("_file_index")
    if cached is None:
        by_hash: dict[str, str] = {}
        by_name: dict[str, str] = {}
        patterns: list[tuple[str, str]] = []
        for node_id, attrs in graph.nodes(data=True):
            record = attrs.get("record")
            if attrs["kind"] == "license" or record is None:
                continue
            for f in record.files:
                if f.sha256:
                    by_hash[f.sha256] = node_id
                by_name.setdefault(f.name.lower(), node_id)
            patterns += [(p.lower(), node_id) for p in record.file_patterns]
        cached = graph.graph["_file_index"] = (by_hash, by_name, patterns)
    return cached


def known_hashes(graph: nx.MultiDiGraph) -> dict[str, str]:
    """Every sha256 listed in the data, mapped to the node whose file it is (built once per graph)."""
    return _file_index(graph)[0]


def match_weight_file(graph: nx.MultiDiGraph, file_name: str, sha256: str | None) -> FileMatch | None:
    """The node a weights file is: by known sha256 first, then by file name or pattern; ``None`` if neither."""
    by_hash, by_name, patterns = _file_index(graph)
    if sha256 and sha256.lower() in by_hash:
        return FileMatch(by_hash[sha256.lower()], "sha256", True, None)
    base = PurePath(file_name).name.lower()
    if base in by_name:
        return FileMatch(by_name[base], "name", False, base)
    for pattern, node_id in patterns:
        if fnmatch.fnmatchcase(base, pattern):
            return FileMatch(node_id, "name", False, base)
    return None
