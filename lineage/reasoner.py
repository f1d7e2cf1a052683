"""The license reasoner: "can I use model X for use Y?" with a verdict that explains itself.

An answer combines three kinds of license *attachments*:

* the model's own licenses;
* licenses of the models it was fine-tuned, distilled or otherwise derived from, where that license's own
  flow-down clause carries it along those edge types (and for those uses);
* the licenses of the parts it needs to run (text encoder, VAE, ...) and whatever flows down to them.

A reused part brings its own license, never a sibling's. The most restrictive verdict wins
(``no`` > ``disputed`` > ``unknown`` > ``conditional`` > ``yes``). Disputed claims (two licenses claimed for one
model, two claimed parents) are evaluated as alternative scenarios; if they lead to different verdicts the
answer is ``disputed`` and every side is shown.

>>> from lineage.graph import load_graph
>>> g = load_graph()
>>> can_i(g, "anima-preview", "commercial-use").verdict
'no'
>>> can_i(g, "flux1-schnell", "commercial-use").verdict
'yes'
"""

from __future__ import annotations

import itertools
from collections import deque
from dataclasses import asdict, dataclass, field
from typing import Any

import networkx as nx

from lineage.graph import ref_url
from lineage.problems import LineageError
from lineage.queries import find_component
from lineage.resolve import normalise
from lineage.schema import COMPONENT_EDGES, DERIVATION_EDGES, USES, License, Term

DISCLAIMER = (
    "Not legal advice. This answer summarises the license texts and sources recorded in the data; "
    "read the licenses themselves and ask a lawyer before relying on it."
)
RANK: dict[str, int] = {"yes": 0, "conditional": 1, "unknown": 2, "disputed": 3, "no": 4}
USE_LABELS: dict[str, str] = {
    "commercial-use": "use the model itself in a commercial activity",
    "paid-service": "offer the model as a paid hosted service or API",
    "sell-outputs": "sell or commercially use the images it generates",
    "train-on-outputs": "use its outputs to train, fine-tune or distill another model",
    "share-derivatives": "publish fine-tunes, merges or LoRAs made from it",
    "sell-derivatives": "sell such derivatives or access to them",
    "no-attribution": "use and share it without crediting anyone",
}
MAX_SCENARIOS = 64


class UnknownUse(LineageError):
    """The use is not one of :data:`lineage.schema.USES`."""

    def __init__(self, use: str):
        import difflib

        close = difflib.get_close_matches(use, USES, n=3, cutoff=0.4)
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        super().__init__(f"Unknown use {use!r}.{hint} The uses are: {', '.join(USES)}.")


@dataclass(frozen=True)
class Attachment:
    """A license reaching the model along ``path`` (node ids) through ``edges`` (edge types)."""

    license: str
    path: tuple[str, ...]
    edges: tuple[str, ...]
    how: str  # "own" | "flow-down" | "component"
    assumptions: frozenset[tuple[str, str]] = frozenset()  # (dispute group, chosen option)


@dataclass(frozen=True)
class Reason:
    """Why a license says what it says: the clause, where the license attaches, and how it got there."""

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

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Answer:
    """The reasoner's answer for one model and one use."""

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

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["use_label"] = USE_LABELS[self.use]
        return out


def _license(graph: nx.MultiDiGraph, license_id: str) -> License:
    return graph.nodes[license_id]["record"]


def _own(graph: nx.MultiDiGraph, node_id: str) -> list[tuple[str, dict[str, Any]]]:
    return [(v, a) for _, v, k, a in graph.out_edges(node_id, keys=True, data=True) if k == "licensed_under"]


def _flows(lic: License, edge_types: tuple[str, ...]) -> bool:
    if lic.flow_down is None or not lic.flow_down.applies:
        return False
    allowed = {e.value for e in lic.flow_down.edge_types}
    return all(e in allowed for e in edge_types)


def _with_assumption(base: frozenset[tuple[str, str]], attrs: dict[str, Any], option: str) -> frozenset:
    if attrs.get("disputed") and attrs.get("dispute"):
        return base | {(attrs["dispute"], option)}
    return base


def _unverified(attrs: dict[str, Any]) -> bool:
    """An edge whose every source is marked unverified: shown in the lineage, but it carries no license terms."""
    sources = attrs.get("sources") or []
    return bool(sources) and all(c.get("status") == "unverified" for c in sources)


def attachments(graph: nx.MultiDiGraph, model_id: str, skipped: list[str] | None = None) -> list[Attachment]:
    """Every license that reaches ``model_id``, with the path and edges it came along.

    Derivation edges whose sources are all unverified are not followed; each one is described in
    ``skipped`` when a list is given.

    >>> from lineage.graph import load_graph
    >>> g = load_graph()
    >>> sorted({(a.license, a.how) for a in attachments(g, "anima-preview")})[:2]
    [('apache-2.0', 'component'), ('circlestone-nc-1.0', 'own')]
    """
    derivation = {e.value for e in DERIVATION_EDGES}
    out: list[Attachment] = []

    def collect(start: str, prefix: tuple[str, ...], prefix_edges: tuple[str, ...], how: str,
                base: frozenset[tuple[str, str]]) -> None:
        # own licenses of `start`, then flow-down from its derivation ancestors
        queue: deque[tuple[str, tuple[str, ...], tuple[str, ...], frozenset]] = deque(
            [(start, (*prefix, start), (), base)])
        seen = {start}
        while queue:
            node, path, edges, assume = queue.popleft()
            for lic, attrs in _own(graph, node):
                a = _with_assumption(assume, attrs, lic)
                if not edges:
                    out.append(Attachment(lic, path, (*prefix_edges,), how, a))
                elif _flows(_license(graph, lic), edges):
                    out.append(Attachment(lic, path, (*prefix_edges, *edges), "flow-down" if how == "own" else how, a))
            for _, parent, key, attrs in sorted(graph.out_edges(node, keys=True, data=True), key=lambda e: e[2]):
                if key in derivation and _unverified(attrs):
                    if skipped is not None and (note := f"{node} {key} {parent}") not in skipped:
                        skipped.append(note)
                    continue
                if key in derivation and parent not in seen:
                    seen.add(parent)
                    queue.append((parent, (*path, parent), (*edges, key), _with_assumption(assume, attrs, parent)))

    collect(model_id, (), (), "own", frozenset())
    for etype in COMPONENT_EDGES:
        found, via = find_component(graph, model_id, etype.value)
        for part, attrs in found:
            prefix = (model_id, via) if via else (model_id,)
            edges = ("inherited", etype.value) if via else (etype.value,)
            collect(part, prefix, edges, "component", _with_assumption(frozenset(), attrs, part))
    return out


def _term(lic: License, use: str) -> Term:
    return lic.terms.get(use) or Term(verdict="unknown", note="the license record states nothing about this use")


def _applies(lic: License, att: Attachment, use: str) -> bool:
    if att.how == "flow-down" and lic.flow_down and lic.flow_down.uses:
        return use in lic.flow_down.uses
    return True


def _scenarios(atts: list[Attachment]) -> list[frozenset[tuple[str, str]]]:
    groups: dict[str, set[str]] = {}
    for att in atts:
        for group, option in att.assumptions:
            groups.setdefault(group, set()).add(option)
    names = sorted(groups)
    combos = itertools.islice(itertools.product(*(sorted(groups[g]) for g in names)), MAX_SCENARIOS)
    return [frozenset(zip(names, combo, strict=True)) for combo in combos] or [frozenset()]


def _consistent(att: Attachment, scenario: frozenset[tuple[str, str]]) -> bool:
    chosen = dict(scenario)
    return all(chosen.get(group) == option for group, option in att.assumptions)


def _combine(verdicts: list[str]) -> str:
    return max(verdicts, key=RANK.__getitem__) if verdicts else "unknown"


def resolve_model(graph: nx.MultiDiGraph, node_id: str) -> tuple[str, list[str]]:
    """A family stands for its newest release; other nodes stand for themselves.

    The newest release is the head of the members' ``successor_of`` chain when there is one (release dates
    are often unknown), else the member with the latest release date.

    >>> from lineage.graph import load_graph
    >>> resolve_model(load_graph(), "anima")[0]
    'anima-base-v1.0'
    """
    if graph.nodes[node_id]["kind"] != "family":
        return node_id, []
    members = {u for u, _, k in graph.in_edges(node_id, keys=True) if k == "member_of"}
    if not members:
        return node_id, []
    chain = [(u, v) for u, v, k in graph.edges(keys=True) if k == "successor_of" and u in members and v in members]
    heads = {u for u, _ in chain} - {v for _, v in chain}
    if len(heads) == 1:
        newest, how = heads.pop(), "the newest release in its succession"
    else:
        _, newest = max((graph.nodes[u].get("released") or "", u) for u in members)
        how = "its newest dated release"
    note = (f"{graph.nodes[node_id]['name']} is a family; this answer is for {how}, "
            f"{graph.nodes[newest]['name']} ({newest}). Ask about a specific release for the others.")
    return newest, [note]


def can_i(graph: nx.MultiDiGraph, model_id: str, use: str) -> Answer:
    """Answer "may I <use> with <model_id>?" from the licenses that reach the model.

    >>> from lineage.graph import load_graph
    >>> a = can_i(load_graph(), "anima-preview", "train-on-outputs")
    >>> a.verdict, sorted({r.license for r in a.reasons if r.decisive})
    ('no', ['circlestone-nc-1.0'])
    """
    if use not in USES:
        raise UnknownUse(use)
    if model_id not in graph or graph.nodes[model_id]["kind"] == "license":
        raise LineageError(f"{model_id!r} is not a model or component in the graph")
    target, notes = resolve_model(graph, model_id)
    skipped: list[str] = []
    atts = attachments(graph, target, skipped)
    if skipped:
        notes.append("Not followed because every source for it is unverified: " + "; ".join(skipped) + ".")
    scenarios = _scenarios(atts)
    per_scenario: list[tuple[frozenset, str, list[Attachment]]] = []
    for scenario in scenarios:
        live = [a for a in atts if _consistent(a, scenario)]
        verdicts = [_term(_license(graph, a.license), use).verdict for a in live
                    if _applies(_license(graph, a.license), a, use)]
        per_scenario.append((scenario, _combine(verdicts), live))
    outcomes = {v for _, v, _ in per_scenario}
    verdict = next(iter(outcomes)) if len(outcomes) == 1 else "disputed"
    if len(outcomes) > 1:
        notes.append("Sources disagree about this model's licensing or ancestry; the verdict differs by claim: "
                     + "; ".join(f"{_describe_scenario(s)} -> {v}" for s, v, _ in per_scenario))
    conditions: list[str] = []
    obligations: list[str] = []
    reasons: list[Reason] = []
    deciding: list[str] = []
    seen: set[tuple[str, tuple[str, ...]]] = set()
    for scenario, scenario_verdict, live in per_scenario:
        for att in live:
            lic = _license(graph, att.license)
            if not _applies(lic, att, use) or (att.license, att.path) in seen:
                continue
            seen.add((att.license, att.path))
            term = _term(lic, use)
            decisive = term.verdict == scenario_verdict
            if decisive and att.license not in deciding:
                deciding.append(att.license)
            if decisive:
                conditions += [c for c in term.conditions if c not in conditions]
            obligations += [o for o in term.obligations if o not in obligations]
            clauses = term.clauses or [None]
            for clause in clauses:
                reasons.append(Reason(
                    license=lic.id, license_name=lic.name, license_version=lic.version,
                    path=list(att.path), edges=list(att.edges), how=att.how, verdict=term.verdict,
                    clause=clause.quote if clause else (term.note or "no clause recorded"),
                    locator=clause.locator if clause else None,
                    url=_clause_url(graph, clause.source if clause else None, lic.url),
                    status=(clause.status.value if clause else "unverified"),
                    supports=clause.supports if clause else None,
                    decisive=decisive,
                    scenario=[f"{g}={o}" for g, o in sorted(scenario)] if len(per_scenario) > 1 else [],
                ))
    if not atts:
        notes.append("No license is recorded for this model or its parts, so nothing can be said.")
    reasons.sort(key=lambda r: (not r.decisive, -RANK[r.verdict], len(r.path)))
    return Answer(
        model=target, model_name=graph.nodes[target]["name"], use=use, verdict=verdict, conditions=conditions,
        obligations=obligations, reasons=reasons, deciding=deciding, notes=notes,
    )


def _clause_url(graph: nx.MultiDiGraph, source: str | None, default: str | None) -> str | None:
    """A clause's source as a link where possible: registry ids become their ``ref``, repo refs GitHub URLs."""
    if not source:
        return default
    registry = graph.graph.get("sources", {})
    ref = registry[source].ref if source in registry else source
    return ref_url(ref) or ref


def _describe_scenario(scenario: frozenset[tuple[str, str]]) -> str:
    return ", ".join(f"{group}: {option}" for group, option in sorted(scenario)) or "as recorded"


def verdict_table(graph: nx.MultiDiGraph, model_id: str) -> dict[str, Answer]:
    """The answers for every use, in the order of :data:`lineage.schema.USES`.

    >>> from lineage.graph import load_graph
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
    "USE_LABELS",
    "Answer",
    "Attachment",
    "Reason",
    "UnknownUse",
    "attachments",
    "can_i",
    "normalise_use",
    "verdict_table",
]

