"""The scorecard written one measure at a time: the reference the vectorised scorecard
(``pprr_utils.dataset.score.scorecard``) is held equal to (``tests/test_score_frame.py``).

This is how the package scored until issue 15: ``score_measure`` reads the rating rules
(``rating.rate``, ``rating.travel``, ``rating.forecast_year_end``, ``targets``) one measure
at a time, as ``docs/methodology.md`` states them, which makes it the easiest place to read a
rule; ``ScoringLookup`` finds the rows a measure reads by key. The package keeps only the
vectorised path; this copy lives under tests so the two cannot drift apart unnoticed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from pprr_utils.dataset import formats, score
from pprr_utils.dataset.formats import is_missing as _missing
from pprr_utils.dataset.periods import parse_period
from pprr_utils.dataset.rating import (
    DEFAULT_RULES,
    DIRECTION_POLARITY,
    POLARITY_WORDS,
    Rating,
    ScoringRules,
    _text,
    forecast_year_end,
    measure_years,
    rate,
    travel,
)
from pprr_utils.dataset.shortfall import add_shortfall
from pprr_utils.dataset.targets import ambition, school_year_at_end_of, target_label, years_for

if TYPE_CHECKING:
    from pprr_utils.dataset.load import Dataset


Record = dict[str, Any]


def report_value_periods(period: str, target_year: str, previous: str) -> set[str]:
    """Every period a measure of a report for ``period`` can read a figure of: the value
    period, its year (a published year-end forecast) and the previous year-end, for each year
    basis and for an academic measure's own in-year figure (``targets.years_for``)."""
    out: set[str] = {period}
    for basis in ("financial", "academic"):
        years = measure_years(period, target_year, previous, basis)
        out |= {years.value_period, years.previous}
        out.add(parse_period(years.value_period).year)
    if parse_period(period).quarter is not None:
        out.add(school_year_at_end_of(period).shift(-1).label)
    return out


def records(frame: pd.DataFrame) -> list[Record]:
    """Rows as plain dicts of Python values (numbers as float or int, NaN kept)."""
    columns = list(frame.columns)
    cells = zip(*(frame[c].tolist() for c in columns), strict=True)
    return [dict(zip(columns, row, strict=True)) for row in cells]


def _key_index(frame: pd.DataFrame, columns: tuple[str, ...]) -> dict[tuple, int]:
    """``{key: first row position}`` for ``columns`` of ``frame`` (the first row wins)."""
    keys = zip(*(frame[c].tolist() for c in columns), strict=True)
    index: dict[tuple, int] = {}
    for i, key in enumerate(keys):
        index.setdefault(key, i)
    return index


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


_NOT_COMPARABLE = re.compile(r"\bnot comparable\b", re.IGNORECASE)


def _sentence(text: str) -> str:
    text = text.strip().rstrip(".")
    return text[:1].upper() + text[1:] + "." if text else ""


def score_measure(
    measure: Mapping[str, Any],
    report: Mapping[str, Any],
    look: ScoringLookup,
    *,
    codes: list[str] | None = None,
    rules: ScoringRules = DEFAULT_RULES,
) -> dict[str, object]:
    """One scorecard row: the measure's figures, status, trend and reasons.

    ``look``: the rows the report can read (``lookup.ScoringLookup``); ``codes``: the
    measure's code then the other codes of its series (the previous year-end may be under
    one of them; default: its own code only).
    """
    code = measure["code"]
    unit = _text(measure.get("unit")) or None
    polarity = _text(measure["polarity"]) or "none"
    category = _text(measure.get("category"))
    year_basis = _text(measure.get("year_basis")) or "financial"
    aggregation = _text(measure.get("aggregation")) or "snapshot"
    period = report["period"]
    years = years_for(
        period,
        report["target_year"],
        report["previous"],
        year_basis,
        in_year_figure=look.has_own_figure(code, period),
        target_years=look.target_years(code),
    )
    codes = codes or [code]
    in_year = parse_period(years.value_period).quarter is not None

    # ---- figures: the value, a published forecast, the previous year-end, the target
    row = look.value(code, years.value_period, "actual")
    value = math.nan if row is None else row["value"]
    count = math.nan if row is None else row["count"]
    as_at = None if row is None else (_text(row["as_at"]) or None)
    note = None if row is None else (_text(row["note"]) or None)
    published = None
    for p in [years.value_period, parse_period(years.value_period).year] if in_year else []:
        f = look.value(code, p, "forecast")
        if f is None:
            continue
        if not _missing(f["value"]):
            published = f["value"]
            break
        note = note or _text(f["note"]) or None
    fc = forecast_year_end(
        value,
        period=years.value_period,
        aggregation=aggregation,
        unit=unit,
        as_at=as_at,
        year_basis=year_basis,
        published=published,
    )
    prev_row = look.first_value(codes, years.previous, "actual")
    previous = math.nan if prev_row is None else prev_row["value"]
    prev_note = "" if prev_row is None else _text(prev_row["note"])
    not_comparable = bool(
        (note and not _missing(value) and _NOT_COMPARABLE.search(note))
        or (prev_note and _NOT_COMPARABLE.search(prev_note))
    )

    # a period's own milestone wins over the year's target (``targets``)
    milestone = look.target(code, period) if in_year and years.value_period == period else None
    target = milestone if milestone is not None else look.target(code, years.target_year)
    target_basis = None if target is None else ("milestone" if milestone is not None else "year")
    target_type = "none" if target is None else target["type"]
    target_value = math.nan
    target_direction = None if target is None else (_text(target["direction"]) or None)
    comparator_area = None

    # ---- how the figure being rated is described
    shown = formats.figure(fc.value if in_year else value, unit, blank="no value")
    lag = f" (as at {as_at})" if as_at else ""
    lag_inline = f", as at {as_at}" if as_at else ""
    if in_year and fc.method == "published":
        figure_text = f"the published forecast year-end {shown}"
    elif in_year and fc.method == "extrapolated":
        figure_text = f"the forecast year-end {shown} ({fc.reason})"
    else:
        figure_text = f"{shown}{lag}"
    figure = fc.value if in_year else value
    if milestone is not None:  # the in-year figure itself against the period's milestone
        figure = value
        figure_text = f"{formats.figure(value, unit, blank='no value')}{lag}"

    # ---- status
    if category == "contextual":
        status = Rating("", "not rated: a contextual measure (no target is set)")
    elif polarity == "none":
        status = Rating("", "not rated: no polarity (neither high nor low is good)")
    elif _missing(figure):
        why = f" ({note})" if note else ""
        status = Rating("", f"not rated: no figure for {years.value_period}{why}")
    elif target is None:
        status = Rating("", f"not rated: no target for {years.target_year} in the data")
    elif target_type == "none":
        status = Rating("", f"not rated: no target ({_text(target['note']) or 'N/A'})")
    elif target_type == "numerical":
        target_value = target["value"]
        status = rate(
            figure,
            target_value,
            polarity,
            unit=unit,
            value_text=figure_text,
            target_text=None
            if milestone is None
            else f"the {period} milestone of {formats.figure(target_value, unit)}",
            rules=rules,
        )
    elif target_type == "direction":
        direction = target_direction or ""
        dir_polarity = DIRECTION_POLARITY.get(direction, polarity)
        if _missing(previous):
            status = Rating(
                "", f"not rated: the {direction} target needs a figure for {years.previous}"
            )
        elif not_comparable:
            status = Rating(
                "",
                f"not rated: the {direction} target compares with "
                f"{years.previous}, and the figures are not comparable",
            )
        else:
            status = rate(
                figure,
                previous,
                dir_polarity,
                unit=unit,
                value_text=figure_text,
                target_text=f"{formats.figure(previous, unit, blank='no value')} in {years.previous}",
                context=f"target: {direction}",
                rules=rules,
            )
            if dir_polarity != polarity:
                status = Rating(
                    status.result,
                    f"{status.reason}; note the target says "
                    f"{direction} but the measure says {POLARITY_WORDS[polarity]}",
                )
    elif target_type == "comparator":
        wanted = [years.value_period, parse_period(years.value_period).year, years.target_year]
        if as_at and re.fullmatch(r"Q[1-4]", as_at):
            wanted.insert(0, f"{parse_period(years.value_period).year} {as_at}")
        named = _text(target["comparator"]) or None
        comp = look.comparator(code, wanted, rules.comparator_areas, named=named)
        if comp is None:
            status = Rating(
                "",
                "not rated: a comparator target, but the data holds no "
                "comparator figure for this measure and period",
            )
        else:
            comparator_area = comp["area"]
            target_value = comp["value"]
            status = rate(
                figure,
                target_value,
                polarity,
                unit=unit,
                value_text=figure_text,
                target_text=f"the {comparator_area} figure of "
                f"{formats.figure(target_value, unit, blank='no value')} ({comp['period']})",
                context="comparator target",
                rules=rules,
            )
    else:
        status = Rating("", f"not rated: unknown target type {target_type!r}")

    # ---- trend
    if category == "contextual":
        trend = Rating("", "no trend: a contextual measure")
    elif not_comparable and not _missing(previous):
        trend = Rating("", f"no trend: the figure is not comparable with {years.previous}")
    else:
        if in_year and fc.method == "latest":
            current_text = f"the forecast year-end {shown} (the latest figure{lag_inline})"
        else:
            current_text = figure_text
        trend = travel(
            fc.value,
            previous,
            polarity,
            unit=unit,
            previous_label=years.previous
            + (f" ({prev_note})" if prev_note and _missing(previous) else ""),
            current_text=current_text,
            show_polarity=not status.result,
            rules=rules,
        )

    parts = [status.reason]
    if trend.result or (status.result and not _missing(figure)) or not_comparable:
        if trend.reason not in status.reason:
            parts.append(trend.reason)
    if note and not _missing(value) and note not in " ".join(parts):
        parts.append(f"note: {note}")
    reason = " ".join(_sentence(p) for p in parts)
    return {
        "code": code,
        "name": measure["name"],
        "priority": measure["priority"],
        "polarity": polarity,
        "value": value,
        "count": count,
        "as_at": as_at,
        "target": target_value,
        "target_type": target_type,
        "previous": previous,
        "forecast": fc.value if fc.method else math.nan,
        "status": status.result,
        "trend": trend.result,
        "reason": reason,
        "framework": measure["framework"],
        "series": measure.get("series"),
        "category": category or None,
        "unit": unit,
        "year_basis": year_basis,
        "aggregation": aggregation,
        "value_period": years.value_period,
        "target_year": period if milestone is not None else years.target_year,
        "previous_period": years.previous,
        "target_direction": target_direction,
        "target_label": target_label(target, unit, comparator_area or "")
        + (f" ({period} milestone)" if milestone is not None else ""),
        "target_basis": target_basis,
        "ambition": ambition(look.numerical_targets(code), years.target_year, unit),
        "comparator_area": comparator_area,
        "forecast_method": fc.method or None,
        "note": note,
        "status_reason": _sentence(status.reason),
        "trend_reason": _sentence(trend.reason),
    }


def reference_scorecard(
    dataset: Dataset, period: str, *, rules: ScoringRules | None = None
) -> pd.DataFrame:
    """One row per measure of the period's framework, in priority then printed order.

    Columns: ``score.SCORECARD_COLUMNS`` then ``score.EXTRA_COLUMNS``, then ``shortfall`` and
    ``shortfall_pct`` (``shortfall.add_shortfall``: the gap to target, positive when worse).
    ``status`` is red/amber/green and ``trend`` better/stable/worse, each an empty string
    when not rated (see ``reason``). ``rules``: the scoring rules (default: the portfolio's,
    ``rules_for``).
    """
    rules = rules if rules is not None else score.rules_for(dataset)
    label = score.resolve_period(dataset, period)
    report = score._period_row(dataset, label)
    measures = dataset.tables["measures"]
    mine = measures[measures["framework"] == report["framework"]].copy()
    mine["_order"] = range(len(mine))
    mine = mine.sort_values(["priority", "_order"], kind="stable")
    series = score._series_index(measures)
    codes = {
        code: list(dict.fromkeys([code] + ([] if _missing(s) else series.get(s, []))))
        for code, s in zip(mine["code"], mine["series"], strict=True)
    }
    look = ScoringLookup(dataset.tables, report, {c for cs in codes.values() for c in cs})
    rows = [
        score_measure(m, report, look, codes=codes[m["code"]], rules=rules) for m in records(mine)
    ]
    columns = list(score.SCORECARD_COLUMNS) + list(score.EXTRA_COLUMNS)
    df = pd.DataFrame(rows, columns=columns)
    for c in ("value", "count", "target", "previous", "forecast"):
        df[c] = df[c].astype("float64")
    df["priority"] = df["priority"].astype("int64")
    for c in df.columns:
        if c not in ("value", "count", "target", "previous", "forecast", "priority"):
            df[c] = _none_for_missing(df[c])
    return add_shortfall(df.reset_index(drop=True))


def _none_for_missing(column: pd.Series) -> pd.Series:
    """``column`` as object with None for every missing cell (``is_missing``)."""
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    kept = np.array([*(None if _missing(u) else u for u in uniques), None], dtype=object)
    return pd.Series(kept[codes], index=column.index, dtype=object)
