"""Images: the project's lineage chunk, ComfyUI prompt/workflow, AUTOMATIC1111 parameters, C2PA."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import networkx as nx
import pytest

from lineage.inspection import inspect_path
from lineage.inspection.a1111_meta import parse_parameters
from lineage.inspection.comfy_meta import files_from_workflow
from lineage.inspection.dot import report_dot
from tests.inspection import builders as b


def _write(tmp_path: Path, *chunks: bytes) -> Path:
    path = tmp_path / "image.png"
    path.write_bytes(b.png_bytes(*chunks))
    return path


def _own_trace(anima_bytes: bytes) -> dict:
    return {"model": "anima-base-v1.0", "files": [
        {"component": "dit", "file_name": "anima-base-v1.0.safetensors",
         "sha256": hashlib.sha256(anima_bytes).hexdigest(), "node_id": "anima-base-v1.0"},
        {"component": "text_encoder", "file_name": "qwen_3_06b_base.safetensors", "sha256": "0" * 64,
         "node_id": "qwen3-0.6b-base"},
        {"component": "vae", "file_name": "qwen_image_vae.safetensors", "sha256": None, "node_id": "qwen-image-vae"}],
        "verdicts": {"sell-outputs": {"verdict": "no"}}}


def test_projects_own_png(tmp_path: Path, fx_graph: nx.MultiDiGraph, anima_bytes: bytes) -> None:
    png_meta = pytest.importorskip("inference.png_meta")
    image = pytest.importorskip("PIL.Image")
    settings = {"prompt": "1girl", "steps": 2, "cfg": 4.0, "seed": 7, "width": 8, "height": 8, "sigmas": "comfy"}
    lineage = {"trace": _own_trace(anima_bytes), "settings": settings, "software": "lineage-inference 0.1.0"}
    data = png_meta.png_bytes(image.new("RGB", (8, 8)), png_meta.a1111_parameters(settings, "anima-base-v1.0"),
                              lineage)
    path = tmp_path / "own.png"
    path.write_bytes(data)
    report = inspect_path(path, fx_graph)
    assert report.kind == "image" and report.image["width"] == 8
    roles = {c.component: (c.node_id, c.verified, c.identified_by) for c in report.components}
    assert roles["dit"] == ("anima-base-v1.0", True, "sha256 in the lineage chunk")
    assert roles["text_encoder"] == ("qwen3-0.6b-base", False, "name in the lineage chunk")
    assert report.image["lineage"]["recorded_verdicts"] == {"sell-outputs": "no"}
    assert list(report.verdicts) == ["sell-outputs", "train-on-outputs"]
    assert report.verdicts["sell-outputs"]["verdict"] == "no"
    assert "nc-lic" in report.verdicts["sell-outputs"]["models"][0]["answer"]["deciding"]
    assert report.image["parameters"]["settings"]["Model"] == "anima-base-v1.0"
    dot = report_dot(report.to_dict())
    assert '"anima-base-v1.0" -> "cosmos-predict2-2b-t2i"' in dot


def test_comfyui_prompt(tmp_path: Path, fx_graph: nx.MultiDiGraph) -> None:
    prompt = json.dumps(b.comfy_prompt())
    path = _write(tmp_path, b.text_chunk("prompt", prompt), b.text_chunk("workflow", json.dumps(b.comfy_workflow())))
    report = inspect_path(path, fx_graph)
    found = {(c.component, c.file): c.node_id for c in report.components}
    assert found == {("diffusion model", "flux1-dev.safetensors"): "flux1-dev",
                     ("text encoder", "t5xxl_fp16.safetensors"): "t5-v1.1-xxl",
                     ("text encoder", "clip_l.safetensors"): "clip-vit-l-14",
                     ("vae", "ae.safetensors"): "flux1-ae",
                     ("lora", "mystery_style.safetensors"): None}
    sell = report.verdicts["sell-outputs"]
    assert sell["verdict"] == "no"  # FLUX.1 [dev] here; the unknown LoRA cannot make it better
    assert [m["node"] for m in sell["models"]][:1] == ["flux1-dev"]


def test_unknown_lora_turns_yes_into_unknown(tmp_path: Path, fx_graph: nx.MultiDiGraph) -> None:
    prompt = {"1": {"class_type": "UNETLoader", "inputs": {"unet_name": "x.safetensors"}},
              "2": {"class_type": "VAELoader", "inputs": {"vae_name": "ae.safetensors"}},
              "3": {"class_type": "LoraLoader", "inputs": {"lora_name": "who_knows.safetensors"}}}
    report = inspect_path(_write(tmp_path, b.text_chunk("prompt", json.dumps(prompt))), fx_graph)
    sell = report.verdicts["sell-outputs"]
    assert sell["verdict"] == "unknown"
    assert "who_knows.safetensors" in sell["notes"][0]


def test_comfyui_workflow_only_marks_bypassed_nodes(tmp_path: Path, fx_graph: nx.MultiDiGraph) -> None:
    files = files_from_workflow(b.comfy_workflow())
    assert [(f.role, f.name, f.active, f.strength) for f in files] == [
        ("checkpoint", "sd_xl_base_1.0.safetensors", True, None), ("lora", "unused.safetensors", False, 1.0)]
    report = inspect_path(_write(tmp_path, b.text_chunk("workflow", json.dumps(b.comfy_workflow()), "zTXt")),
                          fx_graph)
    assert report.roots == ["sdxl-1.0"]
    assert report.verdicts["sell-outputs"]["verdict"] == "yes"  # the bypassed LoRA did not run


def test_a1111_parameters(tmp_path: Path, fx_graph: nx.MultiDiGraph) -> None:
    text = ("masterpiece <lora:detail:0.5>\nNegative prompt: bad\nSteps: 30, Sampler: DPM++ 2M, CFG scale: 7, "
            'Seed: 1, Size: 1024x1024, Model hash: 31e35c80fc, Model: sd_xl_base_1.0, VAE: sdxl_vae.safetensors, '
            'Lora hashes: "detail: abcdef123456", Version: v1.10.1')
    info = parse_parameters(text)
    assert info.settings["CFG scale"] == "7" and info.settings["Lora hashes"] == "detail: abcdef123456"
    report = inspect_path(_write(tmp_path, b.text_chunk("parameters", text, "iTXt")), fx_graph)
    found = {c.component: (c.node_id, c.identified_by) for c in report.components}
    assert found["checkpoint"] == ("sdxl-1.0", "name in the a1111 parameters")
    assert found["lora"] == (None, "not in the data (a1111 parameters)")
    assert report.verdicts["train-on-outputs"]["verdict"] == "unknown"


def test_a1111_short_hash_prefix_matches_data(fx_graph: nx.MultiDiGraph, anima_bytes: bytes) -> None:
    from lineage.inspection.match import match_named

    short = hashlib.sha256(anima_bytes).hexdigest()[:10]
    found = match_named(fx_graph, "whatever", short)
    assert (found.node_id, found.matched_by, found.verified) == ("anima-base-v1.0", "sha256 prefix", False)


def test_png_without_metadata(tmp_path: Path, fx_graph: nx.MultiDiGraph) -> None:
    report = inspect_path(_write(tmp_path), fx_graph)
    assert report.components == [] and "no generation metadata" in report.notes[0]
    assert report.verdicts["sell-outputs"]["verdict"] == "unknown"


def test_invalid_json_chunk_is_a_warning(tmp_path: Path, fx_graph: nx.MultiDiGraph) -> None:
    report = inspect_path(_write(tmp_path, b.text_chunk("prompt", "{not json")), fx_graph)
    assert "'prompt' chunk is not valid JSON" in report.warnings[0]


def test_c2pa_manifest_is_read(tmp_path: Path, fx_graph: nx.MultiDiGraph, anima_bytes: bytes) -> None:
    pytest.importorskip("c2pa")
    pytest.importorskip("cryptography")
    signing = pytest.importorskip("inference.c2pa_sign")
    credentials = signing.local_credentials()  # a throwaway CA and leaf under the test's LINEAGE_CACHE_DIR
    lineage = {"trace": _own_trace(anima_bytes), "software": "lineage-inference 0.1.0"}
    signed = signing.sign_png(b.png_bytes(), lineage, credentials, "lineage-inference 0.1.0", "x.png")
    path = tmp_path / "signed.png"
    path.write_bytes(signed)
    report = inspect_path(path, fx_graph)
    c2 = report.image["c2pa"]
    assert c2["read"] and c2["actions"][0]["action"] == "c2pa.created"
    assert any(c.node_id == "anima-base-v1.0" and c.verified for c in report.components)
    assert "read from the C2PA manifest" in report.notes[0]
