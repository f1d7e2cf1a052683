"""Build the networkx graph from validated records.

Nodes are model releases, families, components and licenses (``kind == "license"``). Edges point from the
child or user to the parent or used part, keyed by their type, and carry their sources.

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

from lineage.load import load_dataset
from lineage.schema import _REPO_REF_RE, Claim, Dataset, EdgeType, Fact


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
    """``{"value", "disputed", "claims"}`` for a fact; value is None when unknown or disputed."""
    if fact is None:
        return {"value": None, "disputed": False, "claims": []}
    return {
        "value": fact.value,
        "disputed": fact.disputed,
        "claims": [claim_dict(c, registry) for c in fact.claims],
    }


def build_graph(dataset: Dataset) -> nx.MultiDiGraph:
    """Turn a validated :class:`Dataset` into a ``MultiDiGraph`` (edge key = edge type)."""
    registry = {s.id: s for s in dataset.sources}
    orgs = {o.id: o for o in dataset.organizations}
    graph = nx.MultiDiGraph(sources=registry, organizations=orgs)
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
            licenses=[a.id for a in node.licenses],
            record=node,
        )
        for assignment in node.licenses:
            graph.add_edge(
                node.id, assignment.id, key=EdgeType.licensed_under.value, type=EdgeType.licensed_under.value,
                scope=assignment.scope, dispute=assignment.dispute,
                sources=[claim_dict(c, registry) for c in assignment.sources],
            )
        if node.family:
            graph.add_edge(node.id, node.family, key=EdgeType.member_of.value, type=EdgeType.member_of.value,
                           dispute=None, sources=[claim_dict(c, registry) for c in node.sources[:1]])
    groups = Counter(e.dispute for e in dataset.edges if e.dispute)
    groups.update(a.dispute for n in dataset.nodes for a in n.licenses if a.dispute)
    for edge in dataset.edges:
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
