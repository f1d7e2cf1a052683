"""require_shared skips only when ../shared is absent, and never hides a missing file inside it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.shared_files import require_shared


def test_absent_shared_folder_skips_with_the_reason(tmp_path: Path) -> None:
    with pytest.raises(pytest.skip.Exception, match="shared folder is not beside this checkout"):
        require_shared("tokenizers", root=tmp_path / "shared")


def test_present_shared_folder_returns_the_path(tmp_path: Path) -> None:
    (tmp_path / "shared").mkdir()
    path = require_shared("tokenizers", "qwen25", root=tmp_path / "shared")
    assert path == tmp_path / "shared" / "tokenizers" / "qwen25" and not path.exists()  # missing file: caller fails
