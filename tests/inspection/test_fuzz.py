"""Fuzz: mutated valid files (bytes flipped, truncated, lengths inflated) give a report or a LineageError, fast."""

from __future__ import annotations

import json
import struct
import tempfile
import time
from pathlib import Path

import networkx as nx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lineage.core.problems import LineageError
from lineage.inspection import InspectionReport, inspect_path
from tests.inspection import builders as b
from tests.inspection.test_weights import _gguf

LORA = {"lora_unet_double_blocks_0_img_attn_qkv.lora_down.weight": (16, 3072),
        "lora_unet_double_blocks_0_img_attn_qkv.lora_up.weight": (9216, 16)}
SEEDS: dict[str, bytes] = {
    "flux.safetensors": b.safetensors_bytes(b.FLUX1_DEV, {"ss_base_model_version": "flux1"}),
    "bundle.safetensors": b.safetensors_bytes(b.sdxl_checkpoint()),
    "lora.safetensors": b.safetensors_bytes(LORA, {"ss_sd_model_name": "flux1-dev.safetensors"}),
    "comfy.png": b.png_bytes(b.text_chunk("prompt", json.dumps(b.comfy_prompt())),
                             b.text_chunk("workflow", json.dumps(b.comfy_workflow()), "zTXt")),
    "a1111.png": b.png_bytes(b.text_chunk("parameters", "cat\nSteps: 2, Model hash: 0123456789, Model: m", "iTXt"),
                             b.text_chunk("lineage", json.dumps({"trace": {"model": "flux1-dev", "files": []}}))),
    "model.gguf": _gguf(b.FLUX1_SCHNELL),
}
MAX_SECONDS = 3.0


def _mutate(data: bytes, kind: str, where: int, value: int) -> bytes:
    i = where % max(len(data), 1)
    if kind == "flip":
        return data[:i] + bytes([data[i] ^ (value % 255 + 1)]) + data[i + 1:] if data else data
    if kind == "truncate":
        return data[:i]
    if kind == "inflate":  # a length field (safetensors header, PNG chunk, GGUF count) made huge
        big = struct.pack("<Q", (value + 1) * 2**33)
        j = min(i, max(len(data) - 8, 0)) if value % 2 else (0 if not data.startswith(b"\x89PNG") else 33)
        return data[:j] + big + data[j + 8:]
    return data[:i] + bytes([value % 256]) * 64 + data[i:]  # insert garbage


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.sampled_from(sorted(SEEDS)), kinds=st.lists(
    st.tuples(st.sampled_from(["flip", "truncate", "inflate", "insert"]), st.integers(0, 2**20),
              st.integers(0, 2**16)), min_size=1, max_size=3))
def test_mutated_files_give_a_report_or_a_clear_error(fx_graph: nx.MultiDiGraph, seed: str,
                                                       kinds: list[tuple[str, int, int]]) -> None:
    data = SEEDS[seed]
    for kind, where, value in kinds:
        data = _mutate(data, kind, where, value)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / seed
        path.write_bytes(data)
        start = time.perf_counter()
        try:
            result = inspect_path(path, fx_graph)
        except LineageError as err:
            assert str(err)
        else:
            assert isinstance(result, InspectionReport)
            json.dumps(result.to_dict(), default=str)
        assert time.perf_counter() - start < MAX_SECONDS
