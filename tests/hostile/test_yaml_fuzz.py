"""Fuzz the data loader: any text gives records or Problems (never an exception other than DataError), fast."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lineage.core.load import load
from tests.hostile.harness import MINI

MAX_SECONDS = 5.0
PIECES = ["&a ", "*a", "<<: ", "!!python/object:x ", "!!int ", "- ", "? ", ": ", "[", "]", "{", "}", "\n", "  ",
          "\t", "'", '"', "#", "%YAML 1.1\n", "---\n", "...\n", "9" * 80, "0x" + "f" * 70, "\\ud800", "\x00", "\ufeff",
          "include: [", "nodes:\n", "id: ", "released: ", "2024-13", "|\n", ">\n", "~"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(
    st.lists(st.sampled_from(PIECES), max_size=60).map("".join),
    st.text(max_size=400),
    st.tuples(st.integers(0, 4000), st.lists(st.sampled_from(PIECES), max_size=8)).map(
        lambda t: MINI.read_text()[: t[0]] + "".join(t[1]) + MINI.read_text()[t[0]:]),
))
def test_any_text_gives_records_or_problems(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.yaml"
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        start = time.perf_counter()
        result = load(path)
        assert time.perf_counter() - start < MAX_SECONDS
        for problem in result.problems:
            assert problem.file and problem.message
