"""Graph: the interactive lineage graph (pyvis, offline), its filters, and the same selection as tables."""

from __future__ import annotations

import streamlit as st

import resources
from lineage import viz
from lineage.schema import EdgeType
from views._shared import from_url, label, load, node_ids, url_select

g, path = load()
st.title("Lineage graph")
show = label(g)
orgs = g.graph["organizations"]
licenses = sorted((n for n, a in g.nodes(data=True) if a["kind"] == "license"), key=lambda n: g.nodes[n]["name"])
kinds = sorted({a["kind"] for _, a in g.nodes(data=True)})

with st.sidebar:
    st.header("Filters")
    search = st.text_input("Search by name", key="g_search", placeholder="e.g. Anima, FLUX.1 dev")
    focus = url_select("Focus on", ["", *node_ids(g)], "g_focus", "focus", from_url(g, "focus", "views/graph.py"),
                       lambda n: show(n) if n else "(whole graph)")
    hops = st.slider("Hops from the focus", 1, 6, 2, key="g_hops", disabled=not focus)
    pick_orgs = st.multiselect("Organization", sorted(orgs, key=lambda o: orgs[o].name), key="g_orgs",
                               format_func=lambda o: orgs[o].name)
    pick_kinds = st.multiselect("Kind", kinds, key="g_kinds")
    pick_edges = st.multiselect("Edge type", [e.value for e in EdgeType], default=list(viz.DEFAULT_EDGE_TYPES),
                                key="g_edges")
    pick_licenses = st.multiselect("License", licenses, key="g_licenses", format_func=lambda n: g.nodes[n]["name"])
    pick_verdicts = st.multiselect("Commercial-use verdict", list(viz.VERDICT_COLORS), key="g_verdicts")
    physics = st.toggle("Spread nodes with physics (slower)", key="g_physics")

filters = viz.Filters(
    organizations=frozenset(pick_orgs), kinds=frozenset(pick_kinds), edge_types=frozenset(pick_edges),
    licenses=frozenset(pick_licenses), verdicts=frozenset(pick_verdicts), focus=focus or None, hops=hops,
    search=search,
)
html, node_rows, edge_rows, found = resources.graph_html(path, filters, physics)
if search.strip():
    st.caption(f"{len(found)} node(s) match “{search}”: " + ", ".join(g.nodes[n]["name"] for n in found[:20]))
st.caption(f"{len(node_rows)} nodes, {len(edge_rows)} edges. Shape = kind, colour = organization, dashed = "
           "disputed edge. Hover a node for its license and release date; drag to move, scroll to zoom.")

graph_tab, table_tab = st.tabs(["Graph", "Table"])
with graph_tab:
    if html:
        st.iframe(html, height=660, alt="Lineage graph")
    else:
        st.info("Nothing matches these filters. Clear some of them in the sidebar.")
with table_tab:
    for row in node_rows:
        row["page"] = f"model?model={row['id']}"
    st.dataframe(node_rows, hide_index=True, key="g_nodes_table", column_config={
        "page": st.column_config.LinkColumn("Model page", display_text="open"),
    })
    st.subheader("Edges")
    st.dataframe(edge_rows, hide_index=True)

with st.expander("Legend"):
    st.html(viz.legend_html(pick_edges))
