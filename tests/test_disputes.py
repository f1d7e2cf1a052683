"""Disputes versus discrepancies: the rule for facts, for alternative edges and licenses, and where it shows."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from lineage.cli import main
from lineage.core.graph import load_graph
from lineage.core.schema import Claim, Fact, settle

from .conftest import FIXTURES


def claim(value, status="primary", source="https://example.org/a"):
    return Claim(value=value, source=source, locator="x", status=status)


@pytest.mark.parametrize(
    ("claims", "disputed", "value", "discrepant"),
    [
        ([claim("2025-02"), claim("2025-02-25")], False, "2025-02-25", []),  # precision, both primary
        ([claim("2025"), claim("2025-08-07", "secondary")], False, "2025", []),  # a date inside a range
        ([claim("2025-07-28"), claim("2025-08-07", "secondary")], False, "2025-07-28", ["2025-08-07"]),
        ([claim("2025-07-28"), claim("2025-08-07")], True, None, []),  # primaries conflict
        ([claim("2025-07", "secondary"), claim("2025-08", "unverified")], True, None, []),  # no primary
        ([claim(2_000_000_000), claim(4_000_000_000, "secondary")], False, 2_000_000_000, [4_000_000_000]),
        ([claim("2025", "secondary"), claim("2025-03", "secondary")], False, "2025-03", []),
    ],
)
def test_fact_rule(claims, disputed, value, discrepant):
    fact = Fact(claims)
    assert fact.disputed is disputed
    assert fact.value == value
    assert [c.value for c in fact.discrepancies] == discrepant


def test_settle_groups_of_alternatives():
    p, s, u = claim(None), claim(None, "secondary"), claim(None, "unverified")
    assert settle([[s], [p, s]]) == (1, [0])
    assert settle([[p], [p]]) == (None, [])
    assert settle([[s], [u]]) == (None, [])
    assert settle([[u]]) == (0, [])


@pytest.fixture
def data(tmp_path):
    path = tmp_path / "d.yaml"
    path.write_text(
        f"include: [{FIXTURES / 'mini.yaml'}]\n"
        "sources:\n"
        "  - {id: blog, ref: 'https://example.org/blog', title: A blog post, status: secondary}\n"
        "nodes:\n"
        "  - id: dated\n"
        "    name: Dated\n"
        "    kind: model\n"
        "    released:\n"
        "      - {value: '2024-05-01', source: fixture, locator: release notes}\n"
        "      - {value: '2024-06-01', source: blog, locator: timeline, status: secondary}\n"
        "    sources: [{source: fixture, locator: x}]\n"
        "edges:\n"
        "  - {source: dated, type: finetuned_from, target: base-model, dispute: origin,"
        " sources: [{source: fixture, locator: card}]}\n"
        "  - {source: dated, type: finetuned_from, target: child-model, dispute: origin,"
        " sources: [{source: blog, locator: post, status: secondary}]}\n"
    )
    return path


def test_show_json_has_a_separate_discrepancies_field(data):
    result = CliRunner().invoke(main, ["--data", str(data), "show", "dated", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["released"] == "2024-05-01" and out["disputed"] == []
    facts = {d["fact"]: d for d in out["discrepancies"]}
    assert facts["released"]["text"] == "A blog post says 2024-06-01; Test fixture says 2024-05-01"
    edge = next(d for f, d in facts.items() if f.startswith("finetuned_from"))
    assert edge["value"] == "base-model" and "A blog post says child-model" in edge["text"]


def test_the_losing_alternative_is_kept_out_of_the_graph_but_shown(data):
    graph = load_graph(data)
    assert {v for _, v, k in graph.out_edges("dated", keys=True) if k == "finetuned_from"} == {"base-model"}
    text = CliRunner().invoke(main, ["--data", str(data), "show", "dated"]).stdout
    assert "discrepancy in released: A blog post says 2024-06-01" in text
    assert "shared/" not in text and "<https://example.org/blog>" in text
