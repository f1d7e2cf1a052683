"""Page logic with AppTest (no browser): every page renders, widgets and URLs drive the expected library calls."""

from __future__ import annotations

from pathlib import Path

import pytest

import resources
import streamlit_app
from lineage import reasoner, whatif

from .conftest import ROOT

PAGES = ["views/graph.py", "views/model.py", "views/timeline.py", "views/can_i.py"]


def texts(at) -> str:
    parts = [e.value for kind in ("title", "markdown", "caption", "warning", "info", "error", "subheader")
             for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("page", PAGES)
def test_each_page_renders_on_the_mini_data(mini_data: Path, open_page, page: str) -> None:
    at = open_page(page)
    assert not at.exception, [e.message for e in at.exception]
    assert at.title, "the page has a title"


@pytest.mark.parametrize("page", PAGES)
def test_each_page_renders_on_the_shipped_data(monkeypatch: pytest.MonkeyPatch, open_page, page: str) -> None:
    monkeypatch.delenv("LINEAGE_DATA", raising=False)
    at = open_page(page)
    assert not at.exception, [e.message for e in at.exception]


def test_invalid_data_shows_the_problems_instead_of_crashing(monkeypatch: pytest.MonkeyPatch, open_page) -> None:
    monkeypatch.setenv("LINEAGE_DATA", str(ROOT / "tests" / "fixtures" / "broken" / "references.yaml"))
    at = open_page("views/graph.py")
    assert not at.exception
    assert "does not validate" in at.error[0].value
    problems = at.dataframe[0].value
    assert "no-such-vae" in " ".join(problems["message"].astype(str))


def test_router_lists_optional_pages_only_when_their_file_exists(tmp_path: Path) -> None:
    for file, *_ in streamlit_app.PAGES[:4]:
        (tmp_path / file).parent.mkdir(exist_ok=True)
        (tmp_path / file).write_text("")
    assert [p[3] for p in streamlit_app.available(tmp_path)] == ["graph", "model", "timeline", "can-i"]
    (tmp_path / "views" / "inspect.py").write_text("")
    assert [p[3] for p in streamlit_app.available(tmp_path)][-1] == "inspect"


def test_graph_is_offline_html_with_the_nodes(mini_data: Path, open_page) -> None:
    srcdoc = open_page("views/graph.py").get("iframe")[0].proto.srcdoc
    assert "Child Model" in srcdoc and "Base Model" in srcdoc
    assert "cdn.jsdelivr.net" not in srcdoc and "cdnjs.cloudflare.com" not in srcdoc


def test_graph_filters_drive_the_selection(mini_data: Path, open_page) -> None:
    at = open_page("views/graph.py")
    at.multiselect(key="g_kinds").select("vae").run()
    assert list(at.dataframe[0].value["id"]) == ["the-vae"]
    at.multiselect(key="g_kinds").unselect("vae").run()
    at.multiselect(key="g_verdicts").select("no").run()
    assert set(at.dataframe[0].value["id"]) == {"base-model", "child-model"}


def test_graph_focus_from_the_url_and_search(mini_data: Path, open_page) -> None:
    at = open_page("views/graph.py", focus="the-te")
    at.slider(key="g_hops").set_value(1).run()
    assert set(at.dataframe[0].value["id"]) == {"child-model", "the-te"}
    at.selectbox(key="g_focus").select("").run()
    at.text_input(key="g_search").input("vae").run()
    assert "1 node(s) match" in texts(at)
    assert set(at.dataframe[0].value["id"]) == {"base-model", "the-vae"}


def test_model_deep_link_shows_facts_components_and_verdicts(mini_data: Path, open_page) -> None:
    at = open_page("views/model.py", model="Child Model")
    assert at.title[0].value == "Child Model"
    body = texts(at)
    assert "https://example.org/fixture" in body  # facts carry their source link
    tables = {df.value.columns[0]: df.value for df in at.dataframe}
    assert "child.safetensors" in list(tables["file"]["file"])
    assert "The TE" in list(tables["role"]["component"])
    links = {(p.proto.label, p.proto.page) for p in at.get("page_link")}
    assert any(label.startswith("Base Model") for label, _ in links)
    assert "`no`" in body  # commercial use through the NC parent


def test_unknown_model_in_the_url_gives_suggestions(mini_data: Path, open_page) -> None:
    at = open_page("views/model.py", model="base modle")
    assert not at.exception
    assert "is not a model in the graph" in at.warning[0].value
    assert "Base Model" in [p.proto.label for p in at.get("page_link")]


def test_can_i_widgets_call_the_reasoner(mini_data: Path, open_page, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, str]] = []

    def spy(graph, model, use):
        calls.append((model, use))
        return reasoner.can_i(graph, model, use)

    monkeypatch.setattr(resources, "can_i", spy)
    at = open_page("views/can_i.py", model="child-model", use="commercial-use")
    assert calls[-1] == ("child-model", "commercial-use")
    at.selectbox(key="c_use").select("no-attribution").run()
    assert calls[-1] == ("child-model", "no-attribution")
    assert at.query_params["use"] == ["no-attribution"] or at.query_params["use"] == "no-attribution"
    body = texts(at)
    assert "[no]" in body and "Not legal advice" in body
    dot = at.get("graphviz_chart")[0].proto.spec
    assert '"child-model"' in dot and "open-lic" in dot


def test_can_i_question_in_the_url(mini_data: Path, open_page) -> None:
    at = open_page("views/can_i.py", q="may I sell images made with Base Model?")
    assert at.selectbox(key="c_model").value == "base-model"
    assert at.selectbox(key="c_use").value == "sell-outputs"
    assert "[disputed]" in texts(at)


def test_what_if_composer_calls_what_if(mini_data: Path, open_page, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, dict]] = []

    def spy(graph, model, swaps):
        calls.append((model, swaps))
        return whatif.what_if(graph, model, swaps)

    monkeypatch.setattr(resources, "what_if", spy)
    at = open_page("views/can_i.py", model="child-model")
    at.selectbox(key="c_role").select("vae").run()
    at.selectbox(key="c_other").select("the-te").run()
    assert calls == [("child-model", {"vae": "the-te"})]
    assert "verdicts change" in texts(at)


def test_timeline_charts_hold_every_release(mini_data: Path, open_page) -> None:
    at = open_page("views/timeline.py")
    [chart] = at.get("vega_lite_chart")  # one view at a time
    assert '"name": "pick"' in chart.proto.spec  # clicking a point selects its node
    assert b"Base Model" in chart.proto.data.data and b"Child Model" in chart.proto.data.data  # Arrow bytes
    at = open_page("views/timeline.py", view="models")  # the deep link reopens the roadmap view
    assert any("gantt" in c.value for c in at.code)
    assert b"Base Model" in at.get("vega_lite_chart")[0].proto.data.data
    at = open_page("views/timeline.py", view="vaes")  # the fixture dates no VAE
    assert not at.exception and "No dated releases" in at.info[0].value


def test_model_page_shows_discrepancies_with_titled_sources(monkeypatch: pytest.MonkeyPatch, open_page) -> None:
    monkeypatch.delenv("LINEAGE_DATA", raising=False)
    at = open_page("views/model.py", model="wan2.2")
    assert not at.exception, [e.message for e in at.exception]
    shown = texts(at)
    assert "Discrepancies" in shown
    assert "says 2025-08-07" in shown and "Wan-Video/Wan2.2 README says 2025-07-28" in shown
    assert "shared/" not in shown
