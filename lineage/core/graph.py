"""Build the networkx graph from validated records.

Nodes are model releases, families, components and licenses (``kind == "license"``). Edges point from the
child or user to the parent or used part, keyed by their type, and carry their sources. In a ``dispute``
group where one alternative alone has a primary source, the others are left out of the graph and kept on
their node as ``discrepant`` (shown, never followed); otherwise the alternatives stay and are ``disputed``.

>>> g = load_graph()
>>> g.nodes["anima-preview"]["kind"], "circlestone-nc-1.0" in g.nodes["anima-preview"]["licenses"]
('model', True)
>>> sorted(k for _, _, k in g.out_edges("anima-preview", keys=True))[:3]
['finetuned_from', 'licensed_under', 'licensed_under']
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import networkx as nx

from lineage.core.load import load_dataset
from lineage.core.schema import _REPO_REF_RE, Claim, Dataset, EdgeType, Fact, settle


def ref_url(ref: str | None) -> str | None:
    """Where a source reference can be read: a URL as is, ``owner/repo:path@commit`` as a GitHub permalink.

    >>> ref_url("org/repo:docs/a.md@abc1234")
    'https://github.com/org/repo/blob/abc1234/docs/a.md'
    >>> ref_url("shared/sources/article.txt") is None
    True
    """
    if not ref:
        return None
    if ref.startswith(("http://", "https://")):
        return ref
    match = _REPO_REF_RE.match(ref)
    if not match:
        return None
    repo, _, rest = ref.partition(":")
    path, _, commit = rest.rpartition("@")
    return f"https://github.com/{repo}/blob/{commit}/{path}"


def claim_dict(claim: Claim, registry: dict[str, Any] | None = None) -> dict[str, Any]:
    """A claim as plain data, with the registry source's reference, title and a readable URL filled in."""
    out = claim.model_dump(mode="json", exclude_none=True)
    if registry and claim.source in registry:
        src = registry[claim.source]
        out["ref"] = src.ref
        out["title"] = src.title
    url = ref_url(out.get("ref")) or ref_url(claim.source)
    if url:
        out["url"] = url
    return out


def fact_summary(fact: Fact | None, registry: dict[str, Any]) -> dict[str, Any]:
    """``{"value", "disputed", "claims", "discrepancies"}`` for a fact; value is None when unknown or disputed.

    ``discrepancies`` are the claims that disagree with an agreed primary value (see :class:`Fact`).
    """
    if fact is None:
        return {"value": None, "disputed": False, "claims": [], "discrepancies": []}
    return {
        "value": fact.value,
        "disputed": fact.disputed,
        "claims": [claim_dict(c, registry) for c in fact.claims],
        "discrepancies": [claim_dict(c, registry) for c in fact.discrepancies],
    }


def _settle_groups(dataset: Dataset) -> tuple[set[int], set[tuple[str, int]], dict[str, list[dict[str, Any]]]]:
    """Settle every ``dispute`` group of edges and license assignments.

    Returns the indices of edges and the ``(node, assignment index)`` pairs that lose to a primary
    alternative (they are kept out of the graph), and per node the discrepancies they become.
    """
    members: dict[str, list[tuple[str, Any, Any]]] = {}
    for i, edge in enumerate(dataset.edges):
        if edge.dispute:
            members.setdefault(edge.dispute, []).append(("edge", i, edge))
    for node in dataset.nodes:
        for j, assignment in enumerate(node.licenses):
            if assignment.dispute:
                members.setdefault(assignment.dispute, []).append(("license", (node.id, j), assignment))
    lost_edges: set[int] = set()
    lost_licenses: set[tuple[str, int]] = set()
    notes: dict[str, list[dict[str, Any]]] = {}
    for group, items in members.items():
        chosen, losers = settle([list(item[2].sources) for item in items])
        if chosen is None:
            continue
        kind, _, winner = items[chosen]
        for index in losers:
            kind, where, record = items[index]
            if kind == "edge":
                lost_edges.add(where)
                owner, fact = record.source, f"{record.type.value} (group {group})"
                value, chosen_value = record.target, winner.target
            else:
                lost_licenses.add(where)
                owner, fact, value, chosen_value = where[0], f"license (group {group})", record.id, winner.id
            notes.setdefault(owner, []).append(
                {"fact": fact, "value": value, "chosen": chosen_value, "claims": list(record.sources)})
    return lost_edges, lost_licenses, notes


def build_graph(dataset: Dataset) -> nx.MultiDiGraph:
    """Turn a validated :class:`Dataset` into a ``MultiDiGraph`` (edge key = edge type)."""
    registry = {s.id: s for s in dataset.sources}
    orgs = {o.id: o for o in dataset.organizations}
    graph = nx.MultiDiGraph(sources=registry, organizations=orgs)
    lost_edges, lost_licenses, notes = _settle_groups(dataset)
    for lic in dataset.licenses:
        graph.add_node(
            lic.id, kind="license", name=lic.name, aliases=list(lic.aliases), record=lic,
            released=lic.date, organization=None, organization_name=None, licenses=[],
        )
    for node in dataset.nodes:
        released = fact_summary(node.released, registry)
        org = orgs.get(node.organization) if node.organization else None
        graph.add_node(
            node.id,
            kind=node.kind.value,
            name=node.name,
            aliases=list(node.aliases),
            organization=node.organization,
            organization_name=org.name if org else None,
            family=node.family,
            released=released["value"],
            released_disputed=released["disputed"],
            licenses=[a.id for j, a in enumerate(node.licenses) if (node.id, j) not in lost_licenses],
            record=node,
            discrepant=[{**n, "claims": [claim_dict(c, registry) for c in n["claims"]]}
                        for n in notes.get(node.id, [])],
        )
        for j, assignment in enumerate(node.licenses):
            if (node.id, j) in lost_licenses:
                continue
            graph.add_edge(
                node.id, assignment.id, key=EdgeType.licensed_under.value, type=EdgeType.licensed_under.value,
                scope=assignment.scope, dispute=assignment.dispute,
                sources=[claim_dict(c, registry) for c in assignment.sources],
            )
        if node.family:
            graph.add_edge(node.id, node.family, key=EdgeType.member_of.value, type=EdgeType.member_of.value,
                           dispute=None, sources=[claim_dict(c, registry) for c in node.sources[:1]])
    groups = Counter(e.dispute for i, e in enumerate(dataset.edges) if e.dispute and i not in lost_edges)
    groups.update(a.dispute for n in dataset.nodes for j, a in enumerate(n.licenses)
                  if a.dispute and (n.id, j) not in lost_licenses)
    for i, edge in enumerate(dataset.edges):
        if i in lost_edges:
            continue
        graph.add_edge(
            edge.source, edge.target, key=edge.type.value, type=edge.type.value, dispute=edge.dispute,
            date=edge.date, note=edge.note, optional=edge.optional,
            sources=[claim_dict(c, registry) for c in edge.sources],
        )
    for _, _, attrs in graph.edges(data=True):
        attrs["disputed"] = bool(attrs.get("dispute")) and groups[attrs["dispute"]] > 1
    return graph


def load_graph(path: Path | str | None = None) -> nx.MultiDiGraph:
    """Load and validate the data at ``path`` (default: the shipped data) and build its graph."""
    return build_graph(load_dataset(path))
