"""Module configurations inferred from tensor shapes, so smaller and community variants load.

All functions take the shapes of a file's header (native key -> shape, as ComfyUI files store
them) and return constructor keyword arguments for the diffusers / transformers class. Constants
that no tensor reveals (RoPE bases, norm eps, the 512-row context pad) are the Anima values.

Every shape read is checked first (present, the rank the architecture needs, positive sizes that
divide as they must, at most :data:`MAX_LAYERS` numbered blocks without gaps), so a damaged or
hostile header fails with :class:`~inference.errors.WeightsError` naming the tensor, before any
module is built.

Examples
--------
>>> shapes = {"net.x_embedder.proj.1.weight": (32, 68), "net.blocks.0.self_attn.q_norm.weight": (16,),
...           "net.blocks.0.mlp.layer1.weight": (64, 32), "net.blocks.0.cross_attn.k_proj.weight": (32, 24),
...           "net.blocks.0.adaln_modulation_self_attn.1.weight": (8, 32),
...           "net.final_layer.linear.weight": (64, 32), "net.blocks.1.mlp.layer1.weight": (64, 32)}
>>> cfg = transformer_config(shapes, "net.")
>>> cfg["num_layers"], cfg["num_attention_heads"], cfg["attention_head_dim"], cfg["text_embed_dim"]
(2, 2, 16, 24)
>>> try:
...     transformer_config({**shapes, "net.blocks.0.self_attn.q_norm.weight": ()}, "net.")
... except WeightsError as err:
...     print(err.message)
tensor 'net.blocks.0.self_attn.q_norm.weight' has shape [], but the architecture needs 1 positive dimension(s)
"""

from __future__ import annotations

import re

from inference.errors import WeightsError

Shapes = dict[str, tuple[int, ...]]
#: Most numbered blocks accepted in one stack (Anima: 28 DiT blocks, 6 adapter blocks, 28 text-encoder layers).
MAX_LAYERS = 256
_HINT = "the file is damaged or not this component"


def _dims(shapes: Shapes, key: str, rank: int) -> tuple[int, ...]:
    """The shape of ``key``, checked to have ``rank`` positive dimensions."""
    if key not in shapes:
        raise WeightsError(f"tensor {key!r} is missing", hint=_HINT)
    shape = shapes[key]
    if len(shape) != rank or any(d <= 0 for d in shape):
        raise WeightsError(f"tensor {key!r} has shape {list(shape)}, but the architecture needs {rank} positive "
                           f"dimension(s)", hint=_HINT)
    return shape


def _ratio(total: int, part: int, what: str) -> int:
    """``total // part``, checked to divide evenly and to be at least 1."""
    if part <= 0 or total % part or total < part:
        raise WeightsError(f"{what}: {total} is not a whole multiple of {part}", hint=_HINT)
    return total // part


def _count(shapes: Shapes, pattern: str) -> int:
    """The number of numbered blocks ``pattern`` (one group: the index) finds, checked to be 0..n-1."""
    rx = re.compile(pattern)
    found = {int(m.group(1)) for k in shapes if (m := rx.match(k))}
    if not found:
        raise WeightsError(f"no numbered blocks match {pattern!r}", hint=_HINT)
    if len(found) > MAX_LAYERS or max(found) >= MAX_LAYERS:
        raise WeightsError(f"the header declares {max(len(found), max(found) + 1):,} blocks; at most {MAX_LAYERS} "
                           "are supported", hint=_HINT)
    if found != set(range(len(found))):
        gap = min(set(range(max(found) + 1)) - found)
        raise WeightsError(f"block {gap} is missing (blocks 0..{max(found)} expected)", hint=_HINT)
    return len(found)


def transformer_config(shapes: Shapes, prefix: str = "net.") -> dict:
    """``CosmosTransformer3DModel`` kwargs for the DiT part of an Anima file."""
    p = prefix
    hidden, in_features = _dims(shapes, f"{p}x_embedder.proj.1.weight", 2)
    (head_dim,) = _dims(shapes, f"{p}blocks.0.self_attn.q_norm.weight", 1)
    patch = 2
    out_features = _dims(shapes, f"{p}final_layer.linear.weight", 2)[0]
    in_channels = _ratio(in_features, patch * patch, f"{p}x_embedder.proj.1.weight input size") - 1
    if in_channels < 1:
        raise WeightsError(f"tensor {p}x_embedder.proj.1.weight has {in_features} inputs; at least 8 expected",
                           hint=_HINT)
    return {
        "in_channels": in_channels,  # +1: the zero padding-mask channel
        "out_channels": _ratio(out_features, patch * patch, f"{p}final_layer.linear.weight output size"),
        "num_attention_heads": _ratio(hidden, head_dim, "DiT width / head size"),
        "attention_head_dim": head_dim,
        "num_layers": _count(shapes, rf"^{re.escape(p)}blocks\.(\d+)\."),
        "mlp_ratio": _dims(shapes, f"{p}blocks.0.mlp.layer1.weight", 2)[0] / hidden,
        "text_embed_dim": _dims(shapes, f"{p}blocks.0.cross_attn.k_proj.weight", 2)[1],
        "adaln_lora_dim": _dims(shapes, f"{p}blocks.0.adaln_modulation_self_attn.1.weight", 2)[0],
        "max_size": (128, 240, 240),
        "patch_size": (1, patch, patch),
        "rope_scale": (1.0, 4.0, 4.0),
        "concat_padding_mask": True,
        "extra_pos_embed_type": None,
    }


def adapter_config(shapes: Shapes, prefix: str = "net.llm_adapter.") -> dict:
    """``AnimaTextConditioner`` kwargs for the LLM adapter part of an Anima file."""
    p = prefix
    vocab, target_dim = _dims(shapes, f"{p}embed.weight", 2)
    model_dim = _dims(shapes, f"{p}blocks.0.cross_attn.q_proj.weight", 2)[0]
    (head_dim,) = _dims(shapes, f"{p}blocks.0.cross_attn.q_norm.weight", 1)
    return {
        "source_dim": _dims(shapes, f"{p}blocks.0.cross_attn.k_proj.weight", 2)[1],
        "target_dim": target_dim,
        "model_dim": model_dim,
        "num_layers": _count(shapes, rf"^{re.escape(p)}blocks\.(\d+)\."),
        "num_attention_heads": _ratio(model_dim, head_dim, "adapter width / head size"),
        "mlp_ratio": _dims(shapes, f"{p}blocks.0.mlp.0.weight", 2)[0] / model_dim,
        "target_vocab_size": vocab,
        "use_self_attention": f"{p}blocks.0.self_attn.q_proj.weight" in shapes,
        "use_layer_norm": False,
        "min_sequence_length": 512,
    }


def qwen3_config(shapes: Shapes, prefix: str = "model.") -> dict:
    """``transformers.Qwen3Config`` kwargs for a Qwen3 text-encoder file."""
    p = prefix
    vocab, hidden = _dims(shapes, f"{p}embed_tokens.weight", 2)
    (head_dim,) = _dims(shapes, f"{p}layers.0.self_attn.q_norm.weight", 1)
    heads = _ratio(_dims(shapes, f"{p}layers.0.self_attn.q_proj.weight", 2)[0], head_dim, "query width / head size")
    kv_heads = _ratio(_dims(shapes, f"{p}layers.0.self_attn.k_proj.weight", 2)[0], head_dim, "key width / head size")
    _ratio(heads, kv_heads, "query heads / key-value heads")
    return {
        "vocab_size": vocab,
        "hidden_size": hidden,
        "intermediate_size": _dims(shapes, f"{p}layers.0.mlp.gate_proj.weight", 2)[0],
        "num_hidden_layers": _count(shapes, rf"^{re.escape(p)}layers\.(\d+)\."),
        "num_attention_heads": heads,
        "num_key_value_heads": kv_heads,
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
    base_dim = _dims(shapes, "encoder.conv1.weight", 5)[0]
    z_dim = _dims(shapes, "conv2.weight", 5)[0]
    entries: dict[int, str] = {}
    for key in shapes:
        m = re.match(r"^encoder\.downsamples\.(\d+)\.(\w+)\.", key)
        if m:
            n = int(m.group(1))
            entries[n] = "down" if m.group(2) in ("resample", "time_conv") else entries.get(n, "res")
    _count({f"encoder.downsamples.{n}.": () for n in entries}, r"^encoder\.downsamples\.(\d+)\.")
    order = sorted(entries)
    num_res_blocks = next((i for i, n in enumerate(order) if entries[n] == "down"), len(order))
    if num_res_blocks < 1:
        raise WeightsError("encoder.downsamples.0 is a downsampling block; the first level has no residual blocks",
                           hint=_HINT)
    dim_mult, temporal, n = [], [], 0
    while n < len(order):
        level = order[n : n + num_res_blocks]
        if any(entries[i] != "res" for i in level):
            raise WeightsError(f"encoder.downsamples.{level[0]}..{level[-1]}: the levels do not all have "
                               f"{num_res_blocks} residual block(s)", hint=_HINT)
        width = _dims(shapes, f"encoder.downsamples.{level[-1]}.residual.6.weight", 5)[0]
        dim_mult.append(_ratio(width, base_dim, f"encoder.downsamples.{level[-1]} width / base width"))
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
