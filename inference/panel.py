"""Helpers for the Streamlit page: what is available on this machine, and the trace as a graph.

Examples
--------
>>> "digraph" in trace_dot({"model": "anima", "files": [{"component": "dit", "file_name": "a.safetensors",
...     "node_id": "anima", "verified": False}], "nodes": {"anima": {"name": "Anima", "licenses": ["x"]}}})
True
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from inference.errors import InferenceError


@dataclass
class Environment:
    """What the page can offer: a device, and the weights (or why not)."""

    gpu: str | None
    weights: object | None  # WeightPaths
    problem: str | None
    installed: bool = True  # torch and diffusers import


def default_weights_dir() -> str:
    """``$LINEAGE_ANIMA_WEIGHTS`` (a ComfyUI models folder or a diffusers folder), else empty."""
    return os.environ.get("LINEAGE_ANIMA_WEIGHTS", "")


def environment(weights_dir: str) -> Environment:
    """Probe the GPU and resolve ``weights_dir`` without loading anything.

    Without the inference extra (torch, diffusers) installed, it says how to install it instead.
    """
    try:
        import diffusers  # noqa: F401
        import torch
    except ImportError as exc:
        return Environment(None, None, f"the inference packages are not installed ({exc.name} is missing); "
                                       "install them with: .venv/bin/pip install -e '.[inference]'", installed=False)

    from inference.locate import DOWNLOAD_HINT, find_weights

    gpu = torch.cuda.get_device_name(0) if torch.cuda.is_available() else None
    if not weights_dir:
        return Environment(gpu, None, f"No weights folder given. {DOWNLOAD_HINT[0].upper()}{DOWNLOAD_HINT[1:]}.")
    try:
        return Environment(gpu, find_weights(weights=Path(weights_dir)), None)
    except InferenceError as exc:
        return Environment(gpu, None, str(exc))


def trace_dot(trace: dict) -> str:
    """Graphviz DOT: image -> files -> graph nodes -> licenses (unverified matches dashed)."""
    lines = ["digraph trace {", "rankdir=LR; node [shape=box, fontsize=10];", '"image" [shape=oval];']
    for f in trace.get("files", []):
        fid = f"file:{f['file_name']}"
        style = "solid" if f.get("verified") else "dashed"
        lines.append(f'"{fid}" [label="{f["component"]}\\n{f["file_name"]}"];')
        lines.append(f'"image" -> "{fid}";')
        lines.append(f'"{fid}" -> "{f["node_id"]}" [style={style}, label="{f.get("matched_by", "")}"];')
    for node_id, node in trace.get("nodes", {}).items():
        lines.append(f'"{node_id}" [label="{node.get("name", node_id)}", style=filled, fillcolor="#e8f0fe"];')
        for lic in node.get("licenses", []):
            lines.append(f'"{node_id}" -> "lic:{lic}" [color=gray];')
            lines.append(f'"lic:{lic}" [label="{lic}", shape=note];')
    lines.append("}")
    return "\n".join(lines)
