"""The graph overview on the shipped data: what it leaves out (and says so), and a poster layout whose names fit.

The browser test (tests/app/test_browser.py) measures the drawing vis-network really makes; these check the
selection and the layout's own arithmetic, on the real data, without a browser.
"""

from __future__ import annotations

from itertools import combinations

import networkx as nx
import pytest

from app import bands, viz
from lineage.core.graph import load_graph
from lineage.core.schema import LICENSE_EDGES


@pytest.fixture(scope="module")
def shipped() -> nx.MultiDiGraph:
    return load_graph()


def _kinds(graph: nx.MultiDiGraph, nodes: list[str]) -> set[str]:
    return {graph.nodes[n]["kind"] for n in nodes}


def test_overview_leaves_out_adapters_and_licenses_and_counts_them(shipped: nx.MultiDiGraph) -> None:
    sel = viz.select(shipped, viz.Filters())
    assert not {"adapter", "license"} & _kinds(shipped, sel.nodes)
    adapters = [n for n, a in shipped.nodes(data=True) if a["kind"] == "adapter"]
    with_licenses = viz.select(shipped, viz.Filters(edge_types=frozenset(viz.DEFAULT_EDGE_TYPES) | viz.LICENSE_TYPES))
    licensed = [n for n in with_licenses.nodes if shipped.nodes[n]["kind"] == "license"]
    assert adapters and licensed
    assert sel.hidden == {"adapter": len(adapters), "license": len(licensed)}
    caption = viz.hidden_caption(sel)
    assert caption.startswith(f"{len(adapters)} adapters and {len(licensed)} licenses are not drawn")
    assert "“What it is”" in caption and "“Relations to draw”" in caption
    # the Table lists exactly what is drawn
    assert [r["id"] for r in viz.node_rows(shipped, sel)] == sel.nodes


def test_adapters_come_back_when_asked_for(shipped: nx.MultiDiGraph) -> None:
    adapters = sorted(n for n, a in shipped.nodes(data=True) if a["kind"] == "adapter")
    picked = viz.select(shipped, viz.Filters(kinds=frozenset({"adapter", "model"})))
    assert set(adapters) <= set(picked.nodes) and "adapter" not in picked.hidden
    one = adapters[0]
    found = viz.select(shipped, viz.Filters(search=shipped.nodes[one]["name"]))
    assert one in found.nodes  # a search that names an adapter draws it
    base = next(v for u, v, k in shipped.edges(keys=True) if u == one and k in viz.DEFAULT_EDGE_TYPES)
    near = viz.select(shipped, viz.Filters(focus=base, hops=1))
    assert one in near.nodes  # adapters near the focus are drawn


def test_the_license_filter_draws_the_picked_license(shipped: nx.MultiDiGraph) -> None:
    sel = viz.select(shipped, viz.Filters(licenses=frozenset({"apache-2.0"})))
    assert "apache-2.0" in sel.nodes
    under = [u for u, v, k in sel.edges if v == "apache-2.0"]
    assert under and all(k in {e.value for e in LICENSE_EDGES} for _, v, k in sel.edges if v == "apache-2.0")
    assert _kinds(shipped, sel.nodes) & {"license"} and len(
        [n for n in sel.nodes if shipped.nodes[n]["kind"] == "license"]) == 1


def _boxes(lay: bands.Banded, licenses: set[str]) -> dict[str, tuple[float, float, float, float]]:
    """Each node's marker and name as (left, top, right, bottom), from the layout's own sizes."""
    out = {}
    for n, (x, y) in lay.pos.items():
        lines = lay.labels[n].split("\n")
        half = max(bands.text_width(line) for line in lines) / 2
        if n in licenses:  # the name inside a box, with a margin
            box = (bands.LINE_H * len(lines) + 12) / 2
            out[n] = (x - half - 6, y - box, x + half + 6, y + box)
        else:
            out[n] = (x - half, y - bands.BIG, x + half, y + bands.BIG + 3 + bands.LINE_H * len(lines))
    return out


@pytest.mark.parametrize("how,licenses", [("date", False), ("depth", False), ("date", True)])
def test_poster_names_fit_their_lanes_and_never_overlap(shipped: nx.MultiDiGraph, how: str, licenses: bool) -> None:
    edges = frozenset(viz.DEFAULT_EDGE_TYPES) | (viz.LICENSE_TYPES if licenses else frozenset())
    sel = viz.select(shipped, viz.Filters(edge_types=edges))
    lay = bands.banded(shipped, sel.nodes, sel.edges, how)
    assert set(lay.pos) == set(sel.nodes)
    assert lay.width <= bands.WIDTH  # the whole width fits a 924 px frame (1400x1000 with the sidebar) at scale 1
    boxes = _boxes(lay, {n for n in sel.nodes if shipped.nodes[n]["kind"] == "license"})
    assert all(b[0] >= 0 and b[2] <= lay.width for b in boxes.values())
    clashes = [(p, q) for (p, a), (q, b) in combinations(boxes.items(), 2)
               if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]]
    assert clashes == []
    assert all(lay.labels[n].count("\n") < 3 for n in sel.nodes)
    assert viz.frame_height(lay) <= 6000


def test_wrap_keeps_every_line_within_the_width() -> None:
    for name in ("XLabs FLUX.1 [dev] ControlNet collection (Canny, HED, Depth)", "Hunyuan-DiT bilingual CLIP",
                 "Mistral-Small-3.2-24B-Instruct-2506", "SDXL"):
        text = bands.wrap(name, 68)
        assert 1 <= len(text.split("\n")) <= 3
        assert all(bands.text_width(line) <= 68 for line in text.split("\n")), text
        assert text.replace("\n", " ").replace("- ", "-").rstrip("…").replace(" ", "") in name.replace(" ", "")


def test_poster_turns_off_wheel_zoom_and_the_free_layout_keeps_it(shipped: nx.MultiDiGraph) -> None:
    sel = viz.select(shipped, viz.Filters())
    poster = viz.network_spec(shipped, sel)
    assert poster["options"]["interaction"]["zoomView"] is False and poster["poster"]["width"] > 0
    assert poster["height"] == viz.frame_height(bands.banded(shipped, sel.nodes, sel.edges))
    spring = viz.network_spec(shipped, sel, how="spring")
    assert spring["options"]["interaction"]["zoomView"] is True and spring["poster"] is None
    assert poster["version"] != spring["version"]  # the frame redraws when the drawing changes
    assert viz.network_spec(shipped, sel)["version"] == poster["version"]  # and only then


def test_frame_carries_vis_network_styles_it_uses_and_not_the_editing_toolbar() -> None:
    from views._graph_frame import frame_folder

    folder = frame_folder()
    assert folder.stat().st_mode & 0o005 == 0o005  # readable by another user's server too
    css = (folder / "vis-network.css").read_text()
    assert "div.vis-navigation div.vis-button.vis-zoomIn" in css and "div.vis-tooltip" in css  # buttons, tooltips
    assert "vis-manipulation" not in css and "vis-color-picker" not in css  # about 165 KB of unused images
    assert len(css) < 80_000
    assert {p.name for p in folder.iterdir()} == {"index.html", "graph.js", "vis-network.min.js", "vis-network.css"}
    page = (folder / "index.html").read_text()
    assert "http" not in page.replace('lang="en"', "")  # every file is local


def test_every_organization_has_its_own_clearly_different_colour(shipped: nx.MultiDiGraph) -> None:
    from app.palette import closest_pair

    colors = viz.org_colors(shipped)
    assert len(colors) == len(shipped.graph["organizations"]) >= 40
    assert len(set(colors.values())) == len(colors)  # no two organizations share a colour
    gap, a, b = closest_pair(list(colors.values()))
    assert gap >= 20, (a, b)  # and no two look alike (CIE76 delta E)
    names, range_ = viz.org_scale(shipped)  # the charts use the same colours
    assert dict(zip(names, range_, strict=True))[shipped.graph["organizations"]["nvidia"].name] == colors["nvidia"]


def test_poster_as_svg_has_every_node_and_relation_and_nothing_remote(shipped: nx.MultiDiGraph) -> None:
    import xml.etree.ElementTree as ET

    from app.graph_svg import graph_svg

    spec = viz.network_spec(shipped, viz.select(shipped, viz.Filters()), viz.verdicts(shipped))
    svg = graph_svg(spec)
    root = ET.fromstring(svg)  # well-formed XML
    ns = "{http://www.w3.org/2000/svg}"
    titles = [t.text for t in root.iter(f"{ns}title")]
    drawn = [n for n in spec["nodes"] if not str(n["id"]).startswith("label:")]
    assert len(titles) == len(drawn) + len(spec["edges"])  # every node and arrow, each with its hover text
    words = " ".join(t.text or "" for t in root.iter(f"{ns}tspan"))
    assert "Anima" in words and "NVIDIA" in words and "2024" in words  # names, bands and columns are text
    assert len(list(root.iter(f"{ns}path"))) >= len(spec["edges"])
    assert "<script" not in svg and "href" not in svg  # a picture, nothing that runs or loads
    stripes = [r for r in root.iter(f"{ns}rect") if r.get("fill") == "#f4f6f8"]
    assert len(stripes) == (len(spec["poster"]["stripes"]) + 1) // 2
