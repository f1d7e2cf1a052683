"""Which data the app shows: a content hash of the data files, and the git commit that last touched them.

>>> from app.viz import MINI
>>> v = data_version(MINI)
>>> len(v.content_hash), v.label().startswith("data ")
(12, True)
"""

from __future__ import annotations

import hashlib
import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class DataVersion:
    """``content_hash``: the first 12 hex digits of sha256 over the data files; ``commit``: git's short id or None."""

    content_hash: str
    commit: str | None
    files: int

    def label(self) -> str:
        """One line for a footer, e.g. ``data 1a2b3c4d5e6f · commit 9080555``."""
        return f"data {self.content_hash}" + (f" · commit {self.commit}" if self.commit else "")


def data_files(data: Path) -> list[Path]:
    """The YAML files of the dataset ``data`` belongs to (its folder), sorted; just ``data`` when it is alone."""
    folder = data.parent
    files = sorted(p for p in folder.rglob("*.y*ml") if p.is_file())
    return files if data in files else [data]


def data_version(data: Path) -> DataVersion:
    """Hash the data files (names and bytes) and ask git for the last commit that touched the folder."""
    data = Path(data).resolve()
    files = data_files(data)
    digest = hashlib.sha256()
    for f in files:
        digest.update(f.relative_to(data.parent).as_posix().encode() + b"\0" + f.read_bytes() + b"\0")
    try:
        out = subprocess.run(["git", "log", "-1", "--format=%h", "--", "."], cwd=data.parent, capture_output=True,
                             text=True, timeout=5, check=False)
        commit = out.stdout.strip() or None if out.returncode == 0 else None
    except (OSError, subprocess.TimeoutExpired):
        commit = None
    return DataVersion(digest.hexdigest()[:12], commit, len(files))
