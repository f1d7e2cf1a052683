"""What the files kept beside a weights file declare about it: Civitai JSON, Hugging Face README front matter.

Every value becomes a :class:`Claim` naming the sidecar and the field it came from, with status
``self-declared``: whoever uploaded the model wrote it, and nothing here checks it. Formats read:

* ``<name>.civitai.info`` (Civitai Helper for A1111/Forge): the Civitai API's model-version object
  (``baseModel``, ``name`` = version, ``model.name``, ``files[].hashes.SHA256``); permissions only when the
  writer copied the model's fields in (``allowCommercialUse`` ...), which the version endpoint lacks;
* ``<name>.metadata.json`` (ComfyUI LoRA Manager): ``model_name``, ``base_model``, ``sha256`` and the version
  object under ``civitai`` (permissions under ``civitai.model`` or top level);
* ``<name>.json``: either the same Civitai objects, or AUTOMATIC1111's own card notes (``sd version``);
* ``<name>.cm-info.json`` (Stability Matrix): ``ModelName``, ``VersionName``, ``BaseModel``, ``Hashes``;
* ``README.md`` at the root of a Hugging Face cache snapshot: YAML front matter ``license``,
  ``license_name``, ``base_model``, ``base_model_relation``.

Nothing is filled in: a permission absent from every sidecar stays absent (the verdict stage turns that into
``unknown``), and a field of the wrong type is dropped with a warning. Sidecars over :data:`MAX_SIDECAR`
bytes are not read.

>>> info = {"name": "v2", "baseModel": "SDXL 1.0", "model": {"name": "Ink", "type": "LORA"},
...         "allowCommercialUse": "Image", "allowNoCredit": False}
>>> d = Declared(); civitai_claims(info, "ink.civitai.info", d)
>>> [(c.field, c.value) for c in d.claims]  # doctest: +NORMALIZE_WHITESPACE
[('version_name', 'v2'), ('base_model', 'SDXL 1.0'), ('model_name', 'Ink'), ('model_type', 'LORA'),
 ('allowNoCredit', False), ('allowCommercialUse', ['Image'])]
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from lineage.scan.walk import SIDECAR_SUFFIXES

MAX_SIDECAR = 4 * 1024 * 1024
MAX_FRONT_MATTER = 256 * 1024
#: Sidecar suffixes tried next to ``name.safetensors`` (the stem plus each of these), in this order.
SUFFIXES: tuple[str, ...] = SIDECAR_SUFFIXES
COMMERCIAL_VALUES = ("None", "Image", "RentCivit", "Rent", "Sell")
#: The old single-string ``allowCommercialUse`` was a ladder: each level included the ones before it.
COMMERCIAL_LADDER: dict[str, list[str]] = {
    "None": ["None"], "Image": ["Image"], "RentCivit": ["Image", "RentCivit"],
    "Rent": ["Image", "RentCivit", "Rent"], "Sell": ["Image", "RentCivit", "Rent", "Sell"],
}
BOOL_FLAGS = ("allowNoCredit", "allowDerivatives", "allowDifferentLicense")
PERMISSIONS = ("allowNoCredit", "allowCommercialUse", "allowDerivatives", "allowDifferentLicense")


@dataclass(frozen=True)
class Claim:
    """One declared value: ``field`` (e.g. ``base_model``, ``license``, ``allowCommercialUse``), where from."""

    field: str
    value: Any
    source: str  # "<sidecar file>#<json path>"
    status: str = "self-declared"


@dataclass
class Declared:
    """Everything the sidecars of one file declare, and what was wrong with them."""

    claims: list[Claim] = field(default_factory=list)
    sidecars: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def first(self, name: str) -> Claim | None:
        return next((c for c in self.claims if c.field == name), None)

    def all(self, name: str) -> list[Claim]:
        return [c for c in self.claims if c.field == name]

    def add(self, name: str, value: Any, source: str) -> None:
        if value not in (None, "", []):
            self.claims.append(Claim(name, value, source))

    def to_dict(self) -> dict[str, Any]:
        claims = [{"field": c.field, "value": c.value, "source": c.source, "status": c.status} for c in self.claims]
        return {"claims": claims, "sidecars": list(self.sidecars), "warnings": list(self.warnings)}


def sidecar_paths(weights: Path) -> list[Path]:
    """The sidecar files that may describe ``weights`` (they need not exist)."""
    stem = weights.name[: -len(weights.suffix)] if weights.suffix else weights.name
    return [weights.with_name(stem + s) for s in SUFFIXES]


def snapshot_readme(weights: Path, hf_repo: str | None) -> Path | None:
    """The ``README.md`` at the root of the Hugging Face snapshot holding ``weights``, if it is in one."""
    if not hf_repo:
        return None
    parts = weights.parts
    for i in range(len(parts) - 2, 0, -1):
        if parts[i - 1] == "snapshots":
            return Path(*parts[: i + 1]) / "README.md"
    return None


def read_small(path: Path, limit: int, declared: Declared) -> str | None:
    """The text of ``path`` when it is a regular file of at most ``limit`` bytes; else a warning and ``None``."""
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):
            declared.warnings.append(f"{path.name}: not a regular file; not read")
            return None
        if st.st_size > limit:
            declared.warnings.append(f"{path.name}: {st.st_size:,} bytes, over the {limit:,}-byte sidecar limit; "
                                     "not read")
            return None
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                declared.warnings.append(f"{path.name}: not a regular file; not read")
                return None
            raw = fh.read(limit + 1)
    except OSError as err:
        declared.warnings.append(f"{path.name}: cannot be read ({err.strerror or err})")
        return None
    if len(raw) > limit:
        declared.warnings.append(f"{path.name}: grew past the {limit:,}-byte sidecar limit while read; not read")
        return None
    return raw.decode("utf-8", errors="replace")


def read_sidecars(weights: Path, hf_repo: str | None = None) -> Declared:
    """Read every sidecar of ``weights`` that exists; never raises for a bad sidecar (it becomes a warning)."""
    declared = Declared()
    for path in sidecar_paths(weights):
        if not os.path.lexists(path):
            continue
        text = read_small(path, MAX_SIDECAR, declared)
        if text is None:
            continue
        declared.sidecars.append(str(path))
        try:
            obj = json.loads(text)
        except (ValueError, RecursionError) as err:
            declared.warnings.append(f"{path.name}: not valid JSON ({str(err)[:80]}); ignored")
            continue
        if not isinstance(obj, dict):
            declared.warnings.append(f"{path.name}: not a JSON object; ignored")
            continue
        _json_sidecar(obj, path.name, declared)
    readme = snapshot_readme(weights, hf_repo)
    if readme is not None and os.path.lexists(readme):
        text = read_small(readme, MAX_SIDECAR, declared)
        if text is not None:
            declared.sidecars.append(str(readme))
            front_matter_claims(text, f"{hf_repo}/README.md", declared)
    return declared


def _json_sidecar(obj: dict[str, Any], name: str, declared: Declared) -> None:
    if "civitai" in obj or "base_model" in obj or "model_name" in obj:  # ComfyUI LoRA Manager
        for key, target in (("model_name", "model_name"), ("base_model", "base_model"), ("sha256", "sha256")):
            _string(obj, key, target, f"{name}#{key}", declared)
        civitai = obj.get("civitai")
        if isinstance(civitai, dict):
            civitai_claims(civitai, f"{name}#civitai", declared)
        elif civitai is not None:
            declared.warnings.append(f"{name}: civitai is {type(civitai).__name__}, not an object; ignored")
        _permissions(obj, f"{name}#", declared)
    elif "ModelName" in obj or "VersionName" in obj:  # Stability Matrix
        for key, target in (("ModelName", "model_name"), ("VersionName", "version_name"),
                            ("BaseModel", "base_model")):
            _string(obj, key, target, f"{name}#{key}", declared)
        hashes = obj.get("Hashes")
        if isinstance(hashes, dict):
            _string(hashes, "SHA256", "sha256", f"{name}#Hashes.SHA256", declared)
    elif "sd version" in obj or "activation text" in obj:  # AUTOMATIC1111's own card notes
        _string(obj, "sd version", "base_model", f"{name}#sd version", declared)
    else:
        civitai_claims(obj, name, declared)


def civitai_claims(obj: dict[str, Any], where: str, declared: Declared) -> None:
    """Claims from a Civitai model-version object (or a model object with ``modelVersions``)."""
    sep = "." if "#" in where else "#"
    if isinstance(obj.get("modelVersions"), list):  # a model object: its own name, permissions, first version
        _string(obj, "name", "model_name", f"{where}{sep}name", declared)
        _creator(obj, f"{where}{sep}creator", declared)
        _permissions(obj, f"{where}{sep}", declared)
        versions = [v for v in obj["modelVersions"] if isinstance(v, dict)]
        if versions:
            declared.warnings.append(f"{where}: a model object with {len(versions)} version(s); the first is assumed")
            civitai_claims({k: v for k, v in versions[0].items() if k != "modelVersions"},
                           f"{where}{sep}modelVersions[0]", declared)
        return
    _string(obj, "name", "version_name", f"{where}{sep}name", declared)
    for key in ("id", "modelId"):
        value = obj.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            declared.add("version_id" if key == "id" else "model_id", value, f"{where}{sep}{key}")
    _string(obj, "baseModel", "base_model", f"{where}{sep}baseModel", declared)
    model = obj.get("model")
    if isinstance(model, dict):
        _string(model, "name", "model_name", f"{where}{sep}model.name", declared)
        _string(model, "type", "model_type", f"{where}{sep}model.type", declared)
        _creator(model, f"{where}{sep}model.creator", declared)
        _permissions(model, f"{where}{sep}model.", declared)
    elif model is not None:
        declared.warnings.append(f"{where}: model is {type(model).__name__}, not an object; ignored")
    _creator(obj, f"{where}{sep}creator", declared)
    _permissions(obj, f"{where}{sep}", declared)
    files = obj.get("files")
    if isinstance(files, list):
        for i, f in enumerate(files[:50]):
            hashes = f.get("hashes") if isinstance(f, dict) else None
            if isinstance(hashes, dict) and isinstance(hashes.get("SHA256"), str):
                declared.add("file_sha256", {"name": str(f.get("name", ""))[:300], "sha256": hashes["SHA256"][:64],
                                             "primary": f.get("primary") is True},
                             f"{where}{sep}files[{i}].hashes.SHA256")


def _string(obj: dict[str, Any], key: str, target: str, source: str, declared: Declared) -> None:
    value = obj.get(key)
    if value is None:
        return
    if isinstance(value, str):
        declared.add(target, value[:500], source)
    else:
        declared.warnings.append(f"{source}: {type(value).__name__}, not text; ignored")


def _creator(obj: dict[str, Any], source: str, declared: Declared) -> None:
    creator = obj.get("creator")
    if isinstance(creator, dict) and isinstance(creator.get("username"), str):
        declared.add("creator", creator["username"][:200], source + ".username")


def _permissions(obj: dict[str, Any], prefix: str, declared: Declared) -> None:
    for key in BOOL_FLAGS:
        if key in obj:
            if isinstance(obj[key], bool):
                declared.add(key, obj[key], prefix + key)
            else:
                declared.warnings.append(f"{prefix}{key}: {type(obj[key]).__name__}, not true/false; ignored "
                                         "(the permission stays unknown)")
    if "allowCommercialUse" not in obj:
        return
    value = obj["allowCommercialUse"]
    values: list[str] | None = None
    if isinstance(value, str) and value in COMMERCIAL_LADDER:
        values = COMMERCIAL_LADDER[value]
    elif isinstance(value, list) and value and all(isinstance(v, str) and v in COMMERCIAL_VALUES for v in value):
        values = sorted(set(value), key=COMMERCIAL_VALUES.index)
    elif isinstance(value, list) and not value:
        values = ["None"]
    if values is None:
        declared.warnings.append(f"{prefix}allowCommercialUse: {str(value)[:60]!r} is not one of "
                                 f"{', '.join(COMMERCIAL_VALUES)}; ignored (the permission stays unknown)")
    else:
        declared.add("allowCommercialUse", values, prefix + "allowCommercialUse")


def front_matter_claims(text: str, where: str, declared: Declared) -> None:
    """Claims from a model card's YAML front matter (``license``, ``license_name``, ``base_model``).

    >>> d = Declared()
    >>> front_matter_claims("---\\nlicense: other\\nlicense_name: flux-1-dev-non-commercial-license\\n"
    ...                     "base_model: black-forest-labs/FLUX.1-dev\\n---\\n# Card", "x/README.md", d)
    >>> [(c.field, c.value) for c in d.claims]  # doctest: +NORMALIZE_WHITESPACE
    [('license', 'other'), ('license_name', 'flux-1-dev-non-commercial-license'),
     ('base_model', 'black-forest-labs/FLUX.1-dev')]
    """
    if not text.startswith("---"):
        return
    end = text.find("\n---", 3)
    if end < 0 or end > MAX_FRONT_MATTER:
        declared.warnings.append(f"{where}: front matter unterminated or over {MAX_FRONT_MATTER:,} characters")
        return
    try:
        meta = yaml.safe_load(text[3:end])
    except yaml.YAMLError as err:
        declared.warnings.append(f"{where}: front matter is not valid YAML ({str(err).splitlines()[0][:80]})")
        return
    if not isinstance(meta, dict):
        return
    for key in ("license", "license_name", "license_link"):
        _string(meta, key, key, f"{where}#{key}", declared)
    base = meta.get("base_model")
    bases = [base] if isinstance(base, str) else base if isinstance(base, list) else []
    for i, b in enumerate(bases[:8]):
        if isinstance(b, str):
            declared.add("base_model", b[:300], f"{where}#base_model" + (f"[{i}]" if isinstance(base, list) else ""))
    _string(meta, "base_model_relation", "base_model_relation", f"{where}#base_model_relation", declared)
