"""The license reasoner: "can I use model X for Y?" with a verdict that explains itself.

The licenses that reach a model and the verdict they give come from :mod:`lineage.answers.core` (which
parts a use touches: :mod:`lineage.answers.scope`). This module assembles the answer a person reads: the
verdict; what it rests on, in one plain line, when that is not the license text; one reason per license and
part with the clauses and their status; conditions; obligations where the verdict lets you act; what an
optional part (a guardrail) adds; plain-English notes where they change something; and, for ``no`` or
``conditional``, up to three related releases for which the use is ``yes``. A family answers for each of its
releases (:mod:`lineage.answers.family`).

>>> from lineage.core.graph import load_graph
>>> g = load_graph()
>>> can_i(g, "anima-preview", "commercial-use").verdict
'no'
>>> can_i(g, "flux1-schnell", "commercial-use").verdict
'yes'
>>> can_i(g, "flux1", "commercial-use").verdict
'depends'
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import networkx as nx

from lineage.answers.alternatives import alternatives
from lineage.answers.core import RANK as _RANK
from lineage.answers.core import Attachment, Evaluation, attachments, evaluate, license_record, term_for
from lineage.answers.evidence import (
    clause_dict,
    clause_status,
    license_name,
    rests_on_line,
    skipped_note,
    strongest,
    weakest,
)
from lineage.answers.family import DEPENDS, family_answer, is_family
from lineage.answers.scope import USE_KINDS, WHY_NOT, role_touched
from lineage.core.graph import ref_url
from lineage.core.problems import LineageError
from lineage.core.resolve import normalise
from lineage.core.schema import COMPONENT_EDGES, USES

DISCLAIMER = (
    "Not legal advice. This answer summarises the license texts and sources recorded in the data; "
    "read the licenses themselves and ask a lawyer before relying on it."
)
#: Verdicts from most to least permissive; a combination takes the highest rank.
RANK: dict[str, int] = {**{v: r for v, r in _RANK.items() if r < _RANK["disputed"]},
                        DEPENDS: _RANK["disputed"], "disputed": _RANK["disputed"] + 1, "no": _RANK["no"] + 1}


def most_restrictive(verdicts: list[str]) -> str:
    """The most restrictive verdict (``no`` > ``disputed`` > ``depends`` > ``unknown`` > ``conditional`` > ``yes``);
    ``unknown`` for no verdicts and for a verdict this module does not know (fail closed).

    >>> most_restrictive(["yes", "conditional"]), most_restrictive(["yes", "unknown"]), most_restrictive([])
    ('conditional', 'unknown', 'unknown')
    """
    return max(verdicts, key=lambda v: RANK.get(v, RANK["unknown"])) if verdicts else "unknown"


USE_LABELS: dict[str, str] = {
    "commercial-use": "use the model itself in a commercial activity",
    "paid-service": "offer the model as a paid hosted service or API",
    "sell-outputs": "sell or commercially use the images it generates",
    "train-on-outputs": "use its outputs to train, fine-tune or distill another model",
    "make-derivatives": "fine-tune it or train a LoRA on it for yourself, without publishing",
    "share-derivatives": "publish fine-tunes, merges or LoRAs made from it",
    "sell-derivatives": "sell such derivatives or access to them",
    "no-attribution": "use and share it without crediting anyone",
}
#: The question as a person would ask it.
USE_QUESTIONS: dict[str, str] = {
    "commercial-use": "Can I use {name} for commercial work?",
    "paid-service": "Can I run {name} as a paid service or API?",
    "sell-outputs": "Can I sell the images I make with {name}?",
    "train-on-outputs": "Can I train another model on images made with {name}?",
    "make-derivatives": "Can I fine-tune {name} or train a LoRA on it for myself?",
    "share-derivatives": "Can I publish a fine-tune, merge or LoRA of {name}?",
    "sell-derivatives": "Can I sell a fine-tune, merge or LoRA of {name}?",
    "no-attribution": "Can I use and share {name} without crediting anyone?",
}
ROLE_NAMES: dict[str, str] = {e.value: label for e, label in COMPONENT_EDGES.items()}
ACT_VERDICTS = frozenset({"yes", "conditional"})


class UnknownUse(LineageError):
    """The use is not one of :data:`lineage.core.schema.USES`."""

    def __init__(self, use: str):
        import difflib

        close = difflib.get_close_matches(use, USES, n=3, cutoff=0.4)
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        super().__init__(f"Unknown use {use!r}.{hint} The uses are: {', '.join(USES)}.")


@dataclass(frozen=True)
class Reason:
    """What one license says about the use, for one part: its clauses (each with its status) and the path.

    ``clause``/``locator``/``url``/``status`` describe the first clause; ``clauses`` lists them all.
    ``status`` is the strongest clause status, or ``inferred`` when the term is inferred from another use.
    """

    license: str
    license_name: str
    license_version: str | None
    path: list[str]
    edges: list[str]
    how: str
    verdict: str
    clause: str
    locator: str | None
    url: str | None
    status: str
    supports: str | None
    decisive: bool
    scenario: list[str] = field(default_factory=list)
    clauses: list[dict[str, Any]] = field(default_factory=list)
    role: str = "the model"
    part: str | None = None
    part_name: str | None = None
    origin_name: str | None = None  # the node whose license this is (the last node of ``path``)
    note: str | None = None
    inferred_from: str | None = None
    assumed_from: str | None = None
    hypothetical: bool = False

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Answer:
    """The reasoner's answer for one model (or family) and one use."""

    model: str
    model_name: str
    use: str
    verdict: str
    conditions: list[str]
    obligations: list[str]
    reasons: list[Reason]
    deciding: list[str]
    notes: list[str]
    disclaimer: str = DISCLAIMER
    rests_on: str | None = None
    rests_on_status: str | None = None  # e.g. "secondary", "inferred", "assumed from v1.0"
    question: str = ""
    scope: list[dict[str, Any]] = field(default_factory=list)
    optional: list[dict[str, Any]] = field(default_factory=list)
    alternatives: list[dict[str, Any]] = field(default_factory=list)
    members: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["use_label"] = USE_LABELS[self.use]
        return out


def _clause_url(graph: nx.MultiDiGraph, source: str | None, default: str | None) -> str | None:
    """A clause's source as a link where possible: registry ids become their ``ref``, repo refs GitHub URLs."""
    if not source:
        return default
    registry = graph.graph.get("sources", {})
    ref = registry[source].ref if source in registry else source
    return ref_url(ref) or ref


def _reason(graph: nx.MultiDiGraph, att: Attachment, use: str, decisive: bool, scenario: list[str]) -> Reason:
    lic = license_record(graph, att.license)
    term, inferred = term_for(lic, use)
    clauses = []
    for c in term.clauses:
        status, source = clause_status(lic, term, c)
        clauses.append(clause_dict(c.quote, c.locator, _clause_url(graph, c.source, lic.url), status, c.supports,
                                   source and license_name(graph, source)))
    first = clauses[0] if clauses else clause_dict(term.note or "no clause recorded", None, lic.url, "none",
                                                   None, None)
    status = "inferred" if inferred and clauses else strongest([c["status"] for c in clauses]) if clauses else "none"
    part = att.part or att.path[-1]
    return Reason(
        license=lic.id, license_name=lic.name, license_version=lic.version, path=list(att.path),
        edges=list(att.edges), how=att.how, verdict=term.verdict, clause=first["quote"], locator=first["locator"],
        url=first["url"], status=status, supports=first["supports"], decisive=decisive, scenario=scenario,
        clauses=clauses, role=ROLE_NAMES.get(att.role or "", "the model"), part=part,
        part_name=graph.nodes[part]["name"], origin_name=graph.nodes[att.path[-1]]["name"], note=term.note,
        inferred_from=inferred,
        assumed_from=next((c["assumed_from"] for c in clauses if c["status"] == "assumed"), None),
        hypothetical=att.hypothetical,
    )


def _duties(graph: nx.MultiDiGraph, ev: Evaluation, use: str) -> tuple[list[str], list[str], list[str]]:
    """Conditions of the deciding terms, obligations of every applied term, and the deciding licenses."""
    conditions: list[str] = []
    obligations: list[str] = []
    deciding: list[str] = []
    for _, scenario_verdict, live in ev.scenarios:
        for att in live:
            term, inferred = term_for(license_record(graph, att.license), use)
            if term.verdict == scenario_verdict:
                if att.license not in deciding:
                    deciding.append(att.license)
                conditions += [c for c in term.conditions if c not in conditions]
            if not inferred:  # an inferred term's obligations are those of the other use (publishing)
                obligations += [o for o in term.obligations if o not in obligations]
    return conditions, obligations, deciding


def _scope(graph: nx.MultiDiGraph, ev: Evaluation, use: str) -> list[dict[str, Any]]:
    """The parts the model runs and whether this use touches each (through at least one of its licenses)."""
    parts: dict[tuple[str, str], bool] = {}
    for att in ev.attachments:
        if att.role and att.part:
            lic = license_record(graph, att.license)
            touched = role_touched(att.role, use, lic.scope.outputs_of if lic.scope else "pipeline")
            parts[(att.role, att.part)] = parts.get((att.role, att.part), False) or touched
    return [{"role": ROLE_NAMES[role], "part": part, "name": graph.nodes[part]["name"], "touched": touched,
             "why_not": None if touched else WHY_NOT.get(USE_KINDS[use])}
            for (role, part), touched in parts.items()]


def _optional(graph: nx.MultiDiGraph, model_id: str, ev: Evaluation, use: str,
              obligations: list[str]) -> list[dict[str, Any]]:
    """What running the full pipeline with each optional part adds to the answer (only where it adds something)."""
    if not ev.optional_parts:
        return []
    full = evaluate(graph, model_id, use, include_optional=True)
    conditions, full_obligations, _ = _duties(graph, full, use)
    base_conditions = _duties(graph, ev, use)[0]
    added_conditions = [c for c in conditions if c not in base_conditions]
    added_obligations = [o for o in full_obligations if o not in obligations] if full.verdict in ACT_VERDICTS else []
    if full.verdict == ev.verdict and not added_conditions and not added_obligations:
        return []
    out = []
    for role, part, holder in ev.optional_parts:
        org = graph.nodes[holder].get("organization_name")
        who = f"{org}'s full pipeline" if org else "the full pipeline"
        adds = []
        if full.verdict != ev.verdict:
            adds.append(f"the verdict becomes {full.verdict}")
        adds += [f"condition: {c}" for c in added_conditions] + [f"obligation: {o}" for o in added_obligations]
        out.append({"role": ROLE_NAMES[role], "part": part, "name": graph.nodes[part]["name"],
                    "verdict": full.verdict, "conditions": added_conditions, "obligations": added_obligations,
                    "text": f"Running {who} with {graph.nodes[part]['name']} ({ROLE_NAMES[role]}) adds: "
                            + "; ".join(adds) + "."})
    return out


def _skipped_notes(graph: nx.MultiDiGraph, model_id: str, ev: Evaluation, use: str) -> list[str]:
    """Plain notes for unverified lineage edges, only where following them would change the verdict."""
    if not ev.skipped or evaluate(graph, model_id, use, follow_unverified=True).verdict == ev.verdict:
        return []
    notes = []
    for s in ev.skipped:
        licenses = list(dict.fromkeys(a.license for a in attachments(graph, s.parent) if a.how == "own"))
        notes.append(skipped_note(graph, s.child, s.type, s.parent, s.note, licenses))
    return notes


def _unverified_assignment(graph: nx.MultiDiGraph, node: str, license_id: str) -> bool:
    """Whether every source saying ``node`` is under ``license_id`` is marked unverified."""
    attrs = graph.get_edge_data(node, license_id, "licensed_under") or {}
    sources = attrs.get("sources") or []
    return bool(sources) and all(c.get("status") == "unverified" for c in sources)


def _family(graph: nx.MultiDiGraph, family_id: str, use: str) -> Answer:
    fa = family_answer(graph, family_id, use)
    deciding = list(dict.fromkeys(lic for m in fa.members if m.verdict == fa.verdict or fa.verdict == DEPENDS
                                  for lic in _duties(graph, evaluate(graph, m.id, use), use)[2]))
    rests_on = rests_status = None
    if fa.verdict in ACT_VERDICTS:  # say what the weakest release's answer rests on
        weak = [(m, a) for m in fa.members if (a := can_i(graph, m.id, use)).rests_on]
        if weak:
            member, answer = weak[-1]
            rests_on, rests_status = f"For {member.name}: {answer.rests_on}", answer.rests_on_status
    return Answer(model=family_id, model_name=fa.family_name, use=use, verdict=fa.verdict, conditions=[],
                  obligations=[], reasons=[], deciding=deciding, notes=[fa.summary], rests_on=rests_on,
                  rests_on_status=rests_status, question=USE_QUESTIONS[use].format(name=fa.family_name),
                  members=[m.to_dict() for m in fa.members])


def can_i(graph: nx.MultiDiGraph, model_id: str, use: str) -> Answer:
    """Answer "may I <use> with <model_id>?" from the licenses that reach the model.

    >>> from lineage.core.graph import load_graph
    >>> a = can_i(load_graph(), "anima-preview", "train-on-outputs")
    >>> a.verdict, sorted({r.license for r in a.reasons if r.decisive})
    ('no', ['circlestone-nc-1.0'])
    """
    if use not in USES:
        raise UnknownUse(use)
    if model_id not in graph or graph.nodes[model_id]["kind"] == "license":
        raise LineageError(f"{model_id!r} is not a model or component in the graph")
    if is_family(graph, model_id):
        return _family(graph, model_id, use)
    ev = evaluate(graph, model_id, use)
    conditions, obligations, deciding = _duties(graph, ev, use)
    notes: list[str] = []
    if any(a.hypothetical for a in ev.attachments):
        notes.append("Hypothetical composition: the swapped-in part is asserted for this scenario, and its "
                     "licenses apply in full.")
    notes += _skipped_notes(graph, model_id, ev, use)
    if len(ev.scenarios) > 1 and ev.verdict == "disputed":
        notes.append("Sources disagree about this model's licensing or ancestry; the verdict differs by claim: "
                     + "; ".join(f"{_describe_scenario(s)} -> {v}" for s, v, _ in ev.scenarios))
    if not ev.attachments:
        notes.append("No license is recorded for this model or its parts, so nothing can be said.")
    elif ev.own_unknown:
        notes.append(f"No license is recorded for {graph.nodes[model_id]['name']}'s own weights, so its parts' "
                     "licenses cannot make the answer better than unknown.")
    reasons: list[Reason] = []
    seen: set[tuple[str, tuple[str, ...]]] = set()
    for scenario, scenario_verdict, live in ev.scenarios:
        for att in live:
            if (att.license, att.path) in seen:
                continue
            seen.add((att.license, att.path))
            verdict = term_for(license_record(graph, att.license), use)[0].verdict
            reasons.append(_reason(graph, att, use, verdict == scenario_verdict,
                                   [f"{g}={o}" for g, o in sorted(scenario)] if len(ev.scenarios) > 1 else []))
    reasons.sort(key=lambda r: (not r.decisive, -RANK[r.verdict], len(r.path)))
    rests_on = rests_status = None
    if ev.verdict in ACT_VERDICTS:
        decisive = [r for r in reasons if r.decisive]
        status = weakest([r.status for r in decisive])
        weakest_reason = next((r for r in decisive if r.status == status), None)
        if weakest_reason:
            rests_on = rests_on_line(status, weakest_reason.license_name, weakest_reason.assumed_from)
            if rests_on:
                rests_status = f"assumed from {weakest_reason.assumed_from}" if status == "assumed" else status
        claimed = [r for r in decisive if r.how == "own" and _unverified_assignment(graph, r.part or "", r.license)]
        if claimed:
            line = f"an unverified claim that {claimed[0].part_name} is under {claimed[0].license_name}"
            rests_on = f"{rests_on[:-1]}, and on {line}." if rests_on else f"This rests on {line}."
            rests_status = f"{rests_status} + unverified license claim" if rests_status else "unverified license claim"
    return Answer(
        model=model_id, model_name=graph.nodes[model_id]["name"], use=use, verdict=ev.verdict,
        conditions=conditions, obligations=obligations if ev.verdict in ACT_VERDICTS else [], reasons=reasons,
        deciding=deciding, notes=notes, rests_on=rests_on, rests_on_status=rests_status,
        question=USE_QUESTIONS[use].format(name=graph.nodes[model_id]["name"]),
        scope=_scope(graph, ev, use), optional=_optional(graph, model_id, ev, use, obligations),
        alternatives=alternatives(graph, model_id, use) if ev.verdict in {"no", "conditional"} else [],
    )


def _describe_scenario(scenario: frozenset[tuple[str, str]]) -> str:
    return ", ".join(f"{group}: {option}" for group, option in sorted(scenario)) or "as recorded"


def verdict_table(graph: nx.MultiDiGraph, model_id: str) -> dict[str, Answer]:
    """The answers for every use, in the order of :data:`lineage.core.schema.USES`.

    >>> from lineage.core.graph import load_graph
    >>> table = verdict_table(load_graph(), "flux1-schnell")
    >>> list(table) == list(USES), table["sell-outputs"].verdict
    (True, 'yes')
    """
    return {use: can_i(graph, model_id, use) for use in USES}


def normalise_use(text: str) -> str:
    """Accept a use id in any case or spacing (``Sell Outputs`` -> ``sell-outputs``), else raise."""
    key = normalise(text)
    for use in USES:
        if normalise(use) == key:
            return use
    raise UnknownUse(text)


__all__ = [
    "DISCLAIMER",
    "RANK",
    "USE_LABELS",
    "USE_QUESTIONS",
    "Answer",
    "Attachment",
    "Reason",
    "UnknownUse",
    "attachments",
    "can_i",
    "normalise_use",
    "verdict_table",
]
