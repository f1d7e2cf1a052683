"""The offline question parser on a list of phrasings, against the shipped graph."""

from __future__ import annotations

import pytest

from lineage.ask import parse_question


@pytest.mark.parametrize(
    ("question", "model", "use"),
    [
        ("can I sell images made with Anima Preview 2?", "anima-preview-2", "sell-outputs"),
        ("Can I sell pictures I generated with anima-preview?", "anima-preview", "sell-outputs"),
        ("is FLUX.1 dev OK for a paid API?", "flux1-dev", "paid-service"),
        ("may I host flux1-schnell as a SaaS?", "flux1-schnell", "paid-service"),
        ("may I train a LoRA on SD 3.5 Large outputs?", "sd3.5-large", "train-on-outputs"),
        ("Can I use images from FLUX.1 [dev] to train my own model?", "flux1-dev", "train-on-outputs"),
        ("can I publish a LoRA for SDXL 1.0?", "sdxl-1.0", "share-derivatives"),
        ("can I sell my merge of Illustrious-XL v0.1", "illustrious-xl-v0.1", "sell-derivatives"),
        ("do I have to credit anyone if I use Qwen-Image?", "qwen-image", "no-attribution"),
        ("can my company use Cosmos-Predict2-2B-Text2Image in a product?", "cosmos-predict2-2b-t2i", "commercial-use"),
        ("Flux.1 Schnell commercially?", "flux1-schnell", "commercial-use"),
    ],
)
def test_phrasings(graph, question, model, use):
    parsed = parse_question(graph, question)
    assert (parsed.model, parsed.use) == (model, use), parsed
    assert parsed.missing == []


def test_family_names_resolve_to_the_family(graph):
    parsed = parse_question(graph, "can I sell images made with Anima?")
    assert (parsed.model, parsed.use) == ("anima", "sell-outputs")


@pytest.mark.parametrize(
    ("question", "says"),
    [
        ("can I sell images made with it?", "which model"),
        ("tell me about Anima Preview 2", "what you want to do"),
    ],
)
def test_says_what_is_missing(graph, question, says):
    parsed = parse_question(graph, question)
    assert any(says in m for m in parsed.missing)
