"""What a workbook's cells mean beyond their stored values: formats, formulas, merged headers.

``pandas.read_excel(dtype=str)`` reads the stored value of each cell. Two kinds of cell
would then be read wrongly, and one header would be misread:

- a cell formatted as a percentage (``0.0%``) stores ``0.082`` and shows ``8.2%``: the
  figure is the percentage shown, 8.2;
- a formula (``=8+0.2``) saved without its result (written by a program, never opened in
  Excel) has no stored value and would read as an empty cell;
- merged header cells would invent ``Unnamed`` columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pandas as pd

from .errors import Problem


@dataclass
class SheetCells:
    """Cells of one sheet to read differently, by (row position in the frame, column name)."""

    percent: dict[tuple[int, str], str] = field(default_factory=dict)
    formulas: dict[tuple[int, str], str] = field(default_factory=dict)


def _shown_percent(value: float | int) -> str:
    """``0.082`` -> ``8.2``: the stored fraction as the percentage shown, without float noise."""
    return format((Decimal(repr(value)) * 100).normalize(), "f")


def scan(path: Path, numeric: dict[str, set[str]]) -> tuple[list[Problem], dict[str, SheetCells]]:
    """Merged header cells (problems) and, per sheet, the percentage-formatted numbers in
    ``numeric`` columns ({sheet: column names}) and the formulas of every column."""
    from openpyxl import load_workbook

    problems: list[Problem] = []
    cells: dict[str, SheetCells] = {}
    wb = load_workbook(path, read_only=False)
    for ws in wb.worksheets:
        for rng in ws.merged_cells.ranges:
            if rng.min_row == 1:
                problems.append(
                    Problem(
                        f"{path.name}[{ws.title}]",
                        1,
                        None,
                        f"found merged header cells {rng.coord}",
                        "expected one column name per cell (unmerge the header row)",
                    )
                )
        header = {c.column: str(c.value).strip() for c in ws[1] if c.value is not None}
        found = cells.setdefault(ws.title, SheetCells())
        wanted = numeric.get(ws.title, set())
        for row in ws.iter_rows(min_row=2):
            for c in row:
                name = header.get(c.column)
                if name is None or c.value is None:
                    continue
                where = (c.row - 2, name)
                if c.data_type == "f":
                    found.formulas[where] = str(c.value)
                elif (
                    name in wanted
                    and c.data_type == "n"
                    and "%" in (c.number_format or "")
                    and not isinstance(c.value, bool)
                ):
                    found.percent[where] = _shown_percent(c.value)
    return problems, cells


def apply_percent(raw: pd.DataFrame, sheet: SheetCells) -> pd.DataFrame:
    """``raw`` (text cells) with each percentage-formatted number as the percentage shown."""
    for (i, name), shown in sheet.percent.items():
        if i < len(raw) and name in raw.columns:
            raw.iat[i, raw.columns.get_loc(name)] = shown
    return raw


def formula_problems(
    raw: pd.DataFrame, sheet: SheetCells, fname: str
) -> tuple[list[Problem], set[tuple[int, str]]]:
    """A problem for every formula saved without its result; and those cells (row, column),
    whose other problems (``empty cell``) are not the point."""
    problems, where = [], set()
    for (i, name), formula in sorted(sheet.formulas.items()):
        if i >= len(raw) or name not in raw.columns:
            continue
        if str(raw.iat[i, raw.columns.get_loc(name)]).strip() not in ("", "nan", "None"):
            continue  # a saved result: read as the figure shown
        where.add((i + 2, name))
        problems.append(
            Problem(
                fname,
                i + 2,
                name,
                f"found a formula ({formula}) with no saved result",
                "expected a typed value (or open and save the workbook in Excel so that it "
                "keeps the formula's result)",
            )
        )
    return problems, where
