"""The finance charts: the cash limit's waterfall and the forecast variance by area.

Figures are ``formats.money`` in the chart's unit, surpluses and reductions in brackets.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

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
    """
    rows = _steps(steps)
    prefix = "Illustrative data. " if illustrative else ""
    if not rows:
        text = f"{prefix}No budget figures are available to chart."
        return Chart(b"", text, text, title)
    fig = new_figure(7.0, 0.6 * len(rows) + 1.4)
    ax = fig.axes[0]
    levels, running = [], 0.0
    for _, amount, kind in rows:
        running = amount if kind == "total" else running + amount
        levels.append(running)
    span = max(levels) - min(min(levels), 0.0)
    moves = max(levels) - min(levels)
    zoom = min(levels) > 0 and moves < 0.2 * min(levels)
    base = min(levels) - max(moves * 0.6, 1.0) if zoom else 0.0
    running = 0.0
    with style():
        ax.grid(axis="x")
        ax.grid(axis="y", visible=False)
        labels = []
        for i, (label, amount, kind) in enumerate(rows):
            y = len(rows) - 1 - i
            if kind == "total":
                left, width, colour, hatch = base, amount - base, AF_DARK_BLUE, None
                running = amount
            else:
                left = running if amount >= 0 else running + amount
                width = abs(amount)
                colour, hatch = (AF_DARK_PINK, None) if amount >= 0 else (AF_TURQUOISE, "//")
                running += amount
            ax.barh(y, width, left=left, color=colour, hatch=hatch, edgecolor="white", height=0.6)
            sign = "+" if kind != "total" and amount > 0 else ""
            ax.annotate(
                sign + money(amount, unit),
                (left + width, y),
                xytext=(4, 0),
                textcoords="offset points",
                va="center",
                fontsize=10,
            )
            labels.append(label if len(label) <= 40 else label[:37] + "...")
        ax.set_yticks(range(len(rows)), list(reversed(labels)))
        hi = max(levels) + (moves if zoom else span) * 0.25 + 1.0
        ax.set_xlim(base, hi)
        ax.set_xlabel(unit + (" (axis does not start at zero)" if zoom else ""))
        ax.xaxis.set_major_formatter(lambda v, _: f"{v:,.0f}")
        ax.set_title(title)
        fit_margins(fig)
    svg = render(fig)
    totals = [(lbl, a) for lbl, a, k in rows if k == "total"]
    changes = [(lbl, a) for lbl, a, k in rows if k != "total"]
    ups = sum(a for _, a in changes if a > 0)
    downs = sum(a for _, a in changes if a < 0)
    parts = [f"{prefix}Waterfall chart ({unit})."]
    if zoom:
        parts.append(f"The axis starts at {money(base, unit)}, not zero, to show the changes.")
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
    fig = new_figure(7.0, 0.6 * len(rows) + 1.4)
    ax = fig.axes[0]
    with style():
        ax.grid(axis="x")
        ax.grid(axis="y", visible=False)
        for i, (_area, v) in enumerate(rows):
            y = len(rows) - 1 - i
            colour, hatch = (AF_DARK_PINK, None) if v > 0 else (AF_TURQUOISE, "//")
            ax.barh(y, v, color=colour, hatch=hatch, edgecolor="white", height=0.6)
            ax.annotate(
                money(v, unit) + (" deficit" if v > 0 else " surplus" if v < 0 else ""),
                (v, y),
                xytext=(4 if v >= 0 else -4, 0),
                textcoords="offset points",
                va="center",
                ha="left" if v >= 0 else "right",
                fontsize=10,
            )
        ax.axvline(0, color=AF_DARK_GREY, linewidth=1)
        ax.set_yticks(range(len(rows)), [a for a, _ in reversed(rows)])
        lo = min(0.0, *(v for _, v in rows))
        hi = max(0.0, *(v for _, v in rows))
        pad = (hi - lo or 1) * 0.45
        ax.set_xlim(lo - pad, hi + pad)
        ax.set_xlabel(f"Variance, {unit} (surplus in brackets)")
        ax.set_title(title)
        fit_margins(fig)
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
