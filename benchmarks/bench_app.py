"""Time to the first complete render of each page in a real browser (Debian chromium), on the shipped data.

    .venv/bin/python benchmarks/bench_app.py [--repeat 5] [--data PATH]

"Complete" means the script has finished and the page's main output is drawn: the graph's canvas, the model
heading, the timeline chart, the verdict's paths. Page times are read off the page's own clock (from the start
of its navigation to the first animation frame at which it is complete). ``cold`` is the first visit after the
server starts (it loads and validates the data and fills the caches). The server is warm for the others:
``new visitor`` is the median of visits each in a fresh browser context (a new session with an empty HTTP
cache: the browser downloads and compiles Streamlit's JavaScript bundles first); ``warm`` is the median of
reloads in one context (a new session and a new script run, Streamlit's JavaScript already in the browser's
cache, as for anyone who has opened the app before). ``baseline`` is a two-line Streamlit app measured the same
way, so the numbers can be read against what Streamlit itself costs on this machine. Target: a warm median of
at most 1.5 s per page. A new visitor cannot get below the baseline's new-visitor time.

``interactions`` times a change inside a page (from the click or key press to the updated output): picking a use
on the answer page, searching the graph, and picking another model on the model page. Target: at most 0.5 s.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Browser, sync_playwright  # noqa: E402

from app.bands import BIG  # noqa: E402
from tests.app.server import CHROMIUM, CHROMIUM_ARGS, is_local, require_chromium, serve, wait_for_app  # noqa: E402

#: (name, path, what must be visible once the page is complete; "IFRAME | INNER" looks inside an iframe)
PAGES: list[tuple[str, str, str]] = [
    ("graph", "/", "iframe[title='Lineage graph'] | canvas"),
    ("model", "/model?model=anima-preview", "h1"),
    ("timeline", "/timeline", "[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg"),
    ("can-i", "/can-i?model=anima-preview&use=sell-outputs", ".answer-path"),
    ("matrix", "/matrix", "table.license-matrix"),
    ("compare", "/compare?models=flux1-dev,flux1-schnell,anima-preview", "table.compare"),
]


BASELINE = "import streamlit as st\n\nst.title('hello')\nst.write('baseline')\n"


#: True (the page's own clock, ms since its navigation started) once the script has finished, no skeleton is
#: left and the ready element is drawn; checked on every animation frame. Playwright's own waits back off to
#: checking every 500 ms, which added up to half a second to some pages' times.
_READY = """([frame, inner]) => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
    if (document.querySelector('[data-testid="stSkeleton"]')) return false;
    let doc = document;
    if (frame) {
        const f = document.querySelector(frame);
        if (!f || !f.contentDocument) return false;
        doc = f.contentDocument;
    }
    const drawn = [...doc.querySelectorAll(inner)].some(e => {
        const r = e.getBoundingClientRect();
        return r.width > 0 && r.height > 0;
    });
    return drawn ? performance.now() : false;
}"""


def visit(browser: Browser, url: str, ready: str, reloads: int = 0) -> tuple[float, list[float], list[str]]:
    """Seconds from navigation to a complete render (first visit, then each reload), and external requests.

    The time is the page's own: from the start of its navigation (``performance.timeOrigin``) to the first
    animation frame at which it is complete.
    """
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    frame, _, inner = ready.rpartition(" | ")

    def timed(go: Callable[[], object]) -> float:
        go()
        done = page.wait_for_function(_READY, arg=[frame, inner], polling="raf", timeout=60_000)
        return done.json_value() / 1000

    first = timed(lambda: page.goto(url, wait_until="commit"))
    again = [timed(lambda: page.reload(wait_until="commit")) for _ in range(reloads)]
    context.close()
    return first, again, [u for u in requests if not is_local(u)]


def _open_uses(page) -> None:
    page.get_by_role("combobox", name="Use").click()


def _pick_use(page) -> None:
    page.get_by_role("option", name=re.compile("^train-on-outputs")).click()
    page.wait_for_function("() => location.search.includes('use=train-on-outputs')", timeout=60_000)
    page.locator(".answer-banner", has_text="to train").wait_for(timeout=60_000)


def _type_search(page) -> None:
    page.get_by_role("textbox", name="Search by name").fill("flux")


def _search_graph(page) -> None:
    page.get_by_role("textbox", name="Search by name").press("Enter")
    page.get_by_text(re.compile(r"\d+ match “flux”")).wait_for(timeout=60_000)
    # and the new drawing is in the frame, with the matches drawn larger (not just the caption above it)
    frame = page.locator("iframe[title='Lineage graph']").element_handle().content_frame()
    frame.wait_for_function(f"() => window.network && network.body.nodes['flux1-dev'] && "
                            f"network.body.nodes['flux1-dev'].options.size === {BIG}", timeout=60_000)


def _type_model(page) -> None:
    page.get_by_role("combobox", name="Model, component or license").click()
    page.keyboard.type("FLUX.1 [schnell]")


def _pick_model(page) -> None:
    page.get_by_role("option", name="FLUX.1 [schnell] (model)").click()
    page.get_by_role("heading", name="FLUX.1 [schnell]", level=1).wait_for(timeout=60_000)


#: (name, page, what is ready before, what the user does first (not timed), the click or key press that is timed
#: until its output is drawn)
INTERACTIONS: list[tuple[str, str, str, Callable, Callable]] = [
    ("can-i: pick a use", "/can-i?model=anima-preview&use=sell-outputs", ".answer-banner", _open_uses, _pick_use),
    ("graph: search", "/", "iframe[title='Lineage graph']", _type_search, _search_graph),
    ("model: pick another", "/model?model=anima-preview", ".verdict-card", _type_model, _pick_model),
]


def interactions(browser: Browser, base: str, repeat: int) -> list[tuple[str, float, float]]:
    """Median and worst seconds of each interaction, each run in a fresh, fully rendered page."""
    rows = []
    for name, path, ready, prepare, act in INTERACTIONS:
        times = []
        for _ in range(repeat):
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            page = context.new_page()
            page.goto(base + path)
            wait_for_app(page, timeout=60_000)
            page.locator(ready).first.wait_for(timeout=60_000)
            prepare(page)
            start = time.perf_counter()
            act(page)
            wait_for_app(page, timeout=60_000)
            times.append(time.perf_counter() - start)
            context.close()
        rows.append((name, statistics.median(times), max(times)))
    return rows


def measure(browser: Browser, base: str, pages: list[tuple[str, str, str]], repeat: int) -> list[tuple]:
    rows = []
    for name, path, ready in pages:
        cold, _, external = visit(browser, base + path, ready)
        warm = [visit(browser, base + path, ready)[0] for _ in range(repeat)]
        _, revisits, more = visit(browser, base + path, ready, reloads=repeat)
        rows.append((name, cold, statistics.median(warm), max(warm), statistics.median(revisits), max(revisits),
                     external + more))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="warm visits per page (default 5)")
    parser.add_argument("--data", type=Path, default=None, help="data file (default: the shipped data)")
    args = parser.parse_args()
    require_chromium()
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        hello = Path(tmp) / "hello.py"
        hello.write_text(BASELINE)
        (Path(tmp) / ".streamlit").mkdir()  # the baseline runs with the app's settings (no usage statistics)
        (Path(tmp) / ".streamlit" / "config.toml").write_text((ROOT / ".streamlit" / "config.toml").read_text())
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        with serve(args.data) as base:
            rows = measure(browser, base, PAGES, args.repeat)
            moves = interactions(browser, base, args.repeat)
        with serve(script=hello) as base:
            rows += measure(browser, base, [("baseline", "/", "h1")], args.repeat)
        browser.close()
    print(f"load average (1 min) at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"{'page':<10}{'cold s':>8}{'new visitor s':>15}{'(max)':>7}{'warm s':>8}{'(max)':>7}  external requests")
    for name, cold, median, worst, warm, warm_worst, external in rows:
        print(f"{name:<10}{cold:>8.2f}{median:>15.2f}{worst:>7.2f}{warm:>8.2f}{warm_worst:>7.2f}  {len(external)}")
    slow = [r[0] for r in rows[:-1] if r[4] > 1.5]
    print("target (warm median <= 1.5 s):", "met" if not slow else f"missed on {', '.join(slow)}")
    print(f"{'interaction':<24}{'median s':>10}{'max s':>8}")
    for name, median, worst in moves:
        print(f"{name:<24}{median:>10.2f}{worst:>8.2f}")
    slow = [m[0] for m in moves if m[1] > 0.5]
    print("target (interaction median <= 0.5 s):", "met" if not slow else f"missed on {', '.join(slow)}")
    return 1 if any(r[6] for r in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())
