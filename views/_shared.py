"""Helpers shared by the pages: load or show validation errors, read a model from the URL, link to pages."""

from __future__ import annotations

from collections.abc import Callable

import networkx as nx
import streamlit as st

import resources
from lineage.problems import DataError
from lineage.resolve import AmbiguousName, UnknownName, resolve

MODEL_PAGE = "views/model.py"
CAN_I_PAGE = "views/can_i.py"


def load() -> tuple[nx.MultiDiGraph, str]:
    """The graph and its data path; when the data does not validate, list the problems and stop the page."""
    path = resources.data_path()
    try:
        return resources.graph(), str(path)
    except DataError as err:
        st.error(f"The data in `{path}` does not validate, so there is nothing to show yet. "
                 f"{len(err.problems)} problem(s); fix them and reload (`lineage validate` lists them too).")
        st.dataframe([p.to_dict() for p in err.problems], hide_index=True)
        st.stop()
        raise  # unreachable: st.stop() ends the run


def label(graph: nx.MultiDiGraph) -> Callable[[str], str]:
    """A ``format_func`` that shows a node's name and kind."""
    return lambda n: f"{graph.nodes[n]['name']} ({graph.nodes[n]['kind'].replace('_', ' ')})"


def node_ids(graph: nx.MultiDiGraph, licenses: bool = False) -> list[str]:
    """Node ids sorted by name (licenses last when included)."""
    return sorted((n for n, a in graph.nodes(data=True) if licenses or a["kind"] != "license"),
                  key=lambda n: (graph.nodes[n]["kind"] == "license", graph.nodes[n]["name"].casefold()))


def from_url(graph: nx.MultiDiGraph, param: str, page: str = MODEL_PAGE, kinds: set[str] | None = None) -> str | None:
    """Resolve ``?param=NAME`` to a node id; for an unknown or ambiguous name say so and offer candidates."""
    text = st.query_params.get(param)
    if not text:
        return None
    try:
        return resolve(graph, text, kinds)
    except (UnknownName, AmbiguousName) as err:
        what = "could mean several models" if isinstance(err, AmbiguousName) else "is not a model in the graph"
        st.warning(f"“{text}” {what}." + (" Did you mean one of these?" if err.candidates else
                                           " Pick one from the list below."))
        cols = st.columns(min(4, max(1, len(err.candidates))))
        for i, cand in enumerate(err.candidates):
            with cols[i % len(cols)]:
                st.page_link(page, label=graph.nodes[cand]["name"], query_params={param: cand})
        return None


def url_select(label_text: str, options: list[str], key: str, param: str, value: str | None,
               format_func: Callable[[str], str] = str, on_pick: Callable[[], None] | None = None) -> str:
    """A selectbox whose value lives in ``?param=``: the URL sets it, and picking writes it back.

    An empty option (``""``) removes the parameter.
    ``on_pick`` runs after a pick (e.g. to drop a question the pick replaces).
    """
    if value in options:
        st.session_state[key] = value
    elif st.session_state.get(key) not in options:
        st.session_state[key] = options[0]

    def write(choice: str) -> None:
        if choice:
            st.query_params[param] = choice
        else:
            st.query_params.pop(param, None)

    def write_back() -> None:
        write(st.session_state[key])
        if on_pick:
            on_pick()

    choice = st.selectbox(label_text, options, key=key, format_func=format_func, on_change=write_back)
    write(choice)  # so the URL always reopens this view
    return choice


def model_link(graph: nx.MultiDiGraph, node: str, text: str | None = None) -> None:
    """A link to a node's model page."""
    st.page_link(MODEL_PAGE, label=text or graph.nodes[node]["name"], query_params={"model": node})
