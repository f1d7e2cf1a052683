"""Tiny synthetic weights files and PNGs for the inspection tests.

Safetensors headers carry full-size shapes while every tensor points at an empty byte range of a small data
region: only the header is ever read, so a "12B" model is a few kilobytes.
"""

from __future__ import annotations

import json
import struct
import zlib
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
ANIMA_KEYS = SHARED / "reference" / "anima-keys"

Shapes = dict[str, tuple[int, ...]]


def safetensors_bytes(shapes: Shapes, metadata: dict[str, str] | None = None, dtype: str = "BF16") -> bytes:
    header: dict = {k: {"dtype": dtype, "shape": list(s), "data_offsets": [0, 0]} for k, s in shapes.items()}
    if metadata:
        header["__metadata__"] = metadata
    raw = json.dumps(header).encode()
    raw += b" " * (-len(raw) % 8)
    return struct.pack("<Q", len(raw)) + raw + bytes(8)


def write_safetensors(path: Path, shapes: Shapes, metadata: dict[str, str] | None = None) -> Path:
    path.write_bytes(safetensors_bytes(shapes, metadata))
    return path


def read_tsv(name: str) -> Shapes:
    """``key<TAB>[a, b]`` lines of a shared key-layout file (the shape is the last column)."""
    from tests.shared_files import require_shared

    require_shared("reference", "anima-keys", name)
    out: Shapes = {}
    for line in (ANIMA_KEYS / name).read_text().splitlines():
        if line.startswith("#") or not line.strip():
            continue
        cols = line.split("\t")
        out[cols[0]] = tuple(json.loads(cols[-1]))
    return out


def prefixed(prefix: str, shapes: Shapes) -> Shapes:
    return {prefix + k: v for k, v in shapes.items()}


# --- minimal key layouts per family (the anchor keys and the shapes the rules look at) --------------------
FLUX1_DEV: Shapes = {
    "img_in.weight": (3072, 64), "txt_in.weight": (3072, 4096), "time_in.in_layer.weight": (3072, 256),
    "guidance_in.in_layer.weight": (3072, 256), "vector_in.in_layer.weight": (3072, 768),
    "double_blocks.0.img_attn.qkv.weight": (9216, 3072), "double_blocks.0.img_attn.norm.key_norm.scale": (128,),
    "single_blocks.0.linear1.weight": (21504, 3072),
}
FLUX1_SCHNELL: Shapes = {k: v for k, v in FLUX1_DEV.items() if not k.startswith("guidance_in")}
FLUX2_DEV: Shapes = {
    "img_in.weight": (6144, 128), "txt_in.weight": (6144, 15360),
    "double_stream_modulation_img.lin.weight": (36864, 6144),
    "double_blocks.0.img_attn.norm.key_norm.scale": (128,), "single_stream_modulation.lin.weight": (18432, 6144),
}
SD15_UNET: Shapes = {
    "input_blocks.0.0.weight": (320, 4, 3, 3), "input_blocks.1.1.proj_in.weight": (320, 320, 1, 1),
    "input_blocks.1.1.transformer_blocks.0.attn2.to_k.weight": (320, 768), "out.2.weight": (4, 320, 3, 3),
}
SD2_UNET: Shapes = {
    "input_blocks.0.0.weight": (320, 4, 3, 3), "input_blocks.1.1.proj_in.weight": (320, 320),
    "input_blocks.1.1.transformer_blocks.0.attn2.to_k.weight": (320, 1024),
}
SDXL_UNET: Shapes = {
    "input_blocks.0.0.weight": (320, 4, 3, 3), "label_emb.0.0.weight": (1280, 2816),
    "input_blocks.4.1.transformer_blocks.0.attn2.to_k.weight": (640, 2048),
}
SD3_MEDIUM: Shapes = {
    "joint_blocks.0.context_block.attn.qkv.weight": (4608, 1536), "x_embedder.proj.weight": (1536, 16, 2, 2),
    "context_embedder.weight": (1536, 4096), "pos_embed": (1, 36864, 1536),
}
WAN21_T2V_14B: Shapes = {
    "head.modulation": (1, 2, 5120), "head.head.weight": (64, 5120), "patch_embedding.weight": (5120, 16, 1, 2, 2),
    "blocks.0.self_attn.q.weight": (5120, 5120), "blocks.0.ffn.0.weight": (13824, 5120),
}
WAN22_TI2V_5B: Shapes = {
    "head.modulation": (1, 2, 3072), "head.head.weight": (192, 3072), "patch_embedding.weight": (3072, 48, 1, 2, 2),
    "blocks.0.self_attn.q.weight": (3072, 3072),
}
COSMOS_14B: Shapes = {
    "net.x_embedder.proj.1.weight": (5120, 68), "net.blocks.0.mlp.layer1.weight": (20480, 5120),
    "net.blocks.0.self_attn.q_proj.weight": (5120, 5120),
}
QWEN_IMAGE: Shapes = {
    "img_in.weight": (3072, 64), "txt_in.weight": (3072, 3584), "txt_norm.weight": (3584,),
    "transformer_blocks.0.img_mlp.net.0.proj.weight": (12288, 3072),
}
FLUX1_AE: Shapes = {
    "encoder.conv_in.weight": (128, 3, 3, 3), "encoder.conv_out.weight": (32, 512, 3, 3),
    "decoder.conv_in.weight": (512, 16, 3, 3), "decoder.conv_out.weight": (3, 128, 3, 3),
}
SD_VAE: Shapes = {
    "encoder.conv_in.weight": (128, 3, 3, 3), "quant_conv.weight": (8, 8, 1, 1),
    "decoder.conv_in.weight": (512, 4, 3, 3),
}
FLUX2_AE: Shapes = {"decoder.conv_in.weight": (512, 32, 3, 3), "bn.running_mean": (128,)}
T5XXL: Shapes = {
    "shared.weight": (32128, 4096), "encoder.block.0.layer.0.SelfAttention.q.weight": (4096, 4096),
    "encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight": (32, 64),
    "encoder.block.1.layer.0.SelfAttention.q.weight": (4096, 4096),
}
CLIP_L: Shapes = {
    "text_model.embeddings.token_embedding.weight": (49408, 768),
    "text_model.encoder.layers.0.self_attn.q_proj.weight": (768, 768),
}
CLIP_G_HF: Shapes = {
    "text_model.embeddings.token_embedding.weight": (49408, 1280),
    "text_model.encoder.layers.0.self_attn.q_proj.weight": (1280, 1280),
}
OPENCLIP_G: Shapes = {
    "model.token_embedding.weight": (49408, 1280), "model.transformer.resblocks.0.attn.in_proj_weight": (3840, 1280),
}


def sdxl_checkpoint() -> Shapes:
    """A bundled SDXL checkpoint: UNet, two text encoders, VAE."""
    return {
        **prefixed("model.diffusion_model.", SDXL_UNET),
        **prefixed("conditioner.embedders.0.transformer.", CLIP_L),
        **prefixed("conditioner.embedders.1.", OPENCLIP_G),
        **prefixed("first_stage_model.", SD_VAE),
    }


def anima_dit() -> Shapes:
    return read_tsv("dit_native.tsv")


def qwen3_06b() -> Shapes:
    return read_tsv("qwen3_06b.tsv")


def qwen_image_vae() -> Shapes:
    # native_key, diffusers_key, shape: the first column is the native (Wan 2.1) name
    return read_tsv("vae_native_to_diffusers.tsv")


# --- PNG ---------------------------------------------------------------------------------------------------
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def chunk(kind: bytes, data: bytes, crc: int | None = None) -> bytes:
    crc = zlib.crc32(kind + data) if crc is None else crc
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def text_chunk(key: str, value: str, kind: str = "tEXt") -> bytes:
    if kind == "tEXt":
        return chunk(b"tEXt", key.encode("latin-1") + b"\0" + value.encode("latin-1"))
    if kind == "zTXt":
        return chunk(b"zTXt", key.encode("latin-1") + b"\0\0" + zlib.compress(value.encode("latin-1")))
    return chunk(b"iTXt", key.encode("latin-1") + b"\0\0\0\0\0" + value.encode("utf-8"))


def png_bytes(*extra: bytes) -> bytes:
    """A 1x1 grey PNG with ``extra`` chunks before the image data."""
    ihdr = chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
    idat = chunk(b"IDAT", zlib.compress(b"\x00\x80"))
    return PNG_SIGNATURE + ihdr + b"".join(extra) + idat + chunk(b"IEND", b"")


def comfy_prompt() -> dict:
    return {
        "3": {"class_type": "KSampler", "inputs": {"seed": 1, "model": ["10", 0]}},
        "4": {"class_type": "UNETLoader", "inputs": {"unet_name": "flux1-dev.safetensors", "weight_dtype": "default"}},
        "5": {"class_type": "DualCLIPLoader", "inputs": {"clip_name1": "t5xxl_fp16.safetensors",
                                                          "clip_name2": "clip_l.safetensors", "type": "flux"}},
        "6": {"class_type": "VAELoader", "inputs": {"vae_name": "ae.safetensors"}},
        "10": {"class_type": "LoraLoaderModelOnly", "inputs": {"lora_name": "mystery_style.safetensors",
                                                                "strength_model": 0.8, "model": ["4", 0]}},
    }


def comfy_workflow() -> dict:
    return {"nodes": [
        {"id": 1, "type": "CheckpointLoaderSimple", "mode": 0, "widgets_values": ["sd_xl_base_1.0.safetensors"]},
        {"id": 2, "type": "LoraLoader", "mode": 4, "widgets_values": ["unused.safetensors", 1.0, 1.0]},
    ], "links": []}
