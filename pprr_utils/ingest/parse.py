"""Parse cells as they are printed in published PPRR tables.

>>> parse_cell("5.3% (41) Dec'23")
Cell(value=5.3, count=41, as_at="Dec'23", note=None, unit='percent', text="5.3% (41) Dec'23")
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from ..dataset.formats import format_money as format_money  # re-exported: parse's published API

#: Status phrases printed where a figure would be, matched case-insensitively (a final full
#: stop ignored). The note keeps the phrase as printed: "Data not yet available" stays so.
STATUS_PHRASES = (
    "not yet available",
    "data not yet available",
    "awaiting data",
    "tbc",
    "n/a",
    "new measure",
)

DIRECTIONS = {"maximise": "maximise", "minimise": "minimise", "maintain": "maintain"}

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|June|Jul|July|Aug|Sep|Sept|Oct|Nov|Dec)"
_AS_AT = rf"(?:{_MONTH}\s?'\s?\d{{2}}|Q[1-4](?:\s?-\s?Q[1-4])?)"
_NUMBER = r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+(?:\.\d+)?"
_CELL = re.compile(
    rf"""^\s*
    (?P<number>{_NUMBER})\s*
    (?P<unit>%|per\s*1,?000|per\s*10,?000|per\s*100,?000)?\s*
    (?:\(\s*(?P<count>{_NUMBER})\s*\))?\s*
    (?:\(?\s*(?P<as_at>{_AS_AT})\s*\)?)?\s*$""",
    re.VERBOSE | re.IGNORECASE,
)
_UNITS = {
    "%": "percent",
    "per1000": "rate per 1,000",
    "per10000": "rate per 10,000",
    "per100000": "rate per 100,000",
}


class CellError(ValueError):
    """A cell that does not read as any published form; ``expected`` says what would."""

    def __init__(self, text: str, expected: str):
        self.text = text
        self.expected = expected
        super().__init__(f"{text!r}: {expected}")


@dataclass(frozen=True)
class Cell:
    """One published figure: value, the bracketed count, the as-at marker, or a status note."""

    value: float | None
    count: float | None = None
    as_at: str | None = None
    note: str | None = None
    unit: str | None = None
    text: str = ""

    @property
    def is_missing(self) -> bool:
        return self.value is None


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def normalise_as_at(text: str) -> str:
    """``Dec '23`` -> ``Dec'23``; ``Q1 - Q2`` -> ``Q1-Q2``; ``June'21`` kept as printed."""
    return re.sub(r"\s+", "", text)


def parse_cell(text: object) -> Cell:
    """Parse a published performance cell.

    Accepts ``7.2% (183)``, ``5.3% (41) Dec'23``, ``30.8 per 1000 (2547)``, ``997 Q1-Q2``,
    ``0.01 (Dec'23)``, ``85.7%(6)`` and status phrases such as ``Not yet available`` (kept
    as printed in ``note``).
    An empty cell is returned as missing with no note. Raises CellError otherwise.
    """
    raw = "" if text is None or (isinstance(text, float) and math.isnan(text)) else str(text)
    s = raw.strip()
    if not s:
        return Cell(None, text=raw)
    key = s.lower().rstrip(".")
    if key in STATUS_PHRASES:
        return Cell(None, note=s, text=raw)
    if re.fullmatch(r"-?\d+,\d{1,2}%?", s) or re.fullmatch(r"-?\d+,\d{4,}%?", s):
        raise CellError(
            raw, "expected a number with a point for decimals (a comma only separates thousands)"
        )
    m = _CELL.match(s)
    if not m:
        raise CellError(
            raw,
            "expected a figure such as '7.2% (183)', '5.3% (41) Dec'23', '30.8 per 1000 (2547)', "
            "'997 Q1-Q2' or a status such as 'Not yet available'",
        )
    unit = None
    if m["unit"]:
        unit = _UNITS[re.sub(r"[\s,]", "", m["unit"].lower())]
    count = _number(m["count"]) if m["count"] else None
    return Cell(
        value=_number(m["number"]),
        count=count,
        as_at=normalise_as_at(m["as_at"]) if m["as_at"] else None,
        unit=unit,
        text=raw,
    )


@dataclass(frozen=True)
class Target:
    """A published target: a number, a direction (maximise/minimise/maintain) or none."""

    type: str  # numerical | direction | comparator | none
    value: float | None = None
    direction: str | None = None
    note: str | None = None
    unit: str | None = None
    text: str = ""


def parse_target(text: object) -> Target:
    """Parse a target cell: ``9.5%``, ``13.0``, ``Maximise``, ``Minimise``, ``N/A``, ``TBC``.

    An empty cell is no target. Comparator targets are never printed as a cell; they are
    recorded in the data with type ``comparator``.
    """
    raw = "" if text is None or (isinstance(text, float) and math.isnan(text)) else str(text)
    s = raw.strip()
    key = s.lower().rstrip(".")
    if not s:
        return Target("none", note="No target printed", text=raw)
    if key in DIRECTIONS:
        return Target("direction", direction=DIRECTIONS[key], text=raw)
    if key in ("n/a", "na", "none"):
        return Target("none", note="N/A", text=raw)
    if key == "tbc":
        return Target("none", note="TBC", text=raw)
    try:
        cell = parse_cell(s)
    except CellError as exc:
        raise CellError(
            raw, "expected a target such as '9.5%', '13.0', 'Maximise', 'Minimise', 'N/A' or 'TBC'"
        ) from exc
    if cell.value is None or cell.count is not None or cell.as_at is not None:
        raise CellError(raw, "expected a single figure as a target")
    return Target("numerical", value=cell.value, unit=cell.unit, text=raw)


_MONEY = re.compile(
    r"^\s*(?P<neg>\()?\s*(?P<sign>-)?\s*£?\s*(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*m?\s*(?(neg)\))\s*$"
)


def parse_money(text: object) -> float:
    """Parse a finance cell: ``2,681``, ``(2,681)`` (brackets are negative), ``-65``, ``0.040``.

    Raises CellError for anything else, including an empty cell.
    """
    raw = "" if text is None or (isinstance(text, float) and math.isnan(text)) else str(text)
    m = _MONEY.match(raw)
    if not m:
        raise CellError(
            raw, "expected an amount such as '2,681', '(2,681)' for a negative, or '0.040'"
        )
    value = _number(m["num"])
    return -value if (m["neg"] or m["sign"]) else value
