"""Run one hostile case through the ``lineage`` CLI and check the contract every command keeps.

The contract: the exit code is one of those expected (0 success, 1 a clear refusal, 2 a usage error), no
Python traceback, an ``Error:`` line on stderr when it fails, at most :data:`TIME_LIMIT_S` seconds (generous:
it only catches hangs; speed targets live in ``benchmarks/``), and no file created or removed outside the
case's own folder (the repository, the home folder's lineage caches and the sibling test folders are watched).

In-process runs (click's ``CliRunner``) keep the bulk fast; :func:`run_installed` runs the real
``python -m lineage.cli`` in a subprocess for a representative subset.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

from lineage.cli import main

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "fixtures" / "mini.yaml"
TIME_LIMIT_S = 20.0
#: An installed run also starts an interpreter and imports its packages (seconds on a busy machine).
INSTALLED_TIME_LIMIT_S = 40.0
#: Address space allowed to one installed run (torch is never imported by these cases): past it, allocation fails.
MAX_MEMORY_BYTES = 3 * 2**30


@dataclass
class Outcome:
    code: int
    stdout: str
    stderr: str
    seconds: float


def case_env(case: Path) -> dict[str, str]:
    """Caches, home and gallery of a case all inside its folder."""
    return {"HOME": str(case / "home"), "LINEAGE_CACHE_DIR": str(case / "cache"),
            "LINEAGE_GALLERY": str(case / "home" / "gallery.sqlite"), "COLUMNS": "120"}


def _watched(case: Path) -> list[Path]:
    real_home = Path(os.path.expanduser("~"))
    return [ROOT, ROOT / "data", ROOT / "data" / "nodes", ROOT / "tests", ROOT / "tests" / "fixtures", case.parent,
            real_home / ".local" / "share" / "lineage", real_home / ".cache" / "lineage", Path("/dev")]


def _listing(dirs: Iterable[Path]) -> set[str]:
    out: set[str] = set()
    for d in dirs:
        try:
            out |= {os.path.join(os.fsdecode(d), name) for name in os.listdir(d)}
        except OSError:
            continue
    return out


def check(outcome: Outcome, codes: Iterable[int], before: set[str], after: set[str], *, error_line: bool = True,
          what: str = "", time_limit: float = TIME_LIMIT_S) -> Outcome:
    both = outcome.stdout + outcome.stderr
    assert "Traceback (most recent call last)" not in both, f"{what}: traceback\n{both[-3000:]}"
    assert outcome.code in set(codes), f"{what}: exit {outcome.code}, expected {sorted(codes)}\n{both[-2000:]}"
    assert outcome.seconds < time_limit, f"{what}: took {outcome.seconds:.1f} s"
    assert after == before, f"{what}: files appeared {sorted(after - before)} or vanished {sorted(before - after)}"
    if outcome.code != 0 and error_line:
        errors = [line for line in outcome.stderr.splitlines() if line.startswith("Error:")]
        assert len(errors) == 1, f"{what}: want one 'Error:' line on stderr, got\n{outcome.stderr[-2000:]}"
        assert len(errors[0]) < 3000, f"{what}: error line of {len(errors[0])} characters"
    for line in both.splitlines():
        assert "\x1b" not in line and not any(0xD800 <= ord(c) <= 0xDFFF for c in line), \
            f"{what}: unprintable text reached the output: {line[:200]!r}"
    return outcome


def run(case: Path, args: list[str], codes: Iterable[int] = (0, 1), *, error_line: bool = True,
        env: dict[str, str] | None = None) -> Outcome:
    """Invoke ``lineage ARGS`` in-process with ``case`` as the working folder and check the contract."""
    (case / "home").mkdir(exist_ok=True)
    before = _listing(_watched(case))
    cwd = os.getcwd()
    os.chdir(case)
    try:
        start = time.perf_counter()
        result = CliRunner().invoke(main, args, env={**case_env(case), **(env or {})})
        seconds = time.perf_counter() - start
    finally:
        os.chdir(cwd)
    after = _listing(_watched(case))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        import traceback

        detail = "".join(traceback.format_exception(result.exception))
        raise AssertionError(f"{args[:4]}: uncaught {type(result.exception).__name__}\n{detail[-3000:]}")
    outcome = Outcome(result.exit_code, result.stdout, result.stderr, seconds)
    return check(outcome, codes, before, after, error_line=error_line, what=" ".join(a[:40] for a in args[:5]))


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MAX_MEMORY_BYTES, MAX_MEMORY_BYTES))


def run_installed(case: Path, args: list[str], codes: Iterable[int] = (0, 1), *, error_line: bool = True) -> Outcome:
    """Run ``python -m lineage.cli ARGS`` as a user would (a subprocess) and check the contract and memory."""
    (case / "home").mkdir(exist_ok=True)
    before = _listing(_watched(case))
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    env = {**os.environ, **case_env(case), "PYTHONPATH": path}  # this checkout's code, not another install
    start = time.perf_counter()
    try:
        proc = subprocess.run([sys.executable, "-m", "lineage.cli", *args], cwd=case, env=env, capture_output=True,
                              timeout=INSTALLED_TIME_LIMIT_S * 2, preexec_fn=_limit_memory)
    except subprocess.TimeoutExpired as exc:
        raise AssertionError(f"{args[:4]}: still running after {INSTALLED_TIME_LIMIT_S * 2} s") from exc
    seconds = time.perf_counter() - start
    after = _listing(_watched(case))
    outcome = Outcome(proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace"),
                      seconds)
    return check(outcome, codes, before, after, error_line=error_line, what=" ".join(a[:40] for a in args[:5]),
                 time_limit=INSTALLED_TIME_LIMIT_S)
