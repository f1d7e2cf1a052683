"""The Streamlit page runs standalone and explains what is missing."""

from streamlit.testing.v1 import AppTest

from app.tables import read_table
from tests.inference.tiny import REPO_ROOT


def test_page_without_weights_explains_where_to_get_them(tmp_path, monkeypatch):
    monkeypatch.setenv("LINEAGE_GALLERY", str(tmp_path / "g.sqlite"))
    monkeypatch.delenv("LINEAGE_ANIMA_WEIGHTS", raising=False)
    at = AppTest.from_file(str(REPO_ROOT / "views" / "generate.py"), default_timeout=60).run()
    assert not at.exception
    text = " ".join(i.value for i in at.info)
    assert "circlestone-labs/Anima" in text and "qwen_image_vae.safetensors" in text
    assert at.button[0].disabled


def test_page_generates_with_tiny_weights(tmp_path, monkeypatch, comfy_models, tokenizers_dir):
    monkeypatch.setenv("LINEAGE_GALLERY", str(tmp_path / "g.sqlite"))
    monkeypatch.setenv("LINEAGE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("LINEAGE_ANIMA_WEIGHTS", str(comfy_models))
    monkeypatch.setenv("LINEAGE_TOKENIZERS", str(tokenizers_dir))
    monkeypatch.setenv("LINEAGE_OUTPUTS_DIR", str(tmp_path / "out"))  # Generate writes only inside this folder
    at = AppTest.from_file(str(REPO_ROOT / "views" / "generate.py"), default_timeout=120).run()
    at.number_input[1].set_value(2)  # steps
    at.number_input[4].set_value(256)  # width
    at.number_input[5].set_value(256)  # height
    at.text_input(key="out_dir").set_value(str(tmp_path / "out"))
    at.button[0].click().run()
    assert not at.exception and not at.error
    assert list((tmp_path / "out").glob("anima-*.png"))
    assert any("sell-outputs" in m.value for m in at.markdown) or any("graph" in w.value for w in at.warning)
    traced = read_table("".join(h.proto.body for h in at.get("html")))
    assert {r["component"] for r in traced if r.get("component")} >= {"text_encoder", "vae"}, traced
