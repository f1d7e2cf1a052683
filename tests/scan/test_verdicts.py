"""Verdicts fail closed: own declared terms only restrict what flows down from the base, and a use no source
states is unknown. A file is judged under its own version's license."""

from __future__ import annotations

import hashlib
from pathlib import Path

from lineage.answers.reasoner import can_i
from lineage.core.schema import USES
from lineage.scan import ScanStore, scan_paths
from tests.scan.conftest import V1, V2, lora, write

STRICT = {"allowNoCredit": False, "allowCommercialUse": ["None"], "allowDerivatives": False,
          "allowDifferentLicense": False}
LOOSE = {"allowNoCredit": True, "allowCommercialUse": ["Image", "RentCivit", "Rent", "Sell"],
         "allowDerivatives": True, "allowDifferentLicense": True}


def version(base: str, model: dict | None = None) -> dict:
    return {"id": 7, "modelId": 3, "name": "v1.0", "baseModel": base,
            "model": {"name": "Ink", "type": "LORA", **(model or {})}}


def scan(graph, tmp_path: Path, compute_hash: bool = False):
    with ScanStore(tmp_path / "cache" / "scan.sqlite") as store:
        result = scan_paths([tmp_path / "models"], graph, store, compute_hash=compute_hash)
    return {f.name: f for f in result.files}, result


def test_lora_stricter_than_its_open_base(sg, tmp_path: Path) -> None:
    write(tmp_path / "models" / "loras" / "strict.safetensors", lora(), version("SDXL 1.0", STRICT))
    f = scan(sg, tmp_path)[0]["strict.safetensors"]
    assert f.placement["base"] == "sdxl-1.0" and f.placement["scanned"] and f.placement["relation"] == "LoRA"
    for use in ("sell-outputs", "commercial-use", "paid-service", "sell-derivatives", "share-derivatives",
                "no-attribution"):
        assert f.verdict(use) == "no", use
        assert f.verdicts[use]["decided_by"] == ["own declared terms"], use
    base_part = f.verdicts["sell-outputs"]["parts"][0]
    assert base_part["part"] == "base: SDXL 1.0" and base_part["verdict"] == "yes"
    own = f.verdicts["sell-outputs"]["parts"][1]
    assert own["source"] == "<file>.civitai.info#model" and "lacks Image" in own["why"]
    # no Civitai flag speaks to training on outputs: unknown, never allowed
    assert f.verdict("train-on-outputs") == "unknown"
    assert "Civitai version 7" in f.placement["version"]


def test_permissive_flags_never_loosen_a_non_commercial_base(sg, tmp_path: Path) -> None:
    write(tmp_path / "models" / "loras" / "loose.safetensors", lora("flux"), version("Flux.1 D", LOOSE))
    f = scan(sg, tmp_path)[0]["loose.safetensors"]
    assert f.placement["base"] == "flux1-dev"
    for use in ("sell-outputs", "commercial-use", "paid-service", "sell-derivatives", "no-attribution"):
        assert f.verdict(use) == "no", use
        assert f.verdicts[use]["decided_by"] == ["base: FLUX.1 [dev]"], use
    assert f.verdict("share-derivatives") == "yes"  # both the base license and the flags allow it


def test_missing_permissions_are_unknown_never_allowed(sg, tmp_path: Path) -> None:
    write(tmp_path / "models" / "loras" / "bare.safetensors", lora(), version("SDXL 1.0"))
    write(tmp_path / "models" / "loras" / "nosidecar.safetensors", lora())
    files, _ = scan(sg, tmp_path)
    for name in ("bare.safetensors", "nosidecar.safetensors"):
        assert {files[name].verdict(u) for u in USES} == {"unknown"}, name
        assert files[name].verdicts["sell-outputs"]["decided_by"] == ["own declared terms"]


def test_each_version_is_judged_under_its_own_license(sg, tmp_path: Path) -> None:
    write(tmp_path / "models" / "checkpoints" / "a.safetensors", V1)
    write(tmp_path / "models" / "checkpoints" / "b.safetensors", V2)
    files, _ = scan(sg, tmp_path, compute_hash=True)
    a, b = files["a.safetensors"], files["b.safetensors"]
    assert a.sha256 == hashlib.sha256(V1).hexdigest() and a.sha256_source == "computed"
    assert (a.placement["node"], a.placement["verified"], a.verdict("sell-outputs")) == ("illustrious-xl-v1.0", True,
                                                                                         "yes")
    assert (b.placement["node"], b.verdict("sell-outputs")) == ("illustrious-xl-v2.0", "no")
    assert "Illustrious XL v2.0 (illustrious-xl-v2.0), identified by sha256" in b.placement["version"]


def test_a_sidecar_hash_names_the_version_without_reading_the_file(sg, tmp_path: Path) -> None:
    sha = hashlib.sha256(V2).hexdigest()
    info = {**version("Illustrious"), "files": [{"name": "c.safetensors", "hashes": {"SHA256": sha.upper()}}]}
    write(tmp_path / "models" / "checkpoints" / "c.safetensors", V2, info)
    c = scan(sg, tmp_path)[0]["c.safetensors"]
    assert c.sha256 is None  # not hashed
    assert c.placement["node"] == "illustrious-xl-v2.0" and not c.placement["verified"]
    assert c.placement["matched_by"] == "sidecar sha256 (c.civitai.info#files[0].hashes.SHA256)"
    assert c.verdict("commercial-use") == "no"


def test_a_family_base_is_judged_over_all_its_releases(sg, tmp_path: Path) -> None:
    """Civitai's base 'Illustrious' does not say which release: the family answer (every release's verdict)
    decides, and loose creator flags cannot lift it to yes."""
    write(tmp_path / "models" / "loras" / "ill.safetensors", lora(), version("Illustrious", LOOSE))
    f = scan(sg, tmp_path)[0]["ill.safetensors"]
    assert f.placement["base"] == "illustrious-xl"
    base_part = f.verdicts["sell-outputs"]["parts"][0]
    family = can_i(sg, "illustrious-xl", "sell-outputs")
    assert base_part["part"] == f"base: {family.model_name}" and base_part["verdict"] == family.verdict
    assert family.members and f.verdict("sell-outputs") != "yes"


def test_curated_release_declared_terms_only_restrict(sg, tmp_path: Path) -> None:
    write(tmp_path / "models" / "checkpoints" / "a.safetensors", V1, version("Illustrious", STRICT))
    write(tmp_path / "models" / "checkpoints" / "b.safetensors", V2, version("Illustrious", LOOSE))
    files, _ = scan(sg, tmp_path, compute_hash=True)
    assert files["a.safetensors"].verdict("sell-outputs") == "no"  # open release, strict creator flags
    assert files["a.safetensors"].verdict("train-on-outputs") == "yes"  # flags silent: the release's license holds
    assert files["b.safetensors"].verdict("sell-outputs") == "no"  # non-commercial release, loose flags


def test_verdicts_are_cached_per_base_and_terms(sg, tmp_path: Path) -> None:
    for i in range(60):
        write(tmp_path / "models" / "loras" / f"l{i}.safetensors", lora(), version("SDXL 1.0", [STRICT, LOOSE][i % 2]))
    files, result = scan(sg, tmp_path)
    assert len(files) == 60
    assert result.stats["reasoner_calls"] == len(USES)  # one base: one answer per use, for all 60 files
    assert result.stats["distinct_answers"] == 2
