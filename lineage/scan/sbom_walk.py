"""What every bill of materials (CycloneDX in :mod:`lineage.scan.bom`, SPDX in :mod:`lineage.scan.spdx`) reads.

One walk for both formats: a node's license records, its parts, its derivation ancestors, and a workflow part
as a scanned-file dict.

>>> from lineage.core.graph import load_graph
>>> g = load_graph()
>>> part_nodes(g, "anima-preview")[0], derivation_ancestors(g, "anima-preview")[0]
('qwen3-0.6b-base', 'cosmos-predict2-2b-t2i')
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from lineage.core.queries import ancestors
from lineage.core.schema import COMPONENT_EDGES, DERIVATION_EDGES, License

DERIVED = frozenset(e.value for e in DERIVATION_EDGES)
PARTS = frozenset(e.value for e in COMPONENT_EDGES)


def license_records(graph: nx.MultiDiGraph, node: str) -> list[License]:
    """The licenses ``node`` is under (``licensed_under`` edges), in data order.

    >>> from lineage.core.graph import load_graph
    >>> [lic.spdx for lic in license_records(load_graph(), "sdxl-1.0")]
    [None]
    """
    return [graph.nodes[lic]["record"] for _, lic, key in graph.out_edges(node, keys=True) if key == "licensed_under"]


def part_nodes(graph: nx.MultiDiGraph, node: str) -> list[str]:
    """The parts ``node`` uses (text encoder, denoiser, VAE, ...), in data order.

    >>> from lineage.core.graph import load_graph
    >>> len(part_nodes(load_graph(), "anima-preview")) >= 2
    True
    """
    return [part for _, part, key in graph.out_edges(node, keys=True) if key in PARTS]


def derivation_ancestors(graph: nx.MultiDiGraph, node: str) -> list[str]:
    """Every model ``node`` derives from (fine-tuned, distilled, resumed ... from), nearest first, no repeats.

    >>> from lineage.core.graph import load_graph
    >>> derivation_ancestors(load_graph(), "sdxl-1.0")
    ['sdxl-0.9']
    """
    seen: list[str] = []
    for step in ancestors(graph, node, DERIVED):
        if step.parent not in seen and graph.nodes[step.parent]["kind"] != "license":
            seen.append(step.parent)
    return seen


def derivation_edges(graph: nx.MultiDiGraph, node: str) -> list[tuple[str, str, str]]:
    """The ``(child, edge type, parent)`` derivation steps above ``node`` (one per step, no repeats).

    >>> from lineage.core.graph import load_graph
    >>> derivation_edges(load_graph(), "sdxl-1.0")
    [('sdxl-1.0', 'successor_of', 'sdxl-0.9')]
    """
    out: list[tuple[str, str, str]] = []
    for step in ancestors(graph, node, DERIVED):
        triple = (step.child, step.type, step.parent)
        if triple not in out and graph.nodes[step.parent]["kind"] != "license":
            out.append(triple)
    return out


def workflow_file(part: dict[str, Any]) -> dict[str, Any]:
    """A workflow part (:class:`lineage.scan.workflow` dict) in the shape of a scanned file.

    >>> workflow_file({"name": "a", "file": "a.safetensors", "role": "lora", "verdicts": {}})["path"]
    'a.safetensors'
    """
    return {"name": part["name"], "path": part.get("path") or part["file"], "kind": part["role"],
            "placement": part.get("placement") or {}, "verdicts": part["verdicts"], "declared": {}}
