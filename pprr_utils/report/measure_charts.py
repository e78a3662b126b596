"""A measure's trend chart: its comparable figures across years, its target and comparators.

A chart is drawn only where it adds something to the table: three or more comparable
figures (``MIN_POINTS``). Comparable means year-end figures: an in-year report's part-year
figure is not plotted beside full years; the scorecard's forecast year-end is, marked as a
forecast, because that is what the trend rule compares with the previous year-end. The
caption states the trend as the scorecard words it, so it never contradicts the table.

Figures are ``formats.figure(..., short=True)``: the unit is named on the axis.
"""

from __future__ import annotations

import math
import os
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from ..dataset.formats import figure, is_missing
from ..dataset.periods import parse_period
from .charts import (
    AF_DARK_BLUE,
    AF_DARK_GREY,
    FIG_WIDTH,
    MARKERS,
    PALETTE,
    TEXT_SIZE,
    Chart,
    fit_margins,
    new_figure,
    render,
    style,
    text_width,
    wrap,
)
from .measure_points import (
    Point,
    comparable_points,
    comparator_frame,
    comparator_rows,
    comparator_x,
    points,
    shown_forecast,
    years_between,
)

#: Charts drawn in this kernel, by everything the drawing reads (``_draw``'s arguments): a
#: page rebuilt on a warm batch kernel (``pprr watch``) draws again only the charts whose
#: figures changed. Drawing is deterministic (``charts.render``: fixed ids, no dates, the
#: house style), so a kept SVG is the bytes a new drawing gives. Kept only where
#: ``PPRR_REMEMBER_CHARTS`` is set: in the batch's kernels, whose matplotlib settings are
#: reset between pages (an analyst's session may change them mid-notebook).
_DRAWN: OrderedDict[str, bytes] = OrderedDict()
_DRAWN_MAX = 512

#: The fewest comparable figures worth a chart; fewer are read from the table.
MIN_POINTS = 3
_KEY_X = 0.1  # the key's left edge, and its least margin on the right, inches
_HANDLE_W = 0.55  # a key entry's sample line and the gap before its label, inches
_NUMBER_WORDS = {0: "no", 1: "one", 2: "two", 3: "three"}


def _listed(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _unit_phrase(unit: str | None) -> str:
    return {
        "percent": "per cent",
        "rate per 1,000": "rate per 1,000",
        "rate per 10,000": "rate per 10,000",
        "rate per 100,000": "rate per 100,000",
        "count": "number",
        "score": "score",
    }.get(unit or "", unit or "")


def _compare(last: Point, prev: Point, polarity: str | None, unit: str | None) -> str:
    """The latest figure against the one before (the previous year-end), in words."""
    a, b = last[1], prev[1]
    judgement = ""
    if a == b:
        move = "the same as"
    else:
        up = a > b
        move = "higher than" if up else "lower than"
        if polarity in ("high", "low"):
            judgement = " (better)" if up == (polarity == "high") else " (worse)"
    return f"The latest figure is {move} {figure(b, unit, short=True)} in {prev[0]}{judgement}."


def _key_layout(labels: list[str], fig_width: float) -> tuple[list[str], int, float]:
    """The key's labels, wrapped where one is wider than the figure, its number of columns
    (two only when the second column's labels end inside the figure) and column width, so
    that no label runs past the image's right edge."""
    room = fig_width - 2 * _KEY_X - _HANDLE_W
    shown = [wrap(lbl, room, lines=3) for lbl in labels]
    widest = max(text_width(line) for lbl in shown for line in lbl.split("\n")) + _HANDLE_W
    col_w = widest + 0.2
    two = len(shown) > 1 and _KEY_X + col_w + widest <= fig_width - _KEY_X
    return shown, 2 if two else 1, col_w


def _key_rows(labels: list[str], ncol: int) -> list[int]:
    """Lines in each row of the key: its tallest label's."""
    rows = [1] * -(-len(labels) // ncol)
    for i, label in enumerate(labels):
        rows[i // ncol] = max(rows[i // ncol], label.count("\n") + 1)
    return rows


def _key(
    fig: Figure,
    handles: list[dict[str, Any]],
    labels: list[str],
    ncol: int,
    col_w: float,
    line_h: float,
) -> None:
    """The key below the axes, laid out by hand (a matplotlib legend costs more to draw):
    a short sample of each line or marker, then its label, in ``ncol`` columns; a row of
    wrapped labels is as tall as its longest."""
    w, h = fig.get_size_inches()
    rows = _key_rows(labels, ncol)
    for i, (kw, label) in enumerate(zip(handles, labels, strict=True)):
        r, c = divmod(i, ncol)
        x = _KEY_X + c * col_w
        top = 0.12 + sum(rows[r:]) * line_h  # the row's top; rows below it take their lines
        y = top - (label.count("\n") + 1) * line_h / 2  # the sample level with the label
        xs = [x / w, (x + 0.22) / w, (x + 0.44) / w]
        fig.add_artist(Line2D(xs, [y / h] * 3, transform=fig.transFigure, markevery=[1], **kw))
        fig.text((x + _HANDLE_W) / w, y / h, label, va="center")


def _axes_by_hand(
    ax: Any,
    pts: list[Point],
    comps: list[dict[str, Any]],
    target: float | None,
    periods: list[str],
    kinds: dict[str, str],
    unit: str | None,
) -> None:
    """Gridlines, axis line and tick labels drawn as plain artists, with matplotlib's axes
    turned off: its tick machinery was most of a chart's cost (issue 15). The y tick labels
    carry the gid ``ytick`` so the margins can be measured from them."""
    ys = [v for _, v, _ in pts] + [v for c in comps for _, v, _ in c["points"]]
    ys += [target] if target is not None else []
    lo, hi = min(ys), max(ys)
    span = (hi - lo) or abs(hi) or 1.0
    lo, hi = lo - 0.12 * span, hi + 0.12 * span
    yticks = [
        t
        for t in MaxNLocator(nbins=4, steps=[1, 2, 2.5, 5, 10]).tick_values(lo, hi)
        if lo <= t <= hi
    ]
    left, right = -0.3, len(periods) - 0.7
    ax.set_xlim(left, right)
    ax.set_ylim(lo, hi)
    ax.set_axis_off()
    ax.hlines(yticks, left, right, color="0.8", linewidth=0.6, zorder=0)
    ax.plot([0, 1], [0, 0], transform=ax.transAxes, color=(0.8, 0.8, 0.8), lw=1, clip_on=False)
    pct = "%" if unit == "percent" else ""
    for t in yticks:
        label = f"{t:,.6g}{pct}".replace("-", "\u2212")
        ax.annotate(
            label,
            (0, t),
            xycoords=("axes fraction", "data"),
            xytext=(-6, 0),
            textcoords="offset points",
            ha="right",
            va="center",
            annotation_clip=False,
            gid="ytick",
        )
    # every k-th year label (the latest always) when all would not fit side by side
    room = (FIG_WIDTH - 1.4) / max(len(periods), 1)
    k = math.ceil(max(text_width(p) for p in periods) * 1.15 / room) if periods else 1
    for i, p in enumerate(periods):
        if (len(periods) - 1 - i) % max(k, 1):
            continue
        ax.annotate(
            p + ("\nforecast" if kinds.get(p, "actual") != "actual" else ""),
            (i, 0),
            xycoords=("data", "axes fraction"),
            xytext=(0, -6),
            textcoords="offset points",
            ha="center",
            va="top",
            multialignment="center",
            annotation_clip=False,
        )


def _drop_foot_ticks(fig: Figure, ax: Any) -> None:
    """Take away a y tick label that would reach below the axis line, into the year labels
    (once the margins are set, the axes' height in inches is known)."""
    lo, hi = ax.get_ylim()
    height = ax.get_position().height * fig.get_size_inches()[1]
    half = TEXT_SIZE / 72 / 2
    for t in [t for t in ax.texts if t.get_gid() == "ytick"]:
        if (t.xy[1] - lo) / (hi - lo) * height < half:
            t.remove()


def _runs(xy: list[tuple[int, float]]) -> list[list[tuple[int, float]]]:
    """The points in runs of neighbouring positions on the axis (a gap starts a new run)."""
    runs: list[list[tuple[int, float]]] = []
    for point in xy:
        if runs and point[0] == runs[-1][-1][0] + 1:
            runs[-1].append(point)
        else:
            runs.append([point])
    return runs


def _shown(pts: list[Point], v: float, k: str, unit: str | None) -> float:
    """A point's figure as the chart's text shows it: a forecast of a count rounded to a
    whole number (``shown_forecast``, judged by the chart's actual figures)."""
    actual = [value for _, value, kind in pts if kind == "actual"]
    return v if k == "actual" else shown_forecast(v, unit, actual)


def _draw(
    pts: list[Point],
    comps: list[dict[str, Any]],
    target: float | None,
    *,
    unit: str | None,
    target_label: str,
    title: str | None,
    periods: list[str],
) -> Figure:
    """The trend chart's figure: no text inside the plot but the latest value, right of the
    latest point where nothing else is drawn; the key sits below the axes. ``periods``: the
    x axis (the points' periods and earlier comparators' years)."""
    x = {p: i for i, p in enumerate(periods)}
    kinds = {p: k for p, _, k in pts}
    last_p, last_v, last_k = pts[-1]
    last_text = figure(_shown(pts, last_v, last_k, unit), unit, short=True)
    handles: list[dict[str, Any]] = []
    labels: list[str] = []
    with style():
        fig = new_figure()
        ax = fig.axes[0]
        for run in _runs([(x[p], v) for p, v, _ in pts]):  # no line across a missing year
            solid = [xy for xy in run if kinds[periods[xy[0]]] == "actual"]
            if len(solid) > 1:  # only actual figures are joined by a solid line
                ax.plot(*zip(*solid, strict=True), color=AF_DARK_BLUE, zorder=3)
            for a, b in zip(run, run[1:], strict=False):  # into a forecast: dashed
                if kinds[periods[b[0]]] != "actual":
                    ax.plot(*zip(a, b, strict=True), color=AF_DARK_BLUE, ls="--", zorder=3)
        actual = [(x[p], v) for p, v, k in pts if k == "actual"]
        forecast = [(x[p], v) for p, v, k in pts if k != "actual"]
        if actual:
            ax.plot(*zip(*actual, strict=True), ls="none", marker="o", ms=7, color=AF_DARK_BLUE)
            handles.append(dict(color=AF_DARK_BLUE, marker="o", ms=7))
            year_ends = all(parse_period(p).quarter is None for p, _, k in pts if k == "actual")
            labels.append("Year-end figure" if year_ends else "Figure")
        if forecast:
            style_f = dict(marker="o", ms=9, mfc="white", mec=AF_DARK_BLUE, mew=2, ls="none")
            ax.plot(*zip(*forecast, strict=True), zorder=4, **style_f)
            handles.append(dict(style_f, ls="--", color=AF_DARK_BLUE))  # dashed into it
            labels.append("Forecast year-end")
        if target is not None:
            ax.axhline(target, color=AF_DARK_GREY, linestyle="--", linewidth=1.5, zorder=2)
            handles.append(dict(color=AF_DARK_GREY, linestyle="--", linewidth=1.5))
            labels.append(target_label)
        for i, c in enumerate(comps):
            colour = PALETTE[1 + i % (len(PALETTE) - 1)]
            marker = MARKERS[1 + i % (len(MARKERS) - 1)]
            cx, cy, _ = zip(*c["points"], strict=True)
            kw = dict(color=colour, marker=marker, linestyle=":", linewidth=1.5, ms=7)
            ax.plot(cx, cy, zorder=3, **kw)
            handles.append(kw)
            labels.append(c["label"])
        ax.annotate(
            last_text,
            (x[last_p], last_v),
            xytext=(9 if last_k == "actual" else 10, 0),
            textcoords="offset points",
            va="center",
            color=AF_DARK_BLUE,
            annotation_clip=False,
            bbox=dict(facecolor="white", edgecolor="none", pad=1.0),  # over the target line
        )
        _axes_by_hand(ax, pts, comps, target, periods, kinds, unit)
        unit_text = _unit_phrase(unit).capitalize()
        if title:  # by default the page's heading names the chart, not the image
            ax.set_title(title if len(title) <= 50 else title[:47] + "...")
        labels, ncol, col_w = _key_layout(labels, fig.get_size_inches()[0])
        em = TEXT_SIZE / 72
        legend_h = sum(_key_rows(labels, ncol)) * 1.3 * em + 0.15
        fig.set_size_inches(fig.get_size_inches()[0], 2.7 + legend_h)
        fit_margins(
            fig,
            right_extra=text_width(last_text) + 0.05,
            bottom_extra=legend_h,
            top_extra=1.5 * em if unit_text else 0.0,
            xtick_lines=2 if forecast else 1,
            ylabels=[t.get_text() for t in ax.texts if t.get_gid() == "ytick"],
        )
        _drop_foot_ticks(fig, ax)
        if unit_text:  # the unit above the axis, level (afcharts), not turned on its side
            fig.text(0.02, 1 - 0.1 / fig.get_size_inches()[1], unit_text, va="top")
        _key(fig, handles, labels, ncol, col_w, 1.3 * em)
    return fig


def _drawing(
    pts: list[Point], comps: list[dict[str, Any]], target: float | None, **kw: Any
) -> bytes:
    """``render(_draw(...))``, kept in ``_DRAWN`` when the kernel remembers charts."""
    if not os.environ.get("PPRR_REMEMBER_CHARTS"):
        return render(_draw(pts, comps, target, **kw))
    key = repr((pts, comps, target, sorted(kw.items())))
    svg = _DRAWN.get(key)
    if svg is None:
        svg = _DRAWN[key] = render(_draw(pts, comps, target, **kw))
        while len(_DRAWN) > _DRAWN_MAX:
            _DRAWN.popitem(last=False)
    else:
        _DRAWN.move_to_end(key)
    return svg


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
    trend: str | None = None,
    left_out: Iterable[str] = (),
    notes: Mapping[str, str] | None = None,
) -> Chart:
    """A measure's comparable figures across periods with its target (dashed) and comparators.

    ``series_values``: DataFrame with ``period``, ``value`` and optional ``kind`` (forecasts
    are drawn hollow), a Series indexed by period, or (period, value) pairs; pass comparable
    figures only (``comparable_points``). With fewer than ``MIN_POINTS`` there is no image,
    only a sentence. ``comparators``: rows with ``area``, ``period``, ``value``. ``trend``: the
    scorecard's trend sentence, which the caption states (without it, the caption compares
    the latest figure with the one before, as the trend rule does). ``left_out``: sentences
    on figures not plotted; ``notes``: how a forecast point was made, by period.
    """
    pts = points(series_values)
    notes = dict(notes or {})
    prefix = "Illustrative data. " if illustrative else ""
    shown_title = title or name
    left = " ".join(left_out)
    has_target = target is not None and not is_missing(target)

    def fig_text(p: str, v: float, k: str) -> str:
        text = f"{p} {figure(v, unit, short=True)}"
        if k != "actual":
            text = f"{p} forecast year-end {figure(_shown(pts, v, k, unit), unit, short=True)}"
            text += f" ({notes[p]})" if p in notes else ""
        return text

    values_text = "; ".join(fig_text(*pt) for pt in pts)
    if len(pts) < MIN_POINTS:
        n = len(pts)
        count = _NUMBER_WORDS.get(n, str(n))
        text = f"{prefix}Not charted: {count} comparable figure{'s' if n != 1 else ''}"
        text += f" ({values_text})" if pts else ""
        text += f", fewer than the {_NUMBER_WORDS.get(MIN_POINTS, MIN_POINTS)} a trend chart needs"
        text += "; the table gives the figures."
        text += f" {left}" if left else ""
        return Chart(b"", text, text, shown_title)

    comp = comparator_frame(comparators)
    last_p, last_v, last_k = pts[-1]
    own = {p for p, _, _ in pts}
    comp_years = {comparator_x(p, own) for p in comp["period"]}
    last_per = parse_period(last_p)
    periods = years_between(
        sorted(own | {p for p in comp_years if parse_period(p) <= last_per}, key=parse_period)
    )
    x = {p: i for i, p in enumerate(periods)}
    comps = comparator_rows(comp, x, last_p) if not comp.empty else []
    tlabel = target_label or (f"Target {figure(target, unit, short=True)}" if has_target else "")
    svg = _drawing(
        pts,
        comps,
        float(target) if has_target else None,
        unit=unit,
        target_label=tlabel,
        title=title,
        periods=periods,
    )

    kind = "year-end figures" if all(k == "actual" for _, _, k in pts) else "figures"
    parts = [
        f"{prefix}Line chart of {name}"
        + (f" ({_unit_phrase(unit)})" if unit else "")
        + f", {len(pts)} {kind}: {values_text}."
    ]
    if left:
        parts.append(left)
    gaps = [p for p in periods[x[pts[0][0]] : x[last_p]] if p not in own]
    if gaps:
        parts.append(f"No figure for {_listed(gaps)}: the line is broken there.")
    parts.append(trend if trend else _compare(pts[-1], pts[-2], polarity, unit))
    if has_target:
        parts.append(f"Dashed line: {tlabel}.")
    if polarity in ("high", "low"):
        parts.append(f"{'Higher' if polarity == 'high' else 'Lower'} is better.")
    if not comp.empty:
        listing = []
        for a, p, v in zip(comp["area"], comp["period"], comp["value"], strict=True):
            per = parse_period(str(p))
            when = (
                " (older than the latest figure)"
                if per.year_end() < last_per.year_end()
                else " (later than the latest figure; not drawn)"
                if parse_period(comparator_x(p, own)) > last_per
                else ""
            )
            listing.append(f"{a} {per.label} {figure(float(v), unit, short=True)}{when}")
        parts.append(f"Comparators: {'; '.join(listing)}.")
    latest = fig_text(last_p, last_v, last_k).split(" (")[0]
    alt = f"{prefix}Line chart, {name}: {len(pts)} figures from {pts[0][0]} to {latest}"
    alt += f"; {tlabel.lower()}" if has_target else ""
    return Chart(svg, alt + ".", " ".join(parts), shown_title)


def measure_chart(report: Any, code: str) -> Chart:
    """Trend chart of one measure of ``report`` (a ``context.Report``): its comparable figures
    (``comparable_points``: year-ends and the scorecard's forecast year-end), the target the
    scorecard rates it against (``Report.target``) and any comparators; the caption states the
    scorecard's trend sentence."""
    m = report.measure(code)
    sc = report.scorecard
    found = sc[sc["code"] == code]
    row = found.iloc[0].to_dict() if not found.empty else {"value_period": report.period}
    row.setdefault("unit", m.get("unit"))
    pts, left_out, notes = comparable_points(report.history(code), row)
    t = report.target(code)
    target = None
    label = None
    if t and t.get("type") == "numerical" and not is_missing(t.get("value")):
        target = float(t["value"])
        label = f"Target {t['year']}: {figure(target, m.get('unit'), short=True)}"
    trend = row.get("trend_reason")
    return trend_chart(
        pd.DataFrame(pts, columns=["period", "value", "kind"]),
        target,
        report.comparators(code),
        name=f"{m['code']} {m['name']}",
        unit=m.get("unit"),
        polarity=m.get("polarity"),
        target_label=label,
        illustrative=getattr(report, "illustrative", False),
        trend=None if is_missing(trend) or not trend else str(trend),
        left_out=left_out,
        notes=notes,
    )
