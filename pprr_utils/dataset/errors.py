"""Problems found in input data, reported as ``file:row:column: found, expected``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located as precisely as the input allows.

    ``row`` is the 1-based line number in a CSV file (the header is line 1) or
    the row number in an Excel sheet; ``None`` when the problem is with the
    whole file or column.
    """

    file: str
    row: int | None
    column: str | None
    found: str
    expected: str
    severity: str = "error"  # "error" or "note"

    def __str__(self) -> str:
        where = ":".join(
            [self.file]
            + ([str(self.row)] if self.row is not None else [])
            + ([self.column] if self.column else [])
        )
        return f"{where}: {self.found}, {self.expected}"


class DataError(ValueError):
    """Raised when input data is invalid; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem] | Problem, context: str = "invalid data"):
        if isinstance(problems, Problem):
            problems = [problems]
        self.problems = list(problems)
        lines = [f"{context} ({len(self.problems)} problem(s)):"]
        lines += [f"  {p}" for p in self.problems]
        super().__init__("\n".join(lines))


class ParameterError(ValueError):
    """A notebook or command parameter (period, priority, path) that the data cannot satisfy."""
