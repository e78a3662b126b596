"""Which target a period is rated against, and which figures an in-year report reads.

Three rules beyond a single target per year (``docs/methodology.md``, "Milestones and
in-year figures", has worked examples):

- **Milestones.** A target whose ``year`` is a period label (``2024/25 Q3``) is that period's
  milestone. A period is rated against its own milestone when there is one, comparing the
  in-year figure itself (not a forecast year-end) with it; otherwise against the year's
  target as before.
- **In-year figures of academic-year measures.** An academic-year measure usually reports
  once a school year, so an in-year report shows the last school year. When the data has a
  figure keyed to the report's own period, that figure is used: it belongs to the school
  year in progress at the end of the period, it is rated against that school year's target
  (or the period's milestone), and its direction of travel compares with the school year
  before (``2023/24 Q3``, October to December 2023, compares with 2022/23).
- **Ambition.** A target for a year after the one rated is the measure's ambition, shown
  beside the target it is rated against.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .formats import figure
from .formats import is_missing as _missing
from .periods import Period, parse_period
from .rating import MeasureYears, _text, measure_years


def school_year_at_end_of(period: str) -> Period:
    """The school year (September to August) in progress on the last day of ``period``.

    ``2024/25 Q1`` (April to June 2024) -> ``2023/24``; Q2 (to September), Q3 and Q4 ->
    ``2024/25``. A year-end period is its own year.
    """
    p = parse_period(period)
    year = p.year_end()
    return year.shift(-1) if p.quarter == 1 else year


def years_for(
    period: str,
    target_year: str,
    previous: str,
    year_basis: str,
    *,
    in_year_figure: bool = False,
    target_years: set[str] | frozenset[str] = frozenset(),
) -> MeasureYears:
    """``measure_years``, but an academic-year measure with its own ``in_year_figure`` for an
    in-year ``period`` reads that figure, the school year in progress's target (when
    ``target_years`` has it; else the usual one) and the school year before as previous."""
    usual = measure_years(period, target_year, previous, year_basis)
    if year_basis != "academic" or not in_year_figure or parse_period(period).quarter is None:
        return usual
    school = school_year_at_end_of(period)
    target = school.label if school.label in target_years else usual.target_year
    return MeasureYears(period, target, school.shift(-1).label)


def ambition(numerical: Iterable[tuple[str, float]], after: str, unit: str | None) -> str | None:
    """The latest of a measure's ``numerical`` targets (``(year, value)`` pairs) for a year
    after ``after``: ``15% by 2026/27``; else None. Milestones (periods) are not ambitions."""
    later = [
        (parse_period(y), v)
        for y, v in numerical
        if parse_period(y).quarter is None
        and parse_period(y) > parse_period(after).year_end()
        and not _missing(v)
    ]
    if not later:
        return None
    year, value = max(later, key=lambda t: t[0])
    return f"{figure(value, unit)} by {year.label}"


def target_label(target: Mapping[str, Any] | None, unit: str | None, comparator: str) -> str:
    """A target as printed: a number in its unit, Maximise/Minimise/Maintain, a comparator
    average, or its note (N/A, TBC)."""
    if target is None:
        return ""
    kind = target["type"]
    if kind == "numerical":
        return figure(target["value"], unit, blank="no value")
    if kind == "direction":
        return _text(target["direction"]).capitalize()
    if kind == "comparator":
        return f"{comparator or _text(target['comparator']) or 'comparator'} average"
    return _text(target["note"]) or "N/A"
