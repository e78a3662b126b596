"""HTML building blocks of the pages: ``Html``, escaping, headings, paragraphs, tables.

Every function returns ``Html`` (a ``str`` that notebooks display as HTML). All text that
comes from data passes through ``esc`` (``html.escape``), so markup in a commentary shows as
text. Nothing is loaded from the internet: the page's styles are the inline ``CSS`` emitted
once by ``page.page_header``.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable, Sequence

import pandas as pd

from ..dataset.formats import is_blank
from .reflow import REFLOW_CSS, label_cells


class Html(str):
    """A fragment of HTML; displays as HTML in Jupyter, compares and concatenates as ``str``."""

    def _repr_html_(self) -> str:
        return str(self)

    def __add__(self, other: str) -> Html:
        return Html(str(self) + str(other))


def esc(value: object) -> str:
    """Escape any value for HTML text or attributes; missing values become ''."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    return html.escape(str(value), quote=True)


def join(*parts: str) -> Html:
    """Concatenate fragments into one ``Html``."""
    return Html("".join(str(p) for p in parts))


def slug(text: str) -> str:
    """An id-safe slug: lower case letters, digits and hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-") or "section"


#: GOV.UK Design System tag colours: dark text on a tint of the same hue (contrast >= 6:1).
CSS = (
    """
.pprr{font-family:Arial,"Helvetica Neue",Helvetica,"DejaVu Sans",sans-serif;color:#0b0c0c;
line-height:1.45;max-width:60rem}
.pprr-subtitle{font-size:1.1rem;margin-top:0}
.pprr-note{border-left:5px solid #505a5f;padding:.4rem .8rem;background:#f3f2f1}
.pprr-table-wrap{overflow-x:auto;margin:0 0 1.5rem 0}
.pprr-table-wrap:focus{outline:3px solid #ffdd00}
table.pprr-table{border-collapse:collapse;width:100%;font-size:.95rem}
table.pprr-table caption{text-align:left;font-weight:bold;padding:.3rem 0}
table.pprr-table th,table.pprr-table td{border-bottom:1px solid #b1b4b6;padding:.35rem .5rem;
text-align:left;vertical-align:top}
table.pprr-table thead th{border-bottom:2px solid #0b0c0c}
table.pprr-table td.num{text-align:right;white-space:nowrap}
table.pprr-table th.pprr-wide{min-width:16rem}
table.pprr-table tr.pprr-subtotal>*,table.pprr-table tr.pprr-total>*{font-weight:bold}
table.pprr-table tr.pprr-total>*{border-top:2px solid #0b0c0c}
.pprr-tag{display:inline-block;padding:.05rem .4rem;border:1px solid currentColor;
border-radius:.2rem;font-weight:bold;white-space:nowrap}
.pprr-red{background:#f6d7d2;color:#942514}
.pprr-amber{background:#fff7bf;color:#594d00}
.pprr-green{background:#cce2d8;color:#005a30}
.pprr-none{background:#eeefef;color:#383f43}
.pprr-reason{display:block;font-size:.85rem;color:#383f43}
.pprr-flag{font-size:.8rem;font-weight:bold;color:#383f43}
.pprr-counts{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;font-size:1.1rem}
figure.pprr-chart{margin:0 0 1.5rem 0}
figure.pprr-chart img{max-width:100%;height:auto}
figure.pprr-chart figcaption{font-size:.9rem;color:#383f43}
""".strip()
    + "\n"
    + REFLOW_CSS
)


def stylesheet() -> Html:
    """The page's inline ``<style>`` block (emit once per page; ``page_header`` does)."""
    return Html(f"<style>{CSS}</style>")


def heading(text: str, level: int = 2, *, anchor: str | None = None) -> Html:
    """``<hN>`` with escaped text and an optional id."""
    if not 1 <= int(level) <= 6:
        raise ValueError(f"heading level must be 1 to 6, not {level}")
    ident = f' id="{esc(anchor)}"' if anchor else ""
    return Html(f"<h{level}{ident}>{esc(text)}</h{level}>")


def paragraphs(texts: Iterable[object] | object, *, cls: str | None = None) -> Html:
    """Each text (split on blank lines) as an escaped ``<p>``; empty texts are dropped."""
    if isinstance(texts, str) or not isinstance(texts, Iterable):
        texts = [texts]
    attr = f' class="{esc(cls)}"' if cls else ""
    out = []
    for t in texts:
        if is_blank(t):
            continue
        for para in re.split(r"\n\s*\n", str(t)):
            if para.strip():
                out.append(f"<p{attr}>{esc(para.strip())}</p>")
    return Html("".join(out))


def note(text: str) -> Html:
    """A highlighted note paragraph (escaped)."""
    return Html(f'<p class="pprr-note">{esc(text)}</p>')


def table(
    frame: pd.DataFrame,
    caption: str,
    *,
    row_header: str | None = None,
    numeric: Sequence[str] = (),
    raw: Sequence[str] = (),
    row_types: Sequence[object] | None = None,
) -> Html:
    """A captioned table: ``<th scope=col>`` headers, the ``row_header`` column as
    ``<th scope=row>``. Cells are escaped except the columns named in ``raw`` (already HTML
    built by this module). ``row_types`` (one per row: item, subtotal, total, ...) marks
    subtotal and total rows ``<tr class="pprr-subtotal">`` / ``"pprr-total"`` (bold, and a
    rule above a total)."""
    head = "".join(f'<th scope="col">{esc(c)}</th>' for c in frame.columns)
    if row_types is None:
        row_types = [None] * len(frame)
    elif len(row_types) != len(frame):
        raise ValueError(f"row_types has {len(row_types)} entries for {len(frame)} rows")
    body = []
    for (_, row), kind in zip(frame.iterrows(), row_types, strict=True):
        cells = []
        for c in frame.columns:
            v = row[c]
            text = str(v) if c in raw else esc(v)
            cls = ' class="num"' if c in numeric else ""
            if c == row_header:
                cells.append(f'<th scope="row"{cls}>{text}</th>')
            else:
                cells.append(f"<td{cls}>{text}</td>")
        tr = f'<tr class="pprr-{kind}">' if kind in ("subtotal", "total") else "<tr>"
        body.append(tr + "".join(cells) + "</tr>")
    return region(
        f'<table class="pprr-table"><caption>{esc(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>",
        caption,
    )


def region(table_html: str, label: str) -> Html:
    """Focusable and labelled so keyboards can scroll it; its body cells carry their column
    headers (``reflow.label_cells``) so narrow screens show each row as a card."""
    return Html(
        f'<div class="pprr-table-wrap" role="region" tabindex="0" aria-label="{esc(label)}">'
        f"{label_cells(table_html)}</div>"
    )
