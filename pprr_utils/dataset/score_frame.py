"""The scorecard's figures, a column at a time: which periods each measure is read at, the
rows it reads (a map of keys over the period's rows), the forecast year-end and the status.

``score.scorecard`` rates every measure of a period's framework at once. A measure reads a
few rows: its figure, a published forecast, the previous year-end (perhaps under another
code of its series), its target or milestone, later targets (its ambition) and comparator
figures. Each is found by key for all measures together (``lookup.KeyIndex``: the first row
of the table with that key wins), so scoring costs a few passes over the rows scored whatever
the size of the data; the rules are those of ``rating`` and ``targets``
(``docs/methodology.md``), applied to arrays. ``score_text`` writes the reasons from the
columns made here; ``score_columns`` holds the column helpers both use.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .lookup import Coded, KeyIndex, derived, key_index
from .periods import parse_period
from .rating import DIRECTION_POLARITY, ScoringRules, carried_forward, months_covered
from .score_columns import (
    NAN,
    Array,
    concat,
    figures,
    or_none,
    per_value,
    rounded,
    texts,
    unit_suffixes,
)
from .targets import school_year_at_end_of

# --------------------------------------------------------------------------- helpers


def shortfall(value: Array, reference: Array, polarity: Array, rules: ScoringRules) -> Array:
    """``rating._shortfall`` of each row (NaN where either figure is missing or the polarity
    is neither high nor low)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        diff = np.where(
            polarity == "high",
            reference - value,
            np.where(polarity == "low", value - reference, NAN),
        )
        if rules.basis == "points":
            return rounded(diff, rules.decimals)
        gap = rounded(diff / np.abs(reference), rules.decimals)
    zero = reference == 0
    gap[zero] = np.where(diff[zero] == 0, 0.0, np.copysign(np.inf, diff[zero]))
    return gap


def _firsts(sorted_rows: Array) -> Array:
    """Positions of the first entry of each run of equal ``sorted_rows``."""
    first = np.ones(len(sorted_rows), dtype=bool)
    first[1:] = sorted_rows[1:] != sorted_rows[:-1]
    return np.flatnonzero(first)


def _take(column: Array, at: Array, missing: Any) -> Array:
    """``column[at]`` as objects, ``missing`` where ``at`` is -1."""
    out = np.empty(len(at), dtype=object)
    out[:] = missing
    hit = at >= 0
    out[hit] = column[at[hit]]
    return out


def _take_float(column: Array, at: Array) -> Array:
    out = np.full(len(at), NAN)
    hit = at >= 0
    out[hit] = column[at[hit]]
    return out


# --------------------------------------------------------------------------- the rows


@dataclass
class Rows:
    """A table's rows by key (``lookup.key_index``, built once per table): ``at(keys)`` ->
    positions (-1 none); ``take`` reads a column at those positions."""

    frame: pd.DataFrame
    key: tuple[str, ...]
    index: KeyIndex = field(init=False)

    def __post_init__(self) -> None:
        self.index = key_index(self.frame, self.key)

    def at(self, *columns: Any) -> Array:
        return self.index.at(*columns)

    def column(self, name: str) -> Array:
        return self.frame[name].to_numpy(dtype=object)

    def floats(self, name: str) -> Array:
        column = self.frame[name]
        if column.dtype == "float64":  # as loaded: the column itself, not a copy
            return column.to_numpy()
        return column.to_numpy(dtype="float64", na_value=NAN)

    def texts(self, name: str, at: Array) -> Array:
        """``texts`` of the column's cells at ``at`` ("" where ``at`` is -1)."""
        return texts(_take(self.column(name), at, None))


# --------------------------------------------------------------------------- figures


def _labels(periods: Array, fn: Callable[[str], str]) -> Array:
    return per_value(periods, lambda p: fn(p) if isinstance(p, str) else p)


def measure_periods(
    code: Coded, basis: Array, report: Mapping[str, Array], values: Rows, targets: Rows
) -> dict[str, Array]:
    """Each measure's value period, target year and previous year-end
    (``targets.years_for``), and whether it reads an in-year figure; ``report``: the
    report period, target year and previous year-end of each row (``periods`` columns),
    ``basis`` each measure's year basis."""
    period, target_year, previous = report["period"], report["target_year"], report["previous"]
    academic = basis == "academic"
    quarterly = per_value(period, lambda p: parse_period(p).quarter is not None).astype(bool)
    vp, ty, pv = period.copy(), target_year.copy(), previous.copy()
    if academic.any():
        vp[academic] = _labels(period, lambda p: parse_period(p).year_end().shift(-1).label)[
            academic
        ]
        ty[academic] = _labels(target_year, _year_before)[academic]
        pv[academic] = _labels(previous, _year_before)[academic]
    own = np.zeros(len(code), dtype=bool)
    in_quarter = academic & quarterly
    if in_quarter.any():
        own = in_quarter & (values.at(code, period, "actual") >= 0)
        school = np.where(in_quarter, _labels(period, _school_year), None).astype(object)
        has_school = targets.at(code, school) >= 0
        vp[own] = period[own]
        ty[own & has_school] = school[own & has_school]
        pv[own] = _labels(school[own], _year_before)
    in_year = quarterly & (~academic | own)
    return {"value_period": vp, "target_year": ty, "previous_period": pv, "in_year": in_year}


def _year_before(label: str) -> str:
    return parse_period(label).shift(-1).label


def _school_year(period: str) -> str | None:
    """The school year ending in ``period``'s financial year (None for a year period)."""
    return school_year_at_end_of(period).label if parse_period(period).quarter else None


def read_values(
    code: Coded, series: Mapping[str, Array], years: dict[str, Array], values: Rows
) -> dict[str, Array]:
    """The figure (value, count, as-at marker, note), a published forecast (its note when
    it has no figure), and the previous year-end: the first code of the series with a
    figure there, else the first with a row (``series``: ``code``, ``row`` and ``rank`` of
    each measure's codes, its own first)."""
    n = len(code)
    vp, pv, in_year = years["value_period"], years["previous_period"], years["in_year"]
    nums = values.floats("value")
    at = values.at(code, vp, "actual")
    value = _take_float(nums, at)
    count = _take_float(values.floats("count"), at)
    as_at = or_none(values.texts("as_at", at))
    note = values.texts("note", at)
    published = np.full(n, NAN)
    done = ~in_year
    for where in (vp, _labels(vp, lambda x: parse_period(x).year)):
        f = values.at(code, where, "forecast")
        fv = _take_float(nums, f)
        hit = ~done & (f >= 0)
        with_figure = hit & ~np.isnan(fv)
        published[with_figure] = fv[with_figure]
        fill = hit & np.isnan(fv) & (note == "")
        if fill.any():
            note[fill] = values.texts("note", np.where(fill, f, -1))[fill]
        done = done | with_figure
    # previous year-end: the series' codes in order, a figure first
    row, rank = series["row"], series["rank"]
    pat = values.at(series["code"], pv[row], "actual")
    found = pat >= 0
    has_value = found & ~np.isnan(_take_float(nums, pat))
    order = np.lexsort((rank, ~has_value, ~found, row))  # a figure first, then any row
    best = order[_firsts(row[order])]
    first = np.full(n, -1, dtype="int64")
    first[row[best]] = pat[best]
    previous = _take_float(nums, first)
    prev_note = values.texts("note", first)
    return {
        "value": value,
        "count": count,
        "as_at": as_at,
        "note": note,
        "published": published,
        "previous": previous,
        "prev_note": prev_note,
    }


def forecast(
    read: dict[str, Array], years: dict[str, Array], aggregation: Array, unit: Array, basis: Array
) -> tuple[Array, Array, Array]:
    """``rating.forecast_year_end`` of each measure: (value, method, months for an
    extrapolated one, else 0)."""
    value, published = read["value"], read["published"]
    n = len(value)
    quarter = per_value(years["value_period"], lambda p: parse_period(p).quarter or 0)
    quarter = quarter.astype("int64")
    fc = np.full(n, NAN)
    method = np.full(n, "", dtype=object)
    months = np.zeros(n, dtype="int64")
    has_pub = ~np.isnan(published)
    has_value = ~has_pub & ~np.isnan(value)
    outturn = has_value & (quarter == 0)
    latest = has_value & (quarter > 0) & carried_forward(aggregation, unit)
    scaled = has_value & (quarter > 0) & ~latest
    fc[has_pub], method[has_pub] = published[has_pub], "published"
    fc[outturn | latest] = value[outturn | latest]
    method[outturn], method[latest] = "outturn", "latest"
    if scaled.any():
        keys = list(
            zip(read["as_at"][scaled], years["value_period"][scaled], basis[scaled], strict=True)
        )
        got = per_value(keys, lambda k: months_covered(k[0], k[1], k[2]) or 0).astype("int64")
        months[scaled] = np.where(got == 0, 3 * quarter[scaled], got)
        fc[scaled] = value[scaled] * 12 / months[scaled]
        method[scaled] = "extrapolated"
    return fc, method, months


def read_targets(
    code: Coded, report: Mapping[str, Array], years: dict[str, Array], targets: Rows
) -> dict[str, Array]:
    """The target each measure is rated against: the period's own milestone for an in-year
    figure, else the target year's; ``at`` is its row (-1 none)."""
    period = report["period"]  # each row's report period
    milestone_at = targets.at(code, period)
    can = years["in_year"] & (years["value_period"] == period)
    milestone = can & (milestone_at >= 0)
    year_at = targets.at(code, years["target_year"])
    at = np.where(milestone, milestone_at, year_at)
    kind = _take(targets.column("type"), at, "none")
    return {
        "at": at,
        "milestone": milestone,
        "type": kind,
        "value": _take_float(targets.floats("value"), at),
        "direction": or_none(texts(_take(targets.column("direction"), at, None))),
        "comparator": texts(_take(targets.column("comparator"), at, None)),
        "note": texts(_take(targets.column("note"), at, None)),
    }


def _latest_targets(targets: pd.DataFrame) -> tuple[dict[str, int], dict[str, tuple[int, str]]]:
    """``({code: position of its latest numerical year target with a figure}, {year: (start,
    label)})``: the first in data order among targets for the same year (``max``)."""
    years = {
        y: (p.start, p.label)
        for y in pd.unique(targets["year"]).tolist()
        if (p := parse_period(y)).quarter is None
    }
    best: dict[str, int] = {}
    start_of: dict[str, int] = {}
    rows = zip(
        targets["code"].tolist(),
        targets["year"].tolist(),
        targets["type"].tolist(),
        targets["value"].isna().tolist(),
        strict=True,
    )
    for i, (code, year, kind, missing) in enumerate(rows):
        if kind != "numerical" or missing or year not in years:
            continue
        if code not in best or years[year][0] > start_of[code]:
            best[code], start_of[code] = i, years[year][0]
    return best, years


def ambitions(code: Array, target_year: Array, targets: pd.DataFrame, unit: Array) -> Array:
    """``targets.ambition`` of each measure: its latest numerical year target after the year
    rated, ``15% by 2026/27``; None when there is none."""
    n = len(code)
    out = np.full(n, None, dtype=object)
    if targets.empty or n == 0:
        return out
    best, years = derived(targets, "latest targets", _latest_targets)
    at = per_value(code, lambda c: best.get(c, -1)).astype("int64")
    year = _take(targets["year"].to_numpy(dtype=object), at, None)
    start = per_value(year, lambda y: years[y][0] if y in years else 0).astype("int64")
    after = per_value(target_year, lambda y: parse_period(y).start).astype("int64")
    later = (at >= 0) & (start > after)
    if later.any():
        label = per_value(year[later], lambda y: years[y][1])
        shown = figures(
            _take_float(targets["value"].to_numpy(dtype="float64"), at)[later],
            unit_suffixes(unit[later]),
        )
        out[later] = concat(shown, " by ", label)
    return out


def comparator_figures(
    code: Array,
    rows: Array,
    wanted: list[list[str]],
    named: Array,
    comparators: pd.DataFrame | None,
    areas: tuple[str, ...],
) -> tuple[Array, Array, Array]:
    """``(area, value, period)`` of the comparator figure of each of ``rows``: the first
    wanted period with a figure for the area the target names, then ``areas`` in order, then
    any other area in the order of the data; area None when there is none."""
    n = len(code)
    area = np.full(n, None, dtype=object)
    value = np.full(n, NAN)
    period = np.full(n, None, dtype=object)
    if comparators is None or comparators.empty or not len(rows):
        return area, value, period
    c_code = comparators["code"].tolist()
    c_area = comparators["area"].tolist()
    c_period = comparators["period"].tolist()
    c_value = comparators["value"].to_numpy(dtype="float64", na_value=NAN)
    by_code: dict[Hashable, list[int]] = {}
    for i, c in enumerate(c_code):
        by_code.setdefault(c, []).append(i)
    area_rank = {a: i for i, a in enumerate(dict.fromkeys(areas))}
    for r, want in zip(rows.tolist(), wanted, strict=True):
        held = by_code.get(code[r], [])
        first_seen: dict[Hashable, int] = {}
        for i in held:
            first_seen.setdefault(c_area[i], len(first_seen))
        best: tuple[int, int, int] | None = None
        for i in held:
            if c_period[i] not in want:
                continue
            a = c_area[i]
            rank = (
                -1
                if named[r] and a == named[r]
                else area_rank.get(a, len(area_rank) + first_seen[a])
            )
            key = (want.index(c_period[i]), rank, i)
            best = key if best is None or key < best else best
        if best is not None:
            i = best[2]
            area[r], value[r], period[r] = c_area[i], c_value[i], c_period[i]
    return area, value, period


QUARTER_MARKER = re.compile(r"Q[1-4]")


def comparator_periods(years: dict[str, Array], as_at: Array, rows: Array) -> list[list[str]]:
    """The periods a comparator figure is looked for at, in order, for each of ``rows``."""
    out = []
    for r in rows.tolist():
        vp = years["value_period"][r]
        year = parse_period(vp).year
        want = [vp, year, years["target_year"][r]]
        if as_at[r] and QUARTER_MARKER.fullmatch(as_at[r]):
            want.insert(0, f"{year} {as_at[r]}")
        out.append(want)
    return out


def direction_polarity(direction: Array, polarity: Array) -> Array:
    """The polarity a direction target rates by (maximise: high; minimise: low)."""
    out = polarity.copy()
    for word, pol in DIRECTION_POLARITY.items():
        out[direction == word] = pol
    return out
