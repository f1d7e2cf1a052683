"""Place a scanned file in the graph: the curated release it is, or the base a scanned node derives from.

Order of identification, strongest first: the file's own sha256 listed in the data (``verified``); a sha256
its sidecar gives for it (Civitai ``files[].hashes.SHA256``; a claim); its file name or a Hugging Face repo
name (a guess). A file that matches no curated release becomes a *scanned node*: a fine-tune, LoRA or merge of
the base it declares. The base comes from, in order: the base model's hash in kohya metadata, the sidecars'
``baseModel`` / ``base_model``, kohya/``modelspec`` base hints, the InvokeAI folder, the tensor layout.

>>> from lineage.core.graph import load_graph
>>> g = load_graph()
>>> base_from_text(g, "SDXL 1.0"), base_from_text(g, "Pony"), base_from_text(g, "Not a model")
('sdxl-1.0', 'pony-v6-xl', None)
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from lineage.core.problems import LineageError
from lineage.core.resolve import normalise, resolve
from lineage.files import known_hashes
from lineage.inspection.match import MODEL_KINDS, match_named
from lineage.inspection.metadata import base_node_hint

#: Civitai ``baseModel`` values (normalised) -> node id, where the value names one release (or its family).
CIVITAI_BASES: dict[str, str] = {normalise(k): v for k, v in {
    "SD 1.4": "sd-v1-4", "SD 1.5": "sd-v1-5", "SD 1.5 LCM": "sd-v1-5", "SD 1.5 Hyper": "sd-v1-5",
    "SD 2.0": "sd-2.0-base", "SD 2.0 768": "sd-2.0-v", "SD 2.1": "sd-2.1", "SD 2.1 768": "sd-2.1",
    "SDXL 0.9": "sdxl-0.9", "SDXL 1.0": "sdxl-1.0", "SDXL 1.0 LCM": "sdxl-1.0", "SDXL Hyper": "sdxl-1.0",
    "SD 3": "sd3-medium", "SD 3.5 Large": "sd3.5-large", "SD 3.5 Large Turbo": "sd3.5-large-turbo",
    "SD 3.5 Medium": "sd3.5-medium", "Pony": "pony-v6-xl", "Pony V7": "pony-v7", "Illustrious": "illustrious-xl",
    "NoobAI": "noobai-xl", "Flux.1 D": "flux1-dev", "Flux.1 S": "flux1-schnell", "Flux.1 Krea": "flux1-krea-dev",
    "Flux.1 Kontext": "flux1-kontext-dev", "Flux.2 D": "flux2-dev", "Flux.2 Klein 9B": "flux2-klein-9b",
    "Flux.2 Klein 4B": "flux2-klein-4b", "AuraFlow": "auraflow", "Chroma": "chroma", "PixArt a": "pixart-alpha",
    "PixArt E": "pixart-sigma", "Lumina": "lumina-image-2.0", "Qwen": "qwen-image", "Anima": "anima",
    "Wan Video 1.3B t2v": "wan2.1-t2v-1.3b", "Wan Video 14B t2v": "wan2.1-t2v-14b",
    "Wan Video 14B i2v 480p": "wan2.1-i2v-14b", "Wan Video 14B i2v 720p": "wan2.1-i2v-14b",
    "Wan Video 2.2 TI2V-5B": "wan2.2-ti2v-5b", "Wan Video 2.2 T2V-A14B": "wan2.2-t2v-a14b",
    "Wan Video 2.2 I2V-A14B": "wan2.2-i2v-a14b", "ZImageTurbo": "z-image-turbo",
    # AUTOMATIC1111's own card notes ("sd version")
    "SD1": "sd-v1-5", "SD2": "sd-2.1", "SDXL": "sdxl-1.0",
}.items()}


#: A scanned node's relation to its base, by what its header shows it is.
RELATIONS: dict[str, str] = {
    "lora": "LoRA", "checkpoint": "fine-tune or merge", "diffusion model": "fine-tune or merge",
    "vae": "VAE (fine-tune or copy)", "text encoder": "text encoder (fine-tune or copy)",
}


@dataclass
class Placement:
    """Where a file sits: the curated ``node`` it is, or the ``base`` of the scanned node it becomes."""

    node: str | None = None
    matched_by: str | None = None  # "sha256" | "sidecar sha256" | "name" | "hf repo"
    verified: bool = False
    base: str | None = None
    base_by: str | None = None
    base_source: str | None = None
    version: str = "unknown"  # the version the verdicts assume, in words
    relation: str | None = None  # a scanned node's relation to its base: "LoRA", "fine-tune or merge", ...
    notes: list[str] = field(default_factory=list)

    @property
    def scanned(self) -> bool:
        return self.node is None

    def to_dict(self) -> dict[str, Any]:
        return {"node": self.node, "matched_by": self.matched_by, "verified": self.verified, "base": self.base,
                "base_by": self.base_by, "base_source": self.base_source, "version": self.version,
                "relation": self.relation, "notes": list(self.notes), "scanned": self.scanned}


def _names(graph: nx.MultiDiGraph) -> tuple[dict[str, str], re.Pattern[str] | None, list[str]]:
    """The nodes' file names and compiled file patterns (as :func:`lineage.files.match_weight_file` reads
    them), built once per graph: matching ten thousand names against every pattern must stay cheap."""
    cached = graph.graph.get("_scan_names")
    if cached is None:
        exact: dict[str, str] = {}
        patterns: list[tuple[re.Pattern[str], str]] = []
        for node_id, attrs in graph.nodes(data=True):
            record = attrs.get("record")
            if attrs["kind"] == "license" or record is None:
                continue
            for f in record.files:
                exact.setdefault(f.name.lower(), node_id)
            patterns += [(re.compile(fnmatch.translate(p.lower())), node_id) for p in record.file_patterns]
        # one alternation, tried in order: the first pattern that matches names the node (as fnmatch would)
        combined = re.compile("|".join(f"(?P<p{i}>{p.pattern})" for i, (p, _) in enumerate(patterns)))
        cached = graph.graph["_scan_names"] = (exact, combined if patterns else None, [n for _, n in patterns])
    return cached


def match_name(graph: nx.MultiDiGraph, name: str) -> str | None:
    """The node whose ``files`` or ``file_patterns`` name the file ``name`` (a guess: files get renamed)."""
    exact, combined, nodes = _names(graph)
    base = name.lower()
    if base in exact:
        return exact[base]
    found = combined.match(base) if combined is not None else None
    return nodes[int(found.lastgroup[1:])] if found and found.lastgroup else None


def base_from_text(graph: nx.MultiDiGraph, text: str) -> str | None:
    """The node a declared base (Civitai ``baseModel``, a HF repo id, a model name) names, or ``None``."""
    key = normalise(text)
    if key in CIVITAI_BASES and CIVITAI_BASES[key] in graph:
        return CIVITAI_BASES[key]
    for candidate in (text, text.rsplit("/", 1)[-1]):
        try:
            return resolve(graph, candidate, MODEL_KINDS)
        except LineageError:
            continue
    return None


def _declared(facts: dict[str, Any], name: str) -> list[dict[str, Any]]:
    claims = facts.get("declared", {}).get("claims")
    return [c for c in claims if c["field"] == name] if claims else []


def _describe_version(facts: dict[str, Any]) -> str | None:
    model = next(iter(_declared(facts, "model_name")), None)
    version = next(iter(_declared(facts, "version_name")), None)
    vid = next(iter(_declared(facts, "version_id")), None)
    if not model and not version:
        return None
    text = f"{model['value'] if model else 'a model'}"
    if version:
        text += f", version {version['value']}"
    if vid:
        text += f" (Civitai version {vid['value']})"
    return text + f", as its sidecar declares ({(model or version)['source']})"


def place(graph: nx.MultiDiGraph, facts: dict[str, Any], name: str, hf_repo: str | None = None,
          base_hint: str | None = None) -> Placement:
    """Place the file ``name`` whose facts are ``facts`` (see :func:`lineage.scan.facts.read_facts`)."""
    p = Placement()
    sha = (facts.get("sha256") or "").lower()
    hashes = known_hashes(graph)
    if sha in hashes and hashes[sha] in graph:
        verified = facts.get("sha256_source") in ("computed", "hash cache")
        p.node, p.matched_by, p.verified = hashes[sha], f"sha256 ({facts.get('sha256_source')})", verified
    if p.node is None:
        for claim in _declared(facts, "file_sha256") + _declared(facts, "sha256"):
            value = claim["value"]
            digest = (value.get("sha256") if isinstance(value, dict) else value) or ""
            file_name = value.get("name") if isinstance(value, dict) else None
            single = len(_declared(facts, "file_sha256")) == 1
            if digest.lower() in hashes and (not file_name or file_name == name or single):
                p.node, p.matched_by = hashes[digest.lower()], f"sidecar sha256 ({claim['source']})"
                break
    named = match_name(graph, name) if p.node is None and facts.get("kind") != "lora" else None
    if named is not None and named in graph:
        p.node, p.matched_by = named, "file name"
    if p.node is None and hf_repo and facts.get("kind") != "lora":
        found = match_named(graph, hf_repo.rsplit("/", 1)[-1], None)
        if found is not None and found.node_id in graph:
            p.node, p.matched_by = found.node_id, f"Hugging Face repo name ({hf_repo})"
    if p.node is not None:
        p.version = f"{graph.nodes[p.node]['name']} ({p.node}), identified by {p.matched_by}"
        if not p.verified:
            p.notes.append(f"Named by {p.matched_by}, not by a verified hash of the file; compute the hash "
                           "(--hash) to be sure it is this release and not a fine-tune of it.")
        return p
    _place_base(graph, facts, p, hf_repo, base_hint)
    declared = next(iter(_declared(facts, "base_model_relation")), None)
    p.relation = (f"{declared['value']} (declared)" if declared else
                  RELATIONS.get(facts.get("kind") or "", "derivative"))
    p.version = _describe_version(facts) or (f"{hf_repo} (Hugging Face cache snapshot)" if hf_repo else
                                             "unknown: no sidecar names a model or version")
    return p


def _place_base(graph: nx.MultiDiGraph, facts: dict[str, Any], p: Placement, hf_repo: str | None,
                base_hint: str | None) -> None:
    training = facts.get("training") or {}
    named = match_named(graph, training.get("base_model_file"), training.get("base_model_sha256"))
    candidates: list[tuple[str | None, str, str]] = []
    if named is not None and named.matched_by.startswith("sha256"):
        candidates.append((named.node_id, f"training metadata ({named.matched_by})", "ss_new_sd_model_hash"))
    for claim in _declared(facts, "base_model"):
        candidates.append((base_from_text(graph, claim["value"]), f"declared base model {claim['value']!r}",
                           claim["source"]))
    if named is not None and not named.matched_by.startswith("sha256"):
        candidates.append((named.node_id, f"training metadata ({named.matched_by})", "ss_sd_model_name"))
    hint = base_node_hint(training)
    if hint:
        key = "modelspec.architecture" if "modelspec_architecture" in training else "ss_base_model_version"
        said = training.get("modelspec_architecture") or training.get("base_model_version")
        candidates.append((hint, f"training metadata ({said})", key))
    if base_hint:
        candidates.append((base_hint, "the InvokeAI folder it sits in", "folder"))
    arch = facts.get("architecture") or {}
    if arch.get("node"):
        candidates.append((arch["node"], f"tensor layout ({arch.get('family')})", "header"))
    unknown = [how for node, how, _ in candidates if node is None or node not in graph]
    for node, how, source in candidates:
        if node is not None and node in graph:
            p.base, p.base_by, p.base_source = node, how, source
            break
    if unknown:
        p.notes.append("Not in the data, so not used as the base: " + "; ".join(unknown[:3]) + ".")
    if p.base is None:
        p.notes.append("No base model could be placed in the graph, so what flows down from it is unknown.")
    elif p.base_by and p.base_by.startswith("tensor layout"):
        p.notes.append("The base is named by the tensor layout only, which names a class of releases; its "
                       "license is assumed to be the class's.")

