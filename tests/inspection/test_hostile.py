"""Hostile input: each is refused with a clear InspectionError, quickly, without reading the whole file."""

from __future__ import annotations

import json
import struct
import zlib
from pathlib import Path

import networkx as nx
import pytest

from lineage.inspection import InspectionError, inspect_path
from tests.inspection import builders as b


def _st(header: bytes, length: int | None = None, data: bytes = b"") -> bytes:
    return struct.pack("<Q", len(header) if length is None else length) + header + data


GOOD = b.safetensors_bytes(b.FLUX1_DEV)
ENTRY = {"dtype": "F16", "shape": [2], "data_offsets": [0, 4]}
SAFETENSORS_CASES = {
    "empty": (b"", "too short"),
    "truncated header": (GOOD[: len(GOOD) // 2], "truncated"),
    "length over the file": (_st(b"{}", length=10_000), "truncated or not safetensors"),
    "length over 100 MB": (_st(b"{}", length=200 * 1024 * 1024), "limit"),
    "invalid JSON": (_st(b"{nope"), "not valid JSON"),
    "not UTF-8": (_st(b'{"\xff\xfe": 1}'), "not valid UTF-8"),
    "JSON array": (_st(b"[1, 2]"), "not a JSON object"),
    "deep nesting": (_st(b"[" * 100_000 + b"]" * 100_000), "not valid JSON"),
    "bad dtype": (_st(json.dumps({"w": {**ENTRY, "dtype": "Q9"}}).encode(), data=bytes(4)), "unknown dtype"),
    "negative shape": (_st(json.dumps({"w": {**ENTRY, "shape": [-1]}}).encode(), data=bytes(4)), "invalid shape"),
    "offsets reversed": (_st(json.dumps({"w": {**ENTRY, "data_offsets": [4, 0]}}).encode(), data=bytes(4)),
                         "invalid data_offsets"),
    "data truncated": (_st(json.dumps({"w": {**ENTRY, "data_offsets": [0, 400]}}).encode(), data=bytes(4)),
                       "truncated"),
    "metadata not an object": (_st(json.dumps({"__metadata__": [1]}).encode()), "__metadata__"),
}


@pytest.mark.parametrize("case", sorted(SAFETENSORS_CASES))
def test_bad_safetensors(tmp_path: Path, fx_graph: nx.MultiDiGraph, case: str) -> None:
    data, message = SAFETENSORS_CASES[case]
    path = tmp_path / "x.safetensors"
    path.write_bytes(data)
    with pytest.raises(InspectionError, match=message):
        inspect_path(path, fx_graph)


def _png_with(*chunks: bytes) -> bytes:
    return b.PNG_SIGNATURE + b.chunk(b"IHDR", bytes(13)) + b"".join(chunks) + b.chunk(b"IEND", b"")


BOMB = zlib.compress(b"\0" * (40 * 1024 * 1024), 9)
PNG_CASES = {
    "bad CRC": (_png_with(b.chunk(b"tEXt", b"a\0b", crc=1)), "CRC"),
    "no IEND": (b.PNG_SIGNATURE + b.chunk(b"IHDR", bytes(13)), "without an IEND"),
    "huge chunk length": (b.PNG_SIGNATURE + struct.pack(">I4s", 2**31 - 2, b"tEXt") + b"abc", "more than the file"),
    "bad chunk type": (_png_with(b.chunk(b"t\x00Xt", b"a\0b")), "invalid type"),
    "decompression bomb": (_png_with(b.chunk(b"zTXt", b"k\0\0" + BOMB)), "decompression bomb"),
    "corrupt zTXt": (_png_with(b.chunk(b"zTXt", b"k\0\0not zlib")), "corrupt"),
    "iTXt not UTF-8": (_png_with(b.chunk(b"iTXt", b"k\0\0\0\0\0\xff\xfe")), "not valid UTF-8"),
    "no keyword": (_png_with(b.chunk(b"tEXt", b"no separator")), "keyword"),
}


@pytest.mark.parametrize("case", sorted(PNG_CASES))
def test_bad_png(tmp_path: Path, fx_graph: nx.MultiDiGraph, case: str) -> None:
    data, message = PNG_CASES[case]
    path = tmp_path / "x.png"
    path.write_bytes(data)
    with pytest.raises(InspectionError, match=message):
        inspect_path(path, fx_graph)


@pytest.mark.parametrize(("name", "data", "message"), [
    ("photo.jpg", b"\xff\xd8\xff\xe0" + bytes(20), "JPEG image"),
    ("x.webp", b"RIFF\0\0\0\0WEBPVP8 ", "WebP image"),
    ("notes.txt", b"hello world, not a model", "not a format lineage reads"),
    ("x.gguf", b"GGUF" + struct.pack("<IQQ", 3, 2**40, 0), "over the limits"),
    ("y.gguf", b"GGUF" + struct.pack("<IQQ", 3, 1, 0) + struct.pack("<Q", 2**40), "corrupt"),
    ("z.gguf", b"GGUF" + struct.pack("<IQQ", 3, 0, 1) + struct.pack("<Q", 3) + b"abc" + struct.pack("<I", 99),
     "unknown GGUF value type"),
    ("t.gguf", b"GGUF" + struct.pack("<I", 3), "truncated"),
])
def test_other_refusals(tmp_path: Path, fx_graph: nx.MultiDiGraph, name: str, data: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InspectionError, match=message):
        inspect_path(path, fx_graph)


def test_missing_file_and_folder(tmp_path: Path, fx_graph: nx.MultiDiGraph) -> None:
    with pytest.raises(InspectionError, match="no such file"):
        inspect_path(tmp_path / "absent.safetensors", fx_graph)
    with pytest.raises(InspectionError, match="not a regular file"):
        inspect_path(tmp_path, fx_graph)


def test_big_image_data_is_skipped_not_read(tmp_path: Path, fx_graph: nx.MultiDiGraph) -> None:
    big = b.chunk(b"IDAT", bytes(32 * 1024 * 1024))
    path = tmp_path / "big.png"
    path.write_bytes(_png_with(b.text_chunk("parameters", "a cat\nSteps: 1, Model: foo"), big))
    report = inspect_path(path, fx_graph)
    assert report.image["parameters"]["settings"]["Model"] == "foo"
