"""ComfyUI workflows (API and UI JSON, PNG): every loader kind resolved, the combination judged per use."""

from __future__ import annotations

import json
import struct
import zlib
from pathlib import Path

import pytest

from lineage.core.schema import USES
from lineage.scan import ScanStore, scan_paths
from lineage.scan.synth import CLIP_L, SD_VAE, T5XXL, safetensors_bytes
from lineage.scan.workflow import WorkflowError, combine, judge_workflow
from tests.scan.conftest import V1, lora, write

STRICT = {"name": "v1", "baseModel": "SDXL 1.0", "model": {"name": "Strict", "allowCommercialUse": ["None"],
                                                          "allowNoCredit": False, "allowDerivatives": False}}
LOOSE = {"name": "v1", "baseModel": "SDXL 1.0", "model": {
    "name": "Loose", "allowCommercialUse": ["Image", "RentCivit", "Rent", "Sell"], "allowNoCredit": True,
    "allowDerivatives": True, "allowDifferentLicense": True}}

API = {
    "1": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "illustrious-v1.safetensors"}},
    "2": {"class_type": "UNETLoader", "inputs": {"unet_name": "flux1-dev.safetensors", "weight_dtype": "default"}},
    "3": {"class_type": "DualCLIPLoader", "inputs": {"clip_name1": "t5xxl_fp16.safetensors",
                                                      "clip_name2": "clip_l.safetensors", "type": "flux"}},
    "4": {"class_type": "VAELoader", "inputs": {"vae_name": "sdxl_vae.safetensors"}},
    "5": {"class_type": "LoraLoader", "inputs": {"lora_name": "SDXL/strict.safetensors", "strength_model": 0.7,
                                                  "strength_clip": 1.0, "model": ["1", 0], "clip": ["1", 1]}},
    "6": {"class_type": "ControlNetLoader", "inputs": {"control_net_name": "cn_canny.safetensors"}},
    "7": {"class_type": "UpscaleModelLoader", "inputs": {"model_name": "4x_upscaler.safetensors"}},
    "8": {"class_type": "Power Lora Loader (rgthree)", "inputs": {
        "lora_1": {"on": True, "lora": "loose.safetensors", "strength": 0.5}, "model": ["5", 0]}},
    "9": {"class_type": "KSampler", "inputs": {"seed": 1, "model": ["8", 0]}},
}
UI = {"nodes": [
    {"id": 1, "type": "CheckpointLoaderSimple", "mode": 0, "widgets_values": ["illustrious-v1.safetensors"]},
    {"id": 2, "type": "LoraLoader", "mode": 0, "widgets_values": ["loose.safetensors", 0.9, 1.0]},
    {"id": 3, "type": "LoraLoader", "mode": 4, "widgets_values": ["SDXL\\strict.safetensors", 1.0, 1.0]},
    {"id": 4, "type": "ControlNetLoader", "mode": 0, "widgets_values": ["cn_canny.safetensors"]},
    {"id": 5, "type": "UpscaleModelLoader", "mode": 0, "widgets_values": ["4x_upscaler.safetensors"]},
    {"id": 6, "type": "VAELoader", "mode": 0, "widgets_values": ["sdxl_vae.safetensors"]},
], "links": []}


@pytest.fixture
def comfy(tmp_path: Path) -> Path:
    models = tmp_path / "ComfyUI" / "models"
    write(models / "checkpoints" / "illustrious-v1.safetensors", V1)
    write(models / "loras" / "SDXL" / "strict.safetensors", lora(), STRICT)
    write(models / "loras" / "loose.safetensors", lora(), LOOSE)
    write(models / "vae" / "sdxl_vae.safetensors", safetensors_bytes(SD_VAE), {**LOOSE, "model": {
        **LOOSE["model"], "name": "SDXL VAE"}})
    write(models / "text_encoders" / "t5xxl_fp16.safetensors", safetensors_bytes(T5XXL))
    write(models / "text_encoders" / "clip_l.safetensors", safetensors_bytes(CLIP_L))
    write(models / "controlnet" / "cn_canny.safetensors", safetensors_bytes({"control_model.zero_convs.0.0.weight":
                                                                             (320, 320, 1, 1)}), LOOSE)
    write(models / "upscale_models" / "4x_upscaler.safetensors", safetensors_bytes({"conv_first.weight":
                                                                                    (64, 3, 3, 3)}))
    return tmp_path / "ComfyUI"


def _judge(graph, comfy: Path, workflow: Path, tmp_path: Path):
    with ScanStore(tmp_path / "cache" / "scan.sqlite") as store:
        scan = scan_paths([comfy], graph, store, compute_hash=True)
        return judge_workflow(workflow, graph, scan=scan, store=store)


def test_api_workflow_every_loader_kind(sg, comfy: Path, tmp_path: Path) -> None:
    wf = tmp_path / "api.json"
    wf.write_text(json.dumps(API))
    result = _judge(sg, comfy, wf, tmp_path)
    assert result.format == "comfyui api"
    parts = {p["name"]: p for p in result.parts}
    roles = {name: p["role"] for name, p in parts.items()}
    assert roles == {"illustrious-v1.safetensors": "checkpoint", "flux1-dev.safetensors": "diffusion model",
                     "t5xxl_fp16.safetensors": "text encoder", "clip_l.safetensors": "text encoder",
                     "sdxl_vae.safetensors": "vae", "strict.safetensors": "lora", "cn_canny.safetensors": "controlnet",
                     "4x_upscaler.safetensors": "upscaler", "loose.safetensors": "lora"}
    assert parts["strict.safetensors"]["strength"] == 0.7 and parts["loose.safetensors"]["strength"] == 0.5
    assert parts["illustrious-v1.safetensors"]["placement"]["node"] == "illustrious-xl-v1.0"
    assert parts["strict.safetensors"]["resolved_by"] == "scanned folder"
    # flux1-dev.safetensors is not in the folder: resolved by name against the data
    assert parts["flux1-dev.safetensors"]["resolved_by"] == "data (name)"
    assert parts["4x_upscaler.safetensors"]["verdicts"]["sell-outputs"]["verdict"] == "unknown"
    sell = result.verdicts["sell-outputs"]
    assert sell["verdict"] == "no"
    assert set(sell["decided_by"]) == {"flux1-dev.safetensors", "strict.safetensors"}
    assert {p["part"]: p["verdict"] for p in sell["parts"]}["loose.safetensors"] == "yes"


def test_ui_workflow_muted_nodes_do_not_count(sg, comfy: Path, tmp_path: Path) -> None:
    wf = tmp_path / "ui.json"
    wf.write_text(json.dumps(UI))
    result = _judge(sg, comfy, wf, tmp_path)
    parts = {p["name"]: p for p in result.parts}
    assert parts["strict.safetensors"]["active"] is False
    assert parts["loose.safetensors"]["strength"] == 0.9
    # without the muted strict LoRA, the upscaler (nothing known about it) is what keeps sell-outputs unknown
    assert result.verdicts["sell-outputs"]["verdict"] == "unknown"
    assert result.verdicts["sell-outputs"]["decided_by"] == ["4x_upscaler.safetensors"]
    assert any("Muted" in n for n in result.notes)


def _png(text: dict[str, str]) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    body = b"".join(chunk(b"tEXt", k.encode() + b"\0" + v.encode("latin-1")) for k, v in text.items())
    ihdr = chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
    return b"\x89PNG\r\n\x1a\n" + ihdr + body + chunk(b"IDAT", zlib.compress(b"\0\0")) + chunk(b"IEND", b"")


def test_png_saved_by_comfyui(sg, comfy: Path, tmp_path: Path) -> None:
    png = tmp_path / "ComfyUI_00001_.png"
    png.write_bytes(_png({"prompt": json.dumps(API), "workflow": json.dumps(UI)}))
    result = _judge(sg, comfy, png, tmp_path)
    assert result.format == "png (prompt)" and len(result.parts) == 9
    assert result.verdicts["commercial-use"]["verdict"] == "no"


def test_resolved_from_the_scan_cache_and_by_name(sg, comfy: Path, tmp_path: Path) -> None:
    wf = tmp_path / "api.json"
    wf.write_text(json.dumps(API))
    with ScanStore(tmp_path / "cache" / "scan.sqlite") as store:
        scan_paths([comfy], sg, store)
        result = judge_workflow(wf, sg, store=store)  # no scan now: earlier scans are remembered
    parts = {p["name"]: p for p in result.parts}
    assert parts["strict.safetensors"]["resolved_by"] == "scan cache"
    assert parts["strict.safetensors"]["verdicts"]["sell-outputs"]["verdict"] == "no"
    nothing = judge_workflow(wf, sg)  # no scan and no cache: only the data, by name
    parts = {p["name"]: p for p in nothing.parts}
    assert parts["clip_l.safetensors"]["resolved_by"] == "data (name)"
    assert parts["strict.safetensors"]["resolved_by"] == "not found"
    assert nothing.verdicts["sell-outputs"]["verdict"] == "no"  # flux1-dev by name is non-commercial


def test_combine_over_no_active_parts_is_unknown() -> None:
    assert combine([], USES)["sell-outputs"]["verdict"] == "unknown"


@pytest.mark.parametrize(("content", "message"), [
    (b"{not json", "not valid JSON"), (b"[1, 2]", "no ComfyUI graph"), (b'{"nodes": "x"}', "no ComfyUI graph")])
def test_bad_workflows_are_one_line_errors(sg, tmp_path: Path, content: bytes, message: str) -> None:
    wf = tmp_path / "wf.json"
    wf.write_bytes(content)
    with pytest.raises(WorkflowError, match=message):
        judge_workflow(wf, sg)


def test_a_sub_folder_in_the_name_picks_that_file(sg, comfy: Path, tmp_path: Path) -> None:
    write(comfy / "models" / "loras" / "A_first" / "strict.safetensors", lora(), LOOSE)  # same name, listed first
    wf = tmp_path / "api.json"
    wf.write_text(json.dumps({"5": API["5"]}))
    part = _judge(sg, comfy, wf, tmp_path).parts[0]
    assert part["path"].endswith("/SDXL/strict.safetensors") and "2 scanned files share this name" in part["note"]
    assert part["verdicts"]["sell-outputs"]["verdict"] == "no"
