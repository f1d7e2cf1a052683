"""What an answer rests on, in plain words: each clause's status, the one-line warning, readable notes.

A clause's status is ``primary`` (checked against the license text), ``secondary`` (a summary or a copy:
an article, a model card, notes), ``unverified``, or *assumed from another version* (wording read in one
version of a license and applied to another). A term a record leaves out and the reasoner infers from another
use's term is ``inferred``.

>>> weakest(["primary", "secondary"])
'secondary'
>>> rests_on_line("assumed", "CircleStone Labs Non-Commercial License v1.2", "v1.0")
'This rests on wording assumed from v1.0, not on the text of CircleStone Labs Non-Commercial License v1.2.'
"""

from __future__ import annotations

import re
from typing import Any

import networkx as nx

from lineage.core.schema import Clause, License, Term

#: From strongest to weakest.
STRENGTH: tuple[str, ...] = ("primary", "secondary", "inferred", "unverified", "assumed", "none")
MARKERS: dict[str, str] = {
    "primary": "checked against the license text",
    "secondary": "from a summary or copy (an article, a model card, notes), not the license text",
    "inferred": "inferred from the license's clause on another use",
    "unverified": "from an unverified source",
    "assumed": "wording read in another version of the license, assumed unchanged",
    "none": "no clause recorded",
}
EDGE_PHRASES: dict[str, str] = {
    "finetuned_from": "was fine-tuned from",
    "resumed_from": "resumed training from",
    "distilled_from": "was distilled from",
    "architecture_derived_from": "derives its architecture from",
    "successor_of": "succeeds",
    "trained_on_outputs_of": "was trained on outputs of",
    "vae_reused_from": "reuses the VAE of",
    "vae_finetuned_from": "is a fine-tune of",
    "vae_arch_derived_from": "derives its VAE architecture from",
}
_VERSION = re.compile(r"\bv(\d+(?:\.\d+)*)\b")


def weakest(statuses: list[str]) -> str:
    """The weakest of ``statuses`` (``none`` for an empty list)."""
    return max(statuses, key=STRENGTH.index, default="none")


def strongest(statuses: list[str]) -> str:
    """The strongest of ``statuses`` (``none`` for an empty list)."""
    return min(statuses, key=STRENGTH.index, default="none")


def assumed_from(lic: License, term: Term, clause: Clause) -> str | None:
    """Where a clause's wording was assumed from, when it was read in another version of the license.

    A structured ``assumed_from`` on the clause, the term or the license wins; otherwise an ``unverified``
    clause counts as assumed when the term's note says "assumed" or its locator names another version.
    """
    for holder in (clause, term, lic):
        marked = getattr(holder, "assumed_from", None)
        if marked:
            return str(marked)
    if clause.status.value != "unverified":
        return None
    named = _VERSION.search(clause.locator or "")
    if named and lic.version and named.group(1) != lic.version:
        return named.group(0)
    if "assum" in (term.note or "").lower():
        return "another version"
    return None


def clause_status(lic: License, term: Term, clause: Clause) -> tuple[str, str | None]:
    """``(status, assumed from)`` for one clause."""
    source = assumed_from(lic, term, clause)
    return ("assumed", source) if source else (clause.status.value, None)


def license_name(graph: nx.MultiDiGraph, ref: str) -> str:
    """A license's name when ``ref`` is a license id in the graph, else ``ref`` itself."""
    return graph.nodes[ref]["name"] if ref in graph else ref


def rests_on_line(status: str, license_title: str, source: str | None = None) -> str | None:
    """The plain line shown at the top of a yes/conditional answer that rests on anything but a primary clause."""
    if status == "primary":
        return None
    if status == "assumed":
        return (f"This rests on wording assumed from {source or 'another version'}, not on the text of "
                f"{license_title}.")
    if status == "secondary":
        return (f"This rests on a summary or copy of {license_title} (an article, a model card or notes), "
                "not on the license text itself.")
    if status == "inferred":
        return (f"This rests on an inference: {license_title} lets you publish derivatives, so it lets you make "
                "them; it has no clause about making them for yourself. Publishing one later has the "
                "obligations of share-derivatives.")
    if status == "unverified":
        return f"This rests on an unverified source for {license_title}, not on the license text."
    return f"Nothing recorded for {license_title} answers this use."


def skipped_note(graph: nx.MultiDiGraph, child: str, etype: str, parent: str, note: str | None,
                 licenses: list[str]) -> str:
    """A plain sentence for a lineage edge not followed because no verified source states it."""
    names = ", ".join(license_name(graph, lic) for lic in licenses) or "its license"
    why = f" ({note.rstrip('.')})" if note else ""
    return (f"No verified source says that {graph.nodes[child]['name']} {EDGE_PHRASES.get(etype, etype)} "
            f"{graph.nodes[parent]['name']}{why}, so {graph.nodes[parent]['name']}'s license ({names}) "
            "is not applied.")


def legend(statuses: list[str]) -> list[str]:
    """One explanation per marker that appears, in order of strength."""
    return [f"[{s}] {MARKERS[s]}" for s in STRENGTH if s in statuses]


def clause_dict(quote: str, locator: str | None, url: str | None, status: str, supports: str | None,
                source: str | None) -> dict[str, Any]:
    return {"quote": quote, "locator": locator, "url": url, "status": status, "supports": supports,
            "assumed_from": source}
