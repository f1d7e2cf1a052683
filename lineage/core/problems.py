"""Problems found in data files, each with the file, line and field it concerns and what to do.

>>> p = Problem("data/models.yaml", 12, "nodes[3].released", "not a date", hint="write YYYY-MM-DD")
>>> str(p)
'data/models.yaml:12: nodes[3].released: not a date (write YYYY-MM-DD)'
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data; ``rule`` names the check that found it."""

    file: str
    line: int | None
    field: str
    message: str
    hint: str = ""
    rule: str = "schema"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        hint = f" ({self.hint})" if self.hint else ""
        return f"{where}: {self.field}: {self.message}{hint}"

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


class DataError(Exception):
    """Raised when data files cannot be used; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        head = f"{len(problems)} problem(s) in the data:\n"
        super().__init__(head + "\n".join(f"  {p}" for p in problems))


class LineageError(Exception):
    """A user-facing error (unknown name, bad argument); its message says what to do."""
