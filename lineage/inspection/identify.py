"""Identify architecture and component from tensor names and shapes, with the rules kept as data.

Each :class:`Rule` has an *anchor*: a tensor name that only that architecture has. The anchor is looked
for as a suffix at a ``.`` boundary, so the same rule finds a bare file (``double_blocks.0...``) and a part
of a bundled checkpoint (``model.diffusion_model.double_blocks.0...``); the text before the anchor is the
part's prefix. Conditions (``has``, ``lacks``, ``dim``, ``ndim``, ``prefix``) are checked relative to that
prefix; the first :class:`Variant` whose conditions hold names the release class. One part per prefix: the
first rule (in :data:`RULES` order) that claims a prefix wins.

An architecture tells a *class* of releases apart, never one release: every result is unverified, and
``note`` says which releases share the layout.

>>> shapes = {"double_blocks.0.img_attn.norm.key_norm.scale": (128,), "img_in.weight": (3072, 64)}
>>> [(p.family, p.node) for p in identify(shapes)]
[('FLUX.1 [schnell]-class transformer', 'flux1-schnell')]
>>> shapes["guidance_in.in_layer.weight"] = (3072, 256)
>>> identify(shapes)[0].node
'flux1-dev'
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

Shape = tuple[int, ...]
#: ``("has", key)``, ``("lacks", key)``, ``("dim", key, axis, size)``, ``("ndim", key, n)``, ``("prefix", text)``.
Cond = tuple


@dataclass(frozen=True)
class Variant:
    when: tuple[Cond, ...]
    family: str
    node: str | None
    note: str | None = None


@dataclass(frozen=True)
class Rule:
    family: str
    component: str  # "denoiser" | "text_encoder" | "vae" | "adapter"
    anchor: str
    node: str | None
    requires: tuple[Cond, ...] = ()
    variants: tuple[Variant, ...] = ()
    note: str | None = None


@dataclass
class Part:
    """One identified component of a file: where its tensors start (``prefix``) and what they are."""

    family: str
    component: str
    node: str | None
    prefix: str
    tensors: int = 0
    evidence: list[str] = field(default_factory=list)
    note: str | None = None


def _v(when: tuple[Cond, ...], family: str, node: str | None, note: str | None = None) -> Variant:
    return Variant(when, family, node, note)


SHARED_ANIMA = ("Every Anima release (Preview 1-3, Base, Aesthetic, Turbo) has this layout: a Cosmos-Predict2-2B DiT "
                "with a 6-layer LLM adapter. Only the sha256 names the release.")
RULES: tuple[Rule, ...] = (
    # --- denoisers -------------------------------------------------------------------------------------
    Rule("Cosmos-Predict2 DiT", "denoiser", "blocks.0.mlp.layer1.weight", None,
         requires=(("has", "x_embedder.proj.1.weight"),),
         variants=(
             _v((("has", "llm_adapter.blocks.0.cross_attn.q_proj.weight"),), "Anima DiT + LLM adapter", "anima",
                SHARED_ANIMA),
             _v((("dim", "x_embedder.proj.1.weight", 0, 2048),), "Cosmos-Predict2 2B DiT", "cosmos-predict2-2b-t2i",
                "The 2B Text2Image and Video2World checkpoints are told apart only by name or sha256."),
             _v((("dim", "x_embedder.proj.1.weight", 0, 5120),), "Cosmos-Predict2 14B DiT", "cosmos-predict2-14b-t2i",
                "The 14B Text2Image and Video2World checkpoints are told apart only by name or sha256."),
         )),
    Rule("Cosmos-Predict2 DiT (diffusers names)", "denoiser", "time_embed.t_embedder.linear_1.weight", None,
         requires=(("has", "patch_embed.proj.weight"),),
         variants=(
             _v((("dim", "patch_embed.proj.weight", 0, 2048),), "Cosmos-Predict2 2B-class DiT (diffusers names)", None,
                "Cosmos-Predict2-2B and Anima's transformer (Anima-Base-v1.0-Diffusers) share this layout; Anima "
                "ships its LLM adapter as a separate text_conditioner file. Only the sha256 or the folder names "
                "the release."),
             _v((("dim", "patch_embed.proj.weight", 0, 5120),), "Cosmos-Predict2 14B DiT (diffusers names)",
                "cosmos-predict2-14b-t2i"),
         )),
    Rule("Anima LLM adapter (AnimaTextConditioner)", "adapter", "blocks.0.cross_attn.q_proj.weight", "anima",
         requires=(("has", "embed.weight"), ("has", "out_proj.weight"), ("dim", "embed.weight", 0, 32128)),
         note="The LLM adapter of an Anima release (T5-token queries over Qwen3 states); every release has this "
              "layout, only the sha256 names it."),
    Rule("Wan DiT", "denoiser", "head.modulation", None, requires=(("has", "patch_embedding.weight"),),
         variants=(
             _v((("has", "vace_patch_embedding.weight"),), "Wan 2.1 VACE 14B DiT", "wan2.1-vace-14b"),
             _v((("prefix", "img_emb."),), "Wan 2.1 I2V 14B DiT", "wan2.1-i2v-14b",
                "Wan 2.1 I2V and FLF2V 14B share this layout."),
             _v((("dim", "patch_embedding.weight", 0, 1536),), "Wan 2.1 T2V 1.3B DiT", "wan2.1-t2v-1.3b"),
             _v((("dim", "patch_embedding.weight", 1, 48),), "Wan 2.2 TI2V 5B DiT", "wan2.2-ti2v-5b"),
             _v((("dim", "patch_embedding.weight", 1, 36),), "Wan 2.2 I2V A14B expert DiT", "wan2.2-i2v-a14b",
                "Wan 2.2 A14B ships two experts (high noise, low noise) with this layout."),
             _v((("dim", "patch_embedding.weight", 0, 5120),), "Wan 2.1/2.2 T2V 14B DiT", "wan2.1-t2v-14b",
                "Wan 2.1 T2V 14B and each Wan 2.2 T2V A14B expert share this layout; only the file name or "
                "sha256 tells them apart."),
         )),
    Rule("Qwen-Image DiT", "denoiser", "txt_norm.weight", "qwen-image", requires=(("has", "img_in.weight"),),
         note="Qwen-Image and its Edit and 2512 releases share this layout; only the sha256 names the release."),
    Rule("FLUX.2 transformer", "denoiser", "double_stream_modulation_img.lin.weight", "flux2-dev",
         variants=(
             _v((("dim", "txt_in.weight", 1, 15360),), "FLUX.2 [dev]-class transformer", "flux2-dev"),
             _v((("dim", "txt_in.weight", 1, 12288),), "FLUX.2 [klein] 9B transformer", "flux2-klein-9b"),
             _v((("dim", "txt_in.weight", 1, 7680),), "FLUX.2 [klein] 4B transformer", "flux2-klein-4b"),
         ), note="FLUX.2 layout with an unrecognised text width; assumed [dev]."),
    Rule("FLUX.2 transformer (diffusers)", "denoiser", "double_stream_modulation_img.linear.weight", "flux2-dev",
         variants=(
             _v((("dim", "context_embedder.weight", 1, 15360),), "FLUX.2 [dev]-class transformer", "flux2-dev"),
             _v((("dim", "context_embedder.weight", 1, 12288),), "FLUX.2 [klein] 9B transformer", "flux2-klein-9b"),
             _v((("dim", "context_embedder.weight", 1, 7680),), "FLUX.2 [klein] 4B transformer", "flux2-klein-4b"),
         )),
    Rule("FLUX.1 transformer", "denoiser", "double_blocks.0.img_attn.norm.key_norm.scale", None,
         variants=(
             _v((("prefix", "distilled_guidance_layer."),), "Chroma (FLUX.1 [schnell] derivative) transformer", None,
                "Chroma replaces FLUX.1's modulation with a distilled guidance layer."),
             _v((("dim", "img_in.weight", 1, 384),), "FLUX.1 Fill [dev] transformer", "flux1-fill-dev"),
             _v((("has", "guidance_in.in_layer.weight"),), "FLUX.1 [dev]-class transformer", "flux1-dev",
                "FLUX.1 [dev], Krea [dev], Kontext [dev] and their fine-tunes share this layout (guidance "
                "embedder present); only the sha256 names the release."),
             _v((("lacks", "guidance_in.in_layer.weight"),), "FLUX.1 [schnell]-class transformer", "flux1-schnell",
                "No guidance embedder: the [schnell] layout. [dev] has guidance_in keys; community "
                "'de-distilled' models drop them too, so this is not proof of [schnell]."),
         )),
    Rule("FLUX.1 transformer (diffusers)", "denoiser", "single_transformer_blocks.0.proj_mlp.weight", None,
         requires=(("has", "x_embedder.weight"),),
         variants=(
             _v((("has", "time_text_embed.guidance_embedder.linear_1.weight"),), "FLUX.1 [dev]-class transformer",
                "flux1-dev", "FLUX.1 [dev]-class releases share this layout; only the sha256 names the release."),
             _v((), "FLUX.1 [schnell]-class transformer", "flux1-schnell",
                "No guidance embedder: the [schnell] layout."),
         )),
    Rule("SD3 MMDiT", "denoiser", "joint_blocks.0.context_block.attn.qkv.weight", None,
         requires=(("has", "x_embedder.proj.weight"),),
         variants=(
             _v((("has", "joint_blocks.0.x_block.attn2.qkv.weight"),), "SD 3.5 Medium MMDiT-X", "sd3.5-medium"),
             _v((("dim", "x_embedder.proj.weight", 0, 2432),), "SD 3.5 Large MMDiT", "sd3.5-large",
                "SD 3.5 Large and Large Turbo share this layout."),
             _v((("dim", "x_embedder.proj.weight", 0, 1536),), "SD3 Medium MMDiT", "sd3-medium"),
         )),
    Rule("Stable Diffusion UNet", "denoiser", "input_blocks.0.0.weight", None,
         variants=(
             _v((("dim", "label_emb.0.0.weight", 1, 2816),), "SDXL UNet", "sdxl-1.0",
                "SDXL 0.9, 1.0 and their fine-tunes (Pony, Illustrious, ...) share this layout."),
             _v((("dim", "label_emb.0.0.weight", 1, 2560),), "SDXL refiner UNet", None),
             _v((("dim", "input_blocks.1.1.transformer_blocks.0.attn2.to_k.weight", 1, 1024),), "SD 2.x UNet", "sd-2.1",
                "SD 2.0 and 2.1 (512 and 768-v) share this layout."),
             _v((("dim", "input_blocks.1.1.transformer_blocks.0.attn2.to_k.weight", 1, 768),), "SD 1.x UNet",
                "sd-v1-5", "SD 1.1-1.5 and their fine-tunes share this layout."),
         )),
    Rule("Stable Diffusion UNet (diffusers)", "denoiser",
         "down_blocks.1.attentions.0.transformer_blocks.0.attn2.to_k.weight", None,
         requires=(("has", "conv_in.weight"), ("has", "time_embedding.linear_1.weight")),
         variants=(
             _v((("dim", "down_blocks.1.attentions.0.transformer_blocks.0.attn2.to_k.weight", 1, 2048),), "SDXL UNet",
                "sdxl-1.0", "SDXL 0.9, 1.0 and their fine-tunes share this layout."),
             _v((("dim", "down_blocks.1.attentions.0.transformer_blocks.0.attn2.to_k.weight", 1, 1024),), "SD 2.x UNet",
                "sd-2.1"),
             _v((("dim", "down_blocks.1.attentions.0.transformer_blocks.0.attn2.to_k.weight", 1, 768),), "SD 1.x UNet",
                "sd-v1-5", "SD 1.1-1.5 and their fine-tunes share this layout."),
         )),
    # --- text encoders -----------------------------------------------------------------------------------
    Rule("CLIP text encoder", "text_encoder", "text_model.encoder.layers.0.self_attn.q_proj.weight", None,
         variants=(
             _v((("dim", "text_model.encoder.layers.0.self_attn.q_proj.weight", 0, 768),), "CLIP ViT-L/14 text encoder",
                "clip-vit-l-14"),
             _v((("dim", "text_model.encoder.layers.0.self_attn.q_proj.weight", 0, 1280),),
                "OpenCLIP ViT-bigG/14 text encoder", "openclip-vit-bigg-14"),
             _v((("dim", "text_model.encoder.layers.0.self_attn.q_proj.weight", 0, 1024),),
                "OpenCLIP ViT-H/14 text encoder", "openclip-vit-h-14"),
         )),
    Rule("OpenCLIP text encoder", "text_encoder", "transformer.resblocks.0.attn.in_proj_weight", None,
         requires=(("has", "token_embedding.weight"),),
         variants=(
             _v((("dim", "transformer.resblocks.0.attn.in_proj_weight", 1, 1280),), "OpenCLIP ViT-bigG/14 text encoder",
                "openclip-vit-bigg-14"),
             _v((("dim", "transformer.resblocks.0.attn.in_proj_weight", 1, 1024),), "OpenCLIP ViT-H/14 text encoder",
                "openclip-vit-h-14"),
             _v((("dim", "transformer.resblocks.0.attn.in_proj_weight", 1, 768),), "CLIP ViT-L/14 text encoder",
                "clip-vit-l-14"),
         )),
    Rule("T5 encoder", "text_encoder", "encoder.block.0.layer.0.SelfAttention.q.weight", None,
         variants=(
             _v((("has", "encoder.block.1.layer.0.SelfAttention.relative_attention_bias.weight"),), "UMT5-XXL encoder",
                "umt5-xxl"),
             _v((("dim", "encoder.block.0.layer.0.SelfAttention.q.weight", 1, 4096),), "T5 v1.1 XXL encoder",
                "t5-v1.1-xxl"),
             _v((("dim", "encoder.block.0.layer.0.SelfAttention.q.weight", 1, 1024),
                 ("dim", "encoder.block.0.layer.0.SelfAttention.q.weight", 0, 16384)), "T5-11B encoder", "t5-11b"),
         )),
    Rule("Qwen3 language model", "text_encoder", "layers.0.self_attn.q_norm.weight", None,
         requires=(("has", "embed_tokens.weight"),),
         variants=(
             _v((("dim", "embed_tokens.weight", 1, 1024),), "Qwen3-0.6B text encoder", "qwen3-0.6b-base",
                "Qwen3-0.6B Base and its instruct version share this layout."),
             _v((("dim", "embed_tokens.weight", 1, 2560),), "Qwen3-4B text encoder", "qwen3-4b"),
             _v((("dim", "embed_tokens.weight", 1, 4096),), "Qwen3-8B text encoder", "qwen3-8b"),
         )),
    Rule("Decoder-only language model", "text_encoder", "layers.0.self_attn.q_proj.weight", None,
         requires=(("has", "embed_tokens.weight"),),
         variants=(
             _v((("has", "layers.0.self_attn.q_proj.bias"), ("dim", "embed_tokens.weight", 1, 3584)),
                "Qwen2.5-VL-7B text encoder", "qwen2.5-vl-7b"),
             _v((("dim", "embed_tokens.weight", 1, 5120),), "Mistral Small 3.x 24B text encoder",
                "mistral-small-3.2-24b"),
         )),
    # --- VAEs ----------------------------------------------------------------------------------------------
    Rule("Wan causal 3D VAE", "vae", "decoder.conv1.weight", None, requires=(("ndim", "decoder.conv1.weight", 5),),
         variants=(
             _v((("dim", "decoder.conv1.weight", 1, 16),), "Wan 2.1 / Qwen-Image VAE (16 channels)", "wan2.1-vae",
                "The Wan 2.1 VAE and the Qwen-Image VAE share this layout; only the sha256 tells them apart."),
             _v((("dim", "decoder.conv1.weight", 1, 48),), "Wan 2.2 VAE (48 channels)", "wan2.2-vae"),
         )),
    Rule("Autoencoder", "vae", "decoder.conv_in.weight", None,
         variants=(
             _v((("ndim", "decoder.conv_in.weight", 5), ("dim", "decoder.conv_in.weight", 1, 16)),
                "Wan 2.1 / Qwen-Image VAE (16 channels, diffusers names)", "wan2.1-vae",
                "The Wan 2.1 VAE and the Qwen-Image VAE share this layout; only the sha256 tells them apart."),
             _v((("ndim", "decoder.conv_in.weight", 5), ("dim", "decoder.conv_in.weight", 1, 48)),
                "Wan 2.2 VAE (48 channels, diffusers names)", "wan2.2-vae"),
             _v((("has", "bn.running_mean"),), "FLUX.2 autoencoder (32 channels)", "flux2-ae"),
             _v((("dim", "decoder.conv_in.weight", 1, 32),), "FLUX.2 autoencoder (32 channels)", "flux2-ae"),
             _v((("dim", "decoder.conv_in.weight", 1, 16),), "FLUX.1 autoencoder (16 channels)", "flux1-ae",
                "The FLUX.1 AE and the SD3 VAE share this layout; only the sha256 tells them apart."),
             _v((("dim", "decoder.conv_in.weight", 1, 4),), "SD / SDXL VAE (4 channels)", "sd-vae-kl-f8",
                "SD 1.x/2.x and SDXL VAEs share this layout (the SDXL VAE, sdxl-vae, was retrained); only the "
                "sha256 tells them apart."),
         )),
)

#: Top-level prefixes of bundled checkpoints and what sits under them (for display only).
BUNDLE_PREFIXES: dict[str, str] = {
    "model.diffusion_model.": "diffusion model",
    "first_stage_model.": "VAE",
    "vae.": "VAE",
    "cond_stage_model.": "text encoder",
    "conditioner.embedders.": "text encoder",
    "text_encoders.": "text encoder",
}


def _tail(key: str) -> str:
    return ".".join(key.rsplit(".", 2)[-2:])


def _check(cond: Cond, prefix: str, shapes: Mapping[str, Shape], prefixes: frozenset[str]) -> bool:
    op = cond[0]
    if op == "prefix":
        return any(p.startswith(prefix + cond[1]) for p in prefixes)
    shape = shapes.get(prefix + cond[1])
    if op == "has":
        return shape is not None
    if op == "lacks":
        return shape is None
    if shape is None:
        return False
    if op == "dim":
        _, _, axis, size = cond
        return len(shape) > axis and shape[axis] == size
    if op == "ndim":
        return len(shape) == cond[2]
    raise ValueError(f"unknown condition {cond!r}")


def _describe(cond: Cond, prefix: str, shapes: Mapping[str, Shape]) -> str:
    op, key = cond[0], prefix + cond[1]
    if op == "has":
        return f"{key} present"
    if op == "lacks":
        return f"{key} absent"
    if op == "prefix":
        return f"tensors under {key}"
    return f"{key} has shape {list(shapes[key])}"


def identify(shapes: Mapping[str, Shape], rules: tuple[Rule, ...] = RULES) -> list[Part]:
    """The parts found in a file whose tensors have these names and shapes, in prefix order."""
    by_tail: dict[str, list[str]] = defaultdict(list)
    # a "prefix" condition needs the set of parent paths; two levels are enough for the rules above
    parents: set[str] = set()
    for key in shapes:
        by_tail[_tail(key)].append(key)
        parts = key.split(".")
        parents.update(".".join(parts[:i]) + "." for i in range(1, len(parts)))
    prefixes = frozenset(parents)
    claimed: dict[str, Part] = {}
    for rule in rules:
        for key in by_tail.get(_tail(rule.anchor), ()):
            if key != rule.anchor and not key.endswith("." + rule.anchor):
                continue
            prefix = key[: len(key) - len(rule.anchor)]
            if any(prefix.startswith(p) for p in claimed):  # a claimed part owns everything beneath it
                continue
            if not all(_check(c, prefix, shapes, prefixes) for c in rule.requires):
                continue
            evidence = [f"{key} has shape {list(shapes[key])}"]
            evidence += [_describe(c, prefix, shapes) for c in rule.requires]
            family, node, note = rule.family, rule.node, rule.note
            for variant in rule.variants:
                if all(_check(c, prefix, shapes, prefixes) for c in variant.when):
                    family, node, note = variant.family, variant.node, variant.note
                    evidence += [_describe(c, prefix, shapes) for c in variant.when
                                 if _describe(c, prefix, shapes) not in evidence]
                    break
            else:
                if rule.variants:
                    note = note or "A layout of this kind, but none of the known sizes; no release class named."
            claimed[prefix] = Part(family, rule.component, node, prefix, 0, evidence, note)
    _pair_bundled_vae(claimed.values())
    # each tensor belongs to the longest claimed prefix it starts with
    ordered = sorted(claimed, key=len, reverse=True)
    for key in shapes:
        for prefix in ordered:
            if key.startswith(prefix):
                claimed[prefix].tensors += 1
                break
    return [claimed[p] for p in sorted(claimed)]


#: A 4-channel VAE bundled with one of these UNets is taken to be that model's own VAE.
BUNDLED_VAE: dict[str, str] = {"sdxl-1.0": "sdxl-vae"}


def _pair_bundled_vae(parts: Iterable[Part]) -> None:
    """In a bundled checkpoint, the SD-layout VAE next to an SDXL UNet is (by layout) the SDXL VAE."""
    parts = list(parts)
    for denoiser in (p for p in parts if p.component == "denoiser" and p.node in BUNDLED_VAE):
        for vae in (p for p in parts if p.component == "vae" and p.node == "sd-vae-kl-f8" and p.prefix):
            vae.node = BUNDLED_VAE[denoiser.node]
            vae.note = (f"Bundled with a {denoiser.family}, so taken as its VAE ({vae.node}); the layout alone "
                        "cannot tell the SD and SDXL VAEs apart, only the sha256 can.")


def unclaimed(shapes: Mapping[str, Shape], parts: list[Part]) -> list[str]:
    """Tensor names that no identified part covers."""
    prefixes = [p.prefix for p in parts]
    return [k for k in shapes if not any(k.startswith(p) for p in prefixes)]


def bundle_label(prefix: str) -> str:
    """A readable name for where a part sits in a bundled checkpoint.

    >>> bundle_label("conditioner.embedders.1.model."), bundle_label("")
    ('text encoder (conditioner.embedders.1.model.)', 'whole file')
    """
    if not prefix:
        return "whole file"
    for head, label in BUNDLE_PREFIXES.items():
        if prefix.startswith(head):
            return f"{label} ({prefix})"
    return prefix
