"""Exports: node-link JSON, GraphML, and Mermaid gantt roadmaps in the style of the source article.

>>> from lineage.core.graph import load_graph
>>> text = to_mermaid(load_graph(), "vaes", end="2026-05-01")
>>> text.splitlines()[0], "section" in text
('gantt', True)
"""

from __future__ import annotations

import io
import json
from datetime import date
from typing import Any, Literal

import networkx as nx

from lineage.core.queries import timeline
from lineage.core.schema import PartialDate
from lineage.printable import printable

FORMATS = ("json", "graphml", "mermaid")


def _public_node(attrs: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in attrs.items() if k != "record"}


def to_json(graph: nx.MultiDiGraph) -> str:
    """Node-link JSON (``{"nodes": [...], "edges": [...]}``) with every edge's sources.

    >>> from lineage.core.graph import load_graph
    >>> data = json.loads(to_json(load_graph()))
    >>> sorted(data)[:3], any(e["type"] == "uses_vae" for e in data["edges"])
    (['directed', 'edges', 'graph'], True)
    """
    plain = nx.MultiDiGraph()
    for node_id, attrs in graph.nodes(data=True):
        plain.add_node(node_id, **_public_node(attrs))
    for u, v, k, attrs in graph.edges(keys=True, data=True):
        plain.add_edge(u, v, key=k, **attrs)
    data = nx.node_link_data(plain, edges="edges")
    data["graph"] = {"sources": {k: s.model_dump(mode="json") for k, s in graph.graph["sources"].items()}}
    return json.dumps(data, indent=1, sort_keys=True, default=str)


def _scalar(value: Any) -> str | int | float | bool:
    """A GraphML attribute value: text made printable (XML 1.0 cannot hold control characters or surrogates)."""
    if isinstance(value, (bool, int, float)):
        return value
    if value is None:
        return ""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, (list, tuple)):
        return printable(";".join(str(v) for v in value))
    return printable(json.dumps(value, default=str, sort_keys=True))


def to_graphml(graph: nx.MultiDiGraph) -> str:
    """GraphML with scalar attributes (lists joined with ``;``, sources as JSON text)."""
    plain = nx.MultiDiGraph()
    for node_id, attrs in graph.nodes(data=True):
        plain.add_node(node_id, **{k: _scalar(v) for k, v in _public_node(attrs).items()})
    for u, v, k, attrs in graph.edges(keys=True, data=True):
        plain.add_edge(u, v, key=k, **{a: _scalar(b) for a, b in attrs.items()})
    buffer = io.BytesIO()
    nx.write_graphml(plain, buffer)
    return buffer.getvalue().decode("utf-8")


_MERMAID_ENTITIES = {"<": "#lt;", ">": "#gt;", "&": "#amp;", '"': "#quot;"}


def _mermaid_name(text: str) -> str:
    """A task or section name that cannot break the chart or inject markup: separators replaced, HTML
    characters written as Mermaid entity codes, one line.

    >>> _mermaid_name('<img src=x onerror="alert(1)">: v1; #2')
    '#lt;img src=x onerror=#quot;alert(1)#quot;#gt; - v1, 2'
    """
    text = printable(text.replace(":", " -").replace("#", "").replace(";", ","), one_line=True)
    return "".join(_MERMAID_ENTITIES.get(ch, ch) for ch in text)


def roadmap_rows(graph: nx.MultiDiGraph, roadmap: Literal["models", "vaes"] = "models",
                 end: str | None = None) -> list[dict[str, Any]]:
    """The bars of a roadmap: dated releases (families and models, or VAEs) from release to ``end``.

    Each row is a :class:`lineage.core.queries.Release` as a dict plus ``date``/``start`` (the first day the release
    date can mean), ``end`` and ``done`` (the release has a successor).

    >>> from lineage.core.graph import load_graph
    >>> row = next(r for r in roadmap_rows(load_graph(), "vaes", end="2026-05-01") if r["node"] == "wan2.1-vae")
    >>> row["start"], row["end"], row["done"]
    ('2025-02-25', '2026-05-01', False)
    """
    end = end or date.today().isoformat()
    kinds = {"vae"} if roadmap == "vaes" else {"model", "family"}
    superseded = {v for _, v, k in graph.edges(keys=True) if k == "successor_of"}
    rows = []
    for release in timeline(graph, kinds):
        day = PartialDate.parse(release.released).earliest()
        if day <= end:
            rows.append({**release.to_dict(), "date": day, "start": day, "end": end,
                         "done": release.node in superseded})
    return rows


def to_mermaid(graph: nx.MultiDiGraph, roadmap: Literal["models", "vaes"] = "models", end: str | None = None) -> str:
    """A Mermaid gantt chart: one section per organization, one bar per release, from release to ``end``.

    ``models`` draws families and releases; ``vaes`` draws VAEs. Releases that have a successor are drawn
    ``done``; disputed dates are drawn at the first claim and marked with ``(date disputed)``.
    """
    title = "VAE Roadmap" if roadmap == "vaes" else "Image Generative AI Roadmap"
    lines = ["gantt", f"    title {title}", "    dateFormat YYYY-MM-DD", "    tickInterval 12month",
             "    axisFormat %Y"]
    sections: dict[str, list[str]] = {}
    for row in roadmap_rows(graph, roadmap, end):
        mark = "done, " if row["done"] else ""
        note = " (date disputed)" if row["disputed"] else ""
        task = f"        {_mermaid_name(row['name'])}{note} : {mark}{row['start']}, {row['end']}"
        sections.setdefault(row["organization_name"], []).append(task)
    for org, tasks in sections.items():
        lines += ["", f"    section {_mermaid_name(org)}", *tasks]
    return "\n".join(lines) + "\n"


def export(graph: nx.MultiDiGraph, fmt: str, roadmap: Literal["models", "vaes"] = "models") -> str:
    """Render ``graph`` in ``fmt`` (one of :data:`FORMATS`)."""
    if fmt == "json":
        return to_json(graph)
    if fmt == "graphml":
        return to_graphml(graph)
    if fmt == "mermaid":
        return to_mermaid(graph, roadmap)
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
