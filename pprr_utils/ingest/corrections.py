"""Corrections (``data/raw/measures/corrections.csv``) and PI codes as printed.

A correction names a printed row (framework, printed code, start of the name) and the field
it sets (code, polarity or series), with the reason; ``normalise_code`` tidies a printed code.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path


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


def normalise_code(printed: str) -> tuple[str, bool, list[str]]:
    """``CFSE. 64`` -> ``CFSE.64``; drops ``GMS``/``New measure`` markers; fixes ``CSFE``.

    Returns (code, gms flag, what was changed). An empty code means none was printed.
    """
    changes = []
    gms = bool(re.search(r"\bGMS\b", printed))
    s = re.sub(r"\band GMS indicator\b|\bGMS\b|\bNew measure\b", "", printed)
    if re.search(r"\S\s+\S", s.strip()):
        changes.append("spacing")
    s = re.sub(r"\s+", "", s)
    if s.startswith("CSFE."):
        s = "CFSE." + s[5:]
        changes.append("prefix")
    return s, gms, changes


def read_corrections(path: str | Path) -> list[Correction]:
    """The corrections listed in a corrections CSV file (empty cells read as '')."""
    with open(path, encoding="utf-8", newline="") as fh:
        return [Correction(**{k: (v or "") for k, v in row.items()}) for row in csv.DictReader(fh)]
