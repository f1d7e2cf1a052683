"""Sidecar formats, written in the shapes the Civitai API and the common managers write, and bad sidecars."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lineage.scan.sidecars import MAX_SIDECAR, read_sidecars
from tests.scan.conftest import lora, write

# The Civitai API's model-version object (GET /api/v1/model-versions/by-hash/{hash}), as Civitai Helper saves
# it in <name>.civitai.info; the version endpoint has no permission fields.
CIVITAI_INFO = {
    "id": 2514310, "modelId": 827184, "name": "v16.0", "baseModel": "Illustrious", "baseModelType": "Standard",
    "air": "urn:air:sdxl:checkpoint:civitai:827184@2514310", "trainedWords": [],
    "model": {"name": "WAI-illustrious-SDXL", "type": "Checkpoint", "nsfw": False, "poi": False},
    "files": [{"name": "wai.safetensors", "type": "Model", "primary": True,
               "hashes": {"AutoV2": "ABCDEF0123", "SHA256": "AB" * 32}}],
}
# A model object (GET /api/v1/models/{id}): permissions at top level, versions in modelVersions.
CIVITAI_MODEL = {
    "id": 4384, "name": "DreamShaper", "type": "Checkpoint", "allowNoCredit": True,
    "allowCommercialUse": ["Image", "RentCivit"], "allowDerivatives": False, "allowDifferentLicense": False,
    "creator": {"username": "Lykon"}, "modelVersions": [{"id": 128713, "name": "8", "baseModel": "SD 1.5"}],
}
# ComfyUI LoRA Manager's <name>.metadata.json: the version object under "civitai", permissions in civitai.model.
LORA_MANAGER = {
    "file_name": "ink", "model_name": "Ink Style", "file_path": "/m/loras/ink.safetensors", "size": 1,
    "modified": 1.0, "sha256": "cd" * 32, "base_model": "SDXL 1.0", "preview_url": "", "tags": [],
    "civitai": {"id": 11, "modelId": 22, "name": "v2", "baseModel": "SDXL 1.0", "trainedWords": ["ink"],
                "model": {"name": "Ink Style", "type": "LORA", "allowNoCredit": False,
                          "allowCommercialUse": ["None"], "allowDerivatives": True, "allowDifferentLicense": False},
                "creator": {"username": "someone"}},
}
# AUTOMATIC1111's own card notes, <name>.json.
A1111_NOTES = {"description": "my style", "sd version": "SDXL", "activation text": "ink style",
               "preferred weight": 0.8, "notes": ""}
# Stability Matrix's <name>.cm-info.json.
STABILITY_MATRIX = {"ModelId": 1, "VersionId": 2, "ModelName": "Ink", "VersionName": "v1", "BaseModel": "Pony",
                    "Hashes": {"SHA256": "EF" * 32}, "ModelType": "LORA"}


def claims(declared) -> dict[str, list]:
    out: dict[str, list] = {}
    for c in declared.claims:
        out.setdefault(c.field, []).append(c.value)
    return out


@pytest.mark.parametrize(("suffix", "sidecar", "expected"), [
    (".civitai.info", CIVITAI_INFO, {"base_model": ["Illustrious"], "version_name": ["v16.0"],
                                     "model_name": ["WAI-illustrious-SDXL"], "version_id": [2514310]}),
    (".json", CIVITAI_MODEL, {"model_name": ["DreamShaper"], "creator": ["Lykon"], "allowNoCredit": [True],
                              "allowCommercialUse": [["Image", "RentCivit"]], "allowDerivatives": [False],
                              "base_model": ["SD 1.5"], "version_name": ["8"]}),
    (".metadata.json", LORA_MANAGER, {"base_model": ["SDXL 1.0", "SDXL 1.0"], "allowCommercialUse": [["None"]],
                                      "allowNoCredit": [False], "creator": ["someone"], "version_name": ["v2"]}),
    (".json", A1111_NOTES, {"base_model": ["SDXL"]}),
    (".cm-info.json", STABILITY_MATRIX, {"model_name": ["Ink"], "version_name": ["v1"], "base_model": ["Pony"]}),
])
def test_sidecar_formats(tmp_path: Path, suffix: str, sidecar: dict, expected: dict) -> None:
    path = write(tmp_path / "ink.safetensors", lora(), sidecar, suffix)
    declared = read_sidecars(path)
    got = claims(declared)
    for key, values in expected.items():
        assert got.get(key) == values, key
    assert declared.sidecars == [str(path.with_name("ink" + suffix))]
    if suffix == ".civitai.info":  # the version endpoint carries no permissions: none are invented
        assert not any(k.startswith("allow") for k in got)
        assert got["file_sha256"][0]["sha256"] == "AB" * 32


def test_old_string_permission_is_a_ladder_and_every_claim_names_its_source(tmp_path: Path) -> None:
    path = write(tmp_path / "a.safetensors", lora(), {**CIVITAI_INFO, "allowCommercialUse": "Rent"})
    declared = read_sidecars(path)
    claim = declared.first("allowCommercialUse")
    assert claim.value == ["Image", "RentCivit", "Rent"]
    assert claim.source == "a.civitai.info#allowCommercialUse" and claim.status == "self-declared"


@pytest.mark.parametrize("bad", [
    {"allowCommercialUse": "Everything"}, {"allowCommercialUse": [1, 2]}, {"allowNoCredit": "yes"},
    {"allowDerivatives": 1}, {"model": ["not", "an", "object"]}, {"baseModel": {"nested": True}},
])
def test_wrong_types_are_dropped_with_a_warning(tmp_path: Path, bad: dict) -> None:
    path = write(tmp_path / "a.safetensors", lora(), {"name": "v1", **bad})
    declared = read_sidecars(path)
    assert declared.warnings, bad
    assert not any(c.field.startswith("allow") for c in declared.claims)


def test_huge_broken_and_non_object_sidecars(tmp_path: Path) -> None:
    path = write(tmp_path / "a.safetensors", lora())
    (tmp_path / "a.civitai.info").write_bytes(b"{" + b" " * (MAX_SIDECAR + 10) + b"}")
    (tmp_path / "a.metadata.json").write_text("{not json")
    (tmp_path / "a.json").write_text(json.dumps([1, 2, 3]))
    (tmp_path / "a.cm-info.json").write_text("[" * 100_000)
    declared = read_sidecars(path)
    assert declared.claims == []
    text = " ".join(declared.warnings)
    assert "over the" in text and "not valid JSON" in text and "not a JSON object" in text
