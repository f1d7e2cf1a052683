"""Families: a family's answer is its members' answers, one verdict only when they all agree.

>>> from lineage.core.graph import load_graph
>>> g = load_graph()
>>> fa = family_answer(g, "flux1", "commercial-use")
>>> fa.verdict
'depends'
>>> {m.id: m.verdict for m in fa.members}["flux1-schnell"], {m.id: m.verdict for m in fa.members}["flux1-dev"]
('yes', 'no')
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import networkx as nx

from lineage.answers.core import attachments, evaluate, license_record, term_for
from lineage.core.queries import members

#: The verdict of a family whose members' answers differ.
DEPENDS = "depends"


@dataclass(frozen=True)
class MemberVerdict:
    """One release of a family and its verdict; ``label`` is its name without the family's prefix."""

    id: str
    name: str
    label: str
    verdict: str
    licenses: list[str]
    note: str | None = None  # for an unknown verdict: what the member's own license record says

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class FamilyAnswer:
    """``verdict`` is the members' common verdict, or ``depends`` (on the release) when they differ."""

    family: str
    family_name: str
    use: str
    verdict: str
    members: list[MemberVerdict]
    summary: str

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["members"] = [m.to_dict() for m in self.members]
        return out


def is_family(graph: nx.MultiDiGraph, node_id: str) -> bool:
    return graph.nodes[node_id]["kind"] == "family"


def member_label(graph: nx.MultiDiGraph, family_id: str, member: str) -> str:
    """``FLUX.1 [schnell]`` in family ``FLUX.1`` -> ``[schnell]``; names without the prefix stay whole.

    >>> from lineage.core.graph import load_graph
    >>> member_label(load_graph(), "flux1", "flux1-schnell")
    '[schnell]'
    """
    family, name = graph.nodes[family_id]["name"], graph.nodes[member]["name"]
    rest = name[len(family):].strip(" -") if name.lower().startswith(family.lower()) else ""
    return rest or name


def family_answer(graph: nx.MultiDiGraph, family_id: str, use: str) -> FamilyAnswer:
    """Answer ``use`` for every release of ``family_id``: one verdict if they all agree, else ``depends``.

    A family never answers ``yes`` where a member answers ``no``. A family with no recorded releases
    answers ``unknown``.
    """
    rows = []
    for member in members(graph, family_id):
        own = [a.license for a in attachments(graph, member) if a.how == "own"]
        licenses = list(dict.fromkeys(graph.nodes[lic]["name"] for lic in own))
        verdict = evaluate(graph, member, use).verdict
        note = next((t.note for lic in own if (t := term_for(license_record(graph, lic), use)[0]).note), None)
        rows.append(MemberVerdict(member, graph.nodes[member]["name"], member_label(graph, family_id, member),
                                  verdict, licenses, note if verdict == "unknown" else None))
    verdicts = {m.verdict for m in rows}
    name = graph.nodes[family_id]["name"]
    if not rows:
        return FamilyAnswer(family_id, name, use, "unknown", [], f"{name} is a family with no recorded releases.")
    verdict = verdicts.pop() if len(verdicts) == 1 else DEPENDS
    listing = ", ".join(f"{m.label} {m.verdict}" + (f" ({m.note.rstrip('.')})" if m.note else "") for m in rows)
    summary = (f"{name} is a family; every release answers {verdict}: {listing}." if verdict != DEPENDS
               else f"{name} is a family and the answer depends on the release: {listing}.")
    return FamilyAnswer(family_id, name, use, verdict, rows, summary)
