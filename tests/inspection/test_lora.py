"""LoRAs: kohya and diffusers/PEFT names, base architecture, kohya ss_* metadata."""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from lineage.inspection import inspect_path
from lineage.inspection.lora import identify_lora, is_lora
from tests.inspection import builders as b


def _pair(module: str, rank: int, width_in: int, width_out: int, kohya: bool = True) -> b.Shapes:
    if kohya:
        return {f"{module}.lora_down.weight": (rank, width_in), f"{module}.lora_up.weight": (width_out, rank),
                f"{module}.alpha": ()}
    return {f"{module}.lora_A.weight": (rank, width_in), f"{module}.lora_B.weight": (width_out, rank)}


def test_kohya_flux_lora() -> None:
    keys = {**_pair("lora_unet_double_blocks_0_img_attn_qkv", 16, 3072, 9216),
            **_pair("lora_unet_single_blocks_3_linear1", 16, 3072, 21504)}
    info = identify_lora(keys)
    assert (info.format, info.family, info.node, info.rank, info.modules) == ("kohya", "FLUX.1 LoRA", "flux1-dev",
                                                                             16, 2)


def test_peft_flux_and_qwen_image_loras() -> None:
    flux = _pair("transformer.single_transformer_blocks.0.attn.to_q", 8, 3072, 3072, kohya=False)
    assert identify_lora(flux).node == "flux1-dev"
    assert identify_lora(flux).format == "diffusers/peft"
    qwen = _pair("transformer.transformer_blocks.0.img_mlp.net.0.proj", 8, 3072, 12288, kohya=False)
    assert identify_lora(qwen).node == "qwen-image"


def test_anima_and_wan_loras_are_told_apart() -> None:
    anima = {**_pair("diffusion_model.blocks.0.self_attn.q_proj", 32, 2048, 2048, kohya=False),
             **_pair("diffusion_model.llm_adapter.blocks.0.self_attn.q_proj", 32, 1024, 1024, kohya=False)}
    assert identify_lora(anima).family == "Anima LoRA"
    cosmos_only = _pair("lora_unet_blocks_0_mlp_layer1", 32, 2048, 8192)
    assert "Anima or Cosmos-Predict2" in identify_lora(cosmos_only).notes[0]
    wan = _pair("diffusion_model.blocks.0.self_attn.q", 16, 5120, 5120, kohya=False)
    assert identify_lora(wan).family == "Wan DiT LoRA"


def test_sd_unet_lora_uses_cross_attention_width() -> None:
    sdxl = {**_pair("lora_unet_input_blocks_4_1_transformer_blocks_0_attn2_to_k", 8, 2048, 640),
            **_pair("lora_te1_text_model_encoder_layers_0_self_attn_q_proj", 8, 768, 768)}
    info = identify_lora(sdxl)
    assert (info.family, info.node, info.text_encoder_modules) == ("SDXL LoRA", "sdxl-1.0", 1)
    sd15 = _pair("lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn2_to_k", 8, 768, 320)
    assert identify_lora(sd15).node == "sd-v1-5"


def test_not_a_lora() -> None:
    assert not is_lora(b.FLUX1_DEV)


def test_kohya_metadata_names_the_base(tmp_path: Path, fx_graph: nx.MultiDiGraph) -> None:
    keys = _pair("lora_unet_input_blocks_4_1_transformer_blocks_0_attn2_to_k", 8, 2048, 640)
    meta = {"ss_base_model_version": "sdxl_base_v1-0", "ss_sd_model_name": "sd_xl_base_1.0.safetensors",
            "ss_network_dim": "8", "ss_network_module": "networks.lora", "ss_tag_frequency": "{}" * 5000}
    report = inspect_path(b.write_safetensors(tmp_path / "style.safetensors", keys, meta), fx_graph)
    assert report.kind == "lora" and report.lora["rank"] == 8
    assert report.training["base_model_file"] == "sd_xl_base_1.0.safetensors"
    assert report.training["tag_frequency"].endswith("(not shown)")
    by_how = {c.identified_by: c for c in report.components}
    assert by_how["architecture"].node_id == "sdxl-1.0"
    assert by_how["training metadata (name)"].node_id == "sdxl-1.0"
    assert report.subject == "sdxl-1.0"
    assert report.verdicts["share-derivatives"]["verdict"] == "yes"
    assert any("derivative of the model it was trained on" in n for n in report.notes)


def test_lora_of_unknown_base(tmp_path: Path, fx_graph: nx.MultiDiGraph) -> None:
    keys = _pair("lora_unet_something_else", 4, 16, 16)
    report = inspect_path(b.write_safetensors(tmp_path / "odd.safetensors", keys), fx_graph)
    assert report.kind == "lora" and report.subject is None
    assert report.verdicts["sell-outputs"]["verdict"] == "unknown"
