"""Shared fixtures: the shipped graph, the small test graph, and paths to the shared reference material."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from lineage.core.graph import load_graph

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def graph() -> nx.MultiDiGraph:
    """The graph of the shipped data (validated)."""
    return load_graph()


@pytest.fixture(scope="session")
def mini() -> nx.MultiDiGraph:
    """The small hand-made graph in tests/fixtures/mini.yaml."""
    return load_graph(FIXTURES / "mini.yaml")
