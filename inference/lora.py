"""Anima LoRAs as people share them, merged into the DiT and the LLM adapter with a strength.

Formats: kohya (``lora_unet_blocks_0_self_attn_q_proj.lora_down.weight`` / ``lora_up`` / ``alpha``,
adapter layers as ``lora_unet_llm_adapter_blocks_0_...``), ComfyUI / PEFT on native names
(``diffusion_model.blocks.0.self_attn.q_proj.lora_A.weight`` / ``lora_B``) and diffusers PEFT
(``transformer.transformer_blocks.0.attn1.to_q.lora_A.weight``). A layer's update is
``strength * alpha / rank * up @ down`` (alpha defaults to the rank), added in float32 to the
weight; the originals are kept so another set of LoRAs can replace this one. Text-encoder
layers (``lora_te_*``) are not applied: Anima's Qwen3 is frozen in training; they are counted.

What the file says about itself (safetensors metadata, a ``NAME.civitai.info`` or ``NAME.json``
sidecar) is kept for the trace: its name, declared base model and license.

Examples
--------
>>> parse_lora_arg("style.safetensors:0.8"), parse_lora_arg("style.safetensors")
(('style.safetensors', 0.8), ('style.safetensors', 1.0))
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from inference import keys
from inference.errors import InferenceError

_DOWN = re.compile(r"\.(lora_down|lora_A|lora\.down)(\.default)?\.weight$")
_UP = re.compile(r"\.(lora_up|lora_B|lora\.up)(\.default)?\.weight$")
_ALPHA = re.compile(r"\.alpha$")
_TE = re.compile(r"^(lora_te\d?_|text_encoder[._]|te[._])")


class LoraError(InferenceError):
    """A LoRA file that cannot be read or does not fit Anima."""


def parse_lora_arg(text: str) -> tuple[str, float]:
    """``FILE[:STRENGTH]`` -> ``(file, strength)``; a trailing ``:x`` that is not a number is part of the name."""
    head, sep, tail = text.rpartition(":")
    if sep and head:
        try:
            return head, float(tail)
        except ValueError:
            pass
    return text, 1.0


@dataclass(frozen=True)
class LoadedLora:
    """One LoRA file read and mapped onto Anima's modules."""

    path: Path
    strength: float
    format: str
    rank: int
    layers: dict  # (component, module) -> (up, down, alpha / rank), float32 tensors
    skipped_text_encoder_layers: int = 0
    about: dict = field(default_factory=dict)  # name, declared base, license, sidecar

    def describe(self) -> dict:
        """The trace entry without the file's location (name only)."""
        return {"file_name": self.path.name, "strength": self.strength, "format": self.format, "rank": self.rank,
                "layers": len(self.layers), "skipped_text_encoder_layers": self.skipped_text_encoder_layers,
                **self.about}


def _underscore_lookup(components) -> dict[str, tuple[str, str]]:
    """Every Linear of the DiT and the adapter under the underscore names LoRA trainers use."""
    import torch

    out: dict[str, tuple[str, str]] = {}
    for name, module in components.transformer.named_modules():
        if isinstance(module, torch.nn.Linear):
            native = keys.dit_key_to_native(f"{name}.weight")[: -len(".weight")]
            out[native.replace(".", "_")] = ("transformer", name)
            out[name.replace(".", "_")] = ("transformer", name)
    for name, module in components.text_conditioner.named_modules():
        if isinstance(module, torch.nn.Linear):
            out["llm_adapter_" + name.replace(".", "_")] = ("text_conditioner", name)
    return out


def _module_key(key: str) -> str:
    base = _DOWN.sub("", _UP.sub("", _ALPHA.sub("", key)))
    base = re.sub(r"^(lora_unet_|lora_transformer_)", "", base)
    base = re.sub(r"^(base_model\.model\.)?(model\.diffusion_model\.|diffusion_model\.|transformer\.|net\.)?", "",
                  base, count=1)
    return re.sub(r"^net_", "", base.replace(".", "_"))


def _about(path: Path, metadata: dict[str, str]) -> dict:
    from lineage.inspection.metadata import training_fields

    fields = training_fields(metadata)
    about = {
        "name": metadata.get("modelspec.title") or metadata.get("ss_output_name") or path.stem,
        "declared_base": fields.get("modelspec_architecture") or fields.get("base_model_version")
        or fields.get("base_model_file"),
        "license": metadata.get("modelspec.license") or metadata.get("license"),
        "sidecar": None,
    }
    for suffix in (".civitai.info", ".json"):
        sidecar = path.with_name(path.stem + suffix)
        if not sidecar.is_file() or sidecar.stat().st_size > 5_000_000:
            continue
        try:
            info = json.loads(sidecar.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise LoraError(f"sidecar is not valid JSON ({exc})", path=sidecar.name,
                            hint="fix or remove the sidecar file") from None
        if not isinstance(info, dict):
            continue
        about["sidecar"] = sidecar.name
        model = info.get("model") if isinstance(info.get("model"), dict) else {}
        about["name"] = model.get("name") or info.get("name") or about["name"]
        about["declared_base"] = info.get("baseModel") or info.get("sd version") or about["declared_base"]
        civitai_terms = {k: info.get(k, model.get(k)) for k in ("allowCommercialUse", "allowDerivatives",
                                                                  "allowNoCredit", "allowDifferentLicense")}
        if any(v is not None for v in civitai_terms.values()):
            about["civitai_permissions"] = civitai_terms
        about["license"] = info.get("license") or model.get("license") or about["license"]
        break
    return about


def read_lora(path: str | Path, strength: float, components) -> LoadedLora:
    """Read a LoRA file (safetensors only) and map it onto ``components``; clear errors otherwise."""
    from safetensors import safe_open

    from lineage.inspection import safetensors_header
    from lineage.inspection.errors import InspectionError

    path = Path(path)
    if not path.is_file():
        raise LoraError("LoRA file not found", path=path, hint="check the path given to --lora")
    try:
        header = safetensors_header.read_header(path)
    except InspectionError as exc:
        raise LoraError(f"not a valid safetensors file ({exc})", path=path,
                        hint="only .safetensors LoRAs are loaded, never pickles") from None
    lookup = _underscore_lookup(components)
    groups: dict[str, dict[str, str]] = {}
    skipped: set[str] = set()
    for key in header.tensors:
        part = "down" if _DOWN.search(key) else "up" if _UP.search(key) else "alpha" if _ALPHA.search(key) else None
        if part is None:
            raise LoraError(f"unsupported LoRA tensor {key!r} (LoCon/LoHa/LoKr and DoRA are not supported)",
                            path=path, hint="use a plain LoRA (lora_down/lora_up or lora_A/lora_B)")
        if _TE.match(key):
            skipped.add(key.split(".")[0])
            continue
        groups.setdefault(_module_key(key), {})[part] = key
    unknown = [name for name in groups if name not in lookup]
    if unknown or not groups:
        raise LoraError(f"not an Anima LoRA: {len(unknown)} layer(s) match no DiT or adapter layer, "
                        f"e.g. {unknown[:2]}" if groups else "no LoRA layers found", path=path,
                        hint="pass a LoRA trained for Anima (kohya, ComfyUI or diffusers naming)")
    layers = {}
    rank = 0
    fmt = "kohya" if any(k.startswith("lora_unet_") for k in header.tensors) else (
        "diffusers" if any(k.startswith("transformer.") for k in header.tensors) else "comfyui")
    with safe_open(str(path), framework="pt", device="cpu") as fh:
        for name, parts in groups.items():
            if "down" not in parts or "up" not in parts:
                raise LoraError(f"layer {name!r} lacks its down or up matrix", path=path, hint="the file is incomplete")
            down, up = fh.get_tensor(parts["down"]).float(), fh.get_tensor(parts["up"]).float()
            r = down.shape[0]
            alpha = float(fh.get_tensor(parts["alpha"]).float()) if "alpha" in parts else float(r)
            component, module = lookup[name]
            target = components.__dict__[component].get_submodule(module).weight
            if down.ndim != 2 or up.shape[1] != r or (up.shape[0], down.shape[1]) != tuple(target.shape):
                raise LoraError(f"layer {name!r} has shape {tuple(up.shape)} x {tuple(down.shape)}, the model's is "
                                f"{tuple(target.shape)}", path=path, hint="this LoRA was trained for another model")
            layers[(component, module)] = (up, down, alpha / r)
            rank = max(rank, r)
    return LoadedLora(path, strength, fmt, rank, layers, len(skipped), _about(path, header.metadata))


def apply_loras(components, loras) -> dict:
    """Merge ``loras`` into the weights; returns the original weights (on the CPU) for ``restore_weights``."""
    import torch

    backup: dict = {}
    with torch.no_grad():
        _merge(components, loras, backup)
    return backup


def _merge(components, loras, backup: dict) -> None:
    for lora in loras:
        for (component, module), (up, down, scale) in lora.layers.items():
            weight = components.__dict__[component].get_submodule(module).weight
            if (component, module) not in backup:
                backup[(component, module)] = (weight, weight.detach().to("cpu", copy=True))
            delta = (up @ down) * (scale * lora.strength)
            weight.copy_((weight.float() + delta.to(weight.device)).to(weight.dtype))


def restore_weights(backup: dict) -> None:
    """Put back the weights saved by ``apply_loras``."""
    import torch

    with torch.no_grad():
        for weight, original in backup.values():
            weight.copy_(original.to(weight.device))
