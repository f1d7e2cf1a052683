"""Annotated sample sets on tiny weights: prompts x seeds, chunks, captions, contact sheets, one failure."""

import re

import pytest
from click.testing import CliRunner
from PIL import Image

from inference.cli import samples
from inference.png_meta import read_metadata
from inference.samples import SamplesError, load_prompts

PROMPTS = """\
settings: {steps: 2, width: 32, height: 32, negative: "lowres"}
seeds: [1, 2]
prompts:
  - "1girl, smile"
  - {name: cat, prompt: "a (cat:1.2)", seeds: [5]}
  - {name: broken, prompt: "too wide", width: 50, seeds: [3]}
"""


def test_sample_set_end_to_end(tmp_path, monkeypatch, comfy_models, tokenizers_dir):
    monkeypatch.setenv("LINEAGE_CACHE_DIR", str(tmp_path / "cache"))
    prompts = tmp_path / "prompts.yaml"
    prompts.write_text(PROMPTS)
    out = tmp_path / "set"
    result = CliRunner().invoke(samples, ["--prompts", str(prompts), "--out", str(out), "--comfy-models",
                                          str(comfy_models), "--tokenizers", str(tokenizers_dir), "--device", "cpu"])
    # the broken entry fails alone: exit 1, the three others are written
    assert result.exit_code == 1 and "1 of 4 images failed" in result.output, result.output
    assert "broken-s3: FAILED: width and height must be positive multiples of 16" in result.output
    written = sorted(p.name for p in out.glob("*.png"))
    assert written == ["001-s1.caption.png", "001-s1.png", "001-s2.caption.png", "001-s2.png", "cat-s5.caption.png",
                       "cat-s5.png", "contact-sheet.png"]
    meta = read_metadata(out / "cat-s5.png")
    assert meta["parameters"].startswith("a (cat:1.2)\nNegative prompt: lowres\nSteps: 2")
    lineage = meta["lineage"]
    assert lineage["settings"]["seed"] == 5 and lineage["sample_set"] == "cat-s5"
    assert {f["component"] for f in lineage["trace"]["files"]} == {"dit", "text_encoder", "vae"}
    assert Image.open(out / "cat-s5.caption.png").size[1] > 32
    assert read_metadata(out / "001-s1.png")["lineage"]["trace"] == lineage["trace"]

    page = (out / "contact-sheet.html").read_text()
    assert page.count("data:image/png;base64,") == 3 and "<img src='http" not in page  # self-contained
    assert "sell-outputs" in page and "train-on-outputs" in page
    for use, answer in lineage["trace"]["verdicts"].items():
        assert re.search(rf"<b>{use}</b>: {answer['verdict']}", page)
    for component in ("text_encoder", "dit", "vae"):
        assert f"<td>{component}</td>" in page
    assert "Qwen3-0.6B-Base" in page and "Qwen-Image VAE" in page  # graph names of the components
    assert "failed: width and height must be positive multiples of 16" in page
    assert str(tmp_path) not in page
    sheet = Image.open(out / "contact-sheet.png")
    assert sheet.size[0] == 4 * 256 and sheet.size[1] > 256


@pytest.mark.parametrize("text,message", [
    ("prompts: []", "expected a 'prompts' list"),
    ("prompts: ['a']\nseeds: [-1]", "seeds must be"),
    ("prompts: [{prompt: a, colour: red}]", "prompts[1]: unknown field(s) ['colour']"),
    ("settings: {stepz: 3}\nprompts: ['a']", "settings: unknown field(s) ['stepz']"),
    ("prompts: [a\n", "not valid YAML at line"),
])
def test_bad_prompts_files_are_one_line_errors(tmp_path, text, message):
    path = tmp_path / "p.yaml"
    path.write_text(text)
    with pytest.raises(SamplesError, match=re.escape(message)):
        load_prompts(path)
    result = CliRunner().invoke(samples, ["--prompts", str(path), "--out", str(tmp_path / "o"),
                                          "--comfy-models", str(tmp_path)])
    assert result.exit_code == 1 and message in result.output and "Traceback" not in result.output
