"""Tiny random Anima components (2 layers, 16-32 wide) and writers for both file layouts."""

from __future__ import annotations

import json
from pathlib import Path

import torch
from safetensors.torch import save_file

from inference import keys

REPO_ROOT = Path(__file__).resolve().parents[2]
TOKENIZERS = REPO_ROOT.parent / "shared" / "tokenizers"


def tiny_modules(seed: int = 0) -> dict:
    """Diffusers/transformers modules with every parameter drawn from N(0, 0.2)."""
    from diffusers import AnimaTextConditioner, AutoencoderKLQwenImage, CosmosTransformer3DModel
    from transformers import Qwen3Config, Qwen3Model

    from inference import config_infer

    torch.manual_seed(seed)
    modules = {
        "transformer": CosmosTransformer3DModel(
            in_channels=16, out_channels=16, num_attention_heads=2, attention_head_dim=16, num_layers=2,
            mlp_ratio=2.0, text_embed_dim=24, adaln_lora_dim=8, max_size=(128, 240, 240), patch_size=(1, 2, 2),
            rope_scale=(1.0, 4.0, 4.0), concat_padding_mask=True, extra_pos_embed_type=None,
        ),
        "text_conditioner": AnimaTextConditioner(
            source_dim=16, target_dim=24, model_dim=24, num_layers=2, num_attention_heads=2, mlp_ratio=2.0,
        ),
        "text_encoder": Qwen3Model(Qwen3Config(**{
            **config_infer.qwen3_config({
                "model.embed_tokens.weight": (151936, 16), "model.layers.0.self_attn.q_norm.weight": (8,),
                "model.layers.0.mlp.gate_proj.weight": (32, 16), "model.layers.0.self_attn.q_proj.weight": (16, 16),
                "model.layers.0.self_attn.k_proj.weight": (8, 16), "model.layers.1.mlp.gate_proj.weight": (32, 16),
            }),
        })),
        "vae": AutoencoderKLQwenImage(base_dim=8, z_dim=16, dim_mult=[1, 2, 2, 2], num_res_blocks=1),
    }
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for module in modules.values():
            for p in module.parameters():
                p.copy_(torch.randn(p.shape, generator=gen) * 0.2)
            module.eval()
    return modules


def write_comfy(models_dir: Path, modules: dict, dit_name: str = "anima-tiny-test.safetensors") -> dict[str, Path]:
    """Write the three ComfyUI split files (native key layouts) under a ``models`` folder."""
    paths = {
        "dit": models_dir / "diffusion_models" / dit_name,
        "text_encoder": models_dir / "text_encoders" / "qwen_3_06b_base.safetensors",
        "vae": models_dir / "vae" / "qwen_image_vae.safetensors",
    }
    for p in paths.values():
        p.parent.mkdir(parents=True, exist_ok=True)
    dit = {f"net.{keys.dit_key_to_native(k)}": v for k, v in modules["transformer"].state_dict().items()}
    dit |= {f"net.llm_adapter.{k}": v for k, v in modules["text_conditioner"].state_dict().items()}
    save_file({k: v.contiguous() for k, v in dit.items()}, str(paths["dit"]))
    te = {f"model.{k}": v.contiguous() for k, v in modules["text_encoder"].state_dict().items()}
    save_file(te, str(paths["text_encoder"]))
    vae_sd = modules["vae"].state_dict()
    names = keys.vae_keys_to_native(vae_sd)
    save_file({names[k]: v.contiguous() for k, v in vae_sd.items()}, str(paths["vae"]))
    return paths


def write_diffusers(folder: Path, modules: dict) -> Path:
    """Write a folder laid out like ``Anima-Base-v1.0-Diffusers``."""
    from diffusers import FlowMatchEulerDiscreteScheduler
    from transformers import Qwen2Tokenizer, T5TokenizerFast

    folder.mkdir(parents=True, exist_ok=True)
    for name, module in modules.items():
        module.save_pretrained(folder / name, safe_serialization=True)
    Qwen2Tokenizer.from_pretrained(str(TOKENIZERS / "qwen25")).save_pretrained(folder / "tokenizer")
    T5TokenizerFast.from_pretrained(str(TOKENIZERS / "t5")).save_pretrained(folder / "t5_tokenizer")
    FlowMatchEulerDiscreteScheduler(shift=3.0).save_pretrained(folder / "scheduler")
    index = {"_class_name": "AnimaModularPipeline", "_blocks_class_name": "AnimaAutoBlocks"}
    (folder / "modular_model_index.json").write_text(json.dumps(index))
    return folder
