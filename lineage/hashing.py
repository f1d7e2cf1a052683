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


def cached_sha256(path: str | Path, cache_path: str | Path | None = None) -> str:
    """SHA-256 of ``path``, read from the cache when path, size and mtime_ns all match.

    Raises ``FileNotFoundError`` when the file does not exist.
    """
    resolved = Path(path).resolve()
    st = resolved.stat()
    key = (str(resolved), st.st_size, st.st_mtime_ns)
    con = _connect(Path(cache_path) if cache_path else default_cache_path())
    try:
        row = con.execute(
            "SELECT sha256 FROM hashes WHERE path = ? AND size = ? AND mtime_ns = ?", key
        ).fetchone()
        if row:
            return row[0]
        digest = sha256_file(resolved)
        with con:
            con.execute("DELETE FROM hashes WHERE path = ?", (key[0],))
            con.execute("INSERT OR REPLACE INTO hashes VALUES (?, ?, ?, ?)", (*key, digest))
        return digest
    finally:
        con.close()
