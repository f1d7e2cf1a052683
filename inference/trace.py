"""Link a generation to the lineage graph: files loaded, the nodes they are, licenses, verdicts.

Each weight file is hashed once (``lineage.hashing.cached_sha256``) and matched against the graph
(``lineage.files.match_weight_file``: by sha256, else by file name). A file with no match is
identified by its architecture (an Anima DiT is the ``anima`` family node) and marked unverified.
The DiT's node is asked ``sell-outputs`` and ``train-on-outputs`` by ``lineage.answers.reasoner.can_i``.

Examples
--------
>>> ARCHITECTURE_NODES["dit"], ARCHITECTURE_NODES["vae"]
('anima', 'qwen-image-vae')
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from inference.locate import WeightPaths

ARCHITECTURE_NODES = {"dit": "anima", "text_encoder": "qwen3-0.6b-base", "vae": "qwen-image-vae"}
USES = ("sell-outputs", "train-on-outputs")
_ABSOLUTE = re.compile(r"(?<![\w.])(?:[A-Za-z]:)?[/\\](?:[^\s:/\\'\"]+[/\\])*[^\s:/\\'\"]*")
_DIFFUSERS_SUBDIRS = {"dit": "transformer", "text_encoder": "text_encoder", "vae": "vae"}


@lru_cache(maxsize=4)
def load_graph(data_path: str | None = None):
    """The lineage graph of the shipped data (or ``data_path``), built once per process."""
    from lineage.core.graph import load_graph as load

    return load(data_path)


def component_files(paths: WeightPaths) -> list[tuple[str, Path, str]]:
    """``(component, file, name used for matching)`` for every weight file that was loaded."""
    if paths.diffusers is None:
        return [(c, p, p.name) for c, p in paths.files.items()]
    out = []
    for component, sub in _DIFFUSERS_SUBDIRS.items():
        for f in sorted((paths.diffusers / sub).glob("*.safetensors")):
            # a diffusers shard's own name says nothing; the folder name identifies the release
            out.append((component, f, paths.diffusers.name if component == "dit" else f.name))
    return out


def build_trace(paths: WeightPaths, data_path: str | None = None, hash_cache: Path | None = None,
                loras: list | None = None) -> dict:
    """The trace dict stored in the PNG, the gallery and shown in the UI.

    Keys: ``model`` (node id of the DiT), ``files`` (one entry per file with sha256, node_id,
    matched_by, verified), ``loras`` (``inference.lora.LoadedLora.describe()`` plus size, sha256,
    node_id and the verdicts for that file), ``nodes`` (node id -> name, kind, licenses),
    ``verdicts`` (use -> ``Answer.to_dict()`` of the model, with ``verdict`` the most restrictive
    over the model and its LoRAs), ``licenses``, and ``graph_error`` when the graph could not be loaded.
    """
    from lineage.hashing import cached_sha256

    files = []
    for component, path, match_name in component_files(paths):
        sha = cached_sha256(path, hash_cache)
        # names, sizes and hashes only: a local path (a user's home folder) never enters the trace
        files.append({"component": component, "file_name": path.name,
                      "match_name": match_name, "size": path.stat().st_size, "sha256": sha})
    lora_entries = [{**lora.describe(), "size": lora.path.stat().st_size,
                     "sha256": cached_sha256(lora.path, hash_cache)} for lora in loras or []]
    trace: dict = {"model": None, "files": files, "loras": lora_entries, "nodes": {}, "verdicts": {},
                   "licenses": []}
    from lineage.core.problems import DataError, LineageError

    try:
        graph = load_graph(data_path)
    except DataError as exc:  # the data is someone else's; a broken dataset must not stop generation
        trace["graph_error"] = scrub_paths(f"{type(exc).__name__}: {str(exc).splitlines()[0]}")
        for f in files:
            f |= {"node_id": ARCHITECTURE_NODES[f["component"]], "matched_by": "architecture", "verified": False}
        trace["model"] = ARCHITECTURE_NODES["dit"]
        for use in USES:
            trace["verdicts"][use] = {"verdict": "unknown", "reasons": [],
                                      "notes": ["the lineage graph is unavailable"]}
        return trace

    from lineage.answers.reasoner import can_i
    from lineage.files import match_weight_file

    for f in files:
        match = match_weight_file(graph, f["match_name"], f["sha256"])
        if match is not None and match.node_id in graph:
            f |= {"node_id": match.node_id, "matched_by": match.matched_by, "verified": bool(match.verified)}
        else:
            f |= {"node_id": ARCHITECTURE_NODES[f["component"]], "matched_by": "architecture", "verified": False}
    model = next(f["node_id"] for f in files if f["component"] == "dit")
    trace["model"] = model
    for node_id in dict.fromkeys(f["node_id"] for f in files):
        attrs = graph.nodes[node_id] if node_id in graph else {}
        trace["nodes"][node_id] = {"name": attrs.get("name", node_id), "kind": str(attrs.get("kind", "")),
                                   "licenses": list(attrs.get("licenses") or [])}
    for use in USES:
        try:
            trace["verdicts"][use] = can_i(graph, model, use).to_dict()
        except LineageError as exc:  # report, do not crash: the verdict is shown as unknown
            trace["verdicts"][use] = {"verdict": "unknown", "reasons": [], "notes": [str(exc)]}
    for entry in lora_entries:
        _add_lora_verdicts(graph, entry, trace["verdicts"])
    # every license that reaches the model (its own, flowed down, and its parts'), as the reasoner saw them
    trace["licenses"] = list(dict.fromkeys(
        r["license"] for answer in trace["verdicts"].values() for r in answer.get("reasons", [])))
    return trace


def _add_lora_verdicts(graph, entry: dict, verdicts: dict) -> None:
    """Ask the graph about one LoRA file; a LoRA it does not know has an unknown license, never "yes"."""
    from lineage.answers.reasoner import can_i, most_restrictive
    from lineage.core.problems import LineageError
    from lineage.files import match_weight_file

    match = match_weight_file(graph, entry["file_name"], entry["sha256"])
    entry["node_id"] = match.node_id if match is not None and match.node_id in graph else None
    entry["verdicts"] = {}
    for use, answer in verdicts.items():
        verdict = "unknown"
        if entry["node_id"] is not None:
            try:
                verdict = can_i(graph, entry["node_id"], use).verdict
            except LineageError:
                verdict = "unknown"
        entry["verdicts"][use] = verdict
        parts = answer.setdefault("parts", [{"what": "model", "verdict": answer.get("verdict", "unknown")}])
        parts.append({"what": f"LoRA {entry['file_name']}", "verdict": verdict})
        answer["verdict"] = most_restrictive([p["verdict"] for p in parts])
        if entry["node_id"] is None:
            declared = entry.get("license") or "none declared"
            answer.setdefault("notes", []).append(
                f"LoRA {entry['file_name']} is not in the lineage graph; its license ({declared}) is unknown here, "
                "so the answer is at best unknown")


def scrub_paths(text: str) -> str:
    """Replace absolute paths in ``text`` by their file names.

    >>> scrub_paths("DataError: /home/ann/data/models.yaml:3: bad date")
    'DataError: models.yaml:3: bad date'
    """
    return _ABSOLUTE.sub(lambda m: re.split(r"[/\\\\]", m.group(0))[-1] or m.group(0), text)


def verdict_line(trace: dict) -> str:
    """One line for the CLI / caption: ``sell-outputs: yes; train-on-outputs: conditional``."""
    parts = [f"{use}: {v.get('verdict', 'unknown')}" for use, v in trace.get("verdicts", {}).items()]
    return "; ".join(parts) or "verdicts unavailable"
