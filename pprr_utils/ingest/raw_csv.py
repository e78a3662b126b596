"""Small CSV inputs of the build (``data/raw/...csv``): optional, checked, located errors.

Corrections, code rules, quality notes and the like are tables a person writes by hand. Each
is optional: a file that is absent reads as no rows. A present file must have the columns
asked for, and the cells named ``required`` must not be empty; otherwise a DataError names
the file (as under ``data/``), the line and the column.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from ..dataset.errors import DataError, Problem


def raw_name(path: Path) -> str:
    """``raw/measures/code_rules.csv`` for a file in a folder ``.../raw/measures``."""
    parts = path.parts
    if "raw" in parts:
        return "/".join(parts[len(parts) - 1 - parts[::-1].index("raw") :])
    return path.name


def read_rows(
    path: str | Path, columns: Iterable[str], *, required: Iterable[str] = ()
) -> list[tuple[int, dict[str, str]]]:
    """The rows of a CSV file as (line number, cells stripped); ``[]`` if the file is absent.

    ``columns`` must all be in the header (others are kept); ``required`` cells may not be
    empty. Raises DataError naming the file, line and column otherwise.
    """
    path = Path(path)
    if not path.exists():
        return []
    name = raw_name(path)
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        header = reader.fieldnames or []
        missing = [c for c in columns if c not in header]
        if missing:
            raise DataError(
                Problem(
                    name,
                    1,
                    None,
                    "no column " + ", ".join(repr(c) for c in missing),
                    "expected the columns " + ", ".join(columns),
                )
            )
        rows = []
        for line, row in enumerate(reader, start=2):
            cells = {k: (v or "").strip() for k, v in row.items() if k is not None}
            for col in required:
                if not cells.get(col):
                    raise DataError(Problem(name, line, col, "an empty cell", f"expected {col}"))
            rows.append((line, cells))
    return rows
