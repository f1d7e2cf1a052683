"""The scan cache: one SQLite file holding the facts of every scanned file, keyed by (path, size, mtime).

A file whose size, mtime and sidecars (by ``stat`` only) are unchanged is not opened again: its facts come
from here. Scanned files are rows here, never nodes in ``data/`` and never all in memory at once; the curated
graph stays the authority. ``reads`` counts the weights files this store's scans actually opened.

The default location is ``$LINEAGE_CACHE_DIR/scan.sqlite``, else ``~/.cache/lineage/scan.sqlite``; the scan
writes nothing anywhere else.

>>> import pathlib, tempfile
>>> s = ScanStore(pathlib.Path(tempfile.mkdtemp()) / "scan.sqlite")
>>> s.put("/m/a.safetensors", 10, 5, "", {"kind": "lora"}, None)
>>> s.get("/m/a.safetensors", 10, 5, ""), s.get("/m/a.safetensors", 11, 5, "")
(({'kind': 'lora'}, None), None)
>>> s.close()
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import Any

from lineage.hashing import default_cache_path

SCHEMA_VERSION = "1"


def default_store_path() -> Path:
    """``$LINEAGE_CACHE_DIR/scan.sqlite``, else ``~/.cache/lineage/scan.sqlite``."""
    return default_cache_path().with_name("scan.sqlite")


class ScanStore:
    """Facts per file in SQLite; writes are batched and committed every ``batch`` files and on close."""

    def __init__(self, path: Path | str | None = None, batch: int = 500):
        self.path = Path(path) if path else default_store_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.con = sqlite3.connect(self.path, timeout=30)
        self.con.execute("PRAGMA journal_mode=WAL")
        self.con.execute("PRAGMA synchronous=NORMAL")
        self.con.executescript(
            "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
            "CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, size INTEGER NOT NULL,"
            " mtime_ns INTEGER NOT NULL, sidecars TEXT NOT NULL, facts TEXT, error TEXT);"
        )
        row = self.con.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        if row is None or row[0] != SCHEMA_VERSION:
            self.con.execute("DELETE FROM files")
            self.con.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
            self.con.commit()
        self.batch = batch
        self.pending = 0
        self.reads = 0  # weights files opened by scans through this store

    def get(self, path: str, size: int, mtime_ns: int, sidecars: str) -> tuple[dict | None, str | None] | None:
        """``(facts, error)`` cached for exactly this path, size, mtime and sidecar signature, else ``None``."""
        row = self.con.execute("SELECT facts, error FROM files WHERE path = ? AND size = ? AND mtime_ns = ? "
                               "AND sidecars = ?", (path, size, mtime_ns, sidecars)).fetchone()
        if row is None:
            return None
        return (json.loads(row[0]) if row[0] else None), row[1]

    def put(self, path: str, size: int, mtime_ns: int, sidecars: str, facts: dict[str, Any] | None,
            error: str | None) -> None:
        self.con.execute("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?)",
                         (path, size, mtime_ns, sidecars, json.dumps(facts) if facts is not None else None, error))
        self.pending += 1
        if self.pending >= self.batch:
            self.con.commit()
            self.pending = 0

    def forget(self, path: str) -> None:
        self.con.execute("DELETE FROM files WHERE path = ?", (path,))

    def count(self) -> int:
        return self.con.execute("SELECT COUNT(*) FROM files").fetchone()[0]

    def close(self) -> None:
        self.con.commit()
        self.con.close()

    def __enter__(self) -> ScanStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def abspath(path: str | Path) -> str:
    """The absolute path a file is cached under (symlinks kept: a HF snapshot link is its own entry)."""
    return os.path.abspath(path)
