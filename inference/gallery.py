"""SQLite record of every generation: prompt, settings, seed, outputs, trace, timings, status.

A row is inserted in one transaction after its files are in place, so an interrupted generation
leaves neither a half-written row nor a file.

Examples
--------
>>> import tempfile, pathlib
>>> g = Gallery(pathlib.Path(tempfile.mkdtemp()) / "g.sqlite")
>>> row_id = g.add({"prompt": "1girl", "seed": 1, "steps": 2, "cfg": 4.0, "width": 64, "height": 64,
...                 "batch": 1, "sigmas": "comfy", "negative": ""}, status="done", outputs=["a.png"])
>>> g.get(row_id)["prompt"], g.recent()[0]["outputs"]
('1girl', ['a.png'])
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from pathlib import Path

COLUMNS = ("id", "created_at", "status", "prompt", "negative", "seed", "steps", "cfg", "width", "height",
           "batch", "sigmas", "device", "dtype", "model", "outputs", "trace", "timings", "error", "software")
_JSON = ("outputs", "trace", "timings")


def default_gallery_path() -> Path:
    """``$LINEAGE_GALLERY``, else ``~/.local/share/lineage/gallery.sqlite``."""
    env = os.environ.get("LINEAGE_GALLERY")
    return Path(env) if env else Path.home() / ".local" / "share" / "lineage" / "gallery.sqlite"


class Gallery:
    """A small SQLite table of generations."""

    def __init__(self, path: Path | None = None):
        self.path = Path(path) if path else default_gallery_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as con:
            con.execute(
                "CREATE TABLE IF NOT EXISTS generations (id INTEGER PRIMARY KEY AUTOINCREMENT,"
                " created_at TEXT NOT NULL, status TEXT NOT NULL, prompt TEXT NOT NULL, negative TEXT,"
                " seed INTEGER, steps INTEGER, cfg REAL, width INTEGER, height INTEGER, batch INTEGER,"
                " sigmas TEXT, device TEXT, dtype TEXT, model TEXT, outputs TEXT, trace TEXT, timings TEXT,"
                " error TEXT, software TEXT)"
            )

    def _connect(self) -> sqlite3.Connection:
        con = sqlite3.connect(self.path, timeout=30)
        con.row_factory = sqlite3.Row
        return con

    def add(self, settings: dict, *, status: str, outputs: list[str] | None = None, trace: dict | None = None,
            timings: dict | None = None, device: str = "", dtype: str = "", error: str | None = None,
            software: str = "") -> int:
        """Insert one finished (done, failed or cancelled) generation; returns its id."""
        s = settings
        row = (dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), status, s["prompt"], s.get("negative", ""),
               s["seed"], s["steps"], s["cfg"], s["width"], s["height"], s["batch"], s["sigmas"], device, dtype,
               (trace or {}).get("model"), json.dumps(outputs or []), json.dumps(trace or {}),
               json.dumps(timings or {}), error, software)
        con = self._connect()
        try:
            with con:
                cur = con.execute(f"INSERT INTO generations ({', '.join(COLUMNS[1:])}) VALUES "
                                  f"({', '.join('?' * (len(COLUMNS) - 1))})", row)
            return int(cur.lastrowid)
        finally:
            con.close()

    def _decode(self, row: sqlite3.Row) -> dict:
        out = dict(row)
        for key in _JSON:
            out[key] = json.loads(out[key]) if out[key] else ({} if key != "outputs" else [])
        return out

    def get(self, row_id: int) -> dict | None:
        """One generation by id, or None."""
        con = self._connect()
        try:
            row = con.execute("SELECT * FROM generations WHERE id = ?", (row_id,)).fetchone()
        finally:
            con.close()
        return self._decode(row) if row else None

    def recent(self, limit: int = 20, status: str | None = None) -> list[dict]:
        """Newest first."""
        con = self._connect()
        try:
            if status:
                rows = con.execute("SELECT * FROM generations WHERE status = ? ORDER BY id DESC LIMIT ?",
                                   (status, limit)).fetchall()
            else:
                rows = con.execute("SELECT * FROM generations ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
        finally:
            con.close()
        return [self._decode(r) for r in rows]
