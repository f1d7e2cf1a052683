"""The license records in ``data/licenses.yaml``: they validate, cover every use, and key verdicts hold.

Each row of ``KEY_VERDICTS`` names the clause that justifies the verdict; the test checks that the
record carries that quote for that use, so a verdict cannot drift away from its evidence.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from lineage.core.schema import INFERRED_USES, USES, License

DATA = Path(__file__).resolve().parent.parent / "data" / "licenses.yaml"

#: License ids other data files refer to.
REQUIRED_IDS = {
    "apache-2.0", "mit", "creativeml-openrail-m", "creativeml-openrail-pp-m", "sdxl-0.9-research",
    "flux-1-dev-nc", "flux-dev-nc-2.0", "flux-nc-2.1", "stability-community", "stability-sd3-nc",
    "nvidia-oml-2025-01-06", "nvidia-oml-2025-04-28", "nvidia-oml-2025-09-23",
    "circlestone-nc-1.0", "circlestone-nc-1.2", "faipl-1.0-sd", "noobai-terms", "pony-modified-faipl",
    "tencent-hunyuan-community", "gemma-terms", "llama-3.1-community", "qwen-research", "bfl-api-proprietary",
}  # fmt: skip

#: (license, use, verdict, a quote from the clause that justifies it)
KEY_VERDICTS = [
    ("apache-2.0", "commercial-use", "yes", "irrevocable copyright license"),
    ("apache-2.0", "sell-outputs", "yes", "royalty-free, irrevocable copyright license"),
    ("apache-2.0", "no-attribution", "no", "a copy of this License"),
    ("mit", "sell-derivatives", "yes", "and/or sell copies of the Software"),
    ("creativeml-openrail-m", "paid-service", "yes", "You may host for Third Party remote access purposes"),
    ("creativeml-openrail-m", "train-on-outputs", "yes", "generation of synthetic data by the Model"),
    ("creativeml-openrail-pp-m", "sell-outputs", "yes", "Licensor claims no rights in the Output"),
    ("sdxl-0.9-research", "commercial-use", "no", "solely for your non-commercial research purposes"),
    ("sdxl-0.9-research", "sell-outputs", "no", "any data produced by the Software"),
    ("flux-1-dev-nc", "commercial-use", "no", "freely available for your non-commercial and non-production use"),
    ("flux-1-dev-nc", "paid-service", "no", "in direct interactions with or that has impact on end users"),
    ("flux-1-dev-nc", "sell-outputs", "disputed", "You may use Output for any purpose"),
    ("flux-1-dev-nc", "sell-outputs", "disputed", "any data produced by the FLUX.1 [dev] Model"),
    ("flux-1-dev-nc", "train-on-outputs", "no", "a model that is competitive with the FLUX.1 [dev] Model"),
    ("flux-1-dev-nc", "share-derivatives", "yes", "you may Distribute copies of the FLUX.1 [dev] Model"),
    ("flux-dev-nc-2.0", "train-on-outputs", "no", "competitive with a FLUX [dev] Model"),
    ("flux-dev-nc-2.0", "sell-outputs", "disputed", "any data produced by the FLUX [dev] Model"),
    ("stability-community", "commercial-use", "conditional", "more than USD $1,000,000 in annual revenue"),
    ("stability-community", "train-on-outputs", "no", "to create or improve any foundational generative AI model"),
    ("stability-community", "no-attribution", "no", "Powered by Stability AI"),
    ("nvidia-oml-2025-04-28", "commercial-use", "yes", "Models are commercially usable."),
    ("nvidia-oml-2025-04-28", "sell-outputs", "yes", "NVIDIA claims no ownership rights in outputs."),
    ("nvidia-oml-2025-04-28", "train-on-outputs", "yes", "or its outputs to create, train, fine tune"),
    ("nvidia-oml-2025-04-28", "share-derivatives", "yes", "You are free to create and distribute Derivative Models."),
    ("nvidia-oml-2025-04-28", "no-attribution", "no", "Built on NVIDIA Cosmos"),
    ("circlestone-nc-1.0", "commercial-use", "no", "Commercial use of the model itself is prohibited."),
    ("circlestone-nc-1.0", "sell-outputs", "yes", "Commercial use of the outputs is allowed."),
    ("circlestone-nc-1.0", "train-on-outputs", "no", "Using the outputs to train other models is prohibited."),
    ("circlestone-nc-1.2", "sell-derivatives", "conditional", "Selling Derivatives"),
    ("faipl-1.0-sd", "share-derivatives", "yes", "or another license that allows everything this license allows"),
    ("faipl-1.0-sd", "sell-outputs", "yes", "The output of this software is not covered by this license"),
    ("noobai-terms", "commercial-use", "disputed", "We prohibit any form of commercialization"),
    ("pony-modified-faipl", "paid-service", "no", "cannot be utilized for commercial purposes"),
    ("tencent-hunyuan-community", "commercial-use", "conditional", "excluding the territory of the European Union"),
    ("tencent-hunyuan-community", "train-on-outputs", "no", "to improve any other AI model"),
    ("gemma-terms", "sell-outputs", "yes", "Google claims no rights in Outputs"),
    ("llama-3.1-community", "commercial-use", "conditional", "greater than 700 million monthly active users"),
    ("qwen-research", "commercial-use", "no", "FOR NON-COMMERCIAL PURPOSES ONLY"),
]


def _raw() -> list[dict]:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))["licenses"]


@pytest.fixture(scope="module")
def licenses() -> dict[str, License]:
    return {record["id"]: License.model_validate(record) for record in _raw()}


@pytest.mark.parametrize("record", _raw(), ids=lambda r: r.get("id", "?"))
def test_record_validates_and_covers_every_use(record: dict) -> None:
    lic = License.model_validate(record)
    # a use in INFERRED_USES may be left out: the reasoner infers it from another use's term
    missing = sorted(set(USES) - set(lic.terms) - set(INFERRED_USES))
    assert not missing, f"{lic.id}: missing {missing}"
    assert set(INFERRED_USES.values()) <= set(lic.terms), lic.id


def test_ids_are_unique_and_complete() -> None:
    ids = [record["id"] for record in _raw()]
    assert len(ids) == len(set(ids))
    assert set(ids) >= REQUIRED_IDS, sorted(REQUIRED_IDS - set(ids))


@pytest.mark.parametrize(("license_id", "use", "verdict", "quote"), KEY_VERDICTS)
def test_key_verdict_rests_on_its_clause(
    licenses: dict[str, License], license_id: str, use: str, verdict: str, quote: str
) -> None:
    term = licenses[license_id].terms[use]
    assert term.verdict == verdict
    assert any(quote in clause.quote for clause in term.clauses), f"{license_id}/{use}: no clause quoting {quote!r}"


def test_disputed_verdicts_mark_every_clause_with_its_side(licenses: dict[str, License]) -> None:
    for lic in licenses.values():
        for use, term in lic.terms.items():
            if term.verdict == "disputed":
                assert all(c.supports for c in term.clauses), f"{lic.id}/{use}"


def test_clauses_without_a_license_url_name_their_source(licenses: dict[str, License]) -> None:
    for lic in licenses.values():
        if lic.url:
            continue
        clauses = [c for t in lic.terms.values() for c in t.clauses]
        assert all(c.source for c in clauses), lic.id


def test_flow_down_names_known_uses(licenses: dict[str, License]) -> None:
    for lic in licenses.values():
        if lic.flow_down:
            assert set(lic.flow_down.uses) <= set(USES), lic.id


@pytest.mark.parametrize(
    ("license_id", "applies", "carries_synthetic_data"),
    [
        ("apache-2.0", False, False),
        ("creativeml-openrail-m", True, True),  # synthetic-data training makes a Derivative
        ("flux-1-dev-nc", True, False),  # "Outputs are not considered Derivatives"
        ("nvidia-oml-2025-04-28", True, True),  # "Built on NVIDIA Cosmos" when training on its outputs
        ("faipl-1.0-sd", True, False),
    ],
)
def test_flow_down(licenses: dict[str, License], license_id: str, applies: bool, carries_synthetic_data: bool) -> None:
    flow = licenses[license_id].flow_down
    assert flow is not None and flow.applies is applies
    assert ("trained_on_outputs_of" in flow.edge_types) is carries_synthetic_data


def test_nvidia_terms_do_not_pass_a_noncommercial_limit(licenses: dict[str, License]) -> None:
    for license_id in ("nvidia-oml-2025-01-06", "nvidia-oml-2025-04-28", "nvidia-oml-2025-09-23"):
        lic = licenses[license_id]
        assert lic.terms["commercial-use"].verdict == "yes"
        assert "no-attribution" in lic.flow_down.uses
        assert "sell-outputs" not in lic.flow_down.uses
        assert lic.facts["guardrail_termination"].value is True
        assert lic.facts["licensor_may_change"].value is True


def test_thresholds(licenses: dict[str, License]) -> None:
    assert licenses["stability-community"].facts["revenue_threshold_usd"].value == 1_000_000
    assert licenses["tencent-hunyuan-community"].facts["user_threshold_mau"].value == 100_000_000
    assert licenses["llama-3.1-community"].facts["user_threshold_mau"].value == 700_000_000


def test_project_loader_reads_the_file() -> None:
    from lineage.core.load import load

    result = load(DATA)
    assert result.problems == []
    assert {lic.id for lic in result.dataset.licenses} >= REQUIRED_IDS
