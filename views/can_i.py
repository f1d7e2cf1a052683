"""Can I use it? Pick a model and a use, or ask a question: the verdict in large, why, and a what-if composer."""

from __future__ import annotations

import streamlit as st

import resources
from app import viz
from app.cards import answer_paths, banner, how_words, plain
from lineage.answers.ask import parse_question
from lineage.answers.reasoner import USE_LABELS
from lineage.answers.whatif import parse_swap
from lineage.core.problems import LineageError
from lineage.core.resolve import resolve
from views._shared import done, from_url, label, load, model_link, node_ids, table, title, url_select

#: The parts a what-if can swap, what they are called, and which kinds of node may replace them.
SWAP_ROLES: dict[str, tuple[str, frozenset[str]]] = {
    "denoiser": ("denoiser (what its weights derive from)", frozenset({"model", "denoiser"})),
    "textencoder": ("text encoder", frozenset({"text_encoder"})),
    "vae": ("VAE", frozenset({"vae"})),
    "adapter": ("adapter", frozenset({"adapter"})),
    "tokenizer": ("tokenizer", frozenset({"tokenizer"})),
}

g, path = load()
title("Can I use it?")
names = {n: a["name"] for n, a in g.nodes(data=True)}
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
    st.info("Understood " + (f"model **{names.get(parsed.model, parsed.model)}**" if parsed.model else "no model")
            + " and " + (f"use **{parsed.use}**" if parsed.use else "no use") + ". Please add: "
            + "; ".join(parsed.missing))
wanted = (parsed and parsed.model) or from_url(g, "model", "views/can_i.py", licenses=False)
if wanted is None and "anima-preview" in g:
    wanted = st.session_state.get("c_model", "anima-preview")
url_use = st.query_params.get("use")
left, right = st.columns(2)
with left:
    model = url_select("Model", node_ids(g), "c_model", "model", wanted, label(g), picked)
with right:
    use = url_select("Use", list(USE_LABELS), "c_use", "use", (parsed and parsed.use) or url_use,
                     lambda u: f"{u}: {USE_LABELS[u]}", picked)

a = resources.answer(path, model, use)
st.html(banner(g, a))
if a.rests_on:
    st.warning(a.rests_on)
for note in [*a.notes, *(o["text"] for o in a.optional)]:
    st.info(plain(g, note))
lists = [(heading, items) for heading, items in (("Only if", a.conditions), ("You must", a.obligations),
                                                 ("Decided by", [names.get(x, x) for x in a.deciding])) if items]
for col, (heading, items) in zip(st.columns(len(lists)) if lists else [], lists, strict=True):  # no empty gap
    col.markdown(f"**{heading}**" + "".join(f"\n- {i}" for i in items))
st.subheader("How the licenses reach it")
st.html(answer_paths(a, names))
dot = viz.answer_dot(a, names)
st.download_button("Graphviz source (.dot)", dot, f"{model}-{use}.dot", "text/vnd.graphviz", key="c_dot",
                   on_click="ignore", icon=":material/download:")
st.subheader("The clauses")
clauses = [{"decides": r.decisive, "license": r.license_name, "says": r.verdict,
            "reaches it": how_words(g, r.how, r.path),
            "path": " → ".join(names.get(n, n) for n in r.path), "clause": r.clause, "where": r.locator or "",
            "link": r.url or "", "source checked": r.status, "if the sources say": ", ".join(r.scenario)}
           for r in a.reasons]
table(clauses, f"{model}-{use}-clauses", "c_clauses", links={"link": None})
model_link(g, a.model, f"All facts about {a.model_name}")
st.warning(a.disclaimer, icon=":material/balance:")

st.header("What if…")
st.caption("Swap one part of the model for another and see which answers change (a made-up combination, "
           "not a real model).")
if g.nodes[model]["kind"] == "family":
    st.info("Pick one release of this family to try a swap.")
    done()
role, other = None, None
if st.query_params.get("swap"):
    try:
        role, other_text = parse_swap(st.query_params["swap"])
        other = resolve(g, other_text)
    except LineageError:
        st.warning(f"The swap in this address (“{st.query_params['swap']}”) is not one this page understands: it "
                   "should read part=replacement, e.g. vae=flux1-ae. Pick the part and the replacement below.")
        role, other = None, None
w1, w2 = st.columns(2)
role = w1.selectbox("Swap its", list(SWAP_ROLES), format_func=lambda r: SWAP_ROLES[r][0], key="c_role",
                    index=list(SWAP_ROLES).index(role) if role in SWAP_ROLES else 0)
fits = SWAP_ROLES[role][1]
others = [n for n in node_ids(g) if n != model and g.nodes[n]["kind"] in fits]
other = w2.selectbox("for", others, index=others.index(other) if other in others else None, key="c_other",
                     format_func=label(g), placeholder=f"pick a {SWAP_ROLES[role][0].split(' (')[0]}")
if other:
    st.query_params["swap"] = f"{role}={other}"
    try:
        result = resources.whatif(path, model, ((role, other),))
    except LineageError as err:
        st.error(str(err))
        done()
    changes = {c["use"]: c for c in result.changes}
    changed = [u for u in USE_LABELS if result.before[u]["verdict"] != result.after[u]["verdict"]]
    st.markdown(f"**{len(changed)} of {len(USE_LABELS)} answers change** if {a.model_name} used "
                f"{names[other]} as its {SWAP_ROLES[role][0].split(' (')[0]}.")
    rows = [{"use": USE_LABELS[u], "now": result.before[u]["verdict"], "after the swap": result.after[u]["verdict"],
             "answer changes": u in changed,
             "decided by after": ", ".join(names.get(x, x) for x in result.after[u]["deciding"])} for u in USE_LABELS]
    table(rows, f"{model}-what-if", "c_whatif")
    duties = [(c["use"], c) for c in result.obligation_changes]
    if duties:
        st.markdown("**Duties that change** (the answer stays the same, what you must do differs):")
        for u, c in duties:
            st.markdown(f"- {USE_LABELS[u]}: "
                        + "; ".join([*(f"no longer: {o}" for o in c.get("obligations_gone", [])),
                                     *(f"new: {o}" for o in c.get("obligations_new", []))]))
    if result.removed_licenses:
        st.caption("Licenses that leave with the old part: " + ", ".join(names.get(x, x)
                                                                          for x in result.removed_licenses))
else:
    st.query_params.pop("swap", None)
