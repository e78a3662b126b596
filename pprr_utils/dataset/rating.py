"""Rating rules as the PPRR key defines them: RAG status, direction of travel, year-end forecast.

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
from typing import TYPE_CHECKING, Any

from .formats import figure
from .formats import is_missing as _missing
from .periods import parse_period
from .vocabulary import GOOD_DIRECTION

if TYPE_CHECKING:
    pass

STATUSES = ("red", "amber", "green")
TRENDS = ("worse", "stable", "better")
POLARITY_WORDS = GOOD_DIRECTION  # "high is good": one vocabulary (vocabulary.py)
DIRECTION_POLARITY = {"maximise": "high", "minimise": "low"}


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
    #: the order comparator areas are looked up in (the portfolio's ``comparator_areas``);
    #: areas not listed follow in the order the data gives them
    comparator_areas: tuple[str, ...] = ()
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


def _pct(fraction: float) -> str:
    return f"{abs(fraction) * 100:,.1f}".rstrip("0").rstrip(".") + "%"


def _gap_text(gap: float, basis: str, unit: str | None) -> str:
    if basis == "relative":
        return _pct(gap)
    word = "percentage points" if unit == "percent" else "points"
    return f"{figure(abs(gap), blank='no value')} {word}"


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
    if not (math.isfinite(float(value)) and math.isfinite(float(target))):
        return ""  # never rate an infinite figure (validation refuses them)
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
    if not (math.isfinite(float(value)) and math.isfinite(float(target))):
        return Rating("", "not rated: the figure or target is not a finite number")
    status = rag_status(value, target, polarity, rules=rules)
    v = value_text or figure(value, unit, blank="no value")
    t = target_text or f"the {figure(target, unit, blank='no value')} target"
    gap = _shortfall(float(value), float(target), polarity, rules)
    tol = rules.amber_tolerance if rules.basis == "relative" else rules.amber_points
    notes = [n for n in (context, POLARITY_WORDS[polarity]) if n]
    if gap == 0:
        return Rating(status, f"{v} meets {t} ({'; '.join(notes)})")
    if gap < 0:
        return Rating(status, f"{v} is better than {t} ({'; '.join(notes)})")
    if math.isinf(gap) and float(target) == 0:
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
    c = current_text or figure(current, unit, blank="no value")
    p = figure(previous, unit, blank="no value")
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


def carried_forward(aggregation: Any, unit: Any) -> Any:
    """Whether an in-year figure stands as its year-end forecast as it is: a snapshot
    measure's, or a percentage (already a year-to-date ratio); a cumulative count or rate is
    scaled to twelve months instead. Works on single values and on numpy arrays alike."""
    return (aggregation != "cumulative") | (unit == "percent")


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
    if carried_forward(aggregation, unit):
        return Forecast(float(value), "latest", f"latest figure carried to year-end{lag}")
    months = months_covered(as_at, period, year_basis) or 3 * p.quarter
    scaled = float(value) * 12 / months
    return Forecast(
        scaled,
        "extrapolated",
        f"{figure(value, unit, blank='no value')} in {months} months, scaled to 12",
    )
