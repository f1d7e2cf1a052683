"""What the browser explorer draws: graph selections, the network to draw (built with pyvis), DOT paths and
Altair charts.

Plain functions over the graph, so the Streamlit pages stay thin and every piece is testable without a
browser. Nothing here decides a license question: verdicts come from :mod:`lineage.answers.reasoner`.

>>> from lineage.core.graph import load_graph
>>> g = load_graph(MINI)
>>> sel = select(g, Filters(focus="child-model", hops=1))
>>> sel.nodes
['base-model', 'child-model', 'the-te']
>>> len(network_spec(g, sel)["edges"])
2
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import deque
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from app import bands
from app.palette import palette
from lineage.answers.reasoner import can_i
from lineage.core.graph import ref_url
from lineage.core.queries import timeline
from lineage.core.resolve import normalise
from lineage.core.schema import LICENSE_EDGES, EdgeType, PartialDate

if TYPE_CHECKING:
    import altair as alt

    from lineage.answers.reasoner import Answer

#: The small test dataset, used by the examples in this module.
MINI = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "mini.yaml"

KIND_SHAPES: dict[str, str] = {
    "model": "dot", "family": "dot", "text_encoder": "diamond", "denoiser": "square", "vae": "triangle",
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
#: Edge types in plain words (legends, tooltips, tables): "A <words> B".
EDGE_WORDS: dict[str, str] = {
    "finetuned_from": "fine-tuned from", "resumed_from": "training resumed from", "distilled_from": "distilled from",
    "architecture_derived_from": "built on the architecture of", "successor_of": "successor of",
    "trained_on_outputs_of": "trained on the outputs of", "member_of": "member of the family",
    "uses_text_encoder": "uses the text encoder", "uses_denoiser": "uses the denoiser", "uses_vae": "uses the VAE",
    "uses_adapter": "uses the adapter", "uses_tokenizer": "uses the tokenizer", "uses_guardrail": "uses the guardrail",
    "vae_reused_from": "reuses the VAE of", "vae_finetuned_from": "VAE fine-tuned from",
    "vae_arch_derived_from": "VAE design derived from", "licensed_under": "licensed under",
    "relicensed_to": "relicensed to", "superseded_by": "superseded by",
}
#: Node kinds and their shapes in plain words.
KIND_WORDS: dict[str, str] = {
    "model": "circle: a model release", "family": "dashed circle: a family of releases",
    "text_encoder": "diamond: text encoder",
    "denoiser": "square: denoiser", "vae": "triangle: VAE (turns latents into pixels)", "adapter": "star: adapter",
    "tokenizer": "downward triangle: tokenizer", "guardrail": "hexagon: safety guardrail", "license": "box: license",
}
#: What each verdict means, in plain words.
VERDICT_WORDS: dict[str, str] = {
    "yes": "allowed", "conditional": "allowed if you meet conditions", "unknown": "not recorded or unclear",
    "depends": "depends on the release", "disputed": "sources disagree", "no": "not allowed",
}
VERDICT_COLORS: dict[str, str] = {
    "yes": "#2e7d32", "conditional": "#f9a825", "unknown": "#9e9e9e", "depends": "#1565c0", "disputed": "#ef6c00",
    "no": "#c62828",
}
#: Edge types shown by default: everything but the edges to license nodes.
DEFAULT_EDGE_TYPES: tuple[str, ...] = tuple(e.value for e in EdgeType if e not in LICENSE_EDGES)


def org_colors(graph: nx.MultiDiGraph) -> dict[str, str]:
    """A colour per organization id, each one different (sorted ids take :func:`app.palette.palette` in turn).

    >>> from lineage.core.graph import load_graph
    >>> org_colors(load_graph(MINI))
    {'org-a': '#4e79a7', 'org-b': '#f28e2b'}
    """
    orgs = sorted(graph.graph["organizations"])
    return dict(zip(orgs, palette(len(orgs)), strict=True))


def org_scale(graph: nx.MultiDiGraph) -> tuple[list[str], list[str]]:
    """Organization names and their colours, for an Altair ``Scale(domain=..., range=...)``.

    >>> from lineage.core.graph import load_graph
    >>> org_scale(load_graph(MINI))
    (['Org A', 'Org B', 'Unknown'], ['#4e79a7', '#f28e2b', '#999999'])
    """
    colors = org_colors(graph)
    orgs = graph.graph["organizations"]
    return [orgs[o].name for o in colors] + ["Unknown"], [*colors.values(), "#999999"]


def verdicts(graph: nx.MultiDiGraph, use: str = "commercial-use") -> dict[str, str]:
    """The reasoner's verdict for ``use`` for every node that is not a license.

    >>> from lineage.core.graph import load_graph
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
    """The nodes and ``(child, parent, type)`` edges to draw; ``matches`` are the nodes the search found;
    ``hidden`` counts, per kind, the adapters and licenses a wider view would draw that this one leaves out."""

    nodes: list[str]
    edges: list[tuple[str, str, str]]
    matches: list[str] = field(default_factory=list)
    focus: str | None = None
    hidden: dict[str, int] = field(default_factory=dict)


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

    >>> from lineage.core.graph import load_graph
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
    are drawn only when an edge to them is (pick ``licensed_under`` in the edge types), or when the license
    filter picks them. Adapters are drawn when the kind filter picks them, the search finds them, or they are
    near the focus; :attr:`Selection.hidden` counts what is left out.

    >>> from lineage.core.graph import load_graph
    >>> g = load_graph(MINI)
    >>> select(g, Filters(kinds=frozenset({"model"}))).edges
    [('child-model', 'base-model', 'finetuned_from')]
    >>> select(g, Filters(search="vae")).nodes
    ['base-model', 'the-vae']
    >>> select(g, Filters()).hidden
    {'license': 2}
    """
    node_verdicts = node_verdicts if node_verdicts is not None or not f.verdicts else verdicts(graph)
    sel = _select(graph, f, node_verdicts or {})
    wider = _select(graph, replace(f, edge_types=f.edge_types | LICENSE_TYPES), node_verdicts or {}, adapters=True)
    drawn = set(sel.nodes)
    hidden: dict[str, int] = {}
    for n in wider.nodes:
        kind = graph.nodes[n]["kind"]
        if n not in drawn and kind in ("adapter", "license"):
            hidden[kind] = hidden.get(kind, 0) + 1
    return replace(sel, hidden=dict(sorted(hidden.items())))


#: The edge types that lead to license nodes.
LICENSE_TYPES: frozenset[str] = frozenset(e.value for e in LICENSE_EDGES)


def _select(graph: nx.MultiDiGraph, f: Filters, node_verdicts: dict[str, str], adapters: bool = False) -> Selection:
    kept = {n for n in graph.nodes if n == f.focus or _keeps(graph, n, f, node_verdicts)}
    edges = sorted((u, v, k) for u, v, k in graph.edges(keys=True) if u in kept and v in kept and (
        k in f.edge_types or (k in LICENSE_TYPES and v in f.licenses)))
    adjacent: dict[str, set[str]] = {}
    for u, v, _ in edges:
        adjacent.setdefault(u, set()).add(v)
        adjacent.setdefault(v, set()).add(u)
    if f.focus:
        kept &= _near(adjacent, [f.focus], f.hops)
    found = [n for n in matches(graph, f.search) if n in kept] if f.search.strip() else []
    if f.search.strip():
        kept &= _near(adjacent, found, 1)
    if not (adapters or f.focus or "adapter" in f.kinds):  # the overview leaves out adapters nobody asked for
        kept = {n for n in kept if graph.nodes[n]["kind"] != "adapter" or n in found}
    edges = [(u, v, k) for u, v, k in edges if u in kept and v in kept]
    linked = {n for u, v, _ in edges for n in (u, v)}
    nodes = sorted(n for n in kept if graph.nodes[n]["kind"] != "license" or n in linked or n in f.licenses
                   or n == f.focus)
    return Selection(nodes, edges, found, f.focus if f.focus in kept else None)


def hidden_caption(sel: Selection) -> str:
    """What the drawing leaves out, and how to show it (empty when nothing is left out).

    >>> hidden_caption(Selection([], [], hidden={"adapter": 50}))
    '50 adapters are not drawn: pick them under “What it is”.'
    >>> hidden_caption(Selection([], [], hidden={"adapter": 2, "license": 1})).split(": ")[0]
    '2 adapters and 1 license are not drawn'
    >>> hidden_caption(Selection([], []))
    ''
    """
    words = {"adapter": ("adapter", "adapters", "“What it is”"),
             "license": ("license", "licenses", "“Relations to draw” (“licensed under”)")}
    parts = [(f"{k} {words[kind][0] if k == 1 else words[kind][1]}", words[kind][2])
             for kind, k in sel.hidden.items() if kind in words and k]
    if not parts:
        return ""
    verb = "is" if len(parts) == 1 and parts[0][0].startswith("1 ") else "are"
    return (" and ".join(p[0] for p in parts) + f" {verb} not drawn: pick them under "
            + " and ".join(p[1] for p in parts) + ".")


def node_rows(graph: nx.MultiDiGraph, sel: Selection, node_verdicts: dict[str, str] | None = None) -> list[dict]:
    """One table row per selected node (the accessible, copyable view of the graph).

    >>> from lineage.core.graph import load_graph
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


def kind_label(kind: str) -> str:
    """A node kind for people: ``text_encoder`` -> ``text encoder``.

    >>> kind_label("text_encoder")
    'text encoder'
    """
    return kind.replace("_", " ")


def node_tooltip(graph: nx.MultiDiGraph, node: str, verdict: str | None = None) -> str:
    """Plain-text hover text: name, kind, organization, release and licenses.

    >>> from lineage.core.graph import load_graph
    >>> print(node_tooltip(load_graph(MINI), "base-model"))
    Base Model (model)
    Made by Org A
    Released 2022-06-01
    License: Non-Commercial License
    Click to open its page
    """
    a = graph.nodes[node]
    if a["kind"] == "license":
        return f"{a['name']} (license)\nClick to read its terms"
    released = a.get("released") or ("date disputed" if a.get("released_disputed") else "date unknown")
    lines = [f"{a['name']} ({kind_label(a['kind'])})", f"Made by {a.get('organization_name') or 'an unknown maker'}",
             f"Released {released}" if a.get("released") else released.capitalize(),
             "License: " + (", ".join(graph.nodes[x]["name"] for x in a.get("licenses", [])) or "none recorded")]
    if verdict:
        lines.append(f"Commercial use: {verdict} ({VERDICT_WORDS.get(verdict, verdict)})")
    lines.append("Click to open its page")
    return "\n".join(lines)


def _swatch(color: str, text: str, shape: str = "border-radius:50%") -> str:
    return (f'<span style="display:inline-block;margin:0 .9em .2em 0;white-space:nowrap">'
            f'<span style="display:inline-block;width:.9em;height:.9em;background:{color};{shape};'
            f'vertical-align:middle;margin-right:.3em"></span>{text}</span>')


def legend_html(edge_types: list[str] | None = None, organizations: dict[str, str] | None = None) -> str:
    """The graph's legend in plain words: fill = organization, border = commercial-use verdict, shapes, edges.

    ``organizations`` maps the names shown to their colours; ``edge_types`` limits the edge rows.

    >>> html = legend_html(["finetuned_from"], {"Org A": "#4e79a7"})
    >>> "fine-tuned from" in html, "uses the VAE" in html, "Org A" in html
    (True, False, True)
    """
    parts = []
    if organizations:
        parts.append("<div><b>Fill colour: who made it.</b> "
                     + "".join(_swatch(c, name) for name, c in organizations.items()) + "</div>")
    parts.append("<div><b>Border colour: may I use it commercially?</b> " + "".join(
        _swatch("#fff;border:3px solid " + c, f"{v} ({VERDICT_WORDS[v]})") for v, c in VERDICT_COLORS.items())
        + "</div>")
    parts.append("<div><b>Shape: what it is.</b> " + " · ".join(KIND_WORDS.values()) + "</div>")
    edges = "".join(
        f'<span style="display:inline-block;margin:0 .9em .2em 0;white-space:nowrap;border-bottom:3px solid {c}">'
        f"{EDGE_WORDS.get(t, t)}</span>"
        for t, c in EDGE_COLORS.items() if edge_types is None or t in edge_types)
    parts.append(f"<div><b>Arrow colour: how two things are related</b> (an arrow points from the newer thing to "
                 f"what it comes from or uses; dashed: the sources disagree). {edges}</div>")
    return '<div style="font-size:0.85rem;line-height:1.6">' + "".join(parts) + "</div>"


#: vis-network style rules for features the app never turns on (editing toolbar, configurator, colour picker,
#: close button): about 165 KB of inline images the browser would otherwise parse.
_UNUSED_CSS = re.compile(r"vis-(manipulation|edit|close|color-picker|configuration|delete|connect|add|back)\b")
_CSS_RULE = re.compile(r"[^{}]+\{[^{}]*\}")


def slim_css(css: str) -> str:
    """vis-network's style sheet without the rules for features never used here (plain rules only: a sheet with
    anything else is returned as it is).

    >>> slim_css(".vis-network{a:b}div.vis-manipulation{c:d}")
    '.vis-network{a:b}'
    """
    if _CSS_RULE.sub("", css).strip():
        return css
    return "".join(r for r in _CSS_RULE.findall(css) if not _UNUSED_CSS.search(r.split("{", 1)[0]))


#: The smallest scale the poster is drawn at to fit its frame (names stay at least 11 px); a narrower frame (a phone)
#: keeps scale 1 and scrolls the drawing sideways inside the frame.
POSTER_MIN_SCALE = 0.92

#: How the graph can be laid out: columns by release date or by lineage depth (organizations in bands), or free.
LAYOUTS: dict[str, str] = {
    "date": "by release date", "depth": "by lineage depth", "spring": "free (spring)",
}


def _spring(sel: Selection, seed: int) -> dict[str, tuple[int, int]]:
    simple = nx.Graph()
    simple.add_nodes_from(sel.nodes)
    simple.add_edges_from((u, v) for u, v, _ in sel.edges)
    root = max(1.0, len(sel.nodes) ** 0.5)
    pos = nx.spring_layout(simple, seed=seed, scale=130 * root, k=3.0 / root, iterations=100)
    return {n: (int(x), int(y)) for n, (x, y) in pos.items()}


def network_spec(graph: nx.MultiDiGraph, sel: Selection, node_verdicts: dict[str, str] | None = None,
                 physics: bool = False, how: str = "date") -> dict[str, Any]:
    """What the browser draws for the selection: vis-network's nodes, edges and options (built with pyvis), the
    poster's stripes and size (``None`` for the free layout), the node to start on, the frame's height, and a
    ``version`` (a hash of all that: the browser redraws only when it changes).

    Nodes are filled with their organization's colour and bordered with their commercial-use verdict's; a click
    on a node opens its model page (``views/graph_frame/graph.js``). ``how`` picks the :data:`LAYOUTS`;
    ``physics=True`` lets the browser spread the nodes further (slower).

    >>> from lineage.core.graph import load_graph
    >>> g = load_graph(MINI)
    >>> spec = network_spec(g, select(g, Filters()))
    >>> "label:Org A" in {n["id"] for n in spec["nodes"]}, spec["options"]["interaction"]["zoomView"]
    (True, False)
    """
    from pyvis.network import Network

    colors = org_colors(graph)
    found = set(sel.matches)
    poster = lay = None
    net = Network(directed=True)
    if how in ("date", "depth"):
        lay = bands.banded(graph, sel.nodes, sel.edges, how)
        for name, head, x, y in lay.bands:
            net.add_node(f"label:{name}", label=head, shape="text", x=x, y=y, physics=False,
                         font={"size": bands.BAND_FONT, "face": "arial", "bold": True, "color": "#333333"})
        for i, y in enumerate(lay.headers):
            for name, x in lay.columns:
                net.add_node(f"label:{name}" + (f"@{i}" if i else ""), label=name, shape="text", x=x, y=y,
                             physics=False, font={"size": bands.BAND_FONT + 1, "color": "#555555", "bold": True})
        pos, size, font = lay.pos, (bands.SIZE, bands.BIG), bands.FONT
        poster = {"stripes": lay.stripes, "width": lay.width, "height": lay.height,
                  "bands": [{"id": f"label:{name}", "name": name, "y": y} for name, _, _, y in lay.bands]}
    else:
        pos, size, font = _spring(sel, 7), (13, 24), 18
    for n in sel.nodes:
        a = graph.nodes[n]
        fill = "#eeeeee" if a["kind"] == "license" else colors.get(a.get("organization") or "", "#999999")
        border = VERDICT_COLORS.get((node_verdicts or {}).get(n, ""), "#555555")
        special = n == sel.focus or n in found
        net.add_node(n, label=lay.labels[n] if lay else str(a["name"]),
                     shapeProperties={"borderDashes": [4, 3] if a["kind"] == "family" else False},
                     title=node_tooltip(graph, n, (node_verdicts or {}).get(n)),
                     shape=KIND_SHAPES.get(a["kind"], "dot"), size=size[special],
                     color={"background": fill, "border": border, "highlight": {"background": fill, "border": "#000"}},
                     borderWidth=(4 if special else 2) if poster else (6 if special else 3),
                     font={"size": font, "strokeWidth": 3, "strokeColor": "#ffffff"}, x=pos[n][0], y=pos[n][1])
    for u, v, k in sel.edges:
        attrs = graph.edges[u, v, k]
        title = f"{graph.nodes[u]['name']} {EDGE_WORDS.get(k, k)} {graph.nodes[v]['name']}" + (
            " (the sources disagree)" if attrs.get("disputed") else "")
        color = EDGE_COLORS.get(k, "#888888")
        net.add_edge(u, v, title=title, dashes=bool(attrs.get("disputed")), arrows="to",
                     color={"color": color, "opacity": 0.55, "highlight": color, "hover": color} if poster else color,
                     width=1.5 if poster else 2)
    # positions come from the layout, so by default the browser does not spend seconds stabilising one
    options = {
        "physics": {"solver": "forceAtlas2Based", "stabilization": {"iterations": 80}} if physics
        else {"enabled": False},
        "layout": {"improvedLayout": False},
        "edges": {"smooth": {"type": "continuous"} if how == "spring"
                  else {"type": "cubicBezier", "forceDirection": "horizontal"}},
        "interaction": {"hover": True, "navigationButtons": True, "zoomView": poster is None},
    }
    dated = [n for n in sel.nodes if graph.nodes[n].get("released") and graph.nodes[n]["kind"] != "license"]
    target = sel.focus or (max(dated, key=lambda n: PartialDate.parse(graph.nodes[n]["released"]).earliest())
                           if dated else None)
    spec = {"nodes": net.nodes, "edges": net.edges, "options": options, "poster": poster, "target": target,
            "height": frame_height(lay), "min_scale": POSTER_MIN_SCALE}
    spec["version"] = hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:16]  # redraw if changed
    return spec


def frame_height(lay: bands.Banded | None, cap: int = 6000) -> int:
    """The graph frame's height in px: the whole poster at scale 1 (at most ``cap``), or 760 for a free layout.

    >>> from lineage.core.graph import load_graph
    >>> g = load_graph(MINI)
    >>> sel = select(g, Filters())
    >>> frame_height(bands.banded(g, sel.nodes, sel.edges)), frame_height(None)
    (320, 760)
    """
    if lay is None:
        return 760
    return max(320, min(cap, lay.height + 170))  # column names above, the navigation buttons below


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


def answer_dot(answer: Answer, names: dict[str, str] | None = None) -> str:
    """Graphviz DOT of the paths by which the deciding licenses reach the model, boxes labelled with ``names``.

    >>> from lineage.core.graph import load_graph
    >>> g = load_graph(MINI)
    >>> dot = answer_dot(can_i(g, "child-model", "commercial-use"), {n: g.nodes[n]["name"] for n in g})
    >>> '"child-model" -> "base-model" [label="fine-tuned from"' in dot, '"base-model" [label="Base Model"]' in dot
    (True, True)
    """
    names = names or {}
    reasons = [r for r in answer.reasons if r.decisive] or answer.reasons
    lines = ["digraph {", "  rankdir=LR;", '  node [shape=box, style="rounded,filled", fillcolor="#f3f3f3"];']
    seen: set[str] = set()
    for r in reasons:
        hops = [h for h in r.edges if h != "inherited"]
        path = list(r.path)
        for n in path:
            line = f'  "{n}" [label="{names.get(n, n)}"];'
            if line not in seen:
                seen.add(line)
                lines.append(line)
        for i in range(len(path) - 1):
            label = EDGE_WORDS.get(hops[i], hops[i]) if i < len(hops) else ""
            line = f'  "{path[i]}" -> "{path[i + 1]}" [label="{label}"];'
            if line not in seen:
                seen.add(line)
                lines.append(line)
        color = VERDICT_COLORS.get(r.verdict, "#999999")
        lic = f'  "{r.license}" [shape=note, fillcolor="{color}", fontcolor="white", label="{r.license_name}"];'
        edge = f'  "{path[-1]}" -> "{r.license}" [style=dashed, label="licensed: {r.verdict}"];'
        for line in (lic, edge):
            if line not in seen:
                seen.add(line)
                lines.append(line)
    lines.append(f'  "{answer.model}" [fillcolor="#cfe2ff", label="{answer.model_name}"];')
    return "\n".join([*lines, "}"])


def timeline_rows(graph: nx.MultiDiGraph, kinds: set[str] | None = None) -> list[dict[str, Any]]:
    """Dated releases as chart rows (``date`` is a full ISO date; ``released`` keeps the precision).

    >>> from lineage.core.graph import load_graph
    >>> [(r["node"], r["date"]) for r in timeline_rows(load_graph(MINI))]
    [('base-model', '2022-06-01'), ('child-model', '2023-01-01')]
    """
    return [{**r.to_dict(), "date": PartialDate.parse(r.released).earliest()} for r in timeline(graph, kinds)]


def timeline_chart(rows: list[dict[str, Any]], orgs: tuple[list[str], list[str]] | None = None) -> alt.Chart:
    """Releases per organization over time; each point is selectable (``name="pick"``, field ``node``).

    Rows need ``slot`` (:func:`app.timeline.stack_same_day`): releases of one organization on one day are drawn
    side by side (each slot 13 px further right) instead of on top of each other. ``orgs`` is :func:`org_scale`
    (the app's one palette).
    """
    import altair as alt

    pick = alt.selection_point(name="pick", fields=["node"], on="click")
    scale = alt.Scale(domain=orgs[0], range=orgs[1]) if orgs else alt.Undefined
    # same-day releases step 13 px to the right (a mark offset: an offset channel needs a discrete x scale)
    return alt.Chart(alt.Data(values=rows)).mark_point(filled=True, size=110, opacity=0.9, cursor="pointer",
                                                       xOffset=alt.expr("datum.slot * 13")).encode(
        x=alt.X("date:T", title="released"),
        y=alt.Y("organization_name:N", title=None, sort="ascending", axis=alt.Axis(labelLimit=130)),
        color=alt.Color("organization_name:N", scale=scale, legend=None),
        shape=alt.Shape("kind:N", title="what it is"),
        tooltip=[alt.Tooltip("name:N", title="Name"), alt.Tooltip("released:N", title="Released"),
                 alt.Tooltip("organization_name:N", title="Made by"), alt.Tooltip("kind:N", title="What"),
                 alt.Tooltip("disputed:N", title="Date disputed")],
    ).add_params(pick).properties(
        height=alt.Step(26),
        usermeta={"embedOptions": {"renderer": "svg"}},  # SVG marks carry aria-labels (screen readers, tests)
    )


def roadmap_chart(rows: list[dict[str, Any]], orgs: tuple[list[str], list[str]] | None = None) -> alt.Chart:
    """A gantt chart: one row per release, its name written on the row, coloured by organization.

    A bar runs from the release to the organization's next release (:func:`app.timeline.end_at_next_release`);
    the newest release of each organization runs on (paler). Bars are light, so the black names on them stay
    readable. Late releases carry their label to the left of
    the bar, so every label stays inside the chart even on a phone.
    """
    import altair as alt

    starts = sorted(r["start"] for r in rows)
    middle = starts[len(starts) // 2] if starts else ""
    data = [{**r, "side": "left" if r["start"] <= middle else "right"} for r in rows]
    pick = alt.selection_point(name="pick", fields=["node"], on="click")
    scale = alt.Scale(domain=orgs[0], range=orgs[1]) if orgs else alt.Undefined
    base = alt.Chart(alt.Data(values=data))
    y = alt.Y("name:N", title=None, sort=alt.SortField("start"), axis=None)
    bars = base.mark_bar(cornerRadius=2, cursor="pointer").encode(
        x=alt.X("start:T", title=None, axis=alt.Axis(format="%Y", orient="top", tickCount="year")),
        x2="end:T", y=y,
        color=alt.Color("organization_name:N", title="made by", scale=scale, legend=alt.Legend(orient="bottom")),
        opacity=alt.condition("datum.current", alt.value(0.3), alt.value(0.6)),
        tooltip=[alt.Tooltip("name:N", title="Name"), alt.Tooltip("released:N", title="Released"),
                 alt.Tooltip("organization_name:N", title="Made by"),
                 alt.Tooltip("end:T", title="Newest until", format="%Y-%m-%d")],
    ).add_params(pick)
    text = {"fontSize": 11, "baseline": "middle"}
    left = base.transform_filter("datum.side == 'left'").mark_text(align="left", dx=4, **text).encode(
        x="start:T", y=y, text="name:N")
    right = base.transform_filter("datum.side == 'right'").mark_text(align="right", dx=-4, **text).encode(
        x="start:T", y=y, text="name:N")
    return alt.layer(bars, left, right).properties(
        height=alt.Step(20), usermeta={"embedOptions": {"renderer": "svg"}})
