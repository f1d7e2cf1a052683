"""Can I use it? Pick a model and a use, or ask a question; the verdict, why, and a what-if composer."""

from __future__ import annotations

import streamlit as st

import resources
from lineage import viz
from lineage.ask import parse_question
from lineage.problems import LineageError
from lineage.reasoner import USE_LABELS
from lineage.resolve import resolve
from lineage.schema import USES
from lineage.whatif import parse_swap
from views._shared import from_url, label, load, model_link, node_ids, url_select

COLORS = {"yes": "green", "conditional": "orange", "unknown": "gray", "depends": "blue", "disputed": "violet",
          "no": "red"}
SWAP_ROLES = {"denoiser": "denoiser (what its weights derive from)", "textencoder": "text encoder", "vae": "VAE",
              "adapter": "adapter", "tokenizer": "tokenizer"}

g, path = load()
st.title("Can I use it?")
if "q" in st.query_params:
    st.session_state["c_q"] = st.query_params["q"]


def asked() -> None:
    st.query_params["q"] = st.session_state["c_q"]


def picked() -> None:
    st.query_params.pop("q", None)
    st.session_state["c_q"] = ""


question = st.text_input("Ask in plain English", key="c_q", on_change=asked,
                         placeholder="can I sell images made with Anima?")
parsed = parse_question(g, question) if question.strip() else None
if parsed and parsed.missing:
    st.info("Understood " + (f"model **{parsed.model}**" if parsed.model else "no model") + " and "
            + (f"use **{parsed.use}**" if parsed.use else "no use") + ". Please add: " + "; ".join(parsed.missing))
wanted = (parsed and parsed.model) or from_url(g, "model", "views/can_i.py")
if wanted is None and "anima-preview" in g:
    wanted = st.session_state.get("c_model", "anima-preview")
url_use = st.query_params.get("use")
left, right = st.columns(2)
with left:
    model = url_select("Model", node_ids(g), "c_model", "model", wanted, label(g), picked)
with right:
    use = url_select("Use", list(USES), "c_use", "use", (parsed and parsed.use) or url_use,
                     lambda u: f"{u}: {USE_LABELS[u]}", picked)

a = resources.answer(path, model, use)
st.markdown(f"### May I {USE_LABELS[use]} with {a.model_name}?  :{COLORS[a.verdict]}-background[{a.verdict}]")
if a.rests_on:
    st.warning(a.rests_on)
for note in [*a.notes, *(o["text"] for o in a.optional)]:
    st.info(note)
cols = st.columns(3)
for col, title, items in ((cols[0], "Conditions", a.conditions), (cols[1], "Obligations", a.obligations),
                          (cols[2], "Deciding licenses", [g.nodes[x]["name"] for x in a.deciding])):
    col.markdown(f"**{title}**\n" + ("".join(f"\n- {i}" for i in items) if items else "\n\nnone"))
st.subheader("The deciding path")
st.graphviz_chart(viz.answer_dot(a))
st.subheader("Clauses")
st.dataframe([{"decisive": r.decisive, "license": r.license_name, "verdict": r.verdict, "how": r.how,
               "path": " → ".join(r.path), "clause": r.clause, "where": r.locator or "", "link": r.url or "",
               "status": r.status, "scenario": ", ".join(r.scenario)} for r in a.reasons],
             hide_index=True, column_config={"link": st.column_config.LinkColumn("link")})
model_link(g, a.model, f"All facts about {a.model_name}")
st.warning(a.disclaimer, icon=":material/balance:")

st.header("What if…")
st.caption("Swap one part of the model and see which verdicts change (a hypothetical composition).")
role, other = None, None
if st.query_params.get("swap"):
    try:
        role, other_text = parse_swap(st.query_params["swap"])
        other = resolve(g, other_text)
    except LineageError as err:
        st.warning(str(err))
w1, w2 = st.columns(2)
role = w1.selectbox("Swap", list(SWAP_ROLES), format_func=SWAP_ROLES.get, key="c_role",
                    index=list(SWAP_ROLES).index(role) if role in SWAP_ROLES else 0)
others = [n for n in node_ids(g) if n != model]
other = w2.selectbox("for", others, index=others.index(other) if other in others else None, key="c_other",
                     format_func=label(g), placeholder="pick a replacement")
if other:
    st.query_params["swap"] = f"{role}={other}"
    try:
        result = resources.whatif(path, model, ((role, other),))
    except LineageError as err:
        st.error(str(err))
        st.stop()
    if result.removed_licenses:
        st.markdown("Licenses dropped with the old parent: " + ", ".join(result.removed_licenses))
    st.dataframe([{"use": u, "before": result.before[u]["verdict"], "after": result.after[u]["verdict"],
                   "changed": result.before[u]["verdict"] != result.after[u]["verdict"],
                   "deciding after": ", ".join(result.after[u]["deciding"])} for u in USES], hide_index=True)
    st.caption(f"{len(result.changes)} of {len(USES)} verdicts change. Hypothetical: not a real model.")
    for c in result.obligation_changes:
        st.caption(f"{c['use']}: obligations gone: {'; '.join(c['obligations_gone']) or 'none'} · "
                   f"new: {'; '.join(c['obligations_new']) or 'none'}")
else:
    st.query_params.pop("swap", None)
