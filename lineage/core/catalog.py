"""Find ids: every model, family and part, filtered by kind, organization and license, or searched by text.

>>> from lineage.core.graph import load_graph
>>> g = load_graph()
>>> [e.id for e in list_entries(g, kind="vae", organization="alibaba")][:2]
['qwen-image-vae', 'wan2.1-vae']
>>> search(g, "klein")[0].id
'flux2-klein-4b'
"""

from __future__ import annotations

import difflib
from dataclasses import asdict, dataclass
from typing import Any

import networkx as nx

from lineage.core.problems import LineageError
from lineage.core.resolve import normalise

KINDS: tuple[str, ...] = ("model", "family", "text_encoder", "denoiser", "vae", "adapter", "tokenizer", "guardrail")


@dataclass(frozen=True)
class Entry:
    """One node as a catalogue row."""

    id: str
    name: str
    kind: str
    organization: str | None
    released: str | None
    licenses: list[str]
    aliases: list[str]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _entry(graph: nx.MultiDiGraph, node: str) -> Entry:
    a = graph.nodes[node]
    return Entry(node, a["name"], a["kind"], a.get("organization_name"), a.get("released"),
                 list(a.get("licenses", [])), list(a.get("aliases", [])))


def _matches(text: str | None, *values: str | None) -> bool:
    if not text:
        return True
    key = normalise(text)
    return any(v and (normalise(v) == key or key in normalise(v)) for v in values)


def list_entries(graph: nx.MultiDiGraph, kind: str | None = None, organization: str | None = None,
                 license: str | None = None) -> list[Entry]:
    """Every non-license node, sorted by organization then name; filters match ids, names or parts of them."""
    if kind and kind not in KINDS:
        raise LineageError(f"--kind {kind!r}: use one of {', '.join(KINDS)}")
    out = []
    for node, a in graph.nodes(data=True):
        if a["kind"] == "license" or (kind and a["kind"] != kind):
            continue
        if not _matches(organization, a.get("organization"), a.get("organization_name")):
            continue
        lic_names = [(lic, graph.nodes[lic]["name"]) for lic in a.get("licenses", [])]
        if license and not any(_matches(license, lic, name) for lic, name in lic_names):
            continue
        out.append(_entry(graph, node))
    return sorted(out, key=lambda e: ((e.organization or "~").lower(), e.name.lower()))


def search(graph: nx.MultiDiGraph, text: str, kind: str | None = None, organization: str | None = None,
           license: str | None = None) -> list[Entry]:
    """Entries whose id, name or an alias contains ``text`` (best first), else the closest by spelling."""
    key = normalise(text)
    if not key:
        raise LineageError("search needs some text, e.g. `lineage search flux`")
    scored: list[tuple[float, Entry]] = []
    for entry in list_entries(graph, kind, organization, license):
        names = [normalise(n) for n in (entry.id, entry.name, *entry.aliases)]
        if any(n == key for n in names):
            score = 3.0
        elif any(n.startswith(key) for n in names):
            score = 2.0
        elif any(key in n for n in names):
            score = 1.0
        else:
            score = max(difflib.SequenceMatcher(None, key, n).ratio() for n in names)
            if score < 0.75:
                continue
        scored.append((score, entry))
    return [e for _, e in sorted(scored, key=lambda item: (-item[0], item[1].name.lower()))]
