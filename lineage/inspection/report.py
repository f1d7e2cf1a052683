"""The result of an inspection, and the graph questions it asks: lineage steps and verdicts.

``InspectionReport.to_dict()`` is what ``lineage inspect --json`` prints and what the Inspect page shows.
Verdicts have one shape for weights and images: per use, the combined ``verdict`` (the most restrictive,
as in :mod:`lineage.answers.reasoner`) and, per model that went in, the reasoner's full ``answer``.

>>> r = InspectionReport(kind="weights", path="/x/a.safetensors", file_name="a.safetensors", format="safetensors",
...                      size=10)
>>> r.to_dict()["kind"], r.to_dict()["components"]
('weights', [])
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import networkx as nx

from lineage.answers.reasoner import DISCLAIMER, RANK, USE_LABELS, can_i
from lineage.core.queries import ancestors
from lineage.core.schema import USES

IMAGE_USES: tuple[str, ...] = ("sell-outputs", "train-on-outputs")


@dataclass
class Component:
    """One thing identified in a file (a part of a checkpoint, a LoRA's base) or named by an image."""

    family: str
    component: str
    node_id: str | None
    node_name: str | None
    verified: bool
    identified_by: str
    where: str = "whole file"
    tensors: int | None = None
    file: str | None = None
    hash: str | None = None
    strength: float | None = None
    active: bool = True
    evidence: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class InspectionReport:
    kind: str  # "weights" | "lora" | "image"
    path: str
    file_name: str
    format: str  # "safetensors" | "gguf" | "png"
    size: int
    sha256: str | None = None
    sha256_source: str | None = None  # "cache" | "computed"
    file_match: dict[str, Any] | None = None
    components: list[Component] = field(default_factory=list)
    lora: dict[str, Any] | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    training: dict[str, Any] = field(default_factory=dict)
    image: dict[str, Any] | None = None
    subject: str | None = None
    roots: list[str] = field(default_factory=list)
    lineage: list[dict[str, Any]] = field(default_factory=list)
    verdicts: dict[str, dict[str, Any]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    disclaimer: str = DISCLAIMER

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def node_name(graph: nx.MultiDiGraph, node_id: str | None) -> str | None:
    return graph.nodes[node_id]["name"] if node_id and node_id in graph else None


def lineage_steps(graph: nx.MultiDiGraph, roots: list[str]) -> list[dict[str, Any]]:
    """The ancestors of every root (deduplicated), as :class:`lineage.core.queries.Step` dicts."""
    seen: set[tuple[str, str, str]] = set()
    out: list[dict[str, Any]] = []
    for root in roots:
        for step in ancestors(graph, root):
            key = (step.child, step.type, step.parent)
            if key not in seen:
                seen.add(key)
                out.append(step.to_dict())
    return out


def verdicts(graph: nx.MultiDiGraph, nodes: list[str], uses: tuple[str, ...] = USES,
             unknown: list[str] | None = None) -> dict[str, dict[str, Any]]:
    """Per use: the most restrictive verdict over ``nodes``; ``unknown`` names files nothing is known about.

    A file that could not be placed in the graph could carry any license, so it turns a ``yes`` or
    ``conditional`` into ``unknown``.
    """
    out: dict[str, dict[str, Any]] = {}
    for use in uses:
        models = []
        for node_id in dict.fromkeys(nodes):
            answer = can_i(graph, node_id, use)
            models.append({"node": node_id, "name": answer.model_name, "verdict": answer.verdict,
                           "answer": answer.to_dict()})
        notes: list[str] = list(dict.fromkeys(n for m in models for n in m["answer"]["notes"]))
        verdict = max((m["verdict"] for m in models), key=RANK.__getitem__, default="unknown")
        if not models:
            notes.append("Nothing in the file could be placed in the graph, so nothing can be said.")
        if unknown and RANK[verdict] < RANK["unknown"]:
            verdict = "unknown"
            notes.append(f"Not in the data, so their licenses are unknown: {', '.join(unknown)}.")
        out[use] = {"use": use, "use_label": USE_LABELS[use], "verdict": verdict, "models": models, "notes": notes}
    return out
