"""The house chart style (the Analysis Function's afcharts) and ``Chart``, what every chart is.

Every chart is a ``Chart``: deterministic SVG bytes plus a short ``alt`` text and a longer
``description`` generated from the data. In a notebook a ``Chart`` displays as an HTML
``<figure>`` with the image embedded (base64), ``alt`` on the image and the description in
the ``<figcaption>``, so the exported page carries the text with the picture. The charts
themselves are in ``measure_charts`` (a measure's trend) and ``finance_charts``.
"""

from __future__ import annotations

import base64
import html
import io
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import matplotlib
from matplotlib.figure import Figure

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
    "xtick.labelsize": 12,
    "ytick.labelsize": 12,
    "legend.fontsize": 12,
    "axes.labelsize": 12,
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
    "svg.fonttype": "none",  # text kept as text: half the bytes, selectable, cheaper to save
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


def _text_width(texts: list[str], size: float) -> float:
    """Width in inches of the widest of ``texts`` in the house font at ``size`` points."""
    return max((_width(t, size) for t in texts if t), default=0.0)


@lru_cache(maxsize=4096)
def _width(text: str, size: float, weight: str = "normal") -> float:
    """Width in inches of one text (cached: measuring lays the text out with FreeType)."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import text_to_path

    prop = FontProperties(family="sans-serif", size=size, weight=weight)
    w, _, _ = text_to_path.get_text_width_height_descent(text, prop, ismath=False)
    return w / 72


#: Figure width in inches. With 12 pt text the image's text stays at 11 CSS px or more when a
#: 375 px phone shows it about 340 px wide (12 pt = 16 px at its natural 461 px width).
FIG_WIDTH = 4.8
#: The smallest text size in the charts, points (see FIG_WIDTH).
TEXT_SIZE = 12


def fit_margins(
    fig: Figure,
    *,
    pad: float = 0.1,
    right_extra: float = 0.0,
    bottom_extra: float = 0.0,
    top_extra: float = 0.0,
    xtick_lines: int = 1,
    show_yticklabels: bool = True,
    ylabels: list[str] | None = None,
) -> None:
    """Set fixed margins for the figure's axes from its tick labels, axis labels and title.

    Does what ``tight_layout`` does for these one-axes charts at a fraction of the cost: the
    widths of the y tick labels are measured from the font (no drawing, and no tick objects
    made to read them), heights are in ems. ``right_extra`` and ``bottom_extra`` (inches) leave
    room for a label right of the plot and a legend below it, ``top_extra`` for a unit above. Call it inside ``style()`` once
    the axes are complete. ``ylabels``: the y tick labels, when drawn by hand.
    """
    import matplotlib as mpl

    ax = fig.axes[0]
    width, height = fig.get_size_inches()
    size = float(mpl.rcParams["font.size"])
    labels: list[str] = list(ylabels or [])
    if show_yticklabels and ylabels is None:
        ylo, yhi = sorted(ax.get_ylim())
        ticks = [t for t in ax.yaxis.get_majorticklocs() if ylo - 1e-9 <= t <= yhi + 1e-9]
        labels = list(ax.yaxis.get_major_formatter().format_ticks(ticks))
    em = size / 72
    tick_gap = 7 / 72  # tick length and padding
    left = pad + _text_width(labels, size) + tick_gap
    if ax.get_ylabel():
        left += 1.4 * em
    bottom = pad + (1.25 * xtick_lines + 0.1) * em + tick_gap + bottom_extra
    if ax.get_xlabel():
        bottom += 1.4 * em
    top = (
        pad
        + top_extra
        + (1.6 * mpl.rcParams["axes.titlesize"] / 72 if ax.get_title(loc="left") else 0.1)
    )
    right = pad + 0.1 + right_extra
    fig.subplots_adjust(
        left=min(left / width, 0.6),
        right=1 - right / width,
        bottom=min(bottom / height, 0.6),
        top=1 - min(top / height, 0.3),
    )


def text_width(text: str, size: float = TEXT_SIZE) -> float:
    """Width in inches of ``text`` in the house font at ``size`` points."""
    return _text_width([text], size)


def wrap(
    text: str, width: float, *, size: float = TEXT_SIZE, lines: int = 2, weight: str = "normal"
) -> str:
    """``text`` broken into at most ``lines`` lines no wider than ``width`` inches (the last
    shortened with "..." when it still does not fit). Lines are measured word by word, in
    the font ``weight`` they are drawn in (bold is wider)."""
    space = _width("a b", size, weight) - _width("ab", size, weight)
    out: list[list[str]] = [[]]
    used = 0.0
    for w in text.split():
        ww = _width(w, size, weight)
        if not out[-1] or used + space + ww <= width or len(out) == lines:
            used += (space if out[-1] else 0.0) + ww
            out[-1].append(w)
        else:
            out.append([w])
            used = ww
    last = " ".join(out[-1])
    if _width(last, size, weight) > width:
        while len(last) > 4 and _width(last + "...", size, weight) > width:
            last = last[: last.rstrip().rfind(" ")] if " " in last.strip() else last[:-1]
        last = last.rstrip() + "..."
    return "\n".join([" ".join(x) for x in out[:-1]] + [last])


def new_figure(width: float = FIG_WIDTH, height: float = 3.2) -> Figure:
    """A figure outside pyplot (not auto-displayed, nothing to close) in the house style."""
    with style():
        fig = Figure(figsize=(width, height), dpi=100)
        fig.add_subplot(1, 1, 1)
    return fig
