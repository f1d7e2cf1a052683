"""Each folder layout (ComfyUI, AUTOMATIC1111/Forge, InvokeAI, Hugging Face cache) is walked and placed."""

from __future__ import annotations

import hashlib
from pathlib import Path

from lineage.scan import ScanStore, scan_paths
from lineage.scan.synth import CLIP_L, FLUX1_DEV, SD_VAE, T5XXL, gguf_bytes, make_hf_cache, safetensors_bytes
from tests.scan.conftest import V1, lora, write


def _scan(graph, *paths: Path, tmp_path: Path):
    with ScanStore(tmp_path / "cache" / "scan.sqlite") as store:
        return scan_paths(list(paths), graph, store)


def by_name(result) -> dict:
    return {f.name: f for f in result.files}


def test_comfyui_layout_roles_kinds_and_refused_pickle(sg, tmp_path: Path) -> None:
    models = tmp_path / "ComfyUI" / "models"
    write(models / "checkpoints" / "illustrious-v1.safetensors", V1)
    write(models / "loras" / "SDXL" / "ink.safetensors", lora("sdxl"))
    write(models / "vae" / "sdxl_vae.safetensors", safetensors_bytes(SD_VAE))
    write(models / "text_encoders" / "t5xxl_fp16.safetensors", safetensors_bytes(T5XXL))
    write(models / "clip" / "clip_l.safetensors", safetensors_bytes(CLIP_L))
    write(models / "diffusion_models" / "flux1-dev-Q8_0.gguf", gguf_bytes(FLUX1_DEV, "flux"))
    write(models / "checkpoints" / "old.ckpt", b"\x80\x04\x95" + bytes(8))
    write(models / "loras" / "notes.txt", b"not a model")
    files = by_name(_scan(sg, tmp_path / "ComfyUI", tmp_path=tmp_path))
    assert set(files) == {"illustrious-v1.safetensors", "ink.safetensors", "sdxl_vae.safetensors",
                          "t5xxl_fp16.safetensors", "clip_l.safetensors", "flux1-dev-Q8_0.gguf", "old.ckpt"}
    assert {f.layout for f in files.values()} == {"comfyui"}
    assert files["ink.safetensors"].role == "lora" and files["ink.safetensors"].kind == "lora"
    assert files["sdxl_vae.safetensors"].kind == "vae"
    assert files["clip_l.safetensors"].role == "text encoder" and files["clip_l.safetensors"].kind == "text encoder"
    assert files["flux1-dev-Q8_0.gguf"].format == "gguf"
    assert files["flux1-dev-Q8_0.gguf"].placement["base"] == "flux1-dev"
    assert files["old.ckpt"].status == "refused" and "never opened" in files["old.ckpt"].reason
    # the name says clip_l (a curated text encoder), the layout agrees: judged as that release, unverified
    assert files["clip_l.safetensors"].placement["node"] == "clip-vit-l-14"
    assert files["clip_l.safetensors"].placement["verified"] is False


def test_a1111_and_invokeai_layouts(sg, tmp_path: Path) -> None:
    write(tmp_path / "webui" / "models" / "Stable-diffusion" / "merge.safetensors", V1 + b"")
    write(tmp_path / "webui" / "models" / "Lora" / "style.safetensors", lora("sd15", {}))
    write(tmp_path / "invokeai" / "models" / "sdxl" / "lora" / "plain.safetensors", lora("sdxl", {}))
    files = by_name(_scan(sg, tmp_path / "webui", tmp_path / "invokeai", tmp_path=tmp_path))
    assert files["merge.safetensors"].layout == "a1111" and files["merge.safetensors"].role == "checkpoint"
    assert files["style.safetensors"].layout == "a1111"
    # no metadata and no sidecar: the base comes from the tensor layout (SD 1.x cross-attention width)
    assert files["style.safetensors"].placement["base"] == "sd-v1-5"
    assert files["style.safetensors"].placement["base_by"].startswith("tensor layout")
    plain = files["plain.safetensors"]
    assert plain.layout == "invokeai" and plain.placement["base"] == "sdxl-1.0"
    assert plain.placement["base_by"] == "the InvokeAI folder it sits in"


def test_hf_cache_snapshot_readme_and_blob_hash(sg, tmp_path: Path) -> None:
    readme = ("---\nlicense: other\nlicense_name: nc-lic\nbase_model: stabilityai/stable-diffusion-xl-base-1.0\n"
              "base_model_relation: adapter\n---\n")
    snap = make_hf_cache(tmp_path / "hf", "someone/ink-lora", {"ink.safetensors": lora("sdxl", {})}, readme)
    make_hf_cache(tmp_path / "hf", "org/illustrious", {"illustrious-v1.safetensors": V1}, None)
    files = by_name(_scan(sg, tmp_path / "hf", tmp_path=tmp_path))
    ink = files["ink.safetensors"]
    assert ink.layout == "hf-cache" and ink.path.startswith(str(snap))
    assert ink.placement["base"] == "sdxl-1.0" and "stable-diffusion-xl-base-1.0" in ink.placement["base_by"]
    assert ink.placement["relation"] == "adapter (declared)"
    # own declared license (the README's license_name) is non-commercial: stricter than the open base
    assert ink.verdict("sell-outputs") == "no"
    assert "own declared terms" in ink.verdicts["sell-outputs"]["decided_by"]
    assert any(c["source"].endswith("README.md#license_name") for c in ink.declared["claims"])
    # the blob a snapshot file links to is named by its sha256: the exact release, without reading the file
    v1 = files["illustrious-v1.safetensors"]
    assert v1.sha256 == hashlib.sha256(V1).hexdigest() and v1.sha256_source == "hf cache blob name"
    assert v1.placement["node"] == "illustrious-xl-v1.0"


def test_a_single_file_and_a_missing_path(sg, tmp_path: Path) -> None:
    path = write(tmp_path / "one.safetensors", lora("flux", {}))
    result = _scan(sg, path, tmp_path / "missing", tmp_path=tmp_path)
    assert [f.name for f in result.files] == ["one.safetensors"]
    assert result.files[0].placement["base"] == "flux1-dev"
    assert any("missing" in s.path and "cannot be read" in s.reason for s in result.skipped)
