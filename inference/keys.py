"""Key conversion between the ComfyUI split files and the diffusers modules.

* DiT file (``net.`` prefix): the DiT part goes to ``CosmosTransformer3DModel`` through the rename
  rules of diffusers' ``scripts/convert_cosmos_to_diffusers.py``; the ``llm_adapter.`` part is
  already in ``AnimaTextConditioner`` naming.
* Text encoder (``model.`` prefix): ``Qwen3Model`` naming once the prefix is stripped.
* VAE (Wan 2.1 layout): ``AutoencoderKLQwenImage`` naming (``convert_qwen_image_vae_state_dict``).

Each rule is a pair of templates; ``{name}`` matches one dotted segment, so the same table converts
both ways. Checked against the full-size tables in ``shared/reference/anima-keys``.

Examples
--------
>>> dit_key_to_diffusers("blocks.3.self_attn.output_proj.weight")
'transformer_blocks.3.attn1.to_out.0.weight'
>>> dit_key_to_native("transformer_blocks.3.norm2.linear_1.weight")
'blocks.3.adaln_modulation_cross_attn.1.weight'
>>> vae_keys_to_diffusers(["decoder.upsamples.3.resample.1.weight"])
{'decoder.upsamples.3.resample.1.weight': 'decoder.up_blocks.0.upsamplers.0.resample.1.weight'}
"""

from __future__ import annotations

import re
from collections.abc import Iterable

DIT_PREFIXES = ("net.", "model.diffusion_model.", "")
ADAPTER = "llm_adapter."
#: Runtime buffers some trainers save; they are recomputed by the modules and dropped on load.
DROPPED_DIT_PARTS = ("pos_embedder.", "accum_", "_extra_state")

_DIT_RULES = [
    ("x_embedder.proj.1.weight", "patch_embed.proj.weight"),
    ("t_embedder.1.linear_{n}.weight", "time_embed.t_embedder.linear_{n}.weight"),
    ("t_embedding_norm.weight", "time_embed.norm.weight"),
    ("blocks.{i}.self_attn.output_proj.weight", "transformer_blocks.{i}.attn1.to_out.0.weight"),
    ("blocks.{i}.self_attn.{p}_proj.weight", "transformer_blocks.{i}.attn1.to_{p}.weight"),
    ("blocks.{i}.self_attn.{p}_norm.weight", "transformer_blocks.{i}.attn1.norm_{p}.weight"),
    ("blocks.{i}.cross_attn.output_proj.weight", "transformer_blocks.{i}.attn2.to_out.0.weight"),
    ("blocks.{i}.cross_attn.{p}_proj.weight", "transformer_blocks.{i}.attn2.to_{p}.weight"),
    ("blocks.{i}.cross_attn.{p}_norm.weight", "transformer_blocks.{i}.attn2.norm_{p}.weight"),
    ("blocks.{i}.mlp.layer1.weight", "transformer_blocks.{i}.ff.net.0.proj.weight"),
    ("blocks.{i}.mlp.layer2.weight", "transformer_blocks.{i}.ff.net.2.weight"),
    ("blocks.{i}.adaln_modulation_self_attn.{n}.weight", "transformer_blocks.{i}.norm1.linear_{n}.weight"),
    ("blocks.{i}.adaln_modulation_cross_attn.{n}.weight", "transformer_blocks.{i}.norm2.linear_{n}.weight"),
    ("blocks.{i}.adaln_modulation_mlp.{n}.weight", "transformer_blocks.{i}.norm3.linear_{n}.weight"),
    ("final_layer.adaln_modulation.{n}.weight", "norm_out.linear_{n}.weight"),
    ("final_layer.linear.weight", "proj_out.weight"),
]

# Inside a Wan residual block: Sequential(RMS_norm, SiLU, conv, RMS_norm, SiLU, Dropout, conv).
_RESNET_RULES = [
    ("residual.0.gamma", "norm1.gamma"),
    ("residual.2.{w}", "conv1.{w}"),
    ("residual.3.gamma", "norm2.gamma"),
    ("residual.6.{w}", "conv2.{w}"),
    ("shortcut.{w}", "conv_shortcut.{w}"),
]
_VAE_RULES = [
    ("conv1.{w}", "quant_conv.{w}"),
    ("conv2.{w}", "post_quant_conv.{w}"),
    ("{side}.conv1.{w}", "{side}.conv_in.{w}"),
    ("{side}.head.0.gamma", "{side}.norm_out.gamma"),
    ("{side}.head.2.{w}", "{side}.conv_out.{w}"),
    ("{side}.middle.1.{rest}", "{side}.mid_block.attentions.0.{rest}"),
    ("encoder.downsamples.{i}.resample.{rest}", "encoder.down_blocks.{i}.resample.{rest}"),
    ("encoder.downsamples.{i}.time_conv.{w}", "encoder.down_blocks.{i}.time_conv.{w}"),
    *[(f"encoder.downsamples.{{i}}.{a}", f"encoder.down_blocks.{{i}}.{b}") for a, b in _RESNET_RULES],
    *[(f"{{side}}.middle.0.{a}", f"{{side}}.mid_block.resnets.0.{b}") for a, b in _RESNET_RULES],
    *[(f"{{side}}.middle.2.{a}", f"{{side}}.mid_block.resnets.1.{b}") for a, b in _RESNET_RULES],
    # decoder up blocks: indices are renumbered by _decoder_up_index before these apply
    ("decoder.upsamples.{lv}/{j}.{a}", "decoder.up_blocks.{lv}.resnets.{j}.{a}"),
    ("decoder.upsamples.{lv}/up.{rest}", "decoder.up_blocks.{lv}.upsamplers.0.{rest}"),
]


def _compile(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{\w+\})", template)
    rx = "".join(
        f"(?P<{p[1:-1]}>{'.+' if p in ('{rest}', '{a}') else '[^./]+'})" if p.startswith("{") else re.escape(p)
        for p in parts
    )
    return re.compile(rf"^{rx}$")


def _table(rules: list[tuple[str, str]], reverse: bool) -> list[tuple[re.Pattern[str], str]]:
    return [(_compile(b if reverse else a), a if reverse else b) for a, b in rules]


_DIT_FWD, _DIT_REV = _table(_DIT_RULES, False), _table(_DIT_RULES, True)


def _expand_resnet_rules(table: list[tuple[re.Pattern[str], str]], key: str) -> str | None:
    for rx, out in table:
        m = rx.match(key)
        if m:
            groups = m.groupdict()
            if "a" in groups:  # decoder resnet: convert the inner name too
                inner = _apply(_table(_RESNET_RULES, False), groups["a"])
                if inner is None:
                    continue
                groups["a"] = inner
            return out.format(**groups)
    return None


def _apply(table: list[tuple[re.Pattern[str], str]], key: str) -> str | None:
    for rx, out in table:
        m = rx.match(key)
        if m:
            return out.format(**m.groupdict())
    return None


def dit_key_to_diffusers(key: str) -> str:
    """Native DiT key (prefix stripped) to its ``CosmosTransformer3DModel`` name."""
    out = _apply(_DIT_FWD, key)
    if out is None:
        raise KeyError(key)
    return out


def dit_key_to_native(key: str) -> str:
    """``CosmosTransformer3DModel`` key back to the native DiT name (without ``net.``)."""
    out = _apply(_DIT_REV, key)
    if out is None:
        raise KeyError(key)
    return out


def split_dit_keys(keys: Iterable[str]) -> tuple[str, dict[str, str], dict[str, str], list[str]]:
    """Sort the keys of a DiT file into transformer and adapter maps (file key -> module key).

    Returns ``(prefix, transformer_map, adapter_map, unknown_keys)``; runtime buffers are dropped.
    """
    keys = list(keys)
    prefix = next(p for p in DIT_PREFIXES if any(k.startswith(p + "blocks.") for k in keys) or p == "")
    transformer: dict[str, str] = {}
    adapter: dict[str, str] = {}
    unknown: list[str] = []
    for key in keys:
        if not key.startswith(prefix) or any(part in key for part in DROPPED_DIT_PARTS):
            if not any(part in key for part in DROPPED_DIT_PARTS):
                unknown.append(key)
            continue
        rest = key[len(prefix) :]
        if rest.startswith(ADAPTER):
            adapter[key] = rest[len(ADAPTER) :]
            continue
        out = _apply(_DIT_FWD, rest)
        if out is None:
            unknown.append(key)
        else:
            transformer[key] = out
    return prefix, transformer, adapter, unknown


def text_encoder_keys(keys: Iterable[str]) -> tuple[dict[str, str], list[str]]:
    """Qwen3 file keys (``model.`` prefix, HF naming) to ``Qwen3Model`` keys; ``lm_head`` is dropped."""
    mapping: dict[str, str] = {}
    unknown: list[str] = []
    for key in keys:
        if key == "lm_head.weight":
            continue
        if key.startswith("model."):
            mapping[key] = key[len("model.") :]
        else:
            unknown.append(key)
    return mapping, unknown


def _decoder_up_index(keys: list[str]) -> dict[int, tuple[int, str]]:
    """Map flat ``decoder.upsamples.N`` to (level, resnet index or 'up').

    A level is its residual blocks followed by one resample block (none after the last level).
    """
    indices = sorted({int(k.split(".")[2]) for k in keys if k.startswith("decoder.upsamples.")})
    resamples = {
        int(k.split(".")[2]) for k in keys if k.startswith("decoder.upsamples.") and ".resample." in k
    }
    out: dict[int, tuple[int, str]] = {}
    level, j = 0, 0
    for n in indices:
        if n in resamples:
            out[n] = (level, "up")
            level, j = level + 1, 0
        else:
            out[n] = (level, str(j))
            j += 1
    return out


def vae_keys_to_diffusers(keys: Iterable[str]) -> dict[str, str]:
    """Wan-layout VAE keys to ``AutoencoderKLQwenImage`` keys; unknown keys raise ``KeyError``."""
    keys = list(keys)
    up = _decoder_up_index(keys)
    table = _table(_VAE_RULES, False)
    mapping: dict[str, str] = {}
    for key in keys:
        probe = key
        if key.startswith("decoder.upsamples."):
            n = int(key.split(".")[2])
            level, j = up[n]
            probe = f"decoder.upsamples.{level}/{j}." + key.split(".", 3)[3]
        out = _expand_resnet_rules(table, probe)
        if out is None:
            raise KeyError(key)
        mapping[key] = out
    return mapping


def vae_keys_to_native(keys: Iterable[str]) -> dict[str, str]:
    """``AutoencoderKLQwenImage`` keys back to the Wan layout (used to write ComfyUI-style files)."""
    keys = list(keys)
    # size of each decoder level: resnets per level, plus one upsampler for all but the last level
    levels: dict[int, int] = {}
    uppers: set[int] = set()
    for k in keys:
        m = re.match(r"^decoder\.up_blocks\.(\d+)\.(resnets\.(\d+)|upsamplers)\.", k)
        if m:
            lv = int(m.group(1))
            if m.group(3) is not None:
                levels[lv] = max(levels.get(lv, 0), int(m.group(3)) + 1)
            else:
                uppers.add(lv)
    offsets, pos = {}, 0
    for lv in sorted(levels):
        offsets[lv] = pos
        pos += levels[lv] + (1 if lv in uppers else 0)
    rev = _table(_VAE_RULES, True)
    res_rev = _table(_RESNET_RULES, True)
    mapping: dict[str, str] = {}
    for key in keys:
        m = re.match(r"^decoder\.up_blocks\.(\d+)\.resnets\.(\d+)\.(.+)$", key)
        if m:
            inner = _apply(res_rev, m.group(3))
            n = offsets[int(m.group(1))] + int(m.group(2))
            mapping[key] = f"decoder.upsamples.{n}.{inner}"
            continue
        m = re.match(r"^decoder\.up_blocks\.(\d+)\.upsamplers\.0\.(.+)$", key)
        if m:
            lv = int(m.group(1))
            mapping[key] = f"decoder.upsamples.{offsets[lv] + levels[lv]}.{m.group(2)}"
            continue
        out = _apply(rev, key)
        if out is None:
            raise KeyError(key)
        mapping[key] = out
    return mapping
