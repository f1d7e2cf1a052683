"""Page logic with AppTest (no browser): every page renders, widgets and URLs drive the expected library calls."""

from __future__ import annotations

from pathlib import Path

import pytest

import resources
import streamlit_app
from app.tables import read_table
from lineage.answers import reasoner, whatif

from .conftest import ROOT

PAGES = ["views/graph.py", "views/model.py", "views/timeline.py", "views/can_i.py", "views/matrix.py",
         "views/compare.py", "views/inspect.py"]


def texts(at) -> str:
    parts = [e.value for kind in ("title", "markdown", "caption", "warning", "info", "error", "subheader")
             for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


def node_ids(at) -> list[str]:
    """The ids in the graph page's node table (the Table tab lists exactly what is drawn)."""
    return [r["id"] for r in read_table(htmls(at)) if "id" in r]


def htmls(at) -> str:
    """Everything the page drew with ``st.html`` (the verdict card, banner, tree, matrix, comparison)."""
    return "\n".join(h.proto.body for h in at.get("html"))


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
    problems = read_table(htmls(at))
    assert any("no-such-vae" in r["message"] for r in problems)
    assert any("not legal advice" in c.value for c in at.caption)  # the footer is still drawn


@pytest.mark.parametrize("page,params", [("views/model.py", {"model": "apache-2.0"}), ("views/compare.py", {}),
                                         ("views/my_models.py", {}), ("views/model.py", {"model": "no-such"}),
                                         ("views/can_i.py", {})])
def test_pages_that_end_early_still_end_with_the_footer(monkeypatch: pytest.MonkeyPatch, open_page, page: str,
                                                        params: dict[str, str]) -> None:
    monkeypatch.delenv("LINEAGE_DATA", raising=False)
    monkeypatch.delenv("LINEAGE_MODELS_DIR", raising=False)
    at = open_page(page, **params)
    assert not at.exception, [e.message for e in at.exception]
    assert "Copy link to this view" in htmls(at)
    assert any("not legal advice" in c.value for c in at.caption)


def test_router_lists_optional_pages_only_when_their_file_exists(tmp_path: Path) -> None:
    for file, *_ in streamlit_app.PAGES[:6]:
        (tmp_path / file).parent.mkdir(exist_ok=True)
        (tmp_path / file).write_text("")
    assert [p[3] for p in streamlit_app.available(tmp_path)] == ["graph", "model", "can-i", "matrix", "compare",
                                                                 "timeline"]
    (tmp_path / "views" / "inspect.py").write_text("")
    assert [p[3] for p in streamlit_app.available(tmp_path)][-1] == "inspect"


def test_the_shipped_config_keeps_the_app_offline_and_hides_the_developer_menu() -> None:
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["browser"]["gatherUsageStats"] is False
    assert config["client"]["toolbarMode"] == "viewer"


def test_the_shipped_config_spares_the_server_work_viewers_do_not_need() -> None:
    """No file watcher over the project folder and its .venv, no magic: each made pages slower (docs/app.md)."""
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["fileWatcherType"] == "none"
    assert config["runner"]["magicEnabled"] is False


def test_each_page_has_its_own_tab_title(mini_data: Path, open_page) -> None:
    titles = set()
    for page, params in (("views/graph.py", {}), ("views/model.py", {"model": "child-model"}),
                         ("views/can_i.py", {}), ("views/matrix.py", {}), ("views/timeline.py", {})):
        at = open_page(page, **params)
        config = [e for e in at.get("page_config")] if at.get("page_config") else []
        titles.add(at.title[0].value)
        assert not config or config[-1].proto.title.startswith(at.title[0].value)
    assert len(titles) == 5


def drawn(at) -> dict:
    """The arguments the graph page sent to its frame (views/_graph_frame.py): nodes, edges, options..."""
    import json

    frames = [e for e in at.get("component_instance") if e.proto.component_name.endswith("lineage_graph")]
    return json.loads(frames[0].proto.json_args) if frames else {}


def test_graph_frame_gets_the_nodes_from_the_local_component(mini_data: Path, open_page) -> None:
    at = open_page("views/graph.py")
    spec = drawn(at)
    labels = {n["label"] for n in spec["nodes"]}
    assert {"Child Model", "Base Model"} <= labels
    assert spec["version"] and spec["poster"] and spec["options"]["interaction"]["zoomView"] is False
    assert "Save as SVG" in [b.label for b in at.get("download_button")]
    [frame] = at.get("component_instance")
    assert frame.proto.url == ""  # served from the app's own folder (views/graph_frame), not from a URL


def test_graph_filters_drive_the_selection(mini_data: Path, open_page) -> None:
    at = open_page("views/graph.py", show="table")
    at.multiselect(key="g_kinds").select("vae").run()
    assert node_ids(at) == ["the-vae"]
    at.multiselect(key="g_kinds").unselect("vae").run()
    at.multiselect(key="g_verdicts").select("no").run()
    assert set(node_ids(at)) == {"base-model", "child-model"}


def test_graph_focus_from_the_url_and_search(mini_data: Path, open_page) -> None:
    at = open_page("views/graph.py", focus="the-te", show="table")
    at.slider(key="g_hops").set_value(1).run()
    assert set(node_ids(at)) == {"child-model", "the-te"}
    at.selectbox(key="g_focus").select("").run()
    at.text_input(key="g_search").input("vae").run()
    assert "1 match “vae”" in texts(at)
    assert at.query_params["q"] in ("vae", ["vae"])  # the search is in the URL too
    assert set(node_ids(at)) == {"base-model", "the-vae"}


def test_model_deep_link_shows_facts_components_and_verdicts(mini_data: Path, open_page) -> None:
    at = open_page("views/model.py", model="Child Model")
    assert at.title[0].value == "Child Model"
    body = texts(at)
    assert "https://example.org/fixture" in body  # facts carry their source link
    rows = read_table(htmls(at))
    assert "child.safetensors" in [r.get("file") for r in rows]
    assert "The TE" in [r.get("part") for r in rows if r.get("role")]
    keys = {b.proto.id.rsplit("-", 1)[-1] for b in at.get("download_button")}
    assert {"m_files_csv", "m_parts_json"} <= keys, keys  # every table can be downloaded
    links = {(p.proto.label, p.proto.page) for p in at.get("page_link")}
    assert any(label.startswith("Base Model") for label, _ in links)
    card = htmls(at)
    assert 'class="verdict-card"' in card
    # the card comes first: one chip per use the reasoner knows, commercial use "no" through the NC parent
    assert card.count('class="verdict"') >= len(reasoner.USE_LABELS)
    assert "can-i?model=child-model&amp;use=commercial-use" in card
    assert '>no</span>' in card
    assert 'href="https://example.org/nc"' in card  # the deciding license links to its text
    assert "Base model" in card and "Base Model" in card  # the tree: the base model above


def test_unknown_model_in_the_url_gives_suggestions_and_nothing_else(mini_data: Path, open_page) -> None:
    at = open_page("views/model.py", model="base modle")
    assert not at.exception
    assert "is not a model in the graph" in at.warning[0].value
    assert "Base Model" in [p.proto.label for p in at.get("page_link")]
    assert not at.title and not at.selectbox and "verdict-card" not in htmls(at)  # no other model shown
    assert at.query_params["model"] in ("base modle", ["base modle"])  # the URL is left as typed


def test_a_license_given_as_a_model_opens_the_license_page(mini_data: Path, open_page) -> None:
    at = open_page("views/can_i.py", model="open-lic")
    assert not at.exception
    assert at.title[0].value == "Open License"  # switched to the model page's license view
    assert "What it allows" in texts(at)


def test_family_page_lists_members_with_their_own_verdicts(monkeypatch: pytest.MonkeyPatch, open_page) -> None:
    monkeypatch.delenv("LINEAGE_DATA", raising=False)
    at = open_page("views/model.py", model="flux1")
    body = htmls(at)
    assert "is a family of" in texts(at)
    assert "verdict-card" not in body  # a family has no single verdict
    from app.family import family_members
    from lineage.core.graph import load_graph

    members = family_members(load_graph(), "flux1")
    for m in members:
        assert f"model?model={m.node}" in body
    schnell = next(m for m in members if m.node == "flux1-schnell")
    assert schnell.verdicts["commercial-use"] == "yes"
    assert "can-i?model=flux1-schnell&use=commercial-use" in body


def test_can_i_widgets_call_the_reasoner(mini_data: Path, open_page, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, str]] = []

    def spy(graph, model, use):
        calls.append((model, use))
        return reasoner.can_i(graph, model, use)

    monkeypatch.setattr(resources, "can_i", spy)
    at = open_page("views/can_i.py", model="child-model", use="commercial-use")
    assert calls[-1] == ("child-model", "commercial-use")
    assert "No: Non-Commercial License" in htmls(at)  # the one-line reason under the banner
    at.selectbox(key="c_use").select("no-attribution").run()
    assert calls[-1] == ("child-model", "no-attribution")
    assert at.query_params["use"] == ["no-attribution"] or at.query_params["use"] == "no-attribution"
    assert "Not legal advice" in texts(at)
    banner = htmls(at)
    assert 'class="answer-banner"' in banner and ">no</span>" in banner
    drawn = next(h.proto.body for h in at.get("html") if 'class="answer-path"' in h.proto.body)
    assert "Child Model" in drawn and "fine-tuned from" in drawn and "child-model" not in drawn  # names, not ids
    dot = next(b for b in at.get("download_button") if b.proto.label == "Graphviz source (.dot)")
    assert dot is not None


def test_can_i_question_in_the_url(mini_data: Path, open_page) -> None:
    at = open_page("views/can_i.py", q="may I sell images made with Base Model?")
    assert at.selectbox(key="c_model").value == "base-model"
    assert at.selectbox(key="c_use").value == "sell-outputs"
    assert ">disputed</span>" in htmls(at)


def test_what_if_composer_calls_what_if(mini_data: Path, open_page, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, dict]] = []

    def spy(graph, model, swaps):
        calls.append((model, swaps))
        return whatif.what_if(graph, model, swaps)

    monkeypatch.setattr(resources, "what_if", spy)
    at = open_page("views/can_i.py", model="child-model")
    at.selectbox(key="c_role").select("vae").run()
    assert at.selectbox(key="c_other").options == ["The VAE (vae)"]  # only VAEs may replace a VAE
    at.selectbox(key="c_other").select("the-vae").run()
    assert calls == [("child-model", {"vae": "the-vae"})]
    assert "answers change" in texts(at)


def test_what_if_counts_verdict_changes_only(monkeypatch: pytest.MonkeyPatch, open_page) -> None:
    monkeypatch.delenv("LINEAGE_DATA", raising=False)
    at = open_page("views/can_i.py", model="anima-preview", swap="vae=flux1-ae")
    table = [r for r in read_table(htmls(at)) if "answer changes" in r]
    changed = sum(r["answer changes"] == "yes" for r in table)
    assert changed == sum(r["now"] != r["after the swap"] for r in table) and len(table) == len(reasoner.USE_LABELS)
    assert f"**{changed} of {len(reasoner.USE_LABELS)} answers change**" in texts(at)
    at.selectbox(key="c_role").select("textencoder").run()
    kinds = {o.rsplit("(", 1)[1] for o in at.selectbox(key="c_other").options}
    assert kinds == {"text encoder)"}  # a VAE is never offered as a text encoder


def test_matrix_filters_sorts_and_links_each_cell(mini_data: Path, open_page) -> None:
    at = open_page("views/matrix.py", org="org-a")
    body = htmls(at)
    assert "can-i?model=base-model&amp;use=commercial-use" in body and "child-model" not in body
    at = open_page("views/matrix.py", kind="model", sort="name", desc="1")
    body = htmls(at)
    assert body.index("model?model=child-model") < body.index("model?model=base-model")  # Z to A
    assert "sort=name" in body and "desc" not in body.split("sort=name", 1)[1][:20]  # heading flips the order
    assert [b.proto.label for b in at.get("download_button")] == ["Download CSV", "Download JSON"]


def test_compare_page_reads_its_models_from_the_url(mini_data: Path, open_page) -> None:
    at = open_page("views/compare.py", models="base-model,Child Model")
    assert at.multiselect(key="k_models").value == ["base-model", "child-model"]
    body = htmls(at)
    assert "model?model=base-model" in body and "model?model=child-model" in body
    assert "Based on" in body and "can-i?model=child-model&amp;use=sell-outputs" in body


def test_graph_filters_live_in_the_url(mini_data: Path, open_page) -> None:
    at = open_page("views/graph.py", kind="vae", layout="depth", show="table")
    assert [r["name"] for r in read_table(htmls(at)) if "id" in r] == ["The VAE"]
    at.multiselect(key="g_kinds").select("model").run()
    assert at.query_params["kind"] in ("vae,model", ["vae,model"])
    assert at.query_params["show"] in ("table", ["table"])  # the table view is shared by its link too
    assert not drawn(at)  # one view at a time
    at = open_page("views/graph.py", kind="vae,model")
    assert "The VAE" in {n["label"] for n in drawn(at)["nodes"]} and not read_table(htmls(at))  # no table under it


def test_inspect_refuses_server_paths_outside_the_configured_folders(
        monkeypatch: pytest.MonkeyPatch, mini_data: Path, open_page, tmp_path: Path) -> None:
    monkeypatch.delenv("LINEAGE_MODELS_DIR", raising=False)
    at = open_page("views/inspect.py")
    assert at.radio[0].options == ["Upload a file"]  # no server paths unless the operator allows a folder
    monkeypatch.setenv("LINEAGE_MODELS_DIR", str(tmp_path))
    at = open_page("views/inspect.py")
    at.radio[0].set_value("A weights file on the server").run()
    at.text_input[0].input("/etc/passwd").run()
    assert "outside the folders this server may read" in at.error[0].value
    assert "root:" not in texts(at)


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


def test_timeline_table_is_drawn_only_when_asked(mini_data: Path, open_page) -> None:
    at = open_page("views/timeline.py")
    assert not read_table(htmls(at))  # a collapsed table would still be drawn (and slow the page down)
    at.toggle(key="t_table").set_value(True).run()
    assert {r["name"] for r in read_table(htmls(at))} >= {"Base Model", "Child Model"}
    assert at.query_params["table"] == "1"  # the address reopens the table
    at = open_page("views/timeline.py", view="models", table="1")
    assert any(r["name"] == "Base Model" for r in read_table(htmls(at)))


def test_model_page_shows_discrepancies_with_titled_sources(monkeypatch: pytest.MonkeyPatch, open_page) -> None:
    monkeypatch.delenv("LINEAGE_DATA", raising=False)
    at = open_page("views/model.py", model="wan2.2")
    assert not at.exception, [e.message for e in at.exception]
    shown = texts(at)
    assert "Discrepancies" in shown
    assert "says 2025-08-07" in shown and "Wan-Video/Wan2.2 README says 2025-07-28" in shown
    assert "shared/" not in shown


def test_generate_reads_and_writes_only_in_the_configured_folders(
        monkeypatch: pytest.MonkeyPatch, mini_data: Path, open_page, tmp_path: Path) -> None:
    monkeypatch.setenv("LINEAGE_MODELS_DIR", str(tmp_path / "models"))
    monkeypatch.setenv("LINEAGE_OUTPUTS_DIR", str(tmp_path / "out"))
    monkeypatch.delenv("LINEAGE_ANIMA_WEIGHTS", raising=False)
    at = open_page("views/generate.py")
    assert not at.exception
    assert at.text_input(key="out_dir").value == str((tmp_path / "out").resolve())
    at.sidebar.text_input[0].input("/etc").run()
    assert "outside the folders this server may read" in at.error[0].value
