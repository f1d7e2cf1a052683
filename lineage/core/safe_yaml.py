"""A YAML loader for data files that nobody can turn into a memory, time or recursion bomb.

On top of PyYAML's safe loader (no tags, nothing executed; dates kept as strings), every document is first
checked event by event, before any node is built:

- no anchors or aliases (``&name`` / ``*name``): data files never need them, and they are how a few lines
  expand to gigabytes ("billion laughs") or refer to themselves;
- no explicit tags (``!!int``, ``!!python/object``...): values are plain YAML, and a tagged value such as
  ``!!int ''`` would crash the constructor;
- at most :data:`MAX_DEPTH` levels of nesting, :data:`MAX_NODES` values and :data:`MAX_BYTES` of text;
- integers of at most :data:`MAX_INT_DIGITS` digits (quote longer numbers to keep them as text).

A breach raises :class:`YamlLimitError`, a ``yaml.YAMLError`` carrying the line, so callers that report
YAML syntax errors report it the same way.

>>> node = compose("a: [1, 2]")
>>> node.value[0][0].value
'a'
>>> try:
...     compose("a: &x [1]\\nb: *x")
... except YamlLimitError as err:
...     print(err.problem_mark.line + 1, err)
1 anchors and aliases (&name, *name) are not allowed in data files; write the value out in full
>>> load_text("released: 2024-08")
{'released': '2024-08'}
"""

from __future__ import annotations

import re
from typing import Any

import yaml

MAX_DEPTH = 40
MAX_NODES = 2_000_000
MAX_BYTES = 32 * 1024 * 1024
MAX_INT_DIGITS = 64

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser when present: same rules, faster


class SafeNoDates(_BaseLoader):  # type: ignore[misc,valid-type]
    """The safe loader without the timestamp resolver: dates stay strings."""


SafeNoDates.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_INT = "tag:yaml.org,2002:int"
#: The pattern by which a plain scalar becomes an integer (YAML 1.1, as the safe loader resolves it).
_INT_PATTERN: re.Pattern[str] = next(rx for resolvers in SafeNoDates.yaml_implicit_resolvers.values()
                                     for tag, rx in resolvers if tag == _INT)


class YamlLimitError(yaml.MarkedYAMLError):
    """The text breaks one of this module's limits; ``problem_mark`` says where."""

    def __init__(self, problem: str, mark: Any = None):
        super().__init__(problem=problem, problem_mark=mark)

    def __str__(self) -> str:
        return str(self.problem)


def check_limits(text: str) -> None:
    """Walk the YAML events of ``text`` and raise :class:`YamlLimitError` at the first limit broken.

    >>> check_limits("a: " + "[" * 100 + "]" * 100)
    Traceback (most recent call last):
    ...
    lineage.core.safe_yaml.YamlLimitError: nesting deeper than 40 levels; flatten the data
    >>> check_limits("n: " + "9" * 100)
    Traceback (most recent call last):
    ...
    lineage.core.safe_yaml.YamlLimitError: an integer of 100 digits (at most 64); quote it if it is text
    """
    if len(text) > MAX_BYTES:
        raise YamlLimitError(f"the text is {len(text):,} characters, over the {MAX_BYTES:,} limit; "
                             "split it with include:")
    depth = 0
    nodes = 0
    for event in yaml.parse(text, Loader=_BaseLoader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise YamlLimitError("anchors and aliases (&name, *name) are not allowed in data files; "
                                 "write the value out in full", event.start_mark)
        if getattr(event, "tag", None) is not None and event.tag != "!":  # "!" is a quoted-style non-specific tag
            raise YamlLimitError(f"the tag {event.tag!r} is not allowed in data files; remove it (quote the value "
                                 "if it must stay text)", event.start_mark)
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise YamlLimitError(f"nesting deeper than {MAX_DEPTH} levels; flatten the data", event.start_mark)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
        if isinstance(event, (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            nodes += 1
            if nodes > MAX_NODES:
                raise YamlLimitError(f"more than {MAX_NODES:,} values; split the file with include:",
                                     event.start_mark)
        if isinstance(event, yaml.ScalarEvent) and not event.style and len(event.value) > MAX_INT_DIGITS:
            digits = sum(c.isdigit() for c in event.value)
            if event.tag == _INT or (event.implicit[0] and _INT_PATTERN.match(event.value)):
                raise YamlLimitError(f"an integer of {digits} digits (at most {MAX_INT_DIGITS}); "
                                     "quote it if it is text", event.start_mark)


def compose(text: str) -> yaml.Node | None:
    """Check ``text`` against the limits, then compose its single document into nodes (None when empty)."""
    check_limits(text)
    loader = SafeNoDates(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def load_text(text: str) -> Any:
    """Check the limits and load ``text`` with the safe loader (dates as strings); raise ``yaml.YAMLError``."""
    check_limits(text)
    return yaml.load(text, Loader=SafeNoDates)  # SafeNoDates is a safe loader
