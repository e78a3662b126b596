"""The rows a period's scorecard reads, found by key instead of by scanning the tables.

``score.scorecard`` rates every measure of a period's framework. Each measure reads a few
rows: its figure, a published forecast, the previous year-end (perhaps under another code of
its series), its target or milestone, later targets (its ambition) and comparator figures.
Scanning the whole ``values`` table for each of them made scoring grow with the square of
the data (18 measures a second on 127,000 value rows). :class:`ScoringLookup` narrows the
tables once to the rows a period can read and indexes them by key, so one measure costs a few
dictionary look-ups whatever the size of the data.

``periods_with_data`` (which report periods have figures) is one join of the distinct
``(code, period)`` pairs of ``values`` with the measures, not a scan per period.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from .formats import is_missing as _missing
from .periods import parse_period
from .rating import measure_years
from .targets import school_year_at_end_of

Record = dict[str, Any]

_BASES = ("financial", "academic")


def _key_index(frame: pd.DataFrame, columns: tuple[str, ...]) -> dict[tuple, int]:
    """``{key: first row position}`` for ``columns`` of ``frame`` (the first row wins)."""
    keys = zip(*(frame[c].tolist() for c in columns), strict=True)
    index: dict[tuple, int] = {}
    for i, key in enumerate(keys):
        index.setdefault(key, i)
    return index


def records(frame: pd.DataFrame) -> list[Record]:
    """Rows as plain dicts of Python values (numbers as float or int, NaN kept)."""
    columns = list(frame.columns)
    cells = zip(*(frame[c].tolist() for c in columns), strict=True)
    return [dict(zip(columns, row, strict=True)) for row in cells]


def report_value_periods(period: str, target_year: str, previous: str) -> set[str]:
    """Every period a measure of a report for ``period`` can read a figure of: the value
    period, its year (a published year-end forecast) and the previous year-end, for each year
    basis and for an academic measure's own in-year figure (``targets.years_for``)."""
    out: set[str] = {period}
    for basis in _BASES:
        years = measure_years(period, target_year, previous, basis)
        out |= {years.value_period, years.previous}
        out.add(parse_period(years.value_period).year)
    if parse_period(period).quarter is not None:
        out.add(school_year_at_end_of(period).shift(-1).label)
    return out


class ScoringLookup:
    """The rows of ``tables`` a report for ``report`` (a ``periods`` row) can read, by key.

    ``codes``: the measure codes to keep (the framework's and their series' other codes).
    """

    def __init__(
        self, tables: Mapping[str, pd.DataFrame], report: Mapping[str, Any], codes: Iterable[str]
    ) -> None:
        codes = set(codes)
        period = report["period"]
        wanted = report_value_periods(period, report["target_year"], report["previous"])
        values = tables["values"]
        near = values[values["period"].isin(wanted) & values["code"].isin(codes)]
        self._values = records(near)
        self._value_at = _key_index(near, ("code", "period", "kind"))

        targets = tables["targets"]
        mine = targets[targets["code"].isin(codes)]
        self._targets = records(mine)
        self._target_at = _key_index(mine, ("code", "year"))
        self._target_years: dict[str, set[str]] = {}
        self._numerical: dict[str, list[tuple[str, float]]] = {}
        for t in self._targets:
            self._target_years.setdefault(t["code"], set()).add(t["year"])
            if t["type"] == "numerical" and not _missing(t["value"]):
                self._numerical.setdefault(t["code"], []).append((t["year"], t["value"]))

        comparators = tables.get("comparators")
        self._comparators: dict[str, pd.DataFrame] = {}
        if comparators is not None and not comparators.empty:
            held = comparators[comparators["code"].isin(codes)]
            self._comparators = {str(c): g for c, g in held.groupby("code", sort=False)}

    # ---- values

    def value(self, code: str, period: str, kind: str) -> Record | None:
        """The ``values`` row of ``code`` at ``period`` of ``kind`` (the table's key), or None."""
        i = self._value_at.get((code, period, kind))
        return None if i is None else self._values[i]

    def first_value(self, codes: Iterable[str], period: str, kind: str) -> Record | None:
        """The first row of ``codes`` (in order) with a figure, else the first with a note."""
        found = [r for c in codes if (r := self.value(c, period, kind)) is not None]
        with_value = [r for r in found if not _missing(r["value"])]
        return (with_value or found or [None])[0]

    def has_own_figure(self, code: str, period: str) -> bool:
        """True when an actual figure (or a note) is keyed to ``period`` itself."""
        return (code, period, "actual") in self._value_at

    # ---- targets

    def target(self, code: str, year: str) -> Record | None:
        """The measure's target for ``year`` (a year, or a period for its milestone)."""
        i = self._target_at.get((code, year))
        return None if i is None else self._targets[i]

    def target_years(self, code: str) -> set[str]:
        """The years (and milestone periods) the measure has a target for."""
        return self._target_years.get(code, set())

    def numerical_targets(self, code: str) -> list[tuple[str, float]]:
        """``(year, value)`` of the measure's numerical targets with a figure, in data order."""
        return self._numerical.get(code, [])

    # ---- comparators

    def comparator(
        self,
        code: str,
        periods: list[str],
        areas: Iterable[str],
        named: str | None = None,
    ) -> Record | None:
        """The comparator figure: the first of ``periods`` with a figure for the area the
        target names, then ``areas`` in order, then any other area in the order of the data."""
        rows = self._comparators.get(code)
        if rows is None:
            return None
        order = list(dict.fromkeys(([named] if named else []) + list(areas) + list(rows["area"])))
        for period in periods:
            at = rows[rows["period"] == period]
            for area in order:
                hit = at[at["area"] == area]
                if not hit.empty:
                    return hit.iloc[0].to_dict()
        return None


def periods_with_data(tables: Mapping[str, pd.DataFrame]) -> list[str]:
    """Report periods (``periods`` table, in order) for which some measure of the period's
    framework has a row in ``values`` at the period the measure is read at."""
    periods, measures, values = tables["periods"], tables["measures"], tables["values"]
    if periods.empty or measures.empty or values.empty:
        return []
    asks = {  # (framework, basis, value period) each report period needs one of
        p.period: [
            (p.framework, b, measure_years(p.period, p.target_year, p.previous, b).value_period)
            for b in _BASES
        ]
        for p in periods.itertuples(index=False)
    }
    wanted = {vp for ask in asks.values() for _, _, vp in ask}
    near = values.loc[values["period"].isin(wanted), ["code", "period"]].drop_duplicates()
    basis = measures.loc[measures["year_basis"].isin(_BASES), ["framework", "code", "year_basis"]]
    held = near.merge(basis, on="code")
    have = set(zip(held["framework"], held["year_basis"], held["period"], strict=True))
    return [period for period, ask in asks.items() if any(a in have for a in ask)]
