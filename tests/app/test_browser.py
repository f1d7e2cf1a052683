"""The app in a real browser: Debian's chromium against `streamlit run` on 127.0.0.1, with a request log.

Screenshots go to test-artifacts/. Without /usr/bin/chromium these tests fail (run `apt-get install -y chromium`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from .conftest import MINI, ROOT
from .server import CHROMIUM, CHROMIUM_ARGS, is_local, require_chromium, serve, wait_for_app

ARTIFACTS = ROOT / "test-artifacts"
pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    require_chromium()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def app_url() -> Iterator[str]:
    with serve(MINI) as url:
        yield url


@pytest.fixture(scope="session")
def shipped_url() -> Iterator[str]:
    with serve(None) as url:
        yield url


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page whose every request is logged; the test fails if one leaves the machine."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    requests: list[str] = []
    pg.on("request", lambda r: requests.append(r.url))
    yield pg
    context.close()
    external = [u for u in requests if not is_local(u)]
    assert requests and external == [], f"requests left the machine: {external}"


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def open_app(page: Page, url: str) -> None:
    page.goto(url)
    wait_for_app(page)
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_graph_canvas_renders(page: Page, app_url: str) -> None:
    open_app(page, f"{app_url}/")
    frame = page.frame_locator("iframe[title='Lineage graph']")
    expect(frame.locator("canvas")).to_be_visible(timeout=15_000)
    page.wait_for_timeout(500)  # let the layout settle before the screenshot
    shot(page, "graph")


def test_deep_link_opens_the_right_model(page: Page, app_url: str) -> None:
    open_app(page, f"{app_url}/model?model=child-model")
    expect(page.get_by_role("heading", name="Child Model", level=1)).to_be_visible()
    expect(page.get_by_role("combobox", name="Model, component or license")).to_have_value("Child Model (model)")
    assert "model=child-model" in page.url
    shot(page, "model")


def test_unknown_model_gives_suggestions(page: Page, app_url: str) -> None:
    open_app(page, f"{app_url}/model?model=chlid%20model")
    expect(page.get_by_text("is not a model in the graph")).to_be_visible()
    expect(page.get_by_role("link", name="Child Model", exact=True)).to_be_visible()
    shot(page, "model-unknown")


def test_answer_page_shows_the_verdict(page: Page, app_url: str) -> None:
    open_app(page, f"{app_url}/can-i?model=child-model&use=commercial-use")
    heading = page.get_by_role("heading", name=re.compile("May I use the model itself"))
    expect(heading).to_contain_text("no")
    expect(page.get_by_text("Not legal advice")).to_be_visible()
    expect(page.get_by_test_id("stGraphVizChart").locator("svg")).to_be_visible()
    shot(page, "can-i")


def test_picking_a_use_updates_the_shareable_url(page: Page, app_url: str) -> None:
    open_app(page, f"{app_url}/can-i?model=child-model&use=commercial-use")
    box = page.get_by_role("combobox", name="Use")
    box.click()
    page.get_by_role("option", name=re.compile("^no-attribution")).click()
    expect(page.get_by_role("heading", name=re.compile("without crediting anyone"))).to_be_visible()
    page.wait_for_function("() => location.search.includes('use=no-attribution')")
    assert "model=child-model" in page.url


def test_question_link_reopens_the_answer(page: Page, app_url: str) -> None:
    open_app(page, f"{app_url}/can-i?q=can+I+sell+images+made+with+Base+Model")
    expect(page.get_by_role("heading", name=re.compile("sell or commercially use"))).to_contain_text("disputed")
    assert "use=sell-outputs" in page.url


def test_timeline_point_click_opens_the_model_page(page: Page, app_url: str) -> None:
    open_app(page, f"{app_url}/timeline")
    point = page.get_by_test_id("stVegaLiteChart").first.locator("path[aria-label*='node: child-model']")
    expect(point).to_be_visible()
    shot(page, "timeline")
    point.click()
    expect(page.get_by_role("heading", name="Child Model", level=1)).to_be_visible()
    assert "model=child-model" in page.url


@pytest.mark.parametrize("path", ["/", "/model?model=anima-preview", "/timeline",
                                  "/can-i?model=anima-preview&use=sell-outputs"])
def test_shipped_data_pages_load_offline(page: Page, shipped_url: str, path: str) -> None:
    open_app(page, shipped_url + path)
    name = "shipped-" + (re.sub(r"\W+", "-", path).strip("-") or "graph")
    shot(page, name)
