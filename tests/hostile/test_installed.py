"""A representative subset run as a user runs it: ``python -m lineage.cli`` in a subprocess, memory capped.

Each area of the in-process suite is sampled here, so a difference between the installed command and
click's test runner (stream encodings, signals, the real stdout) cannot hide a traceback.
"""

from __future__ import annotations

import json
import os
import struct
from pathlib import Path

import pytest

from tests.hostile.harness import MINI, run_installed
from tests.hostile.test_data import FILES
from tests.hostile.test_inspect_images import CHUNKS
from tests.hostile.test_inspect_safetensors import CASES
from tests.inspection.builders import png_bytes


@pytest.mark.parametrize(("name", "extra"), [("dtype list", []), ("name lone surrogate", ["--json"]),
                                             ("metadata terminal escape", [])])
def test_installed_inspect_safetensors(case: Path, name: str, extra: list[str]) -> None:
    data, codes = CASES[name]
    (case / "x.safetensors").write_bytes(data)
    outcome = run_installed(case, ["--data", str(MINI), "inspect", *extra, "x.safetensors"], codes)
    if extra and outcome.code == 0:
        json.loads(outcome.stdout)


@pytest.mark.parametrize("name", ["lineage files number", "prompt lora 10**400", "params 200k word chars"])
def test_installed_inspect_images(case: Path, name: str) -> None:
    (case / "x.png").write_bytes(png_bytes(CHUNKS[name]))
    run_installed(case, ["--data", str(MINI), "inspect", "--json", "x.png"], (0,))


def test_installed_surrogate_file_name(case: Path) -> None:
    raw = os.fsencode(case) + b"/w\xff.safetensors"
    with open(raw, "wb") as fh:
        fh.write(struct.pack("<Q", 2) + b"{}")
    run_installed(case, ["--data", str(MINI), "inspect", os.fsdecode(raw)], (0, 1))


@pytest.mark.parametrize(("args", "codes"), [
    (["ask", "a" * 100_000], (2,)),
    (["what-if", "child-model", "--swap", "vae=" + "a" * 100_000], (2,)),
    (["show", "Ваsе Моdеl"], (1,)),
    (["export", "--format", "json", "--out", "missing/x.json"], (1,)),
    (["export", "--format", "json", "--out", "/dev/full"], (1,)),
])
def test_installed_queries(case: Path, args: list[str], codes: tuple[int, ...]) -> None:
    run_installed(case, ["--data", str(MINI), *args], codes)


@pytest.mark.parametrize("name", ["billion laughs", "self-referencing alias", "5000-digit integer"])
def test_installed_data(case: Path, name: str) -> None:
    (case / "x.yaml").write_text(FILES[name])  # type: ignore[arg-type]
    run_installed(case, ["--data", "x.yaml", "can-i", "x"], (1,))


@pytest.mark.parametrize("args", [["generate", "--prompt", "x", "--out", "o.png", "--width", str(10**30)],
                                  ["gallery", "--gallery", "notsqlite"]])
def test_installed_generate_and_gallery(case: Path, args: list[str]) -> None:
    pytest.importorskip("torch")
    (case / "notsqlite").write_text("not a database")
    run_installed(case, args, (0, 1, 2))
    assert (case / "notsqlite").read_text() == "not a database"
