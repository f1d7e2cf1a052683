"""Human-readable text for the CLI: short, plain, every claim with its source."""

from __future__ import annotations

from typing import Any

import networkx as nx

from lineage.answers.combination import CombinationAnswer
from lineage.answers.evidence import legend
from lineage.answers.reasoner import DISCLAIMER, USE_LABELS, Answer, Reason
from lineage.answers.whatif import WhatIf
from lineage.core.describe import discrepancies
from lineage.core.queries import ComponentRow, Step


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
        scope = data.get("scope") or {}
        if scope.get("outputs"):
            covers = "only what this model returns" if scope.get("outputs_of") == "model" else "anything made using it"
            lines.append(f"  outputs (covers {covers}): {scope['outputs']}")
        if scope.get("derivatives"):
            lines.append(f"  derivatives: {scope['derivatives']}")
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
    for m in data.get("members", []):
        lines.append(f"  member: {m['name']} ({m['id']}), released {m['released'] or 'unknown'}, "
                     f"license: {', '.join(m['licenses']) or 'unknown'}")
    for f in data["files"]:
        lines.append(f"  file: {f['name']} sha256={f.get('sha256', 'unknown')}")
    for item in data["disputed"]:
        lines.append(f"  DISPUTED {item['fact']}: {len(item['claims'])} conflicting claims")
    for item in data.get("discrepancies", []):
        lines.append(f"  discrepancy in {item['fact']}: {item['text']}")
    for claim in data["sources"]:
        lines.append(f"  source: {_source(claim)}")
    return "\n".join(lines)


def format_steps(graph: nx.MultiDiGraph, start: str, steps: list[Step], walk: str = "ancestors") -> str:
    """The text of ``lineage trace``: one indented line per edge, with its first source."""
    lines = [f"{graph.nodes[start]['name']} ({start})"]
    for s in steps:
        src = _source(s.sources[0]) if s.sources else "no source"
        flag = " DISPUTED" if s.disputed else ""
        lines.append(f"{'  ' * s.depth}{s.child} --{s.type}--> {s.parent}{flag}   [{src}]")
    if not steps:
        lines.append(f"  (no recorded {walk})")
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


def format_family_components(graph: nx.MultiDiGraph, family_id: str,
                             parts: list[tuple[str, list[ComponentRow], list[Step]]]) -> str:
    """The text of ``lineage components FAMILY``: the family's releases, each with its component table."""
    lines = [f"{graph.nodes[family_id]['name']} ({family_id}) is a family of {len(parts)} release(s)."]
    for member, rows, chain in parts:
        lines += ["", format_components(graph, member, rows, chain)]
    if not parts:
        lines.append("  (no recorded releases)")
    return "\n".join(lines)


def _where(r: Reason) -> str:
    """Where a license attaches, in words: the model itself, an ancestor, or a part."""
    if r.how == "own":
        return "the model itself"
    if r.how == "flow-down":
        return f"flows down from {r.origin_name}"
    where = f"{r.role} {r.part_name}"
    return where if r.origin_name == r.part_name else f"{where}, from {r.origin_name}"


def _status(clause: dict[str, Any]) -> str:
    if clause["status"] == "assumed":
        return f"[assumed from {clause.get('assumed_from') or 'another version'}]"
    return f"[{clause['status']}]"


def _reason_lines(reasons: list[Reason]) -> tuple[list[str], list[str]]:
    """One line per license and verdict (its parts merged), its clauses, and the markers used."""
    groups: dict[tuple, list[Reason]] = {}
    for r in reasons:
        groups.setdefault((r.license, r.verdict, r.decisive, r.clause, tuple(r.scenario)), []).append(r)
    lines: list[str] = []
    statuses: list[str] = []
    for (_, verdict, decisive, _, scenario), rs in groups.items():
        r = rs[0]
        where = "; ".join(dict.fromkeys(_where(x) for x in rs))
        side = f", if {', '.join(scenario)}" if scenario else ""
        lines.append(f"   {'*' if decisive else '-'} {r.license_name} says {verdict} ({where}{side})")
        if r.inferred_from:
            lines.append(f"       inferred from its {r.inferred_from} clause:")
            statuses.append("inferred")
        shown = r.clauses if decisive else r.clauses[:1]
        for c in shown or [{"quote": r.clause, "locator": None, "url": r.url, "status": "none"}]:
            statuses.append(c["status"])
            body = " ".join(x for x in (f'"{c["quote"]}"', c["locator"], c["url"], _status(c)) if x)
            lines.append(f"       {body}")
        if decisive and r.note:
            lines.append(f"       note: {r.note}")
    return lines, statuses


def format_answer(answer: Answer) -> str:
    """The text of ``lineage can-i NAME USE``: verdict, what it rests on, conditions, obligations, reasons."""
    question = answer.question or f"Can I {USE_LABELS[answer.use]} with {answer.model_name}?"
    lines = [f"{question} -> {answer.verdict.upper()}"]
    if answer.rests_on:
        lines.append(f"  {answer.rests_on}")
    for m in answer.members:
        lines.append(f"  {m['name']:32} {m['verdict']:12} {' + '.join(m['licenses']) or 'no recorded license'}")
    for note in answer.notes[1:] if answer.members else answer.notes:  # a family's first note repeats the table
        lines.append(f"  note: {note}")
    for c in answer.conditions:
        lines.append(f"  condition: {c}")
    for o in answer.obligations:
        lines.append(f"  obligation: {o}")
    for opt in answer.optional:
        lines.append(f"  {opt['text']}")
    untouched: dict[str, list[str]] = {}
    for p in answer.scope:
        if not p["touched"]:
            untouched.setdefault(p["why_not"] or "", []).append(f"{p['role']} {p['name']}")
    for why, parts in untouched.items():
        lines.append(f"  not touched by this use ({why}): {'; '.join(parts)}")
    if answer.reasons:
        lines.append("  why:")
        reason_lines, statuses = _reason_lines(answer.reasons)
        lines += reason_lines
        lines.append("  markers: * decided the verdict; " + "; ".join(legend(statuses)))
    for alt in answer.alternatives:
        lines.append(f"  alternative: {alt['text']}, and answers yes")
    lines.append(f"  {DISCLAIMER}")
    return "\n".join(lines)


def format_table(table: dict[str, Answer]) -> str:
    """The text of ``lineage can-i NAME``: one line per use (per release for a family)."""
    first = next(iter(table.values()))
    lines = [f"{first.model_name} ({first.model})"]
    for use, a in table.items():
        if a.members:
            detail = ", ".join(f"{m['label']} {m['verdict']}" for m in a.members) if a.verdict == "depends" \
                else "every release" + (f"  [some rest on: {a.rests_on_status}]" if a.rests_on_status else "")
            lines.append(f"  {use:18} {a.verdict:12} {detail}")
            continue
        rests = f"  [rests on: {a.rests_on_status}]" if a.rests_on_status else ""
        lines.append(f"  {use:18} {a.verdict:12} decided by {', '.join(a.deciding) or '-'}{rests}")
    notes = [n for a in table.values() if not a.members for n in a.notes]
    notes += [f"{use}: {o['text']}" for use, a in table.items() for o in a.optional]
    lines += [f"  note: {n}" for n in dict.fromkeys(notes)]
    if first.members:
        lines.append(f"  {first.model_name} is a family; ask about one release for the reasons.")
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
    verdicts = [c["use"] for c in result.changes]
    lines.append(f"  verdict changes: {', '.join(verdicts)}" if verdicts else "  No verdict changes.")
    for c in result.obligation_changes:
        for o in c["obligations_gone"]:
            lines.append(f"  {c['use']}: obligation gone: {o}")
        for o in c["obligations_new"]:
            lines.append(f"  {c['use']}: new obligation: {o}")
    lines.append("  Hypothetical: the swapped-in part is asserted for this scenario; its licenses apply in full.")
    return "\n".join(lines)


def format_combination(answer: CombinationAnswer) -> str:
    """The text of ``lineage can-i NAME --with OTHER USE``: the combined verdict, then each part's own."""
    lines = [f"{answer.question} -> {answer.verdict.upper()}",
             "  the most restrictive verdict over the parts:"]
    for p in answer.parts:
        label = f"{p.name} ({p.node})" if p.node else p.given
        lines.append(f"   {'*' if p.verdict == answer.verdict else '-'} {label}: {p.verdict}"
                     + (f" (identified by {p.identified_by})" if p.identified_by != "name" else ""))
        decisive = [r for r in (p.answer or {}).get("reasons", []) if r["decisive"]]
        for r in list({r["license"]: r for r in decisive}.values())[:3]:
            lines.append(f"       {r['license_name']} says {r['verdict']}: \"{r['clause']}\" [{r['status']}]")
        for member in (p.answer or {}).get("members", []):
            lines.append(f"       {member['name']}: {member['verdict']}")
        lines += [f"       note: {n}" for n in p.notes]
        if p.answer and p.answer.get("rests_on"):
            lines.append(f"       {p.answer['rests_on']}")
    lines.append(f"  {DISCLAIMER}")
    return "\n".join(lines)
