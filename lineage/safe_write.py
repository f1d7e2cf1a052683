"""Write an output file where the user asked, atomically, or fail with one clear line.

The text goes to a temporary file in the same folder, which is then renamed over the target: a reader
never sees half a file, and a failure (disk full, no permission) leaves the old file as it was and no
temporary file behind. The target must be a regular file or not exist yet: devices, pipes and folders are
refused (renaming over ``/dev/full`` would replace the device).

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> write_text_atomic(folder / "out.txt", "hello", option="--out")
>>> (folder / "out.txt").read_text(), sorted(p.name for p in folder.iterdir())
('hello', ['out.txt'])
>>> try:
...     write_text_atomic(folder, "x", option="--out")
... except LineageError as err:
...     "is a folder" in str(err)
True
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from lineage.core.problems import LineageError
from lineage.printable import printable_path


def check_output_path(path: str | Path, option: str = "--out", example: str = "out.json",
                      create_folders: bool = False) -> Path:
    """Refuse, with a clear message, an output path that cannot be written as a regular file.

    The folder must exist (or, with ``create_folders``, its nearest existing ancestor must be a folder) and
    accept a new file: a temporary file is created there and removed at once, so a read-only folder or
    ``/proc`` is refused before any work is done.

    >>> check_output_path("", "--out")
    Traceback (most recent call last):
    ...
    lineage.core.problems.LineageError: --out is empty; give a file path, e.g. --out out.json.
    """
    text = os.fspath(path)
    if not text or not text.strip():
        raise LineageError(f"{option} is empty; give a file path, e.g. {option} {example}.")
    path = Path(text)
    shown = printable_path(path)
    if text.endswith(os.sep) or path.is_dir():
        raise LineageError(f"{option} {shown}: is a folder; give a file name inside it, e.g. "
                           f"{option} {printable_path(path / example)}.")
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as err:
        raise LineageError(f"{option} {shown}: cannot be used ({err.strerror}); choose another path.") from None
    if mode is not None and not stat.S_ISREG(mode):
        raise LineageError(f"{option} {shown}: is not a regular file (a device, pipe or socket); "
                           "give the path of a file to create.")
    parent = path.parent
    if not parent.is_dir():
        ancestor = next((p for p in parent.parents if p.exists()), Path("."))
        if parent.exists() or not create_folders or not ancestor.is_dir():
            raise LineageError(f"{option} {shown}: the folder {printable_path(parent)} does not exist; "
                               "create it first or choose another path.")
        parent = ancestor
    try:
        fd, probe = tempfile.mkstemp(prefix=".lineage-probe.", dir=parent)
    except OSError as err:
        raise LineageError(f"{option} {shown}: cannot write in {printable_path(parent)} ({err.strerror}); "
                           "choose a folder you may write to.") from None
    os.close(fd)
    os.unlink(probe)
    return path


def write_bytes_atomic(path: str | Path, data: bytes, option: str = "--out") -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder; raise LineageError on failure."""
    path = check_output_path(path, option)
    shown = printable_path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:100]}.", suffix=".tmp", dir=path.parent)
    except OSError as err:
        raise LineageError(f"{option} {shown}: cannot write in {printable_path(path.parent)} "
                           f"({err.strerror}); choose a folder you may write to.") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as err:
        raise LineageError(f"{option} {shown}: writing failed ({err.strerror}); nothing was written. "
                           "Free some space or choose another path.") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_text_atomic(path: str | Path, text: str, option: str = "--out") -> None:
    """:func:`write_bytes_atomic` for UTF-8 text."""
    write_bytes_atomic(path, text.encode("utf-8", "backslashreplace"), option)

