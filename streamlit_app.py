"""The browser explorer: `streamlit run streamlit_app.py` (a router; each page is a file in views/).

Pages written elsewhere (views/generate.py, views/inspect.py) join the navigation when their file exists.
Set LINEAGE_DATA=path/to/models.yaml to explore another data file.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parent

#: (file, title, icon, url path); the first page is the default.
PAGES: list[tuple[str, str, str, str]] = [
    ("views/graph.py", "Graph", ":material/hub:", "graph"),
    ("views/model.py", "Model", ":material/description:", "model"),
    ("views/timeline.py", "Timeline", ":material/timeline:", "timeline"),
    ("views/can_i.py", "Can I use it?", ":material/gavel:", "can-i"),
    ("views/generate.py", "Generate", ":material/brush:", "generate"),
    ("views/inspect.py", "Inspect", ":material/search:", "inspect"),
    ("views/my_models.py", "My models", ":material/folder_open:", "my-models"),
]


def available(root: Path = ROOT) -> list[tuple[str, str, str, str]]:
    """The pages whose file exists under ``root`` (pages written elsewhere may not exist yet)."""
    return [page for page in PAGES if (root / page[0]).is_file()]


def run() -> None:
    # an emoji favicon is drawn locally; a :material/...: one would be fetched from fonts.gstatic.com
    st.set_page_config(page_title="Image-model lineage", page_icon="🌳", layout="wide")
    pages = [st.Page(file, title=title, icon=icon, url_path=url, default=i == 0)
             for i, (file, title, icon, url) in enumerate(available())]
    st.navigation(pages, position="top").run()


if __name__ == "__main__":  # streamlit runs the entry file as __main__; tests import it without running it
    run()
