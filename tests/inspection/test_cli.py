"""``lineage inspect`` in-process through the lead's CLI group (lazy registration, --data, errors)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from lineage.cli import main
from tests.inspection import builders as b


def _run(fx_data: Path, *args: str):
    return CliRunner().invoke(main, ["--data", str(fx_data), "inspect", *args])


def test_text_output(tmp_path: Path, fx_data: Path) -> None:
    path = b.write_safetensors(tmp_path / "flux1-dev.safetensors", b.FLUX1_DEV)
    result = _run(fx_data, str(path))
    assert result.exit_code == 0, result.output
    out = result.output
    assert "FLUX.1 [dev]-class transformer -> flux1-dev" in out
    assert "Release: flux1-dev (matched by name, unverified)" in out
    assert "flux1-dev --uses_vae--> flux1-ae" in out
    assert "sell-outputs" in out and "NO" in out and "Not legal advice" in out


def test_json_and_hash(tmp_path: Path, fx_data: Path, anima_bytes: bytes) -> None:
    path = tmp_path / "x.safetensors"
    path.write_bytes(anima_bytes)
    result = _run(fx_data, str(path), "--json", "--hash")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["file_match"]["node_id"] == "anima-base-v1.0" and data["sha256_source"] == "computed"
    assert set(data) >= {"kind", "components", "metadata", "lineage", "verdicts", "subject"}
    assert data["components"][0]["verified"] is True


def test_image_json(tmp_path: Path, fx_data: Path) -> None:
    path = tmp_path / "c.png"
    path.write_bytes(b.png_bytes(b.text_chunk("prompt", json.dumps(b.comfy_prompt()))))
    data = json.loads(_run(fx_data, str(path), "--json").output)
    assert data["kind"] == "image" and list(data["verdicts"]) == ["sell-outputs", "train-on-outputs"]


def test_refusals_exit_1_without_traceback(tmp_path: Path, fx_data: Path) -> None:
    pickle = tmp_path / "model.ckpt"
    pickle.write_bytes(b"\x80\x04K\x01.")
    result = _run(fx_data, str(pickle))
    assert result.exit_code == 1
    assert "Error: model.ckpt is a raw Python pickle" in result.output
    assert "Traceback" not in result.output
    broken = tmp_path / "broken.safetensors"
    broken.write_bytes(b"\xff" * 16)
    result = _run(fx_data, str(broken))
    assert result.exit_code == 1 and "Error: broken.safetensors" in result.output
