"""A family's answer: its members, each with its own verdict for every use (a family has no single verdict).

This is the one place the explorer asks about families; when the reasoner grows its own family answer, swap
the body of :func:`family_members` for a call to it.

>>> from lineage.core.graph import load_graph
>>> rows = family_members(load_graph(), "flux1")
>>> [r.node for r in rows][:3], rows[2].verdicts["commercial-use"]
(['flux1-dev', 'flux1-pro', 'flux1-schnell'], 'yes')
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from lineage.answers.reasoner import USE_LABELS, can_i
from lineage.core.queries import members


@dataclass(frozen=True)
class Member:
    """One release of a family: its id, name, release date (or None) and verdict per use."""

    node: str
    name: str
    released: str | None
    verdicts: dict[str, str]



def family_members(graph: nx.MultiDiGraph, family: str) -> list[Member]:
    """Every member of ``family`` with the reasoner's verdict for each use (oldest release first)."""
    return [Member(n, graph.nodes[n]["name"], graph.nodes[n].get("released"),
                   {use: can_i(graph, n, use).verdict for use in USE_LABELS})
            for n in members(graph, family)]
