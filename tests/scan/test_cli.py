"""``lineage scan`` and ``lineage bom`` driven in-process: every output format, exit codes, usage errors."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from lineage.cli import main
from lineage.scan.bom import validate
from tests.scan.conftest import V1, lora, write


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    models = tmp_path / "ComfyUI" / "models"
    write(models / "checkpoints" / "illustrious-v1.safetensors", V1)
    write(models / "loras" / "ink.safetensors", lora(), {"name": "v3", "baseModel": "SDXL 1.0", "model": {
        "name": "Ink", "allowCommercialUse": ["None"]}})
    write(models / "loras" / "old.pt", b"PK\x03\x04" + bytes(26) + b"archive/data.pkl")
    return tmp_path / "ComfyUI"


def run(sg_data: Path, tmp_path: Path, *args: str):
    return CliRunner().invoke(main, ["--data", str(sg_data), "scan", *args, "--cache", str(tmp_path / "c.sqlite")])


def test_table_grouped_by_kind_and_refused_listed_with_exit_0(sg_data: Path, folder: Path, tmp_path: Path) -> None:
    result = run(sg_data, tmp_path, str(folder))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert re.search(r"^checkpoint \(1\)$", out, re.M) and re.search(r"^lora \(1\)$", out, re.M)
    assert "Refused (never opened) (1)" in out and "old.pt" in out
    line = next(ln for ln in out.splitlines() if ln.startswith("ink.safetensors"))
    assert "scanned, base sdxl-1.0" in line and line.split()[5] == "NO"  # sell-out column
    assert "3 files: 2 judged, 1 refused" in out


def test_json_csv_html_and_cyclonedx(sg_data: Path, folder: Path, tmp_path: Path) -> None:
    data = json.loads(run(sg_data, tmp_path, str(folder), "--json").stdout)
    assert {f["name"] for f in data["files"]} == {"illustrious-v1.safetensors", "ink.safetensors", "old.pt"}
    assert data["summary"]["refused"] == 1 and data["stats"]["opened"] == 2
    rows = list(csv.DictReader(io.StringIO(run(sg_data, tmp_path, str(folder), "--csv").stdout)))
    ink = next(r for r in rows if r["name"] == "ink.safetensors")
    assert ink["sell-outputs"] == "no" and ink["base"] == "sdxl-1.0" and "Civitai" not in ink["version_assumed"]
    page = tmp_path / "report.html"
    bom = tmp_path / "bom.json"
    result = run(sg_data, tmp_path, str(folder), "--html", str(page), "--cyclonedx", str(bom))
    assert result.exit_code == 0
    text = page.read_text()
    assert "<svg" in text and "Files per base family" in text and "ink.safetensors" in text
    assert not re.search(r"""(src|href)\s*=\s*["']?https?:""", text) and "<script" not in text
    assert validate(bom.read_text()) is None


def test_workflow_and_bom_commands(sg_data: Path, folder: Path, tmp_path: Path) -> None:
    wf = tmp_path / "wf.json"
    wf.write_text(json.dumps({"1": {"class_type": "LoraLoader", "inputs": {"lora_name": "ink.safetensors",
                                                                           "strength_model": 0.8}}}))
    result = run(sg_data, tmp_path, str(folder), "--workflow", str(wf))
    assert result.exit_code == 0
    assert re.search(r"sell-outputs\s+no\s+decided by ink.safetensors", result.stdout)
    only = run(sg_data, tmp_path, "--workflow", str(wf))  # no folder: the cache remembers ink.safetensors
    assert "via scan cache" in only.stdout
    bom = CliRunner().invoke(main, ["--data", str(sg_data), "bom", "Illustrious XL v1.0"])
    assert bom.exit_code == 0 and validate(bom.stdout) is None


@pytest.mark.parametrize(("args", "code", "message"), [
    ([], 2, "give at least one folder"),
    (["--json", "--csv", "."], 2, "choose one"),
    (["--json", "--cyclonedx", "-", "."], 2, "choose one"),
])
def test_usage_errors(sg_data: Path, tmp_path: Path, args: list[str], code: int, message: str) -> None:
    result = run(sg_data, tmp_path, *args)
    assert result.exit_code == code and message in result.output


def test_bad_workflow_is_a_clear_error(sg_data: Path, tmp_path: Path) -> None:
    wf = tmp_path / "wf.json"
    wf.write_text("{oops")
    result = run(sg_data, tmp_path, "--workflow", str(wf))
    assert result.exit_code == 1 and result.output.startswith("Error: wf.json: not valid JSON")
