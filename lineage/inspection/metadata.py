"""Embedded safetensors metadata: kohya ``ss_*`` training fields and ``modelspec.*`` (SAI model spec).

>>> t = training_fields({"ss_base_model_version": "sdxl_base_v1-0", "ss_network_dim": "32",
...                      "ss_sd_model_name": "sd_xl_base_1.0.safetensors", "ss_tag_frequency": '{"a": {"x": 3}}'})
>>> t["base_model_version"], t["network_dim"], t["base_model_file"]
('sdxl_base_v1-0', '32', 'sd_xl_base_1.0.safetensors')
>>> base_node_hint(t)
'sdxl-1.0'
"""

from __future__ import annotations

from typing import Any

#: kohya field -> name shown in the report.
KOHYA_FIELDS: dict[str, str] = {
    "ss_base_model_version": "base_model_version",
    "ss_sd_model_name": "base_model_file",
    "ss_new_sd_model_hash": "base_model_sha256",
    "ss_sd_model_hash": "base_model_legacy_hash",
    "ss_network_module": "network_module",
    "ss_network_dim": "network_dim",
    "ss_network_alpha": "network_alpha",
    "ss_output_name": "output_name",
    "ss_training_started_at": "training_started_at",
    "ss_training_finished_at": "training_finished_at",
    "ss_num_train_images": "num_train_images",
    "ss_resolution": "resolution",
    "ss_v2": "v2",
    "ss_training_comment": "training_comment",
    "modelspec.architecture": "modelspec_architecture",
    "modelspec.title": "modelspec_title",
    "modelspec.author": "modelspec_author",
    "modelspec.license": "modelspec_license",
    "modelspec.date": "modelspec_date",
    "modelspec.hash_sha256": "modelspec_hash_sha256",
}
#: Base-model hints (kohya ``ss_base_model_version`` or ``modelspec.architecture`` without ``/lora``) -> node id.
BASE_HINTS: dict[str, str] = {
    "sd_v1": "sd-v1-5",
    "stable-diffusion-v1": "sd-v1-5",
    "sd_v2": "sd-2.1",
    "stable-diffusion-v2-512": "sd-2.1",
    "stable-diffusion-v2-768-v": "sd-2.1",
    "sdxl_base_v0-9": "sdxl-0.9",
    "sdxl_base_v1-0": "sdxl-1.0",
    "stable-diffusion-xl-v1-base": "sdxl-1.0",
    "sd3": "sd3-medium",
    "stable-diffusion-v3-medium": "sd3-medium",
    "stable-diffusion-v3.5-large": "sd3.5-large",
    "stable-diffusion-v3.5-medium": "sd3.5-medium",
    "flux1": "flux1-dev",
    "flux-1-dev": "flux1-dev",
    "flux-1-schnell": "flux1-schnell",
}


def training_fields(metadata: dict[str, str]) -> dict[str, Any]:
    """The training and model-spec fields worth showing; the tag list is summarised, not copied."""
    out: dict[str, Any] = {name: metadata[key][:2000] for key, name in KOHYA_FIELDS.items() if key in metadata}
    if "ss_tag_frequency" in metadata:
        out["tag_frequency"] = f"{len(metadata['ss_tag_frequency']):,} characters (not shown)"
    return out


def base_node_hint(fields: dict[str, Any]) -> str | None:
    """The graph node the metadata names as the base model's class, or ``None``."""
    for key in ("modelspec_architecture", "base_model_version"):
        value = str(fields.get(key, "")).split("/")[0].strip().lower()
        if value in BASE_HINTS:
            return BASE_HINTS[value]
    return None


def shown_metadata(metadata: dict[str, str], limit: int = 300) -> dict[str, str]:
    """All metadata fields, each cut to ``limit`` characters (tag lists and datasets can be megabytes)."""
    return {k: (v if len(v) <= limit else v[:limit] + f"... ({len(v):,} characters)") for k, v in metadata.items()}
