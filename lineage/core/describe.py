"""Plain-data views of nodes and edges, shared by the CLI's JSON, the exports and the app.

>>> from lineage.core.graph import load_graph
>>> d = describe_node(load_graph(), "anima-preview")
>>> d["id"], d["kind"], d["organization"]["id"]
('anima-preview', 'model', 'circlestone-labs')
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from lineage.core.graph import claim_dict, fact_summary
from lineage.core.queries import children, parents
from lineage.core.queries import members as family_members


def _org(graph: nx.MultiDiGraph, org_id: str | None) -> dict[str, Any] | None:
    if not org_id:
        return None
    org = graph.graph["organizations"][org_id]
    return {"id": org.id, "name": org.name, "url": org.url}


def describe_license(graph: nx.MultiDiGraph, license_id: str) -> dict[str, Any]:
    """A license record as plain data, with its sources resolved."""
    record = graph.nodes[license_id]["record"]
    out = record.model_dump(mode="json", exclude_none=True)
    out["kind"] = "license"
    out["sources"] = [claim_dict(c, graph.graph["sources"]) for c in record.sources]
    out["used_by"] = sorted(u for u, _, k in graph.in_edges(license_id, keys=True) if k == "licensed_under")
    return out


def source_label(claim: dict[str, Any]) -> str:
    """How a claim's source is named to a user: the registry title, else its link (never a file path).

    >>> source_label({"source": "x", "title": "Wan2.2 README", "url": "https://github.com/a/b"})
    'Wan2.2 README'
    >>> source_label({"source": "https://example.org/post", "url": "https://example.org/post"})
    'https://example.org/post'
    """
    return claim.get("title") or claim.get("url") or claim["source"]


def _says(claims: list[dict[str, Any]], value: Any) -> str:
    names = list(dict.fromkeys(source_label(c) for c in claims))
    return f"{' and '.join(names) or 'the data'} say{'s' if len(names) < 2 else ''} {value}"


def discrepancies(graph: nx.MultiDiGraph, node_id: str) -> list[dict[str, Any]]:
    """Facts of a node where a secondary source disagrees with agreeing primary ones.

    Each item: ``fact``, ``value`` (what stands), ``claims`` (the disagreeing claims) and ``text``, e.g.
    "the article says 2025-08-07; the Wan2.2 README says 2025-07-28".

    >>> from lineage.core.graph import load_graph
    >>> [d["fact"] for d in discrepancies(load_graph(), "wan2.1-vae")]
    ['vae_arch_derived_from (group wan-vae-origin)']
    """
    attrs = graph.nodes[node_id]
    record = attrs["record"]
    registry = graph.graph["sources"]
    out: list[dict[str, Any]] = []
    for name in ("released", "parameters"):
        summary = fact_summary(getattr(record, name, None), registry)
        if not summary["discrepancies"]:
            continue
        agreeing = [c for c in summary["claims"] if c.get("status", "primary") == "primary"]
        parts = [_says([c], c.get("value")) for c in summary["discrepancies"]]
        out.append({"fact": name, "value": summary["value"], "claims": summary["discrepancies"],
                    "text": "; ".join([*parts, _says(agreeing, summary["value"])])})
    for item in attrs.get("discrepant", []):
        chosen = [s for _, v, _k, e in graph.out_edges(node_id, keys=True, data=True)
                  if v == item["chosen"] for s in e.get("sources", [])]
        text = f"{_says(item['claims'], item['value'])}; {_says(chosen, item['chosen'])}"
        out.append({"fact": item["fact"], "value": item["chosen"], "claims": item["claims"], "text": text})
    return out


def describe_node(graph: nx.MultiDiGraph, node_id: str) -> dict[str, Any]:
    """Everything known about a node, each fact with its claims.

    ``disputed`` lists the disputed facts; ``discrepancies`` the facts whose primary value a secondary
    source contradicts (see :func:`discrepancies`).
    """
    attrs = graph.nodes[node_id]
    if attrs["kind"] == "license":
        return describe_license(graph, node_id)
    record = attrs["record"]
    registry = graph.graph["sources"]
    released = fact_summary(record.released, registry)
    parameters = fact_summary(record.parameters, registry)
    licenses = []
    for a in record.licenses:
        licenses.append({
            "id": a.id, "name": graph.nodes[a.id]["name"], "scope": a.scope, "dispute": a.dispute,
            "sources": [claim_dict(c, registry) for c in a.sources],
        })
    disputed: list[dict[str, Any]] = []
    for name, fact in (("released", released), ("parameters", parameters)):
        if fact["disputed"]:
            disputed.append({"fact": name, "claims": fact["claims"]})
    groups: dict[str, list[dict[str, Any]]] = {}
    for _, v, k, e in graph.out_edges(node_id, keys=True, data=True):
        if e.get("disputed"):
            groups.setdefault(e["dispute"], []).append({"type": k, "target": v, "sources": e["sources"]})
    disputed += [{"fact": f"edge group {g}", "claims": items} for g, items in sorted(groups.items())]
    members = [{"id": m, "name": graph.nodes[m]["name"], "released": graph.nodes[m].get("released"),
                "licenses": list(graph.nodes[m].get("licenses", []))} for m in family_members(graph, node_id)]
    return {
        "id": node_id,
        "name": attrs["name"],
        "kind": attrs["kind"],
        "members": members,
        "aliases": list(record.aliases),
        "organization": _org(graph, attrs.get("organization")),
        "family": record.family,
        "released": released["value"],
        "released_claims": released["claims"],
        "parameters": parameters["value"],
        "parameters_claims": parameters["claims"],
        "licenses": licenses,
        "files": [f.model_dump(mode="json", exclude_none=True) for f in record.files],
        "file_patterns": list(record.file_patterns),
        "architecture": record.architecture,
        "description": record.description,
        "sources": [claim_dict(c, registry) for c in record.sources],
        "parents": [s.to_dict() for s in parents(graph, node_id)],
        "children": [s.to_dict() for s in children(graph, node_id)],
        "disputed": disputed,
        "discrepancies": discrepancies(graph, node_id),
    }
