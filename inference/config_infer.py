"""Module configurations inferred from tensor shapes, so smaller and community variants load.

All functions take the shapes of a file's header (native key -> shape, as ComfyUI files store
them) and return constructor keyword arguments for the diffusers / transformers class. Constants
that no tensor reveals (RoPE bases, norm eps, the 512-row context pad) are the Anima values.

Examples
--------
>>> shapes = {"net.x_embedder.proj.1.weight": (32, 68), "net.blocks.0.self_attn.q_norm.weight": (16,),
...           "net.blocks.0.mlp.layer1.weight": (64, 32), "net.blocks.0.cross_attn.k_proj.weight": (32, 24),
...           "net.blocks.0.adaln_modulation_self_attn.1.weight": (8, 32),
...           "net.final_layer.linear.weight": (64, 32), "net.blocks.1.mlp.layer1.weight": (64, 32)}
>>> cfg = transformer_config(shapes, "net.")
>>> cfg["num_layers"], cfg["num_attention_heads"], cfg["attention_head_dim"], cfg["text_embed_dim"]
(2, 2, 16, 24)
"""

from __future__ import annotations

import re

Shapes = dict[str, tuple[int, ...]]


def _count(shapes: Shapes, pattern: str) -> int:
    rx = re.compile(pattern)
    return len({m.group(1) for k in shapes if (m := rx.match(k))})


def transformer_config(shapes: Shapes, prefix: str = "net.") -> dict:
    """``CosmosTransformer3DModel`` kwargs for the DiT part of an Anima file."""
    p = prefix
    hidden, in_features = shapes[f"{p}x_embedder.proj.1.weight"]
    head_dim = shapes[f"{p}blocks.0.self_attn.q_norm.weight"][0]
    patch = 2
    out_features = shapes[f"{p}final_layer.linear.weight"][0]
    return {
        "in_channels": in_features // (patch * patch) - 1,  # +1: the zero padding-mask channel
        "out_channels": out_features // (patch * patch),
        "num_attention_heads": hidden // head_dim,
        "attention_head_dim": head_dim,
        "num_layers": _count(shapes, rf"^{re.escape(p)}blocks\.(\d+)\."),
        "mlp_ratio": shapes[f"{p}blocks.0.mlp.layer1.weight"][0] / hidden,
        "text_embed_dim": shapes[f"{p}blocks.0.cross_attn.k_proj.weight"][1],
        "adaln_lora_dim": shapes[f"{p}blocks.0.adaln_modulation_self_attn.1.weight"][0],
        "max_size": (128, 240, 240),
        "patch_size": (1, patch, patch),
        "rope_scale": (1.0, 4.0, 4.0),
        "concat_padding_mask": True,
        "extra_pos_embed_type": None,
    }


def adapter_config(shapes: Shapes, prefix: str = "net.llm_adapter.") -> dict:
    """``AnimaTextConditioner`` kwargs for the LLM adapter part of an Anima file."""
    p = prefix
    vocab, target_dim = shapes[f"{p}embed.weight"]
    model_dim = shapes[f"{p}blocks.0.cross_attn.q_proj.weight"][0]
    head_dim = shapes[f"{p}blocks.0.cross_attn.q_norm.weight"][0]
    return {
        "source_dim": shapes[f"{p}blocks.0.cross_attn.k_proj.weight"][1],
        "target_dim": target_dim,
        "model_dim": model_dim,
        "num_layers": _count(shapes, rf"^{re.escape(p)}blocks\.(\d+)\."),
        "num_attention_heads": model_dim // head_dim,
        "mlp_ratio": shapes[f"{p}blocks.0.mlp.0.weight"][0] / model_dim,
        "target_vocab_size": vocab,
        "use_self_attention": f"{p}blocks.0.self_attn.q_proj.weight" in shapes,
        "use_layer_norm": False,
        "min_sequence_length": 512,
    }


def qwen3_config(shapes: Shapes, prefix: str = "model.") -> dict:
    """``transformers.Qwen3Config`` kwargs for a Qwen3 text-encoder file."""
    p = prefix
    vocab, hidden = shapes[f"{p}embed_tokens.weight"]
    head_dim = shapes[f"{p}layers.0.self_attn.q_norm.weight"][0]
    return {
        "vocab_size": vocab,
        "hidden_size": hidden,
        "intermediate_size": shapes[f"{p}layers.0.mlp.gate_proj.weight"][0],
        "num_hidden_layers": _count(shapes, rf"^{re.escape(p)}layers\.(\d+)\."),
        "num_attention_heads": shapes[f"{p}layers.0.self_attn.q_proj.weight"][0] // head_dim,
        "num_key_value_heads": shapes[f"{p}layers.0.self_attn.k_proj.weight"][0] // head_dim,
        "head_dim": head_dim,
        "rope_theta": 1_000_000.0,
        "rms_norm_eps": 1e-6,
        "max_position_embeddings": 32768,
        "tie_word_embeddings": True,
        "bos_token_id": 151643,
        "eos_token_id": 151643,
    }


def vae_config(shapes: Shapes) -> dict:
    """``AutoencoderKLQwenImage`` kwargs for a Wan-layout VAE file (encoder and decoder)."""
    base_dim = shapes["encoder.conv1.weight"][0]
    z_dim = shapes["conv2.weight"][0]
    entries: dict[int, str] = {}
    for key in shapes:
        m = re.match(r"^encoder\.downsamples\.(\d+)\.(\w+)\.", key)
        if m:
            n = int(m.group(1))
            entries[n] = "down" if m.group(2) in ("resample", "time_conv") else entries.get(n, "res")
    order = sorted(entries)
    num_res_blocks = next((i for i, n in enumerate(order) if entries[n] == "down"), len(order))
    dim_mult, temporal, n = [], [], 0
    while n < len(order):
        level = order[n : n + num_res_blocks]
        dim_mult.append(shapes[f"encoder.downsamples.{level[-1]}.residual.6.weight"][0] // base_dim)
        n += num_res_blocks
        if n < len(order):
            temporal.append(f"encoder.downsamples.{order[n]}.time_conv.weight" in shapes)
            n += 1
    return {
        "base_dim": base_dim,
        "z_dim": z_dim,
        "dim_mult": dim_mult,
        "num_res_blocks": num_res_blocks,
        "attn_scales": [],
        "temperal_downsample": temporal,
    }
