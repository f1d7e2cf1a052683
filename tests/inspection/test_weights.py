"""Inspecting weights files end to end: release by hash or name, placement in the graph, verdicts."""

from __future__ import annotations

import io
import struct
from pathlib import Path

import networkx as nx
import pytest

from lineage.core.schema import USES
from lineage.inspection import PickleRefused, inspect_path
from lineage.inspection.gguf import parse_gguf
from tests.inspection import builders as b


def test_anima_by_hash_names_the_exact_release(tmp_path: Path, fx_graph: nx.MultiDiGraph, anima_bytes: bytes) -> None:
    path = tmp_path / "renamed.safetensors"
    path.write_bytes(anima_bytes)
    unhashed = inspect_path(path, fx_graph)
    assert unhashed.sha256 is None and unhashed.file_match is None
    assert unhashed.subject == "anima" and unhashed.components[0].identified_by == "architecture"
    report = inspect_path(path, fx_graph, compute_hash=True)
    assert report.sha256_source == "computed"
    assert report.file_match == {"node_id": "anima-base-v1.0", "matched_by": "sha256", "verified": True,
                                 "file_name": None}
    [part] = report.components
    assert (part.node_id, part.verified, part.identified_by) == ("anima-base-v1.0", True, "sha256")
    assert report.subject == "anima-base-v1.0"
    assert list(report.verdicts) == list(USES)
    assert report.verdicts["sell-outputs"]["verdict"] == "no"
    assert {(s["child"], s["type"], s["parent"]) for s in report.lineage} >= {
        ("anima-base-v1.0", "finetuned_from", "cosmos-predict2-2b-t2i"),
        ("qwen-image-vae", "vae_finetuned_from", "wan2.1-vae")}
    again = inspect_path(path, fx_graph)  # the hash is now cached
    assert again.sha256_source == "cache" and again.file_match["verified"]


def test_name_match_is_unverified_and_mismatch_is_warned(tmp_path: Path, fx_graph: nx.MultiDiGraph) -> None:
    path = b.write_safetensors(tmp_path / "flux1-dev.safetensors", b.FLUX1_DEV)
    report = inspect_path(path, fx_graph)
    assert report.file_match["matched_by"] == "name" and not report.file_match["verified"]
    assert report.subject == "flux1-dev"
    assert not any("misnamed" in w for w in report.warnings)
    assert any("header-only copy" in w for w in report.warnings)  # shapes say gigabytes, the file has 8 bytes
    assert report.verdicts["commercial-use"]["verdict"] == "no"
    liar = b.write_safetensors(tmp_path / "ae.safetensors", b.FLUX1_DEV)
    warned = inspect_path(liar, fx_graph)
    assert any("misnamed" in w for w in warned.warnings)


def test_schnell_by_architecture_places_and_judges(tmp_path: Path, fx_graph: nx.MultiDiGraph) -> None:
    report = inspect_path(b.write_safetensors(tmp_path / "x.safetensors", b.FLUX1_SCHNELL), fx_graph)
    assert report.subject == "flux1-schnell"
    assert report.verdicts["sell-outputs"]["verdict"] == "yes"
    assert any("not by a verified hash" in n for n in report.notes)


def test_bundled_checkpoint_parts_and_subject(tmp_path: Path, fx_graph: nx.MultiDiGraph) -> None:
    report = inspect_path(b.write_safetensors(tmp_path / "merge.safetensors", b.sdxl_checkpoint()), fx_graph)
    assert report.subject == "sdxl-1.0"
    assert {c.where.split(" (")[0] for c in report.components} == {"diffusion model", "text encoder", "VAE"}
    assert any("bundled checkpoint" in n for n in report.notes)


def test_part_whose_node_is_missing_is_kept_unplaced(tmp_path: Path, fx_graph: nx.MultiDiGraph) -> None:
    report = inspect_path(b.write_safetensors(tmp_path / "sd2.safetensors", b.SD2_UNET), fx_graph)
    [part] = report.components
    assert part.node_id is None and "no node 'sd-2.1'" in part.notes[-1]
    assert report.verdicts["sell-outputs"]["verdict"] == "unknown"


def test_metadata_is_read(tmp_path: Path, fx_graph: nx.MultiDiGraph) -> None:
    path = b.write_safetensors(tmp_path / "q.safetensors", b.QWEN_IMAGE, {"format": "pt", "note": "x" * 1000})
    report = inspect_path(path, fx_graph)
    assert report.metadata["format"] == "pt" and report.metadata["note"].endswith("(1,000 characters)")


@pytest.mark.parametrize("suffix", [".ckpt", ".pt", ".pth", ".bin"])
def test_pickles_are_refused_by_extension(tmp_path: Path, fx_graph: nx.MultiDiGraph, suffix: str) -> None:
    path = tmp_path / f"model{suffix}"
    path.write_bytes(b.safetensors_bytes(b.FLUX1_DEV))
    with pytest.raises(PickleRefused, match=r"never opens one.*safetensors"):
        inspect_path(path, fx_graph)


@pytest.mark.parametrize("head", [b"\x80\x02}q\x00.", b"PK\x03\x04" + bytes(26) + b"archive/data.pkl"])
def test_pickles_are_refused_by_magic(tmp_path: Path, fx_graph: nx.MultiDiGraph, head: bytes) -> None:
    path = tmp_path / "innocent.safetensors"
    path.write_bytes(head + bytes(100))
    with pytest.raises(PickleRefused, match="arbitrary code"):
        inspect_path(path, fx_graph)


def _gguf(tensors: dict[str, tuple[int, ...]], arch: str = "flux") -> bytes:
    def s(text: str) -> bytes:
        return struct.pack("<Q", len(text)) + text.encode()
    out = b"GGUF" + struct.pack("<IQQ", 3, len(tensors), 2)
    out += s("general.architecture") + struct.pack("<I", 8) + s(arch)
    out += s("tokenizer.ggml.tokens") + struct.pack("<IIQ", 9, 8, 2) + s("a") + s("b")
    for name, shape in tensors.items():
        out += s(name) + struct.pack("<I", len(shape)) + b"".join(struct.pack("<Q", d) for d in reversed(shape))
        out += struct.pack("<IQ", 1, 0)
    return out


def test_gguf_header_is_read_and_identified(tmp_path: Path, fx_graph: nx.MultiDiGraph) -> None:
    path = tmp_path / "flux1-dev-Q4_K.gguf"
    path.write_bytes(_gguf(b.FLUX1_DEV))
    report = inspect_path(path, fx_graph)
    assert report.format == "gguf" and report.subject == "flux1-dev"
    assert report.metadata["general.architecture"] == "flux"
    assert report.metadata["tokenizer.ggml.tokens"] == "<array of 2 items>"
    header = parse_gguf(io.BytesIO(_gguf({"img_in.weight": (3072, 64)})), "x")
    assert header.tensors == {"img_in.weight": (3072, 64)}


def test_on_the_shipped_data(tmp_path: Path, anima_bytes: bytes) -> None:
    from lineage.core.graph import load_graph

    graph = load_graph()
    path = tmp_path / "anima-preview2.safetensors"
    path.write_bytes(anima_bytes)
    report = inspect_path(path, graph)
    assert report.components[0].family == "Anima DiT + LLM adapter"
    assert report.subject == "anima-preview-2" and report.verdicts
