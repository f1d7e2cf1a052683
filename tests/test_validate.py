"""One test per validation rule, each against a fixture that breaks exactly that rule."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from lineage.cli import main
from lineage.core.load import load, load_dataset
from lineage.core.problems import DataError
from lineage.core.validate import validate

from .conftest import FIXTURES

BROKEN = FIXTURES / "broken"


def problems_of(name: str):
    result = load(BROKEN / f"{name}.yaml")
    return result.problems + validate(result)


@pytest.mark.parametrize(
    ("fixture", "rule", "line", "field_part", "message_part"),
    [
        ("unique_ids", "unique_ids", 3, "node 'base-model'.id", "duplicate id"),
        ("unique_aliases", "unique_aliases", 5, "aliases[0]", "also names 'base-model'"),
        ("references", "references", 6, "organization", "unknown organization 'no-such-org'"),
        ("licenses_exist", "licenses_exist", 6, "licenses[0]", "unknown license 'no-such-license'"),
        ("no_cycles", "no_cycles", 3, "edge base-model distilled_from child-model", "derivation cycle"),
        ("release_order", "release_order", 9, "edge child-model resumed_from late-parent", "older than its parent"),
        ("sourced", "sourced", 3, "node 'unsourced'.sources", "no source given"),
        ("dates_parse", "dates_parse", 6, "released[0].value", "not a real date"),
        ("public_sources", "public_sources", 6, "node 'cites-a-local-file'.sources[0].source", "local path"),
        ("status_within_source", "status_within_source", 8, "node 'overclaimed'.sources[0].status",
         "stronger than its source 'a-blog'"),
        ("assumed_from", "references", 8, "licenses[0].sources[0].assumed_from", "unknown license 'no-such-version'"),
        ("schema", "schema", 6, "node 'typo'.relased", "unknown field"),
        ("yaml", "yaml", 5, "(yaml)", "not valid YAML"),
        ("include", "include", 1, "include", "does not exist"),
    ],
)
def test_each_rule_reports_file_line_and_field(fixture, rule, line, field_part, message_part):
    found = [p for p in problems_of(fixture) if p.rule == rule]
    assert found, f"rule {rule} found nothing in {fixture}.yaml"
    problem = found[0]
    assert problem.file.endswith(f"{fixture}.yaml")
    assert problem.line == line
    assert field_part in problem.field
    assert message_part in problem.message
    assert problem.hint, "every problem says what to do"


def test_references_also_checks_edge_targets_and_claim_sources(tmp_path):
    (tmp_path / "d.yaml").write_text(
        f"include: [{FIXTURES / 'mini.yaml'}]\n"
        "edges:\n  - {source: child-model, type: uses_vae, target: ghost, sources: [{source: nowhere, locator: x}]}\n"
    )
    result = load(tmp_path / "d.yaml")
    messages = [p.message for p in validate(result)]
    assert "unknown node 'ghost'" in messages
    assert "source 'nowhere' is not known" in messages


def test_a_local_registry_ref_is_rejected_with_what_to_cite():
    found = [p for p in problems_of("public_sources") if p.field == "source 'local-copy'.ref"]
    assert [p.line for p in found] == [9]
    assert "not a public source" in found[0].message
    assert "https://" in found[0].hint and "owner/repo:path@commit" in found[0].hint


def test_an_assumption_must_be_marked_unverified(tmp_path):
    (tmp_path / "d.yaml").write_text(
        f"include: [{FIXTURES / 'mini.yaml'}]\n"
        "nodes:\n  - {id: n, name: N, kind: model, sources: "
        "[{source: fixture, locator: x, assumed_from: open-lic}]}\n")
    problems = load(tmp_path / "d.yaml").problems
    assert any("mark it 'status: unverified'" in p.message for p in problems)


def test_disputed_date_excuses_release_order():
    assert problems_of("disputed_order") == []


def test_the_fixture_and_the_shipped_data_are_clean():
    assert problems_of("../mini") == []
    result = load()
    assert result.problems + validate(result) == []


def test_load_dataset_raises_with_every_problem():
    with pytest.raises(DataError) as err:
        load_dataset(BROKEN / "references.yaml")
    assert len(err.value.problems) == 2
    assert "references.yaml:6" in str(err.value)


@pytest.mark.parametrize("fixture", ["references", "yaml", "schema", "no_cycles"])
def test_cli_validate_exits_1_without_traceback(fixture):
    result = CliRunner().invoke(main, ["validate", str(BROKEN / f"{fixture}.yaml")])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert f"{fixture}.yaml:" in result.output


def test_cli_validate_json_and_ok():
    result = CliRunner().invoke(main, ["validate", str(FIXTURES / "mini.yaml")])
    assert result.exit_code == 0 and result.output.startswith("OK: 4 nodes")
    result = CliRunner().invoke(main, ["validate", "--json", str(BROKEN / "sourced.yaml")])
    import json

    data = json.loads(result.stdout)
    assert data["ok"] is False and data["problems"][0]["rule"] == "sourced"


def test_other_commands_refuse_broken_data_cleanly():
    result = CliRunner().invoke(main, ["--data", str(BROKEN / "licenses_exist.yaml"), "show", "base-model"])
    assert result.exit_code == 1
    assert "does not validate" in result.output and "Traceback" not in result.output


def test_yaml_is_never_executed(tmp_path):
    evil = tmp_path / "evil.yaml"
    evil.write_text("nodes:\n  - !!python/object/apply:os.system ['touch pwned']\n")
    result = load(evil)
    assert result.problems and result.problems[0].rule == "yaml"
    assert not (tmp_path / "pwned").exists()
