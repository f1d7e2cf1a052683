"""The shipped data holds what the Easygoing article states, with the article as a source.

Where a primary source disagrees with the article, both claims are kept (two claims on one fact, or two edges
in one ``dispute`` group); the primary value stands and the article's becomes a visible discrepancy, never a
silent loss. Each table row names the article's own sentence.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lineage.core.load import load_dataset
from lineage.core.schema import VAE_EDGES, Dataset, Edge, Node
from tests.shared_files import require_shared

ARTICLE = "article-easygoing"
ARTICLE_TEXT = Path(__file__).resolve().parents[2] / "shared" / "sources" / "000_95284bff3784a67a.txt"


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return load_dataset()


def node(ds: Dataset, node_id: str) -> Node:
    matches = [n for n in ds.nodes if n.id == node_id]
    assert matches, f"no node {node_id!r}"
    return matches[0]


def edges(ds: Dataset, source: str, type_: str, target: str) -> list[Edge]:
    return [e for e in ds.edges if (e.source, e.type.value, e.target) == (source, type_, target)]


def cites_article(claims) -> bool:
    return any(c.source == ARTICLE for c in claims)


# (node, date the article gives, date of the primary source where it disagrees, the article's sentence)
RELEASES = [
    ("stable-diffusion-1", "2022-08-22", None, "Stable Diffusion 1 : done, 2022-08-22"),
    ("sdxl-0.9", "2023-06-22", None, "Stable Diffusion XL 0.9 : done, 2023-06-22"),
    ("flux1", "2024-08-01", None, "Flux.1 : done, 2024-08-01"),
    ("flux2", "2025-11-25", None, "Flux.2 : 2025-11-25"),
    ("wan2.1", "2025-02-25", None, "Wan2.1 : 2025-02-25"),
    ("wan2.2", "2025-08-07", "2025-07-28", "Wan2.2 : 2025-08-07"),
    ("qwen-image", "2025-08-04", None, "Qwen-Image : 2025-08-04"),
    ("cosmos-predict1", "2025-01-06", None, "Cosmos-Predict1 : done, 2025-01-06"),
    ("cosmos-predict2", "2025-04-30", "2025-06-11", "Cosmos-Predict2 : 2025-04-30"),
    ("cosmos-predict2.5", "2025-10-06", None, "Cosmos-Predict2.5 : 2025-10-06"),
    ("anima-preview", "2026-01-26", None, "first released as Preview1 on January 26, 2026"),
    ("anima-preview-2", "2026-03-11", None, "Anima Preview 2 : 2026-03-11"),
    ("anima-preview-3-base", "2026-04-08", None, "Anima Preview 3-base : 2026-04-08"),
]


@pytest.mark.parametrize(("node_id", "date", "primary", "sentence"), RELEASES, ids=[r[0] for r in RELEASES])
def test_article_release_dates(ds, node_id, date, primary, sentence):
    fact = node(ds, node_id).released
    assert fact is not None
    assert any(c.source == ARTICLE and c.value == date for c in fact.claims), sentence
    if primary:
        assert not fact.disputed, f"{node_id}: a secondary date must not dispute the primary one"
        assert fact.value == primary, f"{node_id}: the primary date {primary} stands"
        assert date in [d.value for d in fact.discrepancies], f"{node_id}: the article's {date} stays visible"


# (child/user, edge type, parent/part, the article's sentence)
EDGES = [
    (
        "anima-preview",
        "finetuned_from",
        "cosmos-predict2-2b-t2i",
        "The transformer uses the Cosmos-Predict2-2B model as-is but has been further fine-tuned",
    ),
    (
        "anima-preview",
        "uses_text_encoder",
        "qwen3-0.6b-base",
        "replaces the text encoder in NVIDIA’s Cosmos-Predict2-2B with the lightweight Qwen3-0.6B-Base",
    ),
    ("anima-preview", "uses_vae", "qwen-image-vae", "The VAE has been changed to Qwen-Image_vae"),
    ("qwen-image-vae", "vae_finetuned_from", "wan2.1-vae", "Alibaba adjusted the Wan_vae structure for still images"),
    ("qwen-image", "uses_vae", "qwen-image-vae", "also widely used in their image generation model Qwen-Image"),
    ("wan2.1-t2v-14b", "uses_vae", "wan2.1-vae", "Wan-2.1 that incorporated this VAE"),
    ("wan2.2", "successor_of", "wan2.1", "along with its successor Wan-2.2"),
    ("cosmos-predict1", "uses_text_encoder", "t5-11b", "Text Encoder Google T5-XXL-v1.0"),
    ("cosmos-predict1", "uses_vae", "cosmos-tokenize1", "VAE NVIDIA Cosmos-Tokenize1"),
    ("cosmos-predict2-2b-t2i", "uses_text_encoder", "t5-11b", "Text Encoder Google T5-XXL-v1.0"),
    ("cosmos-predict2-2b-t2i", "uses_vae", "wan2.1-vae", "NVIDIA developed Cosmos-Predict2 by adopting Wan_vae"),
    (
        "cosmos-predict2-2b-t2i",
        "architecture_derived_from",
        "cosmos-predict1",
        "parts of the architecture were likely carried over from Cosmos-Predict1",
    ),
    (
        "wan2.1-vae",
        "vae_arch_derived_from",
        "flux1-ae",
        "Wan_vae, which added temporal understanding based on Flux.1_vae",
    ),
]


@pytest.mark.parametrize(("source", "type_", "target", "sentence"), EDGES, ids=[f"{e[0]}-{e[1]}" for e in EDGES])
def test_article_edges(ds, source, type_, target, sentence):
    found = edges(ds, source, type_, target)
    assert found and any(cites_article(e.sources) for e in found), sentence


def test_wan_vae_origin_is_a_discrepancy(ds):
    """Article: 'based on Flux.1_vae'; Wan2.1 vae.py: 'adapted from Stable Diffusion 1.x, 2.x and XL'.

    Both edges stay in the data; the primary one stands in the graph, the article's is shown as a discrepancy.
    """
    from lineage.core.describe import discrepancies
    from lineage.core.graph import build_graph

    group = [e for e in ds.edges if e.source == "wan2.1-vae" and e.dispute == "wan-vae-origin"]
    assert {e.target for e in group} == {"flux1-ae", "sd-vae-kl-f8"}
    graph = build_graph(ds)
    parents = {v for _, v, k in graph.out_edges("wan2.1-vae", keys=True) if k == "vae_arch_derived_from"}
    assert parents == {"sd-vae-kl-f8"}
    items = discrepancies(graph, "wan2.1-vae")
    assert [d["value"] for d in items] == ["sd-vae-kl-f8"]
    assert "flux1-ae" in items[0]["text"] and "sd-vae-kl-f8" in items[0]["text"]


def test_cosmos_predict2_4b_is_kept_as_a_discrepancy(ds):
    """Article: 'structural consistency with Cosmos-Predict2-4B is preserved'; the README lists 2B and 14B."""
    fact = node(ds, "cosmos-predict2-2b-t2i").parameters
    assert fact is not None and not fact.disputed and fact.value == 2_000_000_000
    assert [d.value for d in fact.discrepancies] == [4_000_000_000]


# (node, license id, the article's sentence)
LICENSES = [
    ("flux1-ae", "apache-2.0", "was also released under the Apache-2.0 license"),
    ("wan2.1", "apache-2.0", "Because Wan-2.1 was released under the Apache-2.0 license"),
    ("wan2.1-vae", "apache-2.0", "VAE Alibaba Wan_vae Apache-2.0"),
    ("qwen-image-vae", "apache-2.0", "VAE Alibaba Qwen-Image_vae (Wan_vae) Apache-2.0"),
    ("qwen3-0.6b-base", "apache-2.0", "Text Encoder Alibaba Qwen3-0.6B-base Apache-2.0"),
    ("t5-11b", "apache-2.0", "Text Encoder Google T5-XXL-v1.0 Apache-2.0"),
    ("cosmos-predict1", "nvidia-oml-2025-01-06", "Transformer NVIDIA Cosmos-Predict1 NVIDIA Open Model License"),
    ("cosmos-tokenize1", "nvidia-oml-2025-01-06", "VAE NVIDIA Cosmos-Tokenize1 NVIDIA Open Model License"),
    ("cosmos-predict2-2b-t2i", "nvidia-oml-2025-04-28", "Transformer NVIDIA Cosmos-Predict2 NVIDIA Open Model License"),
    ("anima-preview", "nvidia-oml-2025-04-28", "the transformer part inherits the NVIDIA Open Model License"),
    ("anima-preview", "circlestone-nc-1.0", "CircleStone Labs Non-Commercial License v1.0"),
]


@pytest.mark.parametrize(("node_id", "license_id", "sentence"), LICENSES, ids=[f"{r[0]}-{r[1]}" for r in LICENSES])
def test_article_licenses(ds, node_id, license_id, sentence):
    assignments = [a for a in node(ds, node_id).licenses if a.id == license_id]
    assert assignments and cites_article(assignments[0].sources), sentence


# (organization, a fragment of the article's sentence that the organization's claims must quote)
ORGANIZATIONS = [
    ("stability-ai", "began with Stability AI"),
    ("black-forest-labs", "founded Black Forest Labs"),
    ("alibaba", "Alibaba then developed Wan_vae"),
    ("nvidia", "Cosmos-Predict1"),
    ("circlestone-labs", "released by CircleStone Labs"),
    ("google", "Google T5-XXL-v1.0"),
    ("comfy-org", "$1 million in funding to CircleStone Labs"),
    ("comfy-org", "January 24, 2026"),
]


@pytest.mark.parametrize(("org_id", "fragment"), ORGANIZATIONS, ids=[f"{o[0]}:{o[1][:20]}" for o in ORGANIZATIONS])
def test_article_organizations(ds, org_id, fragment):
    org = next(o for o in ds.organizations if o.id == org_id)
    assert any(c.source == ARTICLE and fragment in (c.quote or "") for c in org.sources)


MENTIONED = [
    "flux1",
    "flux2",
    "flux1-ae",
    "wan2.1",
    "wan2.2",
    "wan2.1-vae",
    "qwen-image",
    "qwen-image-vae",
    "qwen3-0.6b-base",
    "t5-11b",
    "cosmos-predict1",
    "cosmos-tokenize1",
    "cosmos-predict2",
    "cosmos-predict2-2b-t2i",
    "cosmos-predict2.5",
    "anima",
    "anima-preview",
    "anima-preview-2",
    "anima-preview-3-base",
    "stable-diffusion-1",
    "sdxl",
    "sdxl-0.9",
    "illustrious-xl",
    "animagine-xl",
    "z-image",
]


@pytest.mark.parametrize("node_id", MENTIONED)
def test_nodes_the_article_names_cite_it(ds, node_id):
    assert cites_article(all_claims(node(ds, node_id)))


def all_claims(record) -> list:
    """The claims of a record: its sources, release and parameter facts, and license assignments."""
    claims = list(record.sources)
    for name in ("released", "parameters"):
        fact = getattr(record, name, None)
        claims += fact.claims if fact else []
    return claims + [c for a in getattr(record, "licenses", []) for c in a.sources]


def test_article_quotes_are_verbatim(ds):
    require_shared("sources", ARTICLE_TEXT.name)
    text = re.sub(r"\s+", " ", ARTICLE_TEXT.read_text())
    quotes = {
        c.quote
        for r in [*ds.organizations, *ds.nodes, *ds.edges]
        for c in all_claims(r)
        if c.source == ARTICLE and c.quote
    }
    assert quotes
    assert [q for q in sorted(quotes) if re.sub(r"\s+", " ", q) not in text] == []


def test_at_least_sixty_nodes(ds):
    assert len(ds.nodes) >= 60


def vae_descendants(ds: Dataset, hub: str) -> set[str]:
    """Everything that uses ``hub`` or descends from it through VAE edges, transitively."""
    found, todo = set(), [hub]
    while todo:
        parent = todo.pop()
        for e in ds.edges:
            if e.type in VAE_EDGES and e.target == parent and e.source not in found:
                found.add(e.source)
                todo.append(e.source)
    return found


HUBS = {
    "wan2.1-vae": {
        "wan2.2-t2v-a14b",
        "wan2.2-s2v-14b",
        "wan2.2-animate-14b",
        "cosmos-predict2-2b-t2i",
        "cosmos-predict2-14b-t2i",
        "cosmos-predict2.5-2b",
        "qwen-image-vae",
        "qwen-image",
        "anima-preview",
        "anima-preview-2",
        "anima-preview-3-base",
        "anima-base-v1.0",
    },
    "flux1-ae": {"flux1-dev", "flux1-schnell", "z-image", "z-image-turbo", "lumina-image-2.0", "neta-lumina", "chroma"},
}


@pytest.mark.parametrize("hub", sorted(HUBS))
def test_vae_hubs_reach_their_descendants(ds, hub):
    assert HUBS[hub] <= vae_descendants(ds, hub)
