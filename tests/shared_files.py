"""The shared folder beside the checkout (``../shared``): tokenizers, reference key tables, the source article.

It is not part of the repository. Tests that read it call :func:`require_shared`, which skips them, with that
reason, only when the folder is truly absent; when the folder is there but a file is missing, the test fails.
"""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def require_shared(*parts: str, root: Path | None = None) -> Path:
    """``../shared/<parts>``; skip the calling test when ``../shared`` does not exist at all."""
    base = SHARED if root is None else root
    if not base.exists():
        pytest.skip(f"needs {'/'.join(('../shared', *parts))}: the shared folder is not beside this checkout "
                    "(see README, 'Set up')")
    return base.joinpath(*parts)
