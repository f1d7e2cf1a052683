"""License matrix: every model against every use, coloured by verdict; each cell opens its answer."""

from __future__ import annotations

import html

import streamlit as st

import resources
from app.cards import chip_css
from app.matrix import INFO_COLUMNS, MatrixFilter, family_of, matrix_rows
from app.viz import VERDICT_WORDS, kind_label
from lineage.answers.reasoner import USE_LABELS
from views._shared import downloads, load, title, url_multiselect

g, path = load()
title("License matrix", "Every model against every use. Click a verdict for the answer and its reasons; click a "
      "column heading to sort by it. Filters stay in the page address.")
orgs = g.graph["organizations"]
kinds = sorted({a["kind"] for _, a in g.nodes(data=True)} - {"license"})
families = sorted({f for n in g.nodes if (f := family_of(g, n))}, key=lambda n: g.nodes[n]["name"].casefold())
licenses = sorted((n for n, a in g.nodes(data=True) if a["kind"] == "license"), key=lambda n: g.nodes[n]["name"])

c1, c2, c3, c4 = st.columns(4)
with c1:
    pick_orgs = url_multiselect("Made by", sorted(orgs, key=lambda o: orgs[o].name), "x_orgs", "org",
                                lambda o: orgs[o].name, placeholder="any organization")
with c2:
    if "kind" not in st.query_params and "x_kinds" not in st.session_state:
        st.query_params["kind"] = "model"  # releases by default; parts and families on request
    pick_kinds = url_multiselect("What it is", kinds, "x_kinds", "kind", kind_label, placeholder="anything")
with c3:
    pick_families = url_multiselect("Family", families, "x_families", "family", lambda n: g.nodes[n]["name"],
                                    placeholder="any family")
with c4:
    pick_licenses = url_multiselect("License", licenses, "x_licenses", "license", lambda n: g.nodes[n]["name"],
                                    placeholder="any license")

columns = [*INFO_COLUMNS, *USE_LABELS]
shown_columns = [c for c in columns if c != "licenses"]  # long: on hover over the name, and in the downloads
sort = st.query_params.get("sort", "name")
sort = sort if sort in columns else "name"
descending = st.query_params.get("desc") == "1"
rows = matrix_rows(g, MatrixFilter(frozenset(pick_orgs), frozenset(pick_kinds), frozenset(pick_families),
                                   frozenset(pick_licenses), sort, descending), resources.all_verdicts(path))


def heading(column: str) -> str:
    """A column heading that sorts by the column (again: the other way round)."""
    params = {k: v for k, v in st.query_params.to_dict().items() if k not in ("sort", "desc")}
    params["sort"] = column
    if column == sort and not descending:
        params["desc"] = "1"
    query = html.escape("&".join(f"{k}={v}" for k, v in params.items()))
    arrow = (" ▼" if descending else " ▲") if column == sort else ""
    tip = html.escape(USE_LABELS.get(column, f"sort by {column}"))
    return (f'<th>'
            f'<a href="matrix?{query}" target="_self" title="{tip}">{html.escape(column)}{arrow}</a></th>')


def row_html(r: dict) -> str:
    tip = html.escape("Licenses: " + (r["licenses"] or "none recorded"))
    node = html.escape(r["id"])
    name = f'<td><a href="model?model={node}" target="_self" title="{tip}">{html.escape(r["name"])}</a></td>'
    info = "".join(f'<td class="i">{html.escape(str(r[c]) or ("none" if c == "family" else "unknown"))}</td>'
                   for c in INFO_COLUMNS[1:] if c != "licenses")  # no family is not an unknown one
    cells = "".join(f'<td><a class="v v-{r[u]}" href="can-i?model={node}&amp;use={u}" target="_self">'
                    f"{html.escape(r[u])}</a></td>" for u in USE_LABELS)
    return f"<tr>{name}{info}{cells}</tr>"


#: One style sheet for the table: the same inline style in each of a thousand cells made the page slow to draw.
STYLE = chip_css(".license-matrix") + """<style>
.license-matrix{border-collapse:collapse;font-size:.9rem}
.license-matrix th{padding:.3em;text-align:left;position:sticky;top:0;background:#fff}
.license-matrix td{padding:.2em .4em}
.license-matrix td.i{font-size:.85rem;white-space:nowrap}
</style>"""


st.caption(f"{len(rows)} of {sum(1 for _, a in g.nodes(data=True) if a['kind'] != 'license')} models and parts. "
           "Verdicts: " + ", ".join(f"{v} = {w}" for v, w in VERDICT_WORDS.items()) + ".")
if rows:
    st.html(STYLE + '<div style="overflow:auto;max-height:75vh"><table class="license-matrix"><thead><tr>'
            + "".join(heading(c) for c in shown_columns) + "</tr></thead><tbody>"
            + "".join(row_html(r) for r in rows) + "</tbody></table></div>")
    downloads(rows, "license-matrix", "x_rows")
else:
    st.info("No model matches these filters. Remove one of them above.")
