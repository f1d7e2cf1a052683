"""SQLite record of every generation: prompt, settings, seed, outputs, trace, timings, status.

A row is inserted in one transaction after its files are in place, so an interrupted generation
leaves neither a half-written row nor a file.

A damaged gallery is never deleted or rewritten: a file that is not a lineage gallery (not SQLite, a
malformed database, another table layout) is left as it is and a new gallery is started beside it
(``gallery.sqlite`` -> ``gallery.new-<time>.sqlite``); a folder holds ``gallery.sqlite`` inside it; a row
whose JSON is corrupt is shown with that field empty and listed in ``corrupt``. ``notice`` says what happened.

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

from inference.errors import InferenceError

COLUMNS = ("id", "created_at", "status", "prompt", "negative", "seed", "steps", "cfg", "width", "height",
           "batch", "sigmas", "device", "dtype", "model", "outputs", "trace", "timings", "error", "software")
_JSON = ("outputs", "trace", "timings")
_SQLITE_MAGIC = b"SQLite format 3\x00"
_HINT = "pass --gallery FILE in a folder you may write to (or set LINEAGE_GALLERY)"
#: Largest row id SQLite can store.
MAX_ID = 2**63 - 1


def default_gallery_path() -> Path:
    """``$LINEAGE_GALLERY``, else ``~/.local/share/lineage/gallery.sqlite``."""
    env = os.environ.get("LINEAGE_GALLERY")
    return Path(env) if env else Path.home() / ".local" / "share" / "lineage" / "gallery.sqlite"


class Gallery:
    """A small SQLite table of generations."""

    def __init__(self, path: Path | None = None):
        self.path = Path(path) if path else default_gallery_path()
        self.notice: str | None = None
        if self.path.is_dir():
            self.notice = f"{self.path} is a folder; the gallery is {self.path / 'gallery.sqlite'} inside it"
            self.path = self.path / "gallery.sqlite"
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InferenceError(f"cannot create the gallery's folder ({exc.strerror})", path=self.path.parent,
                                 hint=_HINT) from None
        if self.path.exists() and not self.path.is_file():
            raise InferenceError("the gallery is not a regular file (a device or pipe)", path=self.path, hint=_HINT)
        problem = self._unusable()
        if problem:
            damaged = self.path
            for fresh in (damaged.with_name(f"{damaged.stem}.new{damaged.suffix}"),
                          damaged.with_name(f"{damaged.stem}.new-{dt.datetime.now():%Y%m%d-%H%M%S}{damaged.suffix}")):
                self.path = fresh
                if self.path.is_file() or not self.path.exists():
                    again = self._unusable()
                    if again is None:
                        break
            else:
                raise InferenceError(f"cannot start a new gallery beside it ({problem})", path=damaged, hint=_HINT)
            self.notice = (f"{damaged} is not a usable lineage gallery ({problem}); it was left untouched and the "
                           f"gallery is now {self.path}")

    def _unusable(self) -> str | None:
        """Why the file at ``self.path`` cannot serve as the gallery (creating the table if needed), or None."""
        try:
            with open(self.path, "rb") as fh:
                head = fh.read(len(_SQLITE_MAGIC))
        except FileNotFoundError:
            head = b""
        except OSError as exc:
            raise InferenceError(f"cannot read the gallery ({exc.strerror})", path=self.path, hint=_HINT) from None
        if head and head != _SQLITE_MAGIC:
            return "not an SQLite database"
        con = self._connect()
        try:
            with con:
                con.execute(
                    "CREATE TABLE IF NOT EXISTS generations (id INTEGER PRIMARY KEY AUTOINCREMENT,"
                    " created_at TEXT NOT NULL, status TEXT NOT NULL, prompt TEXT NOT NULL, negative TEXT,"
                    " seed INTEGER, steps INTEGER, cfg REAL, width INTEGER, height INTEGER, batch INTEGER,"
                    " sigmas TEXT, device TEXT, dtype TEXT, model TEXT, outputs TEXT, trace TEXT, timings TEXT,"
                    " error TEXT, software TEXT)"
                )
                columns = {row[1] for row in con.execute("PRAGMA table_info(generations)")}
        except sqlite3.OperationalError as exc:
            if "unable to open" in str(exc) or "readonly" in str(exc):
                raise InferenceError(f"cannot open the gallery ({exc})", path=self.path, hint=_HINT) from None
            return str(exc)
        except sqlite3.DatabaseError as exc:  # malformed, encrypted, not a database
            return str(exc)
        finally:
            con.close()
        if not set(COLUMNS) <= columns:
            return f"its generations table lacks {', '.join(sorted(set(COLUMNS) - columns))}"
        return None

    def _connect(self) -> sqlite3.Connection:
        try:
            con = sqlite3.connect(self.path, timeout=30)
        except sqlite3.Error as exc:
            raise InferenceError(f"cannot open the gallery ({exc})", path=self.path, hint=_HINT) from None
        con.row_factory = sqlite3.Row
        con.text_factory = lambda raw: raw.decode("utf-8", "replace")  # a damaged text cell stays readable
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
        except (sqlite3.Error, OverflowError) as exc:
            raise InferenceError(f"cannot record the generation in the gallery ({exc})", path=self.path,
                                 hint=_HINT) from None
        finally:
            con.close()

    def _decode(self, row: sqlite3.Row) -> dict:
        out = dict(row)
        corrupt = []
        for key in _JSON:
            empty: list | dict = [] if key == "outputs" else {}
            try:
                value = json.loads(out[key]) if out[key] else empty
            except (ValueError, TypeError, RecursionError):
                value = None
            if not isinstance(value, type(empty)):
                corrupt.append(key)
                value = empty
            out[key] = value
        if corrupt:
            out["corrupt"] = corrupt
        return out

    def get(self, row_id: int) -> dict | None:
        """One generation by id, or None (also for an id no SQLite row can have).

        >>> import tempfile, pathlib
        >>> Gallery(pathlib.Path(tempfile.mkdtemp()) / "g.sqlite").get(2**70) is None
        True
        """
        if not 0 < row_id <= MAX_ID:
            return None
        con = self._connect()
        try:
            row = con.execute("SELECT * FROM generations WHERE id = ?", (row_id,)).fetchone()
        except sqlite3.Error as exc:
            raise InferenceError(f"cannot read the gallery ({exc})", path=self.path, hint=_HINT) from None
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
        except sqlite3.Error as exc:
            raise InferenceError(f"cannot read the gallery ({exc})", path=self.path, hint=_HINT) from None
        finally:
            con.close()
        return [self._decode(r) for r in rows]
