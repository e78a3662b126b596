"""The house chart style (the Analysis Function's afcharts), trend/waterfall/variance charts.

Every chart is a ``Chart``: deterministic SVG bytes plus a short ``alt`` text and a longer
``description`` generated from the data. In a notebook a ``Chart`` displays as an HTML
``<figure>`` with the image embedded (base64), ``alt`` on the image and the description in
the ``<figcaption>``, so the exported page carries the text with the picture.
"""

from __future__ import annotations

import base64
import html
import io
import math
from collections.abc import Iterable, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib
import pandas as pd
from matplotlib.figure import Figure

from ..dataset.formats import figure, is_missing, money
from ..dataset.periods import parse_period

#: Analysis Function categorical palette, in the order afcharts uses it (each >= 3:1 on white).
AF_DARK_BLUE = "#12436D"
AF_TURQUOISE = "#28A197"
AF_DARK_PINK = "#801650"
AF_ORANGE = "#F46A25"
AF_DARK_GREY = "#3D3D3D"
PALETTE: tuple[str, ...] = (AF_DARK_BLUE, AF_DARK_PINK, AF_TURQUOISE, AF_ORANGE, AF_DARK_GREY)
#: Marker shapes paired with the palette so series differ by shape as well as colour.
MARKERS: tuple[str, ...] = ("o", "s", "^", "D", "v")
TEXT_COLOUR = "#1A1A1A"

_AFCHARTS_STYLE: dict[str, Any] = {
    # afcharts.mplstyle (best-practice-and-impact/afcharts-py), fonts pinned to one that ships
    # with matplotlib so output does not depend on the machine's fonts (no web fonts).
    "font.size": 12,
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "text.color": TEXT_COLOUR,
    "axes.titlelocation": "left",
    "axes.titlesize": 13,
    "axes.edgecolor": (0.8, 0.8, 0.8),
    "axes.labelcolor": TEXT_COLOUR,
    "axes.linewidth": 1,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.spines.bottom": True,
    "axes.spines.left": False,
    "axes.axisbelow": True,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "axes.grid.which": "major",
    "grid.color": "0.8",
    "grid.linestyle": "-",
    "grid.linewidth": 0.6,
    "lines.linewidth": 2,
    "xtick.color": (0.8, 0.8, 0.8),
    "xtick.labelcolor": TEXT_COLOUR,
    "xtick.direction": "out",
    "ytick.color": (0.8, 0.8, 0.8),
    "ytick.labelcolor": TEXT_COLOUR,
    "ytick.direction": "out",
    "legend.frameon": False,
    # determinism
    "svg.hashsalt": "pprr",
    "svg.fonttype": "path",
    "path.simplify": True,
}


def contrast_ratio(a: str, b: str = "#FFFFFF") -> float:
    """WCAG contrast ratio of two ``#RRGGBB`` colours."""

    def lum(hex_colour: str) -> float:
        h = hex_colour.lstrip("#")
        rgb = [int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted([lum(a), lum(b)], reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def text_colour(colour: str) -> str:
    """``colour`` for text labels when it has 4.5:1 contrast on white, else the text colour."""
    return colour if contrast_ratio(colour) >= 4.5 else TEXT_COLOUR


def house_style() -> dict[str, Any]:
    """The rcParams of the house style (afcharts, DejaVu Sans, deterministic SVG)."""
    style = dict(_AFCHARTS_STYLE)
    style["axes.prop_cycle"] = matplotlib.cycler(color=list(PALETTE))
    if "svg.id" in matplotlib.rcParams:
        style["svg.id"] = "pprr"
    return style


@contextmanager
def style():
    """Apply the house style within a ``with`` block (restores rcParams afterwards)."""
    with matplotlib.rc_context(house_style()):
        yield


@dataclass(frozen=True)
class Chart:
    """A rendered chart: SVG bytes, short alt text and a longer description from the data."""

    svg: bytes
    alt: str
    description: str
    title: str = ""

    @property
    def data_uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg).decode("ascii")

    def to_html(self) -> str:
        """``<figure>`` with the embedded image (alt text) and the description as caption."""
        if not self.svg:
            return f'<p class="pprr-nochart">{html.escape(self.description)}</p>'
        return (
            '<figure class="pprr-chart">'
            f'<img src="{self.data_uri}" alt="{html.escape(self.alt, quote=True)}">'
            f"<figcaption>{html.escape(self.description)}</figcaption></figure>"
        )

    def _repr_html_(self) -> str:
        return self.to_html()

    def save(self, path: str | Path) -> Path:
        """Write the SVG to ``path``."""
        p = Path(path)
        p.write_bytes(self.svg)
        return p


def render(fig: Figure) -> bytes:
    """Deterministic SVG bytes: fixed hash salt and ids, no date, fixed creator."""
    buf = io.BytesIO()
    with style():
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": "pprr"})
    return buf.getvalue()


def new_figure(width: float = 7.0, height: float = 3.8) -> Figure:
    """A figure outside pyplot (not auto-displayed, nothing to close) in the house style."""
    with style():
        fig = Figure(figsize=(width, height), dpi=100)
        fig.add_subplot(1, 1, 1)
    return fig


# ---------------------------------------------------------------- trend chart
# Figures are ``formats.figure(..., short=True)``: the unit is named on the axis.


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
        fig.tight_layout()
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


# ---------------------------------------------------------------- finance charts


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
        fig.tight_layout()
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
        fig.tight_layout()
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
