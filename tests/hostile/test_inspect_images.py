"""Hostile PNGs given to ``lineage inspect`` (text and --json): lineage/ComfyUI/A1111 metadata and chunk damage."""

from __future__ import annotations

import json
import struct
import zlib
from pathlib import Path

import pytest

from tests.hostile.harness import MINI, run
from tests.inspection.builders import PNG_SIGNATURE, chunk, png_bytes, text_chunk


def itxt(key: str, value: str) -> bytes:
    return text_chunk(key, value, "iTXt")


def lineage(obj: object) -> bytes:
    return itxt("lineage", obj if isinstance(obj, str) else json.dumps(obj))


def prompt(obj: object) -> bytes:
    return itxt("prompt", obj if isinstance(obj, str) else json.dumps(obj))


def workflow(obj: object) -> bytes:
    return itxt("workflow", obj if isinstance(obj, str) else json.dumps(obj))


def params(text: str) -> bytes:
    return itxt("parameters", text)


BIG = "1" + "0" * 400  # 10**400 written as a JSON number
LORA = {"class_type": "LoraLoader", "inputs": {"lora_name": "a.safetensors", "strength_model": 0.5}}
CHUNKS: dict[str, bytes] = {
    "lineage files number": lineage({"files": 5}),
    "lineage trace files number": lineage({"trace": {"files": 7}}),
    "lineage files junk": lineage({"trace": {"files": [1, "a", None, {"file_name": 5}, {"file_name": "x",
                                  "sha256": ["a"]}, {"file_name": "a.safetensors", "component": {"x": 1}}]}}),
    "lineage trace list": lineage({"trace": []}),
    "lineage list": lineage([1, 2]),
    "lineage string": lineage("not json"),
    "lineage null": lineage(None),
    "lineage model number": lineage({"trace": {"model": 5, "verdicts": [1]}}),
    "lineage verdicts junk": lineage({"trace": {"verdicts": {"a": 5, "b": {"verdict": ["x"]}}}}),
    "lineage settings surrogate": lineage('{"settings": "\\ud800", "trace": {"model": "\\udfff"}}'),
    "lineage deep nesting": lineage('{"trace": ' + "[" * 20_000 + "]" * 20_000 + "}"),
    "lineage 1e400": lineage('{"trace": {"model": 1e400, "files": []}}'),
    "lineage huge integer": lineage('{"trace": {"model": ' + BIG + "}}"),
    "lineage 5000-digit integer": lineage('{"trace": {"model": ' + "9" * 5000 + "}}"),
    "lineage terminal escape": lineage({"trace": {"model": "\x1b[2J\x1b]0;owned\x07"}}),
    "lineage node id hostile": lineage({"trace": {"files": [{"file_name": "a.safetensors", "node_id": "\u202e"}]}}),
    "prompt lora 10**400": prompt('{"1": {"class_type": "LoraLoader", "inputs": {"lora_name": "a.safetensors", '
                                  '"strength_model": ' + BIG + "}}}"),
    "prompt lora 1e400": prompt('{"1": {"class_type": "LoraLoader", "inputs": {"lora_name": "a.safetensors", '
                                '"strength_model": 1e400}}}'),
    "prompt lora NaN": prompt('{"1": {"class_type": "LoraLoader", "inputs": {"lora_name": "a.safetensors", '
                              '"strength_model": NaN}}}'),
    "prompt strength string": prompt({"1": {**LORA, "inputs": {**LORA["inputs"], "strength_model": "x"}}}),
    "prompt inputs list": prompt({"1": {"class_type": "LoraLoader", "inputs": [1, 2]}}),
    "prompt list": prompt([LORA]),
    "prompt number": prompt("5"),
    "prompt 20k nodes": prompt({str(i): LORA for i in range(20_000)}),
    "prompt name 10k chars": prompt({"1": {**LORA, "inputs": {"lora_name": "a" * 10_000 + ".safetensors"}}}),
    "prompt name surrogate": prompt('{"1": {"class_type": "LoraLoader", "inputs": {"lora_name": '
                                    '"\\ud800.safetensors"}}}'),
    "prompt class dict": prompt({"1": {"class_type": {"a": 1}, "inputs": {"ckpt_name": "m.safetensors"}}}),
    "prompt rgthree 10**400": prompt('{"1": {"class_type": "Power Lora Loader (rgthree)", "inputs": {"lora_1": '
                                     '{"on": "x", "lora": "a.safetensors", "strength": ' + BIG + "}}}}"),
    "prompt deep nesting": prompt("[" * 20_000 + "]" * 20_000),
    "workflow lora 10**400": workflow('{"nodes": [{"type": "LoraLoader", "widgets_values": ["a.safetensors", '
                                      + BIG + "]}]}"),
    "workflow nodes object": workflow({"nodes": {"a": 1}}),
    "workflow widgets object": workflow({"nodes": [{"type": "LoraLoader", "widgets_values": {"a": 1}}]}),
    "workflow mode junk": workflow({"nodes": [{"type": "VAELoader", "mode": [1],
                                               "widgets_values": ["v.safetensors"]}]}),
    "workflow 20k nodes": workflow({"nodes": [{"type": "VAELoader", "widgets_values": ["v.safetensors"]}] * 20_000}),
    "params 200k word chars": params("cat\nSteps: 20, " + "a" * 200_000),
    "params 200k word chars no settings": params("a" * 200_000),
    "params unclosed lora tag": params("<lora:" + "a" * 200_000 + "\nSteps: 2"),
    "params lora strength 5000 digits": params("<lora:x:" + "9" * 5000 + ">\nSteps: 2"),
    "params unbalanced quotes": params('x\nSteps: 2, Model: "' + '"' * 100_000),
    "params 200k commas": params("x\nSteps: 2" + "," * 200_000),
    "params 100k colons": params("x\nSteps: 2, " + ":" * 100_000),
    "params many negatives": params("Negative prompt:" * 50_000),
    "params terminal escape": params("\x1b[2J\x1b]0;owned\x07\nSteps: 2, Model: \x1b[31mred"),
    "params hashes junk": params('x\nSteps: 2, Hashes: "{\\"model\\": 5, \\"lora:a\\": [1]}"'),
    "params hashes deep": params('x\nSteps: 2, Hashes: {' + "[" * 10_000),
    "params lora hashes 100k": params('x\nSteps: 2, Lora hashes: "' + "a: 1, " * 20_000 + '"'),
    "params 1 MB": params("x" * 1_100_000 + "\nSteps: 2"),
    "params CRLF": params("cat\r\nNegative prompt: dog\r\nSteps: 2, Model: m\r\n"),
    "tEXt latin-1 high bytes": chunk(b"tEXt", b"parameters\0\xff\xfe\xe9\nSteps: 2, Model: \xe9"),
    "iTXt compressed junk": chunk(b"iTXt", b"prompt\0\x01\0\0\0not zlib"),
    "keyword 200 chars": chunk(b"tEXt", b"k" * 200 + b"\0v"),
    "zTXt bomb": chunk(b"zTXt", b"prompt\0\0" + zlib.compress(b"[" * (50 * 2**20), 9)),
    "10k small chunks": b"".join(chunk(b"tEXt", b"k%d\0v" % i) for i in range(10_000)),
    "duplicate lineage chunks": lineage({"trace": {"model": "a"}}) + lineage({"files": 5}),
}


@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
@pytest.mark.parametrize("name", sorted(CHUNKS))
def test_hostile_png_metadata(case: Path, name: str, as_json: bool) -> None:
    path = case / "x.png"
    path.write_bytes(png_bytes(CHUNKS[name]))
    outcome = run(case, ["--data", str(MINI), "inspect", str(path), *(["--json"] if as_json else [])], (0, 1))
    if as_json and outcome.code == 0:
        json.loads(outcome.stdout)


IHDR = chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
STRUCTURE: dict[str, bytes] = {
    "signature only": PNG_SIGNATURE,
    "no IHDR": PNG_SIGNATURE + chunk(b"IEND", b""),
    "IHDR 2**31 wide": PNG_SIGNATURE + chunk(b"IHDR", struct.pack(">IIBBBBB", 2**31, 2**31, 8, 0, 0, 0, 0))
    + chunk(b"IEND", b""),
    "short IHDR": PNG_SIGNATURE + chunk(b"IHDR", b"\0") + chunk(b"IEND", b""),
    "chunk after IEND": png_bytes() + params("x\nSteps: 2"),
    "length 2**32-1": PNG_SIGNATURE + IHDR + struct.pack(">I4s", 2**32 - 1, b"tEXt") + b"abc",
    "truncated chunk": PNG_SIGNATURE + IHDR + params("x")[:-3],
    "bad CRC": PNG_SIGNATURE + IHDR + chunk(b"tEXt", b"a\0b", crc=0) + chunk(b"IEND", b""),
    "caBX junk": PNG_SIGNATURE + IHDR + chunk(b"caBX", b"\0" * 64) + chunk(b"IEND", b""),
    "caBX huge": PNG_SIGNATURE + IHDR + chunk(b"caBX", b"\xff" * 100_000) + chunk(b"IEND", b""),
    "JPEG": b"\xff\xd8\xff\xe0" + bytes(100),
    "GIF": b"GIF89a" + bytes(100),
}


@pytest.mark.parametrize("name", sorted(STRUCTURE))
def test_hostile_png_structure(case: Path, name: str) -> None:
    path = case / "x.png"
    path.write_bytes(STRUCTURE[name])
    for extra in ([], ["--json"]):
        run(case, ["--data", str(MINI), "inspect", str(path), *extra], (0, 1))


def test_lineage_chunk_with_wrong_types_still_reports(case: Path) -> None:
    path = case / "x.png"
    path.write_bytes(png_bytes(CHUNKS["lineage trace files number"]))
    outcome = run(case, ["--data", str(MINI), "inspect", str(path), "--json"], (0,))
    assert json.loads(outcome.stdout)["kind"] == "image"


def test_huge_strength_is_dropped_not_fatal(case: Path) -> None:
    path = case / "x.png"
    path.write_bytes(png_bytes(CHUNKS["prompt lora 10**400"]))
    report = json.loads(run(case, ["--data", str(MINI), "inspect", str(path), "--json"], (0,)).stdout)
    assert [c["strength"] for c in report["components"] if c["component"] == "lora"] == [None]
