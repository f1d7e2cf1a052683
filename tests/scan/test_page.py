"""The "My models" page runs headless (AppTest): it scans only the folders LINEAGE_MODELS_DIR names."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.tables import read_table
from tests.scan.conftest import V1, lora, write

ROOT = Path(__file__).resolve().parents[2]


def _app(sg_data: Path, monkeypatch: pytest.MonkeyPatch, models: str | None):
    testing = pytest.importorskip("streamlit.testing.v1")
    monkeypatch.setenv("LINEAGE_DATA", str(sg_data))
    if models is None:
        monkeypatch.delenv("LINEAGE_MODELS_DIR", raising=False)
    else:
        monkeypatch.setenv("LINEAGE_MODELS_DIR", models)
    monkeypatch.chdir(ROOT)
    at = testing.AppTest.from_file(str(ROOT / "views" / "my_models.py"), default_timeout=60)
    at.run()
    assert not at.exception
    return at


def test_without_configured_folders_it_explains(sg_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _app(sg_data, monkeypatch, None)
    assert "LINEAGE_MODELS_DIR" in at.info[0].value and not at.button


def test_scan_a_configured_folder_and_refuse_others(sg_data: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    models = tmp_path / "models"
    write(models / "checkpoints" / "illustrious-v1.safetensors", V1)
    write(models / "loras" / "ink.safetensors", lora(), {"name": "v1", "baseModel": "SDXL 1.0", "model": {
        "name": "Ink", "allowCommercialUse": ["None"]}})
    write(models / "loras" / "old.ckpt", b"\x80\x04")
    at = _app(sg_data, monkeypatch, f"{models}:{tmp_path / 'absent'}")
    assert at.selectbox[0].options == [str(models.resolve())]
    at.button[0].click().run()
    assert not at.exception
    assert [m.value for m in at.metric] == ["3", "2", "1", "0"]
    table = read_table("".join(h.proto.body for h in at.get("html")))
    ink = next(r for r in table if r.get("file") == "ink.safetensors")
    assert ink["sell-outputs"] == "no" and ink["is"] == "scanned, base sdxl-1.0"
    assert (tmp_path / "cache" / "scan.sqlite").is_file()  # the default cache, under $LINEAGE_CACHE_DIR
    at.text_input[0].set_value("../../..").run()
    assert "outside the folders this server may read" in at.error[0].value
