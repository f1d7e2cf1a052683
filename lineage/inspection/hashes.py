"""The sha256 of a weights file: read from :mod:`lineage.hashing`'s cache, computed only when asked.

Hashing a multi-gigabyte file takes a while, so inspection never does it unasked: without ``compute`` it
only looks the file up (absolute path, size, mtime) in the same SQLite cache, read-only.

>>> import pathlib, tempfile
>>> d = pathlib.Path(tempfile.mkdtemp()); (d / "w.bin").write_bytes(b"abc")
3
>>> file_sha256(d / "w.bin", compute=False, cache_path=d / "c.sqlite")
(None, None)
>>> file_sha256(d / "w.bin", compute=True, cache_path=d / "c.sqlite")[1]
'computed'
>>> file_sha256(d / "w.bin", compute=False, cache_path=d / "c.sqlite")
('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad', 'cache')
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from lineage.hashing import cached_sha256, default_cache_path


def lookup_cached(path: Path, cache_path: Path | None = None) -> str | None:
    """The cached sha256 of ``path`` if path, size and mtime match a cache row; never computes."""
    db = Path(cache_path) if cache_path else default_cache_path()
    if not db.is_file():
        return None
    resolved = path.resolve()
    st = resolved.stat()
    try:
        con = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True, timeout=5)
        try:
            row = con.execute("SELECT sha256 FROM hashes WHERE path = ? AND size = ? AND mtime_ns = ?",
                              (str(resolved), st.st_size, st.st_mtime_ns)).fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return None
    return row[0] if row else None


def file_sha256(path: Path, compute: bool, cache_path: Path | None = None) -> tuple[str | None, str | None]:
    """``(sha256, "cache" | "computed")``, or ``(None, None)`` when not cached and not asked to compute."""
    cached = lookup_cached(path, cache_path)
    if cached:
        return cached, "cache"
    if compute:
        return cached_sha256(path, cache_path), "computed"
    return None, None
