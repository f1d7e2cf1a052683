"""Inspect a weights file (safetensors or GGUF header): identify its parts, name the release, place it, judge it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx

from lineage.core.queries import ancestors
from lineage.core.schema import DERIVATION_EDGES
from lineage.files import match_weight_file
from lineage.inspection.hashes import file_sha256
from lineage.inspection.identify import Part, bundle_label, identify, unclaimed
from lineage.inspection.lora import identify_lora, is_lora
from lineage.inspection.match import match_named
from lineage.inspection.metadata import base_node_hint, shown_metadata, training_fields
from lineage.inspection.report import Component, InspectionReport, lineage_steps, node_name, verdicts

DERIVED = frozenset(e.value for e in DERIVATION_EDGES)
LORA_NOTE = ("A LoRA is a derivative of the model it was trained on: the verdicts are that base model's, whose "
             "license reaches derivatives. The LoRA's own license is not in the data; ask its author.")


def _part_component(graph: nx.MultiDiGraph, part: Part) -> Component:
    notes = [part.note] if part.note else []
    node = part.node
    if node and node not in graph:
        notes.append(f"The data has no node {node!r} yet, so this part cannot be placed in the graph.")
        node = None
    return Component(part.family, part.component, node, node_name(graph, node), False, "architecture",
                     bundle_label(part.prefix), part.tensors, evidence=part.evidence, notes=notes)


def _related(graph: nx.MultiDiGraph, a: str, b: str) -> bool:
    """Whether one node is derived from the other, or both sit in the same family (parts used do not count)."""
    up_a = {s.parent for s in ancestors(graph, a, DERIVED)} | {a, graph.nodes[a].get("family")}
    up_b = {s.parent for s in ancestors(graph, b, DERIVED)} | {b, graph.nodes[b].get("family")}
    return bool((up_a & up_b) - {None})


def _lora(report: InspectionReport, graph: nx.MultiDiGraph, shapes: dict[str, tuple[int, ...]]) -> str | None:
    info = identify_lora(shapes)
    report.kind = "lora"
    report.lora = info.to_dict()
    arch_node = info.node if info.node in graph else None
    report.components.append(Component(
        info.family or "unknown LoRA", "lora base", arch_node, node_name(graph, arch_node), False, "architecture",
        evidence=info.evidence, notes=list(info.notes)))
    base = None
    t = report.training
    named = match_named(graph, t.get("base_model_file"), t.get("base_model_sha256"))
    hint = base_node_hint(t)
    if named is not None or (hint and hint in graph):
        base = named.node_id if named else hint
        how = f"training metadata ({named.matched_by})" if named else "training metadata (base model version)"
        evidence = [f"{k}: {t[k]}" for k in ("base_model_file", "base_model_sha256", "base_model_version",
                                               "modelspec_architecture") if k in t]
        report.components.append(Component(node_name(graph, base) or base, "lora base", base, node_name(graph, base),
                                           bool(named and named.verified), how, evidence=evidence))
    report.notes.append(LORA_NOTE)
    return base or arch_node


def inspect_weights(path: Path, shapes: dict[str, tuple[int, ...]], metadata: dict[str, str], fmt: str,
                    graph: nx.MultiDiGraph, compute_hash: bool, hash_cache: Path | None,
                    warnings: list[str]) -> InspectionReport:
    """Build the report for a weights file whose header gave ``shapes`` and ``metadata``."""
    report = InspectionReport(kind="weights", path=str(path), file_name=path.name, format=fmt,
                              size=path.stat().st_size, warnings=list(warnings))
    report.metadata = shown_metadata(metadata)
    report.training = training_fields(metadata)
    report.sha256, report.sha256_source = file_sha256(path, compute_hash, hash_cache)
    if report.sha256 is None:
        report.notes.append("sha256 not computed (run with --hash to name the exact release by its hash).")
    match = match_weight_file(graph, path.name, report.sha256)
    if match is not None and match.node_id not in graph:
        match = None
    report.file_match = match.to_dict() if match else None
    if is_lora(shapes):
        subject = _lora(report, graph, shapes)
    else:
        parts = identify(shapes)
        report.components = [_part_component(graph, p) for p in parts]
        rest = unclaimed(shapes, parts)
        if not parts:
            report.notes.append(f"No known layout matched these {len(shapes):,} tensors (e.g. "
                                f"{', '.join(sorted(shapes)[:3]) or 'none'}).")
        elif rest:
            report.notes.append(f"{len(rest):,} tensors belong to no identified part "
                                f"(e.g. {', '.join(sorted(rest)[:3])}).")
        if len(parts) > 1:
            report.notes.append(f"A bundled checkpoint: {len(parts)} parts, each identified on its own.")
        placed = [c for c in report.components if c.node_id]
        denoisers = [c for c in placed if c.component == "denoiser"]
        chosen = denoisers or placed
        subject = chosen[0].node_id if chosen else None
    if match is not None:
        arch = subject
        subject = match.node_id
        if len(report.components) == 1 and report.kind == "weights":
            c = report.components[0]
            c.notes.append(f"The layout says {c.family}; the file's {match.matched_by} names the release.")
            c.node_id, c.node_name, c.verified, c.identified_by = (match.node_id, node_name(graph, match.node_id),
                                                                   match.verified, match.matched_by)
        if arch and match.matched_by == "name" and not _related(graph, arch, match.node_id):
            report.warnings.append(f"The file name says {match.node_id}, but the tensors look like {arch}; "
                                   "the file may be misnamed. Compute the hash (--hash) to be sure.")
    report.subject = subject
    report.roots = [subject] if subject else []
    report.lineage = lineage_steps(graph, report.roots)
    report.verdicts = verdicts(graph, report.roots)
    if subject and not (match and match.verified):
        report.notes.append(f"Verdicts are for {subject}, named by {'file name' if match else 'architecture'}, "
                            "not by a verified hash; a fine-tune or merge may carry other terms too.")
    return report


def gguf_metadata(metadata: dict[str, Any]) -> dict[str, str]:
    """GGUF metadata as strings (arrays are already summarised by the reader)."""
    return {k: str(v) for k, v in metadata.items()}
