"""Human-readable text for the CLI: short, plain, every claim with its source."""

from __future__ import annotations

from typing import Any

import networkx as nx

from lineage.describe import discrepancies
from lineage.queries import ComponentRow, Step
from lineage.reasoner import DISCLAIMER, USE_LABELS, Answer
from lineage.whatif import WhatIf


def _source(claim: dict[str, Any]) -> str:
    """A claim's source by its title and link (never a file path), its status and where in it."""
    url, title = claim.get("url"), claim.get("title")
    named = f"{title} <{url}>" if title and url else (url or title or claim["source"])
    where = (claim.get("quote") and f'"{claim["quote"]}"') or claim.get("locator", "")
    return f"{named} [{claim.get('status', 'primary')}] {where}".strip()


def format_node(data: dict[str, Any]) -> str:
    """The text of ``lineage show``."""
    if data["kind"] == "license":
        lines = [f"{data['name']} ({data['id']}) - license, version {data.get('version', '?')}",
                 f"  url: {data.get('url', '?')}"]
        for use, term in data.get("terms", {}).items():
            lines.append(f"  {use:18} {term['verdict']}")
        lines.append(f"  used by: {', '.join(data['used_by']) or '-'}")
        return "\n".join(lines)
    org = data["organization"]["name"] if data["organization"] else "unknown"
    released = data["released"] or ("disputed" if any(d["fact"] == "released" for d in data["disputed"]) else "unknown")
    lines = [f"{data['name']} ({data['id']}) - {data['kind']} by {org}, released {released}"]
    if data["aliases"]:
        lines.append(f"  aliases: {', '.join(data['aliases'])}")
    for claim in data["released_claims"]:
        lines.append(f"  released {claim.get('value')}: {_source(claim)}")
    if data["parameters"]:
        lines.append(f"  parameters: {data['parameters']:,}")
    for lic in data["licenses"]:
        dispute = f" (disputed: {lic['dispute']})" if lic.get("dispute") else ""
        lines.append(f"  license: {lic['name']} ({lic['id']}){dispute}")
    for step in data["parents"]:
        lines.append(f"  {step['type']} -> {step['parent']}{' (disputed)' if step['disputed'] else ''}")
    for step in data["children"]:
        lines.append(f"  <- {step['child']} ({step['type']})")
    for f in data["files"]:
        lines.append(f"  file: {f['name']} sha256={f.get('sha256', 'unknown')}")
    for item in data["disputed"]:
        lines.append(f"  DISPUTED {item['fact']}: {len(item['claims'])} conflicting claims")
    for item in data.get("discrepancies", []):
        lines.append(f"  discrepancy in {item['fact']}: {item['text']}")
    for claim in data["sources"]:
        lines.append(f"  source: {_source(claim)}")
    return "\n".join(lines)


def format_steps(graph: nx.MultiDiGraph, start: str, steps: list[Step]) -> str:
    """The text of ``lineage trace``: one indented line per edge, with its first source."""
    lines = [f"{graph.nodes[start]['name']} ({start})"]
    for s in steps:
        src = _source(s.sources[0]) if s.sources else "no source"
        flag = " DISPUTED" if s.disputed else ""
        lines.append(f"{'  ' * s.depth}{s.child} --{s.type}--> {s.parent}{flag}   [{src}]")
    if not steps:
        lines.append("  (no recorded ancestors)")
    for node_id in dict.fromkeys([start, *(s.parent for s in steps), *(s.child for s in steps)]):
        for item in discrepancies(graph, node_id):
            if item["fact"] not in ("released", "parameters"):
                lines.append(f"  discrepancy ({node_id} {item['fact']}): {item['text']}")
    return "\n".join(lines)


def format_components(graph: nx.MultiDiGraph, node_id: str, rows: list[ComponentRow], chain: list[Step]) -> str:
    """The text of ``lineage components``: a table like the source article's, then the VAE ancestry."""
    header = f"{'Component':14} {'Developer':22} {'Model':38} License"
    lines = [f"{graph.nodes[node_id]['name']} ({node_id})", header, "-" * len(header)]
    for r in rows:
        model = r.name + (f" (from {r.inherited_from})" if r.inherited_from else "")
        if r.derived_from:
            model += f" (derived from {', '.join(r.derived_from)})"
        licenses = " + ".join(lic["name"] for lic in r.licenses) or "unknown"
        lines.append(f"{r.role:14} {(r.organization or 'unknown'):22} {model:38} {licenses}")
    if chain:
        lines.append("VAE ancestry: " + " ; ".join(f"{s.child} --{s.type}--> {s.parent}" for s in chain))
    return "\n".join(lines)


def format_answer(answer: Answer) -> str:
    """The text of ``lineage can-i NAME USE``: verdict, conditions, obligations, deciding clauses."""
    lines = [f"Can I {USE_LABELS[answer.use]} with {answer.model_name}? -> {answer.verdict.upper()}"]
    for note in answer.notes:
        lines.append(f"  note: {note}")
    for c in answer.conditions:
        lines.append(f"  condition: {c}")
    for o in answer.obligations:
        lines.append(f"  obligation: {o}")
    lines.append("  why:")
    for r in answer.reasons:
        mark = "*" if r.decisive else "-"
        path = " -> ".join(r.path)
        side = f", this clause supports {r.supports}" if r.supports else ""
        lines.append(f"   {mark} {r.license_name} says {r.verdict} ({r.how} via {path}{side})")
        lines.append(f"       \"{r.clause}\" {r.locator or ''} {r.url or ''} [{r.status}]".rstrip())
    lines.append(f"  {DISCLAIMER}")
    return "\n".join(lines)


def format_table(table: dict[str, Answer]) -> str:
    """The text of ``lineage can-i NAME``: one line per use."""
    first = next(iter(table.values()))
    lines = [f"{first.model_name} ({first.model})"]
    lines += [f"  {use:18} {a.verdict:12} decided by {', '.join(a.deciding) or '-'}" for use, a in table.items()]
    lines += [f"  note: {n}" for n in first.notes]
    lines.append(f"  {DISCLAIMER}")
    return "\n".join(lines)


def format_what_if(graph: nx.MultiDiGraph, result: WhatIf) -> str:
    """The text of ``lineage what-if``: both verdict columns and what changed."""
    swaps = ", ".join(f"{role}={other}" for role, other in result.swaps.items())
    lines = [f"{graph.nodes[result.model]['name']} with {swaps}", f"  {'use':18} {'now':12} what-if"]
    for use in result.before:
        lines.append(f"  {use:18} {result.before[use]['verdict']:12} {result.after[use]['verdict']}")
    if result.removed_licenses:
        lines.append(f"  removed with the old parent: {', '.join(result.removed_licenses)}")
    if result.licenses_gone:
        lines.append(f"  licenses no longer reached: {', '.join(result.licenses_gone)}")
    if result.licenses_new:
        lines.append(f"  licenses newly reached: {', '.join(result.licenses_new)}")
    verdicts = [c["use"] for c in result.changes if c["verdict_changed"]]
    lines.append(f"  verdict changes: {', '.join(verdicts)}" if verdicts else "  No verdict changes.")
    for c in result.changes:
        for o in c["obligations_gone"]:
            lines.append(f"  {c['use']}: obligation gone: {o}")
        for o in c["obligations_new"]:
            lines.append(f"  {c['use']}: new obligation: {o}")
    return "\n".join(lines)
