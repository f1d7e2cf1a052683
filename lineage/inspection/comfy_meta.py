"""The weight files a ComfyUI image names: loader nodes in its ``prompt`` (API graph) or ``workflow`` (UI graph).

>>> prompt = {"4": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "SDXL/juggernaut.safetensors"}},
...           "10": {"class_type": "LoraLoader", "inputs": {"lora_name": "style.safetensors", "strength_model": 0.8,
...                                                          "model": ["4", 0]}}}
>>> [(f.role, f.name, f.strength) for f in files_from_prompt(prompt)]
[('checkpoint', 'SDXL/juggernaut.safetensors', None), ('lora', 'style.safetensors', 0.8)]
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

WEIGHT_EXTENSIONS = (".safetensors", ".sft", ".ckpt", ".pt", ".pth", ".bin", ".gguf")
#: Input names of loader nodes -> the role of the file they name.
INPUT_ROLES: dict[str, str] = {
    "ckpt_name": "checkpoint",
    "unet_name": "diffusion model",
    "clip_name": "text encoder",
    "clip_name1": "text encoder",
    "clip_name2": "text encoder",
    "clip_name3": "text encoder",
    "clip_name4": "text encoder",
    "vae_name": "vae",
    "lora_name": "lora",
    "lora": "lora",
    "model_name": "model",
    "control_net_name": "controlnet",
    "style_model_name": "adapter",
    "ipadapter_file": "adapter",
}
#: UI node types -> role of the file in its widget values (the workflow does not name the inputs).
NODE_ROLES: dict[str, str] = {
    "CheckpointLoaderSimple": "checkpoint",
    "CheckpointLoader": "checkpoint",
    "ImageOnlyCheckpointLoader": "checkpoint",
    "UNETLoader": "diffusion model",
    "UnetLoaderGGUF": "diffusion model",
    "CLIPLoader": "text encoder",
    "DualCLIPLoader": "text encoder",
    "TripleCLIPLoader": "text encoder",
    "QuadrupleCLIPLoader": "text encoder",
    "CLIPLoaderGGUF": "text encoder",
    "DualCLIPLoaderGGUF": "text encoder",
    "VAELoader": "vae",
    "LoraLoader": "lora",
    "LoraLoaderModelOnly": "lora",
    "ControlNetLoader": "controlnet",
    "DiffControlNetLoader": "controlnet",
    "UpscaleModelLoader": "upscaler",
    "CLIPVisionLoader": "clip vision",
    "StyleModelLoader": "adapter",
    "IPAdapterModelLoader": "adapter",
}
MAX_NODES = 10_000


@dataclass(frozen=True)
class NamedFile:
    """A weight file that image metadata names, with the role it played."""

    role: str
    name: str
    source: str
    hash: str | None = None  # a sha256, or its first 10 hex digits (A1111 "AutoV2")
    strength: float | None = None
    active: bool = True

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _is_weight_name(value: object) -> bool:
    return isinstance(value, str) and value.lower().endswith(WEIGHT_EXTENSIONS) and len(value) < 500


def _number(value: object) -> float | None:
    """A finite strength, or None (a bool, a string, or an integer too large for a float such as 10**400).

    >>> _number(0.5), _number(10**400), _number(True), _number(float("nan"))
    (0.5, None, None, None)
    """
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def files_from_prompt(prompt: object) -> list[NamedFile]:
    """Files named by loader nodes of an API-format graph (``{id: {"class_type", "inputs"}}``)."""
    if not isinstance(prompt, dict):
        return []
    out: list[NamedFile] = []
    for node_id in sorted(prompt, key=lambda k: (len(str(k)), str(k)))[:MAX_NODES]:
        node = prompt[node_id]
        if not isinstance(node, dict) or not isinstance(node.get("inputs"), dict):
            continue
        inputs = node["inputs"]
        for key, value in inputs.items():
            if isinstance(value, dict) and _is_weight_name(value.get("lora")):  # rgthree Power Lora Loader
                out.append(NamedFile("lora", value["lora"], "comfyui prompt", strength=_number(value.get("strength")),
                                     active=bool(value.get("on", True))))
            elif _is_weight_name(value):
                role = NODE_ROLES.get(str(node.get("class_type"))) or INPUT_ROLES.get(key, "model")
                strength = _number(inputs.get("strength_model", inputs.get("strength"))) if role == "lora" else None
                out.append(NamedFile(role, value, "comfyui prompt", strength=strength))
    return out


def files_from_workflow(workflow: object) -> list[NamedFile]:
    """Files named in widget values of a UI-format graph (``{"nodes": [...]}``); muted/bypassed nodes marked."""
    nodes = workflow.get("nodes") if isinstance(workflow, dict) else None
    if not isinstance(nodes, list):
        return []
    out: list[NamedFile] = []
    for node in nodes[:MAX_NODES]:
        if not isinstance(node, dict) or not isinstance(node.get("widgets_values"), list):
            continue
        role = NODE_ROLES.get(str(node.get("type")), "model")
        active = node.get("mode", 0) not in (2, 4)  # 2 = muted, 4 = bypassed
        values = node["widgets_values"]
        for i, value in enumerate(values):
            if _is_weight_name(value):
                strength = _number(values[i + 1]) if role == "lora" and i + 1 < len(values) else None
                out.append(NamedFile(role, value, "comfyui workflow", strength=strength, active=active))
    return out
