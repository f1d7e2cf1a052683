"""Find a node or license from what a person types: case, spaces, dots, brackets and hyphens do not matter.

>>> normalise("FLUX.1 [dev]") == normalise("flux1-dev") == normalise("Flux.1 dev")
True
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

import networkx as nx

from lineage.core.problems import LineageError

_DROP = re.compile(r"[\s.\-_\[\](){}/:,'\"`]+")


def normalise(text: str) -> str:
    """Lower-case ``text`` and drop spaces, dots, brackets, hyphens, underscores and similar punctuation.

    >>> normalise("  SD 1.5 ")
    'sd15'
    """
    return _DROP.sub("", text.casefold())


class UnknownName(LineageError):
    """No node or license has this name; ``candidates`` are the closest ids."""

    def __init__(self, name: str, candidates: list[str]):
        self.name = name
        self.candidates = candidates
        hint = f" Did you mean: {', '.join(candidates)}?" if candidates else ""
        super().__init__(f"Unknown model or license {name!r}.{hint}")


class AmbiguousName(LineageError):
    """More than one node or license has this name; ``candidates`` lists them."""

    def __init__(self, name: str, candidates: list[str]):
        self.name = name
        self.candidates = candidates
        super().__init__(f"{name!r} could mean any of: {', '.join(candidates)}. Use one of these ids.")


def name_index(graph: nx.MultiDiGraph) -> dict[str, set[str]]:
    """Map each normalised id, name and alias to the graph ids it names (cached on the graph)."""
    cached = graph.graph.get("_name_index")
    if cached is not None:
        return cached
    index: dict[str, set[str]] = {}
    for node_id, attrs in graph.nodes(data=True):
        for text in _names(node_id, attrs.get("name", ""), attrs.get("aliases", ())):
            index.setdefault(normalise(text), set()).add(node_id)
    graph.graph["_name_index"] = index
    return index


def _names(node_id: str, name: str, aliases: Iterable[str]) -> list[str]:
    return [node_id, name, *aliases]


def resolve(graph: nx.MultiDiGraph, name: str, kinds: set[str] | None = None) -> str:
    """Return the id of the node or license ``name`` means, or raise with the closest candidates.

    ``kinds`` limits the answer to nodes of those kinds (``license`` for licenses).

    >>> from lineage.core.graph import load_graph
    >>> g = load_graph()
    >>> resolve(g, "FLUX.1 [dev]"), resolve(g, "Flux.1 dev"), resolve(g, "flux1-dev")
    ('flux1-dev', 'flux1-dev', 'flux1-dev')
    """
    index = name_index(graph)
    key = normalise(name)

    def allowed(node_id: str) -> bool:
        return kinds is None or graph.nodes[node_id].get("kind") in kinds

    hits = sorted(n for n in index.get(key, ()) if allowed(n))
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:
        raise AmbiguousName(name, hits)
    if not key:
        raise UnknownName(name, [])
    keys = [k for k, ids in index.items() if any(allowed(n) for n in ids)]
    close = difflib.get_close_matches(key, keys, n=8, cutoff=0.6)
    close += [k for k in keys if key in k and k not in close]
    candidates: list[str] = []
    for k in close:
        for node_id in sorted(index[k]):
            if allowed(node_id) and node_id not in candidates:
                candidates.append(node_id)
    raise UnknownName(name, candidates[:8])
