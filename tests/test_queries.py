"""Queries and exports on the shipped graph and the fixture: resolve, ancestry, components, VAE chains, timeline."""

from __future__ import annotations

import json

import pytest

from lineage.core.queries import ancestors, components, descendants, timeline, vae_ancestry
from lineage.core.resolve import AmbiguousName, UnknownName, normalise, resolve
from lineage.export import to_graphml, to_json, to_mermaid


@pytest.mark.parametrize("text", ["FLUX.1 [dev]", "flux1-dev", "Flux.1 dev", "FLUX.1-dev", " flux 1 DEV "])
def test_resolve_is_forgiving(graph, text):
    assert resolve(graph, text) == "flux1-dev"


def test_unknown_name_lists_candidates(graph):
    with pytest.raises(UnknownName) as err:
        resolve(graph, "Flux.1 dve")
    assert "flux1-dev" in err.value.candidates


def test_ambiguous_name_lists_all(mini):
    g = mini.copy()
    g.add_node("base-model-2", kind="model", name="Base 1.0", aliases=[])
    g.graph.pop("_name_index", None)
    with pytest.raises(AmbiguousName) as err:
        resolve(g, "base 1.0")
    assert err.value.candidates == ["base-model", "base-model-2"]


def test_normalise():
    assert normalise("Qwen-Image_VAE (2.1)") == "qwenimagevae21"


def test_anima_components_match_the_article_table(graph):
    # Article: TE Alibaba Qwen3-0.6B-base Apache-2.0; Transformer CircleStone Labs Cosmos-Predict2-2B (fine-tuned),
    # NVIDIA Open Model License + CircleStone Labs Non-Commercial License; VAE Alibaba Qwen-Image_vae Apache-2.0.
    rows = {r.role: r for r in components(graph, "anima-preview")}
    assert rows["text encoder"].node == "qwen3-0.6b-base"
    assert [lic["id"] for lic in rows["text encoder"].licenses] == ["apache-2.0"]
    assert rows["VAE"].node == "qwen-image-vae"
    assert [lic["id"] for lic in rows["VAE"].licenses] == ["apache-2.0"]
    denoiser = rows["denoiser"]
    assert denoiser.node == "anima-preview" and "cosmos-predict2-2b-t2i" in denoiser.derived_from
    ids = {lic["id"] for lic in denoiser.licenses}
    assert any(i.startswith("nvidia-oml") for i in ids) and any(i.startswith("circlestone-nc") for i in ids)
    assert rows["denoiser"].organization == "CircleStone Labs"


def test_anima_vae_descends_from_wan21(graph):
    chain = [(s.child, s.type, s.parent) for s in vae_ancestry(graph, "anima-preview")]
    assert chain[0] == ("anima-preview", "uses_vae", "qwen-image-vae")
    assert ("qwen-image-vae", "vae_finetuned_from", "wan2.1-vae") in chain


@pytest.mark.parametrize(
    ("hub", "users"),
    [
        ("wan2.1-vae", {"qwen-image-vae", "cosmos-predict2-2b-t2i", "anima-preview", "wan2.2-t2v-a14b"}),
        ("flux1-ae", {"flux1-dev", "flux1-schnell", "z-image", "lumina-image-2.0", "chroma"}),
    ],
)
def test_vae_hubs_reach_their_descendants(graph, hub, users):
    found = {s.child for s in descendants(graph, hub)}
    assert users <= found


def test_trace_has_sources_everywhere(graph):
    steps = ancestors(graph, "anima-preview-2")
    assert steps and all(s.sources for s in steps)


def test_timeline_orders_by_date_and_marks_disputes(graph):
    rows = timeline(graph)
    assert [r.released for r in rows] == sorted(r.released for r in rows)
    wan22 = next(r for r in rows if r.node == "wan2.2")
    assert not wan22.disputed and wan22.released == "2025-07-28" and len(wan22.dates) > 1, "primary date stands"


def test_timeline_marks_a_dispute_between_primary_dates(tmp_path):
    from lineage.core.graph import load_graph

    from .conftest import FIXTURES

    (tmp_path / "d.yaml").write_text(
        f"include: [{FIXTURES / 'mini.yaml'}]\n"
        "nodes:\n  - {id: two-dates, name: Two Dates, kind: model, sources: [{source: fixture, locator: x}],\n"
        "     released: [{value: '2024-01-02', source: fixture, locator: a},"
        " {value: '2024-03-04', source: fixture, locator: b}]}\n")
    row = next(r for r in timeline(load_graph(tmp_path / "d.yaml")) if r.node == "two-dates")
    assert row.disputed and row.dates == ["2024-01-02", "2024-03-04"]


def test_exports(graph):
    data = json.loads(to_json(graph))
    assert {n["id"] for n in data["nodes"]} >= {"anima-preview", "apache-2.0"}
    assert all(e["sources"] is not None for e in data["edges"])
    assert "<graphml" in to_graphml(graph)
    models = to_mermaid(graph, "models", end="2026-05-01")
    assert "section CircleStone Labs" in models and "Anima Preview" in models
    vaes = to_mermaid(graph, "vaes", end="2026-05-01")
    assert vaes.splitlines()[1] == "    title VAE Roadmap"
