"""Hostile arguments and weight files for ``generate`` and ``gallery``: refused before anything heavy happens.

Weight files are the tiny random Anima components of ``tests/inference`` with their headers edited (wrong
ranks, zero sizes, missing blocks, a header declaring 100k blocks): each is refused from its header alone,
before any module or tokenizer is loaded. (A header of 100k real entries is refused the same way but takes
seconds to parse on a busy machine, so the suite declares 100k blocks through one block index instead.)
"""

from __future__ import annotations

import json
import math
import os
import sqlite3
import struct
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.hostile.harness import run

pytest.importorskip("torch")
pytest.importorskip("diffusers")

SIZES = {"F32": 4, "BF16": 2, "F16": 2, "I64": 8}


@pytest.fixture(scope="session")
def comfy(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from tests.inference.tiny import tiny_modules, write_comfy

    return write_comfy(tmp_path_factory.mktemp("hostile-comfy") / "models", tiny_modules(seed=1))


def _edit(src: Path, dst: Path, change: Callable[[dict], None]) -> Path:
    """Copy a safetensors file with its header edited; edited tensors point at the start of the data."""
    raw = src.read_bytes()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + n])
    data = raw[8 + n :]
    change(header)
    for key, entry in header.items():
        if key != "__metadata__" and entry.get("data_offsets") is None:
            size = math.prod(entry["shape"]) * SIZES[entry["dtype"]]
            entry["data_offsets"] = [0, size]
    body = json.dumps(header).encode()
    dst.parent.mkdir(parents=True, exist_ok=True)
    dst.write_bytes(struct.pack("<Q", len(body)) + body + data)
    return dst


def _reshape(key: str, shape: list[int]) -> Callable[[dict], None]:
    def change(header: dict) -> None:
        header[key] = {"dtype": header[key]["dtype"], "shape": shape, "data_offsets": None}
    return change


def _drop(prefix: str) -> Callable[[dict], None]:
    def change(header: dict) -> None:
        for key in [k for k in header if k.startswith(prefix)]:
            del header[key]
    return change


def _many_blocks(count: int, only_last: bool = False) -> Callable[[dict], None]:
    def change(header: dict) -> None:
        for i in [count - 1] if only_last else range(2, count):
            header[f"net.blocks.{i}.mlp.layer1.weight"] = {"dtype": "F32", "shape": [0], "data_offsets": [0, 0]}
    return change


WEIGHT_CASES: dict[str, tuple[str, Callable[[dict], None]]] = {
    "DiT embedder 1-D": ("dit", _reshape("net.x_embedder.proj.1.weight", [32])),
    "DiT norm 0-D": ("dit", _reshape("net.blocks.0.self_attn.q_norm.weight", [])),
    "DiT head dim 0": ("dit", _reshape("net.blocks.0.self_attn.q_norm.weight", [0])),
    "DiT head dim 7": ("dit", _reshape("net.blocks.0.self_attn.q_norm.weight", [7])),
    "DiT final layer 3-D": ("dit", _reshape("net.final_layer.linear.weight", [64, 32, 1])),
    "DiT input 4 features": ("dit", _reshape("net.x_embedder.proj.1.weight", [32, 4])),
    "DiT block 99999 (100k blocks declared)": ("dit", _many_blocks(100_000, only_last=True)),
    "DiT 5000 blocks": ("dit", _many_blocks(5000)),
    "DiT block 0 missing": ("dit", _drop("net.blocks.0.")),
    "DiT adapter missing": ("dit", _drop("net.llm_adapter.")),
    "adapter embedding 3-D": ("dit", _reshape("net.llm_adapter.embed.weight", [4, 24, 1])),
    "adapter embedding 1-D": ("dit", _reshape("net.llm_adapter.embed.weight", [24])),
    "adapter norm 0-D": ("dit", _reshape("net.llm_adapter.blocks.0.cross_attn.q_norm.weight", [])),
    "text encoder embedding 3-D": ("text_encoder", _reshape("model.embed_tokens.weight", [4, 16, 1])),
    "text encoder embedding 1-D": ("text_encoder", _reshape("model.embed_tokens.weight", [16])),
    "text encoder norm 0-D": ("text_encoder", _reshape("model.layers.0.self_attn.q_norm.weight", [])),
    "text encoder head dim 0": ("text_encoder", _reshape("model.layers.0.self_attn.q_norm.weight", [0])),
    "text encoder kv heads 3 of 2": ("text_encoder", _reshape("model.layers.0.self_attn.k_proj.weight", [24, 16])),
    "text encoder layer 0 missing": ("text_encoder", _drop("model.layers.0.")),
    "VAE conv 1-D": ("vae", _reshape("encoder.conv1.weight", [8])),
    "VAE z conv missing": ("vae", _drop("conv2.")),
    "VAE block 1 missing": ("vae", _drop("encoder.downsamples.1.")),
    "VAE all blocks missing": ("vae", _drop("encoder.downsamples.")),
    "VAE decoder missing": ("vae", _drop("decoder.")),
    "VAE residual 2-D": ("vae", _reshape("encoder.downsamples.0.residual.6.weight", [8, 8])),
}


@pytest.mark.parametrize("name", sorted(WEIGHT_CASES))
def test_damaged_weight_headers(case: Path, comfy: dict[str, Path], name: str) -> None:
    component, change = WEIGHT_CASES[name]
    files = dict(comfy)
    files[component] = _edit(comfy[component], case / "w" / comfy[component].name, change)
    outcome = run(case, ["generate", "--dit", str(files["dit"]), "--text-encoder", str(files["text_encoder"]),
                         "--vae", str(files["vae"]), "--prompt", "x", "--steps", "1", "--width", "32",
                         "--height", "32", "--device", "cpu", "--tokenizers", str(case / "no-tokenizers"),
                         "--out", str(case / "o.png"), "--gallery", str(case / "g.sqlite")], (1,))
    assert files[component].name in outcome.stderr  # the message names the file
    assert not (case / "o.png").exists()


def _base(case: Path, comfy: dict[str, Path]) -> list[str]:
    return ["generate", "--dit", str(comfy["dit"]), "--text-encoder", str(comfy["text_encoder"]), "--vae",
            str(comfy["vae"]), "--prompt", "x", "--steps", "1", "--device", "cpu", "--gallery", str(case / "g.sqlite")]


ARGUMENTS: dict[str, tuple[list[str], tuple[int, ...]]] = {
    "width 100000": (["--width", "100000", "--height", "32"], (1,)),
    "width 10**30": (["--width", str(10**30), "--height", "32"], (1,)),
    "height 2**63": (["--width", "32", "--height", str(2**63)], (1,)),
    "width 0": (["--width", "0", "--height", "32"], (1,)),
    "width negative": (["--width", "-16", "--height", "32"], (1, 2)),
    "width 17": (["--width", "17", "--height", "32"], (1,)),
    "width text": (["--width", "abc", "--height", "32"], (2,)),
    "3840 square on CPU": (["--width", "3840", "--height", "3840", "--batch", "64"], (1,)),
    "batch 0": (["--batch", "0"], (2,)),
    "batch 65": (["--batch", "65"], (2,)),
    "steps 0": (["--steps", "0"], (2,)),
    "seed negative": (["--seed", "-1"], (2,)),
    "seed 2**64": (["--seed", str(2**64)], (2,)),
    "cfg nan": (["--cfg", "nan"], (2,)),
    "cfg inf": (["--cfg", "inf"], (2,)),
    "cfg text": (["--cfg", "x"], (2,)),
    "dtype junk": (["--dtype", "int8"], (2,)),
    "device junk": (["--device", "tpu"], (2,)),
    "prompt 100k": (["--prompt", "a" * 100_000], (2,)),
    "c2pa cert without key": (["--c2pa", "--c2pa-cert", "CERT"], (2,)),
    "c2pa key without cert": (["--c2pa", "--c2pa-key", "CERT"], (2,)),
    "c2pa cert without --c2pa": (["--c2pa-cert", "CERT", "--c2pa-key", "CERT"], (2,)),
    "c2pa cert not PEM": (["--c2pa", "--c2pa-cert", "JUNK", "--c2pa-key", "JUNK"], (2,)),
    "c2pa cert a folder": (["--c2pa", "--c2pa-cert", ".", "--c2pa-key", "."], (2,)),
}


@pytest.mark.parametrize("name", sorted(ARGUMENTS))
def test_hostile_generate_arguments(case: Path, comfy: dict[str, Path], name: str) -> None:
    extra, codes = ARGUMENTS[name]
    (case / "cert.pem").write_text("-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n")
    (case / "junk.pem").write_bytes(os.urandom(64).replace(b"-", b"_"))
    extra = [{"CERT": str(case / "cert.pem"), "JUNK": str(case / "junk.pem")}.get(a, a) for a in extra]
    run(case, [*_base(case, comfy), "--out", str(case / "o.png"), *extra], codes)
    assert not (case / "o.png").exists()


def _out(case: Path, name: str) -> str:
    if name == "read-only folder":
        (case / "ro").mkdir()
        (case / "ro").chmod(0o500)
        return str(case / "ro" / "o.png")
    if name == "file as folder":
        (case / "f").write_text("x")
        return str(case / "f" / "o.png")
    return {"empty": "", "blank": "  ", "a folder": str(case), "proc": "/proc/o.png", "dev full": "/dev/full",
            "sys": "/sys/o.png", "trailing slash": str(case / "new") + "/"}[name]


OUTS = ["read-only folder", "file as folder", "empty", "blank", "a folder", "proc", "dev full", "sys",
        "trailing slash"]


@pytest.mark.parametrize("name", OUTS)
def test_hostile_generate_out(case: Path, comfy: dict[str, Path], name: str) -> None:
    out = _out(case, name)
    codes = (0, 1) if name == "read-only folder" and os.geteuid() == 0 else (1, 2)
    if codes == (0, 1):
        pytest.skip("running as root: a read-only folder is writable, so there is nothing to refuse")
    run(case, [*_base(case, comfy), "--width", "32", "--height", "32", "--out", out], codes)


def test_corrupt_tokenizer_files(case: Path, comfy: dict[str, Path]) -> None:
    qwen = case / "tok" / "qwen25"
    qwen.mkdir(parents=True)
    (qwen / "vocab.json").write_text("{not json")
    (qwen / "merges.txt").write_bytes(os.urandom(256))
    (qwen / "tokenizer_config.json").write_text("[1, 2")
    outcome = run(case, [*_base(case, comfy), "--width", "32", "--height", "32", "--tokenizers", str(case / "tok"),
                         "--out", str(case / "o.png")], (1,))
    assert "tokenizer" in outcome.stderr


# --- gallery -------------------------------------------------------------------------------------------------
def _gallery_file(case: Path, name: str) -> Path:
    path = case / "g.sqlite"
    if name == "not SQLite":
        path.write_text("hello, not a database")
    elif name == "zero bytes":
        path.write_bytes(b"")
    elif name == "SQLite header then junk":
        path.write_bytes(b"SQLite format 3\x00" + os.urandom(4096))
    elif name == "other table layout":
        con = sqlite3.connect(path)
        con.execute("CREATE TABLE generations (id INTEGER PRIMARY KEY, x TEXT)")
        con.commit()
        con.close()
    elif name == "a folder":
        path.mkdir()
    elif name in ("corrupt JSON rows", "invalid UTF-8 rows"):
        from inference.gallery import Gallery

        g = Gallery(path)
        g.add({"prompt": "p", "seed": 1, "steps": 1, "cfg": 1.0, "width": 32, "height": 32, "batch": 1,
               "sigmas": "comfy"}, status="done", outputs=["a.png"])
        con = sqlite3.connect(path)
        if name == "corrupt JSON rows":
            con.execute("UPDATE generations SET outputs = '[1, 2', trace = '\"x\"', timings = '{'")
        else:
            con.execute("UPDATE generations SET prompt = CAST(X'FFFE1B5B324A' AS TEXT)")
        con.commit()
        con.close()
    return path


GALLERIES = ["not SQLite", "zero bytes", "SQLite header then junk", "other table layout", "a folder",
             "corrupt JSON rows", "invalid UTF-8 rows"]


@pytest.mark.parametrize("args", [[], ["--json"], ["--show", "1"]], ids=["list", "json", "show"])
@pytest.mark.parametrize("name", GALLERIES)
def test_damaged_gallery_is_kept_and_replaced(case: Path, name: str, args: list[str]) -> None:
    path = _gallery_file(case, name)
    before = path.read_bytes() if path.is_file() and name != "zero bytes" else None  # empty: a new database
    run(case, ["gallery", "--gallery", str(path), *args], (0, 1))
    if before is not None:
        assert path.read_bytes() == before  # the old gallery is never deleted or rewritten


@pytest.mark.parametrize("value", [str(2**70), "-1", "0", "x", str(2**63)])
def test_gallery_show_out_of_range(case: Path, value: str) -> None:
    run(case, ["gallery", "--gallery", str(case / "g.sqlite"), "--show", value], (2,))


@pytest.mark.parametrize("path", ["/proc/g.sqlite", "/dev/null", "/sys/g.sqlite", "FIFO", "FILE/g.sqlite"])
def test_gallery_paths_that_cannot_work(case: Path, path: str) -> None:
    if path == "FIFO":
        os.mkfifo(case / "fifo")
    (case / "file").write_text("x")
    target = {"FIFO": str(case / "fifo"), "FILE/g.sqlite": str(case / "file" / "g.sqlite")}.get(path, path)
    run(case, ["gallery", "--gallery", target], (1,))


@pytest.mark.parametrize("limit", ["0", "1001", str(10**30), "x"])
def test_gallery_limit(case: Path, limit: str) -> None:
    run(case, ["gallery", "--gallery", str(case / "g.sqlite"), "--limit", limit], (2,))
