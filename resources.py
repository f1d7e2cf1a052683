"""Cached loaders for the Streamlit pages (never import the entry file from a page).

The data file is ``$LINEAGE_DATA`` when set, else the shipped ``data/models.yaml``. The graph is cached per
process (read-only, shared by every session); derived strings and tables are cached per argument.
"""

from __future__ import annotations

import os
from pathlib import Path

import networkx as nx
import streamlit as st

from app import viz
from app.family import family_members
from app.version import DataVersion, data_version
from lineage.answers.reasoner import Answer, can_i, verdict_table
from lineage.answers.whatif import WhatIf, what_if
from lineage.core.graph import load_graph
from lineage.core.load import DEFAULT_DATA


def data_path() -> Path:
    """The data file the app shows: ``$LINEAGE_DATA`` or the shipped data."""
    return Path(os.environ.get("LINEAGE_DATA") or DEFAULT_DATA)


@st.cache_resource(show_spinner="Loading the lineage graph…")
def _graph(path: str, mtime: float) -> nx.MultiDiGraph:  # mtime: only part of the cache key (a changed file reloads)
    return load_graph(path)


def graph() -> nx.MultiDiGraph:
    """The validated graph; raises :class:`lineage.core.problems.DataError` when the data does not validate."""
    path = data_path()
    return _graph(str(path), path.stat().st_mtime if path.exists() else 0.0)


@st.cache_data(show_spinner=False)
def verdicts(path: str, use: str = "commercial-use") -> dict[str, str]:
    """The verdict for ``use`` of every node (for the graph filter and colouring)."""
    return viz.verdicts(graph(), use)


@st.cache_data(show_spinner=False, max_entries=64)
def graph_view(path: str, filters: viz.Filters, physics: bool = False,
               how: str = "date") -> tuple[dict | None, list[dict], list[dict], list[str], str]:
    """The network to draw (``viz.network_spec``; None when nothing matches), the node and edge tables, the
    search matches, and the caption that says what the drawing leaves out."""
    g = graph()
    node_verdicts = verdicts(path)
    sel = viz.select(g, filters, node_verdicts)
    spec = viz.network_spec(g, sel, node_verdicts, physics=physics, how=how) if sel.nodes else None
    return (spec, viz.node_rows(g, sel, node_verdicts), viz.edge_rows(g, sel), sel.matches,
            viz.hidden_caption(sel))


@st.cache_data(show_spinner=False, max_entries=256)
def answer(path: str, model: str, use: str) -> Answer:
    """The reasoner's answer (cached: the graph does not change while the app runs)."""
    return can_i(graph(), model, use)


@st.cache_data(show_spinner=False, max_entries=128)
def table(path: str, model: str) -> dict[str, Answer]:
    """The verdict for every use."""
    return verdict_table(graph(), model)


@st.cache_data(show_spinner=False)
def all_verdicts(path: str) -> dict[str, dict[str, str]]:
    """node -> use -> verdict for every node that is not a license (the matrix and compare pages)."""
    g = graph()
    return {n: {u: a.verdict for u, a in verdict_table(g, n).items()}
            for n, attrs in g.nodes(data=True) if attrs["kind"] != "license"}


@st.cache_data(show_spinner=False, max_entries=64)
def family(path: str, node: str) -> list:
    """The members of a family with their verdicts (:func:`app.family.family_members`)."""
    return family_members(graph(), node)


@st.cache_data(show_spinner=False, max_entries=64)
def whatif(path: str, model: str, swaps: tuple[tuple[str, str], ...]) -> WhatIf:
    """The what-if comparison for ``swaps`` (role, replacement) pairs."""
    return what_if(graph(), model, dict(swaps))


@st.cache_data(show_spinner=False)
def _version(path: str, mtime: float) -> DataVersion:  # mtime: only part of the cache key
    return data_version(Path(path))


def version() -> DataVersion:
    """The data version shown in every page's footer."""
    path = data_path()
    return _version(str(path), path.stat().st_mtime if path.exists() else 0.0)
