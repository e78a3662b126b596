"""Every measure of one or many periods scored at once: the scorecard's columns (``score``).

The steps, each over all measures: the periods each is read at (``score_frame``), the rows
it reads, the forecast year-end, the figure rated and how it is described, the status (by
target type), the trend, then the reason (``score_text``). The rules are those of
``rating`` and ``targets``; ``docs/methodology.md`` states them and
``tests/score_reference.py`` writes them one measure at a time.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from . import score_frame as sf
from .lookup import coded
from .rating import POLARITY_WORDS, ScoringRules, _text
from .score_columns import NAN, Array, concat, figures, or_none, per_value, texts, unit_suffixes
from .score_text import rate_rows, reasons, travel_rows

_NOT_COMPARABLE = re.compile(r"\bnot comparable\b", re.IGNORECASE)


def _full(n: int, value: object) -> Array:
    out = np.empty(n, dtype=object)
    out[:] = value
    return out


def score_rows(
    tables: Mapping[str, pd.DataFrame],
    report: Mapping[str, Any],
    mine: pd.DataFrame,
    series: Mapping[str, Array],
    rules: ScoringRules,
) -> dict[str, Any]:
    """The scorecard's columns for the rows ``mine`` (measures, in order, of one or more
    reports); ``report``: each row's ``period``, ``target_year`` and ``previous`` (its report's
    ``periods`` row); ``series``: each row's code then its series' other codes
    (``score._series_rows``)."""
    n = len(mine)
    period = report["period"]
    code = mine["code"].to_numpy(dtype=object)
    unit = or_none(texts(mine["unit"])) if "unit" in mine else _full(n, None)
    polarity = per_value(mine["polarity"], lambda p: _text(p) or "none")
    category = texts(mine["category"]) if "category" in mine else _full(n, "")
    basis = per_value(mine["year_basis"], lambda b: _text(b) or "financial")
    aggregation = per_value(mine["aggregation"], lambda a: _text(a) or "snapshot")
    suffix = unit_suffixes(unit)

    value_rows = sf.Rows(tables["values"], ("code", "period", "kind"))
    targets = tables["targets"]
    target_rows = sf.Rows(targets, ("code", "year"))
    key = coded(code)  # looked up in several tables
    years = sf.measure_periods(key, basis, report, value_rows, target_rows)
    vp, ty, pv, in_year = (
        years["value_period"],
        years["target_year"],
        years["previous_period"],
        years["in_year"],
    )

    # ---- figures: the value, a published forecast, the previous year-end, the target
    read = sf.read_values(key, series, years, value_rows)
    value, previous, note, prev_note = (
        read["value"],
        read["previous"],
        read["note"],
        read["prev_note"],
    )
    as_at = read["as_at"]
    fc, method, months = sf.forecast(read, years, aggregation, unit, basis)
    has_value = ~np.isnan(value)
    nc_note = per_value(note, lambda t: bool(t and _NOT_COMPARABLE.search(t))).astype(bool)
    nc_prev = per_value(prev_note, lambda t: bool(t and _NOT_COMPARABLE.search(t))).astype(bool)
    not_comparable = (nc_note & has_value) | nc_prev
    target = sf.read_targets(key, report, years, target_rows)
    milestone, kind = target["milestone"], target["type"]

    # ---- how the figure being rated is described
    shown = figures(np.where(in_year, fc, value), suffix, "no value")
    has_as_at = as_at != None  # noqa: E711 (an object array)
    as_at_text = np.where(has_as_at, as_at, "").astype(object)
    lag = _full(n, "")
    lag[has_as_at] = concat(" (as at ", as_at_text[has_as_at], ")")
    published = in_year & (method == "published")
    extrapolated = in_year & (method == "extrapolated")
    figure_text = concat(shown, lag)
    figure_text[published] = "the published forecast year-end " + shown[published]
    if extrapolated.any():
        x = extrapolated
        why = (
            figures(value[x], suffix[x], "no value")
            + " in "
            + months[x].astype(str).astype(object)
            + " months, scaled to 12"
        )
        figure_text[x] = "the forecast year-end " + shown[x] + " (" + why + ")"
    figure = np.where(in_year, fc, value)
    figure[milestone] = value[milestone]
    if milestone.any():
        figure_text[milestone] = (
            figures(value[milestone], suffix[milestone], "no value") + lag[milestone]
        )

    # ---- status, by the first rule that applies
    status = _full(n, "")
    status_reason = _full(n, "")
    target_value = np.full(n, NAN)
    comparator_area = _full(n, None)
    rest = np.ones(n, dtype=bool)

    def rule(mask: Array, text: Callable[[Array], Array] | str) -> None:
        """The first rule that applies to a row gives its reason (``text`` of those rows)."""
        nonlocal rest
        hit = rest & mask
        if hit.any():
            status_reason[hit] = text if isinstance(text, str) else text(hit)
        rest = rest & ~mask

    def no_figure(hit: Array) -> Array:
        why = np.where(note[hit] != "", " (" + note[hit] + ")", "").astype(object)
        return "not rated: no figure for " + vp[hit] + why

    rule(category == "contextual", "not rated: a contextual measure (no target is set)")
    rule(polarity == "none", "not rated: no polarity (neither high nor low is good)")
    rule(np.isnan(figure), no_figure)
    rule(target["at"] < 0, lambda hit: "not rated: no target for " + ty[hit] + " in the data")
    rule(
        kind == "none",
        lambda hit: (
            "not rated: no target (" + per_value(target["note"][hit], lambda t: t or "N/A") + ")"
        ),
    )
    numerical = rest & (kind == "numerical")
    direction = rest & (kind == "direction")
    comparator = rest & (kind == "comparator")
    rule(numerical | direction | comparator, "")
    unknown = rest
    status_reason[unknown] = per_value(
        kind[unknown], lambda k: f"not rated: unknown target type {k!r}"
    )

    # rows rated against a figure: (rows, target, polarity, target text, context)
    to_rate: list[tuple[Array, Array, Array, Array, Array]] = []
    if numerical.any():
        tv = target["value"]
        target_value[numerical] = tv[numerical]
        text = _full(n, "")
        text[numerical] = "the " + figures(tv[numerical], suffix[numerical], "no value") + " target"
        mile = numerical & milestone
        if mile.any():
            text[mile] = "the " + period[mile] + " milestone of " + figures(tv[mile], suffix[mile])
        to_rate.append((numerical, tv, polarity, text, _full(n, "")))
    dir_word = np.where(target["direction"] != None, target["direction"], "").astype(object)  # noqa: E711
    dir_polarity = sf.direction_polarity(dir_word, polarity)
    if direction.any():
        no_prev = direction & np.isnan(previous)
        status_reason[no_prev] = (
            "not rated: the " + dir_word[no_prev] + " target needs a figure for " + pv[no_prev]
        )
        nc = direction & ~no_prev & not_comparable
        status_reason[nc] = (
            "not rated: the "
            + dir_word[nc]
            + " target compares with "
            + pv[nc]
            + ", and the figures are not comparable"
        )
        ok = direction & ~no_prev & ~nc
        text, context = _full(n, ""), _full(n, "")
        text[ok] = figures(previous[ok], suffix[ok], "no value") + " in " + pv[ok]
        context[ok] = "target: " + dir_word[ok]
        to_rate.append((ok, previous, dir_polarity, text, context))
    if comparator.any():
        rows = np.flatnonzero(comparator)
        wanted = sf.comparator_periods(years, as_at, rows)
        area, cv, cp = sf.comparator_figures(
            code,
            rows,
            wanted,
            target["comparator"],
            tables.get("comparators"),
            rules.comparator_areas,
        )
        found = comparator & (area != None)  # noqa: E711
        none = comparator & ~found
        status_reason[none] = (
            "not rated: a comparator target, but the data holds no "
            "comparator figure for this measure and period"
        )
        comparator_area[found] = area[found]
        target_value[found] = cv[found]
        text = _full(n, "")
        text[found] = (
            "the "
            + area[found]
            + " figure of "
            + figures(cv[found], suffix[found], "no value")
            + " ("
            + cp[found]
            + ")"
        )
        to_rate.append((found, cv, polarity, text, _full(n, "comparator target")))
    for mask, against, pol, text, context in to_rate:
        if not mask.any():
            continue
        result, why = rate_rows(
            figure[mask],
            against[mask],
            pol[mask],
            unit[mask],
            figure_text[mask],
            text[mask],
            context[mask],
            rules,
        )
        status[mask], status_reason[mask] = result, why
    mismatch = direction & ~np.isnan(previous) & ~not_comparable & (dir_polarity != polarity)
    if mismatch.any():
        said = per_value(polarity[mismatch], lambda p: POLARITY_WORDS.get(p, ""))
        status_reason[mismatch] = (
            status_reason[mismatch]
            + "; note the target says "
            + dir_word[mismatch]
            + " but the measure says "
            + said
        )

    # ---- trend
    trend = _full(n, "")
    trend_reason = _full(n, "")
    contextual = category == "contextual"
    trend_reason[contextual] = "no trend: a contextual measure"
    nc = ~contextual & not_comparable & ~np.isnan(previous)
    trend_reason[nc] = "no trend: the figure is not comparable with " + pv[nc]
    go = ~contextual & ~nc
    if go.any():
        latest = in_year & (method == "latest")
        current = figure_text.copy()
        if latest.any():
            inline = np.where(has_as_at[latest], ", as at " + as_at_text[latest], "")
            current[latest] = ("the forecast year-end " + shown[latest] + " (the latest figure") + (
                inline.astype(object) + ")"
            )
        label = pv.copy()
        noted = (prev_note != "") & np.isnan(previous)
        label[noted] = pv[noted] + " (" + prev_note[noted] + ")"
        result, why = travel_rows(
            fc[go],
            previous[go],
            polarity[go],
            unit[go],
            suffix[go],
            label[go],
            current[go],
            status[go] == "",
            rules,
        )
        trend[go], trend_reason[go] = result, why

    with_trend = (trend != "") | ((status != "") & ~np.isnan(figure)) | not_comparable
    reason, status_said, trend_said = reasons(
        status_reason, trend_reason, with_trend, note, (note != "") & has_value
    )
    label = _target_labels(target, unit, comparator_area)
    label[milestone] = label[milestone] + " (" + period[milestone] + " milestone)"
    return {
        "code": code,
        "name": mine["name"].to_numpy(dtype=object),
        "priority": mine["priority"].to_numpy(),
        "polarity": polarity,
        "value": value,
        "count": read["count"],
        "as_at": as_at,
        "target": target_value,
        "target_type": kind,
        "previous": previous,
        "forecast": np.where(method != "", fc, NAN),
        "status": status,
        "trend": trend,
        "reason": reason,
        "framework": mine["framework"].to_numpy(dtype=object),
        "series": mine["series"].to_numpy(dtype=object),
        "category": or_none(category),
        "unit": unit,
        "year_basis": basis,
        "aggregation": aggregation,
        "value_period": vp,
        "target_year": np.where(milestone, period, ty).astype(object),
        "previous_period": pv,
        "target_direction": target["direction"],
        "target_label": label,
        "target_basis": np.where(
            target["at"] < 0, None, np.where(milestone, "milestone", "year")
        ).astype(object),
        "ambition": sf.ambitions(code, ty, targets, unit),
        "comparator_area": comparator_area,
        "forecast_method": or_none(method),
        "note": or_none(note),
        "status_reason": status_said,
        "trend_reason": trend_said,
    }


def _target_labels(target: dict[str, Array], unit: Array, area: Array) -> Array:
    """``targets.target_label`` of each measure's target ("" when it has none)."""
    kind = target["type"]
    n = len(kind)
    out = _full(n, "")
    has = target["at"] >= 0
    num = has & (kind == "numerical")
    out[num] = figures(target["value"], unit_suffixes(unit), "no value")[num]
    direction = has & (kind == "direction")
    words = per_value(target["direction"], lambda d: _text(d).capitalize())
    out[direction] = words[direction]
    comp = has & (kind == "comparator")
    if comp.any():
        named = np.where(area != None, area, "").astype(object)  # noqa: E711
        name = [
            a or c or "comparator"
            for a, c in zip(named[comp], target["comparator"][comp], strict=True)
        ]
        out[comp] = np.array(name, dtype=object) + " average"
    other = has & ~num & ~direction & ~comp
    out[other] = per_value(target["note"], lambda t: t or "N/A")[other]
    return out
