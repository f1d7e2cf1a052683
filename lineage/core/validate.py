"""Cross-record rules for the data: one function per rule, each returning the problems it finds.

The rules: unique ids; unique names and aliases (after normalisation); references resolve; every license
referenced exists; no cycle in derivation edges; no child released before its parent unless a date is
disputed; every fact has a source; every source is public (an ``https://`` URL, ``owner/repo:path@commit``,
or a registry id whose ``ref`` is one of those; never a local path); no claim is stronger than its registry
source; dates parse.

>>> from lineage.core.load import load
>>> validate(load())
[]
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import networkx as nx
from pydantic import BaseModel

from lineage.core.load import LoadResult, Located
from lineage.core.problems import Problem
from lineage.core.resolve import normalise
from lineage.core.schema import (
    _REPO_REF_RE,
    DERIVATION_EDGES,
    ID_PATTERN,
    LICENSE_EDGES,
    Claim,
    Clause,
    EdgeType,
    Fact,
    NodeKind,
    PartialDate,
)

_URL_RE = re.compile(r"^https?://[^\s]+$")
_HTTPS_RE = re.compile(r"^https://[^\s/]+\.[^\s/]+(/[^\s]*)?$")
_ID_RE = re.compile(ID_PATTERN)
PUBLIC_HINT = ("cite the public original: an https:// URL, owner/repo:path@commit (a file in a public GitHub "
               "repository at a commit), or an id from sources: that resolves to one of those")
Rule = Callable[[LoadResult], list[Problem]]


def _records(result: LoadResult, section: str) -> Iterator[tuple[Any, Located]]:
    assert result.dataset is not None
    yield from zip(getattr(result.dataset, section), result.origins[section], strict=True)


def _problem(origin: Located, path: tuple[Any, ...], field: str, message: str, hint: str, rule: str) -> Problem:
    return Problem(origin.file, origin.line(path), field, message, hint, rule)


def _label(section: str, record: Any) -> str:
    if section == "edges":
        return f"edge {record.source} {record.type.value} {record.target}"
    return f"{section[:-1]} {record.id!r}"


def _walk(value: Any, leaves: tuple[type, ...], path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """Every record of the ``leaves`` types (and every claim of a fact) inside ``value``, with its path."""
    if isinstance(value, leaves):
        yield path, value
    elif isinstance(value, Fact):
        for i, claim in enumerate(value.claims):
            yield (*path, i), claim
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _walk(getattr(value, name), leaves, (*path, name))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _walk(item, leaves, (*path, i))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, leaves, (*path, key))


def _walk_claims(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Claim]]:
    yield from _walk(value, (Claim,), path)


def is_public_ref(ref: str) -> bool:
    """Whether a reference is a public source: an ``https://`` URL or ``owner/repo:path@commit``.

    >>> is_public_ref("https://github.com/a/b"), is_public_ref("a/b:README.md@0123abc")
    (True, True)
    >>> is_public_ref("shared/sources/000.txt"), is_public_ref("http://example.org"), is_public_ref("/tmp/x")
    (False, False, False)
    """
    return bool(_HTTPS_RE.match(ref) or _REPO_REF_RE.match(ref))


def _walk_sources(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Claim | Clause]]:
    """Every claim and every license clause that names its own source, with its path in the record."""
    for where, item in _walk(value, (Claim, Clause), path):
        if item.source is not None:
            yield where, item


def _field(label: str, path: tuple[Any, ...]) -> str:
    return label + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)


def public_sources(result: LoadResult) -> list[Problem]:
    """Every source is public: registry refs, claim and clause sources are https URLs or repo references."""
    assert result.dataset is not None
    registry = {s.id for s in result.dataset.sources}
    problems: list[Problem] = []
    for section in ("organizations", "licenses", "nodes", "edges"):
        for record, origin in _records(result, section):
            if section == "licenses" and record.url and not is_public_ref(record.url):
                problems.append(_problem(origin, ("url",), f"{_label(section, record)}.url",
                                         f"{record.url!r} is not a public https URL", PUBLIC_HINT, "public_sources"))
            for path, claim in _walk_sources(record):
                ref = claim.source
                if ref in registry or is_public_ref(ref) or _ID_RE.match(ref):
                    continue  # an unknown id is the references rule's business
                problems.append(_problem(origin, (*path, "source"), _field(_label(section, record), (*path, "source")),
                                         f"source {ref!r} is a local path or not a public https URL",
                                         PUBLIC_HINT, "public_sources"))
    for source, origin in _records(result, "sources"):
        if not is_public_ref(source.ref):
            problems.append(_problem(origin, ("ref",), f"source {source.id!r}.ref",
                                     f"{source.ref!r} is not a public source", PUBLIC_HINT, "public_sources"))
    return problems


def status_within_source(result: LoadResult) -> list[Problem]:
    """A claim is no stronger than its registry source: one citing a secondary source is not primary."""
    assert result.dataset is not None
    strength = {"primary": 2, "secondary": 1, "unverified": 0}
    registry = {s.id: s for s in result.dataset.sources}
    problems: list[Problem] = []
    for section in ("organizations", "licenses", "nodes", "edges"):
        for record, origin in _records(result, section):
            for path, claim in _walk_sources(record):
                source = registry.get(claim.source or "")
                if source and strength[claim.status.value] > strength[source.status.value]:
                    problems.append(_problem(
                        origin, (*path, "status"), _field(_label(section, record), (*path, "status")),
                        f"status {claim.status.value!r} is stronger than its source {source.id!r} "
                        f"({source.status.value})", f"write status: {source.status.value}, or cite a primary source",
                        "status_within_source"))
    return problems


def unique_ids(result: LoadResult) -> list[Problem]:
    """Ids are unique across sources, organizations, licenses and nodes (edges may point at any of them)."""
    problems: list[Problem] = []
    first: dict[str, str] = {}
    for section in ("sources", "organizations", "licenses", "nodes"):
        for record, origin in _records(result, section):
            if record.id in first:
                problems.append(
                    _problem(origin, ("id",), f"{_label(section, record)}.id",
                             f"duplicate id, first defined in {first[record.id]}", "give one of them another id",
                             "unique_ids")
                )
            else:
                first[record.id] = f"{origin.file}:{origin.line()}"
    return problems


def unique_aliases(result: LoadResult) -> list[Problem]:
    """Names, ids and aliases of nodes and licenses stay unique after normalisation (case, spaces, dots...)."""
    problems: list[Problem] = []
    owner: dict[str, str] = {}
    for section in ("licenses", "nodes"):
        for record, origin in _records(result, section):
            names = [("id", record.id), ("name", record.name)] + [
                (("aliases", i), alias) for i, alias in enumerate(record.aliases)
            ]
            mine: set[str] = set()
            for path, text in names:
                key = normalise(text)
                if key in mine:
                    continue
                mine.add(key)
                other = owner.setdefault(key, record.id)
                if other != record.id:
                    field = path if isinstance(path, str) else f"aliases[{path[1]}]"
                    problems.append(
                        _problem(origin, path if isinstance(path, tuple) else (path,),
                                 f"{_label(section, record)}.{field}",
                                 f"{text!r} also names {other!r} (compared as {key!r})",
                                 "remove the alias or make it specific", "unique_aliases")
                    )
    return problems


def references(result: LoadResult) -> list[Problem]:
    """Organizations, families, edge ends and claim sources exist."""
    assert result.dataset is not None
    ds = result.dataset
    orgs = {o.id for o in ds.organizations}
    nodes = {n.id: n for n in ds.nodes}
    licenses = {lic.id for lic in ds.licenses}
    sources = {s.id for s in ds.sources}
    problems: list[Problem] = []
    for node, origin in _records(result, "nodes"):
        if node.organization and node.organization not in orgs:
            problems.append(_problem(origin, ("organization",), f"{_label('nodes', node)}.organization",
                                     f"unknown organization {node.organization!r}",
                                     "add it under organizations: or fix the id", "references"))
        if node.family:
            family = nodes.get(node.family)
            if family is None or family.kind != NodeKind.family:
                problems.append(_problem(origin, ("family",), f"{_label('nodes', node)}.family",
                                         f"{node.family!r} is not a node of kind family",
                                         "add the family node or fix the id", "references"))
    for edge, origin in _records(result, "edges"):
        want_license = edge.type in LICENSE_EDGES
        source_ok = edge.source in (licenses if edge.type == EdgeType.superseded_by else nodes)
        target_ok = edge.target in (licenses if want_license else nodes)
        if not source_ok:
            problems.append(_problem(origin, ("source",), f"{_label('edges', edge)}.source",
                                     f"unknown {'license' if edge.type == EdgeType.superseded_by else 'node'} "
                                     f"{edge.source!r}", "fix the id or add the record", "references"))
        if not target_ok:
            kind = "license" if want_license else "node"
            problems.append(_problem(origin, ("target",), f"{_label('edges', edge)}.target",
                                     f"unknown {kind} {edge.target!r}", "fix the id or add the record",
                                     "references" if not want_license else "licenses_exist"))
    for section in ("organizations", "licenses", "nodes", "edges"):
        for record, origin in _records(result, section):
            for path, claim in _walk_sources(record):
                if claim.assumed_from and claim.assumed_from not in licenses:
                    problems.append(_problem(origin, (*path, "assumed_from"),
                                             _field(_label(section, record), (*path, "assumed_from")),
                                             f"unknown license {claim.assumed_from!r}",
                                             "name the license whose text was read", "references"))
                ref = claim.source
                if ref in sources or _URL_RE.match(ref) or _REPO_REF_RE.match(ref) or not _ID_RE.match(ref):
                    continue  # URLs and paths are the public_sources rule's business
                field = _label(section, record) + "".join(
                    f"[{p}]" if isinstance(p, int) else f".{p}" for p in (*path, "source"))
                problems.append(_problem(origin, (*path, "source"), field, f"source {ref!r} is not known",
                                         "use an id from sources:, an https:// URL or owner/repo:path@commit",
                                         "references"))
    return problems


def licenses_exist(result: LoadResult) -> list[Problem]:
    """Every license a node names is defined under licenses:."""
    assert result.dataset is not None
    known = {lic.id for lic in result.dataset.licenses}
    problems = []
    for node, origin in _records(result, "nodes"):
        for i, assignment in enumerate(node.licenses):
            if assignment.id not in known:
                problems.append(_problem(origin, ("licenses", i, "id"), f"{_label('nodes', node)}.licenses[{i}]",
                                         f"unknown license {assignment.id!r}",
                                         "define it under licenses: or fix the id", "licenses_exist"))
    return problems


def no_cycles(result: LoadResult) -> list[Problem]:
    """Derivation edges (fine-tuned, distilled, VAE descent, ...) form no cycle."""
    graph = nx.DiGraph()
    where: dict[tuple[str, str], tuple[int, Any, Located]] = {}
    for i, (edge, origin) in enumerate(_records(result, "edges")):
        if edge.type in DERIVATION_EDGES:
            graph.add_edge(edge.source, edge.target)
            where[(edge.source, edge.target)] = (i, edge, origin)
    problems = []
    for cycle in nx.simple_cycles(graph):
        pairs = list(zip(cycle, cycle[1:] + cycle[:1], strict=True))
        _, edge, origin = max(where[pair] for pair in pairs if pair in where)  # blame the last-loaded edge
        loop = " -> ".join([*cycle, cycle[0]])
        problems.append(_problem(origin, (), _label("edges", edge), f"derivation cycle: {loop}",
                                 "one of these edges points the wrong way; edges go child -> parent", "no_cycles"))
    return problems


def _dates(fact: Fact | None) -> list[PartialDate]:
    """The fact's date (its agreed value; discrepancies aside), or every claimed date when it is disputed."""
    out = []
    values = [fact.value] if fact and not fact.disputed else (fact.values if fact else [])
    for value in values:
        if isinstance(value, str):
            try:
                out.append(PartialDate.parse(value))
            except ValueError:
                continue
    return out


def release_order(result: LoadResult) -> list[Problem]:
    """A child is not released before its parent, unless either date is disputed."""
    assert result.dataset is not None
    nodes = {n.id: n for n in result.dataset.nodes}
    problems = []
    for edge, origin in _records(result, "edges"):
        if edge.type not in DERIVATION_EDGES or edge.source not in nodes or edge.target not in nodes:
            continue
        child, parent = nodes[edge.source], nodes[edge.target]
        child_dates, parent_dates = _dates(child.released), _dates(parent.released)
        if len(child_dates) != 1 or len(parent_dates) != 1:
            continue  # unknown or disputed
        if child_dates[0].latest() < parent_dates[0].earliest():
            problems.append(_problem(origin, (), _label("edges", edge),
                                     f"{child.id} (released {child_dates[0]}) is older than its parent "
                                     f"{parent.id} (released {parent_dates[0]})",
                                     "fix a date, reverse the edge, or record the conflicting date as a second claim",
                                     "release_order"))
    return problems


def sourced(result: LoadResult) -> list[Problem]:
    """Every record, license assignment and weight file has at least one source."""
    problems = []
    for section in ("organizations", "licenses", "nodes", "edges"):
        for record, origin in _records(result, section):
            holders: list[tuple[tuple[Any, ...], Any]] = [((), record)]
            holders += [(("licenses", i), a) for i, a in enumerate(getattr(record, "licenses", []) or [])
                        if section == "nodes"]
            holders += [(("files", i), f) for i, f in enumerate(getattr(record, "files", []) or [])]
            for path, holder in holders:
                if not holder.sources:
                    field = _label(section, record) + "".join(f"[{p}]" if isinstance(p, int) else f".{p}"
                                                              for p in (*path, "sources"))
                    problems.append(_problem(origin, path, field, "no source given",
                                             "add a claim: {source: URL or id, quote: '...'}", "sourced"))
    return problems


def dates_parse(result: LoadResult) -> list[Problem]:
    """Release dates are YYYY, YYYY-MM or YYYY-MM-DD; parameter counts are whole numbers."""
    problems = []
    for node, origin in _records(result, "nodes"):
        for i, claim in enumerate(node.released.claims if node.released else []):
            try:
                if not isinstance(claim.value, str):
                    raise ValueError(f"{claim.value!r} is not a date string; quote it in YAML")
                PartialDate.parse(claim.value)
            except ValueError as err:
                problems.append(_problem(origin, ("released", i, "value"),
                                         f"{_label('nodes', node)}.released[{i}].value", str(err),
                                         "write YYYY, YYYY-MM or YYYY-MM-DD in quotes", "dates_parse"))
        for i, claim in enumerate(node.parameters.claims if node.parameters else []):
            if not isinstance(claim.value, int) or isinstance(claim.value, bool):
                problems.append(_problem(origin, ("parameters", i, "value"),
                                         f"{_label('nodes', node)}.parameters[{i}].value",
                                         f"{claim.value!r} is not a whole number", "write e.g. 2000000000",
                                         "dates_parse"))
    return problems


RULES: tuple[Rule, ...] = (
    unique_ids,
    unique_aliases,
    references,
    licenses_exist,
    no_cycles,
    release_order,
    sourced,
    public_sources,
    status_within_source,
    dates_parse,
)


def validate(result: LoadResult) -> list[Problem]:
    """Run every rule over loaded records; return all problems (empty when the data is sound)."""
    if result.dataset is None:
        return []
    return [problem for rule in RULES for problem in rule(result)]
