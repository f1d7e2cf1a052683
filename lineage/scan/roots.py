"""The folders an operator lets the app scan: ``LINEAGE_MODELS_DIR``, colon-separated; nothing else.

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp()).resolve(); (d / "loras").mkdir()
>>> roots = configured_roots(str(d) + ":/does/not/exist")
>>> roots == [d], inside(d / "loras", roots), inside(pathlib.Path("/etc"), roots)
(True, True, False)
"""

from __future__ import annotations

import os
from pathlib import Path

ENV = "LINEAGE_MODELS_DIR"


def configured_roots(value: str | None = None) -> list[Path]:
    """The existing folders named in ``value`` (default: ``$LINEAGE_MODELS_DIR``), resolved, without repeats."""
    text = os.environ.get(ENV, "") if value is None else value
    out: list[Path] = []
    for part in text.split(os.pathsep):
        if part.strip():
            path = Path(part.strip()).expanduser().resolve()
            if path.is_dir() and path not in out:
                out.append(path)
    return out


def inside(path: Path, roots: list[Path]) -> bool:
    """Whether ``path`` (resolved, so ``..`` and symlinks cannot leave) lies in one of ``roots``."""
    resolved = Path(path).expanduser().resolve()
    return any(resolved == r or resolved.is_relative_to(r) for r in roots)
