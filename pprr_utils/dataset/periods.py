"""Reporting periods: ``2021/22`` (a year) and ``2021/22 Q2`` (a quarter of it)."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from .errors import ParameterError

_PERIOD = re.compile(
    r"^\s*(?P<y1>\d{4})\s*[/\-]\s*(?P<y2>\d{2})(?:\s*[\s\-_]?\s*Q(?P<q>[1-4]))?\s*$", re.IGNORECASE
)

#: the years a report can be about (a guard against typos such as 0999/00 or 9999/00)
FIRST_YEAR, LAST_YEAR = 1900, 2199


@dataclass(frozen=True)
class Period:
    """A financial or academic year (``quarter`` is None) or a quarter of one.

    Periods sort in time order; a year-end sorts after the year's quarters.
    """

    start: int
    quarter: int | None = None

    def _key(self) -> tuple[int, int]:
        return (self.start, self.quarter or 5)

    def __lt__(self, other: Period) -> bool:
        return self._key() < other._key()

    def __le__(self, other: Period) -> bool:
        return self._key() <= other._key()

    @property
    def year(self) -> str:
        return f"{self.start}/{(self.start + 1) % 100:02d}"

    @property
    def label(self) -> str:
        return self.year if self.quarter is None else f"{self.year} Q{self.quarter}"

    @property
    def slug(self) -> str:
        """Folder-safe form: ``2021-22-Q2``."""
        return self.label.replace("/", "-").replace(" ", "-")

    def shift(self, years: int) -> Period:
        return Period(self.start + years, self.quarter)

    def year_end(self) -> Period:
        return Period(self.start)

    def __str__(self) -> str:
        return self.label


@functools.lru_cache(maxsize=65536)
def parse_period(text: str) -> Period:
    """Parse ``2021/22``, ``2021/22 Q2``, ``2021-22-Q2`` or ``2021-22``.

    Raises ValueError naming the expected forms; the second year must follow the first.
    """
    m = _PERIOD.match(str(text))
    if not m:
        raise ValueError(
            f"{text!r} is not a period; expected a year like '2021/22' or a quarter like "
            "'2021/22 Q2' (or '2021-22-Q2')"
        )
    start = int(m["y1"])
    if not FIRST_YEAR <= start <= LAST_YEAR:
        raise ValueError(
            f"{text!r} is not a possible period: expected a year from {FIRST_YEAR} to {LAST_YEAR}"
        )
    if (start + 1) % 100 != int(m["y2"]):
        raise ValueError(f"{text!r} is not a period: {m['y2']} does not follow {start}")
    return Period(start, int(m["q"]) if m["q"] else None)


def normalise_period(text: str) -> str:
    """Canonical label (``2021/22 Q2``) of any accepted spelling."""
    return parse_period(text).label


def is_period(text: object) -> bool:
    try:
        parse_period(str(text))
    except ValueError:
        return False
    return True


def resolve_in(
    text: object,
    held: Iterable[str],
    *,
    unknown: str = "no report for period {period!r} in the data",
    held_as: str = "periods held",
    none: str = "none",
) -> str:
    """Canonical label of ``text`` (any spelling ``parse_period`` accepts) if it is ``held``.

    Otherwise raises ParameterError ``"<why>; <held_as>: <the held periods in time order>"``
    (``none`` when nothing is held), where ``<why>`` says why ``text`` is not a period or is
    ``unknown``, which may name ``{text}`` (as given) and ``{period}`` (its canonical label).
    """
    labels = sorted({parse_period(h).label for h in held}, key=parse_period)
    listing = ", ".join(labels) or none
    try:
        label = parse_period(str(text)).label
    except ValueError as exc:
        raise ParameterError(f"{exc}; {held_as}: {listing}") from exc
    if label not in labels:
        raise ParameterError(f"{unknown.format(text=text, period=label)}; {held_as}: {listing}")
    return label
