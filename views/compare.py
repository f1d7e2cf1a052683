"""Compare two to four models side by side: makers, dates, parts and licenses, lineage, and every verdict."""

from __future__ import annotations

import html

import streamlit as st

import resources
from app.cards import chip
from app.compare import MAX_MODELS, compare_rows
from lineage.core.resolve import AmbiguousName, UnknownName, resolve
from views._shared import done, downloads, label, load, node_ids, suggest, title, url_list

g, path = load()
title("Compare models", f"Pick two to {MAX_MODELS} models; the page address keeps them, so you can share the "
      "comparison.")
options = node_ids(g)
wanted = []
for text in url_list("models"):
    try:
        wanted.append(resolve(g, text))
    except (UnknownName, AmbiguousName) as err:
        suggest(g, text, err, "views/model.py", "model")
        done()
wanted = [n for n in dict.fromkeys(wanted) if n in options][:MAX_MODELS]
if st.session_state.get("k_models__url") != wanted:
    st.session_state["k_models"] = st.session_state["k_models__url"] = wanted
picks = st.multiselect("Models", options, key="k_models", format_func=label(g), max_selections=MAX_MODELS,
                       placeholder="pick two or more models")
if picks:
    st.query_params["models"] = ",".join(picks)
else:
    st.query_params.pop("models", None)
st.session_state["k_models__url"] = picks

if len(picks) < 2:
    st.info("Pick at least two models to compare, for example FLUX.1 [dev] and FLUX.1 [schnell].")
    st.page_link("views/compare.py", label="Example: FLUX.1 [dev], FLUX.1 [schnell] and Anima Preview",
                 query_params={"models": "flux1-dev,flux1-schnell,anima-preview"})
    done()

rows = compare_rows(g, picks, resources.all_verdicts(path))


def cell(r: dict, n: str) -> str:
    if r["kind"] == "use":
        return (f'<a href="can-i?model={html.escape(n)}&amp;use={r["use"]}" target="_self" '
                f'style="text-decoration:none">{chip(r[n])}</a>')
    return html.escape(r[n]).replace("; ", "<br>")


head = "".join(f'<th style="padding:.3em .5em;text-align:left;vertical-align:bottom">'
               f'<a href="model?model={html.escape(n)}" target="_self">{html.escape(g.nodes[n]["name"])}</a></th>'
               for n in picks)
body = "".join(
    f'<tr style="border-top:1px solid #ddd"><th style="padding:.3em .5em;text-align:left;font-weight:600;'
    f'font-size:.85rem">{html.escape(r["fact"])}</th>'
    + "".join(f'<td style="padding:.3em .5em;vertical-align:top;font-size:.9rem">{cell(r, n)}</td>' for n in picks)
    + "</tr>" for r in rows)
st.html(f'<div style="overflow-x:auto"><table class="compare" style="border-collapse:collapse;width:100%">'
        f'<thead><tr><th></th>{head}</tr></thead><tbody>{body}</tbody></table></div>')
downloads([{k: v for k, v in r.items() if k != "kind"} for r in rows], "comparison", "k_rows")
