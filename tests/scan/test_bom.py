"""CycloneDX 1.6 ML-BOMs of a model, a scan and a workflow validate against the library's JSON schema."""

from __future__ import annotations

import json
from pathlib import Path

from lineage.scan.bom import model_bom, scan_bom, validate, workflow_bom
from tests.scan.conftest import scan_and_workflow


def test_model_bom_has_licenses_hashes_and_pedigree(sg) -> None:
    text = model_bom(sg, "illustrious-xl-v2.0")
    assert validate(text) is None
    bom = json.loads(text)
    assert bom["specVersion"] == "1.6"
    root = bom["metadata"]["component"]
    assert root["type"] == "machine-learning-model" and root["name"] == "Illustrious XL v2.0"
    assert root["hashes"][0]["alg"] == "SHA-256"
    assert root["licenses"][0]["license"]["name"].startswith("Non-Commercial License")
    ancestors = [a["name"] for a in root["pedigree"]["ancestors"]]
    assert ancestors == ["Illustrious XL v1.0", "SDXL 1.0"]
    assert root["pedigree"]["ancestors"][1]["licenses"][0]["license"]["id"] == "Apache-2.0"
    props = {p["name"]: p["value"] for p in root["properties"]}
    assert props["lineage:verdict:sell-outputs"] == "no"


def test_scan_and_workflow_boms_validate(sg, tmp_path: Path) -> None:
    scan, workflow = scan_and_workflow(sg, tmp_path, {"name": "Ink", "allowCommercialUse": ["Image"],
                                                      "allowNoCredit": False})
    text = scan_bom(sg, scan.to_dict())
    assert validate(text) is None
    components = {c["name"]: c for c in json.loads(text)["components"]}
    ink = components["ink.safetensors"]
    assert ink["pedigree"]["ancestors"][0]["name"] == "SDXL 1.0"
    props = {p["name"]: p["value"] for p in ink["properties"]}
    assert props["lineage:scanned-node"] == "true" and props["civitai:allowCommercialUse"] == '["Image"]'
    assert components["v2.safetensors"]["hashes"][0]["content"] == scan.files[0].sha256
    wtext = workflow_bom(sg, workflow.to_dict())
    assert validate(wtext) is None
    wbom = json.loads(wtext)
    assert {p["name"]: p["value"] for p in wbom["metadata"]["component"]["properties"]}[
        "lineage:verdict:sell-outputs"] == "no"
    strength = [p for c in wbom["components"] for p in c["properties"] if p["name"] == "lineage:strength"]
    assert strength[0]["value"] == "0.6"


def test_validation_fails_on_a_broken_bom(sg) -> None:
    bom = json.loads(model_bom(sg, "sdxl-1.0"))
    bom["metadata"]["component"]["type"] = "not-a-type"
    assert validate(json.dumps(bom)) is not None
