"""Graph: the lineage graph (pyvis, offline), laid out in organization bands; a click opens a node's page."""

from __future__ import annotations

import streamlit as st

import resources
from app import viz
from app.graph_svg import graph_svg
from lineage.core.schema import EdgeType
from views._graph_frame import graph_frame
from views._shared import from_url, label, load, node_ids, table, title, url_multiselect, url_select, url_toggle

g, path = load()
title("Lineage graph", "Who built what on whom. Click a node to open its page; hover it for its license and "
      "release date; scroll the page to see every organization, or drag the drawing and use its buttons to "
      "zoom.")
show = label(g)
orgs = g.graph["organizations"]
licenses = sorted((n for n, a in g.nodes(data=True) if a["kind"] == "license"), key=lambda n: g.nodes[n]["name"])
kinds = sorted({a["kind"] for _, a in g.nodes(data=True)})
params = st.query_params

with st.sidebar:
    st.header("Filters")
    st.caption("Every filter is kept in the page address, so you can share this exact view.")
    if "q" in params and st.session_state.get("g_search__url") != params["q"]:
        st.session_state["g_search"] = st.session_state["g_search__url"] = params["q"]
    search = st.text_input("Search by name", key="g_search", placeholder="e.g. Anima, FLUX.1 dev")
    if search.strip():
        params["q"] = st.session_state["g_search__url"] = search
    else:
        params.pop("q", None)
    focus = url_select("Focus on", ["", *node_ids(g, licenses=True)], "g_focus", "focus",
                       from_url(g, "focus", "views/graph.py"), lambda n: show(n) if n else "(whole graph)")
    hops_text = params.get("hops", "2")
    hops = st.slider("Steps from the focus", 1, 6, int(hops_text) if hops_text.isdigit() and 1 <= int(hops_text) <= 6
                     else 2, key="g_hops", disabled=not focus,
                     help="How many relations away from the focused node to show.")
    if focus:
        params["hops"] = str(hops)
    else:
        params.pop("hops", None)
    how = url_select("Layout", list(viz.LAYOUTS), "g_layout", "layout", params.get("layout") or "date",
                     viz.LAYOUTS.get)
    pick_orgs = url_multiselect("Made by", sorted(orgs, key=lambda o: orgs[o].name), "g_orgs", "org",
                                lambda o: orgs[o].name)
    pick_kinds = url_multiselect("What it is", kinds, "g_kinds", "kind", viz.kind_label)
    edge_words = {e.value: viz.EDGE_WORDS.get(e.value, e.value) for e in EdgeType}
    pick_edges = url_multiselect("Relations to draw", list(edge_words), "g_edges", "edges", edge_words.get,
                                 help="Licenses are drawn when “licensed under” is picked.",
                                 placeholder="all but “licensed under”") \
        or list(viz.DEFAULT_EDGE_TYPES)
    pick_licenses = url_multiselect("License", licenses, "g_licenses", "license", lambda n: g.nodes[n]["name"])
    pick_verdicts = url_multiselect("May I use it commercially?", list(viz.VERDICT_COLORS), "g_verdicts", "verdict",
                                    lambda v: f"{v} ({viz.VERDICT_WORDS[v]})")
    physics = url_toggle("Spread nodes with physics (slower)", "g_physics", "physics")

filters = viz.Filters(
    organizations=frozenset(pick_orgs), kinds=frozenset(pick_kinds), edge_types=frozenset(pick_edges),
    licenses=frozenset(pick_licenses), verdicts=frozenset(pick_verdicts), focus=focus or None, hops=hops,
    search=search,
)
spec, node_rows, edge_rows, found, left_out = resources.graph_view(path, filters, physics, how)
if search.strip():
    st.caption(f"{len(found)} match “{search}”: " + ", ".join(g.nodes[n]["name"] for n in found[:20]))
st.caption(f"Showing {len(node_rows)} models, parts and licenses and {len(edge_rows)} relations. {left_out}")
SHOW = {"graph": "Graph", "table": "Table"}
asked = params.get("show", "graph")
shown = st.segmented_control("Show", list(SHOW), format_func=SHOW.get, key="g_show", label_visibility="collapsed",
                             default=asked if asked in SHOW else "graph") or "graph"
if shown == "table":  # one view at a time: tabs would draw (and sanitize) both tables under the graph too
    params["show"] = "table"
else:
    params.pop("show", None)
if shown == "graph":
    shown_orgs = sorted({r["organization"] for r in node_rows if r["organization"]})
    colors = viz.org_colors(g)
    names = {orgs[o].name: colors[o] for o in orgs}
    st.html(viz.legend_html(pick_edges, {o: names[o] for o in shown_orgs if o in names}))  # above the tall poster
    if spec:
        graph_frame(spec, key="g_frame")
        st.download_button("Save as SVG", lambda: graph_svg(spec), "lineage-graph.svg", "image/svg+xml", key="g_svg",
                           on_click="ignore", icon=":material/image:",
                           help="The drawing as a vector image (prints at any size); “Save as PNG” is on the drawing.")
    else:
        st.info("Nothing matches these filters. Clear some of them in the sidebar.")
else:
    shown_nodes = [{**r, "kind": viz.kind_label(r["kind"]), "page": f"model?model={r['id']}"} for r in node_rows]
    table(shown_nodes, "lineage-nodes", "g_nodes", links={"page": "open"}, raw=node_rows)
    st.subheader("Relations")
    relations = [{"from": g.nodes[r["child"]]["name"], "relation": viz.EDGE_WORDS.get(r["type"], r["type"]),
                  "to": g.nodes[r["parent"]]["name"], "sources disagree": r["disputed"]} for r in edge_rows]
    table(relations, "lineage-relations", "g_edges", raw=edge_rows)
