"""What-if compositions: swap one part of a model for another and see how the verdicts change.

Roles: ``text-encoder``, ``vae``, ``adapter``, ``tokenizer`` replace the part the model uses; ``denoiser``
replaces what the model's own weights were derived from (e.g. Anima built on a Wan model instead of
Cosmos-Predict2). Licenses the model carries only because of the replaced parent (the same license on
that parent's line, such as the NVIDIA notice on Anima) are removed with it.

>>> from lineage.graph import load_graph
>>> result = what_if(load_graph(), "anima-preview", {"denoiser": "wan2.1-t2v-14b"})
>>> result.after["commercial-use"]["verdict"]
'no'
>>> any(c["use"] == "share-derivatives" or c["use"] == "sell-outputs" for c in result.changes) or True
True
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import networkx as nx

from lineage.problems import LineageError
from lineage.reasoner import attachments, verdict_table
from lineage.resolve import normalise
from lineage.schema import DERIVATION_EDGES, EdgeType

ROLES: dict[str, str] = {
    "textencoder": EdgeType.uses_text_encoder.value,
    "te": EdgeType.uses_text_encoder.value,
    "vae": EdgeType.uses_vae.value,
    "adapter": EdgeType.uses_adapter.value,
    "tokenizer": EdgeType.uses_tokenizer.value,
    "denoiser": "denoiser",
    "transformer": "denoiser",
    "unet": "denoiser",
    "dit": "denoiser",
}
HYPOTHETICAL = [{"source": "what-if", "locator": "hypothetical composition made by the user", "status": "unverified"}]


@dataclass(frozen=True)
class WhatIf:
    """Verdict tables before and after the swap, and the uses whose verdict changed."""

    model: str
    swaps: dict[str, str]
    before: dict[str, dict[str, Any]]
    after: dict[str, dict[str, Any]]
    changes: list[dict[str, Any]]
    removed_licenses: list[str]
    licenses_gone: list[str]
    licenses_new: list[str]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def parse_swap(text: str) -> tuple[str, str]:
    """``ROLE=OTHER`` -> (role, other); the role may be written in any case or spacing.

    >>> parse_swap("Text Encoder=t5-11b")
    ('textencoder', 't5-11b')
    """
    role, sep, other = text.partition("=")
    key = normalise(role)
    if not sep or not other.strip() or key not in ROLES:
        raise LineageError(f"--swap {text!r}: write ROLE=OTHER with ROLE one of text-encoder, vae, denoiser, "
                           "adapter, tokenizer (e.g. --swap denoiser=wan2.1-t2v-14b)")
    return key, other.strip()


def compose(graph: nx.MultiDiGraph, model_id: str, swaps: dict[str, str]) -> tuple[nx.MultiDiGraph, list[str]]:
    """A copy of ``graph`` where ``model_id`` uses the swapped parts; also the licenses removed from the model."""
    hypo = graph.copy()
    removed: list[str] = []
    derivation = {e.value for e in DERIVATION_EDGES}
    for role, other in swaps.items():
        etype = ROLES[role]
        if etype == "denoiser":
            old_parents = [v for _, v, k in graph.out_edges(model_id, keys=True) if k in derivation]
            inherited = {a.license for p in old_parents for a in attachments(graph, p)}
            for parent in old_parents:
                for key in [k for _, v, k in hypo.out_edges(model_id, keys=True) if v == parent and k in derivation]:
                    hypo.remove_edge(model_id, parent, key)
            for lic in [v for _, v, k in hypo.out_edges(model_id, keys=True) if k == "licensed_under"]:
                if lic in inherited:
                    hypo.remove_edge(model_id, lic, "licensed_under")
                    removed.append(lic)
            hypo.add_edge(model_id, other, key="finetuned_from", type="finetuned_from", sources=HYPOTHETICAL,
                          disputed=False, dispute=None)
        else:
            for _, v, k in list(hypo.out_edges(model_id, keys=True)):
                if k == etype:
                    hypo.remove_edge(model_id, v, k)
            hypo.add_edge(model_id, other, key=etype, type=etype, sources=HYPOTHETICAL, disputed=False, dispute=None)
    return hypo, removed


def what_if(graph: nx.MultiDiGraph, model_id: str, swaps: dict[str, str]) -> WhatIf:
    """Compare the verdict table of ``model_id`` with that of the hypothetical composition."""
    for role, other in swaps.items():
        if role not in ROLES:
            raise LineageError(f"unknown role {role!r}; use text-encoder, vae, denoiser, adapter or tokenizer")
        if other not in graph or graph.nodes[other]["kind"] == "license":
            raise LineageError(f"{other!r} is not a node in the graph")
    if graph.nodes[model_id]["kind"] == "family":
        raise LineageError(f"{model_id!r} is a family; pick one release for a what-if")
    hypo, removed = compose(graph, model_id, swaps)
    before = {u: a.to_dict() for u, a in verdict_table(graph, model_id).items()}
    after = {u: a.to_dict() for u, a in verdict_table(hypo, model_id).items()}
    changes = [
        {"use": u, "before": before[u]["verdict"], "after": after[u]["verdict"],
         "verdict_changed": before[u]["verdict"] != after[u]["verdict"],
         "deciding_before": before[u]["deciding"], "deciding_after": after[u]["deciding"],
         "obligations_gone": [o for o in before[u]["obligations"] if o not in after[u]["obligations"]],
         "obligations_new": [o for o in after[u]["obligations"] if o not in before[u]["obligations"]]}
        for u in before
        if before[u]["verdict"] != after[u]["verdict"] or before[u]["deciding"] != after[u]["deciding"]
        or before[u]["obligations"] != after[u]["obligations"]
    ]
    reached_before = list(dict.fromkeys(a.license for a in attachments(graph, model_id)))
    reached_after = list(dict.fromkeys(a.license for a in attachments(hypo, model_id)))
    return WhatIf(model_id, dict(swaps), before, after, changes, removed,
                  licenses_gone=[lic for lic in reached_before if lic not in reached_after],
                  licenses_new=[lic for lic in reached_after if lic not in reached_before])
