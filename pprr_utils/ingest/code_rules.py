"""Rules for PI codes as printed (``data/raw/measures/code_rules.csv``).

Two kinds of rule, each a row with ``kind``, ``from``, ``to`` and ``reason`` (the evidence):

- ``misprint``: a code printed starting ``from`` is read as starting ``to`` (a misprinted
  prefix: Stockport's ``CSFE.45`` for ``CFSE.45``);
- ``lineage``: a measure coded ``from`` + n continues as the measure coded ``to`` + n with the
  same n, so both are one series (Stockport's 2021/22 ``CFSE.n`` is the 2024/25 ``CFE.n``).

The rules are data: the code only knows how to apply a prefix replacement and a lineage.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..dataset.errors import DataError, Problem
from .raw_csv import raw_name, read_rows

KINDS = ("misprint", "lineage")
COLUMNS = ("kind", "from", "to", "reason")


@dataclass(frozen=True)
class CodeRule:
    """One row of code_rules.csv: a misprinted prefix or a lineage between code prefixes."""

    kind: str
    from_: str
    to: str
    reason: str

    def fix(self, code: str) -> str | None:
        """``code`` with the misprinted prefix replaced, or None when it does not start so."""
        return self.to + code[len(self.from_) :] if code.startswith(self.from_) else None

    def label(self, prefix: str) -> str:
        """A prefix as it reads in a sentence: ``CSFE.`` -> ``CSFE``."""
        return prefix.rstrip(".-_ ")


def read_code_rules(path: str | Path) -> list[CodeRule]:
    """The rules in a code_rules.csv file (none when it is absent), in file order.

    Raises DataError naming the file, line and column of an unknown kind, an empty cell or a
    rule whose ``from`` equals its ``to``.
    """
    path = Path(path)
    rules = []
    for line, r in read_rows(path, COLUMNS, required=COLUMNS):
        if r["kind"] not in KINDS:
            raise DataError(
                Problem(
                    raw_name(path), line, "kind", f"{r['kind']!r}", "expected " + " or ".join(KINDS)
                )
            )
        if r["from"] == r["to"]:
            raise DataError(
                Problem(
                    raw_name(path),
                    line,
                    "to",
                    f"{r['to']!r}, the same as 'from'",
                    "expected another prefix",
                )
            )
        rules.append(CodeRule(r["kind"], r["from"], r["to"], r["reason"]))
    return rules


def of_kind(rules: Iterable[CodeRule], kind: str) -> list[CodeRule]:
    """The rules of one kind (misprint or lineage), in order."""
    return [r for r in rules if r.kind == kind]
