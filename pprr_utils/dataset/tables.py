"""How a table of the dataset is described: columns, types, allowed values, keys, sum checks.

The definitions themselves are in ``schema`` (performance), ``schema_finance`` and
``schema_plans``; the loader and the validator read them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

KINDS = ("str", "int", "float", "bool", "period", "date")


@dataclass(frozen=True)
class Column:
    """One column of a table.

    ``required``: the cell may not be empty. ``optional``: the column may be left out of the
    file; it is then filled with ``default`` (text, as if typed in every row) or, with
    ``default_from``, with another column's cells (a measure's ``series`` is its code).
    ``allowed`` lists the values a cell may take; ``pattern`` (a regular expression, described
    by ``pattern_text``) admits more (``rate per 100``, ``rate per 1,000``, ...).
    """

    name: str
    kind: str = "str"
    required: bool = True  # False: the cell may be empty
    allowed: tuple[str, ...] | None = None
    description: str = ""
    min: float | None = None
    optional: bool = False  # True: the column may be absent from the file
    default: str = ""
    default_from: str | None = None
    pattern: str | None = None
    pattern_text: str = ""

    def admits(self, value: object) -> bool:
        """True when ``value`` is one of ``allowed`` or matches ``pattern``."""
        import re

        if self.allowed is None or value in self.allowed:
            return True
        return bool(self.pattern and isinstance(value, str) and re.fullmatch(self.pattern, value))

    @property
    def expected_values(self) -> str:
        """``one of a, b, c`` (and the pattern's description), for messages."""
        text = "one of " + ", ".join(self.allowed or ())
        return f"{text} or {self.pattern_text}" if self.pattern_text else text


@dataclass(frozen=True)
class SumCheck:
    """``item`` rows add up to their group's ``subtotal`` row and to the ``total`` row.

    ``scope`` columns split the table into independent blocks (a year, a period);
    ``group`` names the column whose value ties items to their subtotal row.
    ``step`` is the printed rounding unit (1 for £000, 0.001 for £m to three places):
    a difference no larger than rounding can explain is a note, anything larger an error.
    ``label_with`` columns follow the ``label`` where one label is printed once per block
    (a TOTAL per year: ``TOTAL 2022/23``).
    """

    columns: tuple[str, ...]
    scope: tuple[str, ...] = ()
    group: str | None = None
    row_type: str = "row_type"
    label: str = "line"
    step: float = 1.0
    label_with: tuple[str, ...] = ()

    def label_of(self, row: Mapping[str, Any]) -> Any:
        """The row's label, followed by its ``label_with`` values (underscores as spaces)."""
        if not self.label_with:
            return row[self.label]
        extra = [str(row[c]).replace("_", " ") for c in self.label_with]
        return " ".join([str(row[self.label]), *extra])


@dataclass(frozen=True)
class RowCheck:
    """Within each row ``result`` equals the signed sum of ``terms`` (e.g. budget + change)."""

    result: str
    terms: tuple[tuple[int, str], ...]
    label: str = "line"
    step: float = 1.0
    row_types: tuple[str, ...] = ("item", "subtotal", "total")


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    description: str
    refs: tuple[tuple[str, str, str], ...] = ()  # (column, other table, other column)
    sum_checks: tuple[SumCheck, ...] = ()
    row_checks: tuple[RowCheck, ...] = ()
    required: bool = True  # False: the file may be absent (an empty table is used)
    group: str = "performance"

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required_columns(self) -> list[str]:
        """The columns a file must have (the others may be left out)."""
        return [c.name for c in self.columns if not c.optional]

    @property
    def optional_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.optional]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


SOURCE = Column(
    "source",
    required=False,
    optional=True,
    description="where the row came from (document and table); optional",
)
ROW_TYPE = Column(
    "row_type", allowed=("item", "subtotal", "total"), description="item, subtotal or total row"
)
