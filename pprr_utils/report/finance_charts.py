"""The finance charts: the cash limit's waterfall and the forecast variance by area.

Figures are ``formats.money`` in the chart's unit, surpluses and reductions in brackets.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from ..dataset.formats import money
from .charts import (
    AF_DARK_BLUE,
    AF_DARK_GREY,
    AF_DARK_PINK,
    AF_TURQUOISE,
    Chart,
    fit_margins,
    new_figure,
    render,
    style,
    text_width,
    wrap,
)

_KINDS = {"start": "total", "end": "total", "increase": "change", "decrease": "change"}


def _steps(steps: Any) -> list[tuple[str, float, str]]:
    """(label, amount, 'total'|'change'); also reads ``finance.cash_limit_waterfall`` frames
    (``value`` and start/increase/decrease/end kinds)."""
    if isinstance(steps, pd.DataFrame):
        kinds = steps["kind"] if "kind" in steps else ["change"] * len(steps)
        kinds = [_KINDS.get(str(k), str(k)) for k in kinds]
        amounts = steps["amount"] if "amount" in steps else steps["value"]
        rows = zip(steps["label"], amounts, kinds, strict=True)
    else:
        rows = (
            (s["label"], s["amount"], s.get("kind", "change")) if isinstance(s, Mapping) else s
            for s in steps
        )
    return [(str(lbl), float(a), str(k)) for lbl, a, k in rows]


#: Row height of the horizontal bar charts, inches: the step's name above its bar.
_ROW = 0.72
_BAR = 0.32  # bar height as a fraction of a row


def _bars_figure(names: list[str], title: str) -> tuple[Figure, list[str], list[float], str, float]:
    """A figure for horizontal bars with each bar's name above it (never cut at the side,
    readable on a phone): the figure, the wrapped names, each bar's y (a name of two lines
    takes more room), the wrapped title and its height."""
    fig = new_figure()
    width = fig.get_size_inches()[0] - 0.25
    shown = [wrap(n, width) for n in names]
    extra = sum(0.2 for n in shown if "\n" in n)
    ys, y = [], 0.0
    for n in reversed(shown):
        ys.insert(0, y)
        y += 1 + (0.2 / _ROW if "\n" in n else 0.0)
    head = wrap(title, width, size=13, weight="bold")  # measured as drawn, in bold
    head_h = (head.count("\n") + 1) * 0.24 + 0.12
    fig.set_size_inches(fig.get_size_inches()[0], _ROW * len(names) + extra + head_h + 0.75)
    return fig, shown, ys, head, head_h


def _place_names(
    fig: Figure, ax: Any, shown: list[str], ys: list[float], head: str, head_h: float
) -> None:
    """Margins, the title and each bar's name above its bar (axes-left, data-y)."""
    fit_margins(fig, top_extra=head_h, show_yticklabels=False)
    fig.subplots_adjust(left=0.1 / fig.get_size_inches()[0])
    ax.set_yticks([])
    top = ys[0] + (0.2 / _ROW if "\n" in shown[0] else 0.0)
    ax.set_ylim(-0.5 - _BAR / 2, top + 0.6)
    for y, name in zip(ys, shown, strict=True):
        ax.annotate(
            name,
            (0, y + _BAR / 2),
            xycoords=("axes fraction", "data"),
            xytext=(0, 3),
            textcoords="offset points",
            va="bottom",
            annotation_clip=False,
            bbox=dict(facecolor="white", edgecolor="none", pad=1.0),
            zorder=4,
        )
    fig.text(
        0.1 / fig.get_size_inches()[0],
        1 - 0.1 / fig.get_size_inches()[1],
        head,
        va="top",
        fontsize=13,
        fontweight="bold",
    )


def _right_limit(ends: list[tuple[float, str]], lo: float, axes_width: float) -> float:
    """The axis' right end so each label (value end, text) fits right of its bar."""
    hi = max(e for e, _ in ends)
    for end, text in ends:
        k = (text_width(text) + 0.12) / axes_width
        hi = max(hi, (end - k * lo) / (1 - k) if k < 0.9 else end)
    return hi


def _break_marks(ax: Any, rows: list[tuple[str, float, str]], ys: list[float], base: float) -> None:
    """A white double slash across each total bar near the axis' start, and a "//" on the
    axis line, to show the bars and the axis are broken (they do not start at zero)."""
    lo, hi = ax.get_xlim()
    at = base + 0.03 * (hi - lo)
    trans = ax.get_xaxis_transform()
    for i, (_, _, kind) in enumerate(rows):
        if kind != "total":
            continue
        y = ys[i]
        for dx in (0.0, 0.012 * (hi - lo)):
            ax.plot(
                [at + dx - 0.006 * (hi - lo), at + dx + 0.006 * (hi - lo)],
                [y - _BAR / 2 - 0.05, y + _BAR / 2 + 0.05],
                color="white",
                linewidth=3,
                solid_capstyle="butt",
                zorder=5,
            )
    ax.text(
        at,
        0,
        "//",
        transform=trans,
        ha="center",
        va="center",
        color=AF_DARK_GREY,
        fontweight="bold",
        backgroundcolor="white",
        zorder=6,
        clip_on=False,
    )


def waterfall_chart(
    steps: Any,
    *,
    title: str = "Budget changes",
    unit: str = "£000",
    illustrative: bool = False,
) -> Chart:
    """Waterfall: ``total`` steps are bars from zero, ``change`` steps float from the running total.

    ``steps``: DataFrame or rows with ``label``, ``amount``, ``kind`` ('total' or 'change').
    Increases and reductions differ by hatching and by their bracketed labels, not colour alone.
    When the changes are too small to see against the totals the axis is broken: it starts
    near the smallest level, the total bars carry a break mark, and the axis label and the
    caption say so.
    """
    rows = _steps(steps)
    prefix = "Illustrative data. " if illustrative else ""
    if not rows:
        text = f"{prefix}No budget figures are available to chart."
        return Chart(b"", text, text, title)
    levels, running = [], 0.0
    for _, amount, kind in rows:
        running = amount if kind == "total" else running + amount
        levels.append(running)
    moves = max(levels) - min(levels)
    zoom = min(levels) > 0 and moves < 0.2 * min(levels)
    base = 0.0
    if zoom:
        ticks = MaxNLocator(4).tick_values(min(levels) - max(moves * 0.8, 1.0), max(levels))
        base = float(max(t for t in ticks if t <= min(levels) - max(moves * 0.3, 0.5)))
    fig, shown, ys, head, head_h = _bars_figure([lbl for lbl, _, _ in rows], title)
    ax = fig.axes[0]
    running = 0.0
    ends = []
    with style():
        ax.grid(axis="x")
        ax.grid(axis="y", visible=False)
        for i, (_label, amount, kind) in enumerate(rows):
            y = ys[i]
            if kind == "total":
                left, width, colour, hatch = base, amount - base, AF_DARK_BLUE, None
                running = amount
            else:
                left = running if amount >= 0 else running + amount
                width = abs(amount)
                colour, hatch = (AF_DARK_PINK, None) if amount >= 0 else (AF_TURQUOISE, "//")
                running += amount
            ax.barh(y, width, left=left, color=colour, hatch=hatch, edgecolor="white", height=_BAR)
            sign = "+" if kind != "total" and amount > 0 else ""
            text = sign + money(amount, unit)
            ends.append((left + width, text))
            ax.annotate(
                text, (left + width, y), xytext=(4, 0), textcoords="offset points", va="center"
            )
        broken = f"{unit}, axis broken: starts at {money(base, unit)}, not zero"
        ax.set_xlabel(broken if zoom else unit)
        _place_names(fig, ax, shown, ys, head, head_h)
        pos = ax.get_position()
        axes_width = pos.width * fig.get_size_inches()[0]
        ax.set_xlim(base, _right_limit(ends, base, axes_width))
        ax.xaxis.set_major_locator(MaxNLocator(4))
        near = base + 0.1 * (ax.get_xlim()[1] - base)  # no tick label over the break mark
        ax.xaxis.set_major_formatter(lambda v, _: "" if zoom and v < near else f"{v:,.0f}")
        if zoom:
            _break_marks(ax, rows, ys, base)
    svg = render(fig)
    totals = [(lbl, a) for lbl, a, k in rows if k == "total"]
    changes = [(lbl, a) for lbl, a, k in rows if k != "total"]
    ups = sum(a for _, a in changes if a > 0)
    downs = sum(a for _, a in changes if a < 0)
    parts = [f"{prefix}Waterfall chart ({unit})."]
    if zoom:
        parts.append(
            f"The axis is broken: it starts at {money(base, unit)}, not zero, so that the "
            "changes can be seen; the total bars are cut short and marked with a break."
        )
    if totals:
        parts.append(
            f"Starts at {totals[0][0]} {money(totals[0][1], unit)}"
            + (
                f" and ends at {totals[-1][0]} {money(totals[-1][1], unit)}."
                if len(totals) > 1
                else "."
            )
        )
    parts.append(
        f"{len(changes)} changes: increases {money(ups, unit)}, reductions {money(downs, unit)}."
    )
    if changes:
        parts.append("Steps: " + "; ".join(f"{lbl} {money(a, unit)}" for lbl, a in changes) + ".")
    alt = f"{prefix}{title}: " + (
        f"{money(totals[0][1], unit)} to {money(totals[-1][1], unit)} {unit}"
        if len(totals) > 1
        else f"{len(changes)} changes"
    )
    return Chart(svg, alt + ".", " ".join(parts), title)


def variance_chart(
    areas: pd.DataFrame | Sequence[tuple[str, float]],
    *,
    title: str = "Forecast variance by area",
    unit: str = "£000",
    illustrative: bool = False,
) -> Chart:
    """Horizontal bars of forecast variance by area: deficits right, surpluses (brackets) left.

    ``areas``: DataFrame with ``area`` (or ``line``) and ``variance`` columns (e.g.
    ``finance.outturn``), or (area, variance) pairs.
    """
    if isinstance(areas, pd.DataFrame):
        if "row_type" in areas:  # finance.outturn: leave out subtotal and total rows
            areas = areas[areas["row_type"] == "item"]
        names = areas["area"] if "area" in areas else areas["line"]
        rows = [(str(a), float(v)) for a, v in zip(names, areas["variance"], strict=True)]
    else:
        rows = [(str(a), float(v)) for a, v in areas]
    prefix = "Illustrative data. " if illustrative else ""
    if not rows:
        text = f"{prefix}No variance figures are available to chart."
        return Chart(b"", text, text, title)
    fig, shown, ys, head, head_h = _bars_figure([a for a, _ in rows], title)
    ax = fig.axes[0]
    with style():
        ax.grid(axis="x")
        ax.grid(axis="y", visible=False)
        texts = []
        for i, (_area, v) in enumerate(rows):
            y = ys[i]
            colour, hatch = (AF_DARK_PINK, None) if v > 0 else (AF_TURQUOISE, "//")
            ax.barh(y, v, color=colour, hatch=hatch, edgecolor="white", height=_BAR)
            text = money(v, unit) + (" deficit" if v > 0 else " surplus" if v < 0 else "")
            texts.append(text)
            ax.annotate(
                text,
                (v, y),
                xytext=(4 if v >= 0 else -4, 0),
                textcoords="offset points",
                va="center",
                ha="left" if v >= 0 else "right",
            )
        ax.axvline(0, color=AF_DARK_GREY, linewidth=1)
        ax.set_xlabel(f"Variance, {unit} (surplus in brackets)")
        _place_names(fig, ax, shown, ys, head, head_h)
        axes_width = ax.get_position().width * fig.get_size_inches()[0]
        lo = min(0.0, *(v for _, v in rows))
        hi = max(0.0, *(v for _, v in rows))
        # room for the widest label on each side: label inches as a share of the axes
        left_w = max(
            [text_width(t) + 0.12 for (_, v), t in zip(rows, texts, strict=True) if v < 0] or [0]
        )
        right_w = max(
            [text_width(t) + 0.12 for (_, v), t in zip(rows, texts, strict=True) if v >= 0] or [0]
        )
        share = min(0.8, (left_w + right_w) / axes_width)
        span = (hi - lo or 1.0) / (1 - share)
        ax.set_xlim(lo - span * left_w / axes_width, hi + span * right_w / axes_width)
        ax.xaxis.set_major_locator(MaxNLocator(4))
        ax.xaxis.set_major_formatter(lambda v, _: f"{v:,.0f}" if abs(v) >= 10 else f"{v:,.3g}")
    svg = render(fig)
    total = sum(v for _, v in rows)
    worst = max(rows, key=lambda r: r[1])
    listing = "; ".join(
        f"{a} {money(v, unit)} " + ("deficit" if v > 0 else "surplus" if v < 0 else "on budget")
        for a, v in rows
    )
    desc = (
        f"{prefix}Bar chart of forecast variance by area ({unit}; positive is a deficit, "
        f"brackets a surplus): {listing}. Net {money(total, unit)}."
    )
    if worst[1] > 0:
        desc += f" The largest deficit is {worst[0]}."
    alt = f"{prefix}{title}: net {money(total, unit)} {unit} across {len(rows)} areas."
    return Chart(svg, alt, desc, title)
