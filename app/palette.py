"""Organization colours: as many clearly different colours as there are organizations, the same on every page.

The palette starts with nine Tableau 10 colours, then adds, one at a time, the colour farthest (in CIELAB, the
space where distance follows what eyes see) from every colour already taken, among mid-light colours that read
on white. Each colour depends only on its position, so a longer palette keeps the colours of a shorter one.

>>> palette(3)
('#4e79a7', '#f28e2b', '#e15759')
>>> len(set(palette(60))) == 60
True
"""

from __future__ import annotations

from functools import lru_cache
from itertools import combinations

#: The first colours, in order (Tableau 10 without its grey).
SEED: tuple[str, ...] = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
                         "#9c755f")
#: Lightness range of the colours added after the seed: dark enough to show on white, light enough to tell apart.
LIGHTNESS = (38.0, 82.0)


def _linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def lab(color: str) -> tuple[float, float, float]:
    """CIELAB (D65) coordinates of a ``#rrggbb`` colour.

    >>> [round(v) for v in lab("#ffffff")], [round(v) for v in lab("#000000")]
    ([100, 0, 0], [0, 0, 0])
    """
    r, g, b = (_linear(int(color[i:i + 2], 16)) for i in (1, 3, 5))
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def distance(a: str, b: str) -> float:
    """How different two colours look (CIE76 delta E: about 2 is barely visible, over 20 is a different colour).

    >>> round(distance("#ff0000", "#ff0000")), distance("#ff0000", "#0000ff") > 100
    (0, True)
    """
    return sum((p - q) ** 2 for p, q in zip(lab(a), lab(b), strict=True)) ** 0.5


@lru_cache(maxsize=8)
def palette(n: int) -> tuple[str, ...]:
    """The first ``n`` colours (``#rrggbb``), each as far as possible from those before it."""
    chosen = list(SEED[:n])
    if n <= len(chosen):
        return tuple(chosen)
    steps = range(0, 256, 17)
    grid = (f"#{r:02x}{g:02x}{b:02x}" for r in steps for g in steps for b in steps)
    candidates = {c: v for c in grid if LIGHTNESS[0] <= (v := lab(c))[0] <= LIGHTNESS[1]}
    nearest = {c: min(_dist2(v, lab(s)) for s in chosen) for c, v in candidates.items()}
    while len(chosen) < n:
        pick = max(nearest, key=lambda c: (nearest[c], c))
        chosen.append(pick)
        far = candidates.pop(pick)
        del nearest[pick]
        for c, v in candidates.items():
            nearest[c] = min(nearest[c], _dist2(v, far))
    return tuple(chosen)


def _dist2(p: tuple[float, float, float], q: tuple[float, float, float]) -> float:
    return (p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2 + (p[2] - q[2]) ** 2


def closest_pair(colors: tuple[str, ...] | list[str]) -> tuple[float, str, str]:
    """The two most alike colours of a list and their distance (how well a palette tells its colours apart).

    >>> closest_pair(["#ff0000", "#fe0000", "#0000ff"])[1:]
    ('#ff0000', '#fe0000')
    """
    return min((distance(a, b), a, b) for a, b in combinations(colors, 2))
