"""The scorecard: every measure of a period scored by the rating rules (``rating``).

One row per measure with its figure, target, RAG status, direction of travel and the
reasons for each, as the report's tables and pages print them; ``rating`` holds the rules
themselves (RAG, trend, forecast) and ``docs/methodology.md`` explains them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from . import formats
from .errors import ParameterError
from .formats import is_missing as _missing
from .lookup import ScoringLookup, periods_with_data, records
from .periods import parse_period, resolve_in
from .rating import (
    DEFAULT_RULES,
    DIRECTION_POLARITY,
    POLARITY_WORDS,
    Rating,
    ScoringRules,
    _text,
    forecast_year_end,
    rate,
    travel,
)

# the rating rules stay importable from here, where the scorecard's callers look first
from .rating import STATUSES as STATUSES
from .rating import TRENDS as TRENDS
from .rating import direction_of_travel as direction_of_travel
from .rating import measure_years as measure_years
from .rating import months_covered as months_covered
from .rating import rag_status as rag_status
from .shortfall import add_shortfall
from .targets import ambition, target_label, years_for

if TYPE_CHECKING:
    from .load import Dataset

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
    "target_basis",
    "ambition",
    "comparator_area",
    "forecast_method",
    "note",
    "status_reason",
    "trend_reason",
)


# --------------------------------------------------------------------------- lookups


def _period_row(dataset: Dataset, period: str) -> dict[str, Any]:
    periods = dataset.tables["periods"]
    rows = periods[periods["period"] == period]
    if rows.empty:
        raise ParameterError(_unknown_period_message(dataset, period))
    return rows.iloc[0].to_dict()


def _series_codes(measures: pd.DataFrame, code: str, series: object) -> list[str]:
    """The measure's own code first, then other codes of its series (other frameworks)."""
    codes = [code]
    if not _missing(series):
        codes += [c for c in measures.loc[measures["series"] == series, "code"] if c != code]
    return list(dict.fromkeys(codes))


def _series_index(measures: pd.DataFrame) -> dict[object, list[str]]:
    """``{series: its codes in data order}`` for every series of ``measures``."""
    out: dict[object, list[str]] = {}
    for code, series in zip(measures["code"], measures["series"], strict=True):
        if not _missing(series):
            out.setdefault(series, []).append(code)
    return out


def _periods_with_data(dataset: Dataset) -> list[str]:
    """Report periods (``periods`` table) for which some measure of the framework has a value."""
    return periods_with_data(dataset.tables)


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


def rules_for(dataset: Dataset) -> ScoringRules:
    """The portfolio's scoring rules (``portfolio.yml``: ``scoring`` tolerances and
    ``comparator_areas``); the published key's defaults for a dataset without settings."""
    p = getattr(dataset, "portfolio", None)
    if p is None:
        return DEFAULT_RULES
    return replace(
        DEFAULT_RULES,
        amber_tolerance=p.amber_tolerance,
        stable_tolerance=p.stable_tolerance,
        comparator_areas=p.comparator_areas,
    )


def scorecard(dataset: Dataset, period: str, *, rules: ScoringRules | None = None) -> pd.DataFrame:
    """One row per measure of the period's framework, in priority then printed order.

    Columns: ``SCORECARD_COLUMNS`` then ``EXTRA_COLUMNS``, then ``shortfall`` and
    ``shortfall_pct`` (``shortfall.add_shortfall``: the gap to target, positive when worse).
    ``status`` is red/amber/green and ``trend`` better/stable/worse, each an empty string
    when not rated (see ``reason``). ``rules``: the scoring rules (default: the portfolio's,
    ``rules_for``).
    """
    rules = rules if rules is not None else rules_for(dataset)
    label = resolve_period(dataset, period)
    report = _period_row(dataset, label)
    measures = dataset.tables["measures"]
    mine = measures[measures["framework"] == report["framework"]].copy()
    mine["_order"] = range(len(mine))
    mine = mine.sort_values(["priority", "_order"], kind="stable")
    series = _series_index(measures)
    codes = {
        code: list(dict.fromkeys([code] + ([] if _missing(s) else series.get(s, []))))
        for code, s in zip(mine["code"], mine["series"], strict=True)
    }
    look = ScoringLookup(dataset.tables, report, {c for cs in codes.values() for c in cs})
    rows = [
        score_measure(m, report, look, codes=codes[m["code"]], rules=rules) for m in records(mine)
    ]
    columns = list(SCORECARD_COLUMNS) + list(EXTRA_COLUMNS)
    df = pd.DataFrame(rows, columns=columns)
    for c in ("value", "count", "target", "previous", "forecast"):
        df[c] = df[c].astype("float64")
    df["priority"] = df["priority"].astype("int64")
    for c in df.columns:
        if c not in ("value", "count", "target", "previous", "forecast", "priority"):
            df[c] = _none_for_missing(df[c])
    return add_shortfall(df.reset_index(drop=True))


def _none_for_missing(column: pd.Series) -> pd.Series:
    """``column`` as object with None for every missing cell (``is_missing``), each distinct
    value tested once."""
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    kept = np.array([*(None if _missing(u) else u for u in uniques), None], dtype=object)
    return pd.Series(kept[codes], index=column.index, dtype=object)


def write_scorecard(df: pd.DataFrame, out: str | Path) -> Path:
    """Write the scorecard as CSV, or as Excel when ``out`` ends in ``.xlsx``."""
    path = Path(out)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ParameterError(f"{str(out)!r}: expected a file name ending in .csv or .xlsx")
    if suffix == ".xlsx":
        from .writing import write_xlsx

        write_xlsx({"scorecard": df}, path)
    else:
        from .writing import write_csv

        write_csv(df, path, lineterminator="\n")
    return path
