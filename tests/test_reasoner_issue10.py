"""Regression tests for every case at the top of issue 10, on the shipped data."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from lineage.answers.ask import parse_question
from lineage.answers.combination import combination_answer
from lineage.answers.family import family_answer
from lineage.answers.reasoner import can_i
from lineage.answers.whatif import what_if
from lineage.cli import main
from lineage.core.problems import LineageError
from lineage.format import format_answer

from .inspection.builders import write_safetensors


def cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


# --- what-if asserts the swapped-in part --------------------------------------------------------


def test_anima_on_flux_dev_stays_no_for_commercial_use_and_gains_the_flux_license(graph):
    result = what_if(graph, "anima-preview-2", {"denoiser": "flux1-dev"})
    assert result.before["commercial-use"]["verdict"] == result.after["commercial-use"]["verdict"] == "no"
    after = {r["license"] for r in result.after["commercial-use"]["reasons"]}
    assert {"flux-1-dev-nc", "circlestone-nc-1.0"} <= after  # FLUX's NC license added, Anima's own kept
    assert "nvidia-oml-2025-04-28" in result.licenses_gone  # left with the replaced Cosmos parent
    assert "circlestone-nc-1.0" not in result.removed_licenses
    for use in ("paid-service", "train-on-outputs", "sell-derivatives"):
        assert result.after[use]["verdict"] == "no", use


def test_swapping_in_the_cosmos_denoiser_keeps_nvidias_license(graph):
    result = what_if(graph, "anima-preview-2", {"denoiser": "cosmos-predict2-2b-t2i"})
    assert "nvidia-oml-2025-04-28" not in result.licenses_gone
    for use, before in result.before.items():
        assert result.after[use]["verdict"] == before["verdict"], use
        assert "nvidia-oml-2025-04-28" in {r["license"] for r in result.after[use]["reasons"]}, use
    assert result.changes == []


def test_a_swapped_vae_brings_its_own_terms_in_full(graph):
    result = what_if(graph, "flux1-schnell", {"vae": "cosmos-tokenize1"})
    assert any(r["license"] == "nvidia-oml-2025-01-06" for r in result.after["commercial-use"]["reasons"])
    assert all(c["before"] != c["after"] for c in result.changes)


@pytest.mark.parametrize(
    ("role", "other", "says"),
    [
        ("denoiser", "wan2.1-vae", "is a VAE, so it cannot be the denoiser"),
        ("vae", "flux1-dev", "is a model, so it cannot be the VAE"),
        ("textencoder", "qwen-image-vae", "cannot be the text encoder"),
        ("denoiser", "apache-2.0", "is a license, not a model or part"),
        ("denoiser", "flux1", "is a family; swap in one release"),
    ],
)
def test_swaps_are_checked_by_role(graph, role, other, says):
    with pytest.raises(LineageError, match=says):
        what_if(graph, "anima-preview-2", {role: other})


def test_what_if_cli_reports_a_bad_role_in_one_line():
    code, out, err = cli("what-if", "anima-preview-2", "--swap", "denoiser=apache-2.0")
    assert code == 1 and out == "" and err.count("\n") == 1 and "is a license" in err


# --- scope: optional parts and what a use touches ----------------------------------------------


@pytest.mark.parametrize("use", ["share-derivatives", "train-on-outputs", "sell-outputs", "make-derivatives"])
def test_llama_guard_no_longer_makes_cosmos_conditional(graph, use):
    answer = can_i(graph, "cosmos-predict2-2b-t2i", use)
    assert answer.verdict == "yes"
    assert "llama-3.1-community" not in {r.license for r in answer.reasons}


def test_running_nvidias_full_pipeline_says_what_llama_guard_adds(graph):
    answer = can_i(graph, "cosmos-predict2-2b-t2i", "commercial-use")
    assert answer.verdict == "yes"
    [extra] = answer.optional
    assert extra["part"] == "llama-guard-3" and extra["verdict"] == "conditional"
    assert extra["text"].startswith("Running NVIDIA's full pipeline with Llama Guard 3")
    assert "700 million" in extra["text"]
    assert "Running NVIDIA's full pipeline with Llama Guard 3" in format_answer(answer)


def test_a_lora_of_anima_does_not_touch_its_apache_text_encoder(graph):
    answer = can_i(graph, "anima-preview", "share-derivatives")
    untouched = {p["part"] for p in answer.scope if not p["touched"]}
    assert {"qwen3-0.6b-base", "qwen-image-vae"} <= untouched
    assert "apache-2.0" not in {r.license for r in answer.reasons}


# --- families ------------------------------------------------------------------------------------


def test_flux1_depends_on_the_release(graph):
    fa = family_answer(graph, "flux1", "commercial-use")
    verdicts = {m.id: m.verdict for m in fa.members}
    assert fa.verdict == "depends" and verdicts["flux1-schnell"] == "yes" and verdicts["flux1-dev"] == "no"
    assert "[schnell] yes" in fa.summary and "[dev] no" in fa.summary
    answer = can_i(graph, "flux1", "commercial-use")
    assert answer.verdict == "depends" and {m["id"] for m in answer.members} >= {"flux1-schnell", "flux1-dev"}


def test_a_family_whose_releases_agree_gets_one_verdict(graph):
    fa = family_answer(graph, "anima", "sell-outputs")
    assert fa.verdict == "yes" and len(fa.members) >= 5 and all(m.verdict == "yes" for m in fa.members)
    # every Anima release (Turbo included) is under CircleStone's non-commercial license: one verdict, no
    commercial = family_answer(graph, "anima", "commercial-use")
    assert commercial.verdict == "no" and all(m.verdict == "no" for m in commercial.members)


def test_components_and_trace_of_a_family_list_its_members():
    code, out, _ = cli("components", "sdxl")
    assert code == 0 and "SDXL 1.0 (sdxl-1.0)" in out and "SDXL VAE" in out
    code, out, _ = cli("components", "anima", "--json")
    data = json.loads(out)
    assert code == 0 and {m["id"] for m in data["members"]} >= {"anima-preview", "anima-base-v1.0"}
    assert all(m["components"] for m in data["members"])
    code, out, _ = cli("trace", "anima", "--descendants")
    assert code == 0 and "anima-preview --member_of--> anima" in out and "no recorded" not in out
    code, out, _ = cli("show", "flux1")
    assert "member: FLUX.1 [schnell] (flux1-schnell)" in out


# --- what answers rest on -----------------------------------------------------------------------


def test_a_yes_resting_on_v1_0_wording_for_v1_2_says_so(graph):
    answer = can_i(graph, "anima-base-v1.0", "sell-outputs")
    assert answer.verdict == "yes"
    v1_0 = "CircleStone Labs Non-Commercial License v1.0"
    assert answer.rests_on and f"assumed from {v1_0}" in answer.rests_on
    reason = next(r for r in answer.reasons if r.license == "circlestone-nc-1.2")
    assert reason.status == "assumed" and reason.assumed_from in (v1_0, "circlestone-nc-1.0")
    assert format_answer(answer).splitlines()[1].strip().startswith(f"This rests on wording assumed from {v1_0}")


def test_a_yes_resting_on_an_unverified_license_claim_says_so(graph):
    answer = can_i(graph, "anima-turbo-v1.0", "sell-outputs")
    assert answer.verdict == "yes"
    assert answer.rests_on and "unverified" in answer.rests_on


def test_flux_dev_says_commercial_use_needs_a_separate_bfl_license(graph):
    text = format_answer(can_i(graph, "flux1-dev", "commercial-use"))
    assert "Commercial use needs a separate license from BFL" in text


def test_no_answers_offer_alternatives_and_no_obligations(graph):
    answer = can_i(graph, "flux1-dev", "commercial-use")
    assert answer.obligations == []
    [first, *_] = answer.alternatives
    assert first["id"] == "flux1-schnell" and "Apache License 2.0" in first["text"]
    assert len(answer.alternatives) <= 3
    assert all(can_i(graph, a["id"], "commercial-use").verdict == "yes" for a in answer.alternatives)


def test_one_reason_per_license_and_part(graph):
    reasons = can_i(graph, "anima-preview-2", "commercial-use").reasons
    keys = [(r.license, r.part) for r in reasons]
    assert len(keys) == len(set(keys))
    text = format_answer(can_i(graph, "anima-preview-2", "commercial-use"))
    assert text.count("Apache License 2.0 says") == 1


def test_notes_are_plain_english_and_only_where_they_change_something(graph):
    for use in ("commercial-use", "sell-outputs", "share-derivatives"):
        for note in can_i(graph, "anima-preview", use).notes:
            assert "architecture_derived_from" not in note and "finetuned_from" not in note


# --- ask ------------------------------------------------------------------------------------------


def test_train_a_lora_and_make_money_from_pictures(graph):
    assert parse_question(graph, "Can I train a LoRA on FLUX dev?").use == "make-derivatives"
    parsed = parse_question(graph, "make money from Anima Preview 2 pictures")
    assert parsed.use == "sell-outputs"
    assert can_i(graph, parsed.model, parsed.use).verdict == "yes"


def test_ask_answers_two_models_and_lineage_questions():
    code, out, _ = cli("ask", "can I sell images from FLUX.1 [schnell] or SD 3.5 Large?", "--json")
    data = json.loads(out)
    assert code == 0 and [a["model"] for a in data["answers"]] == ["flux1-schnell", "sd3.5-large"]
    code, out, _ = cli("ask", "what VAE does Qwen-Image use")
    assert code == 0 and "Qwen-Image VAE" in out
    code, out, _ = cli("ask", "is pony ok for commercial use")
    assert code == 1 and "did you mean pony-v6-xl, pony-v7" in out


def test_list_and_search_find_ids():
    code, out, _ = cli("search", "klein", "--json")
    data = json.loads(out)
    assert code == 0 and data["entries"][0]["id"] == "flux2-klein-4b"
    code, out, _ = cli("list", "--kind", "vae", "--org", "alibaba", "--license", "apache")
    assert code == 0 and "qwen-image-vae" in out and "flux1-ae" not in out
    code, _, err = cli("list", "--kind", "engine")
    assert code == 1 and "--kind 'engine'" in err


# --- combinations ----------------------------------------------------------------------------------


def test_a_combination_takes_the_most_restrictive_part(graph):
    combo = combination_answer(graph, ["anima-preview-3-base", "flux1-ae", "llama-guard-3"], "commercial-use")
    assert combo.verdict == "no" and [p.verdict for p in combo.parts] == ["no", "yes", "conditional"]
    assert combo.deciding == ["Anima Preview 3-base"]


def test_a_lora_file_is_fail_closed(graph, tmp_path):
    lora = write_safetensors(tmp_path / "style.safetensors", {
        "lora_unet_double_blocks_0_img_attn_qkv.lora_down.weight": (16, 3072),
        "lora_unet_double_blocks_0_img_attn_qkv.lora_up.weight": (9216, 16),
    })
    combo = combination_answer(graph, ["flux1-schnell", str(lora)], "sell-outputs")
    part = combo.parts[1]
    assert part.identified_by == "lora base" and part.verdict in {"unknown", "no", "disputed"}
    assert combo.verdict != "yes"


def test_an_unidentified_file_is_unknown(graph, tmp_path):
    odd = write_safetensors(tmp_path / "mystery.safetensors", {"foo.weight": (3, 3)})
    combo = combination_answer(graph, ["flux1-schnell", str(odd)], "commercial-use")
    assert combo.verdict == "unknown" and combo.parts[1].node is None


def test_can_i_with_on_the_command_line(tmp_path):
    code, out, _ = cli("can-i", "anima preview 3", "--with", "flux1-ae", "--with", "llama-guard-3",
                       "commercial-use")
    assert code == 0 and "-> NO" in out
    assert out.startswith("Can I use Anima Preview 3-base + FLUX.1 AE + Llama Guard 3")
    code, _, err = cli("can-i", "flux1-schnell", "--with", str(tmp_path / "absent.safetensors"), "sell-outputs")
    assert code == 1 and "no such file" in err
    odd = write_safetensors(tmp_path / "mystery.safetensors", {"foo.weight": (3, 3)})
    code, out, _ = cli("can-i", str(odd), "commercial-use", "--json")
    assert code == 0 and json.loads(out)["verdict"] == "unknown"
