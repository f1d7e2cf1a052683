"""Two to four models side by side: who made them, when, their parts and licenses, lineage and verdicts.

>>> from lineage.core.graph import load_graph
>>> from app.viz import MINI
>>> rows = compare_rows(load_graph(MINI), ["base-model", "child-model"])
>>> next(r for r in rows if r["fact"] == "Based on")["child-model"]
'Base Model (fine-tuned from)'
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from app.viz import EDGE_WORDS
from lineage.answers.reasoner import USE_LABELS, verdict_table
from lineage.core.queries import components
from lineage.core.schema import DERIVATION_EDGES

_DERIVATION = frozenset(e.value for e in DERIVATION_EDGES)
MAX_MODELS = 4


def compare_rows(graph: nx.MultiDiGraph, nodes: list[str],
                 table: dict[str, dict[str, str]] | None = None) -> list[dict[str, Any]]:
    """One row per fact (``fact``, ``kind`` = info|part|use, ``use`` for use rows, then one value per node id).

    ``table`` (node -> use -> verdict) saves recomputing verdicts. Rows for parts list every role any of the
    models has; a model without that part shows "none recorded".
    """
    nodes = nodes[:MAX_MODELS]
    attrs = {n: graph.nodes[n] for n in nodes}
    rows: list[dict[str, Any]] = []

    def add(fact: str, kind: str, values: dict[str, str], use: str = "") -> None:
        rows.append({"fact": fact, "kind": kind, "use": use, **{n: values.get(n, "") for n in nodes}})

    add("Made by", "info", {n: a.get("organization_name") or "unknown" for n, a in attrs.items()})
    add("What it is", "info", {n: a["kind"].replace("_", " ") for n, a in attrs.items()})
    add("Released", "info", {n: a.get("released") or ("date disputed" if a.get("released_disputed") else "unknown")
                             for n, a in attrs.items()})
    add("Licenses", "info", {n: ", ".join(graph.nodes[x]["name"] for x in a.get("licenses", [])) or "none recorded"
                             for n, a in attrs.items()})
    add("Based on", "info", {n: "; ".join(f"{graph.nodes[v]['name']} ({EDGE_WORDS.get(k, k)})"
                                          for _, v, k in sorted(graph.out_edges(n, keys=True)) if k in _DERIVATION)
                             or "nothing recorded" for n in nodes})
    parts: dict[str, dict[str, list[str]]] = {}
    for n in nodes:
        for row in components(graph, n):
            lic = ", ".join(x["name"] for x in row.licenses) or "no license recorded"
            who = row.organization or "unknown maker"
            parts.setdefault(row.role, {}).setdefault(n, []).append(f"{row.name} — {who} — {lic}")
    for role, values in parts.items():
        add(f"Part: {role}", "part", {n: "; ".join(values.get(n, [])) or "none recorded" for n in nodes})
    for n in nodes:
        if table is None or n not in table:
            table = {**(table or {}), n: {u: a.verdict for u, a in verdict_table(graph, n).items()}}
    for use, label in USE_LABELS.items():
        add(f"May I {label}?", "use", {n: table[n][use] for n in nodes}, use)
    return rows
