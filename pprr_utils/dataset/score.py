"""Score measures as the PPRR key defines: RAG status, direction of travel, year-end forecast.

The key printed in every PPRR (mid-year report 2021/22, "Key to symbols used in tables"):

- Red: performing significantly (>5%) below target; Amber: slightly (<5%) below target;
  Green: on track or performing above target.
- Getting worse / Stable (within 1% either side) / Getting better: the forecast year-end
  against the previous year-end.

How "5%" and "1%" are measured, and every other decision, is set out in
``docs/methodology.md``; the numbers are settings of :class:`ScoringRules`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from .errors import ParameterError
from .formats import figure
from .formats import is_missing as _missing
from .periods import parse_period, resolve_in

if TYPE_CHECKING:
    from .load import Dataset

STATUSES = ("red", "amber", "green")
TRENDS = ("worse", "stable", "better")
POLARITY_WORDS = {"high": "high is good", "low": "low is good"}
DIRECTION_POLARITY = {"maximise": "high", "minimise": "low"}

#: The scorecard's columns, in order; extra columns follow these.
SCORECARD_COLUMNS = (
    "code",
    "name",
    "priority",
    "polarity",
    "value",
    "count",
    "as_at",
    "target",
    "target_type",
    "previous",
    "forecast",
    "status",
    "trend",
    "reason",
)
EXTRA_COLUMNS = (
    "framework",
    "series",
    "category",
    "unit",
    "year_basis",
    "aggregation",
    "value_period",
    "target_year",
    "previous_period",
    "target_direction",
    "target_label",
    "comparator_area",
    "forecast_method",
    "note",
    "status_reason",
    "trend_reason",
)


@dataclass(frozen=True)
class ScoringRules:
    """The scoring settings; the defaults are the published key's values.

    ``basis="relative"`` measures gaps as a fraction of the target (or of the previous
    year-end for trend): 0.05 is 5%. ``basis="points"`` measures them as absolute
    differences in the measure's unit (percentage points for percentages), against
    ``amber_points`` and ``stable_points``.
    """

    amber_tolerance: float = 0.05
    stable_tolerance: float = 0.01
    basis: str = "relative"
    amber_points: float = 5.0
    stable_points: float = 1.0
    comparator_areas: tuple[str, ...] = (
        "England",
        "North West",
        "Statistical neighbours",
        "Greater Manchester",
    )
    decimals: int = 10  # ratios are rounded to this many places before comparison

    def __post_init__(self) -> None:
        if self.basis not in ("relative", "points"):
            raise ValueError(f"basis {self.basis!r}: expected 'relative' or 'points'")
        for name in ("amber_tolerance", "stable_tolerance", "amber_points", "stable_points"):
            if not getattr(self, name) >= 0:
                raise ValueError(f"{name} {getattr(self, name)!r}: expected a number >= 0")


DEFAULT_RULES = ScoringRules()


@dataclass(frozen=True)
class Rating:
    """A status or trend (empty string when not rated) and the plain-English reason."""

    result: str
    reason: str


@dataclass(frozen=True)
class MeasureYears:
    """Which periods a measure is read at in a report: value, target year, previous year-end."""

    value_period: str
    target_year: str
    previous: str


@dataclass(frozen=True)
class Forecast:
    """A year-end figure for comparison with the previous year-end, and how it was made."""

    value: float
    method: str  # published | latest | extrapolated | outturn | "" (none)
    reason: str


# --------------------------------------------------------------------------- helpers


def _text(x: object) -> str:
    return "" if _missing(x) else str(x).strip()


def format_value(value: float, unit: str | None = None) -> str:
    """``8.2%``, ``30.8 per 1,000``, ``1,994``: up to 2 decimals, trailing zeros dropped
    (``formats.figure``); 'no value' when missing."""
    return figure(value, unit, blank="no value")


def _pct(fraction: float) -> str:
    return f"{abs(fraction) * 100:,.1f}".rstrip("0").rstrip(".") + "%"


def _gap_text(gap: float, basis: str, unit: str | None) -> str:
    if basis == "relative":
        return _pct(gap)
    word = "percentage points" if unit == "percent" else "points"
    return f"{format_value(abs(gap))} {word}"


def _shortfall(value: float, reference: float, polarity: str, rules: ScoringRules) -> float:
    """How far ``value`` falls short of ``reference`` (negative: better than it).

    Relative basis: a fraction of ``|reference|`` (``inf``/``-inf``/0 when it is zero);
    points basis: in the measure's unit. Rounded to ``rules.decimals`` places.
    """
    if polarity not in ("high", "low"):
        raise ValueError(f"polarity {polarity!r}: expected 'high' or 'low'")
    diff = (reference - value) if polarity == "high" else (value - reference)
    if rules.basis == "points":
        return round(diff, rules.decimals)
    if reference == 0:
        return 0.0 if diff == 0 else math.copysign(math.inf, diff)
    return round(diff / abs(reference), rules.decimals)


# --------------------------------------------------------------------------- RAG status


def rag_status(
    value: float, target: float, polarity: str, *, rules: ScoringRules = DEFAULT_RULES
) -> str:
    """``red``, ``amber`` or ``green`` for ``value`` against ``target``; ``""`` if unratable.

    Red when the shortfall is more than the amber tolerance, amber when it is above zero up
    to and including the tolerance, green when on target or better. A zero target on the
    relative basis has no relative gap: any shortfall is red.
    """
    if _missing(value) or _missing(target) or polarity not in ("high", "low"):
        return ""
    gap = _shortfall(float(value), float(target), polarity, rules)
    tolerance = rules.amber_tolerance if rules.basis == "relative" else rules.amber_points
    if gap <= 0:
        return "green"
    if gap <= tolerance:
        return "amber"
    return "red"


def rate(
    value: float,
    target: float,
    polarity: str,
    *,
    unit: str | None = None,
    value_text: str | None = None,
    target_text: str | None = None,
    context: str = "",
    rules: ScoringRules = DEFAULT_RULES,
) -> Rating:
    """The RAG status with a plain explanation, e.g. "8.2% is better than the 9.5% target".

    ``value_text`` and ``target_text`` replace the default wording of the two figures;
    ``context`` is added inside the closing brackets (e.g. "target: minimise").
    """
    if polarity not in ("high", "low"):
        return Rating("", "not rated: no polarity (neither high nor low is good)")
    if _missing(value):
        return Rating("", "not rated: no figure")
    if _missing(target):
        return Rating("", "not rated: no target figure")
    status = rag_status(value, target, polarity, rules=rules)
    v = value_text or format_value(value, unit)
    t = target_text or f"the {format_value(target, unit)} target"
    gap = _shortfall(float(value), float(target), polarity, rules)
    tol = rules.amber_tolerance if rules.basis == "relative" else rules.amber_points
    notes = [n for n in (context, POLARITY_WORDS[polarity]) if n]
    if gap == 0:
        return Rating(status, f"{v} meets {t} ({'; '.join(notes)})")
    if gap < 0:
        return Rating(status, f"{v} is better than {t} ({'; '.join(notes)})")
    if math.isinf(gap):
        notes.insert(0, "a target of zero allows no shortfall")
        return Rating(status, f"{v} is worse than {t} ({'; '.join(notes)})")
    how = "within" if status == "amber" else "more than"
    notes.insert(0, f"{how} the {_gap_text(tol, rules.basis, unit)} amber tolerance")
    return Rating(
        status, f"{v} is {_gap_text(gap, rules.basis, unit)} worse than {t} ({'; '.join(notes)})"
    )


# --------------------------------------------------------------------------- trend


def direction_of_travel(
    current: float, previous: float, polarity: str, *, rules: ScoringRules = DEFAULT_RULES
) -> str:
    """``better``, ``stable`` or ``worse``: ``current`` (forecast year-end) against ``previous``.

    Stable when the change is within the stable tolerance either side (inclusive), measured
    relative to ``previous`` (a zero previous value is stable only if equal). ``""`` if unratable.
    """
    if _missing(current) or _missing(previous) or polarity not in ("high", "low"):
        return ""
    gap = _shortfall(float(current), float(previous), polarity, rules)
    tolerance = rules.stable_tolerance if rules.basis == "relative" else rules.stable_points
    if abs(gap) <= tolerance:
        return "stable"
    return "worse" if gap > 0 else "better"


def travel(
    current: float,
    previous: float,
    polarity: str,
    *,
    unit: str | None = None,
    previous_label: str = "the previous year-end",
    current_text: str | None = None,
    show_polarity: bool = True,
    rules: ScoringRules = DEFAULT_RULES,
) -> Rating:
    """The direction of travel explained, e.g. "8.2% is worse than 7.1% in 2020/21"."""
    if polarity not in ("high", "low"):
        return Rating("", "no trend: no polarity")
    if _missing(current):
        return Rating("", "no trend: no current or forecast figure")
    if _missing(previous):
        return Rating("", f"no trend: no figure for {previous_label}")
    trend = direction_of_travel(current, previous, polarity, rules=rules)
    c = current_text or format_value(current, unit)
    p = format_value(previous, unit)
    if trend == "stable":
        tol = rules.stable_tolerance if rules.basis == "relative" else rules.stable_points
        text = (
            f"stable: {c} is within {_gap_text(tol, rules.basis, unit)} of {p} in {previous_label}"
        )
    else:
        text = f"getting {trend}: {c} is {trend} than {p} in {previous_label}"
        if show_polarity:
            text += f" ({POLARITY_WORDS[polarity]})"
    return Rating(trend, text)


# --------------------------------------------------------------------------- periods


def measure_years(period: str, target_year: str, previous: str, year_basis: str) -> MeasureYears:
    """The periods a measure is read at in a report.

    Financial-year measures use the report's period, target year and previous year-end.
    Academic-year measures lag one year: in the 2024/25 Agreement baseline (period 2023/24)
    they show the 2022/23 academic year against a 2023/24 target, previous 2021/22. Their
    results are annual, so in an in-year report (``2024/25 Q2``) they show the academic
    year-end before (``2023/24``), not a quarter.
    """
    if year_basis != "academic":
        return MeasureYears(period, target_year, previous)
    return MeasureYears(
        parse_period(period).year_end().shift(-1).label,
        parse_period(target_year).shift(-1).label,
        parse_period(previous).shift(-1).label,
    )


_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("apr",),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug",),
            ("sep", "sept"),
            ("oct",),
            ("nov",),
            ("dec",),
            ("jan",),
            ("feb",),
            ("mar",),
        ],
        start=1,
    )
    for m in names
}


def months_covered(as_at: str | None, period: str, year_basis: str = "financial") -> int | None:
    """Months of the year a year-to-date figure covers.

    ``Q1-Q2`` or ``Q2`` -> 6; ``Dec'23`` -> 9 in a financial year (April start), 4 in an
    academic year (September start); no marker -> the report's quarter. None for a year-end.
    """
    p = parse_period(period)
    marker = _text(as_at)
    m = re.fullmatch(r"Q([1-4])(?:-Q([1-4]))?", marker, re.IGNORECASE)
    if m:
        start, end = int(m[1]), int(m[2] or m[1])
        first = start if m[2] else 1
        return 3 * (end - first + 1) if end >= first else None
    m = re.match(r"([A-Za-z]+)", marker)
    if m and m[1].lower() in _MONTHS:
        month = _MONTHS[m[1].lower()]
        if year_basis == "academic":
            month = (month + 7) % 12 or 12  # September is month 1
        return month
    return 3 * p.quarter if p.quarter else None


def forecast_year_end(
    value: float,
    *,
    period: str,
    aggregation: str,
    unit: str | None = None,
    as_at: str | None = None,
    year_basis: str = "financial",
    published: float | None = None,
) -> Forecast:
    """The year-end figure to compare with the previous year-end.

    A published forecast wins. A year-end period's figure is its outturn. In-year:
    snapshot measures (and percentages, which are already year-to-date ratios) carry
    the latest figure forward; cumulative counts and rates are scaled to twelve months
    from the months covered (``Q1-Q2``: x 12/6).
    """
    if not _missing(published):
        return Forecast(float(published), "published", "published year-end forecast")
    if _missing(value):
        return Forecast(math.nan, "", "no figure to forecast from")
    p = parse_period(period)
    if p.quarter is None:
        return Forecast(float(value), "outturn", "year-end figure")
    marker = _text(as_at)
    lag = f" (the latest figure is as at {marker})" if marker else ""
    if aggregation != "cumulative" or unit == "percent":
        return Forecast(float(value), "latest", f"latest figure carried to year-end{lag}")
    months = months_covered(as_at, period, year_basis) or 3 * p.quarter
    scaled = float(value) * 12 / months
    return Forecast(
        scaled,
        "extrapolated",
        f"{format_value(value, unit)} in {months} months, scaled to 12",
    )


# --------------------------------------------------------------------------- lookups


def _period_row(dataset: Dataset, period: str) -> pd.Series:
    periods = dataset.tables["periods"]
    rows = periods[periods["period"] == period]
    if rows.empty:
        raise ParameterError(_unknown_period_message(dataset, period))
    return rows.iloc[0]


def _series_codes(measures: pd.DataFrame, code: str, series: object) -> list[str]:
    """The measure's own code first, then other codes of its series (other frameworks)."""
    codes = [code]
    if not _missing(series):
        codes += [c for c in measures.loc[measures["series"] == series, "code"] if c != code]
    return list(dict.fromkeys(codes))


def _value_row(values: pd.DataFrame, codes: list[str], period: str, kind: str) -> pd.Series | None:
    """The first row of ``codes`` (in order) with a figure, else the first row with a note."""
    found = []
    for c in codes:
        hit = (values["code"] == c) & (values["period"] == period) & (values["kind"] == kind)
        found += [r for _, r in values[hit].iterrows()]
    with_value = [r for r in found if not _missing(r["value"])]
    return (with_value or found or [None])[0]


def _comparator(
    comparators: pd.DataFrame,
    code: str,
    periods: list[str],
    rules: ScoringRules,
    named: str | None = None,
) -> pd.Series | None:
    """The comparator figure: the area the target names first, then ``rules`` order."""
    rows = comparators[comparators["code"] == code]
    areas = list(dict.fromkeys(([named] if named else []) + list(rules.comparator_areas)))
    for period in periods:
        at = rows[rows["period"] == period]
        for area in areas:
            hit = at[at["area"] == area]
            if not hit.empty:
                return hit.iloc[0]
    return None


def _periods_with_data(dataset: Dataset) -> list[str]:
    """Report periods (``periods`` table) for which some measure of the framework has a value."""
    periods = dataset.tables["periods"]
    measures = dataset.tables["measures"]
    values = dataset.tables["values"]
    have = []
    for _, p in periods.iterrows():
        fm = measures[measures["framework"] == p["framework"]]
        found = False
        for basis in ("financial", "academic"):
            codes = set(fm.loc[fm["year_basis"] == basis, "code"])
            if not codes:
                continue
            years = measure_years(p["period"], p["target_year"], p["previous"], basis)
            at = values[(values["period"] == years.value_period) & values["code"].isin(codes)]
            if not at.empty:
                found = True
        if found:
            have.append(p["period"])
    return have


def _unknown_period_message(dataset: Dataset, text: str) -> str:
    held = sorted(_periods_with_data(dataset), key=parse_period)
    listed = ", ".join(held) if held else "none"
    return f"no report for period {text!r} in the data; periods held: {listed}"


def resolve_period(dataset: Dataset, text: str) -> str:
    """Canonical label of ``text`` (``2021/22 Q2`` or ``2021-22-Q2``) if the data reports it.

    Raises ParameterError listing the periods the data holds when ``text`` is not a period,
    is not a report in the ``periods`` table, or has no values.
    """
    return resolve_in(text, _periods_with_data(dataset))


def latest_period(dataset: Dataset) -> str:
    """The most recent report period that has data (by date if every period has one)."""
    held = _periods_with_data(dataset)
    if not held:
        raise ParameterError("the data holds no report period with values")
    periods = dataset.tables["periods"].set_index("period")
    dates = [periods.at[p, "date"] if "date" in periods.columns else None for p in held]
    if all(not _missing(d) for d in dates):
        return max(zip(dates, held, strict=True))[1]
    return max(held, key=parse_period)


# --------------------------------------------------------------------------- scorecard


def _target_label(target: pd.Series | None, unit: str | None, comparator: str) -> str:
    if target is None:
        return ""
    kind = target["type"]
    if kind == "numerical":
        return format_value(target["value"], unit)
    if kind == "direction":
        return _text(target["direction"]).capitalize()
    if kind == "comparator":
        return f"{comparator or _text(target['comparator']) or 'comparator'} average"
    return _text(target["note"]) or "N/A"


_NOT_COMPARABLE = re.compile(r"\bnot comparable\b", re.IGNORECASE)


def _sentence(text: str) -> str:
    text = text.strip().rstrip(".")
    return text[:1].upper() + text[1:] + "." if text else ""


def score_measure(
    measure: pd.Series,
    report: pd.Series,
    dataset: Dataset,
    *,
    rules: ScoringRules = DEFAULT_RULES,
) -> dict[str, object]:
    """One scorecard row: the measure's figures, status, trend and reasons."""
    tables = dataset.tables
    values, targets = tables["values"], tables["targets"]
    comparators = tables.get("comparators")
    code = measure["code"]
    unit = _text(measure.get("unit")) or None
    polarity = _text(measure["polarity"]) or "none"
    category = _text(measure.get("category"))
    year_basis = _text(measure.get("year_basis")) or "financial"
    aggregation = _text(measure.get("aggregation")) or "snapshot"
    years = measure_years(report["period"], report["target_year"], report["previous"], year_basis)
    codes = _series_codes(tables["measures"], code, measure.get("series"))
    in_year = parse_period(years.value_period).quarter is not None

    # ---- figures: the value, a published forecast, the previous year-end, the target
    row = _value_row(values, [code], years.value_period, "actual")
    value = math.nan if row is None else row["value"]
    count = math.nan if row is None else row["count"]
    as_at = None if row is None else (_text(row["as_at"]) or None)
    note = None if row is None else (_text(row["note"]) or None)
    published = None
    for p in [years.value_period, parse_period(years.value_period).year] if in_year else []:
        f = _value_row(values, [code], p, "forecast")
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
    prev_row = _value_row(values, codes, years.previous, "actual")
    previous = math.nan if prev_row is None else prev_row["value"]
    prev_note = "" if prev_row is None else _text(prev_row["note"])
    not_comparable = bool(
        (note and not _missing(value) and _NOT_COMPARABLE.search(note))
        or (prev_note and _NOT_COMPARABLE.search(prev_note))
    )

    trows = targets[(targets["code"] == code) & (targets["year"] == years.target_year)]
    target = trows.iloc[0] if not trows.empty else None
    target_type = "none" if target is None else target["type"]
    target_value = math.nan
    target_direction = None if target is None else (_text(target["direction"]) or None)
    comparator_area = None

    # ---- how the figure being rated is described
    shown = format_value(fc.value if in_year else value, unit)
    lag = f" (as at {as_at})" if as_at else ""
    lag_inline = f", as at {as_at}" if as_at else ""
    if in_year and fc.method == "published":
        figure_text = f"the published forecast year-end {shown}"
    elif in_year and fc.method == "extrapolated":
        figure_text = f"the forecast year-end {shown} ({fc.reason})"
    else:
        figure_text = f"{shown}{lag}"
    figure = fc.value if in_year else value

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
            figure, target_value, polarity, unit=unit, value_text=figure_text, rules=rules
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
                target_text=f"{format_value(previous, unit)} in {years.previous}",
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
        comp = (
            None
            if comparators is None
            else _comparator(comparators, code, wanted, rules, named=named)
        )
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
                f"{format_value(target_value, unit)} ({comp['period']})",
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
        "target_year": years.target_year,
        "previous_period": years.previous,
        "target_direction": target_direction,
        "target_label": _target_label(target, unit, comparator_area or ""),
        "comparator_area": comparator_area,
        "forecast_method": fc.method or None,
        "note": note,
        "status_reason": _sentence(status.reason),
        "trend_reason": _sentence(trend.reason),
    }


def scorecard(
    dataset: Dataset, period: str, *, rules: ScoringRules = DEFAULT_RULES
) -> pd.DataFrame:
    """One row per measure of the period's framework, in priority then printed order.

    Columns: ``SCORECARD_COLUMNS`` then ``EXTRA_COLUMNS``. ``status`` is red/amber/green and
    ``trend`` better/stable/worse, each an empty string when not rated (see ``reason``).
    """
    label = resolve_period(dataset, period)
    report = _period_row(dataset, label)
    measures = dataset.tables["measures"]
    mine = measures[measures["framework"] == report["framework"]].copy()
    mine["_order"] = range(len(mine))
    mine = mine.sort_values(["priority", "_order"], kind="stable")
    rows = [score_measure(m, report, dataset, rules=rules) for _, m in mine.iterrows()]
    columns = list(SCORECARD_COLUMNS) + list(EXTRA_COLUMNS)
    df = pd.DataFrame(rows, columns=columns)
    for c in ("value", "count", "target", "previous", "forecast"):
        df[c] = df[c].astype("float64")
    df["priority"] = df["priority"].astype("int64")
    for c in df.columns:
        if c not in ("value", "count", "target", "previous", "forecast", "priority"):
            df[c] = pd.Series([None if _missing(x) else x for x in df[c]], dtype=object)
    return df.reset_index(drop=True)


def write_scorecard(df: pd.DataFrame, out: str | Path) -> Path:
    """Write the scorecard as CSV, or as Excel when ``out`` ends in ``.xlsx``."""
    path = Path(out)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ParameterError(f"{str(out)!r}: expected a file name ending in .csv or .xlsx")
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".xlsx":
        with pd.ExcelWriter(path, engine="openpyxl") as xl:
            df.to_excel(xl, sheet_name="scorecard", index=False)
    else:
        df.to_csv(path, index=False, lineterminator="\n")
    return path
