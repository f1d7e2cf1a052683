"""PNG text chunks: an AUTOMATIC1111-style ``parameters`` chunk and a JSON ``lineage`` chunk.

Examples
--------
>>> text = a1111_parameters({"prompt": "1girl", "negative": "lowres", "steps": 30, "cfg": 4.0, "seed": 7,
...                          "width": 1024, "height": 1024, "sigmas": "comfy"}, model="anima-base-v1.0")
>>> print(text)  # doctest: +NORMALIZE_WHITESPACE
1girl
Negative prompt: lowres
Steps: 30, Sampler: Euler, Schedule type: Simple, CFG scale: 4.0, Seed: 7, Size: 1024x1024,
Model: anima-base-v1.0
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

from PIL import Image, PngImagePlugin


def a1111_parameters(settings: dict, model: str, extra: dict | None = None) -> str:
    """The ``parameters`` text that A1111, Forge, Civitai and most viewers read."""
    schedule = "Simple" if settings.get("sigmas") == "comfy" else "Shifted linear (diffusers)"
    fields = {
        "Steps": settings["steps"],
        "Sampler": "Euler",
        "Schedule type": schedule,
        "CFG scale": settings["cfg"],
        "Seed": settings["seed"],
        "Size": f"{settings['width']}x{settings['height']}",
        "Model": model,
        **(extra or {}),
    }
    lines = [settings["prompt"]]
    if settings.get("negative"):
        lines.append(f"Negative prompt: {settings['negative']}")
    lines.append(", ".join(f"{k}: {v}" for k, v in fields.items()))
    return "\n".join(lines)


def png_bytes(image: Image.Image, parameters: str, lineage: dict) -> bytes:
    """Encode ``image`` as PNG with the two tEXt chunks."""
    info = PngImagePlugin.PngInfo()
    info.add_text("parameters", parameters)
    info.add_text("lineage", json.dumps(lineage, sort_keys=True, ensure_ascii=False))
    buf = io.BytesIO()
    image.save(buf, format="PNG", pnginfo=info)
    return buf.getvalue()


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, then rename: never a half-written image."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def read_metadata(path: Path) -> dict:
    """``{"parameters": str | None, "lineage": dict | None}`` from a PNG's text chunks."""
    with Image.open(path) as im:
        text = dict(getattr(im, "text", {}) or {})
    raw = text.get("lineage")
    return {"parameters": text.get("parameters"), "lineage": json.loads(raw) if raw else None}
