"""The rows a period's scorecard reads, found by key instead of by scanning the tables.

``score.scorecard`` rates every measure of a period's framework. Each measure reads a few
rows: its figure, a published forecast, the previous year-end (perhaps under another code of
its series), its target or milestone, later targets (its ambition) and comparator figures.
Scanning the whole ``values`` table for each of them made scoring grow with the square of
the data (18 measures a second on 127,000 value rows). The tables are grouped once by key
(``groups``, kept per loaded table by ``derived``), so a period reads only its own rows
(``rows_at``) and ``score_frame`` finds each measure's by a map of keys.

``periods_with_data`` (which report periods have figures) is one join of the distinct
``(code, period)`` pairs of ``values`` with the measures, not a scan per period;
``period_has_data`` answers it for one period from that period's rows alone.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from .periods import parse_period
from .rating import measure_years
from .targets import school_year_at_end_of

_BASES = ("financial", "academic")


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


_DERIVED: dict[int, tuple[weakref.ref, int, dict[str, Any]]] = {}


def derived(frame: pd.DataFrame, name: str, build: Callable[[pd.DataFrame], Any]) -> Any:
    """``build(frame)``, made once per table object and kept while the table lives (a table
    of another length is built again).

    The scorecard reads a few periods of tables that may hold a hundred; an index of the
    key columns built once spares a scan of every row for every period scored. The indexes
    hold row positions by key (``code``, ``period``, ``year``, ``type``): figures are read
    from the table afresh each time, so a figure edited in place is seen, but a key column
    edited in place is not (give the dataset a new table instead).
    """
    key = id(frame)
    held = _DERIVED.get(key)
    if held is None or held[0]() is not frame or held[1] != len(frame):
        held = (weakref.ref(frame, lambda _: _DERIVED.pop(key, None)), len(frame), {})
        _DERIVED[key] = held
    made = held[2]
    if name not in made:
        made[name] = build(frame)
    return made[name]


def groups(frame: pd.DataFrame, column: str) -> dict[str, np.ndarray]:
    """``{value: positions of its rows, in data order}`` of ``frame[column]`` (``derived``)."""

    def build(f: pd.DataFrame) -> dict[str, np.ndarray]:
        found = f.groupby(column, sort=False).indices.items() if len(f) else []
        return {str(k): np.asarray(i) for k, i in found}

    return derived(frame, f"groups:{column}", build)


def rows_at(frame: pd.DataFrame, keys: Iterable[str], column: str = "period") -> pd.DataFrame:
    """The rows of ``frame`` whose ``column`` is any of ``keys``, in data order."""
    held = groups(frame, column)
    hit = [held[k] for k in keys if k in held]
    at = np.sort(np.concatenate(hit)) if hit else np.zeros(0, dtype="int64")
    return frame.take(at)


def _codes_by_basis(measures: pd.DataFrame) -> dict[tuple[str, str], set[str]]:
    """``{(framework, year basis): its measures' codes}``."""
    out: dict[tuple[str, str], set[str]] = {}
    rows = zip(measures["framework"], measures["year_basis"], measures["code"], strict=True)
    for framework, basis, code in rows:
        if basis in _BASES:
            out.setdefault((framework, basis), set()).add(code)
    return out


def period_has_data(tables: Mapping[str, pd.DataFrame], period: str) -> bool:
    """``period in periods_with_data(tables)``, reading only the rows the period asks for."""
    periods, measures, values = tables["periods"], tables["measures"], tables["values"]
    if periods.empty or measures.empty or values.empty:
        return False
    rows = periods[periods["period"] == period]
    if rows.empty:
        return False
    p = rows.iloc[-1]
    mine = derived(measures, "codes by basis", _codes_by_basis)
    held = groups(values, "period")
    code = values["code"].to_numpy(dtype=object)
    for b in _BASES:
        vp = measure_years(period, p["target_year"], p["previous"], b).value_period
        wanted = mine.get((p["framework"], b), set())
        if vp in held and wanted and not wanted.isdisjoint(code[held[vp]].tolist()):
            return True
    return False


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
