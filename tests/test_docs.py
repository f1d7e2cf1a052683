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


def test_readme_examples_are_real_output():
    spec = importlib.util.spec_from_file_location("readme_examples", ROOT / "scripts" / "readme_examples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert module.BLOCK.search(text), "the README has no `$ lineage` examples"
    assert text == module.render(text), "README.md examples are stale: run .venv/bin/python scripts/readme_examples.py"
