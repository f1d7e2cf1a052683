"""Read ``data/models.yaml`` (and the files it includes) into validated records, keeping line numbers.

YAML is parsed with the safe loader only (no tags, nothing executed) and with dates kept as strings, so
``2022-10`` and ``2022-10-20`` mean what they say. Every record remembers the file and line it came
from, so that each problem can name both.

>>> ds = load_dataset()
>>> any(n.id == "anima-preview" for n in ds.nodes)
True
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from lineage.core.problems import DataError, Problem
from lineage.core.safe_yaml import MAX_BYTES, SafeNoDates, check_limits
from lineage.core.schema import Dataset, Edge, License, Node, Organization, Source

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "data" / "models.yaml"
SECTIONS: dict[str, type[BaseModel]] = {
    "sources": Source,
    "organizations": Organization,
    "licenses": License,
    "nodes": Node,
    "edges": Edge,
}
MAX_FILE_BYTES = MAX_BYTES

Path_ = tuple[str | int, ...]


_SafeNoDates = SafeNoDates  # the safe loader, dates kept as strings; limits in lineage.core.safe_yaml


@dataclass
class Located:
    """A raw record with where it came from; ``lines`` maps paths inside the record to line numbers."""

    section: str
    index: int
    file: str
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)

    def line(self, path: Path_ = ()) -> int | None:
        """The line of ``path`` inside the record, or of its nearest parent that has one."""
        while True:
            if path in self.lines:
                return self.lines[path]
            if not path:
                return None
            path = path[:-1]


@dataclass
class LoadResult:
    """Validated records (where valid), their origins, and every problem found."""

    dataset: Dataset | None
    origins: dict[str, list[Located]]  # per section, parallel to the dataset's lists
    problems: list[Problem]
    files: list[str]


_PLAIN_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}


def _node_to_python(node: yaml.Node, path: Path_, lines: dict[Path_, int], loader: _SafeNoDates) -> Any:
    lines[path] = node.start_mark.line + 1
    if not isinstance(node, yaml.ScalarNode) and node.tag not in _PLAIN_TAGS:
        raise yaml.constructor.ConstructorError(None, None, f"the tag {node.tag!r} is not allowed", node.start_mark)
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if isinstance(key, (dict, list)):
                raise yaml.constructor.ConstructorError(None, None, "a key must be a plain value", key_node.start_mark)
            out[key] = _node_to_python(value_node, (*path, key), lines, loader)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_node_to_python(item, (*path, i), lines, loader) for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


def read_yaml(path: Path) -> tuple[Any, dict[Path_, int]]:
    """Parse one YAML file safely; return the data and a map from paths inside it to line numbers.

    >>> import tempfile, os
    >>> with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
    ...     _ = f.write("nodes:\\n  - id: a\\n    released: 2024-08\\n")
    >>> data, lines = read_yaml(Path(f.name)); os.unlink(f.name)
    >>> data["nodes"][0]["released"], lines[("nodes", 0, "released")]
    ('2024-08', 3)
    """
    if path.stat().st_size > MAX_FILE_BYTES:
        raise DataError([Problem(str(path), None, "(file)", f"file is larger than {MAX_BYTES // 2**20} MB",
                                 "split it with include:")])
    text = path.read_text(encoding="utf-8")
    check_limits(text)  # no aliases, bounded depth, size and integers: see lineage.core.safe_yaml
    loader = _SafeNoDates(text)
    try:
        root = loader.get_single_node()
        lines: dict[Path_, int] = {}
        data = {} if root is None else _node_to_python(root, (), lines, loader)
    finally:
        loader.dispose()
    return data, lines


def _yaml_problem(path: Path, err: Exception) -> Problem:
    mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
    line = mark.line + 1 if mark is not None else None
    message = getattr(err, "problem", None) or str(err).splitlines()[0]
    return Problem(str(path), line, "(yaml)", f"not valid YAML: {message}", "fix the syntax at that line", "yaml")


def _display(path: Path) -> Path:
    """The path relative to the working directory when it lies below it (shorter messages), else absolute."""
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(Path.cwd())
    except ValueError:
        return absolute


def _collect(entry: Path) -> tuple[list[Located], list[Problem], list[str]]:
    """Read the entry file and everything it includes, depth first, each file once."""
    records: list[Located] = []
    problems: list[Problem] = []
    seen: list[str] = []
    counters: dict[str, int] = dict.fromkeys(SECTIONS, 0)

    def visit(path: Path, included_from: tuple[str, int | None] | None) -> None:
        path = _display(path)
        key = str(path.resolve())
        if key in seen:
            return
        if not path.is_file():
            where, line = included_from or (str(path), None)
            problems.append(
                Problem(
                    where,
                    line,
                    "include",
                    f"file {path} does not exist",
                    "fix the path (relative to the including file)",
                    "include",
                )
            )
            return
        seen.append(key)
        try:
            data, lines = read_yaml(path)
        except yaml.YAMLError as err:
            problems.append(_yaml_problem(path, err))
            return
        except UnicodeDecodeError as err:
            problems.append(
                Problem(str(path), None, "(file)", f"not UTF-8 text ({err.reason})", "save it as UTF-8", "yaml")
            )
            return
        if not isinstance(data, dict):
            problems.append(
                Problem(str(path), 1, "(top level)", "must be a mapping of sections", "start with e.g. 'nodes:'")
            )
            return
        for name in data:
            if name != "include" and name not in SECTIONS:
                problems.append(
                    Problem(
                        str(path),
                        lines.get((name,)),
                        str(name),
                        "unknown section",
                        f"use one of: include, {', '.join(SECTIONS)}",
                    )
                )
        includes = data.get("include") or []
        if not isinstance(includes, list):
            problems.append(Problem(str(path), lines.get(("include",)), "include", "must be a list of paths", ""))
            includes = []
        for i, rel in enumerate(includes):
            if not isinstance(rel, str):
                problems.append(Problem(str(path), lines.get(("include", i)), f"include[{i}]", "must be a path", ""))
                continue
            visit(path.parent / rel, (str(path), lines.get(("include", i))))

        per_record: dict[tuple[Any, Any], dict[Path_, int]] = {}
        for p, ln in lines.items():
            if len(p) >= 2:
                per_record.setdefault(p[:2], {})[p[2:]] = ln
        for section in SECTIONS:
            items = data.get(section) or []
            if not isinstance(items, list):
                problems.append(
                    Problem(str(path), lines.get((section,)), section, "must be a list", "write '- ' items")
                )
                continue
            for i, item in enumerate(items):
                records.append(Located(section, counters[section], str(path), item, per_record.get((section, i), {})))
                counters[section] += 1

    visit(entry, None)
    return records, problems, seen


def _field_name(section: str, record: Any, loc: tuple[Any, ...]) -> str:
    rid = record.get("id") if isinstance(record, dict) else None
    if rid is None and isinstance(record, dict) and section == "edges":
        rid = f"{record.get('source')} {record.get('type')} {record.get('target')}"
    head = f"{section[:-1]} {rid!r}" if rid else section
    tail = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc)
    return head + tail


def _schema_problems(located: Located, err: ValidationError) -> list[Problem]:
    out = []
    for e in err.errors():
        loc = tuple(p for p in e["loc"] if not (isinstance(p, str) and p in {"function-after[_check_date(), str]"}))
        loc = tuple(p for p in loc if p not in ("function-after", "root"))
        message = e["msg"]
        if e["type"] == "extra_forbidden":
            message = "unknown field"
            hint = "remove it or check its spelling against lineage/core/schema.py"
        elif e["type"] == "missing":
            hint = "add it"
        else:
            hint = f"got {e.get('input')!r}" if not isinstance(e.get("input"), (dict, list)) else ""
        out.append(
            Problem(located.file, located.line(loc), _field_name(located.section, located.data, loc), message, hint)
        )
    return out


def load(path: Path | str | None = None) -> LoadResult:
    """Read and validate records one by one, collecting problems instead of stopping at the first.

    Cross-record rules (references, cycles, dates) are in :mod:`lineage.core.validate`.

    >>> result = load()
    >>> result.problems
    []
    """
    entry = Path(path) if path is not None else DEFAULT_DATA
    if not entry.is_file():
        problem = Problem(
            str(entry), None, "(file)", "data file not found", "pass --data PATH to an existing YAML file"
        )
        return LoadResult(None, {s: [] for s in SECTIONS}, [problem], [])
    records, problems, files = _collect(entry)
    parsed: dict[str, list[Any]] = {s: [] for s in SECTIONS}
    origins: dict[str, list[Located]] = {s: [] for s in SECTIONS}
    for located in records:
        model = SECTIONS[located.section]
        try:
            record = model.model_validate(located.data)
        except ValidationError as err:
            problems.extend(_schema_problems(located, err))
            continue
        parsed[located.section].append(record)
        origins[located.section].append(located)
    dataset = Dataset(**parsed)
    return LoadResult(dataset, origins, problems, files)


def load_dataset(path: Path | str | None = None) -> Dataset:
    """Load, validate (schema and cross-record rules) and return the dataset; raise :class:`DataError`.

    >>> ds = load_dataset()
    >>> len(ds.nodes) >= 60
    True
    """
    from lineage.core.validate import validate

    result = load(path)
    problems = result.problems + (validate(result) if result.dataset is not None else [])
    if problems:
        raise DataError(problems)
    assert result.dataset is not None
    return result.dataset
