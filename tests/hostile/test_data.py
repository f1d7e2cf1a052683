"""Hostile and mutated data files given to ``lineage validate`` and ``--data``: one clear refusal, never a bomb."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from tests.hostile.harness import MINI, run

LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))
FILES: dict[str, str | bytes] = {
    "billion laughs": LAUGHS + "nodes: [*i]\n",
    "self-referencing alias": "nodes: &n [*n]\n",
    "alias in a record": "nodes:\n  - &x {id: a}\n  - *x\n",
    "merge key": "nodes:\n  - <<: {id: a}\n    name: b\n",
    "900-level nesting": "nodes: " + "[" * 900 + "]" * 900 + "\n",
    "100k-level nesting": "nodes: " + "[" * 100_000 + "]" * 100_000 + "\n",
    "deep block nesting": "nodes:\n" + "".join("  " * i + f"- k{i}:\n" for i in range(60)),
    "5000-digit integer": "nodes:\n  - id: a\n    params: " + "9" * 5000 + "\n",
    "70-digit integer": "nodes:\n  - id: a\n    params: " + "9" * 70 + "\n",
    "hex integer 5000": "nodes:\n  - id: a\n    params: 0x" + "f" * 5000 + "\n",
    "python tag": "nodes: !!python/object/apply:os.system [echo owned]\n",
    "python name tag": "nodes:\n  - !!python/name:os.system\n",
    "binary tag": "nodes: !!binary aGVsbG8=\n",
    "set tag": "nodes: !!set {a, b}\n",
    "custom tag": "nodes: !custom [1]\n",
    "not UTF-8": b"nodes:\n  - id: \xff\xfe\n",
    "UTF-16": "nodes: []\n".encode("utf-16"),
    "NUL bytes": b"nodes: [\x00]\n",
    "BOM": "\ufeffnodes: []\n".encode(),
    "empty": "",
    "null": "~\n",
    "list at top": "- 1\n- 2\n",
    "scalar at top": "42\n",
    "string at top": "hello\n",
    "tabs": "nodes:\n\t- id: a\n",
    "unclosed quote": 'nodes:\n  - id: "a\n',
    "unclosed flow": "nodes: [{id: a\n",
    "two documents": "nodes: []\n---\nnodes: []\n",
    "duplicate keys": "nodes: []\nnodes: [1]\n",
    "complex key": "? [a, b]\n: c\n",
    "1 MB string": "nodes:\n  - id: a\n    name: " + "x" * 1_000_000 + "\n",
    "5000 records": "nodes:\n" + "".join(f"  - {{id: n{i}, kind: model}}\n" for i in range(5000)),
    "include itself": "include: [x.yaml]\n",
    "include missing": "include: [missing.yaml]\n",
    "include a folder": "include: [.]\n",
    "include dev zero": "include: [/dev/zero]\n",
    "include proc": "include: [/proc/self/environ]\n",
    "include a map": "include: {a: b}\n",
    "include numbers": "include: [1, 2.5, null]\n",
    "include 1000 times": "include: [" + ", ".join(["x.yaml"] * 1000) + "]\n",
    "unknown section": "pickles: [1]\n",
    "section is a map": "nodes: {a: 1}\n",
    "record is a string": "nodes: [abc]\n",
    "HTML in names": "nodes:\n  - id: <script>alert(1)</script>\n    name: <img src=x onerror=alert(1)>\n",
    "terminal escape in id": "nodes:\n  - id: \"\\e[2J\\e]0;owned\\a\"\n",
    "surrogate escape": 'nodes:\n  - id: "\\ud800"\n',
    "date 10^30": "nodes:\n  - id: a\n    released: 1000000000000000000000000000000-01-01\n",
    "date garbage": "nodes:\n  - id: a\n    released: 2024-13-45\n",
}

#: Odd but valid: no records, a byte-order mark, a file that includes itself (read once).
VALID = {"BOM", "empty", "include itself", "include 1000 times"}


@pytest.mark.parametrize("command", [["validate"], ["validate", "--json"], ["can-i", "base-model"]],
                         ids=["validate", "validate-json", "can-i"])
@pytest.mark.parametrize("name", sorted(FILES))
def test_hostile_data_files(case: Path, name: str, command: list[str]) -> None:
    path = case / "x.yaml"
    content = FILES[name]
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass"))
    error_line = command[0] != "validate"  # validate lists every problem, one per line
    codes = (0,) if name in VALID and command[0] == "validate" else (1,)
    run(case, ["--data", str(path), *command], codes, error_line=error_line)


def test_aliases_are_refused_with_the_reason(case: Path) -> None:
    path = case / "x.yaml"
    path.write_text(FILES["billion laughs"])
    outcome = run(case, ["validate", str(path)], (1,), error_line=False)
    assert "aliases" in outcome.stderr and "x.yaml:1" in outcome.stderr


HOSTILE_VALUES = ["", "~", "[]", "{}", "&a x", "*a", "!!python/object:os.system x", "9" * 80, "'\\x1b[2J'",
                  "<script>alert(1)</script>", "[" * 50, "@", "`", "|", ">", "%YAML 9.9", "- - - -", "\"\\ud800\"",
                  "1e400", ".nan", "0x" + "f" * 70, "2024-99-99", "? a", ": b"]


def _mutate(text: str, seed: int) -> str:
    rng = random.Random(seed)
    lines = text.splitlines()
    for _ in range(1 + seed % 3):
        i = rng.randrange(len(lines))
        kind = rng.choice(["delete", "duplicate", "swap", "value", "indent", "truncate"])
        if kind == "delete":
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "swap":
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "value" and ":" in lines[i]:
            key = lines[i].split(":", 1)[0]
            lines[i] = f"{key}: {rng.choice(HOSTILE_VALUES)}"
        elif kind == "indent":
            lines[i] = " " * rng.randrange(1, 5) + lines[i]
        else:
            lines = lines[: i + 1]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("seed", range(40))
def test_mutated_fixture_data(case: Path, seed: int) -> None:
    path = case / "mutated.yaml"
    path.write_text(_mutate(MINI.read_text(), seed))
    run(case, ["validate", str(path)], (0, 1), error_line=False)
    run(case, ["--data", str(path), "export", "--format", "mermaid"], (0, 1))


def test_html_in_names_is_escaped_in_exports(case: Path) -> None:
    text = MINI.read_text().replace("name: Base Model", 'name: "<script>alert(1)</script> & <b>bold</b>"')
    path = case / "x.yaml"
    path.write_text(text)
    mermaid = run(case, ["--data", str(path), "export", "--format", "mermaid"], (0,)).stdout
    assert "<script" not in mermaid and "#lt;script#gt;" in mermaid
    graphml = run(case, ["--data", str(path), "export", "--format", "graphml"], (0,)).stdout
    assert "<script" not in graphml and "&lt;script&gt;" in graphml
