"""Civitai permission flags implied by the reasoner's verdicts.

Civitai's flags (``allowNoCredit``, ``allowCommercialUse`` as a list of ``None``/``Image``/``RentCivit``/
``Rent``/``Sell``, ``allowDerivatives``, ``allowDifferentLicense``) are self-declared by uploaders. Here they
are derived conservatively: only a ``yes`` verdict grants a flag; conditional, disputed and unknown
verdicts withhold it and are listed in ``notes``.

>>> from lineage.core.graph import load_graph
>>> flags = civitai_flags(load_graph(), "flux1-schnell")
>>> flags.allowCommercialUse
['Image', 'RentCivit', 'Rent', 'Sell']
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import networkx as nx

from lineage.answers.reasoner import attachments, verdict_table

#: Which use's verdict grants each commercial-use value (Civitai's meanings: sell generated images; use on
#: Civitai's generator; use on other generation services; sell the model or merges).
COMMERCIAL_VALUES: list[tuple[str, str]] = [
    ("Image", "sell-outputs"),
    ("RentCivit", "paid-service"),
    ("Rent", "paid-service"),
    ("Sell", "sell-derivatives"),
]


@dataclass(frozen=True)
class CivitaiFlags:
    model: str
    allowNoCredit: bool
    allowCommercialUse: list[str]
    allowDerivatives: bool
    allowDifferentLicense: bool
    verdicts: dict[str, str]
    notes: list[str]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def civitai_flags(graph: nx.MultiDiGraph, model_id: str) -> CivitaiFlags:
    """The Civitai flags that the verdicts for ``model_id`` allow."""
    table = verdict_table(graph, model_id)
    target = next(iter(table.values())).model
    verdicts = {use: answer.verdict for use, answer in table.items()}
    notes = [
        f"{use}: {v} (flag withheld)" for use, v in verdicts.items()
        if v in {"conditional", "disputed", "unknown", "depends"}
    ]
    commercial = [value for value, use in COMMERCIAL_VALUES if verdicts[use] == "yes"] or ["None"]
    flowing = sorted(
        {
            a.license
            for a in attachments(graph, target)
            if (lic := graph.nodes[a.license]["record"]).flow_down and lic.flow_down.applies
        }
    )
    if flowing:
        notes.append("derivatives must carry the terms of: " + ", ".join(flowing))
    return CivitaiFlags(
        model=target,
        allowNoCredit=verdicts["no-attribution"] == "yes",
        allowCommercialUse=commercial,
        allowDerivatives=verdicts["share-derivatives"] == "yes",
        allowDifferentLicense=verdicts["share-derivatives"] == "yes" and not flowing,
        verdicts=verdicts,
        notes=notes,
    )
