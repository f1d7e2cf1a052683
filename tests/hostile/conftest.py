"""Fixtures of the hostile-input suite: one folder per case."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def case(tmp_path: Path) -> Path:
    """The case's own folder: its inputs, its working folder, its home and caches."""
    folder = tmp_path / "case"
    folder.mkdir()
    return folder
