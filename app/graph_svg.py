"""The graph drawing as a standalone SVG: the same nodes, shapes, colours, arrows and stripes the browser draws.

Built from :func:`app.viz.network_spec` (positions come from the layout, so no browser is needed), for the
graph page's *Save as SVG*: a vector poster that prints at any size and opens in any viewer. Every name is
text (searchable), and each node carries its tooltip as an SVG ``<title>``.

>>> from app.viz import MINI, Filters, network_spec, select
>>> from lineage.core.graph import load_graph
>>> g = load_graph(MINI)
>>> svg = graph_svg(network_spec(g, select(g, Filters())))
>>> svg.startswith("<svg") and "Child Model" in svg and "http://" not in svg.replace(_NS, "")
True
"""

from __future__ import annotations

import math
from html import escape
from typing import Any

_NS = 'xmlns="http://www.w3.org/2000/svg"'
MARGIN = 40


def _attr(value: Any) -> str:
    return escape(str(value), quote=True)


def _points(points: list[tuple[float, float]]) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)


def _regular(x: float, y: float, r: float, sides: int, turn: float) -> list[tuple[float, float]]:
    return [(x + r * math.cos(turn + 2 * math.pi * i / sides), y + r * math.sin(turn + 2 * math.pi * i / sides))
            for i in range(sides)]


def _star(x: float, y: float, r: float) -> list[tuple[float, float]]:
    return [(x + (r if i % 2 == 0 else r * 0.45) * math.cos(-math.pi / 2 + math.pi * i / 5),
             y + (r if i % 2 == 0 else r * 0.45) * math.sin(-math.pi / 2 + math.pi * i / 5)) for i in range(10)]


def _marker(shape: str, x: float, y: float, r: float, style: str) -> str:
    """One node's marker, in vis-network's shapes."""
    if shape == "dot":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" {style}/>'
    if shape == "square":
        return f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r:.1f}" height="{2 * r:.1f}" {style}/>'
    polygon = {"diamond": lambda: _regular(x, y, r * 1.2, 4, -math.pi / 2),
               "triangle": lambda: _regular(x, y, r * 1.2, 3, -math.pi / 2),
               "triangleDown": lambda: _regular(x, y, r * 1.2, 3, math.pi / 2),
               "hexagon": lambda: _regular(x, y, r * 1.1, 6, 0),
               "star": lambda: _star(x, y, r * 1.4)}.get(shape)
    if polygon is None:
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" {style}/>'
    return f'<polygon points="{_points(polygon())}" {style}/>'


def _text(x: float, y: float, label: str, size: float, bold: bool = False, color: str = "#343434",
          halo: bool = True) -> str:
    lines = label.split("\n")
    spans = "".join(f'<tspan x="{x:.1f}" dy="{0 if i == 0 else size * 1.15:.1f}">{escape(line)}</tspan>'
                    for i, line in enumerate(lines))
    stroke = ' stroke="#ffffff" stroke-width="3" paint-order="stroke"' if halo else ""
    weight = ' font-weight="bold"' if bold else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" fill="{color}" text-anchor="middle"'
            f' font-family="Arial, sans-serif"{weight}{stroke}>{spans}</text>')


def _node(node: dict[str, Any]) -> str:
    x, y = float(node.get("x", 0)), float(node.get("y", 0))
    font = node.get("font") or {}
    size = float(font.get("size", 12))
    label = str(node.get("label", ""))
    title = f"<title>{escape(str(node['title']))}</title>" if node.get("title") else ""
    if node.get("shape") == "text":  # band and column names
        return (f'<g>{_text(x, y + size / 3, label, size, bool(font.get("bold")), font.get("color", "#333333"), False)}'
                "</g>")
    color = node.get("color") or {}
    fill = color.get("background", "#97c2fc") if isinstance(color, dict) else color
    border = color.get("border", "#2b7ce9") if isinstance(color, dict) else color
    dashes = (node.get("shapeProperties") or {}).get("borderDashes")
    dash = f' stroke-dasharray="{",".join(str(d) for d in dashes)}"' if dashes else ""
    style = f'fill="{_attr(fill)}" stroke="{_attr(border)}" stroke-width="{node.get("borderWidth", 2)}"{dash}'
    if node.get("shape") == "box":  # a license: its name in a box
        lines = label.split("\n")
        width = max(len(line) for line in lines) * size * 0.55 + 12
        height = len(lines) * size * 1.15 + 8
        box = (f'<rect x="{x - width / 2:.1f}" y="{y - height / 2:.1f}" width="{width:.1f}" height="{height:.1f}"'
               f' rx="4" {style}/>')
        return f"<g>{title}{box}{_text(x, y - height / 2 + 4 + size * 0.85, label, size, halo=False)}</g>"
    r = float(node.get("size", 6))
    return f"<g>{title}{_marker(node.get('shape', 'dot'), x, y, r, style)}{_text(x, y + r + size + 2, label, size)}</g>"


def _edge(edge: dict[str, Any], at: dict[str, tuple[float, float]], horizontal: bool) -> str:
    if edge["from"] not in at or edge["to"] not in at:
        return ""
    (x1, y1), (x2, y2) = at[edge["from"]], at[edge["to"]]
    color = edge.get("color") or "#888888"
    stroke, opacity = (color.get("color", "#888888"), color.get("opacity", 1)) if isinstance(color, dict) \
        else (color, 1)
    if horizontal:  # vis-network's cubic Bezier with a horizontal force direction
        dx = (x2 - x1) / 2
        path = f"M{x1:.1f},{y1:.1f} C{x1 + dx:.1f},{y1:.1f} {x2 - dx:.1f},{y2:.1f} {x2:.1f},{y2:.1f}"
    else:
        path = f"M{x1:.1f},{y1:.1f} L{x2:.1f},{y2:.1f}"
    dash = ' stroke-dasharray="6,4"' if edge.get("dashes") else ""
    title = f"<title>{escape(str(edge['title']))}</title>" if edge.get("title") else ""
    return (f'<path d="{path}" fill="none" stroke="{_attr(stroke)}" stroke-opacity="{opacity}"'
            f' stroke-width="{edge.get("width", 1.5)}"{dash} marker-end="url(#arrow)">{title}</path>')


def graph_svg(spec: dict[str, Any]) -> str:
    """A standalone SVG of the drawing described by ``network_spec``'s dict (no scripts, no external files)."""
    nodes = spec["nodes"]
    at = {n["id"]: (float(n.get("x", 0)), float(n.get("y", 0))) for n in nodes}
    xs = [x for x, _ in at.values()] or [0.0]
    ys = [y for _, y in at.values()] or [0.0]
    left, top = min(xs) - 2 * MARGIN, min(ys) - MARGIN
    width, height = max(xs) - left + 2 * MARGIN, max(ys) - top + 2 * MARGIN
    poster = spec.get("poster")
    stripes = "".join(f'<rect x="{left:.1f}" y="{a:.1f}" width="{width:.1f}" height="{b - a:.1f}" fill="#f4f6f8"/>'
                      for i, (a, b) in enumerate(poster["stripes"]) if i % 2 == 0) if poster else ""
    edges = "".join(_edge(e, at, poster is not None) for e in spec["edges"])
    drawn = "".join(_node(n) for n in nodes)
    arrow = ('<defs><marker id="arrow" viewBox="0 0 10 10" refX="16" refY="5" markerWidth="7" markerHeight="7"'
             ' orient="auto-start-reverse" markerUnits="userSpaceOnUse"><path d="M0,0 L10,5 L0,10 z"'
             ' fill="#666666"/></marker></defs>')
    return (f'<svg {_NS} viewBox="{left:.1f} {top:.1f} {width:.1f} {height:.1f}" width="{width:.0f}"'
            f' height="{height:.0f}"><rect x="{left:.1f}" y="{top:.1f}" width="{width:.1f}" height="{height:.1f}"'
            f' fill="#ffffff"/>{arrow}{stripes}<g>{edges}</g><g>{drawn}</g></svg>')
