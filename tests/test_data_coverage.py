"""Coverage of the shipped data (issue 9, section 4): how much is there, and is each addition sourced.

The counts are computed from the data; the spot facts name the source each fact must rest on, so a row
fails if the fact changes or loses the source that justifies it.
"""

from __future__ import annotations

import re

import pytest

from lineage.answers.reasoner import can_i
from lineage.core import schema
from lineage.core.load import DEFAULT_DATA, load_dataset, read_yaml
from lineage.core.schema import USES, Dataset, NodeKind
from lineage.files import match_weight_file

#: The placeholder license a node points at when its license is not known; it is not a license.
UNKNOWN = "license-unknown"
MIN_NODES = 200  # model and component nodes (families are groupings, not releases)
MIN_LICENSES = 35
EXTRA_SOURCES = DEFAULT_DATA.parent / "sources-extra.yaml"
_PUBLIC_REF = re.compile(r"^(https://\S+|[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+:[^@\s]+@[0-9a-f]{7,40})$")


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return load_dataset()


def _license_claims(ds: Dataset) -> dict[str, list[tuple[str, list]]]:
    """Per node: (license id, claims) from its own assignments and from ``licensed_under`` edges."""
    out: dict[str, list[tuple[str, list]]] = {n.id: [(a.id, list(a.sources)) for a in n.licenses] for n in ds.nodes}
    for edge in ds.edges:
        if edge.type.value == "licensed_under":
            notes = [edge.note] if edge.note else []
            out[edge.source].append((edge.target, list(edge.sources) + notes))
    return out


def _node(ds: Dataset, node_id: str):
    found = [n for n in ds.nodes if n.id == node_id]
    assert found, f"no node {node_id!r}"
    return found[0]


def _edges(ds: Dataset, source: str, type_: str, target: str):
    return [e for e in ds.edges if (e.source, e.type.value, e.target) == (source, type_, target)]


# ---------------------------------------------------------------------------------------------- counts
def test_at_least_200_model_and_component_nodes(ds):
    releases = [n for n in ds.nodes if n.kind != NodeKind.family]
    assert len(releases) >= MIN_NODES, len(releases)


def test_at_least_35_licenses_besides_the_unknown_placeholder(ds):
    licenses = [lic for lic in ds.licenses if lic.id != UNKNOWN]
    assert len(licenses) >= MIN_LICENSES, len(licenses)


def test_every_license_states_a_term_for_every_use(ds):
    # Uses the reasoner infers from another use's term (where the schema names any) may be left out.
    required = set(USES) - set(getattr(schema, "INFERRED_USES", {}))
    for lic in ds.licenses:
        assert required <= set(lic.terms) <= set(USES), (lic.id, sorted(required - set(lic.terms)))


# ------------------------------------------------------------------------------ license claim per node
def test_every_model_and_component_node_has_a_license_claim(ds):
    claims = _license_claims(ds)
    missing = [n.id for n in ds.nodes if n.kind != NodeKind.family and not claims[n.id]]
    assert not missing, missing


def test_an_unknown_license_always_says_why(ds):
    for node_id, pairs in _license_claims(ds).items():
        for license_id, claims in pairs:
            if license_id != UNKNOWN:
                continue
            reasons = [c for c in claims if isinstance(c, str)]
            reasons += [c.note for c in claims if not isinstance(c, str) and c.note]
            assert reasons, f"{node_id}: license unknown without a reason (add a note to the claim or edge)"


def test_the_unknown_placeholder_answers_unknown_and_carries_nothing(ds):
    placeholder = next(lic for lic in ds.licenses if lic.id == UNKNOWN)
    assert {t.verdict for t in placeholder.terms.values()} == {"unknown"}
    assert placeholder.flow_down is not None and not placeholder.flow_down.applies


def test_added_registry_sources_are_public():
    data, _ = read_yaml(EXTRA_SOURCES)
    for source in data["sources"]:
        assert _PUBLIC_REF.match(source["ref"]), f"{source['id']}: {source['ref']!r} is not public"


# ------------------------------------------------------------------------------------- spot facts
RELEASES = [
    # (node, date, source the date must come from)
    ("sdxl-turbo", "2023-11-28", "sai-gm-readme"),
    ("sd-turbo", "2023-11-30", "sai-gm-readme"),
    ("hunyuan-dit-v1.2", "2024-07-08", "hunyuan-dit-readme"),
    ("hunyuan-dit-v1.0", "2024-05-14", "hunyuan-dit-license"),
    ("hidream-i1-full", "2025-04-07", "hidream-i1-readme"),
    ("kolors", "2024-07-06", "kolors-readme"),
    ("hunyuanimage-3.0", "2025-09-28", "hunyuanimage3-readme"),
    ("janus-pro-7b", "2025-01-27", "janus-readme"),
    ("qwen-image-2.0", "2026-02-10", "qwen-image-readme-2026-02"),
    ("flux2-klein-base-4b", "2026-01-15", "bfl-flux2-readme-2026-01"),
    ("lumina-next-t2i", "2024-05-12", "lumina-t2x-readme"),
    ("kandinsky-3.0", "2023-11-21", "hf-kandinsky3-weights-history"),
    ("animagine-xl-4.0-opt", "2025-02-13", "hf-animagine4-opt-card-copy"),
    ("ip-adapter-plus-sd15", "2023-08-23", "ip-adapter-readme-2023-11"),
    ("playground-v2.5", "2024-02-27", "hf-playground-v2.5-license-commit"),
]


@pytest.mark.parametrize(("node_id", "date", "source"), RELEASES, ids=[r[0] for r in RELEASES])
def test_release_dates(ds, node_id, date, source):
    released = _node(ds, node_id).released
    assert released is not None and released.value == date
    assert any(c.source == source for c in released.claims)


EDGES = [
    # (child, edge type, parent, source the edge must cite)
    ("sdxl-turbo", "distilled_from", "sdxl-1.0", "hf-sdxl-turbo-card"),
    ("sd-turbo", "distilled_from", "sd-2.1", "hf-sd-turbo-card"),
    ("sd-2.0-depth", "finetuned_from", "sd-2.0-base", "sai-sd2-readme-2022-11"),
    ("sd-2.0-inpainting", "finetuned_from", "sd-2.0-base", "sai-sd2-readme-2022-11"),
    ("stable-cascade", "uses_vae", "stable-cascade-stage-a", "sai-sc-readme"),
    ("sd3.5-large-controlnet-canny", "uses_denoiser", "sd3.5-large", "hf-sd35-controlnet-card-copy"),
    ("illustrious-xl-v1.0", "finetuned_from", "illustrious-xl-v0.1", "hf-illustrious-v1.0-card"),
    ("noobai-xl-vpred-1.0", "finetuned_from", "noobai-xl-vpred-0.75", "hf-tree-noobai-vpred-chain"),
    ("hunyuan-dit-distilled-v1.1", "distilled_from", "hunyuan-dit-v1.1", "hunyuan-dit-readme"),
    ("hunyuan-dit-v1.0", "uses_vae", "sdxl-vae-fp16-fix", "hunyuan-dit-readme"),
    ("kolors", "uses_text_encoder", "chatglm3-6b", "kolors-pipeline-chatglm"),
    ("hidream-i1-full", "uses_text_encoder", "llama-3.1-8b-instruct", "hidream-i1-readme"),
    ("sana-1600m-1024px", "uses_vae", "dc-ae-f32c32-sana-1.0", "hf-sana-1600m-card-commit"),
    ("janusflow-1.3b", "uses_vae", "sdxl-vae", "janus-readme"),
    ("z-image-edit", "finetuned_from", "z-image", "zimage-readme-2026-01"),
    ("kandinsky-3.0-inpainting", "finetuned_from", "kandinsky-3.0", "kandinsky3-readme"),
    ("controlnet-1.0-sd15-canny", "finetuned_from", "sd-v1-5", "controlnet-readme"),
    ("deepfloyd-if-i-xl-v1.0", "uses_text_encoder", "t5-v1.1-xxl", "deepfloyd-if-readme"),
    ("flux1-canny-dev-lora", "uses_denoiser", "flux1-dev", "bfl-flux-readme-2025"),
    ("controlnet-1.1-sd15-canny", "resumed_from", "controlnet-1.0-sd15-canny", "controlnet-v11-nightly-readme"),
    ("controlnet-1.1-sd15-scribble", "resumed_from", "controlnet-1.0-sd15-scribble", "controlnet-v11-nightly-readme"),
    ("controlnet-1.1-sd15-tile", "uses_denoiser", "sd-v1-5", "controlnet-v11-nightly-readme"),
    ("sana-sprint-1.6b-1024px", "uses_text_encoder", "gemma-2-2b", "replicate-sana-sprint-card"),
    ("animagine-xl-4.0-zero", "finetuned_from", "sdxl-1.0", "hf-animagine4-zero-card"),
    ("kandinsky-2.2", "successor_of", "kandinsky-2.1", "kandinsky2-readme"),
    ("ip-adapter-sdxl-vit-h", "uses_denoiser", "sdxl-1.0", "ip-adapter-readme-2023-11"),
]


@pytest.mark.parametrize(("child", "type_", "parent", "source"), EDGES, ids=[f"{e[0]}-{e[1]}" for e in EDGES])
def test_edges_and_their_sources(ds, child, type_, parent, source):
    found = _edges(ds, child, type_, parent)
    assert found, f"missing edge {child} {type_} {parent}"
    assert any(c.source == source for e in found for c in e.sources)


def test_every_sd3_family_model_uses_the_sd3_vae(ds):
    members = {e.source for e in ds.edges if e.type.value == "member_of" and e.target == "stable-diffusion-3"}
    models = [m for m in members if _node(ds, m).kind == NodeKind.model]
    assert models
    missing = [m for m in models if not _edges(ds, m, "uses_vae", "sd3-vae")]
    assert not missing, missing


LICENSES = [
    # (node, license it must carry, source of the claim)
    ("sdxl-turbo", "stability-nc-research-community", "sai-gm-license-sd-turbo"),
    ("stable-cascade", "stability-nc-research-community", "sai-sc-readme"),
    ("hidream-i1-full", "mit", "hidream-i1-readme"),
    ("hunyuan-dit-v1.2", "tencent-hunyuan-community-2024-05", "hunyuan-dit-license"),
    ("kolors", "kolors-model-license", "kolors-readme"),
    ("deepfloyd-if-i-xl-v1.0", "deepfloyd-if-license", "deepfloyd-if-readme"),
    ("pony-v7", "pony-license", "hf-pony-v7-card-copy"),
    ("illustrious-xl-early-release-v0", "faipl-1.0-sd", "hf-illustrious-v0-tree"),
    ("pixart-alpha", "creativeml-openrail-pp-m", "hf-pixart-alpha-1024-tree"),
    ("qwen-image-2512", "apache-2.0", "qwen-image-readme-2026-02"),
    ("qwen-image-layered", "apache-2.0", "qwen-image-readme-2026-02"),
    ("sana-1600m-1024px", "nvidia-nscl-v2-custom", "hf-sana-1600m-card-commit"),
    ("flux2-klein-base-4b", "apache-2.0", "bfl-flux2-readme-2026-01"),
    ("janus-pro-7b", "deepseek-model-license", "janus-readme"),
    ("kandinsky-3.0", "apache-2.0", "hf-kandinsky3-weights-tree"),
    ("kandinsky-2.2", "apache-2.0", "hf-kandinsky22-decoder-history"),
    ("controlnet-canny-sdxl-1.0", "creativeml-openrail-pp-m", "hf-controlnet-canny-sdxl-history"),
    ("hunyuanimage-3.0", "tencent-hunyuan-community-image-3.0", "hunyuanimage3-license"),
    ("sana-sprint-1.6b-1024px", "nvidia-nscl-v2-custom", "replicate-sana-sprint-card"),
    ("flan-ul2-encoder", "apache-2.0", "hf-flan-ul2-tree"),
    ("hunyuanimage-3.0-instruct", "tencent-hunyuan-community-image-3.0", "hunyuanimage3-license"),
    ("kandinsky-3-movq", "apache-2.0", "hf-kandinsky3-weights-tree"),
    ("lumina-next-t2i", "apache-2.0", "hf-lumina-next-t2i-history"),
]


@pytest.mark.parametrize(("node_id", "license_id", "source"), LICENSES, ids=[r[0] for r in LICENSES])
def test_license_claims_and_their_sources(ds, node_id, license_id, source):
    pairs = _license_claims(ds)[node_id]
    claims = [c for lic, cs in pairs if lic == license_id for c in cs if not isinstance(c, str)]
    assert claims, f"{node_id} does not carry {license_id}"
    assert any(c.source == source for c in claims)


VERDICTS = [
    # (model, use, verdict, deciding license, clause fragment the answer must cite)
    ("sdxl-turbo", "commercial-use", "no", "stability-nc-research-community", "for Non-Commercial Uses only"),
    ("sd-turbo", "paid-service", "no", "stability-nc-research-community", "as part of your hosted service"),
    ("stable-cascade", "sell-derivatives", "no", "stability-nc-research-community", "Non-Commercial Uses only"),
    ("deepfloyd-if-i-xl-v1.0", "commercial-use", "no", "deepfloyd-if-license", "non-commercial research purposes"),
    ("kolors", "train-on-outputs", "no", "kolors-model-license", "to improve any other large  model"),
    ("hunyuan-dit-v1.2", "commercial-use", "conditional", "tencent-hunyuan-community-2024-05",
     "only in accordance with the terms of this Agreement"),
    ("flux1-canny-dev-lora", "commercial-use", "no", "flux-1-dev-nc", "non-commercial and non-production use"),
    ("xlabs-flux-controlnet-collection", "commercial-use", "no", "flux-1-dev-nc",
     "non-commercial and non-production use"),
    ("sana-1600m-1024px", "commercial-use", "no", "cc-by-nc-sa-4.0", "for NonCommercial purposes only"),
    ("hunyuanimage-3.0", "commercial-use", "conditional", "tencent-hunyuan-community-image-3.0",
     "excluding the territory of the European Union, United Kingdom and South Korea"),
    ("hunyuanimage-3.0-instruct", "train-on-outputs", "no", "tencent-hunyuan-community-image-3.0",
     "to improve any other AI model"),
    ("playground-v2.5", "commercial-use", "conditional", "playground-v2.5-community", "greater than 1 million MUUs"),
    ("playground-v2.5", "train-on-outputs", "no", "playground-v2.5-community",
     "to improve any other text-to-image generative model"),
]


@pytest.mark.parametrize(("model", "use", "verdict", "license_id", "fragment"), VERDICTS,
                         ids=[f"{v[0]}-{v[1]}" for v in VERDICTS])
def test_added_licenses_decide_answers(graph, model, use, verdict, license_id, fragment):
    answer = can_i(graph, model, use)
    assert answer.verdict == verdict
    assert license_id in answer.deciding
    cited = [r for r in answer.reasons if r.license == license_id and r.decisive]
    assert any(fragment in r.clause for r in cited), [r.clause for r in cited]


def test_a_model_with_an_unknown_license_is_answered_unknown(graph):
    assert can_i(graph, "qwen-image-2.0", "commercial-use").verdict == "unknown"


# --------------------------------------------------------------------------------------- weight files
HASHES = [
    # (file name, sha256 from the repository's file listing, node it identifies)
    ("sd_xl_turbo_1.0_fp16.safetensors",
     "e869ac7d6942cb327d68d5ed83a40447aadf20e0c3358d98b2cc9e270db0da26", "sdxl-turbo"),
    ("sd_xl_turbo_1.0.safetensors", "2e58e3704b4c0831bf848e0507c9b5ff2cd8d007b8d0719dba3874156f631050", "sdxl-turbo"),
    ("renamed.safetensors", "735cf3fefcbdc4f7817f53247e38b836ffd27c7641af6d8daa21d245242cb4bd", "illustrious-xl-v1.0"),
    ("l.safetensors", "bf56cf2657efb15e465d81402ed481d1e11c4677e4bcce1bc11fe71ad8506b79", "sdxl-lightning-lora"),
]


@pytest.mark.parametrize(("name", "sha256", "node_id"), HASHES, ids=[h[0] for h in HASHES])
def test_known_hashes_identify_the_release(graph, name, sha256, node_id):
    match = match_weight_file(graph, name, sha256)
    assert match is not None and match.node_id == node_id and match.verified
