"""Make text from untrusted files safe to print: one sanitiser for the terminal, JSON and one-line errors.

Weight headers, PNG chunks and file names can carry lone UTF-16 surrogates (which cannot be encoded, so
printing them raises), control characters and terminal escape sequences (which can rewrite what a terminal
shows), and bidirectional overrides (which reorder it). :func:`printable` replaces each with a visible
escape such as ``\\x1b`` or ``\\ud800``; ordinary text, including non-Latin scripts, is kept as it is.

>>> printable("ok \\x1b[31mred\\x1b[0m \\ud800 tab\\tend")
'ok \\\\x1b[31mred\\\\x1b[0m \\\\ud800 tab\\tend'
>>> printable("a" * 30, limit=10)
'aaaaaaaaa…'
"""

from __future__ import annotations

import math
import os
import re
import unicodedata
from pathlib import Path
from typing import Any

# C0 controls except tab and newline, DEL, C1 controls, lone surrogates, bidi embeddings/overrides/isolates,
# and the line/paragraph separators (which some terminals and JSON readers treat as line breaks).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069\u2028\u2029\u200e\u200f]")
_UNSAFE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069\u2028\u2029\u200e\u200f]")


_NAMED = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _escape(match: re.Match[str]) -> str:
    if match.group() in _NAMED:
        return _NAMED[match.group()]
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, limit: int | None = None, one_line: bool = False) -> str:
    """``text`` with unprintable characters escaped; cut to ``limit`` characters (with ``…``) when given.

    ``one_line`` also escapes tabs and newlines (for one-line error messages).

    >>> printable("two\\nlines", one_line=True)
    'two\\\\nlines'
    """
    if limit is not None and len(text) > limit:
        text = text[: max(limit - 1, 0)] + "…"
    return (_UNSAFE_LINE if one_line else _UNSAFE).sub(_escape, text)


def printable_data(obj: Any, limit: int | None = None) -> Any:
    """The same JSON-like structure with every string (keys too) passed through :func:`printable`.

    Infinite and NaN floats become the strings ``"inf"``/``"nan"``, so JSON output stays valid JSON.

    >>> printable_data({"na\\udcffme": ["\\x07", 1, None, float("inf")]})
    {'na\\\\udcffme': ['\\\\x07', 1, None, 'inf']}
    """
    if isinstance(obj, str):
        return printable(obj, limit)
    if isinstance(obj, float) and not math.isfinite(obj):
        return str(obj)
    if isinstance(obj, dict):
        return {printable_data(k, limit) if isinstance(k, str) else k: printable_data(v, limit)
                for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [printable_data(v, limit) for v in obj]
    return obj


def printable_path(path: str | Path | os.PathLike[str]) -> str:
    """A file name as text: undecodable bytes (surrogate escapes) shown as ``\\udcXX``, controls escaped.

    >>> printable_path(Path(os.fsdecode(b"bad\\xff.png")))
    'bad\\\\udcff.png'
    """
    return printable(os.fspath(path), one_line=True)


def has_confusables(text: str) -> bool:
    """True when ``text`` mixes Latin letters with letters of another script that look alike (homoglyphs).

    >>> has_confusables("Anima"), has_confusables("\\u0410nima"), has_confusables("\\u30a2\\u30cb\\u30de")
    (False, True, False)
    """
    scripts = set()
    for ch in text:
        if ch.isalpha():
            name = unicodedata.name(ch, "")
            scripts.add(name.split(" ", 1)[0])
    return "LATIN" in scripts and bool(scripts & {"CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE", "FULLWIDTH"})
