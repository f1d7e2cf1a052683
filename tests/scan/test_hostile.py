"""Hostile folders: each problem is reported, never a traceback, never a hang, nothing written outside the cache."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from lineage.scan import ScanStore, scan_paths
from lineage.scan.report import format_table
from tests.scan.conftest import lora, write

ROOT = Path(__file__).resolve().parents[2]


def _tree(root: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(root)): (p.lstat().st_size, p.lstat().st_mtime_ns) for p in root.rglob("*")}


def hostile_folder(root: Path) -> None:
    loras = root / "loras"
    write(loras / "good.safetensors", lora())
    os.symlink("..", loras / "loop")  # a symlink loop
    os.symlink("nowhere.safetensors", loras / "dangling.safetensors")
    os.mkfifo(loras / "pipe.safetensors")  # opening it for reading would block forever
    os.mkfifo(loras / "good.civitai.info")  # a FIFO where a sidecar should be
    write(loras / "evil\x1b[31m\nname.safetensors", lora())
    write(loras / "huge_header.safetensors", struct.pack("<Q", 2**40) + b"{}")
    write(loras / "not_json.safetensors", struct.pack("<Q", 4) + b"\xff\xfe{[")
    write(loras / "big_sidecar.safetensors", lora())
    (loras / "big_sidecar.json").write_bytes(b" " * (5 * 1024 * 1024))
    write(loras / "typed.safetensors", lora(), {"name": ["x"], "baseModel": 3, "allowCommercialUse": {"a": 1},
                                                "model": "string"})
    deep = root
    for i in range(45):
        deep = deep / f"d{i}"
    write(deep / "deep.safetensors", lora())


def test_hostile_folder_through_the_cli(tmp_path: Path) -> None:
    models = tmp_path / "models"
    hostile_folder(models)
    before = _tree(models)
    home, cwd = tmp_path / "home", tmp_path / "cwd"
    home.mkdir()
    cwd.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "LINEAGE_CACHE_DIR"} | {
        "HOME": str(home), "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(home / "xdg")}
    cache = tmp_path / "cache" / "scan.sqlite"
    proc = subprocess.run([sys.executable, "-m", "lineage.cli", "scan", str(models), "--cache", str(cache), "--json"],
                          capture_output=True, text=True, timeout=120, cwd=cwd, env=env)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    report = json.loads(proc.stdout)
    files = {f["name"]: f for f in report["files"]}
    skipped = {Path(s["path"]).name: s["reason"] for s in report["skipped"]}
    assert files["good.safetensors"]["status"] == "ok"
    assert any("FIFO" in w or "not a regular file" in w for w in files["good.safetensors"]["warnings"])
    assert "never opened" in skipped["pipe.safetensors"]
    assert "symlink" in skipped["dangling.safetensors"]
    assert any("already walked" in r for r in skipped.values())  # the loop
    assert any("deeper than" in r for r in skipped.values())
    assert files["huge_header.safetensors"]["status"] == "error" and "\n" not in files["huge_header.safetensors"][
        "reason"]
    assert files["not_json.safetensors"]["status"] == "error"
    assert any("sidecar limit" in w for w in files["big_sidecar.safetensors"]["warnings"])
    assert len(files["typed.safetensors"]["warnings"]) >= 3
    assert files["evil\x1b[31m\nname.safetensors"]["status"] == "ok"
    # nothing written outside the cache: the folder, HOME and the working directory are as they were
    assert _tree(models) == before
    assert list(home.rglob("*")) == [] and list(cwd.rglob("*")) == []
    assert cache.is_file()
    # the table shows the hostile name escaped: no raw escape or newline reaches the terminal
    table = subprocess.run([sys.executable, "-m", "lineage.cli", "scan", str(models), "--cache", str(cache)],
                           capture_output=True, text=True, timeout=120, cwd=cwd, env=env).stdout
    assert "\x1b" not in table and "evil\\x1b[31m\\x0aname" in table


def test_files_that_change_or_vanish_while_scanned(sg, tmp_path: Path) -> None:
    loras = tmp_path / "models" / "loras"
    for name in ("a", "b", "c"):
        write(loras / f"{name}.safetensors", lora())

    def meddle(done: int, total: int) -> None:  # after the first file: b grows, c disappears
        if done == 1:
            with open(loras / "b.safetensors", "ab") as fh:
                fh.write(b"more")
            (loras / "c.safetensors").unlink()

    with ScanStore(tmp_path / "c.sqlite") as store:
        result = scan_paths([tmp_path / "models"], sg, store, progress=meddle)
        files = {f.name: f for f in result.files}
        assert files["a.safetensors"].status == "ok"
        assert files["b.safetensors"].status == "error" and "changed" in files["b.safetensors"].reason
        assert files["c.safetensors"].status == "error" and "cannot be read" in files["c.safetensors"].reason
        # the changed file is not cached as it was: the next scan reads it again and judges it
        again = {f.name: f for f in scan_paths([tmp_path / "models"], sg, store).files}
    assert again["b.safetensors"].status == "ok" and not again["b.safetensors"].cached
    assert format_table(result.to_dict())  # renders with errors listed


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file whatever its mode; "
                    "test_files_that_change_or_vanish_while_scanned covers the same error path")
def test_unreadable_file(sg, tmp_path: Path) -> None:
    path = write(tmp_path / "models" / "x.safetensors", lora())
    path.chmod(0)
    with ScanStore(tmp_path / "c.sqlite") as store:
        result = scan_paths([tmp_path / "models"], sg, store)
    assert result.files[0].status == "error" and "cannot be read" in result.files[0].reason
