"""Fixtures: a small graph whose Anima Base node lists the sha256 of the synthetic Anima DiT file."""

from __future__ import annotations

import hashlib
from pathlib import Path

import networkx as nx
import pytest

from lineage.core.graph import load_graph
from tests.inspection.builders import anima_dit, safetensors_bytes

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def anima_bytes() -> bytes:
    return safetensors_bytes(anima_dit())


@pytest.fixture(scope="session")
def fx_data(tmp_path_factory: pytest.TempPathFactory, anima_bytes: bytes) -> Path:
    """The test dataset, with the synthetic Anima file's sha256 filled in."""
    sha = hashlib.sha256(anima_bytes).hexdigest()
    path = tmp_path_factory.mktemp("data") / "graph.yaml"
    path.write_text((DATA / "graph.yaml").read_text().replace("SHA_ANIMA", sha))
    return path


@pytest.fixture(scope="session")
def fx_graph(fx_data: Path) -> nx.MultiDiGraph:
    return load_graph(fx_data)


@pytest.fixture(autouse=True)
def _hash_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the sha256 cache of each test in its own folder, never the user's."""
    monkeypatch.setenv("LINEAGE_CACHE_DIR", str(tmp_path / "cache"))
