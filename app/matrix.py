"""The license matrix: models x uses, each cell the reasoner's verdict, with filters and a sort order.

>>> from lineage.core.graph import load_graph
>>> from app.viz import MINI
>>> g = load_graph(MINI)
>>> rows = matrix_rows(g, MatrixFilter(kinds=frozenset({"model"})))
>>> [(r["id"], r["commercial-use"]) for r in rows]
[('base-model', 'no'), ('child-model', 'no')]
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

import networkx as nx

from lineage.answers.reasoner import RANK, USE_LABELS, verdict_table

#: Columns that are not uses, in order; the uses follow.
INFO_COLUMNS: tuple[str, ...] = ("name", "organization", "kind", "family", "released", "licenses")


@dataclass(frozen=True)
class MatrixFilter:
    """An empty set means "no filter"; ``sort`` is a column (``name``, ``released``, a use...)."""

    organizations: frozenset[str] = frozenset()
    kinds: frozenset[str] = frozenset({"model"})
    families: frozenset[str] = frozenset()
    licenses: frozenset[str] = frozenset()
    sort: str = "name"
    descending: bool = False


def family_of(graph: nx.MultiDiGraph, node: str) -> str | None:
    """The family a node belongs to (its ``family`` field, else a ``member_of`` edge), or None."""
    a = graph.nodes[node]
    if a.get("family"):
        return a["family"]
    return next((v for _, v, k in graph.out_edges(node, keys=True) if k == "member_of"), None)


def _keeps(graph: nx.MultiDiGraph, node: str, f: MatrixFilter) -> bool:
    a = graph.nodes[node]
    return (a["kind"] != "license" and (not f.kinds or a["kind"] in f.kinds)
            and (not f.organizations or (a.get("organization") or "") in f.organizations)
            and (not f.families or family_of(graph, node) in f.families or node in f.families)
            and (not f.licenses or bool(f.licenses & set(a.get("licenses", [])))))


def _sort_key(column: str):
    def key(row: dict[str, Any]) -> tuple:
        value = row.get(column)
        if column in USE_LABELS:
            return (RANK.get(value, 9), row["name"].casefold())
        return (value is None or value == "", str(value or "").casefold(), row["name"].casefold())
    return key


def matrix_rows(graph: nx.MultiDiGraph, f: MatrixFilter = MatrixFilter(),
                table: dict[str, dict[str, str]] | None = None) -> list[dict[str, Any]]:
    """One row per kept node: its id, the :data:`INFO_COLUMNS` and the verdict of every use.

    ``table`` (node -> use -> verdict) saves recomputing the verdicts; by default they come from the reasoner.
    A use column sorts from the most permissive (``yes``) to the most restrictive (``no``).
    """
    rows = []
    for n in graph.nodes:
        if not _keeps(graph, n, f):
            continue
        a = graph.nodes[n]
        fam = family_of(graph, n)
        verdicts = (table or {}).get(n) or {u: ans.verdict for u, ans in verdict_table(graph, n).items()}
        rows.append({"id": n, "name": a["name"], "organization": a.get("organization_name") or "",
                     "kind": a["kind"].replace("_", " "), "family": graph.nodes[fam]["name"] if fam in graph else "",
                     "released": a.get("released") or "",
                     "licenses": ", ".join(graph.nodes[x]["name"] for x in a.get("licenses", [])), **verdicts})
    column = f.sort if f.sort in (*INFO_COLUMNS, *USE_LABELS) else "name"
    return sorted(rows, key=_sort_key(column), reverse=f.descending)


def to_csv(rows: list[dict[str, Any]]) -> str:
    """The rows as CSV (a header line, then one line per row).

    >>> to_csv([{"id": "a", "name": "A"}]).splitlines()
    ['id,name', 'a,A']
    """
    if not rows:
        return ""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
