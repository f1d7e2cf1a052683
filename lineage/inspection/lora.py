"""Recognise a LoRA and the base architecture it was trained for, from the names of the layers it patches.

Kohya names (``lora_unet_double_blocks_0_img_attn_qkv.lora_down.weight``) and diffusers/PEFT names
(``transformer.single_transformer_blocks.0.attn.to_q.lora_A.weight``) are both reduced to one module name in
underscore form (``double_blocks_0_img_attn_qkv``) and matched against :data:`LORA_RULES`.

>>> keys = {"lora_unet_double_blocks_0_img_attn_qkv.lora_down.weight": (16, 3072),
...         "lora_unet_double_blocks_0_img_attn_qkv.lora_up.weight": (9216, 16),
...         "lora_unet_double_blocks_0_img_attn_qkv.alpha": ()}
>>> info = identify_lora(keys)
>>> info.family, info.node, info.rank, info.format
('FLUX.1 LoRA', 'flux1-dev', 16, 'kohya')
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

Shape = tuple[int, ...]

_SUFFIX = re.compile(
    r"\.(lora_down|lora_up|lora_A|lora_B|lora\.down|lora\.up|lora_mid|hada_w1_a|hada_w1_b|hada_w2_a|hada_w2_b"
    r"|lokr_w1|lokr_w2|lokr_w1_a|lokr_w1_b|lokr_w2_a|lokr_w2_b)(\.default)?(\.weight)?$"
    r"|\.(alpha|dora_scale|diff|diff_b)$"
)
_DOWN = re.compile(r"\.(lora_down|lora_A|lora\.down)(\.default)?\.weight$")
_UP = re.compile(r"\.(lora_up|lora_B|lora\.up)(\.default)?\.weight$")
_TE = re.compile(r"^(lora_te\d?_|text_encoder(_2)?[._]|te\d?[._]|text_encoders[._]|lora_te_)")
_KOHYA = re.compile(r"^(lora_unet_|lora_transformer_)")
_WRAPPER = re.compile(
    r"^(base_model\.model\.)?(model\.diffusion_model\.|diffusion_model\.|transformer\.|unet\.|model\.)?")

#: (family, node, regex on the module name in underscore form), most specific first.
LORA_RULES: tuple[tuple[str, str | None, re.Pattern[str]], ...] = (
    ("Anima LoRA", "anima", re.compile(r"^(net_)?llm_adapter_")),
    ("Cosmos-Predict2 / Anima DiT LoRA", "anima",
     re.compile(r"^(net_)?blocks_\d+_((self|cross)_attn_(q|k|v|output)_proj|mlp_layer[12])$")),
    ("Wan DiT LoRA", "wan2.1-t2v-14b", re.compile(r"^blocks_\d+_((self|cross)_attn_(q|k|v|o|k_img|v_img)|ffn_[02])$")),
    ("FLUX.2 LoRA", "flux2-dev", re.compile(r"^(double_stream_modulation|single_stream_modulation)")),
    ("FLUX.1 LoRA", "flux1-dev",
     re.compile(r"^(double_blocks_\d+_(img|txt)_|single_blocks_\d+_|single_transformer_blocks_)")),
    ("Qwen-Image LoRA", "qwen-image", re.compile(r"^transformer_blocks_\d+_(img|txt)_(mlp|mod)")),
    ("SD3 LoRA", "sd3-medium", re.compile(r"^(joint_blocks_\d+_|transformer_blocks_\d+_ff_context)")),
    ("SD UNet LoRA", None, re.compile(r"^(input_blocks|output_blocks|middle_block|down_blocks|up_blocks|mid_block)_")),
)
_CONTEXT_NODES = {768: ("SD 1.x LoRA", "sd-v1-5"), 1024: ("SD 2.x LoRA", "sd-2.1"), 2048: ("SDXL LoRA", "sdxl-1.0")}


@dataclass
class LoraInfo:
    """What a LoRA patches: its format, rank, base family and the layers it touches."""

    format: str
    family: str | None
    node: str | None
    rank: int | None
    modules: int
    text_encoder_modules: int
    evidence: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def is_lora(keys: Mapping[str, Shape]) -> bool:
    """True when at least half the tensors are LoRA/LyCORIS factors.

    >>> is_lora({"a.lora_A.weight": (4, 8), "a.lora_B.weight": (8, 4)}), is_lora({"a.weight": (8,)})
    (True, False)
    """
    hits = sum(1 for k in keys if _SUFFIX.search(k))
    return bool(keys) and hits * 2 >= len(keys)


def module_name(key: str) -> str:
    """The patched layer of a LoRA tensor, in underscore form without the trainer's prefix.

    >>> module_name("transformer.single_transformer_blocks.3.attn.to_q.lora_A.weight")
    'single_transformer_blocks_3_attn_to_q'
    >>> module_name("lora_unet_blocks_0_self_attn_q_proj.lora_up.weight")
    'blocks_0_self_attn_q_proj'
    """
    base = _KOHYA.sub("", _SUFFIX.sub("", key))
    return _WRAPPER.sub("", base, count=1).replace(".", "_")


def identify_lora(keys: Mapping[str, Shape]) -> LoraInfo:
    """Identify the LoRA whose tensors have these names and shapes."""
    kohya = any(k.startswith(("lora_unet_", "lora_te", "lora_transformer_")) for k in keys)
    fmt = "kohya" if kohya else "diffusers/peft"
    modules: set[str] = set()
    te_modules: set[str] = set()
    ranks: Counter[int] = Counter()
    context: Counter[int] = Counter()
    for key, shape in keys.items():
        if not _SUFFIX.search(key):
            continue
        raw = _SUFFIX.sub("", key)
        if _TE.match(raw):
            te_modules.add(raw)
            continue
        name = module_name(key)
        modules.add(name)
        if _DOWN.search(key) and len(shape) >= 2:
            ranks[shape[0]] += 1
            if name.endswith(("attn2_to_k", "attn2_to_v")):
                context[shape[1]] += 1
    hits: Counter[int] = Counter()
    for name in modules:
        for i, (_, _, pattern) in enumerate(LORA_RULES):
            if pattern.search(name):
                hits[i] += 1
                break
    info = LoraInfo(fmt, None, None, ranks.most_common(1)[0][0] if ranks else None, len(modules), len(te_modules))
    if te_modules:
        info.evidence.append(f"{len(te_modules)} text-encoder layers patched")
    if not hits:
        info.notes.append("The patched layer names match no known base architecture.")
        return info
    best = 0 if hits[0] else hits.most_common(1)[0][0]
    family, node, _ = LORA_RULES[best]
    example = sorted(n for n in modules if LORA_RULES[best][2].search(n))[0]
    info.evidence.append(f"{hits[best]} of {len(modules)} patched layers look like {family.removesuffix(' LoRA')} "
                         f"(e.g. {example})")
    if family == "SD UNet LoRA":
        width = context.most_common(1)[0][0] if context else None
        family, node = _CONTEXT_NODES.get(width, ("SD UNet LoRA (SD 1.x / 2.x / SDXL)", None))
        if width:
            info.evidence.append(f"cross-attention keys are {width} wide")
    if family.startswith("Cosmos"):
        info.notes.append("It patches only the Cosmos-Predict2 DiT blocks, which Anima shares; the base may be "
                          "Anima or Cosmos-Predict2 (see the training metadata, if any).")
    if family == "Wan DiT LoRA":
        info.notes.append("Wan 2.1 and Wan 2.2 DiTs share these layer names.")
    if family == "FLUX.1 LoRA":
        info.notes.append("FLUX.1 LoRAs are usually trained on [dev]; the layer names do not say which release.")
    info.family, info.node = family, node
    return info
