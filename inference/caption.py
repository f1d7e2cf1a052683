"""A visible caption (model, license, verdict for outputs) as a separate variant file.

The caption is drawn on a strip below a copy of the image; the original (possibly signed) PNG is
never touched.

Examples
--------
>>> caption_text({"model": "anima", "licenses": ["circlestone-nc-1.2"],
...               "verdicts": {"sell-outputs": {"verdict": "yes"}}, "nodes": {"anima": {"name": "Anima"}}})
'Anima · license: circlestone-nc-1.2 · sell-outputs: yes'
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont


def caption_text(trace: dict) -> str:
    """One line: model name, its licenses, the verdict on selling outputs."""
    model = trace.get("model") or "unknown model"
    name = trace.get("nodes", {}).get(model, {}).get("name", model)
    licenses = ", ".join(trace.get("licenses") or []) or "unknown"
    verdict = trace.get("verdicts", {}).get("sell-outputs", {}).get("verdict", "unknown")
    return f"{name} · license: {licenses} · sell-outputs: {verdict}"


def captioned(image: Image.Image, text: str) -> Image.Image:
    """A copy of ``image`` with ``text`` on a dark strip below it."""
    font = ImageFont.load_default()
    strip = max(14, image.height // 24)
    out = Image.new("RGB", (image.width, image.height + strip), (20, 20, 20))
    out.paste(image.convert("RGB"), (0, 0))
    ImageDraw.Draw(out).text((4, image.height + (strip - 10) // 2), text, fill=(235, 235, 235), font=font)
    return out


def caption_path(path: Path) -> Path:
    """``out.png`` -> ``out.caption.png``."""
    return path.with_name(f"{path.stem}.caption{path.suffix}")
