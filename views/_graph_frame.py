"""The graph's frame: a local Streamlit component that hosts pyvis's vis-network and keeps it across reruns.

The frame's files are our ``views/graph_frame/`` (``index.html``, ``graph.js``) plus the vis-network library and
style sheet that pyvis ships, copied once into a folder of their own (Streamlit serves a component only from
one folder, and refuses links out of it). The browser caches the library, and a rerun (a search, a filter)
sends only the new nodes and edges to the same frame instead of a new 900 KB page.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from pathlib import Path
from typing import Any

import streamlit.components.v1 as components

from app.viz import slim_css

OURS = Path(__file__).resolve().parent / "graph_frame"
FRAME_FILES = ("index.html", "graph.js")


def _vis_files() -> tuple[Path, Path]:
    """pyvis's copy of vis-network (the script and its style sheet)."""
    import pyvis

    lib = Path(pyvis.__file__).resolve().parent / "templates" / "lib"
    found = sorted(lib.glob("vis-*/vis-network.min.js"))
    if not found:
        raise FileNotFoundError(f"pyvis ships no vis-network.min.js under {lib}: reinstall pyvis "
                                "(bash scripts/venv.sh app)")
    return found[-1], found[-1].with_name("vis-network.css")


def frame_folder() -> Path:
    """The folder the component is served from, made on first use (its name changes when any file changes)."""
    script, css = _vis_files()
    sources = [OURS / name for name in FRAME_FILES] + [script, css]
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in sources)).hexdigest()[:16]
    folder = Path(tempfile.gettempdir()) / f"lineage-graph-frame-{digest}"
    if not (folder / "index.html").is_file():
        work = Path(tempfile.mkdtemp(prefix="lineage-graph-frame-"))
        work.chmod(0o755)  # mkdtemp makes it private; another user's server may serve the same files
        for name in FRAME_FILES:
            shutil.copyfile(OURS / name, work / name)
        shutil.copyfile(script, work / "vis-network.min.js")
        (work / "vis-network.css").write_text(slim_css(css.read_text(encoding="utf-8")), encoding="utf-8")
        try:
            work.rename(folder)  # whole or not at all, even with two servers starting at once
        except OSError:
            shutil.rmtree(work, ignore_errors=True)  # another process made it first
    return folder


_frame = components.declare_component("lineage_graph", path=str(frame_folder()))


def graph_frame(spec: dict[str, Any], key: str) -> None:
    """Draw ``app.viz.network_spec``'s network (with its ``version``) in the frame; ``key`` keeps the same
    frame, and so the same vis-network, across reruns."""
    _frame(**spec, key=key, default=None)
