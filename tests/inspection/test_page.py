"""The Inspect page runs headless (AppTest) against the test data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.tables import read_table
from tests.inspection import builders as b

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def app(fx_data: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    testing = pytest.importorskip("streamlit.testing.v1")
    monkeypatch.setenv("LINEAGE_DATA", str(fx_data))
    monkeypatch.setenv("LINEAGE_MODELS_DIR", str(tmp_path))  # the page reads server files only in this folder
    monkeypatch.chdir(ROOT)
    at = testing.AppTest.from_file(str(ROOT / "views" / "inspect.py"), default_timeout=30)
    at.run()
    assert not at.exception
    return at


def test_server_path_shows_identification_trace_and_verdicts(app, tmp_path: Path) -> None:
    path = b.write_safetensors(tmp_path / "flux1-dev.safetensors", b.FLUX1_DEV)
    app.radio[0].set_value("A weights file on the server").run()
    app.text_input[0].set_value(str(path)).run()
    assert not app.exception
    assert "flux1-dev.safetensors: weights" in app.subheader[0].value
    dot = app.get("graphviz_chart")[0].proto.spec
    assert '"flux1-dev" -> "flux1-ae"' in dot
    assert any("sell-outputs" in m.value and "no" in m.value for m in app.markdown)


def test_png_on_server_and_refusal(app, tmp_path: Path) -> None:
    png = tmp_path / "c.png"
    png.write_bytes(b.png_bytes(b.text_chunk("prompt", json.dumps(b.comfy_prompt()))))
    app.radio[0].set_value("A weights file on the server").run()
    app.text_input[0].set_value(str(png)).run()
    assert "c.png: image" in app.subheader[0].value
    bad = tmp_path / "m.ckpt"
    bad.write_bytes(b"\x80\x04.")
    app.text_input[0].set_value(str(bad)).run()
    assert "pickle" in app.error[0].value and not app.exception


def test_uploaded_comfy_png_is_judged_as_a_workflow(app) -> None:
    """A PNG ComfyUI saved: besides the file report, the page answers for the combination its workflow loads."""
    from lineage.answers.reasoner import USE_LABELS

    prompt = b.comfy_prompt()
    app.file_uploader[0].upload("c.png", b.png_bytes(b.text_chunk("prompt", json.dumps(prompt))), "image/png")
    app.run()
    assert not app.exception
    shown = " ".join(m.value for m in app.markdown)
    assert "May I use images made with this workflow?" in shown
    table = [r for r in read_table("".join(h.proto.body for h in app.get("html"))) if "use" in r]
    assert [r["use"] for r in table] == list(USE_LABELS.values())
    assert {r["verdict"] for r in table} <= {"yes", "conditional", "unknown", "depends", "disputed", "no"}
