"""Plain-text rendering of an inspection report for the terminal.

>>> print(format_report({"file_name": "a.safetensors", "kind": "weights", "format": "safetensors", "size": 10,
...     "components": [], "verdicts": {}, "notes": ["nothing"], "warnings": [], "lineage": [], "sha256": None}))
a.safetensors  (weights, safetensors, 10 bytes)
<BLANKLINE>
Identified: nothing
<BLANKLINE>
Notes:
  - nothing
"""

from __future__ import annotations

from typing import Any

MARK = {"yes": "YES", "no": "NO", "conditional": "CONDITIONAL", "disputed": "DISPUTED", "unknown": "UNKNOWN"}


def _component(c: dict[str, Any]) -> list[str]:
    node = f"{c['node_id']} ({c['node_name']})" if c.get("node_id") else "not in the graph"
    flag = "verified" if c.get("verified") else "unverified"
    head = f"  - {c['component']}: {c['family']} -> {node} [{flag}, by {c['identified_by']}]"
    lines = [head]
    if c.get("where") and c["where"] != "whole file":
        lines.append(f"      where: {c['where']}" + (f", {c['tensors']} tensors" if c.get("tensors") else ""))
    if c.get("file"):
        extra = f", strength {c['strength']}" if c.get("strength") is not None else ""
        lines.append(f"      file: {c['file']}" + (f" (hash {c['hash']})" if c.get("hash") else "") + extra)
    lines += [f"      evidence: {e}" for e in c.get("evidence", [])[:4]]
    lines += [f"      note: {n}" for n in c.get("notes", [])]
    return lines


def format_report(r: dict[str, Any]) -> str:
    """The report as text: identification, release, metadata highlights, lineage, verdicts, notes."""
    out = [f"{r['file_name']}  ({r['kind']}, {r['format']}, {r['size']:,} bytes)"]
    if r.get("sha256"):
        out.append(f"sha256: {r['sha256']} ({r.get('sha256_source')})")
    if r.get("file_match"):
        m = r["file_match"]
        out.append(f"Release: {m['node_id']} (matched by {m['matched_by']}"
                   + (", verified)" if m["verified"] else ", unverified)"))
    out.append("")
    out.append("Identified:" if r["components"] else "Identified: nothing")
    for c in r["components"]:
        out += _component(c)
    if r.get("lora"):
        lo = r["lora"]
        out.append(f"LoRA: {lo['format']} format, rank {lo['rank']}, {lo['modules']} layers patched"
                   + (f" (+{lo['text_encoder_modules']} text-encoder layers)" if lo["text_encoder_modules"] else ""))
    if r.get("training"):
        out.append("Training metadata:")
        out += [f"  {k}: {v}" for k, v in r["training"].items()]
    image = r.get("image") or {}
    if image.get("lineage"):
        lin = image["lineage"]
        out.append(f"Lineage chunk: written by {lin.get('software')}; recorded verdicts {lin.get('recorded_verdicts')}")
    if image.get("c2pa"):
        c2 = image["c2pa"]
        out.append("C2PA manifest: " + (f"{c2.get('signature', 'signature not checked')}, actions "
                                        f"{[a['action'] for a in c2.get('actions', [])]}" if c2.get("read")
                                        else c2.get("note", "present, not read")))
    if r.get("lineage"):
        out.append("")
        out.append("Lineage:")
        out += [f"  {'  ' * (s['depth'] - 1)}{s['child']} --{s['type']}--> {s['parent']}"
                + (" (disputed)" if s.get("disputed") else "") for s in r["lineage"]]
    if r.get("verdicts"):
        out.append("")
        subject = f" for {r['subject']}" if r.get("subject") else ""
        out.append(f"Verdicts{subject}:")
        for use, v in r["verdicts"].items():
            models = ", ".join(f"{m['node']}: {m['verdict']}" for m in v["models"])
            out.append(f"  {use:18} {MARK[v['verdict']]:12} {models}")
        out += [f"  note: {n}" for n in dict.fromkeys(n for v in r["verdicts"].values() for n in v["notes"])]
    if r.get("warnings"):
        out.append("")
        out.append("Warnings:")
        out += [f"  - {w}" for w in r["warnings"]]
    if r.get("notes"):
        out.append("")
        out.append("Notes:")
        out += [f"  - {n}" for n in r["notes"]]
    if r.get("verdicts"):
        out.append("")
        out.append(r.get("disclaimer", ""))
    return "\n".join(out)
