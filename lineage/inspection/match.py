"""Map a file name and/or hash found in metadata to a graph node.

Order: a full sha256 listed in the data (verified); a 10+ digit prefix of one (A1111's "AutoV2" short hash;
unverified, a prefix can collide); the file name against the nodes' ``files`` and ``file_patterns``
(:func:`lineage.files.match_weight_file`); finally the name as an exact node id, name or alias.

>>> hex_prefix("31E35C80FC"), hex_prefix("not-a-hash")
('31e35c80fc', None)
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any

import networkx as nx

from lineage.core.problems import LineageError
from lineage.core.resolve import resolve
from lineage.files import known_hashes, match_weight_file

_HEX = re.compile(r"^[0-9a-f]{10,64}$")
MODEL_KINDS = {"model", "family", "text_encoder", "denoiser", "vae", "adapter"}


@dataclass(frozen=True)
class NodeMatch:
    node_id: str
    matched_by: str  # "sha256" | "sha256 prefix" | "name" | "node name"
    verified: bool

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def hex_prefix(text: str | None) -> str | None:
    """``text`` lower-cased if it is 10 to 64 hex digits, else ``None``."""
    value = (text or "").strip().lower()
    return value if _HEX.match(value) else None


def base_name(name: str) -> str:
    """The file name without ComfyUI sub-folders (either slash).

    >>> base_name("SDXL\\\\loras/style.safetensors")
    'style.safetensors'
    """
    return PurePosixPath(PureWindowsPath(name).name).name


def match_named(graph: nx.MultiDiGraph, name: str | None, file_hash: str | None) -> NodeMatch | None:
    """The node a file named ``name`` with hash ``file_hash`` (full or prefix, may be ``None``) is."""
    digest = hex_prefix(file_hash)
    if digest:
        hashes = known_hashes(graph)
        if digest in hashes:
            return NodeMatch(hashes[digest], "sha256", True)
        hits = {node for full, node in hashes.items() if full.startswith(digest)}
        if len(hits) == 1:
            return NodeMatch(hits.pop(), "sha256 prefix", False)
    if not name:
        return None
    base = base_name(name)
    for candidate in (base, f"{base}.safetensors"):
        found = match_weight_file(graph, candidate, None)
        if found is not None and found.node_id in graph:
            return NodeMatch(found.node_id, "name", False)
    stem = base.rsplit(".", 1)[0] if base.lower().endswith((".safetensors", ".sft", ".gguf", ".ckpt")) else base
    try:
        return NodeMatch(resolve(graph, stem, MODEL_KINDS), "node name", False)
    except LineageError:
        return None
