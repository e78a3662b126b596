"""Which figures of a measure a trend chart may plot: comparable ones only.

Year-end figures up to the scorecard's value period; in an in-year report the scorecard's
forecast year-end stands in for the part-year figure (the trend rule compares it with the
previous year-end). A year's figure whose ``as_at`` marks part of the year (``Q3``,
``Dec'23``) is a part-year figure too, in a year-end report as well. Comparators are placed
on the same axis of years.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from ..dataset.formats import figure, is_missing
from ..dataset.periods import parse_period
from ..dataset.rating import carried_forward, months_covered

Point = tuple[str, float, str]  # (period label, value, kind: 'actual' or 'forecast')


def points(series_values: Any) -> list[Point]:
    """(period, value, kind) from a DataFrame (period, value[, kind]), Series or mapping."""
    if isinstance(series_values, pd.DataFrame):
        kinds = (
            series_values["kind"]
            if "kind" in series_values
            else pd.Series(["actual"] * len(series_values), index=series_values.index)
        )
        rows = zip(series_values["period"], series_values["value"], kinds, strict=True)
    elif isinstance(series_values, pd.Series):
        rows = ((p, v, "actual") for p, v in series_values.items())
    elif isinstance(series_values, Mapping):
        rows = ((p, v, "actual") for p, v in series_values.items())
    else:
        rows = ((p, v, "actual") for p, v in series_values)
    pts = []
    for p, v, k in rows:
        if v is None or (isinstance(v, float) and math.isnan(v)):
            continue
        kind = "actual" if str(k or "actual") == "actual" else "forecast"
        pts.append((parse_period(str(p)).label, float(v), kind))
    return sorted(pts, key=lambda t: parse_period(t[0]))


def covers_part_year(as_at: Any, period: str, year_basis: str | None = "financial") -> bool:
    """Whether a year's figure marked ``as_at`` (``Q3``, ``Q1-Q2``, ``Dec'23``) covers only
    part of the year: fewer than twelve months (``rating.months_covered``), or a marker that
    cannot be read. No marker, ``Q4`` or the year's last month: a year-end figure."""
    if is_missing(as_at) or not str(as_at).strip():
        return False
    months = months_covered(str(as_at), period, str(year_basis or "financial"))
    return months is None or months < 12


def _carried_forecast(row: Mapping[str, Any]) -> bool:
    """Whether the scorecard's forecast for a year-end report's part-year figure is a fair
    year-end: a published one, or the latest figure carried forward where that is how an
    in-year forecast is made (a snapshot or a percentage; ``rating.forecast_year_end``). A
    cumulative count as at December is not its year's total."""
    if is_missing(row.get("forecast")):
        return False
    method = str(row.get("forecast_method") or "")
    if method == "published":
        return True
    carried = bool(carried_forward(row.get("aggregation"), row.get("unit")))
    return method in ("outturn", "latest") and carried


def whole_count(unit: object, figures: Iterable[object] = ()) -> bool:
    """Is a measure's forecast year-end shown as a whole number: a ``count``, or a figure
    whose unit is not stated (``number`` or blank) when every one of ``figures`` given is
    whole? (``data/README.md``: units.)"""
    u = "" if is_missing(unit) else str(unit)
    if u == "count":
        return True
    if u not in ("", "number"):
        return False
    given = [float(v) for v in figures if not is_missing(v)]
    return bool(given) and all(v.is_integer() for v in given)


def shown_forecast(value: float, unit: object, figures: Iterable[object] = ()) -> float:
    """A forecast year-end as a page displays it: a count's (:func:`whole_count`) rounded to
    the nearest whole number (halves away from zero), any other as it is. The scorecard
    keeps the exact forecast; only the display rounds."""
    if is_missing(value) or not whole_count(unit, figures):
        return value
    v = float(value)
    return math.copysign(math.floor(abs(v) + 0.5), v)


def forecast_figure(value: object, unit: object, figures: Iterable[object] = ()) -> str:
    """``figure`` of a forecast year-end as displayed (:func:`shown_forecast`)."""
    if is_missing(value):
        return ""
    u = None if is_missing(unit) else str(unit)
    return figure(shown_forecast(float(value), u, figures), u)  # type: ignore[arg-type]


def forecast_base(row: Mapping[str, Any]) -> tuple[object, object]:
    """The figures that say whether a row's forecast is of a whole-number count: its own
    figure and the previous year-end."""
    return row.get("value"), row.get("previous")


def _forecast_note(row: Mapping[str, Any]) -> str:
    """How the scorecard's forecast year-end is made, in words."""
    method = str(row.get("forecast_method") or "")
    as_at = "" if is_missing(row.get("as_at")) else str(row.get("as_at"))
    value = figure(row.get("value"), row.get("unit"), short=True, blank="no value")
    if method == "published":
        return "the published forecast"
    if method == "extrapolated":
        fc = row.get("forecast")
        rounded = (
            not is_missing(fc)
            and shown_forecast(float(fc), row.get("unit"), forecast_base(row)) != fc
        )
        return f"{value} in {as_at or row.get('value_period')}, scaled to a full year" + (
            " and rounded to a whole number" if rounded else ""
        )
    if method in ("latest", "outturn"):  # outturn: a year-end report's part-year figure
        return "the latest figure" + (f", as at {as_at}," if as_at else "") + " carried to year-end"
    return "forecast"


def comparable_points(
    history: pd.DataFrame, row: Mapping[str, Any]
) -> tuple[list[Point], list[str], dict[str, str]]:
    """The figures of a measure that can share a chart, from its ``history`` and scorecard ``row``.

    Year-end actuals up to the scorecard's ``value_period``; in an in-year report the
    scorecard's ``forecast`` year-end takes the place of the part-year figure (the trend rule
    compares it with the previous year-end). Returns the points, sentences saying what was
    left out and why, and notes on forecast points (period -> how it is made).
    """
    vp = parse_period(str(row["value_period"]))
    unit = row.get("unit")
    basis = row.get("year_basis")
    pts: list[Point] = []
    part_year: list[str] = []
    latest_part = False  # a year-end report's own figure covers part of its year
    marks = history["as_at"] if "as_at" in history else [None] * len(history)
    rows = zip(history["period"], history["value"], history["kind"], marks, strict=True)
    for p, v, k, a in rows:
        if is_missing(v):
            continue
        per = parse_period(str(p))
        if per > vp or (vp.quarter is not None and per == vp):
            continue
        if per.quarter is None and covers_part_year(a, per.label, basis):
            if per == vp and str(k) == "actual":
                latest_part = True
            elif str(k) == "actual":
                part_year.append(f"{per.label} {figure(v, unit, short=True)} (as at {a})")
        elif per.quarter is not None:
            part_year.append(f"{per.label} {figure(v, unit, short=True)}")
        elif str(k) == "actual" and (vp.quarter is None or per < vp.year_end()):
            pts.append((per.label, float(v), "actual"))
    left_out: list[str] = []
    notes: dict[str, str] = {}
    if vp.quarter is not None or latest_part:
        year = vp.year_end().label
        as_at = "" if is_missing(row.get("as_at")) else f" (as at {row.get('as_at')})"
        fair = _carried_forecast(row) if latest_part else not is_missing(row.get("forecast"))
        if fair:
            pts.append((year, float(row["forecast"]), "forecast"))
            notes[year] = _forecast_note(row)
        elif not is_missing(row.get("value")):
            left_out.append(
                f"The {vp.label} figure, {figure(row['value'], unit, short=True)}"
                f"{as_at if latest_part else ''}, covers part of the year and has no year-end "
                "forecast, so it is not plotted beside full years."
            )
    trend = str(row.get("trend_reason") or "")
    if "not comparable" in trend and pts:  # the latest figure does not continue the line
        last = pts.pop(-1) if pts[-1][0] in (vp.label, vp.year_end().label) else None
        if last is not None:
            left_out.append(
                f"The latest figure, {last[0]} {figure(last[1], unit, short=True)}, is not "
                f"comparable with {row.get('previous_period')}, so it is not plotted beside them."
            )
    if part_year:
        left_out.append(
            "Not plotted beside full years, as part-year figures: " + "; ".join(part_year) + "."
        )
    return sorted(pts, key=lambda t: parse_period(t[0])), left_out, notes


def years_between(periods: list[str]) -> list[str]:
    """Every year from the first to the last when all are years, so a year without a figure
    keeps its place on the axis (gaps are not closed up); otherwise ``periods`` as they are."""
    pers = [parse_period(p) for p in periods]
    if len(pers) < 2 or any(p.quarter is not None for p in pers):
        return periods
    out, p = [], pers[0]
    while p <= pers[-1] and len(out) < 100:
        out.append(p.label)
        p = p.shift(1)
    return out


def comparator_x(period: Any, own: set[str]) -> str:
    """The x position (a period label) of a comparator figure: its own period when the measure
    has a figure for it, else its year."""
    per = parse_period(str(period))
    return per.label if per.label in own else per.year_end().label


def comparator_rows(comp: pd.DataFrame, x: dict[str, int], last: str) -> list[dict[str, Any]]:
    """One dict per comparator area: positions, values, legend label (with its period when
    that is older than the latest figure's, or not a plotted year)."""
    out = []
    for area in dict.fromkeys(comp["area"].astype(str)):
        rows = comp[comp["area"].astype(str) == area]
        pts = []
        for p, v in zip(rows["period"], rows["value"], strict=True):
            per = parse_period(str(p))
            pos = x.get(per.label, x.get(per.year_end().label))
            if pos is not None and pos <= x[last]:
                pts.append((pos, float(v), per.label))
        if not pts:
            continue
        pts.sort()
        newest = pts[-1][2]
        label = area if newest == last else f"{area} {newest}"
        out.append({"area": area, "points": pts, "label": label})
    return out


def comparator_frame(comparators: Any) -> pd.DataFrame:
    """Comparator rows (``area``, ``period``, ``value``) as a frame without blank values."""
    if comparators is None:
        comp = pd.DataFrame()
    elif isinstance(comparators, pd.DataFrame):
        comp = comparators
    else:
        comp = pd.DataFrame(list(comparators))
    if comp.empty or "value" not in comp:
        return pd.DataFrame(columns=["area", "period", "value"])
    return comp.dropna(subset=["value"])
