"""Inspect a PNG: read its generation metadata, map the files it names to the graph, judge its outputs' uses.

Sources, most trusted first: this project's ``lineage`` chunk (file hashes and node ids), a C2PA manifest's
lineage assertion, ComfyUI's ``prompt``/``workflow`` graphs, AUTOMATIC1111's ``parameters``. All of them are
claims written by whoever made the image: a hash listed in the data is the strongest evidence there is, and
still only says which file the metadata *claims* was used.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import networkx as nx

from lineage.inspection.a1111_meta import parse_parameters
from lineage.inspection.c2pa_meta import read_c2pa
from lineage.inspection.comfy_meta import NamedFile, files_from_prompt, files_from_workflow
from lineage.inspection.match import base_name, match_named
from lineage.inspection.png_chunks import PngMetadata
from lineage.inspection.report import IMAGE_USES, Component, InspectionReport, lineage_steps, node_name, verdicts

TRUST_NOTE = ("Image metadata is written by whoever made the image and can be edited; it says what was "
              "claimed to be used, not what was.")


def _json(text: str, key: str, warnings: list[str]) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        warnings.append(f"the {key!r} chunk is not valid JSON; ignored")
        return None


def _lineage_files(chunk: dict[str, Any]) -> list[tuple[NamedFile, str | None]]:
    trace = chunk.get("trace") if isinstance(chunk.get("trace"), dict) else chunk
    out = []
    files = trace.get("files")
    for f in files if isinstance(files, list) else []:
        if isinstance(f, dict) and isinstance(f.get("file_name"), str):
            node = f.get("node_id") if isinstance(f.get("node_id"), str) else None
            sha = f.get("sha256") if isinstance(f.get("sha256"), str) else None
            role = str(f.get("component") or "model")
            out.append((NamedFile(role, f["file_name"], "lineage chunk", hash=sha), node))
    if not out and isinstance(trace.get("model"), str):
        out.append((NamedFile("model", trace["model"], "lineage chunk"), trace["model"]))
    return out


def _component(graph: nx.MultiDiGraph, named: NamedFile, claimed_node: str | None) -> Component:
    match = match_named(graph, named.name, named.hash)
    notes: list[str] = []
    if match is None and claimed_node and claimed_node in graph:
        node, verified, how = claimed_node, False, f"node id in the {named.source}"
    elif match is not None:
        node, verified, how = match.node_id, match.verified, f"{match.matched_by} in the {named.source}"
    else:
        node, verified, how = None, False, f"not in the data ({named.source})"
        notes.append("Neither its name nor its hash is in the data.")
    if not named.active:
        notes.append("The node that loads it is muted or bypassed in the workflow; it did not run.")
    return Component(node_name(graph, node) or base_name(named.name), named.role, node, node_name(graph, node),
                     verified, how, where=named.source, file=named.name, hash=named.hash, strength=named.strength,
                     active=named.active, notes=notes)


def inspect_image(path: Path, png: PngMetadata, raw: bytes | None, graph: nx.MultiDiGraph) -> InspectionReport:
    """Build the report for a PNG whose chunks gave ``png``; ``raw`` (the file's bytes) is only for C2PA."""
    report = InspectionReport(kind="image", path=str(path), file_name=path.name, format="png",
                              size=path.stat().st_size, warnings=list(png.warnings))
    image: dict[str, Any] = {"width": png.width, "height": png.height, "chunks": sorted(png.text)}
    report.image = image
    named: list[tuple[NamedFile, str | None]] = []
    lineage_chunk = None
    if "lineage" in png.text:
        loaded = _json(png.text["lineage"], "lineage", report.warnings)
        lineage_chunk = loaded if isinstance(loaded, dict) else None
    if png.c2pa is not None:
        image["c2pa"] = read_c2pa(raw) if raw is not None else {"present": True, "read": False}
        if lineage_chunk is None and isinstance(image["c2pa"].get("lineage"), dict):
            lineage_chunk = image["c2pa"]["lineage"]
            report.notes.append("The lineage was read from the C2PA manifest (no lineage chunk).")
    if lineage_chunk is not None:
        named += _lineage_files(lineage_chunk)
        trace = lineage_chunk.get("trace") if isinstance(lineage_chunk.get("trace"), dict) else {}
        recorded = trace.get("verdicts") if isinstance(trace.get("verdicts"), dict) else {}
        image["lineage"] = {"software": lineage_chunk.get("software"), "model": trace.get("model"),
                            "settings": lineage_chunk.get("settings"),
                            "recorded_verdicts": {u: v.get("verdict") for u, v in recorded.items()
                                                  if isinstance(v, dict)}}
    if "prompt" in png.text:
        prompt = _json(png.text["prompt"], "prompt", report.warnings)
        named += [(f, None) for f in files_from_prompt(prompt)]
        image["comfyui"] = True
    if "workflow" in png.text and "prompt" not in png.text:
        workflow = _json(png.text["workflow"], "workflow", report.warnings)
        named += [(f, None) for f in files_from_workflow(workflow)]
        image["comfyui"] = True
    if "parameters" in png.text:
        params = parse_parameters(png.text["parameters"])
        image["parameters"] = params.to_dict()
        if not named:  # the richer sources already name these files
            named += [(f, None) for f in params.files]
    seen: set[tuple[str, str]] = set()
    for f, claimed in named:
        key = (f.role, base_name(f.name).lower())
        if key not in seen:
            seen.add(key)
            report.components.append(_component(graph, f, claimed))
    active = [c for c in report.components if c.active]
    report.roots = list(dict.fromkeys(c.node_id for c in active if c.node_id))
    unknown = [c.file or c.family for c in active if not c.node_id]
    report.subject = report.roots[0] if report.roots else None
    report.lineage = lineage_steps(graph, report.roots)
    report.verdicts = verdicts(graph, report.roots, IMAGE_USES, unknown)
    if not named:
        report.notes.append("The image carries no generation metadata lineage can read (no lineage, parameters, "
                            "prompt or workflow chunk, and no C2PA lineage).")
    else:
        report.notes.append(TRUST_NOTE)
    return report
