"""Helpers shared by the pages: load or show validation errors, read a model from the URL, link to pages."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import NoReturn

import networkx as nx
import streamlit as st

import resources
from lineage.core.problems import DataError
from lineage.core.resolve import AmbiguousName, UnknownName, resolve

MODEL_PAGE = "views/model.py"
CAN_I_PAGE = "views/can_i.py"
SITE = "Image-model lineage"


def title(text: str, caption: str | None = None) -> None:
    """The page's heading and its browser-tab title (``text · Image-model lineage``)."""
    st.set_page_config(page_title=f"{text} · {SITE}")
    st.title(text)
    if caption:
        st.caption(caption)


class PageDone(Exception):
    """Raised by a page that has said all it has to say; the router still draws the footer after it.

    (``st.stop()`` would end the whole run, so the footer would be lost.)
    """


_ROUTED: ContextVar[bool] = ContextVar("lineage_page_routed", default=False)


@contextmanager
def routed() -> Iterator[None]:
    """Run a page under the router: a :func:`done` inside ends the page, not the run."""
    token = _ROUTED.set(True)
    try:
        yield
    except PageDone:
        pass
    finally:
        _ROUTED.reset(token)


def done() -> NoReturn:
    """End the page here. Under the router (:func:`routed`) the footer still follows; a page run on its own
    (``streamlit run views/x.py``) simply stops."""
    if _ROUTED.get():
        raise PageDone
    st.stop()  # raises at once (Streamlit's stop request is checked at the next element, which it draws itself)
    raise AssertionError("unreachable: st.stop() raises")


def load() -> tuple[nx.MultiDiGraph, str]:
    """The graph and its data path; when the data does not validate, list the problems and stop the page."""
    path = resources.data_path()
    try:
        return resources.graph(), str(path)
    except DataError as err:
        st.set_page_config(page_title=f"Data problems · {SITE}")
        st.error(f"The data in `{path}` does not validate, so there is nothing to show yet. "
                 f"{len(err.problems)} problem(s) are listed below; fix them in the data file and reload the page.")
        table([p.to_dict() for p in err.problems], "data-problems", "data_problems")
        done()


def label(graph: nx.MultiDiGraph) -> Callable[[str], str]:
    """A ``format_func`` that shows a node's name and kind."""
    return lambda n: f"{graph.nodes[n]['name']} ({graph.nodes[n]['kind'].replace('_', ' ')})" if n else "(none)"


def node_ids(graph: nx.MultiDiGraph, licenses: bool = False) -> list[str]:
    """Node ids sorted by name (licenses last when included)."""
    return sorted((n for n, a in graph.nodes(data=True) if licenses or a["kind"] != "license"),
                  key=lambda n: (graph.nodes[n]["kind"] == "license", graph.nodes[n]["name"].casefold()))


def suggest(graph: nx.MultiDiGraph, text: str, err: UnknownName | AmbiguousName, page: str, param: str) -> None:
    """Say that ``text`` names no single model and link the closest candidates (on ``page``, as ``?param=``)."""
    what = "could mean several models" if isinstance(err, AmbiguousName) else "is not a model in the graph"
    st.set_page_config(page_title=f"Not found: {text} · {SITE}")
    st.warning(f"“{text}” {what}." + (" Did you mean one of these?" if err.candidates else
                                       " Search for it on the Graph page, or pick one on the Model page."))
    cols = st.columns(min(4, max(1, len(err.candidates))))
    for i, cand in enumerate(err.candidates):
        with cols[i % len(cols)]:
            st.page_link(page, label=graph.nodes[cand]["name"], query_params={param: cand})


def from_url(graph: nx.MultiDiGraph, param: str, page: str = MODEL_PAGE, licenses: bool = True) -> str | None:
    """Resolve ``?param=NAME`` to a node id.

    For an unknown or ambiguous name, show the closest candidates and stop the page: never show a model that
    was not asked for, and leave the URL as it is. A license given where a model is expected (``licenses=False``)
    opens the license's page instead.
    """
    text = st.query_params.get(param)
    if not text:
        return None
    try:
        node = resolve(graph, text)
    except (UnknownName, AmbiguousName) as err:
        suggest(graph, text, err, page, param)
        done()
    if not licenses and graph.nodes[node]["kind"] == "license":
        st.switch_page(MODEL_PAGE, query_params={"model": node})
    return node


def url_list(param: str) -> list[str]:
    """``?param=a,b`` as ``["a", "b"]`` (empty when absent)."""
    return [x for x in st.query_params.get(param, "").split(",") if x]


def url_multiselect(label_text: str, options: list[str], key: str, param: str,
                    format_func: Callable[[str], str] = str, **kwargs) -> list[str]:
    """A multiselect whose picks live in ``?param=a,b``: the URL sets it, and every change writes it back."""
    wanted = [x for x in url_list(param) if x in options]
    if key not in st.session_state or st.session_state.get(f"{key}__url") != wanted:
        st.session_state[key] = wanted
    picks = st.multiselect(label_text, options, key=key, format_func=format_func, **kwargs)
    if picks:
        st.query_params[param] = ",".join(picks)
    else:
        st.query_params.pop(param, None)
    st.session_state[f"{key}__url"] = picks
    return picks


def url_toggle(label_text: str, key: str, param: str, **kwargs) -> bool:
    """A toggle whose state lives in ``?param=1`` (absent when off): the URL sets it, and every change writes it."""
    on = st.toggle(label_text, key=key, value=st.query_params.get(param) == "1", **kwargs)
    if on:
        st.query_params[param] = "1"
    else:
        st.query_params.pop(param, None)
    return on


def downloads(rows: list[dict], name: str, key: str) -> None:
    """CSV and JSON download buttons for a table."""
    import json

    from app.matrix import to_csv

    left, right = st.columns(2)
    left.download_button("Download CSV", to_csv(rows), f"{name}.csv", "text/csv", key=f"{key}_csv",
                         icon=":material/download:", disabled=not rows)
    right.download_button("Download JSON", json.dumps(rows, indent=1, default=str), f"{name}.json",
                          "application/json", key=f"{key}_json", icon=":material/download:", disabled=not rows)


def table(rows: list[dict], name: str, key: str, links: dict[str, str | None] | None = None,
          download: bool = True, raw: list[dict] | None = None) -> None:
    """A table drawn as HTML (:mod:`app.tables`), with CSV and JSON downloads of its rows (of ``raw`` when
    given: the data behind rows worded for reading) unless ``download`` is off."""
    from app.tables import STYLE, html_table

    st.html(STYLE + html_table(rows, links))
    if download:
        downloads(rows if raw is None else raw, name, key)


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


def chart_downloads(chart, name: str, key: str) -> None:
    """SVG, PNG and Vega-Lite JSON downloads of an Altair chart, drawn only when asked (vl-convert, offline)."""
    import json

    def svg() -> str:
        import vl_convert

        return vl_convert.vegalite_to_svg(chart.to_dict())

    def png() -> bytes:
        import vl_convert

        return vl_convert.vegalite_to_png(chart.to_dict(), scale=2)

    def spec() -> str:
        return json.dumps(chart.to_dict(), indent=1)

    cols = st.columns(3)
    for col, (label_text, data, ext, mime) in zip(cols, (
            ("Save as SVG", svg, "svg", "image/svg+xml"), ("Save as PNG", png, "png", "image/png"),
            ("Vega-Lite JSON", spec, "vl.json", "application/json")), strict=True):
        col.download_button(label_text, data, f"{name}.{ext}", mime, key=f"{key}_{ext}", on_click="ignore",
                            icon=":material/image:" if ext != "vl.json" else ":material/data_object:")
