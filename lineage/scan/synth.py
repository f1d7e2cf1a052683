"""Synthetic model folders for tests and benchmarks: realistic headers and sidecars, no real tensor data.

Each safetensors file has a real header (the tensor names, shapes and kohya/``modelspec`` metadata real
trainers write) over an 8-byte data region, so it identifies like the real thing and weighs a few hundred
bytes. The mix covers ComfyUI, AUTOMATIC1111, InvokeAI and Hugging Face cache layouts; LoRAs of SD 1.5, SDXL,
Pony, Illustrious and FLUX.1; bundled checkpoints, VAEs, text encoders, GGUF files and refused pickles; and
Civitai sidecars in the shapes the common managers write, with permissions that vary (including none).

>>> import pathlib, tempfile
>>> root = pathlib.Path(tempfile.mkdtemp())
>>> counts = make_models_folder(root, 40, seed=1)
>>> sum(counts.values()) == 40
True
"""

from __future__ import annotations

import json
import os
import random
import struct
from pathlib import Path

Shapes = dict[str, tuple[int, ...]]

SDXL_UNET: Shapes = {"input_blocks.0.0.weight": (320, 4, 3, 3), "label_emb.0.0.weight": (1280, 2816),
                     "input_blocks.4.1.transformer_blocks.0.attn2.to_k.weight": (640, 2048)}
SD_VAE: Shapes = {"encoder.conv_in.weight": (128, 3, 3, 3), "quant_conv.weight": (8, 8, 1, 1),
                  "decoder.conv_in.weight": (512, 4, 3, 3)}
CLIP_L: Shapes = {"text_model.embeddings.token_embedding.weight": (49408, 768),
                  "text_model.encoder.layers.0.self_attn.q_proj.weight": (768, 768)}
OPENCLIP_G: Shapes = {"model.token_embedding.weight": (49408, 1280),
                      "model.transformer.resblocks.0.attn.in_proj_weight": (3840, 1280)}
T5XXL: Shapes = {"shared.weight": (32128, 4096), "encoder.block.0.layer.0.SelfAttention.q.weight": (4096, 4096),
                 "encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight": (32, 64)}
FLUX1_DEV: Shapes = {"img_in.weight": (3072, 64), "txt_in.weight": (3072, 4096),
                     "guidance_in.in_layer.weight": (3072, 256),
                     "double_blocks.0.img_attn.norm.key_norm.scale": (128,)}

#: (label, civitai baseModel, kohya ss_base_model_version, LoRA layer, cross-attention width)
LORA_BASES: tuple[tuple[str, str, str, str, int], ...] = (
    ("sdxl", "SDXL 1.0", "sdxl_base_v1-0", "input_blocks_4_1_transformer_blocks_0_attn2_to_k", 2048),
    ("pony", "Pony", "sdxl_base_v1-0", "input_blocks_4_1_transformer_blocks_0_attn2_to_k", 2048),
    ("illustrious", "Illustrious", "sdxl_base_v1-0", "input_blocks_4_1_transformer_blocks_0_attn2_to_k", 2048),
    ("sd15", "SD 1.5", "sd_v1", "down_blocks_0_attentions_0_transformer_blocks_0_attn2_to_k", 768),
    ("flux", "Flux.1 D", "flux1", "double_blocks_0_img_attn_qkv", 3072),
)
PERMISSION_SETS: tuple[dict[str, object] | None, ...] = (
    None,  # no permissions in the sidecar: unknown, never allowed
    {"allowNoCredit": True, "allowCommercialUse": ["Image", "RentCivit", "Rent", "Sell"], "allowDerivatives": True,
     "allowDifferentLicense": True},
    {"allowNoCredit": False, "allowCommercialUse": ["None"], "allowDerivatives": False,
     "allowDifferentLicense": False},
    {"allowNoCredit": True, "allowCommercialUse": ["Image"], "allowDerivatives": True, "allowDifferentLicense": False},
    {"allowNoCredit": False, "allowCommercialUse": "Sell", "allowDerivatives": True, "allowDifferentLicense": True},
)


def safetensors_bytes(shapes: Shapes, metadata: dict[str, str] | None = None) -> bytes:
    """A safetensors file whose header describes ``shapes``; every tensor points at an empty data range."""
    header: dict[str, object] = {k: {"dtype": "F16", "shape": list(s), "data_offsets": [0, 0]}
                                 for k, s in shapes.items()}
    if metadata:
        header["__metadata__"] = metadata
    raw = json.dumps(header).encode()
    raw += b" " * (-len(raw) % 8)
    return struct.pack("<Q", len(raw)) + raw + bytes(8)


def gguf_bytes(shapes: Shapes, architecture: str) -> bytes:
    """A GGUF v3 header (one string metadata entry, the tensor infos) and no tensor data."""
    def s(text: str) -> bytes:
        return struct.pack("<Q", len(text.encode())) + text.encode()

    out = b"GGUF" + struct.pack("<IQQ", 3, len(shapes), 1) + s("general.architecture") + struct.pack("<I", 8)
    out += s(architecture)
    for name, shape in shapes.items():
        out += s(name) + struct.pack("<I", len(shape)) + b"".join(struct.pack("<Q", d) for d in reversed(shape))
        out += struct.pack("<IQ", 1, 0)
    return out


def lora_shapes(layer: str, width: int, rank: int, blocks: int = 2) -> Shapes:
    """A kohya LoRA patching ``blocks`` copies of ``layer`` (the block number is the first digit run)."""
    out: Shapes = {}
    for b in range(blocks):
        name = layer.replace("_0_", f"_{b}_", 1) if b else layer
        out[f"lora_unet_{name}.lora_down.weight"] = (rank, width)
        out[f"lora_unet_{name}.lora_up.weight"] = (width, rank)
        out[f"lora_unet_{name}.alpha"] = ()
    return out


def civitai_info(model: str, version: str, base: str, kind: str, file_name: str, sha256: str,
                 permissions: dict[str, object] | None, version_id: int) -> dict[str, object]:
    """A Civitai model-version object as Civitai Helper saves it (``.civitai.info``)."""
    info: dict[str, object] = {
        "id": version_id, "modelId": version_id // 3, "name": version, "baseModel": base, "baseModelType": "Standard",
        "trainedWords": ["synthetic"], "model": {"name": model, "type": kind, "nsfw": False, "poi": False},
        "files": [{"name": file_name, "type": "Model", "primary": True, "sizeKB": 1.0,
                   "hashes": {"SHA256": sha256.upper(), "AutoV2": sha256[:10].upper()},
                   "metadata": {"format": "SafeTensor", "fp": "fp16"}}],
        "downloadUrl": f"https://civitai.com/api/download/models/{version_id}",
    }
    if permissions is not None:
        info["model"].update(permissions)  # type: ignore[union-attr]
    return info


def lora_manager_metadata(model: str, version: str, base: str, file_name: str, sha256: str,
                          permissions: dict[str, object] | None, version_id: int) -> dict[str, object]:
    """A ComfyUI LoRA Manager ``.metadata.json``."""
    civitai: dict[str, object] = {"id": version_id, "modelId": version_id // 3, "name": version, "baseModel": base,
                                  "model": {"name": model, "type": "LORA"}}
    if permissions is not None:
        civitai["model"].update(permissions)  # type: ignore[union-attr]
    return {"file_name": file_name.rsplit(".", 1)[0], "model_name": model, "file_path": file_name, "size": 1,
            "modified": 0.0, "sha256": sha256, "base_model": base, "preview_url": "", "tags": [],
            "civitai": civitai}


def make_models_folder(root: Path, n: int = 10_000, seed: int = 0) -> dict[str, int]:
    """Write ``n`` model files (plus sidecars) under ``root`` in four layouts; return counts per kind."""
    rng = random.Random(seed)
    dirs = {
        "comfy_lora": root / "ComfyUI" / "models" / "loras", "comfy_ckpt": root / "ComfyUI" / "models" / "checkpoints",
        "comfy_vae": root / "ComfyUI" / "models" / "vae", "comfy_te": root / "ComfyUI" / "models" / "text_encoders",
        "comfy_unet": root / "ComfyUI" / "models" / "diffusion_models",
        "a1111_lora": root / "stable-diffusion-webui" / "models" / "Lora",
        "a1111_ckpt": root / "stable-diffusion-webui" / "models" / "Stable-diffusion",
        "invoke_lora": root / "invokeai" / "models" / "sdxl" / "lora",
    }
    for d in dirs.values():
        d.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    for i in range(n):
        roll = rng.random()
        if roll < 0.72:
            kind = "lora"
            label, base, ss_base, layer, width = rng.choice(LORA_BASES)
            folder = dirs[rng.choice(["comfy_lora", "a1111_lora", "invoke_lora" if width == 2048 else "comfy_lora"])]
            name = f"{label}_style_{i:05d}.safetensors"
            meta = {"ss_base_model_version": ss_base, "ss_network_module": "networks.lora",
                    "ss_network_dim": "8", "ss_output_name": name[:-12]}
            data = safetensors_bytes(lora_shapes(layer, width, 8), meta)
            _sidecars(folder, name, data, rng, f"Synthetic {label} style {i}", base, "LORA", i)
        elif roll < 0.82:
            kind = "checkpoint"
            folder = dirs[rng.choice(["comfy_ckpt", "a1111_ckpt"])]
            name = f"merge_{i:05d}.safetensors"
            shapes = {**{f"model.diffusion_model.{k}": v for k, v in SDXL_UNET.items()},
                      **{f"conditioner.embedders.0.transformer.{k}": v for k, v in CLIP_L.items()},
                      **{f"conditioner.embedders.1.{k}": v for k, v in OPENCLIP_G.items()},
                      **{f"first_stage_model.{k}": v for k, v in SD_VAE.items()}}
            data = safetensors_bytes(shapes, {"modelspec.architecture": "stable-diffusion-xl-v1-base"})
            _sidecars(folder, name, data, rng, f"Synthetic merge {i}", rng.choice(["SDXL 1.0", "Pony", "Illustrious"]),
                      "Checkpoint", i)
        elif roll < 0.87:
            kind, folder, name = "vae", dirs["comfy_vae"], f"vae_{i:05d}.safetensors"
            data = safetensors_bytes(SD_VAE)
        elif roll < 0.92:
            kind, folder, name = "text encoder", dirs["comfy_te"], f"te_{i:05d}.safetensors"
            data = safetensors_bytes(rng.choice([CLIP_L, T5XXL]))
        elif roll < 0.96:
            kind, folder, name = "gguf", dirs["comfy_unet"], f"flux_q8_{i:05d}.gguf"
            data = gguf_bytes(FLUX1_DEV, "flux")
        else:
            kind, folder, name = "pickle", dirs[rng.choice(["comfy_ckpt", "a1111_lora"])], f"old_{i:05d}.ckpt"
            data = b"\x80\x04\x95" + bytes(16)
        (folder / name).write_bytes(data)
        counts[kind] = counts.get(kind, 0) + 1
    return counts


def _sidecars(folder: Path, name: str, data: bytes, rng: random.Random, model: str, base: str, kind: str,
              i: int) -> None:
    import hashlib

    sha = hashlib.sha256(data).hexdigest()
    permissions = rng.choice(PERMISSION_SETS)
    stem = name.rsplit(".", 1)[0]
    roll = rng.random()
    if roll < 0.55:
        info = civitai_info(model, f"v{i % 5}.0", base, kind, name, sha, permissions, 100_000 + i)
        (folder / f"{stem}.civitai.info").write_text(json.dumps(info, indent=1))
    elif roll < 0.8:
        meta = lora_manager_metadata(model, f"v{i % 5}.0", base, name, sha, permissions, 100_000 + i)
        (folder / f"{stem}.metadata.json").write_text(json.dumps(meta))


def make_hf_cache(root: Path, repo: str, files: dict[str, bytes], readme: str | None, revision: str = "0" * 40) -> Path:
    """A Hugging Face hub cache entry: blobs named by sha256 and snapshot files as symlinks to them."""
    import hashlib

    repo_dir = root / "hub" / ("models--" + repo.replace("/", "--"))
    blobs, snap = repo_dir / "blobs", repo_dir / "snapshots" / revision
    blobs.mkdir(parents=True, exist_ok=True)
    snap.mkdir(parents=True, exist_ok=True)
    items = dict(files)
    if readme is not None:
        items["README.md"] = readme.encode()
    for rel, data in items.items():
        digest = hashlib.sha256(data).hexdigest()
        (blobs / digest).write_bytes(data)
        target = snap / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(os.path.relpath(blobs / digest, target.parent), target)
    (repo_dir / "refs").mkdir(exist_ok=True)
    (repo_dir / "refs" / "main").write_text(revision)
    return snap
