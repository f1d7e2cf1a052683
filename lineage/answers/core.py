"""The licenses that reach a model, and the verdict they give for one use.

An *attachment* is a license reaching the model along a path: its own licenses; licenses of the models it
derives from, where that license's own flow-down clause carries it along those edge types; the licenses of
the parts it runs (and whatever flows down to them). A reused part brings its own license, never a sibling's.
Which attachments a use reaches is decided by :mod:`lineage.answers.scope`. The most restrictive verdict
wins (``no`` > ``disputed`` > ``unknown`` > ``conditional`` > ``yes``); disputed claims are evaluated as
alternative scenarios, and lead to ``disputed`` when the scenarios disagree.

>>> from lineage.core.graph import load_graph
>>> evaluate(load_graph(), "anima-preview", "commercial-use").verdict
'no'
"""

from __future__ import annotations

import itertools
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from lineage.answers.scope import role_touched
from lineage.core.queries import find_component
from lineage.core.schema import COMPONENT_EDGES, DERIVATION_EDGES, INFERRED_USES, License, Term

RANK: dict[str, int] = {"yes": 0, "conditional": 1, "unknown": 2, "disputed": 3, "no": 4}
MAX_SCENARIOS = 64


@dataclass(frozen=True)
class Attachment:
    """A license reaching the model along ``path`` (node ids) through ``edges`` (edge types).

    ``role`` is the component edge the license came through (``None``: the model's own lineage);
    ``optional`` marks a part people run the model without; ``hypothetical`` a part a what-if asserted.
    """

    license: str
    path: tuple[str, ...]
    edges: tuple[str, ...]
    how: str  # "own" | "flow-down" | "component"
    assumptions: frozenset[tuple[str, str]] = frozenset()  # (dispute group, chosen option)
    role: str | None = None
    optional: bool = False
    hypothetical: bool = False
    part: str | None = None  # the part (component node) the license came with


@dataclass(frozen=True)
class Skipped:
    """A derivation edge not followed because every source for it is unverified."""

    child: str
    type: str
    parent: str
    note: str | None = None


@dataclass
class Evaluation:
    """What :func:`evaluate` found: the verdict, each scenario's verdict and live attachments, and what it left out."""

    verdict: str
    scenarios: list[tuple[frozenset[tuple[str, str]], str, list[Attachment]]]
    attachments: list[Attachment]
    skipped: list[Skipped] = field(default_factory=list)
    optional_parts: list[tuple[str, str, str]] = field(default_factory=list)  # (role, part, holder)
    own_unknown: bool = False  # no license is recorded for the model's own weights


def license_record(graph: nx.MultiDiGraph, license_id: str) -> License:
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


def unverified(attrs: dict[str, Any]) -> bool:
    """An edge whose every source is marked unverified: shown in the lineage, but it carries no license terms.

    An edge a what-if asserts (``hypothetical``) is never unverified: the scenario states it.
    """
    if attrs.get("hypothetical"):
        return False
    sources = attrs.get("sources") or []
    return bool(sources) and all(c.get("status") == "unverified" for c in sources)


def attachments(graph: nx.MultiDiGraph, model_id: str, skipped: list | None = None, *,
                include_optional: bool = False, follow_unverified: bool = False,
                optional_parts: list | None = None) -> list[Attachment]:
    """Every license that reaches ``model_id``, with the path and edges it came along.

    Derivation edges whose sources are all unverified are not followed (unless ``follow_unverified``); each
    is added to ``skipped`` as a :class:`Skipped` when a list is given. Optional parts are left out unless
    ``include_optional``; each is added to ``optional_parts`` as ``(role, part, holder)``.

    >>> from lineage.core.graph import load_graph
    >>> g = load_graph()
    >>> sorted({(a.license, a.how) for a in attachments(g, "anima-preview")})[:2]
    [('apache-2.0', 'component'), ('circlestone-nc-1.0', 'own')]
    """
    derivation = {e.value for e in DERIVATION_EDGES}
    out: list[Attachment] = []

    def collect(start: str, prefix: tuple[str, ...], prefix_edges: tuple[str, ...], how: str,
                base: frozenset[tuple[str, str]], role: str | None = None, optional: bool = False,
                hypothetical: bool = False) -> None:
        part = start if role else None
        # own licenses of `start`, then flow-down from its derivation ancestors
        queue: deque[tuple[str, tuple[str, ...], tuple[str, ...], frozenset, bool]] = deque(
            [(start, (*prefix, start), (), base, hypothetical)])
        seen = {start}
        while queue:
            node, path, edges, assume, hypo = queue.popleft()
            for lic, attrs in _own(graph, node):
                a = _with_assumption(assume, attrs, lic)
                if not edges:
                    out.append(Attachment(lic, path, (*prefix_edges,), how, a, role, optional, hypo, part))
                elif _flows(license_record(graph, lic), edges):
                    out.append(Attachment(lic, path, (*prefix_edges, *edges), "flow-down" if how == "own" else how,
                                          a, role, optional, hypo, part))
            for _, parent, key, attrs in sorted(graph.out_edges(node, keys=True, data=True), key=lambda e: e[2]):
                if key not in derivation:
                    continue
                if unverified(attrs) and not follow_unverified:
                    item = Skipped(node, key, parent, attrs.get("note"))
                    if skipped is not None and item not in skipped:
                        skipped.append(item)
                    continue
                if parent not in seen:
                    seen.add(parent)
                    queue.append((parent, (*path, parent), (*edges, key), _with_assumption(assume, attrs, parent),
                                  hypo or bool(attrs.get("hypothetical"))))

    collect(model_id, (), (), "own", frozenset())
    for etype in COMPONENT_EDGES:
        found, via = find_component(graph, model_id, etype.value)
        for part, attrs in found:
            if attrs.get("optional") and not include_optional:
                if optional_parts is not None:
                    optional_parts.append((etype.value, part, via or model_id))
                continue
            prefix = (model_id, via) if via else (model_id,)
            edges = ("inherited", etype.value) if via else (etype.value,)
            collect(part, prefix, edges, "component", _with_assumption(frozenset(), attrs, part), etype.value,
                    bool(attrs.get("optional")), bool(attrs.get("hypothetical")))
    return out


def term_for(lic: License, use: str) -> tuple[Term, str | None]:
    """The license's term for ``use`` and, when it is inferred from another use's term, that use.

    >>> from lineage.core.graph import load_graph
    >>> lic = license_record(load_graph(), "creativeml-openrail-pp-m")
    >>> term, inferred = term_for(lic, "make-derivatives")
    >>> term.verdict, inferred
    ('yes', 'share-derivatives')
    """
    if use in lic.terms:
        return lic.terms[use], None
    source = INFERRED_USES.get(use)
    if source and source in lic.terms and lic.terms[source].verdict in {"yes", "conditional"}:
        return lic.terms[source], source
    return Term(verdict="unknown", note="the license record states nothing about this use"), None


def applies(graph: nx.MultiDiGraph, att: Attachment, use: str) -> bool:
    """Whether ``use`` reaches this attachment: the flow-down clause's uses, then the use's scope."""
    lic = license_record(graph, att.license)
    if att.how == "flow-down" and lic.flow_down and lic.flow_down.uses and use not in lic.flow_down.uses:
        return False
    return role_touched(att.role, use, lic.scope.outputs_of if lic.scope else "pipeline")


def _scenarios(atts: list[Attachment]) -> list[frozenset[tuple[str, str]]]:
    groups: dict[str, set[str]] = {}
    for att in atts:
        for group, option in att.assumptions:
            groups.setdefault(group, set()).add(option)
    names = sorted(groups)
    combos = itertools.islice(itertools.product(*(sorted(groups[g]) for g in names)), MAX_SCENARIOS)
    return [frozenset(zip(names, combo, strict=True)) for combo in combos] or [frozenset()]


def consistent(att: Attachment, scenario: frozenset[tuple[str, str]]) -> bool:
    chosen = dict(scenario)
    return all(chosen.get(group) == option for group, option in att.assumptions)


def combine(verdicts: list[str]) -> str:
    """The most restrictive verdict (``unknown`` for none).

    >>> combine(["yes", "conditional"]), combine([])
    ('conditional', 'unknown')
    """
    return max(verdicts, key=RANK.__getitem__) if verdicts else "unknown"


def evaluate(graph: nx.MultiDiGraph, model_id: str, use: str, *, include_optional: bool = False,
             follow_unverified: bool = False) -> Evaluation:
    """The verdict for ``use`` of ``model_id`` (a release or part, not a family), scenario by scenario."""
    skipped: list[Skipped] = []
    optional_parts: list[tuple[str, str, str]] = []
    atts = attachments(graph, model_id, skipped, include_optional=include_optional,
                       follow_unverified=follow_unverified, optional_parts=optional_parts)
    # fail closed: without a license for the model's own weights, its parts' licenses cannot make it a yes
    own_unknown = bool(atts) and not any(a.role is None for a in atts)
    per_scenario = []
    for scenario in _scenarios(atts):
        live = [a for a in atts if consistent(a, scenario) and applies(graph, a, use)]
        verdicts = [term_for(license_record(graph, a.license), use)[0].verdict for a in live]
        per_scenario.append((scenario, combine(verdicts + (["unknown"] if own_unknown else [])), live))
    outcomes = {v for _, v, _ in per_scenario}
    verdict = next(iter(outcomes)) if len(outcomes) == 1 else "disputed"
    return Evaluation(verdict, per_scenario, atts, skipped, optional_parts, own_unknown)
