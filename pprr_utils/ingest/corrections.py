"""Corrections (``data/raw/measures/corrections.csv``) and PI codes as printed.

A correction names a printed row (framework, printed code, start of the name) and the field
it sets (code, polarity, series or category), with the reason; ``normalise_code`` tidies a
printed code, fixing the misprinted prefixes listed in ``code_rules.csv``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..dataset.errors import DataError, Problem
from .code_rules import CodeRule
from .raw_csv import raw_name, read_rows

#: the fields a correction may set
FIELDS = ("code", "polarity", "series", "category")


@dataclass(frozen=True)
class Correction:
    """One row of corrections.csv: which printed row it applies to, the field, value, reason."""

    framework: str
    printed_code: str
    name_starts: str
    field: str
    value: str
    reason: str

    def matches(self, framework: str, printed_code: str, name: str) -> bool:
        return (
            self.framework == framework
            and self.printed_code.strip() == printed_code.strip()
            and name.startswith(self.name_starts)
        )


def normalise_code(printed: str, misprints: Sequence[CodeRule] = ()) -> tuple[str, bool, list[str]]:
    """``CFSE. 64`` -> ``CFSE.64``; drops ``GMS``/``New measure`` markers; fixes misprints.

    ``misprints`` are the misprint rules of code_rules.csv: the first whose prefix the code
    starts with replaces it. Returns (code, headline flag, what was changed: ``spacing``, or
    ``prefix X for Y``). The published tables print the headline flag as ``GMS`` after the
    code. An empty code means none was printed.
    """
    changes = []
    headline = bool(re.search(r"\bGMS\b", printed))
    s = re.sub(r"\band GMS indicator\b|\bGMS\b|\bNew measure\b", "", printed)
    if re.search(r"\S\s+\S", s.strip()):
        changes.append("spacing")
    s = re.sub(r"\s+", "", s)
    for rule in misprints:
        fixed = rule.fix(s)
        if fixed is not None:
            changes.append(f"prefix {rule.label(rule.from_)} for {rule.label(rule.to)}")
            s = fixed
            break
    return s, headline, changes


def read_corrections(path: str | Path) -> list[Correction]:
    """The corrections listed in a corrections CSV file (none when it is absent)."""
    fields = ("framework", "printed_code", "name_starts", "field", "value", "reason")
    rows = read_rows(path, fields, required=("framework", "field", "value", "reason"))
    for line, r in rows:
        if r["field"] not in FIELDS:
            raise DataError(
                Problem(
                    raw_name(Path(path)),
                    line,
                    "field",
                    f"{r['field']!r}",
                    "expected one of " + ", ".join(FIELDS),
                )
            )
    return [Correction(**{k: r[k] for k in fields}) for _, r in rows]
