"""A measure's trend chart: its figures across periods, its target and its comparators.

Figures are ``formats.figure(..., short=True)``: the unit is named on the axis.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from ..dataset.formats import figure, is_missing
from ..dataset.periods import parse_period
from .charts import (
    AF_DARK_BLUE,
    AF_DARK_GREY,
    MARKERS,
    PALETTE,
    Chart,
    fit_margins,
    new_figure,
    render,
    style,
    text_colour,
)


def _unit_phrase(unit: str | None) -> str:
    return {
        "percent": "per cent",
        "rate per 1,000": "rate per 1,000",
        "rate per 10,000": "rate per 10,000",
        "rate per 100,000": "rate per 100,000",
        "count": "number",
        "score": "score",
    }.get(unit or "", unit or "")


def _points(series_values: Any) -> list[tuple[str, float, str]]:
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
        pts.append((parse_period(str(p)).label, float(v), str(k or "actual")))
    return sorted(pts, key=lambda t: parse_period(t[0]))


def _direction(first: float, last: float, polarity: str | None) -> str:
    if last == first:
        return "unchanged"
    up = last > first
    word = "up" if up else "down"
    if polarity == "high":
        return f"{word} (an improvement)" if up else f"{word} (a deterioration)"
    if polarity == "low":
        return f"{word} (a deterioration)" if up else f"{word} (an improvement)"
    return word


def _versus_target(value: float, target: float, polarity: str | None, unit: str | None) -> str:
    t = figure(target, unit, short=True)
    if value == target:
        return f"level with the target of {t}"
    side = "above" if value > target else "below"
    good = (polarity == "high" and value > target) or (polarity == "low" and value < target)
    judgement = (
        ""
        if polarity not in ("high", "low")
        else (" (better than target)" if good else " (worse than target)")
    )
    return f"{side} the target of {t}{judgement}"


def trend_chart(
    series_values: Any,
    target: float | None = None,
    comparators: pd.DataFrame | Iterable[Mapping[str, Any]] | None = None,
    *,
    name: str = "the measure",
    unit: str | None = None,
    polarity: str | None = None,
    target_label: str | None = None,
    title: str | None = None,
    illustrative: bool = False,
) -> Chart:
    """A measure across periods with its target (dashed line) and comparator areas.

    ``series_values``: DataFrame with ``period``, ``value`` and optional ``kind`` (forecasts
    are drawn hollow), a Series indexed by period, or (period, value) pairs. ``comparators``:
    rows with ``area``, ``period``, ``value``.
    """
    pts = _points(series_values)
    if comparators is None:
        comp = pd.DataFrame()
    elif isinstance(comparators, pd.DataFrame):
        comp = comparators
    else:
        comp = pd.DataFrame(list(comparators))
    if comp.empty or "value" not in comp:
        comp = pd.DataFrame(columns=["area", "period", "value"])
    comp = comp.dropna(subset=["value"])
    prefix = "Illustrative data. " if illustrative else ""
    shown_title = title or name
    if not pts:
        text = f"{prefix}No figures are available to chart for {name}."
        return Chart(b"", text, text, shown_title)

    periods = sorted(
        {p for p, _, _ in pts} | {parse_period(str(p)).label for p in comp["period"]},
        key=parse_period,
    )
    x = {p: i for i, p in enumerate(periods)}
    fig = new_figure()
    ax = fig.axes[0]
    with style():
        xs = [x[p] for p, _, _ in pts]
        ys = [v for _, v, _ in pts]
        ax.plot(xs, ys, color=AF_DARK_BLUE, marker="o", markersize=7, zorder=3, label=name)
        for p, v, k in pts:
            if k != "actual":
                ax.plot(
                    [x[p]],
                    [v],
                    marker="o",
                    markersize=9,
                    markerfacecolor="white",
                    markeredgecolor=AF_DARK_BLUE,
                    markeredgewidth=2,
                    zorder=4,
                )
        last_p, last_v, last_k = pts[-1]
        ax.annotate(
            figure(last_v, unit, short=True) + (" (forecast)" if last_k != "actual" else ""),
            (x[last_p], last_v),
            xytext=(8, 6),
            textcoords="offset points",
            color=AF_DARK_BLUE,
            fontsize=11,
        )
        if target is not None and not (isinstance(target, float) and math.isnan(target)):
            ax.axhline(float(target), color=AF_DARK_GREY, linestyle="--", linewidth=1.5, zorder=2)
            ax.annotate(
                target_label or f"Target {figure(target, unit, short=True)}",
                (0, float(target)),
                xycoords=("axes fraction", "data"),
                xytext=(2, 4),
                textcoords="offset points",
                color=AF_DARK_GREY,
                fontsize=10,
            )
        areas = list(dict.fromkeys(comp["area"].astype(str)))
        for i, area in enumerate(areas):
            rows = comp[comp["area"].astype(str) == area].copy()
            rows["label"] = rows["period"].map(lambda s: parse_period(str(s)).label)
            rows = rows.sort_values("label", key=lambda s: s.map(x.get))
            colour = PALETTE[1 + i % (len(PALETTE) - 1)]
            marker = MARKERS[1 + i % (len(MARKERS) - 1)]
            cx = [x[p] for p in rows["label"]]
            ax.plot(
                cx,
                rows["value"].astype(float).tolist(),
                color=colour,
                marker=marker,
                linestyle=":",
                linewidth=1.5,
                markersize=7,
                zorder=3,
            )
            ax.annotate(
                f"{area} {figure(float(rows['value'].iloc[-1]), unit, short=True)}",
                (cx[-1], float(rows["value"].iloc[-1])),
                xytext=(8, -12),
                textcoords="offset points",
                color=text_colour(colour),
                fontsize=10,
            )
        ax.set_xticks(range(len(periods)), periods)
        ax.set_xlim(-0.4, len(periods) - 0.4 + 0.6)
        if unit == "percent":
            ax.yaxis.set_major_formatter(lambda v, _: f"{v:g}%")
        ax.set_ylabel(_unit_phrase(unit).capitalize())
        if title:  # by default the page's heading names the chart, not the image
            ax.set_title(title if len(title) <= 70 else title[:67] + "...")
        fit_margins(fig)
    svg = render(fig)

    first_p, first_v, _ = pts[0]
    values_text = "; ".join(
        f"{p} {figure(v, unit, short=True)}" + (" (forecast)" if k != "actual" else "")
        for p, v, k in pts
    )
    latest = f"{figure(last_v, unit, short=True)} in {last_p}"
    latest += " (forecast)" if last_k != "actual" else ""
    parts = [f"{prefix}Line chart of {name}" + (f" ({_unit_phrase(unit)})" if unit else "") + "."]
    if len(pts) == 1:
        parts.append(f"One figure: {latest}.")
        alt = f"{prefix}{name}: {latest}"
    else:
        move = _direction(first_v, last_v, polarity)
        parts.append(f"Figures by period: {values_text}.")
        parts.append(
            f"The latest figure, {latest}, is {move} from {figure(first_v, unit, short=True)} in {first_p}."
        )
        alt = (
            f"{prefix}{name}: {latest}, {move.split(' (')[0]} from {figure(first_v, unit, short=True)} "
            f"in {first_p}"
        )
    if target is not None and not (isinstance(target, float) and math.isnan(target)):
        vt = _versus_target(last_v, float(target), polarity, unit)
        parts.append(f"The latest figure is {vt}.")
        alt += f"; target {figure(target, unit, short=True)}"
    if polarity in ("high", "low"):
        parts.append(f"{'Higher' if polarity == 'high' else 'Lower'} is better.")
    if not comp.empty:
        comps = "; ".join(
            f"{a} {parse_period(str(p)).label} {figure(float(v), unit, short=True)}"
            for a, p, v in zip(comp["area"], comp["period"], comp["value"], strict=True)
        )
        parts.append(f"Comparators: {comps}.")
    return Chart(svg, alt + ".", " ".join(parts), shown_title)


def measure_chart(report: Any, code: str) -> Chart:
    """Trend chart of one measure of ``report`` (a ``context.Report``): its series history,
    the target the scorecard rates it against (``Report.target``: the scorecard row's target
    year) and any comparators."""
    m = report.measure(code)
    hist = report.history(code)
    t = report.target(code)
    target = None
    label = None
    if t and t.get("type") == "numerical" and not is_missing(t.get("value")):
        target = float(t["value"])
        label = f"Target {t['year']}: {figure(target, m.get('unit'), short=True)}"
    return trend_chart(
        hist,
        target,
        report.comparators(code),
        name=f"{m['code']} {m['name']}",
        unit=m.get("unit"),
        polarity=m.get("polarity"),
        target_label=label,
        illustrative=getattr(report, "illustrative", False),
    )
