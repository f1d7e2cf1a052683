"""The `lineage` CLI contract, driven in-process: exit codes, --json objects, errors on stderr."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from lineage.cli import main

from .conftest import FIXTURES

MINI = str(FIXTURES / "mini.yaml")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--data", MINI, *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["show", "child-model", "--json"],
        ["trace", "child-model", "--json"],
        ["components", "child-model", "--json"],
        ["can-i", "child-model", "commercial-use", "--json"],
        ["can-i", "child-model", "--json"],
        ["civitai-flags", "child-model", "--json"],
        ["what-if", "child-model", "--swap", "vae=the-vae", "--json"],
    ],
)
def test_json_is_one_object_on_stdout(args):
    code, out, err = run(*args)
    assert code == 0, err
    assert isinstance(json.loads(out), dict)
    assert err == ""


def test_show_json_has_the_contract_fields():
    _, out, _ = run("show", "Base 1.0", "--json")
    data = json.loads(out)
    for key in ("id", "name", "kind", "released", "organization", "licenses", "sources", "disputed"):
        assert key in data
    assert data["id"] == "base-model" and data["released"] == "2022-06-01"
    assert data["licenses"][0]["id"] == "nc-lic"


def test_trace_lists_edges_with_sources():
    _, out, _ = run("trace", "child-model", "--json")
    steps = json.loads(out)["ancestors"]
    assert any(s["child"] == "child-model" and s["type"] == "finetuned_from" and s["parent"] == "base-model"
               for s in steps)
    assert all(s["sources"] for s in steps)


def test_can_i_json_contract():
    _, out, _ = run("can-i", "child-model", "commercial-use", "--json")
    data = json.loads(out)
    assert data["model"] == "child-model" and data["use"] == "commercial-use" and data["verdict"] == "no"
    assert isinstance(data["conditions"], list) and isinstance(data["obligations"], list)
    reason = data["reasons"][0]
    assert {"license", "path", "clause", "url"} <= set(reason)
    assert "legal advice" in data["disclaimer"]


@pytest.mark.parametrize("args", [["show", "chlid-modle"], ["can-i", "chld-model", "sell-outputs"]])
def test_unknown_name_exits_1_with_suggestions_on_stderr(args):
    code, out, err = run(*args)
    assert code == 1 and out == ""
    assert "Did you mean: child-model" in err


def test_unknown_use_exits_1_with_suggestions():
    code, _, err = run("can-i", "child-model", "sell-output")
    assert code == 1 and "sell-outputs" in err


@pytest.mark.parametrize("args", [["show"], ["export"], ["export", "--format", "pdf"], ["nonsense"]])
def test_usage_errors_exit_2(args):
    code, _, _ = run(*args)
    assert code == 2


def test_export_formats(tmp_path):
    for fmt in ("json", "graphml", "mermaid"):
        out = tmp_path / f"g.{fmt}"
        code, _, _ = run("export", "--format", fmt, "--out", str(out))
        assert code == 0 and out.stat().st_size > 100
    assert json.loads((tmp_path / "g.json").read_text())["edges"]
    assert (tmp_path / "g.graphml").read_text().startswith("<?xml")
    assert (tmp_path / "g.mermaid").read_text().startswith("gantt")


def test_ask_understands_and_asks_back():
    code, out, _ = run("ask", "can I sell images made with Child Model?", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["understood"] == {"model": "child-model", "use": "sell-outputs", "models": ["child-model"],
                                  "intent": "can-i"}
    assert data["answer"]["verdict"] == "disputed"
    code, out, _ = run("ask", "is it fine?", "--json")
    assert code == 1 and json.loads(out)["missing"]


def test_what_if_shows_changes():
    # on the shipped data: Anima Preview 2 built on FLUX.1 [dev] takes on the FLUX.1 [dev] output clauses
    result = CliRunner().invoke(main, ["what-if", "anima-preview-2", "--swap", "denoiser=flux1-dev", "--json"])
    data = json.loads(result.stdout)
    assert result.exit_code == 0
    assert data["before"]["commercial-use"]["verdict"] == data["after"]["commercial-use"]["verdict"] == "no"
    assert {"use": "sell-outputs", "before": "yes", "after": "disputed"}.items() <= data["changes"][0].items()
    assert "flux-1-dev-nc" in data["licenses_new"]


@pytest.mark.parametrize(
    ("swap", "says"),
    [
        ("te=the-vae", "The VAE (the-vae) is a VAE, so it cannot be the text encoder"),
        ("denoiser=the-te", "is a text encoder, so it cannot be the denoiser"),
        ("vae=open-lic", "is a license, not a model or part"),
    ],
)
def test_what_if_checks_the_role(swap, says):
    code, out, err = run("what-if", "child-model", "--swap", swap)
    assert code == 1 and out == "" and says in err and "Traceback" not in err


def test_what_if_bad_swap_is_a_clear_error():
    code, _, err = run("what-if", "child-model", "--swap", "engine=the-te")
    assert code == 1 and "ROLE=OTHER" in err


def test_human_output_is_readable():
    code, out, _ = run("can-i", "child-model", "commercial-use")
    assert code == 0 and "-> NO" in out and "Not legal advice" in out
    code, out, _ = run("components", "child-model")
    assert "text encoder" in out and "The TE" in out


def test_missing_data_file_is_an_error_not_a_traceback(tmp_path):
    result = CliRunner().invoke(main, ["--data", str(tmp_path / "none.yaml"), "show", "x"])
    assert result.exit_code == 1 and "Traceback" not in result.output
