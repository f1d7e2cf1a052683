"""Fixtures for the scan tests: a small graph whose Illustrious releases list the sha256 of two synthetic
checkpoints (v1 under an open license, v2 under a non-commercial one), builders for files and sidecars, and a
per-test cache folder so that nothing is written outside ``tmp_path``."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from lineage.core.graph import load_graph
from lineage.scan import synth

DATA = Path(__file__).resolve().parent / "data"


def checkpoint_bytes(title: str) -> bytes:
    shapes = {**{f"model.diffusion_model.{k}": v for k, v in synth.SDXL_UNET.items()},
              **{f"first_stage_model.{k}": v for k, v in synth.SD_VAE.items()}}
    return synth.safetensors_bytes(shapes, {"modelspec.title": title})


V1, V2 = checkpoint_bytes("v1"), checkpoint_bytes("v2")


def lora(base: str = "sdxl", metadata: dict[str, str] | None = None) -> bytes:
    """A kohya LoRA of ``base`` ("sdxl", "sd15", "flux")."""
    _, _, ss_base, layer, width = next(b for b in synth.LORA_BASES if b[0] == base)
    meta = {"ss_base_model_version": ss_base} if metadata is None else metadata
    return synth.safetensors_bytes(synth.lora_shapes(layer, width, 4), meta)


def write(path: Path, data: bytes, sidecar: dict | None = None, suffix: str = ".civitai.info") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    if sidecar is not None:
        path.with_name(path.name.rsplit(".", 1)[0] + suffix).write_text(json.dumps(sidecar))
    return path


def scan_and_workflow(graph: nx.MultiDiGraph, tmp_path: Path, ink_model: dict) -> tuple[Any, Any]:
    """Scan a folder holding the v2 checkpoint and a LoRA "ink" (its civitai sidecar's ``model`` is
    ``ink_model``), then judge a workflow that loads both (the LoRA at strength 0.6)."""
    from lineage.scan import ScanStore, scan_paths
    from lineage.scan.workflow import judge_workflow

    models = tmp_path / "models"
    write(models / "checkpoints" / "v2.safetensors", V2)
    write(models / "loras" / "ink.safetensors", lora(), {"name": "v1", "baseModel": "SDXL 1.0", "model": ink_model})
    with ScanStore(tmp_path / "c.sqlite") as store:
        scan = scan_paths([models], graph, store, compute_hash=True)
        wf = tmp_path / "wf.json"
        wf.write_text(json.dumps({
            "1": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "v2.safetensors"}},
            "2": {"class_type": "LoraLoader", "inputs": {"lora_name": "ink.safetensors", "strength_model": 0.6}}}))
        return scan, judge_workflow(wf, graph, scan=scan, store=store)


@pytest.fixture(scope="session")
def sg_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("scan-data") / "graph.yaml"
    text = (DATA / "graph.yaml").read_text()
    text = text.replace("SHA_V1", hashlib.sha256(V1).hexdigest()).replace("SHA_V2", hashlib.sha256(V2).hexdigest())
    path.write_text(text)
    return path


@pytest.fixture(scope="session")
def sg(sg_data: Path) -> nx.MultiDiGraph:
    return load_graph(sg_data)


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every cache (scan and hashes) of a test lives in its own folder, never the user's."""
    monkeypatch.setenv("LINEAGE_CACHE_DIR", str(tmp_path / "cache"))
