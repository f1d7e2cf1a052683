"""Model page: every fact with its source, components, VAE ancestry, parents and children, verdicts for all uses."""

from __future__ import annotations

import streamlit as st

import resources
from lineage.describe import describe_node
from lineage.queries import components, vae_ancestry
from lineage.reasoner import DISCLAIMER, USE_LABELS
from lineage.viz import claim_markdown, claim_url
from views._shared import CAN_I_PAGE, from_url, label, load, model_link, node_ids, url_select

g, path = load()
options = node_ids(g, licenses=True)
wanted = from_url(g, "model") or st.session_state.get("m_pick") or ("anima-preview" if "anima-preview" in g else None)
node = url_select("Model, component or license", options, "m_pick", "model", wanted, label(g))
d = describe_node(g, node)


def claims(items: list[dict]) -> None:
    for c in items:
        st.markdown(f"- {claim_markdown(c)}")


st.title(d["name"])
if d["kind"] == "license":
    st.caption(f"License · version {d.get('version') or '—'} · dated {d.get('date') or '—'}")
    if d.get("url"):
        st.markdown(f"License text: [{d['url']}]({d['url']})")
    st.subheader("Terms")
    st.dataframe([{"use": u, "verdict": t["verdict"], "conditions": "; ".join(t.get("conditions", [])),
                   "clause": " / ".join(c["quote"] for c in t.get("clauses", []))} for u, t in d["terms"].items()],
                 hide_index=True)
    st.subheader("Used by")
    for user in d["used_by"]:
        model_link(g, user)
    st.subheader("Sources")
    claims(d["sources"])
    st.stop()

org = d["organization"]
st.caption(" · ".join(filter(None, [
    d["kind"].replace("_", " "), org and (f"[{org['name']}]({org['url']})" if org.get("url") else org["name"]),
    d["aliases"] and "also called " + ", ".join(d["aliases"]), d["architecture"]])))
if d["description"]:
    st.write(d["description"])
if d["disputed"]:
    with st.container(border=True):
        st.warning("**Disputed:** the sources disagree on the facts below. Every claim is shown; none is chosen.")
        for item in d["disputed"]:
            st.markdown(f"**{item['fact']}**")
            for c in item["claims"]:
                if "type" in c:  # an edge alternative
                    st.markdown(f"- {c['type']} → `{c['target']}`: "
                                + "; ".join(claim_markdown(s) for s in c["sources"]))
                else:
                    st.markdown(f"- {claim_markdown(c)}")

if d["discrepancies"]:  # a primary value stands; a secondary source says otherwise
    with st.container(border=True):
        st.info("**Discrepancies:** a secondary source disagrees with the primary ones; the primary value is shown.")
        for item in d["discrepancies"]:
            st.markdown(f"- **{item['fact']}**: {item['text']}")

facts, links = st.columns([3, 2])
with facts:
    st.subheader("Facts")
    for name, value_key, claims_key in (("Released", "released", "released_claims"),
                                        ("Parameters", "parameters", "parameters_claims")):
        value = d[value_key]
        shown = f"{value:,}" if isinstance(value, int) else (value or "disputed or unknown")
        st.markdown(f"**{name}:** {shown}")
        claims(d[claims_key])
    st.markdown("**Licenses:**")
    for lic in d["licenses"]:
        dispute = f" (disputed group `{lic['dispute']}`)" if lic["dispute"] else ""
        st.markdown(f"- [{lic['name']}](model?model={lic['id']}) · {lic['scope']}{dispute}: "
                    + "; ".join(claim_markdown(s) for s in lic["sources"]))
    st.markdown("**Record sources:**")
    claims(d["sources"])
with links:
    for title, steps, end in (("Parents", d["parents"], "parent"), ("Children", d["children"], "child")):
        st.subheader(title)
        for s in steps:
            model_link(g, s[end], f"{g.nodes[s[end]]['name']} — {s['type']}" + (" (disputed)" if s["disputed"] else ""))
        if not steps:
            st.caption("none recorded")

if d["files"]:
    st.subheader("Weight files")
    st.dataframe([{"file": f["name"], "size": f.get("size"), "sha256": f.get("sha256", ""),
                   "source": next(filter(None, map(claim_url, f["sources"])), "")} for f in d["files"]],
                 hide_index=True, column_config={"source": st.column_config.LinkColumn("source")})
st.subheader("Components")
st.dataframe([{"role": r.role, "component": r.name, "id": r.node, "developer": r.organization or "",
               "licenses": ", ".join(x["name"] for x in r.licenses), "inherited from": r.inherited_from or "",
               "disputed": r.disputed} for r in components(g, node)], hide_index=True)
st.subheader("VAE ancestry")
st.dataframe([{"depth": s.depth, "from": s.child, "relation": s.type, "to": s.parent, "disputed": s.disputed,
               "source": next(filter(None, (claim_url(c) for c in s.sources)), "")}
              for s in vae_ancestry(g, node)], hide_index=True,
             column_config={"source": st.column_config.LinkColumn("source")})

st.subheader("What may I do with it?")
for use, answer in resources.table(path, node).items():
    left, mid, right = st.columns([3, 1, 2])
    left.markdown(f"**{use}**: {USE_LABELS[use]}")
    mid.markdown(f"`{answer.verdict}`")
    with right:
        st.page_link(CAN_I_PAGE, label="why?", query_params={"model": node, "use": use})
st.caption(DISCLAIMER)
