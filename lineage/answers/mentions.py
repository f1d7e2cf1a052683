"""Find the models a sentence names: exact names (several per sentence), else a did-you-mean.

A mention is the longest run of words whose normalised text is a node's id, name or alias. A partial name
(the start of other names, e.g. "pony" or "sdxl base") or a misspelling ("Illustrous") gives suggestions
instead of a guess.

>>> from lineage.core.graph import load_graph
>>> g = load_graph()
>>> [m.node for m in find_mentions(g, "is FLUX.1 dev or SDXL 1.0 better for selling prints".split())]
['flux1-dev', 'sdxl-1.0']
>>> find_mentions(g, ["Illustrous"])[0].suggestions[:1]
['illustrious-xl']
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

import networkx as nx

from lineage.core.resolve import name_index, normalise

#: Words never taken as (part of) a model name on their own.
_STOP = (
    "a an and are as at be by can could do does for from i if in into is it its may me might my of on or "
    "our the their them this to use used uses using via was what when where which who why will with you your "
    "images image pictures picture outputs output model models sell make train"
)
STOP_WORDS: frozenset[str] = frozenset(_STOP.split())
FUZZY_CUTOFF = 0.8


@dataclass(frozen=True)
class Mention:
    """A run of words (``start``..``end``) naming ``node``, or, when unsure, ``suggestions``."""

    text: str
    start: int
    end: int
    node: str | None
    suggestions: list[str] = field(default_factory=list)


def _keys(graph: nx.MultiDiGraph) -> dict[str, list[str]]:
    index = name_index(graph)
    return {k: sorted(n for n in ids if graph.nodes[n]["kind"] != "license") for k, ids in index.items()
            if len(k) >= 2 and any(graph.nodes[n]["kind"] != "license" for n in ids)}


def _prefixed(keys: dict[str, list[str]], key: str) -> list[str]:
    found: list[str] = []
    for k in sorted(keys):
        if k.startswith(key) and k != key:
            found += [n for n in keys[k] if n not in found]
    return found


def _content(words: list[str]) -> bool:
    return any(w.lower().strip(".,?!'\"") not in STOP_WORDS for w in words)


def find_mentions(graph: nx.MultiDiGraph, words: list[str], limit: int = 4) -> list[Mention]:
    """Every model the words name, in order; with suggestions where a name is partial or misspelt."""
    keys = _keys(graph)
    taken = [False] * len(words)
    found: list[Mention] = []
    for size in range(min(6, len(words)), 0, -1):
        for start in range(len(words) - size + 1):
            span = words[start:start + size]
            if any(taken[start:start + size]) or not _content(span):
                continue
            key = normalise(" ".join(span))
            if len(key) < 3 or key not in keys:
                continue
            ids = keys[key]
            longer = normalise(" ".join(words[start:start + size + 1]))
            more = _prefixed(keys, longer) if start + size < len(words) and longer != key else []
            if more and _content(words[start + size:start + size + 1]) and longer not in keys:
                found.append(Mention(" ".join(words[start:start + size + 1]), start, start + size + 1, None, more))
                end = start + size + 1
            else:
                found.append(Mention(" ".join(span), start, start + size, ids[0] if len(ids) == 1 else None,
                                     ids if len(ids) > 1 else []))
                end = start + size
            taken[start:end] = [True] * (end - start)
    if not found:
        found = _guesses(keys, words)
    return sorted(found, key=lambda m: m.start)[:limit]


def _guesses(keys: dict[str, list[str]], words: list[str]) -> list[Mention]:
    """Partial names (the start of a name) and misspellings, best first; one mention at most."""
    best: tuple[float, Mention] | None = None
    for size in range(min(4, len(words)), 0, -1):
        for start in range(len(words) - size + 1):
            span = words[start:start + size]
            if not _content(span):
                continue
            key = normalise(" ".join(span))
            if len(key) < 4:
                continue
            prefixed = _prefixed(keys, key)
            if prefixed:
                score = 0.85 + len(key) / 100
                mention = Mention(" ".join(span), start, start + size, None, prefixed[:8])
            else:
                close = difflib.get_close_matches(key, list(keys), n=5, cutoff=FUZZY_CUTOFF)
                if not close:
                    continue
                score = difflib.SequenceMatcher(None, key, close[0]).ratio() + len(key) / 200
                ids: list[str] = []
                for k in close:
                    ids += [n for n in keys[k] if n not in ids]
                mention = Mention(" ".join(span), start, start + size, None, ids[:8])
            if best is None or score > best[0]:
                best = (score, mention)
    return [best[1]] if best else []
