"""Judge a placed file: per use, the most restrictive of what flows down from its base and its own terms.

Fail closed. A scanned node's own terms are what its sidecars or header declare (Civitai permission flags, a
license id); a use that no source speaks to is ``unknown``, never allowed. Self-declared terms only ever
restrict: the verdict is the most restrictive (:data:`lineage.answers.reasoner.RANK`) of the base's answer from the
reasoner and the file's own terms, and the answer names the part that decided. A curated release (matched by
hash or name) is judged by the reasoner under that release's own licenses; declared terms beside it can only
restrict that further.

Answers are cached per (release, base, declared terms): ten thousand LoRAs of one base with the same flags
cost one reasoner call per use.

>>> own = civitai_terms({"allowCommercialUse": ["Image"], "allowNoCredit": False})
>>> own["sell-outputs"][0], own["sell-derivatives"][0], own["no-attribution"][0], own["train-on-outputs"]
('yes', 'no', 'no', None)
"""

from __future__ import annotations

import json
from typing import Any

import networkx as nx

from lineage.answers.reasoner import can_i, most_restrictive
from lineage.core.resolve import normalise
from lineage.core.schema import USES
from lineage.scan.place import Placement
from lineage.scan.sidecars import SUFFIXES

LICENSE_FIELDS = ("license", "license_name", "modelspec_license", "general.license")
PERMISSION_FIELDS = ("allowNoCredit", "allowCommercialUse", "allowDerivatives", "allowDifferentLicense")
CIVITAI_LABELS = {"Image": "sell generated images", "RentCivit": "run on Civitai's generator",
                  "Rent": "run on paid generation services", "Sell": "sell the model or merges"}



def civitai_terms(flags: dict[str, Any]) -> dict[str, tuple[str, str] | None]:
    """Per use, ``(verdict, why)`` from Civitai permission flags; ``None`` where the flags say nothing."""
    out: dict[str, tuple[str, str] | None] = dict.fromkeys(USES)
    values = flags.get("allowCommercialUse")
    if values is not None:
        allowed = set(values) - {"None"}
        shown = ", ".join(values)

        def flag(value: str) -> tuple[str, str]:
            ok = value in allowed
            return ("yes" if ok else "no", f"allowCommercialUse [{shown}] {'includes' if ok else 'lacks'} "
                    f"{value} ({CIVITAI_LABELS[value]})")

        out["sell-outputs"] = flag("Image")
        out["sell-derivatives"] = flag("Sell")
        if "Rent" in allowed:
            out["paid-service"] = flag("Rent")
        elif "RentCivit" in allowed:
            out["paid-service"] = ("conditional", f"allowCommercialUse [{shown}]: only on Civitai's generator")
        else:
            out["paid-service"] = flag("Rent")
        if not allowed:
            out["commercial-use"] = ("no", f"allowCommercialUse [{shown}]: no commercial use")
    if isinstance(flags.get("allowNoCredit"), bool):
        out["no-attribution"] = ("yes" if flags["allowNoCredit"] else "no", f"allowNoCredit {flags['allowNoCredit']}")
    if isinstance(flags.get("allowDerivatives"), bool):
        out["share-derivatives"] = ("yes" if flags["allowDerivatives"] else "no",
                                    f"allowDerivatives {flags['allowDerivatives']}")
    return out


def _license_index(graph: nx.MultiDiGraph) -> dict[str, str]:
    cached = graph.graph.get("_scan_license_index")
    if cached is None:
        cached = {}
        for node_id, attrs in graph.nodes(data=True):
            if attrs["kind"] != "license":
                continue
            lic = attrs["record"]
            for text in (lic.id, lic.hf, lic.spdx, lic.civitai, lic.name, *lic.aliases):
                if text:
                    cached.setdefault(normalise(text), node_id)
        graph.graph["_scan_license_index"] = cached
    return cached


def own_claims(facts: dict[str, Any]) -> list[tuple[str, Any, str]]:
    """``(field, value, where)`` of every declared license or permission (``where`` without the file name)."""
    out: list[tuple[str, Any, str]] = []
    for claim in facts.get("declared", {}).get("claims", []):
        if claim["field"] in PERMISSION_FIELDS or claim["field"] in LICENSE_FIELDS:
            out.append((claim["field"], claim["value"], claim["source"]))
    training = facts.get("training") or {}
    for key in ("modelspec_license", "general.license"):
        if training.get(key):
            out.append(("license", training[key], f"header {key}"))
    return out


def own_terms(graph: nx.MultiDiGraph, claims: list[tuple[str, Any, str]]) -> dict[str, list[dict[str, str]]]:
    """Per use, what each declared term says (``verdict``, ``why``, ``source``); an empty list where none speaks."""
    out: dict[str, list[dict[str, str]]] = {use: [] for use in USES}
    index = _license_index(graph)
    by_source: dict[str, dict[str, Any]] = {}
    license_name = next((str(v) for f, v, _ in claims if f == "license_name"), None)
    for field, value, where in claims:
        if field in PERMISSION_FIELDS:
            by_source.setdefault(where[: -len(field)].rstrip(".#") or where, {})[field] = value
        elif field == "license":
            text = license_name if normalise(str(value)) == "other" and license_name else str(value)
            lic_id = index.get(normalise(text))
            for use in USES:
                if lic_id is None:
                    out[use].append({"verdict": "unknown", "source": where,
                                     "why": f"declares license {text!r}, which is not in the data"})
                    continue
                lic = graph.nodes[lic_id]["record"]
                term = lic.terms.get(use)
                out[use].append({"verdict": term.verdict if term else "unknown", "source": where,
                                 "why": f"declares {lic.name} ({lic_id})" + ("" if term else ", which states nothing "
                                                                              "about this use")})
    for where, flags in by_source.items():
        for use, said in civitai_terms(flags).items():
            if said is not None:
                out[use].append({"verdict": said[0], "why": said[1], "source": where})
    return out


def _generic(where: str) -> str:
    """A claim's source without the file's own name (``<file>.civitai.info#model.allowNoCredit``), so that
    files declaring the same terms share one cached answer."""
    name, sep, path = where.partition("#")
    for suffix in SUFFIXES:
        if name.endswith(suffix) and sep:
            return f"<file>{suffix}#{path}"
    return where


class Judge:
    """Verdicts for placed files, cached per (release, base, declared terms); counts the reasoner calls."""

    def __init__(self, graph: nx.MultiDiGraph):
        self.graph = graph
        self.cache: dict[str, dict[str, Any]] = {}
        self.answers: dict[str, dict[str, Any]] = {}
        self.reasoner_calls = 0

    def _answers(self, node: str) -> dict[str, Any]:
        if node not in self.answers:
            table = {}
            for use in USES:
                self.reasoner_calls += 1
                a = can_i(self.graph, node, use)
                table[use] = {"verdict": a.verdict, "deciding": a.deciding, "model": a.model,
                              "model_name": a.model_name, "notes": a.notes}
            self.answers[node] = table
        return self.answers[node]

    def judge(self, placement: Placement, facts: dict[str, Any]) -> dict[str, dict[str, Any]]:
        """Per use: ``verdict``, ``decided_by`` (part labels) and every part's ``verdict``/``why``/``source``."""
        claims = [(f, v, _generic(w)) for f, v, w in own_claims(facts)]
        key = json.dumps([placement.node, placement.base, sorted(claims, key=str)], default=str)
        if key not in self.cache:
            self.cache[key] = self._judge(placement, claims)
        return self.cache[key]

    def _judge(self, p: Placement, claims: list[tuple[str, Any, str]]) -> dict[str, dict[str, Any]]:
        own = own_terms(self.graph, claims)
        subject = p.node or p.base
        table = self._answers(subject) if subject else None
        out: dict[str, dict[str, Any]] = {}
        for use in USES:
            parts: list[dict[str, str]] = []
            if table is not None:
                a = table[use]
                role = "release" if p.node else "base"
                why = (f"the reasoner's answer for {a['model_name']} ({a['model']})"
                       + (f", decided by {', '.join(a['deciding'])}" if a["deciding"] else ""))
                parts.append({"part": f"{role}: {a['model_name']}", "verdict": a["verdict"], "why": why,
                              "source": "data/ (curated graph)", "notes": " ".join(a["notes"])})
            else:
                parts.append({"part": "base: unknown", "verdict": "unknown", "source": "",
                              "why": "no base model could be placed in the graph"})
            stated = own[use]
            if p.node:  # a curated release: declared terms can only restrict it
                parts += [{"part": "own declared terms", **s} for s in stated if s["verdict"] in ("no", "conditional")]
            elif stated:
                parts += [{"part": "own declared terms", **s} for s in stated]
            else:
                parts.append({"part": "own declared terms", "verdict": "unknown", "source": "",
                              "why": "no sidecar or header states this use (fail closed: unknown, never allowed)"})
            verdict = most_restrictive([x["verdict"] for x in parts])
            decided = list(dict.fromkeys(x["part"] for x in parts if x["verdict"] == verdict))
            out[use] = {"verdict": verdict, "decided_by": decided, "parts": parts}
        return out
