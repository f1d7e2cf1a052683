"""Refresh the example output in README.md: every ```console block that starts with `$ lineage ...`.

Run: ``.venv/bin/python scripts/readme_examples.py`` (tests/test_docs.py checks the README is current).
"""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path

from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lineage.cli import main  # noqa: E402

README = ROOT / "README.md"
BLOCK = re.compile(r"```console\n\$ lineage (?P<args>[^\n]*)\n(?P<output>.*?)```", re.DOTALL)


def run(args: str) -> str:
    """What `lineage ARGS` prints on stdout."""
    return CliRunner().invoke(main, shlex.split(args), terminal_width=100).stdout


def render(text: str) -> str:
    """``text`` with the output of every `$ lineage ...` console block replaced by the real output."""
    return BLOCK.sub(lambda m: f"```console\n$ lineage {m['args']}\n{run(m['args'])}```", text)


if __name__ == "__main__":
    README.write_text(render(README.read_text(encoding="utf-8")), encoding="utf-8")
    print("refreshed README.md examples")
