"""Timeline: releases per organization over time, and the article's two roadmaps (models; VAEs)."""

from __future__ import annotations

from datetime import date

import streamlit as st

from app import viz
from app.timeline import end_at_next_release, stack_same_day
from lineage.export import roadmap_rows, to_mermaid
from views._shared import MODEL_PAGE, chart_downloads, load, title, url_multiselect, url_toggle
from views._shared import table as draw_table

g, path = load()
title("Timeline", "Hover a point or bar to see the model; click it to open its page. Save a chart as SVG or PNG "
      "with the buttons under it.")
orgs = viz.org_scale(g)


def open_picked(key: str) -> None:
    """After a click on a chart, open the model page of the clicked release."""
    state = st.session_state.get(key)
    picked = (state or {}).get("selection", {}).get("pick") or []
    node = picked[0].get("node") if picked else None
    if node:
        st.switch_page(MODEL_PAGE, query_params={"model": node})


def links(rows: list[dict]) -> None:
    """The same releases as a table, with a link to each model page."""
    table = [{"released": r["released"], "name": r["name"], "made by": r["organization_name"],
              "what": viz.kind_label(r["kind"]), "date disputed": r["disputed"], "page": f"model?model={r['node']}"}
             for r in rows]
    draw_table(table, "timeline", f"t_dl_{view}", links={"page": "open"})


VIEWS = {"releases": "Releases per organization", "models": "Model roadmap", "vaes": "VAE roadmap"}
asked = st.query_params.get("view", "releases")
view = st.segmented_control("Show", list(VIEWS), format_func=VIEWS.get, key="t_view",
                            default=asked if asked in VIEWS else "releases") or "releases"
if view != asked:
    st.query_params["view"] = view  # one chart at a time keeps the page fast; the URL reopens the same view

if view == "releases":
    kinds = sorted({a["kind"] for _, a in g.nodes(data=True)} - {"license"})
    if "kinds" not in st.query_params and "t_kinds" not in st.session_state:
        st.query_params["kinds"] = ",".join([k for k in ("model", "family") if k in kinds] or kinds)
    shown = url_multiselect("Show", kinds, "t_kinds", "kinds", viz.kind_label, placeholder="everything dated")
    rows = stack_same_day(viz.timeline_rows(g, set(shown) or None))
    if rows:
        st.caption("Releases of one organization on the same day sit side by side, so each can be clicked.")
        chart = viz.timeline_chart(rows, orgs)
        st.altair_chart(chart, key="t_releases", on_select="rerun", selection_mode="pick")
        chart_downloads(chart, "releases", "t_releases_dl")
        open_picked("t_releases")
        if url_toggle("Show the releases as a table (with links and CSV/JSON downloads)", "t_table", "table"):
            links(rows)
    else:
        st.info("No dated releases of these kinds.")
else:
    end = date.today().isoformat()
    title = "Image generative AI roadmap" if view == "models" else "VAE roadmap"
    st.subheader(title)
    rows = end_at_next_release(roadmap_rows(g, view, end), end)
    if not rows:
        st.info("No dated releases for this roadmap.")
    else:
        key = f"t_{view}"
        st.caption("Each bar runs from a release to the same organization's next one; paler bars are each "
                   "organization's newest release, running to today.")
        chart = viz.roadmap_chart(rows, orgs)
        st.altair_chart(chart, key=key, on_select="rerun", selection_mode="pick")
        chart_downloads(chart, f"{view}-roadmap", f"{key}_dl")
        open_picked(key)
        if url_toggle("Show the releases as a table (with links and CSV/JSON downloads)", "t_table", "table"):
            links(rows)
        with st.expander("Mermaid source, as in the article (paste it into any Mermaid renderer)"):
            st.code(to_mermaid(g, view, end=end), language="text")
