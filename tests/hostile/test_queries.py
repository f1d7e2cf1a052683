"""Hostile names, questions, swaps and output paths for the query commands and ``export``."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.hostile.harness import MINI, run

NAMES = {
    "empty": "",
    "space": " ",
    "100k chars": "a" * 100_000,
    "301 chars": "b" * 301,
    "homoglyph": "Ваsе Моdеl",  # Cyrillic letters that look Latin
    "terminal escape": "\x1b[2J\x1b]0;owned\x07",
    "lone surrogate": "\ud800base",
    "bidi override": "\u202eledom-esab",
    "path traversal": "../../etc/passwd",
    "format string": "%s%s%n{0}{}",
    "sql": "' OR 1=1 --",
    "emoji 1000": "🙂" * 1000,
    "ligature": "ﬁ",
    "NUL": "a\x00b",
    "newlines": "base\nmodel",
}
COMMANDS = [["show"], ["trace"], ["components"], ["can-i"], ["civitai-flags"]]


@pytest.mark.parametrize("name", sorted(NAMES))
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_hostile_names(case: Path, command: list[str], name: str) -> None:
    codes = (0, 1) if name == "newlines" else (1, 2)  # "base\nmodel" is a spelling of "Base Model"
    run(case, ["--data", str(MINI), *command, NAMES[name]], codes)


@pytest.mark.parametrize("name", sorted(NAMES))
def test_hostile_names_as_json(case: Path, name: str) -> None:
    run(case, ["--data", str(MINI), "show", "--json", NAMES[name]], (0, 1) if name == "newlines" else (1, 2))


USES = {"empty": "", "100k": "x" * 100_000, "upper": "COMMERCIAL-USE", "underscore": "sell_outputs",
        "escape": "\x1b[31m", "surrogate": "\udcff"}


@pytest.mark.parametrize("use", sorted(USES))
def test_hostile_uses(case: Path, use: str) -> None:
    run(case, ["--data", str(MINI), "can-i", "child-model", USES[use]], (0, 1, 2))


QUESTIONS = {
    "empty": ("", (2,)),
    "blank": ("   \t ", (2,)),
    "100k word": ("a" * 100_000, (2,)),
    "100k spaced": ("a " * 50_000, (2,)),
    "2000 chars": ("can I sell images made with " + "x" * 1972, (1,)),
    "homoglyphs": ("can I sell images made with Ваsе Моdеl?", (1,)),
    "escape": ("\x1b[2Jcan I sell images of child model?", (0, 1)),
    "surrogate": ("can I sell \ud800 images?", (1,)),
    "emoji": ("🙂" * 1999, (1,)),
    "many model words": ("base model " * 180, (0, 1)),
}


@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
@pytest.mark.parametrize("name", sorted(QUESTIONS))
def test_hostile_questions(case: Path, name: str, as_json: bool) -> None:
    text, codes = QUESTIONS[name]
    run(case, ["--data", str(MINI), "ask", *(["--json"] if as_json else []), "--", text], codes, error_line=False)


SWAPS = {
    "empty": ("", (1, 2)),
    "equals": ("=", (1, 2)),
    "no other": ("vae=", (1, 2)),
    "no role": ("=the-vae", (1, 2)),
    "100k other": ("vae=" + "a" * 100_000, (2,)),
    "unknown role": ("foo=the-vae", (1, 2)),
    "double equals": ("vae=vae=vae", (1, 2)),
    "escape": ("vae=\x1b[31m", (1, 2)),
    "homoglyph": ("vae=tһе-vае", (1, 2)),
    "license as part": ("vae=nc-license", (0, 1, 2)),
    "itself": ("denoiser=child-model", (0, 1)),
}


@pytest.mark.parametrize("name", sorted(SWAPS))
def test_hostile_swaps(case: Path, name: str) -> None:
    text, codes = SWAPS[name]
    run(case, ["--data", str(MINI), "what-if", "child-model", "--swap", text], codes)


def _out(case: Path, name: str) -> str:
    if name == "missing folder":
        return str(case / "missing" / "x.json")
    if name == "onto a folder":
        return str(case)
    if name == "trailing slash":
        return str(case / "new") + "/"
    if name == "read-only folder":
        folder = case / "ro"
        folder.mkdir()
        folder.chmod(0o500)
        return str(folder / "x.json")
    if name == "file as folder":
        (case / "f").write_text("x")
        return str(case / "f" / "x.json")
    if name == "fifo":
        os.mkfifo(case / "p")
        return str(case / "p")
    return {"empty": "", "blank": " ", "dev full": "/dev/full", "dev null": "/dev/null", "proc": "/proc/x.json",
            "sys": "/sys/x.json", "dot": ".", "long name": str(case / ("n" * 300))}[name]


OUTS = ["missing folder", "onto a folder", "trailing slash", "read-only folder", "file as folder", "fifo", "empty",
        "blank", "dev full", "dev null", "proc", "sys", "dot", "long name"]


@pytest.mark.parametrize("fmt", ["json", "mermaid", "graphml"])
@pytest.mark.parametrize("name", OUTS)
def test_hostile_export_paths(case: Path, name: str, fmt: str) -> None:
    out = _out(case, name)
    (case / "home").mkdir()
    before = sorted(p.name for p in case.iterdir())
    # as root a read-only folder is still writable: then writing there is the right outcome
    codes = (0, 1) if name == "read-only folder" and os.geteuid() == 0 else (1, 2)
    run(case, ["--data", str(MINI), "export", "--format", fmt, "--out", out], codes)
    if codes == (1, 2):
        assert sorted(p.name for p in case.iterdir()) == before  # nothing half-written, no temporary file left


def test_export_replaces_an_existing_file_whole(case: Path) -> None:
    target = case / "g.json"
    target.write_text("old")
    run(case, ["--data", str(MINI), "export", "--format", "json", "--out", str(target)], (0,))
    assert target.read_text().startswith("{") and sorted(p.name for p in case.iterdir()) == ["g.json", "home"]


@pytest.mark.parametrize("args", [["export"], ["export", "--format", "pdf"], ["export", "--format", "json",
                                  "--roadmap", "x"], ["what-if", "child-model"], ["can-i"], ["nope"], ["--data"]])
def test_usage_errors(case: Path, args: list[str]) -> None:
    run(case, ["--data", str(MINI), *args] if args[0] != "--data" else args, (2,))
