"""The graph's poster layout: one band per organization, columns by release year or lineage depth.

Positions are in screen pixels at scale 1: the page shows the drawing's full width at (at most) that scale, so
a node's name, wrapped onto at most three lines (:func:`wrap`), is written at :data:`FONT` px and never overlaps
another's. A column holding many releases of one organization gets several lanes (:func:`lanes`), so tall stacks
become short grids; the drawing stays about :data:`WIDTH` px wide and grows downwards, like a poster.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("a", name="Model A", kind="model", released="2023-05", organization_name="Org")
>>> g.add_node("b", name="Model B", kind="model", released="2024-01", organization_name="Org")
>>> lay = banded(g, ["a", "b"], [("b", "a", "finetuned_from")])
>>> [name for name, x in lay.columns]
['2023', '2024']
>>> lay.pos["a"][0] < lay.pos["b"][0], lay.pos["a"][1] == lay.pos["b"][1]
(True, True)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import networkx as nx

from lineage.core.schema import PartialDate

#: Node names are written at this size (px at scale 1); band names slightly larger and bold.
FONT, BAND_FONT = 12, 13
#: The drawing's target width, the width of one lane, the band-name column, one row and the gap between bands.
WIDTH, LANE_W, HEAD_W, BAND_GAP = 900, 76, 140, 10
#: A row's height: its marker and margins, plus one line of text per line of its band's longest name.
ROW_H, LINE_H = 22, 13
#: The column names are written again before the first band that starts this far below the last time.
REPEAT, HEADER_H = 1000, 30
#: Marker radius of a node, and of the focused or searched ones.
SIZE, BIG = 6, 9

#: Advance widths of the printable ASCII characters in Arial (and the metric-compatible Liberation Sans, which
#: browsers use for "arial" on Linux), in thousandths of an em; other characters count as wide.
_ARIAL = (
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556,
    556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667,
    556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556,
    556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722,
    500, 500, 500, 334, 260, 334, 584,
)


def text_width(text: str, font: int = FONT, bold: bool = False) -> float:
    """``text``'s width in px in Arial at ``font`` px, with a little to spare (bold counts 10% wider).

    >>> round(text_width("Stable"), 1), text_width("iii") < text_width("MMM")
    (35.0, True)
    """
    em = sum(_ARIAL[ord(ch) - 32] if 32 <= ord(ch) < 127 else 1000 for ch in text) / 1000
    return em * font * (1.13 if bold else 1.03)


def wrap(text: str, width: float, font: int = FONT, lines: int = 3, bold: bool = False) -> str:
    """``text`` broken at spaces into at most ``lines`` lines that fit ``width`` px; what does not fit ends in "…".

    >>> wrap("ControlNet 1.1 Anime Lineart (SD 1.5)", 90, lines=2)
    'ControlNet 1.1\\nAnime Lineart…'
    >>> wrap("SDXL", 90)
    'SDXL'
    >>> wrap("HunyuanImage-3.0", 90)
    'HunyuanImage-\\n3.0'
    """
    out: list[str] = []
    words = text.split()
    while words and len(out) < lines:
        line = words.pop(0)
        if text_width(line, font, bold) > width:  # a word longer than the line: cut it, after a hyphen if it has one
            cut = len(line)
            while cut > 1 and text_width(line[:cut], font, bold) > width:
                cut -= 1
            cut = line.rfind("-", 0, cut) + 1 or cut
            words.insert(0, line[cut:])
            line = line[:cut]
        while words and text_width(f"{line} {words[0]}".rstrip(), font, bold) <= width:
            line = f"{line} {words.pop(0)}".rstrip()
        out.append(line)
    if words or len(" ".join(out)) < len(" ".join(text.split())):
        last = out[-1]
        while last and text_width(last + "…", font, bold) > width:
            last = last[:-1]
        out[-1] = last.rstrip() + "…"
    return "\n".join(out)


@dataclass(frozen=True)
class Banded:
    """Node positions and their wrapped names, band names ``(name, wrapped name, x, y)``, column names ``(name, x)``,
    stripes ``(top, bottom)`` behind the bands, the size, and the heights at which the column names are written
    (at the top, and again about every :data:`REPEAT` px, so a reader far down the poster still sees the years)."""

    pos: dict[str, tuple[int, int]]
    labels: dict[str, str]
    bands: list[tuple[str, str, int, int]]
    columns: list[tuple[str, int]]
    stripes: list[tuple[int, int]]
    width: int
    height: int
    headers: list[int] = field(default_factory=lambda: [-22])


def year_columns(graph: nx.MultiDiGraph, nodes: list[str]) -> tuple[dict[str, int], list[str]]:
    """A column per release year, then "undated" (licenses, families, releases no source dates): a node is never
    drawn at a date it does not have. While there are more than six years, the first joins the next if it holds
    fewer than three nodes (the shipped data has one release in 2019 and one in 2020).

    >>> g = nx.MultiDiGraph()
    >>> for n, day in [("a", "2016"), ("b", "2017-03"), ("d", None)] + [(f"y{y}", str(y)) for y in range(2018, 2024)]:
    ...     g.add_node(n, released=day)
    >>> year_columns(g, list(g))[1]
    ['2016–2018', '2019', '2020', '2021', '2022', '2023', 'undated']
    >>> year_columns(g, ["a", "y2023", "d"])
    ({'a': 0, 'y2023': 1, 'd': 2}, ['2016', '2023', 'undated'])
    """
    year = {n: PartialDate.parse(graph.nodes[n]["released"]).earliest()[:4] for n in nodes
            if graph.nodes[n].get("released")}
    groups = [[y] for y in sorted(set(year.values()))]
    while len(groups) > 6 and sum(v in groups[0] for v in year.values()) < 3:
        first = groups.pop(0)
        groups[0] = first + groups[0]
    names = [g[0] if len(g) == 1 else f"{g[0]}–{g[-1]}" for g in groups]
    index = {y: i for i, g in enumerate(groups) for y in g}
    if len(year) < len(nodes) or not names:
        names.append("undated")
    return {n: index[year[n]] if n in year else len(names) - 1 for n in nodes}, names


def depth_columns(nodes: list[str], edges: list[tuple[str, str, str]]) -> tuple[dict[str, int], list[str]]:
    """Lineage depth: 0 for nodes that derive from nothing drawn, else one more than their deepest parent.

    >>> depth_columns(["a", "b"], [("b", "a", "finetuned_from")])
    ({'a': 0, 'b': 1}, ['depth 0', 'depth 1'])
    """
    parents: dict[str, set[str]] = {}
    for u, v, _ in edges:
        parents.setdefault(u, set()).add(v)
    depth: dict[str, int] = {}

    def of(n: str, seen: frozenset[str] = frozenset()) -> int:
        if n not in depth:
            depth[n] = 1 + max((of(p, seen | {n}) for p in parents.get(n, ()) if p not in seen), default=-1)
        return depth[n]

    col = {n: of(n) for n in nodes}
    top = max(col.values(), default=0)
    return col, [f"depth {i}" for i in range(top + 1)]


def lanes(cells: list[dict[int, int]], columns: int, total: int) -> list[int]:
    """Lanes per column: one each, then each spare lane to the column where it saves the most rows.

    ``cells`` holds, per band, how many nodes each column has; rows of a band = its tallest cell over its lanes.

    >>> lanes([{0: 6, 1: 1}, {1: 2}], 2, 4)
    [3, 1]
    """
    out = [1] * columns

    def rows() -> int:
        return sum(max(math.ceil(k / out[c]) for c, k in cell.items()) for cell in cells)

    for _ in range(max(0, total - columns)):
        now, best, gain = rows(), None, 0
        for c in range(columns):
            out[c] += 1
            if now - rows() > gain:
                best, gain = c, now - rows()
            out[c] -= 1
        if best is None:
            break
        out[best] += 1
    return out


def banded(graph: nx.MultiDiGraph, nodes: list[str], edges: list[tuple[str, str, str]], how: str = "date") -> Banded:
    """The poster layout of ``nodes`` (``how``: ``"date"`` or ``"depth"`` columns), in px at scale 1.

    Bands are ordered by their first column, then name; licenses last. Within a cell nodes are sorted by release
    date, then name, and fill its lanes row by row.
    """
    col, names = year_columns(graph, nodes) if how == "date" else depth_columns(nodes, edges)
    bands: dict[str, list[str]] = {}
    for n in nodes:
        a = graph.nodes[n]
        org = "Licenses" if a["kind"] == "license" else (a.get("organization_name") or "Unknown maker")
        bands.setdefault(org, []).append(n)
    order = sorted(bands, key=lambda o: (o == "Licenses", min(col[n] for n in bands[o]), o.casefold()))
    cells = [{c: sum(col[n] == c for n in bands[o]) for c in {col[n] for n in bands[o]}} for o in order]
    per = lanes(cells, len(names), max(len(names), (WIDTH - HEAD_W) // LANE_W))
    starts = [HEAD_W + sum(per[:c]) * LANE_W for c in range(len(names))]
    pos: dict[str, tuple[int, int]] = {}
    names_of = {n: wrap(graph.nodes[n]["name"], LANE_W - (24 if graph.nodes[n]["kind"] == "license" else 8))
                for n in nodes}  # a license's box holds its name, with a margin
    heads: list[tuple[str, str, int, int]] = []
    stripes: list[tuple[int, int]] = []
    headers = [-22]
    y = 0
    for org in order:
        if y - headers[-1] > REPEAT:
            headers.append(y + HEADER_H // 2 - BAND_GAP // 2)
            y += HEADER_H
        stacks: dict[int, list[str]] = {}
        for n in sorted(bands[org], key=lambda n: (_day(graph, n), graph.nodes[n]["name"].casefold())):
            stacks.setdefault(col[n], []).append(n)
        lines = max(names_of[n].count("\n") + 1 for n in bands[org])
        row_h = ROW_H + LINE_H * lines
        # a marker's centre sits BIG below the row's top; a license's box is centred on its node, so half its height
        top = (LINE_H * lines + 12) // 2 if org == "Licenses" else BIG
        rows = max(math.ceil(len(v) / per[c]) for c, v in stacks.items())
        for c, stack in stacks.items():
            for i, n in enumerate(stack):
                pos[n] = (starts[c] + (i % per[c]) * LANE_W + LANE_W // 2, y + (i // per[c]) * row_h + top)
        head = wrap(org, HEAD_W - 16, BAND_FONT, bold=True)
        head_h = (head.count("\n") + 1) * (BAND_FONT + 3)
        heads.append((org, head, HEAD_W // 2, y + head_h // 2 + 2))
        height = max(rows * row_h, head_h + 8)
        stripes.append((y - BAND_GAP // 2, y + height + BAND_GAP // 2))
        y += height + BAND_GAP
    columns = [(name, starts[c] + per[c] * LANE_W // 2) for c, name in enumerate(names)]
    return Banded(pos, names_of, heads, columns, stripes, HEAD_W + sum(per) * LANE_W, y, headers)


def _day(graph: nx.MultiDiGraph, node: str) -> str:
    released = graph.nodes[node].get("released")
    return PartialDate.parse(released).earliest() if released else "9999"
