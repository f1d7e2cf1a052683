"""What the browser explorer draws: graph selections, offline pyvis HTML, DOT paths and Altair charts.

Plain functions over the graph, so the Streamlit pages stay thin and every piece is testable without a
browser. Nothing here decides a license question: verdicts come from :mod:`lineage.reasoner`.

>>> from lineage.graph import load_graph
>>> g = load_graph(MINI)
>>> sel = select(g, Filters(focus="child-model", hops=1))
>>> sel.nodes
['base-model', 'child-model', 'the-te']
>>> "cdn.jsdelivr.net" in pyvis_html(g, sel)
False
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from lineage.graph import ref_url
from lineage.queries import timeline
from lineage.reasoner import can_i
from lineage.resolve import normalise
from lineage.schema import LICENSE_EDGES, EdgeType, PartialDate

if TYPE_CHECKING:
    import altair as alt

    from lineage.reasoner import Answer

#: The small test dataset, used by the examples in this module.
MINI = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "mini.yaml"

KIND_SHAPES: dict[str, str] = {
    "model": "dot", "family": "ellipse", "text_encoder": "diamond", "denoiser": "square", "vae": "triangle",
    "adapter": "star", "tokenizer": "triangleDown", "guardrail": "hexagon", "license": "box",
}
EDGE_COLORS: dict[str, str] = {
    "finetuned_from": "#1f77b4", "resumed_from": "#17becf", "distilled_from": "#9467bd",
    "architecture_derived_from": "#8c564b", "successor_of": "#7f7f7f", "trained_on_outputs_of": "#e377c2",
    "member_of": "#c7c7c7", "uses_text_encoder": "#2ca02c", "uses_denoiser": "#bcbd22", "uses_vae": "#ff7f0e",
    "uses_adapter": "#98df8a", "uses_tokenizer": "#aec7e8", "uses_guardrail": "#ffbb78",
    "vae_reused_from": "#d62728", "vae_finetuned_from": "#ff9896", "vae_arch_derived_from": "#c49c94",
    "licensed_under": "#555555", "relicensed_to": "#555555", "superseded_by": "#555555",
}
PALETTE: tuple[str, ...] = (
    "#4c78a8", "#f58518", "#54a24b", "#e45756", "#72b7b2", "#eeca3b", "#b279a2", "#ff9da6", "#9d755d",
    "#bab0ac", "#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666",
)
VERDICT_COLORS: dict[str, str] = {
    "yes": "#2e7d32", "conditional": "#f9a825", "unknown": "#9e9e9e", "depends": "#1565c0", "disputed": "#ef6c00",
    "no": "#c62828",
}
#: Edge types shown by default: everything but the edges to license nodes.
DEFAULT_EDGE_TYPES: tuple[str, ...] = tuple(e.value for e in EdgeType if e not in LICENSE_EDGES)
_CDN_TAG = re.compile(r"<(link|script)[^>]+cdn\.jsdelivr\.net[^>]*>(\s*</script>)?")
_REMOTE = re.compile(r"<(?:link|script)[^>]+(?:src|href)=[\"']https?://", re.IGNORECASE)


def org_colors(graph: nx.MultiDiGraph) -> dict[str, str]:
    """A stable color per organization id (sorted ids take the palette in turn).

    >>> from lineage.graph import load_graph
    >>> org_colors(load_graph(MINI))
    {'org-a': '#4c78a8', 'org-b': '#f58518'}
    """
    orgs = sorted(graph.graph["organizations"])
    return {org: PALETTE[i % len(PALETTE)] for i, org in enumerate(orgs)}


def verdicts(graph: nx.MultiDiGraph, use: str = "commercial-use") -> dict[str, str]:
    """The reasoner's verdict for ``use`` for every node that is not a license.

    >>> from lineage.graph import load_graph
    >>> verdicts(load_graph(MINI))["child-model"]
    'no'
    """
    return {n: can_i(graph, n, use).verdict for n, a in graph.nodes(data=True) if a["kind"] != "license"}


@dataclass(frozen=True)
class Filters:
    """What to show; an empty set means "no filter on this". ``hops`` counts edges from ``focus``."""

    organizations: frozenset[str] = frozenset()
    kinds: frozenset[str] = frozenset()
    edge_types: frozenset[str] = frozenset(DEFAULT_EDGE_TYPES)
    licenses: frozenset[str] = frozenset()
    verdicts: frozenset[str] = frozenset()
    focus: str | None = None
    hops: int = 2
    search: str = ""


@dataclass(frozen=True)
class Selection:
    """The nodes and ``(child, parent, type)`` edges to draw; ``matches`` are the nodes the search found."""

    nodes: list[str]
    edges: list[tuple[str, str, str]]
    matches: list[str] = field(default_factory=list)
    focus: str | None = None


def _keeps(graph: nx.MultiDiGraph, node: str, f: Filters, node_verdicts: dict[str, str]) -> bool:
    a = graph.nodes[node]
    if f.kinds and a["kind"] not in f.kinds:
        return False
    if a["kind"] == "license":
        return True
    if f.organizations and (a.get("organization") or "unknown") not in f.organizations:
        return False
    if f.licenses and not f.licenses & set(a.get("licenses", [])):
        return False
    return not (f.verdicts and node_verdicts.get(node) not in f.verdicts)


def _near(adjacent: dict[str, set[str]], starts: list[str], hops: int) -> set[str]:
    seen = set(starts)
    queue = deque((s, 0) for s in starts)
    while queue:
        here, depth = queue.popleft()
        if depth == hops:
            continue
        for nxt in adjacent.get(here, ()):
            if nxt not in seen:
                seen.add(nxt)
                queue.append((nxt, depth + 1))
    return seen


def matches(graph: nx.MultiDiGraph, text: str) -> list[str]:
    """Nodes whose id, name or an alias contains ``text`` (case, spaces and punctuation ignored).

    >>> from lineage.graph import load_graph
    >>> matches(load_graph(MINI), "base 1")
    ['base-model']
    """
    key = normalise(text)
    if not key:
        return []
    return sorted(n for n, a in graph.nodes(data=True)
                  if any(key in normalise(t) for t in (n, a.get("name", ""), *a.get("aliases", ()))))


def select(graph: nx.MultiDiGraph, f: Filters, node_verdicts: dict[str, str] | None = None) -> Selection:
    """Apply the filters: node filters, then the focus neighbourhood, then the search.

    The focus node is always kept. A search keeps its matches and their direct neighbours. License nodes
    are drawn only when an edge to them is (pick ``licensed_under`` in the edge types).

    >>> from lineage.graph import load_graph
    >>> g = load_graph(MINI)
    >>> select(g, Filters(kinds=frozenset({"model"}))).edges
    [('child-model', 'base-model', 'finetuned_from')]
    >>> select(g, Filters(search="vae")).nodes
    ['base-model', 'the-vae']
    """
    node_verdicts = node_verdicts if node_verdicts is not None or not f.verdicts else verdicts(graph)
    kept = {n for n in graph.nodes if n == f.focus or _keeps(graph, n, f, node_verdicts or {})}
    edges = sorted((u, v, k) for u, v, k in graph.edges(keys=True) if k in f.edge_types and u in kept and v in kept)
    adjacent: dict[str, set[str]] = {}
    for u, v, _ in edges:
        adjacent.setdefault(u, set()).add(v)
        adjacent.setdefault(v, set()).add(u)
    if f.focus:
        kept &= _near(adjacent, [f.focus], f.hops)
    found = [n for n in matches(graph, f.search) if n in kept] if f.search.strip() else []
    if f.search.strip():
        kept &= _near(adjacent, found, 1)
    edges = [(u, v, k) for u, v, k in edges if u in kept and v in kept]
    linked = {n for u, v, _ in edges for n in (u, v)}
    nodes = sorted(n for n in kept if graph.nodes[n]["kind"] != "license" or n in linked)
    return Selection(nodes, edges, found, f.focus if f.focus in kept else None)


def node_rows(graph: nx.MultiDiGraph, sel: Selection, node_verdicts: dict[str, str] | None = None) -> list[dict]:
    """One table row per selected node (the accessible, copyable view of the graph).

    >>> from lineage.graph import load_graph
    >>> g = load_graph(MINI)
    >>> node_rows(g, select(g, Filters(search="child")))[0]["licenses"]
    'Non-Commercial License'
    """
    rows = []
    for n in sel.nodes:
        a = graph.nodes[n]
        rows.append({
            "id": n, "name": a["name"], "kind": a["kind"], "organization": a.get("organization_name") or "",
            "released": a.get("released") or ("disputed" if a.get("released_disputed") else ""),
            "licenses": ", ".join(graph.nodes[lic]["name"] for lic in a.get("licenses", [])),
            "commercial-use": (node_verdicts or {}).get(n, ""),
        })
    return rows


def edge_rows(graph: nx.MultiDiGraph, sel: Selection) -> list[dict]:
    """One row per selected edge: child, type, parent, and whether sources disagree."""
    return [{"child": u, "type": k, "parent": v, "disputed": bool(graph.edges[u, v, k].get("disputed"))}
            for u, v, k in sel.edges]


def node_tooltip(graph: nx.MultiDiGraph, node: str, verdict: str | None = None) -> str:
    """Plain-text hover text: name, kind, organization, release and licenses.

    >>> from lineage.graph import load_graph
    >>> print(node_tooltip(load_graph(MINI), "base-model"))
    Base Model (model)
    organization: Org A
    released: 2022-06-01
    license: Non-Commercial License
    """
    a = graph.nodes[node]
    if a["kind"] == "license":
        return f"{a['name']} (license)"
    released = a.get("released") or ("disputed" if a.get("released_disputed") else "unknown")
    lines = [f"{a['name']} ({a['kind']})", f"organization: {a.get('organization_name') or 'unknown'}",
             f"released: {released}",
             "license: " + (", ".join(graph.nodes[x]["name"] for x in a.get("licenses", [])) or "none recorded")]
    if verdict:
        lines.append(f"commercial use: {verdict}")
    return "\n".join(lines)


def legend_html(edge_types: list[str] | None = None) -> str:
    """A small HTML legend: node shapes by kind and edge colours by type.

    >>> "finetuned_from" in legend_html(["finetuned_from"]), "uses_vae" in legend_html(["finetuned_from"])
    (True, False)
    """
    kinds = " · ".join(f"{k.replace('_', ' ')}: {s}" for k, s in KIND_SHAPES.items())
    edges = " ".join(
        f'<span style="border-bottom:3px solid {c};margin-right:.8em">{t}</span>'
        for t, c in EDGE_COLORS.items() if edge_types is None or t in edge_types)
    return f"<div><b>Node shape by kind:</b> {kinds}</div><div><b>Edge colour by type:</b> {edges}</div>"


def strip_cdn(html: str) -> str:
    """Remove the bootstrap tags pyvis loads from cdn.jsdelivr.net; fail if any remote tag is left.

    >>> strip_cdn('<link href="https://cdn.jsdelivr.net/x.css" rel="stylesheet"><p>ok</p>')
    '<p>ok</p>'
    """
    out = _CDN_TAG.sub("", html)
    if _REMOTE.search(out):
        raise ValueError("the graph HTML still loads a remote script or stylesheet")
    return out


def layout(sel: Selection, seed: int = 7) -> dict[str, tuple[int, int]]:
    """Pixel positions for the selected nodes (a seeded spring layout, so a view always looks the same).

    >>> from lineage.graph import load_graph
    >>> g = load_graph(MINI)
    >>> sorted(layout(select(g, Filters())))
    ['base-model', 'child-model', 'the-te', 'the-vae']
    """
    simple = nx.Graph()
    simple.add_nodes_from(sel.nodes)
    simple.add_edges_from((u, v) for u, v, _ in sel.edges)
    root = max(1.0, len(sel.nodes) ** 0.5)
    pos = nx.spring_layout(simple, seed=seed, scale=130 * root, k=3.0 / root, iterations=100)
    return {n: (int(x), int(y)) for n, (x, y) in pos.items()}


def pyvis_html(graph: nx.MultiDiGraph, sel: Selection, node_verdicts: dict[str, str] | None = None,
               height: str = "620px", physics: bool = False) -> str:
    """A self-contained vis-network page (no request leaves the machine) for the selection.

    Positions come from :func:`layout`; ``physics=True`` lets the browser spread the nodes further (slower).
    """
    from pyvis.network import Network

    colors = org_colors(graph)
    net = Network(height=height, width="100%", directed=True, cdn_resources="in_line", bgcolor="#ffffff")
    found = set(sel.matches)
    pos = layout(sel)
    for n in sel.nodes:
        a = graph.nodes[n]
        color = "#dddddd" if a["kind"] == "license" else colors.get(a.get("organization") or "", "#999999")
        special = n == sel.focus or n in found
        net.add_node(n, label=str(a["name"]), title=node_tooltip(graph, n, (node_verdicts or {}).get(n)),
                     shape=KIND_SHAPES.get(a["kind"], "dot"), color=color, size=28 if special else 16,
                     borderWidth=4 if special else 1, x=pos[n][0], y=pos[n][1])
    for u, v, k in sel.edges:
        attrs = graph.edges[u, v, k]
        title = k + (" (disputed)" if attrs.get("disputed") else "")
        net.add_edge(u, v, title=title, color=EDGE_COLORS.get(k, "#888888"), dashes=bool(attrs.get("disputed")),
                     arrows="to")
    # positions come from networkx, so by default the browser does not spend seconds stabilising a layout
    physics_options = '{"solver": "forceAtlas2Based", "stabilization": {"iterations": 80}}' if physics else \
        '{"enabled": false}'
    net.set_options(f'{{"physics": {physics_options}, "layout": {{"improvedLayout": false}},'
                    ' "edges": {"smooth": {"type": "continuous"}}, "interaction": {"hover": true}}')
    return strip_cdn(net.generate_html())


def claim_url(claim: dict[str, Any]) -> str | None:
    """Where a claim's source can be read: the registry's ref, a URL, or a GitHub permalink.

    >>> claim_url({"source": "org/repo:docs/a.md@abc1234"})
    'https://github.com/org/repo/blob/abc1234/docs/a.md'
    >>> claim_url({"source": "fixture", "ref": "https://example.org/fixture"})
    'https://example.org/fixture'
    """
    return claim.get("url") or ref_url(claim.get("ref")) or ref_url(claim.get("source"))


def claim_markdown(claim: dict[str, Any]) -> str:
    """One line of Markdown for a claim: value, quote or locator, and a link to its source.

    >>> claim_markdown({"value": "2023", "source": "https://example.org", "locator": "release notes"})
    '**2023**: release notes ([source](https://example.org), primary)'
    """
    head = f"**{claim['value']}**: " if claim.get("value") is not None else ""
    where = f"“{claim['quote']}”" if claim.get("quote") else claim.get("locator", "")
    url = claim_url(claim)
    label = claim.get("title") or "source"
    where_to = f"`{claim.get('ref') or claim.get('source')}`"
    link = f"[{label}]({url})" if url else " ".join(filter(None, [claim.get("title"), where_to]))
    return f"{head}{where} ({link}, {claim.get('status', 'primary')})"


def answer_dot(answer: Answer) -> str:
    """Graphviz DOT of the paths by which the deciding licenses reach the model.

    >>> from lineage.graph import load_graph
    >>> dot = answer_dot(can_i(load_graph(MINI), "child-model", "commercial-use"))
    >>> '"child-model" -> "base-model" [label="finetuned_from"' in dot
    True
    """
    reasons = [r for r in answer.reasons if r.decisive] or answer.reasons
    lines = ["digraph {", "  rankdir=LR;", '  node [shape=box, style="rounded,filled", fillcolor="#f3f3f3"];']
    seen: set[str] = set()
    for r in reasons:
        hops = [h for h in r.edges if h != "inherited"]
        path = list(r.path)
        for i in range(len(path) - 1):
            label = hops[i] if i < len(hops) else ""
            line = f'  "{path[i]}" -> "{path[i + 1]}" [label="{label}"];'
            if line not in seen:
                seen.add(line)
                lines.append(line)
        color = VERDICT_COLORS.get(r.verdict, "#999999")
        lic = f'  "{r.license}" [shape=note, fillcolor="{color}", fontcolor="white", label="{r.license_name}"];'
        edge = f'  "{path[-1]}" -> "{r.license}" [style=dashed, label="{r.verdict}"];'
        for line in (lic, edge):
            if line not in seen:
                seen.add(line)
                lines.append(line)
    lines.append(f'  "{answer.model}" [fillcolor="#cfe2ff"];')
    return "\n".join([*lines, "}"])


def timeline_rows(graph: nx.MultiDiGraph, kinds: set[str] | None = None) -> list[dict[str, Any]]:
    """Dated releases as chart rows (``date`` is a full ISO date; ``released`` keeps the precision).

    >>> from lineage.graph import load_graph
    >>> [(r["node"], r["date"]) for r in timeline_rows(load_graph(MINI))]
    [('base-model', '2022-06-01'), ('child-model', '2023-01-01')]
    """
    return [{**r.to_dict(), "date": PartialDate.parse(r.released).earliest()} for r in timeline(graph, kinds)]


def timeline_chart(rows: list[dict[str, Any]]) -> alt.Chart:
    """Releases per organization over time; each point is selectable (``name="pick"``, field ``node``)."""
    import altair as alt

    pick = alt.selection_point(name="pick", fields=["node"], on="click")
    return alt.Chart(alt.Data(values=rows)).mark_point(filled=True, size=120).encode(
        x=alt.X("date:T", title="released"),
        y=alt.Y("organization_name:N", title=None, sort="ascending"),
        color=alt.Color("kind:N"),
        shape=alt.Shape("disputed:N", title="date disputed"),
        tooltip=["name:N", "released:N", "kind:N", "organization_name:N", "node:N"],
    ).add_params(pick).properties(
        height=max(200, 26 * len({r["organization"] for r in rows})),
        usermeta={"embedOptions": {"renderer": "svg"}},  # SVG marks carry aria-labels (screen readers, tests)
    )


def roadmap_chart(rows: list[dict[str, Any]]) -> alt.Chart:
    """A gantt chart: one bar per release from its date to the roadmap's end, grouped by organization."""
    import altair as alt

    pick = alt.selection_point(name="pick", fields=["node"], on="click")
    return alt.Chart(alt.Data(values=rows)).mark_bar(height=10).encode(
        x=alt.X("start:T", title=None), x2="end:T",
        y=alt.Y("name:N", title=None, sort=alt.SortField("start")),
        color=alt.Color("organization_name:N", title="organization"),
        opacity=alt.condition("datum.done", alt.value(0.45), alt.value(1.0)),
        tooltip=["name:N", "released:N", "organization_name:N", "node:N"],
    ).add_params(pick).properties(height=max(120, 18 * len(rows)), usermeta={"embedOptions": {"renderer": "svg"}})
