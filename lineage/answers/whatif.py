"""What-if compositions: swap one part of a model for another and see how the verdicts change.

A swap is *asserted* for the scenario, not treated as an unverified claim: the swapped-in part's own
licenses, and whatever flows down to it, apply in full. Roles: ``text-encoder``, ``vae``, ``adapter``,
``tokenizer`` replace the part the model uses; ``denoiser`` replaces what the model's own weights were
derived from (e.g. Anima built on FLUX.1 [dev] instead of Cosmos-Predict2). The replaced part's licenses
leave only with it: a license the model carries because of the replaced parent (NVIDIA's license on
Anima) is removed, the model's own (CircleStone's) stays. Each swap is checked against the role: a VAE
cannot be a denoiser, a license is not a part.

>>> from lineage.core.graph import load_graph
>>> result = what_if(load_graph(), "anima-preview-2", {"denoiser": "flux1-dev"})
>>> result.after["commercial-use"]["verdict"]
'no'
>>> "flux-1-dev-nc" in result.licenses_new
True
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import networkx as nx

from lineage.answers.core import attachments
from lineage.answers.reasoner import verdict_table
from lineage.core.problems import LineageError
from lineage.core.queries import members
from lineage.core.resolve import normalise
from lineage.core.schema import DERIVATION_EDGES, EdgeType

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
#: The node kinds that can fill each role.
ROLE_KINDS: dict[str, frozenset[str]] = {
    EdgeType.uses_text_encoder.value: frozenset({"text_encoder"}),
    EdgeType.uses_vae.value: frozenset({"vae"}),
    EdgeType.uses_adapter.value: frozenset({"adapter"}),
    EdgeType.uses_tokenizer.value: frozenset({"tokenizer"}),
    "denoiser": frozenset({"model", "denoiser"}),
}
ROLE_WORDS: dict[str, str] = {
    EdgeType.uses_text_encoder.value: "text encoder", EdgeType.uses_vae.value: "VAE",
    EdgeType.uses_adapter.value: "adapter", EdgeType.uses_tokenizer.value: "tokenizer", "denoiser": "denoiser",
}
KIND_WORDS: dict[str, str] = {"vae": "VAE", "text_encoder": "text encoder"}
#: Derivation edges that say where a model's own weights came from (replaced by a denoiser swap).
WEIGHT_EDGES: frozenset[str] = frozenset(e.value for e in DERIVATION_EDGES) - {EdgeType.trained_on_outputs_of.value}
ASSERTED = [{"source": "what-if", "locator": "hypothetical composition asserted by the user", "status": "asserted"}]


@dataclass(frozen=True)
class WhatIf:
    """Verdict tables before and after the swap; ``changes`` lists verdict changes only, obligations apart."""

    model: str
    swaps: dict[str, str]
    before: dict[str, dict[str, Any]]
    after: dict[str, dict[str, Any]]
    changes: list[dict[str, Any]]
    removed_licenses: list[str]
    licenses_gone: list[str]
    licenses_new: list[str]
    obligation_changes: list[dict[str, Any]] = field(default_factory=list)

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


def check_swap(graph: nx.MultiDiGraph, role: str, other: str) -> str:
    """The edge type ``role`` stands for, after checking that ``other`` can fill it; else a clear error.

    >>> from lineage.core.graph import load_graph
    >>> try:
    ...     check_swap(load_graph(), "denoiser", "wan2.1-vae")
    ... except LineageError as err:
    ...     print(str(err).split(", so ")[1])
    it cannot be the denoiser; pick a denoiser or model.
    """
    if role not in ROLES:
        raise LineageError(f"unknown role {role!r}; use text-encoder, vae, denoiser, adapter or tokenizer")
    etype = ROLES[role]
    if other not in graph:
        raise LineageError(f"{other!r} is not a node in the graph")
    kind = graph.nodes[other]["kind"]
    label = f"{graph.nodes[other]['name']} ({other})"
    if kind == "license":
        raise LineageError(f"{label} is a license, not a model or part; swap in a release that carries it.")
    if kind == "family":
        raise LineageError(f"{label} is a family; swap in one release: {', '.join(members(graph, other)) or '-'}.")
    allowed = ROLE_KINDS[etype]
    if kind not in allowed:
        kinds = " or ".join(sorted(KIND_WORDS.get(k, k) for k in allowed))
        shown = KIND_WORDS.get(kind, kind)
        raise LineageError(f"{label} is {'an' if shown[0] in 'aeiou' else 'a'} {shown}, so it cannot be the "
                           f"{ROLE_WORDS[etype]}; pick a {kinds}.")
    return etype


def _org(graph: nx.MultiDiGraph, node: str) -> str | None:
    return graph.nodes[node].get("organization")


def compose(graph: nx.MultiDiGraph, model_id: str, swaps: dict[str, str]) -> tuple[nx.MultiDiGraph, list[str]]:
    """A copy of ``graph`` where ``model_id`` uses the swapped parts; also the licenses removed from the model.

    The swapped-in part is attached as an asserted (``hypothetical``) part edge. For a denoiser swap the
    model's weight-lineage edges are removed, and with them the own licenses that some other organization's
    release on the replaced line carries (the model's own organization's licenses stay).
    """
    hypo = graph.copy()
    removed: list[str] = []
    for role, other in swaps.items():
        etype = check_swap(graph, role, other)
        if etype == "denoiser":
            weight_edges = [(v, k) for _, v, k in graph.out_edges(model_id, keys=True) if k in WEIGHT_EDGES]
            replaced = [v for v, k in weight_edges if k != EdgeType.successor_of.value]
            foreign = {a.license for p in replaced for a in attachments(graph, p)
                       if a.how in {"own", "flow-down"} and _org(graph, a.path[-1]) != _org(graph, model_id)}
            for parent, key in weight_edges:
                hypo.remove_edge(model_id, parent, key)
            for lic in [v for _, v, k in hypo.out_edges(model_id, keys=True) if k == "licensed_under"]:
                if lic in foreign:
                    hypo.remove_edge(model_id, lic, "licensed_under")
                    removed.append(lic)
            for _, v, k in list(hypo.out_edges(model_id, keys=True)):
                if k == EdgeType.uses_denoiser.value:
                    hypo.remove_edge(model_id, v, k)
            etype = EdgeType.uses_denoiser.value
        else:
            for _, v, k in list(hypo.out_edges(model_id, keys=True)):
                if k == etype:
                    hypo.remove_edge(model_id, v, k)
        hypo.add_edge(model_id, other, key=etype, type=etype, sources=ASSERTED, disputed=False, dispute=None,
                      hypothetical=True, optional=False)
    return hypo, removed


def what_if(graph: nx.MultiDiGraph, model_id: str, swaps: dict[str, str]) -> WhatIf:
    """Compare the verdict table of ``model_id`` with that of the hypothetical composition."""
    if graph.nodes[model_id]["kind"] == "family":
        raise LineageError(f"{model_id!r} is a family; pick one release for a what-if: "
                           f"{', '.join(members(graph, model_id)) or '-'}")
    for role, other in swaps.items():
        check_swap(graph, role, other)
    hypo, removed = compose(graph, model_id, swaps)
    before = {u: a.to_dict() for u, a in verdict_table(graph, model_id).items()}
    after = {u: a.to_dict() for u, a in verdict_table(hypo, model_id).items()}
    changes = [
        {"use": u, "before": before[u]["verdict"], "after": after[u]["verdict"], "verdict_changed": True,
         "deciding_before": before[u]["deciding"], "deciding_after": after[u]["deciding"]}
        for u in before if before[u]["verdict"] != after[u]["verdict"]
    ]
    obligation_changes = []
    for u in before:
        gone = [o for o in before[u]["obligations"] if o not in after[u]["obligations"]]
        new = [o for o in after[u]["obligations"] if o not in before[u]["obligations"]]
        if gone or new:
            obligation_changes.append({"use": u, "obligations_gone": gone, "obligations_new": new})
    reached_before = list(dict.fromkeys(a.license for a in attachments(graph, model_id)))
    reached_after = list(dict.fromkeys(a.license for a in attachments(hypo, model_id)))
    return WhatIf(model_id, dict(swaps), before, after, changes, removed,
                  licenses_gone=[lic for lic in reached_before if lic not in reached_after],
                  licenses_new=[lic for lic in reached_after if lic not in reached_before],
                  obligation_changes=obligation_changes)
