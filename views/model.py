"""Model page: the verdict first, then the lineage tree, then every fact with its source.

A family lists its members, each with its own verdicts; a license shows its terms and who uses it.
"""

from __future__ import annotations

import streamlit as st

import resources
from app.cards import chip, sentence, verdict_card
from app.tree import model_tree, tree_html
from app.viz import EDGE_WORDS, claim_markdown, claim_url, kind_label
from lineage.answers.reasoner import DISCLAIMER, USE_LABELS
from lineage.core.describe import describe_node
from lineage.core.queries import components, vae_ancestry
from views._shared import done, downloads, from_url, label, load, model_link, node_ids, table, title, url_select

g, path = load()
options = node_ids(g, licenses=True)
wanted = from_url(g, "model") or st.session_state.get("m_pick") or ("anima-preview" if "anima-preview" in g else None)
node = url_select("Model, component or license", options, "m_pick", "model", wanted, label(g))
d = describe_node(g, node)


def claims(items: list[dict]) -> None:
    for c in items:
        st.markdown(f"- {claim_markdown(c)}")


if d["kind"] == "license":
    title(d["name"], f"License · version {d.get('version') or 'not stated'} · dated {d.get('date') or 'unknown'}")
    if d.get("url"):
        st.markdown(f"License text: [{d['url']}]({d['url']})")
    st.subheader("What it allows")
    st.html("<table>" + "".join(
        f"<tr><td style='padding:.2em .6em'>{chip(t['verdict'])}</td><td>{sentence(USE_LABELS.get(u, u))}"
        + (f"<br><small>if: {'; '.join(t.get('conditions', []))}</small>" if t.get("conditions") else "")
        + "</td></tr>" for u, t in d["terms"].items()) + "</table>")
    terms = [{"use": USE_LABELS.get(u, u), "verdict": t["verdict"], "conditions": "; ".join(t.get("conditions", [])),
              "clause": " / ".join(c["quote"] for c in t.get("clauses", []))} for u, t in d["terms"].items()]
    with st.expander("The clauses behind each answer"):
        table(terms, f"{node}-terms", "m_terms")
    if d["used_by"]:
        st.subheader(f"Used by {len(d['used_by'])}")
        for user in d["used_by"]:
            model_link(g, user)
    st.subheader("Sources")
    claims(d["sources"])
    done()

org = d["organization"]
title(d["name"], " · ".join(filter(None, [
    kind_label(d["kind"]), org and ("by " + (f"[{org['name']}]({org['url']})" if org.get("url") else org["name"])),
    d["aliases"] and "also called " + ", ".join(d["aliases"]), d["architecture"]])))

if d["kind"] == "family":
    members = resources.family(path, node)
    st.subheader(f"{d['name']} is a family of {len(members)} releases")
    st.caption("A family has no single verdict: each release has its own licenses. Open one for the details.")
    head = "".join(f"<th style='padding:.2em .4em;font-size:.8rem'>{u}</th>" for u in USE_LABELS)
    body = "".join(
        f"<tr><td style='padding:.2em .4em'><a href='model?model={m.node}' target='_self'>{m.name}</a>"
        f"<br><small>{m.released or 'date unknown'}</small></td>"
        + "".join(f"<td style='padding:.2em .4em'><a href='can-i?model={m.node}&use={u}' target='_self' "
                  f"style='text-decoration:none'>{chip(m.verdicts[u])}</a></td>" for u in USE_LABELS)
        + "</tr>" for m in members)
    st.html(f"<div style='overflow-x:auto'><table class='family-members'><tr><th>Release</th>{head}</tr>"
            f"{body}</table></div>")
    downloads([{"id": m.node, "name": m.name, "released": m.released or "", **m.verdicts} for m in members],
              f"{node}-members", "m_members")
else:
    st.html(verdict_card(g, node, resources.table(path, node)))

st.subheader("Lineage")
st.html(tree_html(g, model_tree(g, node)))
st.page_link("views/graph.py", label="See it in the graph", query_params={"focus": node},
             icon=":material/hub:")

st.subheader("Facts")
if d["description"]:
    st.write(d["description"])
if d["disputed"]:
    with st.container(border=True):
        st.warning("**Disputed:** the sources disagree on the facts below. Every claim is shown; none is chosen.")
        for item in d["disputed"]:
            st.markdown(f"**{item['fact']}**")
            for c in item["claims"]:
                if "type" in c:  # an edge alternative
                    st.markdown(f"- {EDGE_WORDS.get(c['type'], c['type'])} {g.nodes[c['target']]['name']}: "
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
    for name, value_key, claims_key in (("Released", "released", "released_claims"),
                                        ("Parameters", "parameters", "parameters_claims")):
        value = d[value_key]
        if value is None and not d[claims_key]:
            continue
        shown = f"{value:,}" if isinstance(value, int) else (value or "disputed or unknown")
        st.markdown(f"**{name}:** {shown}")
        claims(d[claims_key])
    if d["licenses"]:
        st.markdown("**Licenses:**")
        for lic in d["licenses"]:
            dispute = " (one side of a dispute)" if lic["dispute"] else ""
            st.markdown(f"- [{lic['name']}](model?model={lic['id']}) · {lic['scope']}{dispute}: "
                        + "; ".join(claim_markdown(s) for s in lic["sources"]))
    if d["sources"]:
        st.markdown("**Where this record comes from:**")
        claims(d["sources"])
with links:
    for heading, steps, end in (("Comes from", d["parents"], "parent"),
                                ("Used or built on by", d["children"], "child")):
        if steps:
            st.markdown(f"**{heading}**")
            for s in steps:
                model_link(g, s[end], f"{g.nodes[s[end]]['name']} ({EDGE_WORDS.get(s['type'], s['type'])})"
                           + (" (disputed)" if s["disputed"] else ""))

parts = components(g, node)
if parts:
    st.subheader("Parts")
    part_rows = [{"role": r.role, "part": r.name, "made by": r.organization or "unknown",
                  "licenses": ", ".join(x["name"] for x in r.licenses) or "none recorded",
                  "taken over from": g.nodes[r.inherited_from]["name"] if r.inherited_from else "",
                  "disputed": r.disputed, "page": f"model?model={r.node}"} for r in parts]
    table(part_rows, f"{node}-parts", "m_parts", links={"page": "open"})
if d["files"]:
    st.subheader("Weight files")
    files = [{"file": f["name"], "size": f"{f['size']:,} bytes" if f.get("size") else "not recorded",
              "sha256": f.get("sha256") or "not recorded",
              "source": next(filter(None, map(claim_url, f["sources"])), "")} for f in d["files"]]
    table(files, f"{node}-files", "m_files", links={"source": None})
chain = vae_ancestry(g, node)
if chain:
    st.subheader("Where its VAE comes from")
    table([{"step": s.depth, "from": g.nodes[s.child]["name"], "relation": EDGE_WORDS.get(s.type, s.type),
            "to": g.nodes[s.parent]["name"], "disputed": s.disputed,
            "source": next(filter(None, (claim_url(c) for c in s.sources)), "")} for s in chain],
          f"{node}-vae-ancestry", "m_vae", links={"source": None})
st.caption(DISCLAIMER)
