"""The reasoner on the shipped data: each expected verdict is justified by a clause recorded in the data.

Every row names the license that must decide it and a fragment of the clause that must be cited, so a row
fails if the data loses that clause or the reasoner reaches the verdict for another reason.
"""

from __future__ import annotations

import pytest

from lineage.answers.civitai import civitai_flags
from lineage.answers.reasoner import can_i
from lineage.answers.whatif import what_if

ROWS = [
    # (model, use, verdict, deciding license, clause fragment that must be cited)
    ("anima-preview", "commercial-use", "no", "circlestone-nc-1.0", "Commercial use of the model itself is prohibited"),
    ("anima-preview", "paid-service", "no", "circlestone-nc-1.0", "Commercial use of the model itself is prohibited"),
    ("anima-preview", "sell-outputs", "yes", "circlestone-nc-1.0", "Commercial use of the outputs is allowed"),
    ("anima-preview", "train-on-outputs", "no", "circlestone-nc-1.0", "Using the outputs to train other models"),
    ("anima-preview", "sell-derivatives", "no", "circlestone-nc-1.0", "only usable for non-commercial purposes"),
    ("anima-preview-2", "train-on-outputs", "no", "circlestone-nc-1.0", "Using the outputs to train other models"),
    ("anima-base-v1.0", "commercial-use", "no", "circlestone-nc-1.2", "non-commercial and non-production use"),
    ("flux1-dev", "commercial-use", "no", "flux-1-dev-nc", "non-commercial and non-production use"),
    ("flux1-dev", "sell-outputs", "disputed", "flux-1-dev-nc", "You may use Output for any purpose"),
    ("flux1-dev", "train-on-outputs", "no", "flux-1-dev-nc", "competitive with the FLUX.1 [dev] Model"),
    ("flux1-fill-dev", "commercial-use", "no", "flux-1-dev-nc", "non-commercial and non-production use"),
    ("flux2-dev", "train-on-outputs", "no", "flux-dev-nc-2.0", "competitive with a FLUX [dev] Model"),
    ("flux1-schnell", "commercial-use", "yes", "apache-2.0", "perpetual, worldwide"),
    ("flux1-schnell", "no-attribution", "no", "apache-2.0", "You must give any other recipients"),
    ("flux1-ae", "sell-outputs", "yes", "apache-2.0", "perpetual, worldwide"),
    ("sdxl-1.0", "paid-service", "yes", "creativeml-openrail-pp-m", "You may host for Third Party remote access"),
    ("sdxl-1.0", "sell-outputs", "yes", "creativeml-openrail-pp-m", "Licensor claims no rights in the Output"),
    ("sdxl-0.9", "commercial-use", "no", "sdxl-0.9-research", "non-commercial research purposes"),
    ("sd3.5-large", "commercial-use", "conditional", "stability-community", "for a Commercial Purpose"),
    ("sd3.5-large", "train-on-outputs", "no", "stability-community", "to create or improve any foundational"),
    ("sd3.5-large", "sell-outputs", "disputed", "stability-community", "You own any outputs"),
    # Llama Guard 3 is an optional guardrail, and its outputs are its labels, not the images (issue 10)
    ("cosmos-predict2-2b-t2i", "sell-outputs", "yes", "nvidia-oml-2025-04-28", "NVIDIA claims no ownership"),
    ("cosmos-predict2-2b-t2i", "share-derivatives", "yes", "nvidia-oml-2025-04-28", "create and distribute"),
    ("cosmos-predict2-2b-t2i", "train-on-outputs", "yes", "nvidia-oml-2025-04-28", "Built on NVIDIA Cosmos"),
    ("illustrious-xl-v0.1", "sell-outputs", "yes", "faipl-1.0-sd", "The output of this software is not covered"),
    ("wan2.1-t2v-14b", "commercial-use", "yes", "apache-2.0", "perpetual, worldwide"),
    ("z-image-turbo", "train-on-outputs", "yes", "apache-2.0", "perpetual, worldwide"),
    # make-derivatives: fine-tune or train a LoRA for yourself
    ("flux1-dev", "make-derivatives", "yes", "flux-1-dev-nc", "create Derivatives of the FLUX.1 [dev] Model"),
    ("flux1-schnell", "make-derivatives", "yes", "apache-2.0", "prepare Derivative Works of"),
    ("anima-preview-2", "make-derivatives", "yes", "nvidia-oml-2025-04-28", "free to create and distribute"),
    ("sdxl-1.0", "make-derivatives", "yes", "creativeml-openrail-pp-m", "Derivatives of the Model"),
    # a v1.0 clause applied to v1.2 still decides, and the answer says it rests on it (issue 10)
    ("anima-base-v1.0", "sell-outputs", "yes", "circlestone-nc-1.2", "Commercial use of the outputs is allowed"),
    ("flux1-dev", "sell-derivatives", "no", "flux-1-dev-nc", "for Non-Commercial Purposes"),
]


@pytest.mark.parametrize(("model", "use", "verdict", "license_id", "fragment"), ROWS)
def test_verdict_and_its_clause(graph, model, use, verdict, license_id, fragment):
    answer = can_i(graph, model, use)
    assert answer.verdict == verdict
    assert license_id in answer.deciding
    cited = [r for r in answer.reasons if r.license == license_id and r.decisive]
    assert cited, f"{license_id} decided but no decisive reason cites it"
    assert any(fragment in c["quote"] for r in cited for c in r.clauses), [r.clauses for r in cited]
    assert all(r.url for r in cited)


def test_anima_carries_the_nvidia_license_and_the_noncommercial_one(graph):
    # The article: the transformer "inherits the NVIDIA Open Model License and adds CircleStone Labs' own
    # restrictions"; the text encoder and VAE are Apache-2.0.
    reached = {r.license: r for r in can_i(graph, "anima-preview", "commercial-use").reasons}
    assert any(lic.startswith("nvidia-oml") for lic in reached)
    assert "circlestone-nc-1.0" in reached and "apache-2.0" in reached
    # a LoRA or fine-tune of the DiT does not contain the Apache-2.0 text encoder or VAE
    shared = {r.license for r in can_i(graph, "anima-preview", "share-derivatives").reasons}
    assert "apache-2.0" not in shared and "circlestone-nc-1.0" in shared
    via_vae = [r for r in can_i(graph, "anima-preview", "commercial-use").reasons if r.path[-1] == "qwen-image-vae"]
    assert via_vae and all(r.license == "apache-2.0" and r.how == "component" for r in via_vae)


def test_the_flux_autoencoder_keeps_its_own_license(graph):
    # FLUX.1 [dev] is non-commercial, but the autoencoder it uses is Apache-2.0 and so are its other users.
    assert can_i(graph, "flux1-ae", "commercial-use").verdict == "yes"
    reasons = can_i(graph, "z-image", "commercial-use").reasons
    assert not any(r.license.startswith("flux") for r in reasons)


def test_disputed_licensing_shows_both_sides(graph):
    answer = can_i(graph, "pony-v6-xl", "commercial-use")
    assert answer.verdict == "disputed"
    assert {"pony-modified-faipl", "creativeml-openrail-pp-m"} <= {r.license for r in answer.reasons}


def test_what_if_anima_on_wan_drops_the_nvidia_terms(graph):
    result = what_if(graph, "anima-preview", {"denoiser": "wan2.1-t2v-14b"})
    assert "nvidia-oml-2025-04-28" in result.licenses_gone
    assert result.after["commercial-use"]["verdict"] == "no"  # CircleStone's own license still says no
    gone = [o for c in result.obligation_changes for o in c["obligations_gone"]]
    assert all(c["before"] != c["after"] for c in result.changes)  # changes count verdict changes only
    assert any("Built on NVIDIA Cosmos" in o for o in gone)


@pytest.mark.parametrize(
    ("model", "no_credit", "commercial", "derivatives", "different_license"),
    [
        ("flux1-schnell", False, ["Image", "RentCivit", "Rent", "Sell"], True, True),
        ("flux1-dev", False, ["None"], True, False),
        ("anima-preview", False, ["Image"], False, False),  # share-derivatives is conditional (clause 3(c))
        ("sdxl-1.0", False, ["Image", "RentCivit", "Rent", "Sell"], True, False),
    ],
)
def test_civitai_flags(graph, model, no_credit, commercial, derivatives, different_license):
    flags = civitai_flags(graph, model)
    assert flags.allowNoCredit is no_credit
    assert flags.allowCommercialUse == commercial
    assert flags.allowDerivatives is derivatives
    assert flags.allowDifferentLicense is different_license
