"""Timeline rows made readable: same-day releases get their own slot, roadmap bars end at the next release.

>>> rows = [{"organization": "a", "date": "2024-08-01", "node": "x"}, {"organization": "a", "date": "2024-08-01",
...          "node": "y"}, {"organization": "b", "date": "2024-08-01", "node": "z"}]
>>> [r["slot"] for r in stack_same_day(rows)]
[0, 1, 0]
"""

from __future__ import annotations

from typing import Any


def stack_same_day(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Copies of ``rows`` with ``slot``: 0, 1, 2... among releases of one organization on one day.

    A chart offsets each slot, so every point of a same-day release can be hovered and clicked.
    """
    seen: dict[tuple[str, str], int] = {}
    out = []
    for r in rows:
        key = (r["organization"], r["date"])
        out.append({**r, "slot": seen.get(key, 0)})
        seen[key] = seen.get(key, 0) + 1
    return out


def end_at_next_release(rows: list[dict[str, Any]], end: str) -> list[dict[str, Any]]:
    """Copies of roadmap ``rows`` whose bar ends when the organization's next release starts (else at ``end``).

    Releases on the same day share the next later date; ``current`` marks the bars that run to ``end``.

    >>> rows = [{"organization": "a", "start": "2022-08-22"}, {"organization": "a", "start": "2023-07-26"},
    ...         {"organization": "b", "start": "2023-01-01"}]
    >>> [(r["end"], r["current"]) for r in end_at_next_release(rows, "2026-05-01")]
    [('2023-07-26', False), ('2026-05-01', True), ('2026-05-01', True)]
    """
    starts: dict[str, list[str]] = {}
    for r in rows:
        starts.setdefault(r["organization"], []).append(r["start"])
    out = []
    for r in rows:
        later = sorted(s for s in starts[r["organization"]] if s > r["start"])
        out.append({**r, "end": later[0] if later else end, "current": not later})
    return out
