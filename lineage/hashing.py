"""SHA-256 of weight files, streamed and cached by (absolute path, size, mtime).

A 4 GB checkpoint takes seconds to hash, so the digest is computed once and kept in a small
SQLite cache (``~/.cache/lineage/hashes.sqlite``, or ``$LINEAGE_CACHE_DIR/hashes.sqlite``). A file
whose size or modification time changed is hashed again. Files are never loaded into memory.

Examples
--------
>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> (d / "w.bin").write_bytes(b"abc")
3
>>> sha256_file(d / "w.bin")
'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
>>> cached_sha256(d / "w.bin", cache_path=d / "cache.sqlite")[:12]
'ba7816bf8f01'
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

CHUNK = 8 * 1024 * 1024


def sha256_file(path: str | Path) -> str:
    """Hex SHA-256 of a file, read in 8 MiB chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def default_cache_path() -> Path:
    """``$LINEAGE_CACHE_DIR/hashes.sqlite``, else ``~/.cache/lineage/hashes.sqlite``."""
    base = os.environ.get("LINEAGE_CACHE_DIR")
    root = Path(base) if base else Path.home() / ".cache" / "lineage"
    return root / "hashes.sqlite"


def _connect(cache_path: Path) -> sqlite3.Connection:
    cache_path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(cache_path, timeout=30)
    con.execute(
        "CREATE TABLE IF NOT EXISTS hashes (path TEXT NOT NULL, size INTEGER NOT NULL,"
        " mtime_ns INTEGER NOT NULL, sha256 TEXT NOT NULL, PRIMARY KEY (path, size, mtime_ns))"
    )
    return con


def _key(path: str | Path) -> tuple[str, int, int]:
    resolved = Path(path).resolve()
    st = resolved.stat()
    return str(resolved), st.st_size, st.st_mtime_ns


def lookup_sha256(path: str | Path, cache_path: str | Path | None = None) -> str | None:
    """The cached SHA-256 of ``path`` when path, size and mtime_ns match a cache row; never computes.

    The cache is opened read-only, so looking up never creates it.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp()); _ = (d / "w.bin").write_bytes(b"abc")
    >>> lookup_sha256(d / "w.bin", cache_path=d / "c.sqlite") is None
    True
    >>> _ = cached_sha256(d / "w.bin", cache_path=d / "c.sqlite")
    >>> lookup_sha256(d / "w.bin", cache_path=d / "c.sqlite")[:12]
    'ba7816bf8f01'
    """
    db = Path(cache_path) if cache_path else default_cache_path()
    if not db.is_file():
        return None
    try:
        con = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
        try:
            row = con.execute(
                "SELECT sha256 FROM hashes WHERE path = ? AND size = ? AND mtime_ns = ?", _key(path)
            ).fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return None
    return row[0] if row else None


def cached_sha256(path: str | Path, cache_path: str | Path | None = None) -> str:
    """SHA-256 of ``path``, read from the cache when path, size and mtime_ns all match, else computed and stored.

    Raises ``FileNotFoundError`` when the file does not exist.
    """
    key = _key(path)
    cached = lookup_sha256(path, cache_path)
    if cached:
        return cached
    digest = sha256_file(key[0])
    con = _connect(Path(cache_path) if cache_path else default_cache_path())
    try:
        with con:
            con.execute("DELETE FROM hashes WHERE path = ?", (key[0],))
            con.execute("INSERT OR REPLACE INTO hashes VALUES (?, ?, ?, ?)", (*key, digest))
    finally:
        con.close()
    return digest
