"""Hostile safetensors files given to ``lineage inspect`` (text and --json): a report or one clear error."""

from __future__ import annotations

import json
import os
import struct
from pathlib import Path

import pytest

from tests.hostile.harness import MINI, run

ENTRY = {"dtype": "F16", "shape": [2], "data_offsets": [0, 4]}


def st(header: dict | bytes, data: bytes = bytes(4), length: int | None = None) -> bytes:
    raw = header if isinstance(header, bytes) else json.dumps(header).encode()
    return struct.pack("<Q", len(raw) if length is None else length) + raw + data


def entry(**changes: object) -> bytes:
    return st({"w": {**ENTRY, **changes}})


# name -> (bytes, allowed exit codes)
CASES: dict[str, tuple[bytes, tuple[int, ...]]] = {
    "valid": (st({"w": ENTRY}), (0,)),
    "empty file": (b"", (1,)),
    "seven bytes": (b"\0" * 7, (1,)),
    "length zero": (st(b""), (1,)),
    "length 2**64-1": (st(b"{}", length=2**64 - 1), (1,)),
    "length over file": (st(b"{}", length=4096), (1,)),
    "empty object": (st(b"{}", data=b""), (0, 1)),
    "BOM": (st(b"\xef\xbb\xbf{}"), (1,)),
    "not UTF-8": (st(b'{"\xff": 1}'), (1,)),
    "JSON array": (st(b"[]"), (1,)),
    "JSON string": (st(b'"x"'), (1,)),
    "deep nesting": (st(b'{"a": ' + b"[" * 50_000 + b"]" * 50_000 + b"}"), (1,)),
    "float overflow": (st(b'{"a": 1e400}'), (1,)),
    "5000-digit integer": (st(b'{"a": ' + b"9" * 5000 + b"}"), (1,)),
    "NaN": (st(b'{"a": NaN}'), (1,)),
    "duplicate keys": (st(b'{"w": {"dtype": "F16", "shape": [2], "data_offsets": [0, 4]}, "w": 1}'), (1,)),
    "dtype list": (entry(dtype=["F16"]), (1,)),
    "dtype object": (entry(dtype={"a": 1}), (1,)),
    "dtype null": (entry(dtype=None), (1,)),
    "dtype number": (entry(dtype=5), (1,)),
    "dtype empty": (entry(dtype=""), (1,)),
    "dtype lower case": (entry(dtype="f16"), (1,)),
    "dtype 100k chars": (entry(dtype="F" * 100_000), (1,)),
    "dtype bool": (entry(dtype=True), (1,)),
    "shape negative": (entry(shape=[-1]), (1,)),
    "shape float": (entry(shape=[1.5]), (1,)),
    "shape string": (entry(shape="2"), (1,)),
    "shape nested": (entry(shape=[[2]]), (1,)),
    "shape 9 dims": (entry(shape=[1] * 9), (1,)),
    "shape 2**60": (entry(shape=[2**60]), (1,)),
    "shape bool": (entry(shape=[True]), (1,)),
    "shape null": (entry(shape=None), (1,)),
    "shape object": (entry(shape={}), (1,)),
    "shape scalar": (entry(shape=[]), (0,)),
    "shape 10**400": (st(b'{"w": {"dtype": "F16", "shape": [' + b"1" + b"0" * 400 + b'], "data_offsets": [0, 4]}}'),
                      (1,)),
    "offsets reversed": (entry(data_offsets=[4, 0]), (1,)),
    "offsets one": (entry(data_offsets=[0]), (1,)),
    "offsets null": (entry(data_offsets=None), (1,)),
    "offsets string": (entry(data_offsets="0,4"), (1,)),
    "offsets 2**70": (entry(data_offsets=[0, 2**70]), (1,)),
    "offsets negative": (entry(data_offsets=[-1, 4]), (1,)),
    "offsets float": (entry(data_offsets=[0.0, 4.0]), (1,)),
    "offsets bool": (entry(data_offsets=[False, True]), (1,)),
    "entry is a list": (st({"w": [1, 2]}), (1,)),
    "entry is a number": (st({"w": 1}), (1,)),
    "metadata list": (st({"__metadata__": [1], "w": ENTRY}), (1,)),
    "metadata string": (st({"__metadata__": "x", "w": ENTRY}), (1,)),
    "metadata nested": (st({"__metadata__": {"k": {"a": [1, {"b": None}]}}, "w": ENTRY}), (0,)),
    "metadata list value": (st({"__metadata__": {"k": ["x"]}, "w": ENTRY}), (0,)),
    "metadata 2 MB value": (st({"__metadata__": {"k": "a" * 2_000_000}, "w": ENTRY}), (0,)),
    "metadata lone surrogate value": (st(b'{"__metadata__": {"k": "\\ud800x"}, "w": ' + json.dumps(ENTRY).encode()
                                         + b"}"), (0,)),
    "metadata lone surrogate key": (st(b'{"__metadata__": {"\\udfff": "v"}, "w": ' + json.dumps(ENTRY).encode()
                                       + b"}"), (0,)),
    "metadata terminal escape": (st({"__metadata__": {"k": "\x1b[2J\x1b]0;owned\x07"}, "w": ENTRY}), (0,)),
    "metadata bidi override": (st({"__metadata__": {"ss_sd_model_name": "\u202eexe.flux1-dev"}, "w": ENTRY}), (0,)),
    "metadata NUL": (st({"__metadata__": {"k": "a\x00b"}, "w": ENTRY}), (0,)),
    "metadata C1 controls": (st({"__metadata__": {"k": "\x9b31m"}, "w": ENTRY}), (0,)),
    "metadata huge int": (st({"__metadata__": {"ss_network_dim": 10**400}, "w": ENTRY}), (0,)),
    "metadata base model junk": (st({"__metadata__": {"ss_base_model_version": "\x1b[31m" * 1000}, "w": ENTRY}),
                                 (0,)),
    "metadata modelspec junk": (st({"__metadata__": {"modelspec.architecture": "<script>alert(1)</script>"},
                                    "w": ENTRY}), (0,)),
    "name lone surrogate": (st(b'{"\\ud800": ' + json.dumps(ENTRY).encode() + b"}"), (0,)),
    "name terminal escape": (st({"\x1b]0;title\x07w": ENTRY}), (0,)),
    "name 100k chars": (st({"a" * 100_000: ENTRY}), (0,)),
    "name empty": (st({"": ENTRY}), (0,)),
    "name newline": (st({"a\nb": ENTRY}), (0,)),
    "name NUL": (st({"a\x00b": ENTRY}), (0,)),
    "many tensors": (st({f"t{i}": {"dtype": "F16", "shape": [0], "data_offsets": [0, 0]} for i in range(100_000)},
                        data=b""), (0,)),
    "lora keys with junk shapes": (st({"lora_unet_x.lora_down.weight": {**ENTRY, "shape": [2]},
                                       "lora_unet_x.lora_up.weight": {**ENTRY, "shape": [2]}}), (0,)),
    "lora rank 0": (st({"lora_unet_x.lora_down.weight": {"dtype": "F16", "shape": [0, 4], "data_offsets": [0, 0]},
                        "lora_unet_x.lora_up.weight": {"dtype": "F16", "shape": [4, 0], "data_offsets": [0, 0]}},
                       data=b""), (0,)),
    "flux keys 1-D": (st({"img_in.weight": ENTRY, "double_blocks.0.img_attn.qkv.weight": ENTRY}), (0,)),
}


@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_safetensors(case: Path, name: str, as_json: bool) -> None:
    data, codes = CASES[name]
    path = case / "x.safetensors"
    path.write_bytes(data)
    outcome = run(case, ["--data", str(MINI), "inspect", str(path), *(["--json"] if as_json else [])], codes)
    if as_json and outcome.code == 0:
        json.loads(outcome.stdout)  # still one valid JSON object


def test_surrogate_name_is_escaped_in_json(case: Path) -> None:
    path = case / "x.safetensors"
    path.write_bytes(CASES["name lone surrogate"][0])
    outcome = run(case, ["--data", str(MINI), "inspect", str(path), "--json"], (0,))
    assert "\\\\ud800" in outcome.stdout  # the escape is shown as text, the lone surrogate never printed


SPECIAL_NAMES = {
    "surrogate bytes": b"w\xff\xfe.safetensors",
    "terminal escape": b"\x1b[2Jw.safetensors",
    "newline": b"a\nb.safetensors",
    "leading dash": b"-w.safetensors",
    "255 bytes": b"w" * 243 + b".safetensors",
}


@pytest.mark.parametrize("name", sorted(SPECIAL_NAMES))
def test_hostile_file_names(case: Path, name: str) -> None:
    raw = os.fsencode(case) + b"/" + SPECIAL_NAMES[name]
    with open(raw, "wb") as fh:
        fh.write(CASES["valid"][0])
    for extra in ([], ["--json"]):
        run(case, ["--data", str(MINI), "inspect", *extra, "--", os.fsdecode(raw)], (0,))


NOT_FILES = ["folder", "missing", "/dev/null", "/proc/self/status", "fifo", "symlink loop"]


@pytest.mark.parametrize("name", NOT_FILES)
def test_paths_that_are_not_weight_files(case: Path, name: str) -> None:
    target = {"folder": case / "d.safetensors", "missing": case / "none.safetensors", "fifo": case / "p.safetensors",
              "symlink loop": case / "loop.safetensors"}.get(name, Path(name))
    if name == "folder":
        target.mkdir()
    elif name == "fifo":
        os.mkfifo(target)
    elif name == "symlink loop":
        target.symlink_to(target)
    run(case, ["--data", str(MINI), "inspect", str(target)], (1,))
