"""The app in a real browser: Debian's chromium against the README's `streamlit run streamlit_app.py`.

Every test logs every request and fails if one leaves the machine. The server is started exactly as the README
starts it, plus only a free port and headless mode (`server.command`), so `.streamlit/config.toml` is what
keeps usage statistics off. Screenshots go to test-artifacts/. Without /usr/bin/chromium these tests fail
(run `apt-get install -y chromium`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

import streamlit_app
from lineage.answers.reasoner import USE_LABELS

from .conftest import MINI, ROOT
from .server import CHROMIUM, CHROMIUM_ARGS, is_local, require_chromium, serve, wait_for_app

ARTIFACTS = ROOT / "test-artifacts"
pytestmark = pytest.mark.browser
expect.set_options(timeout=20_000)  # two shared cores: a rerun after a click can take seconds


def doc_links() -> list[str]:
    """The deep links listed under "### Deep links" in docs/app.md."""
    text = (ROOT / "docs" / "app.md").read_text()
    section = text.split("### Deep links", 1)[1].split("\n### ", 1)[0]
    return re.findall(r"^- `(/[^`]*)`", section, flags=re.MULTILINE)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    require_chromium()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("models")


@pytest.fixture(scope="session")
def app_url() -> Iterator[str]:
    with serve(MINI) as url:
        yield url


@pytest.fixture(scope="session")
def shipped_url(models_dir: Path) -> Iterator[str]:
    with serve(None, env={"LINEAGE_MODELS_DIR": str(models_dir)}) as url:
        yield url


def _page(browser: Browser, width: int, height: int) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True)
    pg = context.new_page()
    requests: list[str] = []
    pg.on("request", lambda r: requests.append(r.url))
    yield pg
    pg.wait_for_timeout(300)  # late requests (usage statistics are sent after the first render)
    context.close()
    external = [u for u in requests if not is_local(u)]
    assert requests and external == [], f"requests left the machine: {external}"


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page whose every request is logged; the test fails if one leaves the machine."""
    yield from _page(browser, 1400, 1000)


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    """The same at 390x844 (a phone)."""
    yield from _page(browser, 390, 844)


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def open_app(page: Page, url: str) -> None:
    page.goto(url)
    wait_for_app(page, timeout=60_000)
    expect(page.get_by_test_id("stException")).to_have_count(0)


def _opened(page: Page) -> bool:
    try:
        page.get_by_role("option").first.wait_for(state="visible", timeout=5_000)
        return True
    except Exception:
        return False


def heading(page: Page, name: str):
    return page.get_by_role("heading", name=name, level=1)


# --- offline, as the README starts it ---------------------------------------------------------------------


def test_readme_command_sends_nothing_off_the_machine(page: Page, shipped_url: str) -> None:
    open_app(page, f"{shipped_url}/")
    expect(page.frame_locator("iframe[title='Lineage graph']").locator("canvas")).to_be_visible(timeout=30_000)
    page.wait_for_timeout(2500)  # Streamlit sends its usage statistics shortly after the first render
    # the `page` fixture fails the test on any request to data.streamlit.io or anywhere else off the machine


def test_viewers_get_no_deploy_button_or_developer_menu(page: Page, shipped_url: str) -> None:
    open_app(page, f"{shipped_url}/model?model=anima-preview")
    expect(page.get_by_test_id("stAppDeployButton")).to_have_count(0)
    page.get_by_test_id("stMainMenu").click()
    expect(page.get_by_text("Clear cache")).to_have_count(0)  # a developer item
    expect(page.get_by_text("Developer options")).to_have_count(0)


# --- every page has a working path; the docs' deep links work ---------------------------------------------


def test_graph_path_with_a_focus_works(page: Page, shipped_url: str) -> None:
    open_app(page, f"{shipped_url}/graph?focus=anima-preview")
    expect(page.get_by_text("Page not found")).to_have_count(0)
    expect(heading(page, "Lineage graph")).to_be_visible()
    expect(page.get_by_role("combobox", name="Focus on")).to_have_value("Anima Preview (model)")
    expect(page.frame_locator("iframe[title='Lineage graph']").locator("canvas")).to_be_visible(timeout=30_000)
    assert "focus=anima-preview" in page.url


@pytest.mark.parametrize("link", doc_links())
def test_every_deep_link_in_the_docs_opens(page: Page, shipped_url: str, link: str) -> None:
    open_app(page, shipped_url + link)
    expect(page.get_by_text("Page not found")).to_have_count(0)
    expect(page.locator("h1")).to_have_count(1)
    expect(page.get_by_text("is not a model in the graph")).to_have_count(0)
    assert page.title().endswith("Image-model lineage")
    shot(page, "docs-" + re.sub(r"\W+", "-", link).strip("-"))


def test_docs_list_a_deep_link_for_every_page() -> None:
    paths = {link.split("?")[0] for link in doc_links()}
    assert {f"/{url}" for *_, url in streamlit_app.PAGES} <= paths  # so every page has a screenshot too


# --- unknown ids, licenses as models ----------------------------------------------------------------------


def test_unknown_model_shows_suggestions_and_nothing_else(page: Page, app_url: str) -> None:
    open_app(page, f"{app_url}/model?model=chlid%20model")
    expect(page.get_by_text("is not a model in the graph")).to_be_visible()
    expect(page.get_by_role("link", name="Child Model", exact=True)).to_be_visible()
    expect(page.locator("h1")).to_have_count(0)
    expect(page.locator(".verdict-card")).to_have_count(0)
    page.wait_for_timeout(500)
    assert "model=chlid%20model" in page.url or "model=chlid+model" in page.url  # never rewritten
    shot(page, "model-unknown")
    page.get_by_role("link", name="Child Model", exact=True).click()
    expect(heading(page, "Child Model")).to_be_visible()


def test_unknown_model_on_the_answer_page_shows_no_answer(page: Page, app_url: str) -> None:
    open_app(page, f"{app_url}/can-i?model=doesnotexist&use=commercial-use")
    expect(page.get_by_text("is not a model in the graph")).to_be_visible()
    expect(page.locator(".answer-banner")).to_have_count(0)
    page.wait_for_timeout(500)
    assert "model=doesnotexist" in page.url


def test_a_license_given_as_a_model_opens_its_page(page: Page, app_url: str) -> None:
    open_app(page, f"{app_url}/can-i?model=open-lic&use=commercial-use")
    expect(heading(page, "Open License")).to_be_visible()
    page.wait_for_function("() => location.pathname.endsWith('/model') && location.search.includes('open-lic')")


# --- verdict first ------------------------------------------------------------------------------------------


def test_model_page_starts_with_the_verdict_card(page: Page, app_url: str) -> None:
    open_app(page, f"{app_url}/model?model=child-model")
    expect(heading(page, "Child Model")).to_be_visible()
    card = page.locator(".verdict-card")
    expect(card).to_be_visible()
    expect(card.locator(".verdict")).to_have_count(len(USE_LABELS))  # every use the reasoner knows
    # the card is drawn before the lineage tree and the facts
    assert card.bounding_box()["y"] < page.locator(".model-tree").bounding_box()["y"]
    shot(page, "model")
    card.get_by_role("link", name="why?").first.click()
    expect(page.locator(".answer-banner")).to_be_visible()


def test_answer_page_shows_the_banner_and_the_named_path(page: Page, app_url: str) -> None:
    open_app(page, f"{app_url}/can-i?model=child-model&use=commercial-use")
    banner = page.locator(".answer-banner")
    expect(banner).to_contain_text("no")
    expect(banner).to_contain_text("No: Non-Commercial License")
    expect(page.get_by_text("Not legal advice. This answer")).to_be_visible()
    drawn = page.locator(".answer-path")
    expect(drawn).to_contain_text("Child Model")  # names, not ids
    expect(drawn).to_contain_text("fine-tuned from")
    expect(drawn).not_to_contain_text("child-model")
    shot(page, "can-i")


def test_picking_a_use_updates_the_shareable_url(page: Page, app_url: str) -> None:
    open_app(page, f"{app_url}/can-i?model=child-model&use=commercial-use")
    page.get_by_role("combobox", name="Use").click()
    page.get_by_role("option", name=re.compile("^no-attribution")).click()
    expect(page.locator(".answer-banner")).to_contain_text("without crediting anyone")
    page.wait_for_function("() => location.search.includes('use=no-attribution')")
    assert "model=child-model" in page.url


def test_question_link_reopens_the_answer(page: Page, app_url: str) -> None:
    open_app(page, f"{app_url}/can-i?q=can+I+sell+images+made+with+Base+Model")
    expect(page.locator(".answer-banner")).to_contain_text("disputed")
    assert "use=sell-outputs" in page.url


def test_what_if_offers_only_parts_of_the_chosen_role(page: Page, shipped_url: str) -> None:
    open_app(page, f"{shipped_url}/can-i?model=anima-preview&use=commercial-use&swap=vae%3Dflux1-ae")
    expect(page.get_by_text(re.compile(rf"\d of {len(USE_LABELS)} answers change"))).to_be_visible()
    wait_for_app(page, timeout=60_000)
    box = page.get_by_role("combobox", name="for", exact=True)
    for _ in range(3):  # a click during a rerun may not open the list
        box.click()
        if _opened(page):
            break
    options = page.get_by_role("option").all_inner_texts()
    assert options and all(o.endswith("(vae)") for o in options), options
    shot(page, "what-if")


def test_family_page_lists_members_with_verdicts(page: Page, shipped_url: str) -> None:
    open_app(page, f"{shipped_url}/model?model=flux1")
    table = page.locator("table.family-members")
    for name in ("FLUX.1 [dev]", "FLUX.1 [schnell]", "FLUX.1 [pro]"):
        expect(table.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(page.locator(".verdict-card")).to_have_count(0)
    shot(page, "family")


# --- server paths ----------------------------------------------------------------------------------------


def test_inspect_refuses_a_path_outside_the_configured_folders(page: Page, shipped_url: str) -> None:
    open_app(page, f"{shipped_url}/inspect")
    expect(page.get_by_text("Upload a file")).to_be_visible()
    page.get_by_text("A weights file on the server").click()
    box = page.get_by_role("textbox", name="Path on the server")
    box.fill("/etc/passwd")
    box.press("Enter")
    expect(page.get_by_text("outside the folders this server may read")).to_be_visible()
    expect(page.get_by_text("root:")).to_have_count(0)
    shot(page, "inspect-refused")


# --- the graph and the timeline can be clicked --------------------------------------------------------------


def test_clicking_a_graph_node_opens_its_page(page: Page, app_url: str) -> None:
    open_app(page, f"{app_url}/graph")
    frame_el = page.locator("iframe[title='Lineage graph']")
    frame = page.frame_locator("iframe[title='Lineage graph']")
    expect(frame.locator("canvas")).to_be_visible(timeout=30_000)
    page.wait_for_timeout(500)
    shot(page, "graph")
    inner = frame_el.element_handle().content_frame()
    at = inner.evaluate("""() => {
        const box = document.querySelector('#mynetwork canvas').getBoundingClientRect();
        const at = network.canvasToDOM(network.getPositions(['child-model'])['child-model']);
        return {x: box.left + at.x, y: box.top + at.y};
    }""")
    box = frame_el.bounding_box()
    page.mouse.click(box["x"] + at["x"], box["y"] + at["y"])
    expect(heading(page, "Child Model")).to_be_visible(timeout=20_000)
    assert "model=child-model" in page.url


def test_graph_saves_as_an_opaque_png_and_as_svg(page: Page, app_url: str) -> None:
    from io import BytesIO

    from PIL import Image

    open_app(page, f"{app_url}/graph")
    frame = page.frame_locator("iframe[title='Lineage graph']")
    expect(frame.locator("canvas")).to_be_visible(timeout=30_000)
    page.wait_for_timeout(500)
    with page.expect_download() as download:
        frame.get_by_role("button", name="Save as PNG").click()
    assert download.value.suggested_filename == "lineage-graph.png"
    image = Image.open(BytesIO(Path(download.value.path()).read_bytes())).convert("RGBA")
    assert image.width > 300 and image.getpixel((2, image.height - 3)) == (255, 255, 255, 255)  # not transparent
    colours = {image.getpixel((x, y))[:3] for x in range(0, image.width, 7) for y in range(0, image.height, 7)}
    assert len(colours) > 5  # the drawing, not a blank canvas
    with page.expect_download() as vector:
        page.get_by_role("button", name="Save as SVG").click()
    assert vector.value.suggested_filename == "lineage-graph.svg"
    svg = Path(vector.value.path()).read_text()
    assert svg.startswith("<svg") and "Child Model" in svg and "The VAE" in svg


#: Every drawn node's box (marker and name) on screen, in the graph canvas's pixels, with its on-screen font size.
_LABEL_BOXES = """() => {
    const canvas = document.querySelector('#mynetwork canvas').getBoundingClientRect();
    const scale = network.getScale();
    const boxes = network.body.nodeIndices.map(id => {
        const b = network.getBoundingBox(id);
        const a = network.canvasToDOM({x: b.left, y: b.top}), z = network.canvasToDOM({x: b.right, y: b.bottom});
        return {id: String(id), left: a.x, top: a.y, right: z.x, bottom: z.y,
                font: network.body.nodes[id].options.font.size * scale};
    });
    return {width: canvas.width, height: canvas.height, scale: scale, boxes: boxes};
}"""


def test_graph_overview_names_are_readable_without_zooming(page: Page, shipped_url: str) -> None:
    open_app(page, f"{shipped_url}/")
    frame_el = page.locator("iframe[title='Lineage graph']")
    expect(page.frame_locator("iframe[title='Lineage graph']").locator("canvas")).to_be_visible(timeout=30_000)
    expect(page.get_by_text(re.compile(r"\d+ adapters and \d+ licenses are not drawn"))).to_be_visible()
    page.wait_for_timeout(1000)
    inner = frame_el.element_handle().content_frame()
    got = inner.evaluate(_LABEL_BOXES)
    boxes = got["boxes"]
    assert len(boxes) > 150  # the whole graph, not a corner of it
    assert [b["id"] for b in boxes if b["left"] < 0 or b["right"] > got["width"]] == []  # the full width shows
    assert [b["id"] for b in boxes if b["top"] < 0 or b["bottom"] > got["height"]] == []  # and the full height
    assert min(b["font"] for b in boxes) >= 11, got["scale"]
    clashes = [(p["id"], q["id"]) for i, p in enumerate(boxes) for q in boxes[i + 1:]
               if p["left"] < q["right"] and q["left"] < p["right"]
               and p["top"] < q["bottom"] and q["top"] < p["bottom"]]
    assert clashes == []
    # the mouse wheel scrolls the page instead of zooming the drawing (the buttons still zoom)
    box = frame_el.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 200)
    page.mouse.wheel(0, 600)
    page.wait_for_timeout(500)
    assert inner.evaluate("() => network.getScale()") == got["scale"]
    assert frame_el.bounding_box()["y"] < box["y"] - 300
    page.set_viewport_size({"width": 1400, "height": int(box["height"]) + 900})  # the whole poster on the artifact
    page.wait_for_timeout(1000)
    shot(page, "graph-overview")


@pytest.mark.parametrize("node,name", [("flux1-dev", "FLUX.1 [dev]"), ("flux1-pro", "FLUX.1 [pro]"),
                                       ("flux1-schnell", "FLUX.1 [schnell]")])
def test_each_same_day_release_can_be_clicked(page: Page, shipped_url: str, node: str, name: str) -> None:
    open_app(page, f"{shipped_url}/timeline")
    point = page.get_by_test_id("stVegaLiteChart").first.locator(f"path[aria-label*='Name: {name};']")
    expect(point).to_have_count(1)
    if node == "flux1-dev":
        shot(page, "timeline")
    point.click()
    expect(heading(page, name)).to_be_visible(timeout=20_000)
    assert f"model={node}" in page.url


def test_timeline_point_click_opens_the_model_page(page: Page, app_url: str) -> None:
    open_app(page, f"{app_url}/timeline")
    point = page.get_by_test_id("stVegaLiteChart").first.locator("path[aria-label*='Name: Child Model']")
    expect(point).to_be_visible()
    point.click()
    expect(heading(page, "Child Model")).to_be_visible()
    assert "model=child-model" in page.url


def test_roadmap_writes_every_name_and_ends_bars_at_the_next_release(page: Page, shipped_url: str) -> None:
    from lineage.core.graph import load_graph
    from lineage.export import roadmap_rows

    rows = roadmap_rows(load_graph(), "models")
    open_app(page, f"{shipped_url}/timeline?view=models")
    chart = page.get_by_test_id("stVegaLiteChart").first
    expect(chart.locator("svg")).to_be_visible()
    texts = chart.locator("g.mark-text.role-mark text").evaluate_all("els => els.map(e => e.textContent)")
    assert sorted(texts) == sorted(r["name"] for r in rows)  # every label drawn, none dropped
    dev = chart.locator("path[aria-label*='Name: FLUX.1 [dev];']")
    expect(dev).to_have_attribute("aria-label", re.compile(r"Newest until: 2024-11-21"))
    shot(page, "roadmap-models")
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Save as SVG").click()
    svg = Path(download.value.path()).read_text()
    assert svg.startswith("<svg") and "FLUX.1 [dev]" in svg


# --- the new pages ----------------------------------------------------------------------------------------


def test_matrix_cells_open_their_answers_and_the_table_downloads(page: Page, app_url: str) -> None:
    open_app(page, f"{app_url}/matrix?sort=name&desc=1")
    table = page.locator("table.license-matrix")
    expect(table).to_be_visible()
    shot(page, "matrix")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV").click()
    csv = Path(download.value.path()).read_text()
    assert csv.splitlines()[0].startswith("id,name,organization") and "child-model" in csv
    table.locator("a[href='can-i?model=base-model&use=commercial-use']").click()
    expect(page.locator(".answer-banner")).to_contain_text("Base Model")
    assert "model=base-model" in page.url and "use=commercial-use" in page.url


def test_compare_page_shows_the_models_side_by_side(page: Page, app_url: str) -> None:
    open_app(page, f"{app_url}/compare?models=base-model,child-model")
    table = page.locator("table.compare")
    expect(table.get_by_role("link", name="Base Model")).to_be_visible()
    expect(table.get_by_role("link", name="Child Model")).to_be_visible()
    expect(table).to_contain_text("Based on")
    shot(page, "compare")
    table.locator("a[href='can-i?model=child-model&use=sell-outputs']").click()
    expect(page.locator(".answer-banner")).to_be_visible()


def test_footer_has_the_data_version_and_the_link(page: Page, app_url: str) -> None:
    open_app(page, f"{app_url}/compare?models=base-model,child-model")
    expect(page.get_by_text(re.compile(r"data [0-9a-f]{12}"))).to_be_visible()
    field = page.get_by_role("textbox", name="Link to this view")
    expect(field).to_have_value(re.compile(r"/compare\?models=base-model"))
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_role("button", name="Copy link to this view").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    assert "compare?models=base-model" in page.evaluate("() => navigator.clipboard.readText()")


# --- a phone ------------------------------------------------------------------------------------------------

PHONE_PAGES = ["/", "/model?model=anima-preview", "/model?model=flux1", "/can-i?model=anima-preview&use=sell-outputs",
               "/matrix", "/compare?models=flux1-dev,flux1-schnell", "/timeline", "/timeline?view=models"]


@pytest.mark.parametrize("path", PHONE_PAGES)
def test_pages_fit_a_phone(phone: Page, shipped_url: str, path: str) -> None:
    open_app(phone, shipped_url + path)
    phone.wait_for_timeout(500)
    width = phone.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 392, f"{path} is {width}px wide on a 390px screen"
    if path == "/timeline?view=models":
        bars = phone.get_by_test_id("stVegaLiteChart").first.locator("svg").bounding_box()
        assert bars["width"] >= 300  # the bars get the width, not the labels
    shot(phone, "phone-" + (re.sub(r"\W+", "-", path).strip("-") or "graph"))


def test_graph_poster_on_a_phone_keeps_names_readable(phone: Page, shipped_url: str) -> None:
    """On a 390-px screen the poster is not shrunk to fit (names would be 4 px): it keeps its size and scrolls
    sideways inside its frame, while the page itself stays as wide as the screen."""
    open_app(phone, f"{shipped_url}/")
    frame_el = phone.locator("iframe[title='Lineage graph']")
    expect(phone.frame_locator("iframe[title='Lineage graph']").locator("canvas")).to_be_visible(timeout=30_000)
    phone.wait_for_timeout(1000)
    inner = frame_el.element_handle().content_frame()
    got = inner.evaluate(_LABEL_BOXES)
    boxes = got["boxes"]
    assert len(boxes) > 150
    assert min(b["font"] for b in boxes) >= 11, got["scale"]
    assert [b["id"] for b in boxes if b["left"] < 0 or b["right"] > got["width"]] == []  # all of it, by scrolling
    assert frame_el.bounding_box()["width"] <= 390
    scroll = inner.evaluate("() => [document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]")
    assert scroll[0] > scroll[1] + 300, scroll  # the drawing is wider than the frame and scrolls inside it
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 392  # the page does not
    inner.evaluate("() => window.scrollTo(400, 0)")
    assert inner.evaluate("() => window.scrollX") >= 300
    frame_el.evaluate("frame => frame.scrollIntoView()")  # the artifact shows the drawing, not the legend above it
    phone.wait_for_timeout(300)
    shot(phone, "phone-graph-scrolled")


def test_phone_poster_keeps_organization_names_at_the_left_edge(phone: Page, shipped_url: str) -> None:
    open_app(phone, f"{shipped_url}/")
    expect(phone.frame_locator("iframe[title='Lineage graph']").locator("canvas")).to_be_visible(timeout=30_000)
    phone.wait_for_timeout(1000)
    inner = phone.locator("iframe[title='Lineage graph']").element_handle().content_frame()
    names = inner.locator(".band-name")
    assert names.count() >= 30  # one per organization band
    nvidia = inner.locator(".band-name", has_text="NVIDIA")
    before = nvidia.bounding_box()
    inner.evaluate("() => window.scrollTo(450, 0)")
    phone.wait_for_timeout(200)
    after = nvidia.bounding_box()
    box = phone.locator("iframe[title='Lineage graph']").bounding_box()
    assert abs(after["x"] - before["x"]) < 2 and after["x"] - box["x"] < 5  # pinned to the frame's left edge
    band_y = inner.evaluate("""() => {
        const band = network.body.data.nodes.get('label:NVIDIA');
        const top = document.getElementById('mynetwork').getBoundingClientRect().top;
        return network.canvasToDOM({x: 0, y: band.y}).y + top;
    }""")
    assert abs(after["y"] - box["y"] + 8 - band_y) < 12  # level with its band
    frame = phone.locator("iframe[title='Lineage graph']")
    frame.evaluate("frame => frame.scrollIntoView()")
    shot(phone, "phone-graph-names-pinned")
