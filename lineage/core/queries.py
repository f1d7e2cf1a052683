"""Questions answered from the graph: ancestry, descendants, components, VAE chains, timelines.

Plain functions that take the graph, in the style of networkx.

>>> from lineage.core.graph import load_graph
>>> g = load_graph()
>>> [s.parent for s in vae_ancestry(g, "anima-preview")][:2]
['qwen-image-vae', 'wan2.1-vae']
"""

from __future__ import annotations

from collections import deque
from dataclasses import asdict, dataclass, field
from typing import Any

import networkx as nx

from lineage.core.schema import COMPONENT_EDGES, DERIVATION_EDGES, VAE_EDGES, EdgeType

LINEAGE_EDGES: frozenset[str] = frozenset(e.value for e in DERIVATION_EDGES | set(COMPONENT_EDGES))
#: Edges along which a model inherits its parent's components when it names none of its own.
INHERIT_EDGES: tuple[str, ...] = (
    EdgeType.finetuned_from.value,
    EdgeType.resumed_from.value,
    EdgeType.distilled_from.value,
    EdgeType.successor_of.value,
)

#: Parts a model does not take over from its parent by default: a guardrail ships with the parent's
#: pipeline, not with fine-tuned weights.
NOT_INHERITED: frozenset[str] = frozenset({EdgeType.uses_guardrail.value})


@dataclass(frozen=True)
class Step:
    """One edge on a walk: ``child --type--> parent`` at ``depth`` (1 = a direct edge of the start node)."""

    child: str
    type: str
    parent: str
    depth: int
    sources: list[dict[str, Any]] = field(default_factory=list)
    disputed: bool = False
    dispute: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _walk(graph: nx.MultiDiGraph, start: str, types: frozenset[str], reverse: bool) -> list[Step]:
    steps: list[Step] = []
    seen_nodes = {start}
    queue: deque[tuple[str, int]] = deque([(start, 0)])
    while queue:
        here, depth = queue.popleft()
        edges = graph.in_edges(here, keys=True, data=True) if reverse else graph.out_edges(here, keys=True, data=True)
        for u, v, key, attrs in sorted(edges, key=lambda e: (e[2], e[0], e[1])):
            if key not in types:
                continue
            steps.append(Step(u, key, v, depth + 1, attrs.get("sources", []), attrs.get("disputed", False),
                              attrs.get("dispute")))
            nxt = u if reverse else v
            if nxt not in seen_nodes:
                seen_nodes.add(nxt)
                queue.append((nxt, depth + 1))
    return steps


def ancestors(graph: nx.MultiDiGraph, node_id: str, edge_types: frozenset[str] = LINEAGE_EDGES) -> list[Step]:
    """Every edge reachable from ``node_id`` towards its parents and parts, breadth first.

    >>> from lineage.core.graph import load_graph
    >>> g = load_graph()
    >>> ("anima-preview", "finetuned_from", "cosmos-predict2-2b-t2i") in {
    ...     (s.child, s.type, s.parent) for s in ancestors(g, "anima-preview")}
    True
    """
    return _walk(graph, node_id, edge_types, reverse=False)


def descendants(graph: nx.MultiDiGraph, node_id: str, edge_types: frozenset[str] = LINEAGE_EDGES) -> list[Step]:
    """Every edge reaching ``node_id`` from its children and users, breadth first.

    >>> from lineage.core.graph import load_graph
    >>> "anima-preview" in {s.child for s in descendants(load_graph(), "wan2.1-vae")}
    True
    """
    return _walk(graph, node_id, edge_types, reverse=True)


def members(graph: nx.MultiDiGraph, family_id: str) -> list[str]:
    """The releases of a family, oldest first (undated last), then by name.

    >>> from lineage.core.graph import load_graph
    >>> members(load_graph(), "anima")[:2]
    ['anima-preview', 'anima-preview-2']
    """
    found = {u for u, _, k in graph.in_edges(family_id, keys=True) if k == EdgeType.member_of.value}
    return sorted(found, key=lambda n: (graph.nodes[n].get("released") or "9999", graph.nodes[n]["name"]))


def family_walk(graph: nx.MultiDiGraph, family_id: str, reverse: bool = False) -> list[Step]:
    """A family's ancestors (or descendants): each member, then that member's own walk one level deeper.

    >>> from lineage.core.graph import load_graph
    >>> steps = family_walk(load_graph(), "anima", reverse=True)
    >>> (steps[0].child, steps[0].type, steps[0].parent)
    ('anima-preview', 'member_of', 'anima')
    """
    steps: list[Step] = []
    seen: set[tuple[str, str, str]] = set()
    for member in members(graph, family_id):
        attrs = graph.get_edge_data(member, family_id, EdgeType.member_of.value) or {}
        steps.append(Step(member, EdgeType.member_of.value, family_id, 1, attrs.get("sources", [])))
        for s in _walk(graph, member, LINEAGE_EDGES, reverse):
            if (s.child, s.type, s.parent) not in seen:
                seen.add((s.child, s.type, s.parent))
                steps.append(Step(s.child, s.type, s.parent, s.depth + 1, s.sources, s.disputed, s.dispute))
    return steps


def parents(graph: nx.MultiDiGraph, node_id: str) -> list[Step]:
    """Direct lineage edges out of ``node_id``."""
    return [s for s in ancestors(graph, node_id) if s.depth == 1]


def children(graph: nx.MultiDiGraph, node_id: str) -> list[Step]:
    """Direct lineage edges into ``node_id``."""
    return [s for s in descendants(graph, node_id) if s.depth == 1]


def _component_edges(graph: nx.MultiDiGraph, node_id: str, etype: str) -> list[tuple[str, dict[str, Any]]]:
    return [(v, a) for _, v, k, a in graph.out_edges(node_id, keys=True, data=True) if k == etype]


def find_component(
    graph: nx.MultiDiGraph, node_id: str, etype: str, _seen: frozenset[str] = frozenset()
) -> tuple[list[tuple[str, dict[str, Any]]], str | None]:
    """The parts ``node_id`` uses through ``etype``, looking up its parents when it names none.

    Returns the ``(part id, edge attributes)`` pairs and the id of the ancestor they were inherited
    from (``None`` when the node names them itself).
    """
    own = _component_edges(graph, node_id, etype)
    if own or etype in NOT_INHERITED:
        return own, None
    out = sorted(graph.out_edges(node_id, keys=True))  # once, not once per inherit edge type
    for key in INHERIT_EDGES:
        for _, parent, k in out:
            if k != key or parent in _seen:
                continue
            found, via = find_component(graph, parent, etype, _seen | {node_id})
            if found:
                return found, via or parent
    return [], None


@dataclass(frozen=True)
class ComponentRow:
    """One line of a component table: role, node, developer, licenses (like the source article's tables)."""

    role: str
    node: str
    name: str
    organization: str | None
    licenses: list[dict[str, str]]
    inherited_from: str | None = None
    derived_from: list[str] = field(default_factory=list)
    disputed: bool = False

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _license_refs(graph: nx.MultiDiGraph, node_id: str) -> list[dict[str, str]]:
    return [{"id": lic, "name": graph.nodes[lic]["name"]} for lic in graph.nodes[node_id].get("licenses", [])]


def _row(graph: nx.MultiDiGraph, role: str, part: str, **extra: Any) -> ComponentRow:
    attrs = graph.nodes[part]
    return ComponentRow(role, part, attrs["name"], attrs.get("organization_name"), _license_refs(graph, part), **extra)


def components(graph: nx.MultiDiGraph, node_id: str) -> list[ComponentRow]:
    """The parts a model needs to run, with developer and license.

    A model that names no separate denoiser *is* its denoiser: that row shows the model's own licenses and
    the models it was derived from.

    >>> from lineage.core.graph import load_graph
    >>> rows = {r.role: r for r in components(load_graph(), "anima-preview")}
    >>> rows["text encoder"].node, rows["VAE"].node
    ('qwen3-0.6b-base', 'qwen-image-vae')
    """
    rows: list[ComponentRow] = []
    order = [EdgeType.uses_text_encoder, EdgeType.uses_denoiser, EdgeType.uses_vae, EdgeType.uses_adapter,
             EdgeType.uses_tokenizer, EdgeType.uses_guardrail]
    for etype in order:
        found, via = find_component(graph, node_id, etype.value)
        for part, attrs in found:
            rows.append(_row(graph, COMPONENT_EDGES[etype], part, inherited_from=via,
                             disputed=attrs.get("disputed", False)))
        if etype == EdgeType.uses_denoiser and not found and graph.nodes[node_id]["kind"] in {"model", "denoiser"}:
            derived = [
                v for _, v, k in graph.out_edges(node_id, keys=True)
                if k in {e.value for e in DERIVATION_EDGES}
            ]
            rows.append(_row(graph, "denoiser", node_id, derived_from=sorted(set(derived))))
    return rows


def vae_ancestry(graph: nx.MultiDiGraph, node_id: str) -> list[Step]:
    """The chain from a model to its VAE and that VAE's ancestors (reused, fine-tuned, architecture).

    For a VAE node the walk starts at the node itself.
    """
    vae_types = frozenset(e.value for e in VAE_EDGES)
    if graph.nodes[node_id]["kind"] == "vae":
        return _walk(graph, node_id, vae_types - {EdgeType.uses_vae.value}, reverse=False)
    found, via = find_component(graph, node_id, EdgeType.uses_vae.value)
    steps = []
    holder = via or node_id
    for vae, attrs in found:
        steps.append(Step(holder, EdgeType.uses_vae.value, vae, 1, attrs.get("sources", []),
                          attrs.get("disputed", False), attrs.get("dispute")))
        for s in _walk(graph, vae, vae_types - {EdgeType.uses_vae.value}, reverse=False):
            steps.append(Step(s.child, s.type, s.parent, s.depth + 1, s.sources, s.disputed, s.dispute))
    return steps


@dataclass(frozen=True)
class Release:
    """A dated node for the timeline; ``dates`` lists every claimed date when they disagree."""

    organization: str
    organization_name: str
    node: str
    name: str
    kind: str
    released: str
    disputed: bool
    dates: list[str]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def timeline(graph: nx.MultiDiGraph, kinds: set[str] | None = None) -> list[Release]:
    """Dated releases per organization, oldest first: the fact's value, or the first claimed date when disputed.

    >>> from lineage.core.graph import load_graph
    >>> rows = [r for r in timeline(load_graph()) if r.node == "anima-preview"]
    >>> rows[0].organization
    'circlestone-labs'
    """
    rows = []
    for node_id, attrs in graph.nodes(data=True):
        if attrs["kind"] == "license" or (kinds and attrs["kind"] not in kinds):
            continue
        record = attrs["record"]
        if record.released is None:
            continue
        dates = [v for v in record.released.values if isinstance(v, str)]
        if not dates:
            continue
        value = record.released.value
        shown = value if isinstance(value, str) else dates[0]
        rows.append(Release(attrs.get("organization") or "unknown", attrs.get("organization_name") or "Unknown",
                            node_id, attrs["name"], attrs["kind"], shown, record.released.disputed, dates))
    return sorted(rows, key=lambda r: (r.released, r.organization, r.node))
