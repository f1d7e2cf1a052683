"""Identification from tiny synthetic headers built from known key layouts."""

from __future__ import annotations

import json

import pytest

from lineage.inspection.identify import identify, unclaimed
from tests.inspection import builders as b

CASES = [
    ("FLUX1_DEV", "FLUX.1 [dev]", "flux1-dev"),
    ("FLUX1_SCHNELL", "FLUX.1 [schnell]", "flux1-schnell"),
    ("FLUX2_DEV", "FLUX.2 [dev]", "flux2-dev"),
    ("SD15_UNET", "SD 1.x UNet", "sd-v1-5"),
    ("SD2_UNET", "SD 2.x UNet", "sd-2.1"),
    ("SDXL_UNET", "SDXL UNet", "sdxl-1.0"),
    ("SD3_MEDIUM", "SD3 Medium", "sd3-medium"),
    ("WAN21_T2V_14B", "Wan 2.1/2.2 T2V 14B", "wan2.1-t2v-14b"),
    ("WAN22_TI2V_5B", "Wan 2.2 TI2V 5B", "wan2.2-ti2v-5b"),
    ("COSMOS_14B", "Cosmos-Predict2 14B", "cosmos-predict2-14b-t2i"),
    ("QWEN_IMAGE", "Qwen-Image DiT", "qwen-image"),
    ("FLUX1_AE", "FLUX.1 autoencoder", "flux1-ae"),
    ("FLUX2_AE", "FLUX.2 autoencoder", "flux2-ae"),
    ("SD_VAE", "SD / SDXL VAE", "sd-vae-kl-f8"),
    ("T5XXL", "T5 v1.1 XXL", "t5-v1.1-xxl"),
    ("CLIP_L", "CLIP ViT-L/14", "clip-vit-l-14"),
    ("CLIP_G_HF", "ViT-bigG/14", "openclip-vit-bigg-14"),
    ("OPENCLIP_G", "ViT-bigG/14", "openclip-vit-bigg-14"),
]


@pytest.mark.parametrize(("layout", "family", "node"), CASES)
def test_family(layout: str, family: str, node: str) -> None:
    parts = identify(getattr(b, layout))
    assert len(parts) == 1
    assert family in parts[0].family
    assert parts[0].node == node
    assert parts[0].evidence


def test_anima_dit_from_shared_key_list() -> None:
    shapes = b.anima_dit()
    assert len(shapes) == 685
    [part] = identify(shapes)
    assert (part.family, part.component, part.node, part.prefix, part.tensors) == (
        "Anima DiT + LLM adapter", "denoiser", "anima", "net.", 685)
    assert "Only the sha256 names the release" in part.note


def test_cosmos_2b_without_adapter_is_cosmos() -> None:
    shapes = {k: v for k, v in b.anima_dit().items() if "llm_adapter" not in k}
    [part] = identify(shapes)
    assert part.node == "cosmos-predict2-2b-t2i"


def test_qwen3_and_qwen_image_vae_from_shared_key_lists() -> None:
    assert [(p.node, p.prefix, p.tensors) for p in identify(b.qwen3_06b())] == [("qwen3-0.6b-base", "model.", 310)]
    [vae] = identify(b.qwen_image_vae())
    assert vae.node == "wan2.1-vae" and vae.tensors == 194
    assert "Qwen-Image VAE share this layout" in vae.note


def test_dev_and_schnell_share_a_layout_but_schnell_lacks_guidance() -> None:
    [dev] = identify(b.FLUX1_DEV)
    [schnell] = identify(b.FLUX1_SCHNELL)
    assert "guidance_in.in_layer.weight present" in dev.evidence
    assert "guidance_in.in_layer.weight absent" in schnell.evidence
    assert "not proof of [schnell]" in schnell.note


def test_bundled_sdxl_checkpoint_is_split_into_parts() -> None:
    parts = {p.prefix: p for p in identify(b.sdxl_checkpoint())}
    assert {p: (x.component, x.node) for p, x in parts.items()} == {
        "model.diffusion_model.": ("denoiser", "sdxl-1.0"),
        "conditioner.embedders.0.transformer.": ("text_encoder", "clip-vit-l-14"),
        "conditioner.embedders.1.model.": ("text_encoder", "openclip-vit-bigg-14"),
        "first_stage_model.": ("vae", "sdxl-vae"),  # the 4-channel VAE next to an SDXL UNet
    }
    assert "only the sha256" in parts["first_stage_model."].note


def test_a_bare_sd_layout_vae_stays_unassigned_between_sd_and_sdxl() -> None:
    parts = identify(b.prefixed("first_stage_model.", b.SD_VAE))
    assert [p.node for p in parts] == ["sd-vae-kl-f8"]


def test_bundled_sd3_and_anima_all_in_one() -> None:
    sd3 = {**b.prefixed("model.diffusion_model.", b.SD3_MEDIUM),
           **b.prefixed("text_encoders.clip_l.transformer.", b.CLIP_L),
           **b.prefixed("text_encoders.clip_g.transformer.", b.CLIP_G_HF),
           **b.prefixed("text_encoders.t5xxl.transformer.", b.T5XXL)}
    assert sorted(p.node for p in identify(sd3)) == ["clip-vit-l-14", "openclip-vit-bigg-14", "sd3-medium",
                                                      "t5-v1.1-xxl"]
    aio = {**b.prefixed("model.diffusion_model.", {k[4:]: v for k, v in b.anima_dit().items()}),
           **b.prefixed("cond_stage_model.qwen3_06b.transformer.", b.qwen3_06b()),
           **b.prefixed("first_stage_model.", b.qwen_image_vae())}
    parts = identify(aio)
    assert sorted(p.node for p in parts) == ["anima", "qwen3-0.6b-base", "wan2.1-vae"]
    assert not unclaimed(aio, parts)


def test_unknown_layout_gives_nothing() -> None:
    assert identify({"foo.weight": (3, 3)}) == []


def test_the_official_diffusers_folder_files() -> None:
    # transformer/ of Anima-Base-v1.0-Diffusers: the DiT under diffusers names (second column of the shared table)
    diffusers_dit: b.Shapes = {}
    for line in (b.ANIMA_KEYS / "dit_native_to_diffusers.tsv").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            _, name, shape = line.split("\t")
            diffusers_dit[name] = tuple(json.loads(shape))
    parts = identify(diffusers_dit)
    assert [(p.component, p.family, p.node) for p in parts] == [
        ("denoiser", "Cosmos-Predict2 2B-class DiT (diffusers names)", None)]
    assert "Anima" in parts[0].note and parts[0].tensors == len(diffusers_dit)
    # text_conditioner/: the LLM adapter, same names as in the native file after net.llm_adapter.
    adapter = {k.removeprefix("net.llm_adapter."): v for k, v in b.read_tsv("dit_native.tsv").items()
               if k.startswith("net.llm_adapter.")}
    parts = identify(adapter)
    assert [(p.component, p.node, p.tensors) for p in parts] == [("adapter", "anima", len(adapter))]


def test_the_adapter_inside_a_native_anima_file_is_not_a_separate_part() -> None:
    parts = identify(b.read_tsv("dit_native.tsv"))
    assert [(p.component, p.node) for p in parts] == [("denoiser", "anima")]
