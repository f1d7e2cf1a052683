"""The browser explorer: `streamlit run streamlit_app.py` (a router; each page is a file in views/).

Pages written elsewhere (views/generate.py, views/inspect.py) join the navigation when their file exists.
Set LINEAGE_DATA=path/to/models.yaml to explore another data file.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parent

#: (file, title, icon, url path); the first page is the default, served at "/" and at its own path.
PAGES: list[tuple[str, str, str, str]] = [
    ("views/graph.py", "Graph", ":material/hub:", "graph"),
    ("views/model.py", "Model", ":material/description:", "model"),
    ("views/can_i.py", "Can I use it?", ":material/gavel:", "can-i"),
    ("views/matrix.py", "License matrix", ":material/grid_on:", "matrix"),
    ("views/compare.py", "Compare", ":material/compare_arrows:", "compare"),
    ("views/timeline.py", "Timeline", ":material/timeline:", "timeline"),
    ("views/generate.py", "Generate", ":material/brush:", "generate"),
    ("views/inspect.py", "Inspect", ":material/search:", "inspect"),
    ("views/my_models.py", "My models", ":material/folder_open:", "my-models"),
]


def available(root: Path = ROOT) -> list[tuple[str, str, str, str]]:
    """The pages whose file exists under ``root`` (pages written elsewhere may not exist yet)."""
    return [page for page in PAGES if (root / page[0]).is_file()]


def pages() -> list[st.Page]:
    """One ``st.Page`` per available page, plus a hidden alias so the default page also answers at its path.

    Streamlit serves the default page only at "/", so ``/graph?focus=...`` (the link the docs give) needs
    a second, hidden page on the same file.
    """
    out = []
    for i, (file, title, icon, url) in enumerate(available()):
        if i == 0:
            out.append(st.Page(file, title=title, icon=icon, url_path="home", default=True))
            out.append(st.Page(file, title=title, icon=icon, url_path=url, visibility="hidden"))
        else:
            out.append(st.Page(file, title=title, icon=icon, url_path=url))
    return out


def run() -> None:
    # an emoji favicon is drawn locally; a :material/...: one would be fetched from fonts.gstatic.com.
    # No page_title here: each page sets its own (the browser tab shows what the page is).
    st.set_page_config(page_icon="🌳", layout="wide")
    page = st.navigation(pages(), position="top")
    from views._footer import footer  # after set_page_config; views/ imports streamlit-only helpers
    from views._shared import routed

    try:
        with routed():  # a page that ends early (views._shared.done) still gets the footer
            page.run()
    finally:  # and after an error too, so every page shows the data version and its link
        footer()


if __name__ == "__main__":  # streamlit runs the entry file as __main__; tests import it without running it
    run()
