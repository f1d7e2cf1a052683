"""Fixtures for the app tests: fresh Streamlit caches, the data file, and an AppTest opener."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "fixtures" / "mini.yaml"


@pytest.fixture(autouse=True)
def fresh_caches() -> None:
    """Streamlit caches are process-global: clear them so AppTest runs do not leak into each other."""
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def mini_data(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LINEAGE_DATA", str(MINI))
    return MINI


@pytest.fixture
def open_page(monkeypatch: pytest.MonkeyPatch) -> Callable[..., AppTest]:
    """``open_page("views/model.py", model="x")``: run the app, switch to the page with those URL params."""
    monkeypatch.chdir(ROOT)

    def run(page: str, **params: str) -> AppTest:
        at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
        at.run()
        at.switch_page(page)
        for key, value in params.items():
            at.query_params[key] = value
        return at.run()

    return run
