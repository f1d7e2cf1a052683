"""Related releases for which a use is allowed: same family, same architecture, or same role.

>>> from lineage.core.graph import load_graph
>>> [a["id"] for a in alternatives(load_graph(), "flux1-dev", "commercial-use")][:1]
['flux1-schnell']
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from lineage.answers.core import attachments, evaluate

#: Kinds whose releases can stand in for each other as a part ("same role").
PART_KINDS: frozenset[str] = frozenset({"text_encoder", "vae", "adapter", "tokenizer", "guardrail"})


def _candidates(graph: nx.MultiDiGraph, model_id: str) -> list[tuple[str, str]]:
    here = graph.nodes[model_id]
    family, arch = here.get("family"), getattr(here.get("record"), "architecture", None)
    out: list[tuple[str, str]] = []
    for node, attrs in sorted(graph.nodes(data=True), key=lambda item: item[1].get("name", "")):
        if node == model_id or attrs["kind"] in {"license", "family"}:
            continue
        if family and attrs.get("family") == family:
            out.append((node, "same family"))
        elif arch and getattr(attrs.get("record"), "architecture", None) == arch:
            out.append((node, "same architecture"))
        elif here["kind"] in PART_KINDS and attrs["kind"] == here["kind"]:
            out.append((node, "same role"))
    order = {"same family": 0, "same architecture": 1, "same role": 2}
    return sorted(out, key=lambda c: order[c[1]])


def alternatives(graph: nx.MultiDiGraph, model_id: str, use: str, limit: int = 3) -> list[dict[str, Any]]:
    """Up to ``limit`` related releases for which ``use`` is ``yes``, each with its own licenses.

    Each item: ``{"id", "name", "relation", "licenses", "text"}``, e.g. text
    ``"FLUX.1 [schnell] (same family) is under Apache License 2.0"``.
    """
    found: list[dict[str, Any]] = []
    for node, relation in _candidates(graph, model_id):
        if len(found) >= limit:
            break
        if evaluate(graph, node, use).verdict != "yes":
            continue
        licenses = list(dict.fromkeys(graph.nodes[a.license]["name"] for a in attachments(graph, node)
                                      if a.how == "own"))
        name = graph.nodes[node]["name"]
        found.append({"id": node, "name": name, "relation": relation, "licenses": licenses,
                      "text": f"{name} ({relation}) is under {' + '.join(licenses) or 'no recorded license'}"})
    return found
