"""A Graphviz DOT picture of an inspection: the file, what it was identified as, and their ancestors.

>>> d = {"file_name": "x.png", "kind": "image", "components": [{"node_id": "m", "identified_by": "sha256",
...      "component": "model", "verified": True}], "lineage": [{"child": "m", "type": "finetuned_from",
...      "parent": "base", "disputed": False}]}
>>> text = report_dot(d, {"m": "Model M", "base": "Base"})
>>> '"m" -> "base" [label="finetuned_from"' in text, text.startswith("digraph")
(True, True)
"""

from __future__ import annotations

from typing import Any


def _q(text: str) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def report_dot(report: dict[str, Any], names: dict[str, str] | None = None) -> str:
    """DOT text for ``report`` (an ``InspectionReport.to_dict()``); ``names`` maps node ids to labels."""
    names = names or {}
    lines = ["digraph inspection {", "  rankdir=LR;", '  node [shape=box, style="rounded", fontsize=10];',
             "  edge [fontsize=9];",
             f"  file [label={_q(report['file_name'])}, shape=note, style=filled, fillcolor=lightyellow];"]
    nodes: set[str] = set()
    for c in report.get("components", []):
        if not c.get("node_id"):
            continue
        nodes.add(c["node_id"])
        style = "solid" if c.get("verified") else "dashed"
        label = f"{c.get('component', '')}: {c.get('identified_by', '')}"
        lines.append(f"  file -> {_q(c['node_id'])} [label={_q(label)}, style={style}];")
    for step in report.get("lineage", []):
        nodes.update((step["child"], step["parent"]))
        color = "red" if step.get("disputed") else "black"
        lines.append(f"  {_q(step['child'])} -> {_q(step['parent'])} [label={_q(step['type'])}, color={color}];")
    for node in sorted(nodes):
        lines.append(f"  {_q(node)} [label={_q(names.get(node, node))}];")
    lines.append("}")
    return "\n".join(lines)
