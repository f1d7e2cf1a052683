"""Tiny LoRA files in the formats people share: they change the output, and they enter the trace,
the PNG chunks and the verdicts (most restrictive wins; a LoRA the graph does not know is unknown)."""

import json

import numpy as np
import pytest
import torch
from click.testing import CliRunner
from safetensors.torch import save_file

from inference.cli import generate
from inference.lora import LoraError, apply_loras, parse_lora_arg, read_lora, restore_weights
from inference.pipeline import GenerationSettings
from inference.png_meta import read_metadata

SMALL = {"steps": 2, "width": 32, "height": 32}
RANK = 2


def _pair(out_features, in_features, seed):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(RANK, in_features, generator=g) * 2.0, torch.randn(out_features, RANK, generator=g) * 2.0


def write_lora(path, fmt, metadata=None):
    """A rank-2 LoRA on one DiT MLP layer and one adapter projection."""
    dit_down, dit_up = _pair(64, 32, 1)  # tiny DiT: MLP 32 -> 64
    ad_down, ad_up = _pair(24, 24, 2)  # tiny adapter: model dim 24
    if fmt == "kohya":
        tensors = {"lora_unet_blocks_0_mlp_layer1.lora_down.weight": dit_down,
                   "lora_unet_blocks_0_mlp_layer1.lora_up.weight": dit_up,
                   "lora_unet_blocks_0_mlp_layer1.alpha": torch.tensor(1.0),
                   "lora_unet_llm_adapter_blocks_0_cross_attn_q_proj.lora_down.weight": ad_down,
                   "lora_unet_llm_adapter_blocks_0_cross_attn_q_proj.lora_up.weight": ad_up,
                   "lora_te_layers_0_mlp_up_proj.lora_down.weight": torch.zeros(RANK, 16),
                   "lora_te_layers_0_mlp_up_proj.lora_up.weight": torch.zeros(32, RANK)}
    elif fmt == "comfyui":
        tensors = {"diffusion_model.blocks.0.mlp.layer1.lora_A.weight": dit_down,
                   "diffusion_model.blocks.0.mlp.layer1.lora_B.weight": dit_up,
                   "diffusion_model.llm_adapter.blocks.0.cross_attn.q_proj.lora_A.weight": ad_down,
                   "diffusion_model.llm_adapter.blocks.0.cross_attn.q_proj.lora_B.weight": ad_up}
    else:  # diffusers PEFT names of the DiT
        tensors = {"transformer.transformer_blocks.0.ff.net.0.proj.lora_A.weight": dit_down,
                   "transformer.transformer_blocks.0.ff.net.0.proj.lora_B.weight": dit_up}
    save_file(tensors, str(path), metadata=metadata)
    return path


def _px(result):
    return np.asarray(result.images[0], dtype=np.int16)


@pytest.mark.parametrize("fmt", ["kohya", "comfyui", "diffusers"])
def test_each_format_maps_onto_the_model(tmp_path, runner, fmt):
    lora = read_lora(write_lora(tmp_path / f"{fmt}.safetensors", fmt), 0.7, runner.components)
    modules = {m for _, m in lora.layers}
    assert "transformer_blocks.0.ff.net.0.proj" in modules
    assert lora.format == fmt and lora.rank == RANK
    if fmt != "diffusers":
        assert "blocks.0.cross_attn.q_proj" in modules  # the adapter's cross-attention query
    if fmt == "kohya":
        assert lora.layers[("transformer", "transformer_blocks.0.ff.net.0.proj")][2] == pytest.approx(0.5)  # alpha/rank
        assert lora.skipped_text_encoder_layers == 1


def test_lora_changes_the_image_and_is_undone(tmp_path, runner):
    settings = GenerationSettings(prompt="a cat", seed=4, **SMALL)
    base_result = runner.generate(settings)
    base = _px(base_result)
    weight = runner.components.transformer.transformer_blocks[0].ff.net[0].proj.weight
    original = weight.clone()
    lora = read_lora(write_lora(tmp_path / "k.safetensors", "kohya"), 1.0, runner.components)
    up, down, scale = lora.layers[("transformer", "transformer_blocks.0.ff.net.0.proj")]
    runner.set_loras((lora,))
    try:
        torch.testing.assert_close(weight, original + up @ down * scale)
        lora_result = runner.generate(settings)
        with_lora = _px(lora_result)
    finally:
        runner.set_loras(())
    change = (lora_result.latents - base_result.latents).norm() / base_result.latents.norm()
    assert change > 0.01 and np.abs(with_lora - base).max() >= 2
    assert torch.equal(weight, original)
    assert np.array_equal(_px(runner.generate(settings)), base)


def test_strength_scales_the_update(tmp_path, runner):
    path = write_lora(tmp_path / "c.safetensors", "comfyui")
    half, full = read_lora(path, 0.5, runner.components), read_lora(path, 1.0, runner.components)
    weight = runner.components.text_conditioner.blocks[0].cross_attn.q_proj.weight
    original = weight.clone()
    deltas = []
    for lora in (half, full):
        backup = apply_loras(runner.components, [lora])
        deltas.append(weight - original)
        restore_weights(backup)
    torch.testing.assert_close(deltas[0] * 2, deltas[1])
    assert torch.equal(weight, original)


def test_bad_lora_files_are_clear_errors(tmp_path, runner):
    other = tmp_path / "sdxl.safetensors"
    save_file({"lora_unet_down_blocks_0_attentions_0_proj_in.lora_down.weight": torch.zeros(2, 8),
               "lora_unet_down_blocks_0_attentions_0_proj_in.lora_up.weight": torch.zeros(8, 2)}, str(other))
    with pytest.raises(LoraError, match="not an Anima LoRA"):
        read_lora(other, 1.0, runner.components)
    wrong = tmp_path / "wrong.safetensors"
    save_file({"lora_unet_blocks_0_self_attn_q_proj.lora_down.weight": torch.zeros(2, 8),
               "lora_unet_blocks_0_self_attn_q_proj.lora_up.weight": torch.zeros(8, 2)}, str(wrong))
    with pytest.raises(LoraError, match="trained for another model"):
        read_lora(wrong, 1.0, runner.components)
    assert parse_lora_arg("a:b.safetensors") == ("a:b.safetensors", 1.0)


def test_cli_lora_enters_trace_chunks_and_verdicts(tmp_path, monkeypatch, comfy_models, tokenizers_dir):
    monkeypatch.setenv("LINEAGE_CACHE_DIR", str(tmp_path / "cache"))
    path = write_lora(tmp_path / "style.safetensors", "kohya",
                      metadata={"ss_base_model_version": "anima", "modelspec.license": "CC-BY-NC-4.0"})
    (tmp_path / "style.civitai.info").write_text(json.dumps(
        {"baseModel": "Anima", "model": {"name": "Tiny Style"}, "allowCommercialUse": ["None"]}))
    out = tmp_path / "img.png"
    args = ["--comfy-models", str(comfy_models), "--prompt", "1girl", "--steps", "2", "--width", "32",
            "--height", "32", "--device", "cpu", "--tokenizers", str(tokenizers_dir), "--out", str(out),
            "--gallery", str(tmp_path / "g.sqlite"), "--lora", f"{path}:0.8"]
    result = CliRunner().invoke(generate, args)
    assert result.exit_code == 0, result.output
    assert "lora         style.safetensors x0.8" in result.output
    meta = read_metadata(out)
    (entry,) = meta["lineage"]["trace"]["loras"]
    assert entry["file_name"] == "style.safetensors" and entry["strength"] == 0.8 and len(entry["sha256"]) == 64
    assert entry["name"] == "Tiny Style" and entry["declared_base"] == "Anima"
    assert entry["license"] == "CC-BY-NC-4.0" and entry["sidecar"] == "style.civitai.info"
    assert entry["civitai_permissions"]["allowCommercialUse"] == ["None"]
    assert str(tmp_path) not in json.dumps(meta["lineage"])
    assert f"Lora hashes: style: {entry['sha256'][:10]}" in meta["parameters"]
    for use, answer in meta["lineage"]["trace"]["verdicts"].items():
        assert entry["verdicts"][use] == "unknown"  # not in the graph: never "yes"
        assert answer["verdict"] in ("unknown", "disputed", "no")
        assert answer["parts"][-1] == {"what": "LoRA style.safetensors", "verdict": "unknown"}
    missing = CliRunner().invoke(generate, [*args[:-1], str(tmp_path / "none.safetensors")])
    assert missing.exit_code == 1 and "LoRA file not found" in missing.output and "Traceback" not in missing.output
