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

from pathlib import Path

from lineage.hashing import cached_sha256, lookup_sha256


def file_sha256(path: Path, compute: bool, cache_path: Path | None = None) -> tuple[str | None, str | None]:
    """``(sha256, "cache" | "computed")``, or ``(None, None)`` when not cached and not asked to compute."""
    cached = lookup_sha256(path, cache_path)
    if cached:
        return cached, "cache"
    if compute:
        return cached_sha256(path, cache_path), "computed"
    return None, None
