"""A ComfyUI workflow (UI or API JSON, or a PNG that ComfyUI saved) as a combination of files, judged together.

Every model file a loader node names (checkpoint, UNet, CLIP/text encoders, VAE, LoRAs with their strengths,
ControlNets, upscalers, adapters) is resolved, in order, against the files of this scan, the scan cache of
earlier scans, and the curated data by hash or name. Each part is judged as a scanned file is
(:mod:`lineage.scan.verdicts`); the workflow's verdict for a use is the most restrictive over the parts that
run (muted or bypassed nodes are listed, not counted), and names the parts that decided. A file found nowhere
could carry any license, so it is ``unknown``.

>>> parts = [{"name": "a", "active": True, "verdicts": {"sell-outputs": {"verdict": "yes", "decided_by": []}}},
...          {"name": "b", "active": True, "verdicts": {"sell-outputs": {"verdict": "no", "decided_by": []}}}]
>>> c = combine(parts, ("sell-outputs",))["sell-outputs"]
>>> c["verdict"], c["decided_by"]
('no', ['b'])
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from lineage.core.problems import LineageError
from lineage.core.schema import USES
from lineage.inspection.comfy_meta import NamedFile, files_from_prompt, files_from_workflow
from lineage.inspection.match import base_name, match_named
from lineage.inspection.png_chunks import SIGNATURE, read_png
from lineage.scan.place import Placement
from lineage.scan.run import FileResult, ScanResult, judge_facts
from lineage.scan.store import ScanStore
from lineage.scan.verdicts import Judge, most_restrictive

MAX_WORKFLOW = 32 * 1024 * 1024


class WorkflowError(LineageError):
    """A workflow file that cannot be read: missing, too big, not JSON, or no ComfyUI graph in it."""


@dataclass
class WorkflowResult:
    source: str
    format: str  # "comfyui api" | "comfyui ui" | "png (prompt)" | "png (workflow)"
    parts: list[dict[str, Any]] = field(default_factory=list)
    verdicts: dict[str, dict[str, Any]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _graph_of(obj: Any) -> tuple[list[NamedFile], str]:
    if isinstance(obj, dict) and isinstance(obj.get("nodes"), list):
        return files_from_workflow(obj), "comfyui ui"
    if isinstance(obj, dict) and isinstance(obj.get("prompt"), dict):  # an API request body {"prompt": {...}}
        obj = obj["prompt"]
    if isinstance(obj, dict) and any(isinstance(v, dict) and "class_type" in v for v in obj.values()):
        return files_from_prompt(obj), "comfyui api"
    raise WorkflowError("no ComfyUI graph in it (want the UI format with \"nodes\", or the API format "
                        "{id: {\"class_type\", \"inputs\"}})")


def load_workflow(path: Path) -> tuple[list[NamedFile], str]:
    """The files a workflow JSON or ComfyUI PNG names, and which format it was."""
    try:
        size = os.stat(path).st_size
    except OSError as err:
        raise WorkflowError(f"{path}: cannot be read ({err.strerror}).") from None
    if size > MAX_WORKFLOW:
        raise WorkflowError(f"{path}: {size:,} bytes, over the {MAX_WORKFLOW:,}-byte workflow limit.")
    with open(path, "rb") as fh:
        head = fh.read(8)
        fh.seek(0)
        if head == SIGNATURE:
            png = read_png(fh, path.name, size)
            for key in ("prompt", "workflow"):
                if key in png.text:
                    try:
                        files, _ = _graph_of(json.loads(png.text[key]))
                    except (ValueError, RecursionError, WorkflowError) as err:
                        raise WorkflowError(f"{path.name}: its {key!r} chunk is not a ComfyUI graph ({err}).") from None
                    return files, f"png ({key})"
            raise WorkflowError(f"{path.name}: a PNG without ComfyUI 'prompt' or 'workflow' metadata.")
        raw = fh.read()
    try:
        obj = json.loads(raw.decode("utf-8", errors="replace"))
    except (ValueError, RecursionError) as err:
        raise WorkflowError(f"{path.name}: not valid JSON ({str(err)[:100]}).") from None
    try:
        return _graph_of(obj)
    except WorkflowError as err:
        raise WorkflowError(f"{path.name}: {err}.") from None


def combine(parts: list[dict[str, Any]], uses: tuple[str, ...] = USES) -> dict[str, dict[str, Any]]:
    """Per use, the most restrictive verdict over the active ``parts`` and which parts decided it."""
    out: dict[str, dict[str, Any]] = {}
    for use in uses:
        active = [p for p in parts if p.get("active", True)]
        verdict = most_restrictive([p["verdicts"][use]["verdict"] for p in active])
        out[use] = {"verdict": verdict,
                    "decided_by": [p["name"] for p in active if p["verdicts"][use]["verdict"] == verdict],
                    "parts": [{"part": p["name"], "role": p.get("role"), "verdict": p["verdicts"][use]["verdict"],
                               "why": "; ".join(p["verdicts"][use].get("decided_by", []))} for p in active]}
        if not active:
            out[use]["decided_by"] = []
    return out


def _from_store(store: ScanStore | None, name: str) -> list[tuple[str, dict[str, Any]]]:
    if store is None:
        return []
    rows = store.con.execute("SELECT path, facts FROM files WHERE facts IS NOT NULL AND (path LIKE ? ESCAPE '\\' "
                             "OR path = ?) LIMIT 20",
                             ("%/" + name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_"), name))
    return [(p, json.loads(f)) for p, f in rows.fetchall()]


def judge_workflow(path: Path, graph: nx.MultiDiGraph, judge: Judge | None = None, scan: ScanResult | None = None,
                   store: ScanStore | None = None) -> WorkflowResult:
    """Resolve every file ``path`` loads and answer each use for the combination."""
    judge = judge or Judge(graph)
    named, fmt = load_workflow(path)
    result = WorkflowResult(str(path), fmt)
    by_name: dict[str, list[FileResult]] = {}
    for f in scan.files if scan else []:
        by_name.setdefault(f.name.lower(), []).append(f)
    seen: set[tuple[str, str, bool]] = set()
    for nf in named:
        key = (nf.role, nf.name, nf.active)
        if key in seen:
            continue
        seen.add(key)
        result.parts.append(_part(graph, judge, nf, by_name, store))
    result.verdicts = combine(result.parts)
    if not result.parts:
        result.notes.append("The workflow loads no model file, so nothing can be said.")
    if any(not p["active"] for p in result.parts):
        result.notes.append("Muted or bypassed loaders are listed but do not count.")
    if any(p["resolved_by"] == "not found" for p in result.parts):
        result.notes.append("Files found neither in the scanned folders nor in the data could carry any license: "
                            "their verdicts are unknown.")
    return result


def _part(graph: nx.MultiDiGraph, judge: Judge, nf: NamedFile, by_name: dict[str, list[FileResult]],
          store: ScanStore | None) -> dict[str, Any]:
    name = base_name(nf.name)
    part: dict[str, Any] = {"name": name, "file": nf.name, "role": nf.role, "strength": nf.strength,
                            "active": nf.active, "path": None, "resolved_by": "not found", "placement": None}
    hits = list(by_name.get(name.lower(), []))
    where = "scanned folder"
    if not hits:
        where = "scan cache"
        for stored_path, facts in _from_store(store, name):
            fr = FileResult(stored_path, name, "unknown", None, "folder", facts.get("size", 0), "ok", cached=True)
            judge_facts(graph, judge, fr, facts)
            hits.append(fr)
    usable = [h for h in hits if h.status == "ok"]
    wanted = "/" + nf.name.replace("\\", "/").lstrip("/")
    usable.sort(key=lambda h: not h.path.replace("\\", "/").endswith(wanted))  # "SDXL/x" prefers .../SDXL/x
    if usable:
        chosen = usable[0]
        part.update(path=chosen.path, resolved_by=where, placement=chosen.placement, verdicts=chosen.verdicts,
                    kind=chosen.kind, family=chosen.family)
        if len(usable) > 1:
            part["note"] = f"{len(usable)} scanned files share this name; the first ({chosen.path}) is assumed."
        return part
    if hits:
        part["note"] = f"found at {hits[0].path} but {hits[0].status}: {hits[0].reason}"
    match = match_named(graph, nf.name, nf.hash)
    if match is not None and match.node_id in graph:
        placement = Placement(node=match.node_id, matched_by=match.matched_by, verified=match.verified,
                              version=f"{graph.nodes[match.node_id]['name']} ({match.node_id}), by {match.matched_by}")
        part.update(resolved_by=f"data ({match.matched_by})", placement=placement.to_dict(),
                    verdicts=judge.judge(placement, {}))
        return part
    part["verdicts"] = {use: {"verdict": "unknown", "decided_by": ["not found"], "parts": [
        {"part": "file", "verdict": "unknown", "why": "not in the scanned folders, the scan cache or the data",
         "source": ""}]} for use in USES}
    return part
