"""The CLI reference in docs/cli.md is generated from --help and must be current."""

from __future__ import annotations

import importlib.util

from .conftest import ROOT


def test_cli_reference_is_current():
    spec = importlib.util.spec_from_file_location("cli_docs", ROOT / "scripts" / "cli_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert (ROOT / "docs" / "cli.md").read_text(encoding="utf-8") == module.render(), (
        "docs/cli.md is stale: run .venv/bin/python scripts/cli_docs.py")
