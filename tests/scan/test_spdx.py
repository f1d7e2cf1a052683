"""SPDX 2.3 JSON documents of a model, a scan and a workflow pass the spdx-tools validator with no message."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from lineage.cli import main
from lineage.core.graph import load_graph
from lineage.scan.spdx import model_spdx, scan_spdx, validate, workflow_spdx
from tests.scan.conftest import V2, scan_and_workflow, write


def _by_name(doc: dict) -> dict[str, dict]:
    return {p["name"]: p for p in doc["packages"]}


def _rels(doc: dict) -> set[tuple[str, str, str]]:
    return {(r["spdxElementId"], r["relationshipType"], r["relatedSpdxElement"]) for r in doc["relationships"]}


def test_shipped_model_packages_licenses_and_relationships() -> None:
    text = model_spdx(load_graph(), "anima-preview")
    assert validate(text) == []
    doc = json.loads(text)
    assert doc["spdxVersion"] == "SPDX-2.3" and doc["dataLicense"] == "CC0-1.0"
    packages = {p["SPDXID"]: p for p in doc["packages"]}
    anima, qwen = packages["SPDXRef-node-anima-preview"], packages["SPDXRef-node-qwen3-0.6b-base"]
    assert qwen["licenseConcluded"] == "Apache-2.0"
    assert qwen["checksums"][0]["algorithm"] == "SHA256" and len(qwen["checksums"][0]["checksumValue"]) == 64
    assert "LicenseRef-circlestone-nc-1.0" in anima["licenseConcluded"].split(" AND ")
    assert anima["downloadLocation"] == "NOASSERTION"
    extracted = {e["licenseId"]: e for e in doc["hasExtractedLicensingInfos"]}
    assert extracted["LicenseRef-circlestone-nc-1.0"]["name"].startswith("CircleStone")
    assert extracted["LicenseRef-circlestone-nc-1.0"]["seeAlsos"][0].startswith("https://")
    rels = _rels(doc)
    assert ("SPDXRef-DOCUMENT", "DESCRIBES", anima["SPDXID"]) in rels
    assert (anima["SPDXID"], "DEPENDS_ON", qwen["SPDXID"]) in rels
    assert (anima["SPDXID"], "DESCENDANT_OF", "SPDXRef-node-cosmos-predict2-2b-t2i") in rels


def test_scan_and_workflow_documents(sg, tmp_path: Path) -> None:
    scan, workflow = scan_and_workflow(sg, tmp_path, {"name": "Ink", "allowCommercialUse": ["Image"]})
    text = scan_spdx(sg, scan.to_dict())
    assert validate(text) == []
    doc = json.loads(text)
    packages = _by_name(doc)
    v2, ink, sdxl = packages["v2.safetensors"], packages["ink.safetensors"], packages["SDXL 1.0"]
    assert v2["checksums"][0]["checksumValue"] == scan.files[0].sha256
    assert v2["licenseConcluded"] == "LicenseRef-nc-lic"  # the curated release's license, not a guess
    assert ink["licenseConcluded"] == "NOASSERTION" and ink["licenseDeclared"] == "NOASSERTION"  # unknown
    assert sdxl["licenseConcluded"] == "Apache-2.0"
    rels = _rels(doc)
    assert ("SPDXRef-scan", "CONTAINS", ink["SPDXID"]) in rels
    assert (ink["SPDXID"], "DESCENDANT_OF", sdxl["SPDXID"]) in rels
    assert (v2["SPDXID"], "DESCENDANT_OF", packages["Illustrious XL v2.0"]["SPDXID"]) in rels
    wtext = workflow_spdx(sg, workflow.to_dict())
    assert validate(wtext) == []
    wdoc = json.loads(wtext)
    root = _by_name(wdoc)["wf.json"]
    assert "verdict sell-outputs: no" in root["comment"]
    depends = [r for r in wdoc["relationships"] if r["relationshipType"] == "DEPENDS_ON"
               and r["spdxElementId"] == root["SPDXID"]]
    assert len(depends) == 2 and any("strength 0.6" in r["comment"] for r in depends)


def test_validation_reports_a_broken_document(sg) -> None:
    doc = json.loads(model_spdx(sg, "sdxl-1.0"))
    doc["packages"][0]["licenseConcluded"] = "LicenseRef-not-declared-anywhere"
    assert validate(json.dumps(doc)) != []


def test_cli_spdx_outputs(sg_data: Path, tmp_path: Path) -> None:
    models = tmp_path / "models"
    write(models / "checkpoints" / "v2.safetensors", V2)
    out = tmp_path / "scan.spdx.json"
    result = CliRunner().invoke(main, ["--data", str(sg_data), "scan", str(models), "--spdx", str(out),
                                       "--cache", str(tmp_path / "c.sqlite")])
    assert result.exit_code == 0, result.output
    assert validate(out.read_text()) == [] and sorted(p.name for p in tmp_path.iterdir() if "spdx" in p.name) == [
        "scan.spdx.json"]  # atomic: no temporary file left
    bom = CliRunner().invoke(main, ["--data", str(sg_data), "bom", "SDXL 1.0", "--format", "spdx"])
    assert bom.exit_code == 0 and validate(bom.stdout) == []
    default = CliRunner().invoke(main, ["--data", str(sg_data), "bom", "SDXL 1.0"])
    assert '"bomFormat": "CycloneDX"' in default.stdout
    bad = CliRunner().invoke(main, ["--data", str(sg_data), "scan", str(models), "--spdx",
                                    str(tmp_path / "missing" / "x.json"), "--cache", str(tmp_path / "c.sqlite")])
    assert bad.exit_code != 0 and "--spdx" in bad.output and "Traceback" not in bad.output


def test_self_declared_license_is_declared_only_when_it_names_a_known_spdx_id(sg) -> None:
    def file(name: str, value: str) -> dict:
        return {"name": name, "path": f"loras/{name}", "kind": "lora", "status": "ok", "placement": {},
                "verdicts": {}, "declared": {"claims": [{"field": "license", "value": value}]}}

    text = scan_spdx(sg, {"roots": ["loras"], "files": [file("a.safetensors", "apache-2.0"),
                                                        file("b.safetensors", "other")]})
    assert validate(text) == []
    packages = _by_name(json.loads(text))
    assert packages["a.safetensors"]["licenseDeclared"] == "Apache-2.0"
    assert packages["a.safetensors"]["licenseConcluded"] == "NOASSERTION"  # a claim nobody checked
    assert packages["b.safetensors"]["licenseDeclared"] == "NOASSERTION"
    assert "self-declared license: other" in packages["b.safetensors"]["comment"]
