"""Find the weight files: a ComfyUI ``models`` folder, explicit paths, or a diffusers folder.

Examples
--------
>>> import tempfile, pathlib
>>> root = pathlib.Path(tempfile.mkdtemp())
>>> for sub, name in [("diffusion_models", "anima-base-v1.0.safetensors"),
...                   ("text_encoders", "qwen_3_06b_base.safetensors"), ("vae", "qwen_image_vae.safetensors")]:
...     (root / sub).mkdir()
...     _ = (root / sub / name).write_bytes(b"")
>>> find_weights(comfy_models=root).dit.name
'anima-base-v1.0.safetensors'
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from inference.errors import WeightsError

HF_REPO = "circlestone-labs/Anima"
DOWNLOAD_HINT = (
    f"download from https://huggingface.co/{HF_REPO}: split_files/diffusion_models/anima-*.safetensors, "
    "split_files/text_encoders/qwen_3_06b_base.safetensors, split_files/vae/qwen_image_vae.safetensors "
    "(into a ComfyUI models folder's diffusion_models/, text_encoders/, vae/)"
)
_PATTERNS = {
    "dit": ("diffusion_models", ["anima*.safetensors"]),
    "text_encoder": ("text_encoders", ["qwen_3_06b*.safetensors", "qwen3*0*6b*.safetensors"]),
    "vae": ("vae", ["qwen_image_vae*.safetensors"]),
}


@dataclass(frozen=True)
class WeightPaths:
    """Where each component comes from: three ComfyUI split files, or one diffusers folder."""

    dit: Path | None = None
    text_encoder: Path | None = None
    vae: Path | None = None
    diffusers: Path | None = None

    @property
    def files(self) -> dict[str, Path]:
        """Component name -> file, for the split-file layout."""
        return {k: v for k, v in (("dit", self.dit), ("text_encoder", self.text_encoder), ("vae", self.vae)) if v}


def is_diffusers_folder(path: Path) -> bool:
    """True for a folder laid out like ``Anima-Base-v1.0-Diffusers``."""
    return path.is_dir() and (
        (path / "modular_model_index.json").is_file() or (path / "model_index.json").is_file()
    )


def _find_one(folder: Path, component: str) -> Path:
    sub, patterns = _PATTERNS[component]
    where = folder / sub
    found: list[Path] = []
    for pattern in patterns:
        found += [p for p in sorted(where.glob(pattern)) if p not in found]
    if not found:
        raise WeightsError(
            f"no {patterns[0]} file in {sub}/", path=folder, hint=DOWNLOAD_HINT
        )
    if len(found) > 1:
        names = ", ".join(p.name for p in found)
        flag = {"dit": "--dit", "text_encoder": "--text-encoder", "vae": "--vae"}[component]
        raise WeightsError(f"several candidates in {sub}/: {names}", path=folder, hint=f"choose one with {flag}")
    return found[0]


def find_weights(
    *,
    weights: Path | None = None,
    comfy_models: Path | None = None,
    dit: Path | None = None,
    text_encoder: Path | None = None,
    vae: Path | None = None,
    diffusers: Path | None = None,
) -> WeightPaths:
    """Resolve the component files; explicit paths win over what a models folder holds.

    ``weights`` is the generic CLI argument: a diffusers folder, a ComfyUI models folder, or a DiT
    file (then the text encoder and VAE are looked up next to it, in ``../text_encoders`` and ``../vae``).
    """
    if weights is not None:
        weights = Path(weights)
        if is_diffusers_folder(weights):
            diffusers = diffusers or weights
        elif weights.is_dir():
            comfy_models = comfy_models or weights
        else:
            dit = dit or weights
            comfy_models = comfy_models or (weights.parent.parent if weights.parent.name == "diffusion_models"
                                            else None)
    if diffusers is not None:
        diffusers = Path(diffusers)
        if not is_diffusers_folder(diffusers):
            raise WeightsError(
                "not a diffusers folder (no modular_model_index.json or model_index.json)",
                path=diffusers,
                hint="download circlestone-labs/Anima-Base-v1.0-Diffusers, or pass ComfyUI files instead",
            )
        return WeightPaths(diffusers=diffusers)
    resolved = {"dit": dit, "text_encoder": text_encoder, "vae": vae}
    for component, value in resolved.items():
        if value is None:
            if comfy_models is None:
                flag = {"dit": "--dit", "text_encoder": "--text-encoder", "vae": "--vae"}[component]
                raise WeightsError(
                    f"no {component.replace('_', ' ')} file given",
                    hint=f"pass {flag} PATH or --comfy-models DIR; {DOWNLOAD_HINT}",
                )
            resolved[component] = _find_one(Path(comfy_models), component)
    return WeightPaths(**{k: Path(v) for k, v in resolved.items()})
