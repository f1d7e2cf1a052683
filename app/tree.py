"""A Hugging Face-style model tree: the base models above, this release, and what was made from it below.

>>> from lineage.core.graph import load_graph
>>> t = model_tree(load_graph(), "anima-preview")
>>> t.above[-1], sorted(t.below)
(['cosmos-predict2-2b-t2i'], ['Successors'])
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import networkx as nx

from lineage.core.schema import DERIVATION_EDGES

_DERIVATION = frozenset(e.value for e in DERIVATION_EDGES)
#: What the children along each edge type are called (an adapter is an adapter whatever the edge says).
GROUPS: dict[str, str] = {
    "finetuned_from": "Fine-tunes", "resumed_from": "Trained further", "distilled_from": "Distilled versions",
    "architecture_derived_from": "Built on its architecture", "successor_of": "Successors",
    "trained_on_outputs_of": "Trained on its outputs", "vae_finetuned_from": "Fine-tuned VAEs",
    "vae_reused_from": "Reuse this VAE", "vae_arch_derived_from": "VAEs built on its design", "member_of": "Members",
}


@dataclass(frozen=True)
class Tree:
    """``above``: ancestor levels, the oldest first (each a list of ids); ``below``: group name -> child ids;
    ``used_by``: models that use this node as a part (text encoder, VAE...)."""

    node: str
    above: list[list[str]]
    below: dict[str, list[str]]
    used_by: list[str]


def model_tree(graph: nx.MultiDiGraph, node: str) -> Tree:
    """The tree around ``node``: derivation ancestors by level, derived children by kind of derivation."""
    levels: list[list[str]] = []
    seen, frontier = {node}, [node]
    while frontier:
        nxt = sorted({v for u in frontier for _, v, k in graph.out_edges(u, keys=True)
                      if k in _DERIVATION and v not in seen})
        if not nxt:
            break
        seen |= set(nxt)
        levels.append(nxt)
        frontier = nxt
    below: dict[str, list[str]] = {}
    for u, _, k in sorted(graph.in_edges(node, keys=True)):
        group = "Adapters" if graph.nodes[u]["kind"] == "adapter" else GROUPS.get(k)
        if group and u not in below.get(group, []):
            below.setdefault(group, []).append(u)
    used_by = sorted({u for u, _, k in graph.in_edges(node, keys=True) if k.startswith("uses_")})
    return Tree(node, levels[::-1], below, used_by)


def _node_link(graph: nx.MultiDiGraph, node: str, current: bool = False) -> str:
    name = html.escape(graph.nodes[node]["name"])
    style = "font-weight:700;background:#cfe2ff;" if current else ""
    return (f'<a href="model?model={html.escape(node)}" target="_self" style="{style}display:inline-block;'
            f'border:1px solid #bbb;border-radius:.4em;padding:.1em .5em;margin:.15em;text-decoration:none">'
            f'{name}</a>')


def tree_html(graph: nx.MultiDiGraph, tree: Tree, limit: int = 12) -> str:
    """The tree as HTML: one line per ancestor level, this release highlighted, then each group with its count.

    >>> from lineage.core.graph import load_graph
    >>> g = load_graph()
    >>> out = tree_html(g, model_tree(g, "cosmos-predict2-2b-t2i"))
    >>> "Fine-tunes (" in out, "Cosmos-Predict2" in out
    (True, True)
    """
    arrow = '<div style="color:#888;margin-left:1em">↓</div>'
    parts = []
    for i, level in enumerate(tree.above):
        title = "Base model" if i == 0 else "then"
        parts.append(f'<div><small style="color:#666">{title}</small> '
                     + "".join(_node_link(graph, n) for n in level) + "</div>" + arrow)
    parts.append(f'<div><small style="color:#666">This</small> {_node_link(graph, tree.node, current=True)}</div>')
    groups = [*tree.below.items(), *([("Used as a part by", tree.used_by)] if tree.used_by else [])]
    for name, nodes in groups:
        more = f' <small>and {len(nodes) - limit} more</small>' if len(nodes) > limit else ""
        parts.append(arrow + f'<div><b>{html.escape(name)} ({len(nodes)})</b> '
                     + "".join(_node_link(graph, n) for n in nodes[:limit]) + more + "</div>")
    if not groups:
        parts.append('<div style="color:#666;margin-top:.3em">Nothing recorded as made from it yet.</div>')
    return '<div class="model-tree" style="line-height:1.9">' + "".join(parts) + "</div>"
