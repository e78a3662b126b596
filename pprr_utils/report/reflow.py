"""Tables that fit every screen and A4 paper (WCAG 1.4.10 reflow), with CSS only.

Below ``CARD_BREAKPOINT`` every ``pprr-table`` becomes one stacked card per row: each cell
shows its column header before it (``td::before{content:attr(data-label)}``), and the code,
name, status and trend come first. :func:`label_cells` gives every body cell its column's
header as ``data-label``; :data:`REFLOW_CSS` holds the screen and print rules. Pages stay
script-free.
"""

from __future__ import annotations

import html
import re

#: below this width a table is shown as cards (one per row)
CARD_BREAKPOINT = "50rem"

_ROW = re.compile(r"<tr\b[^>]*>(.*?)</tr>", re.S)
_CELL = re.compile(r"<(t[dh])\b([^>]*)>", re.S)
_HEAD_CELL = re.compile(r"<th\b([^>]*)>(.*?)</th>", re.S)
_HIDDEN = re.compile(r'<(\w+)[^>]*aria-hidden="true"[^>]*>.*?</\1>', re.S)
_TAG = re.compile(r"<[^>]+>")
_SPAN = re.compile(r'colspan="(\d+)"')
_BODY = re.compile(r"(<tbody\b[^>]*>)(.*?)</tbody>", re.S)


def _text(cell_html: str) -> str:
    """The visible words of a header cell: markup and aria-hidden symbols dropped."""
    words = _TAG.sub("", _HIDDEN.sub("", cell_html))
    return " ".join(html.unescape(words).split())


def _row_labels(row: str) -> list[tuple[int, str]]:
    """A header row's (cell number, label) for each column it spans (a ``colspan`` repeats
    its cell; an empty ``<td>`` keeps its place with "")."""
    labels: list[tuple[int, str]] = []
    for n, m in enumerate(re.finditer(r"<(t[dh])\b([^>]*)>(.*?)</\1>", row, re.S)):
        span = _SPAN.search(m.group(2))
        labels += [(n, _text(m.group(3)) if m.group(1) == "th" else "")] * int(
            span.group(1) if span else 1
        )
    return labels


def column_labels(table_html: str) -> list[str]:
    """The column headers of a table's last header row; a header the row repeats (the
    status's "Not rated" and the trend's) is prefixed with its group from the row above
    ("Trend (direction of travel): Not rated"), so a card never shows two alike. An empty
    list when the table has no ``<thead>``."""
    head = re.search(r"<thead>(.*?)</thead>", table_html, re.S)
    if not head:
        return []
    rows = _ROW.findall(head.group(1))
    if not rows:
        return []
    cells = _row_labels(rows[-1])
    groups = [t for _, t in _row_labels(rows[-2])] if len(rows) > 1 else []
    distinct = set(cells)  # one entry per header cell, however many columns it spans
    repeated = {t for _, t in distinct if t and sum(u == t for _, u in distinct) > 1}
    return [
        f"{groups[i]}: {t}" if t in repeated and i < len(groups) and groups[i] else t
        for i, (_, t) in enumerate(cells)
    ]


def label_cells(table_html: str) -> str:
    """``table_html`` with ``data-label="<column header>"`` on every cell of its body rows
    (cells that already carry one are left alone). Pure; the table's text is unchanged."""
    labels = column_labels(table_html)
    if not labels or not _BODY.search(table_html):
        return table_html

    def one_row(row: re.Match[str]) -> str:
        i = 0

        def one_cell(cell: re.Match[str]) -> str:
            nonlocal i
            tag, attrs = cell.group(1), cell.group(2)
            label = labels[i] if i < len(labels) else ""
            span = _SPAN.search(attrs)
            i += int(span.group(1)) if span else 1
            if not label or "data-label=" in attrs:
                return cell.group(0)
            return f'<{tag}{attrs} data-label="{html.escape(label, quote=True)}">'

        return _CELL.sub(one_cell, row.group(0))

    # every <tbody> (a table of row groups has several)
    return _BODY.sub(lambda b: b.group(1) + _ROW.sub(one_row, b.group(2)) + "</tbody>", table_html)


#: screen (cards below the breakpoint, wrapping above it) and print (A4) rules for tables
REFLOW_CSS = f"""
table.pprr-table td.num{{white-space:normal}}
table.pprr-table th,table.pprr-table td{{overflow-wrap:break-word}}
table.pprr-table th.pprr-wide{{min-width:10rem}}
table.pprr-table tr.pprr-group>th{{background:#f3f2f1;font-weight:bold}}
table.pprr-table tr.pprr-commented>*{{border-bottom:0}}
table.pprr-table tr.pprr-commentary>td{{padding:.1rem .5rem .5rem 1.5rem;font-size:.95em}}
table.pprr-table tr.pprr-commentary p{{margin:.3rem 0;max-width:48rem}}
table.pprr-table p.pprr-commentary-lead{{font-weight:bold;color:#383f43}}
table.pprr-table thead .pprr-tag{{white-space:normal}}
table.pprr-measures th,table.pprr-measures td{{padding-left:.3rem;padding-right:.3rem}}
@media screen and (min-width:{CARD_BREAKPOINT}) and (max-width:64rem){{
table.pprr-measures{{font-size:.875rem}}
table.pprr-measures .pprr-tag{{white-space:normal}}}}
@media screen and (max-width:{CARD_BREAKPOINT}){{
.pprr-table-wrap{{overflow-x:visible}}
table.pprr-table,table.pprr-table tbody,table.pprr-table tr,table.pprr-table td,
table.pprr-table tbody th{{display:block;width:auto}}
table.pprr-table caption{{display:block}}
table.pprr-table thead{{position:absolute;width:1px;height:1px;overflow:hidden;
clip:rect(0 0 0 0);clip-path:inset(50%);white-space:nowrap}}
table.pprr-table colgroup{{display:none}}
table.pprr-table tbody tr{{display:flex;flex-direction:column;border:1px solid #b1b4b6;
border-left:5px solid #505a5f;margin:0 0 .75rem 0;padding:.25rem 0}}
table.pprr-table tbody tr>*{{order:3;border-bottom:0;padding:.2rem .6rem;text-align:left}}
table.pprr-table tbody tr>th[scope="row"]{{order:0;font-size:1.05rem}}
table.pprr-table tbody tr>[data-label="Measure"]{{order:1;font-weight:bold}}
table.pprr-table tbody tr>[data-label^="Status"],
table.pprr-table tbody tr>[data-label^="Trend"]{{order:2}}
table.pprr-table tbody tr>[data-label]:not(th)::before{{content:attr(data-label) ": ";
font-weight:bold}}
table.pprr-table tbody tr>td[data-label=""]::before{{content:none}}
table.pprr-table tbody tr>td:empty{{display:none}}
table.pprr-table tbody tr.pprr-group,table.pprr-table tbody tr.pprr-commentary{{border:0;
margin:0 0 .75rem 0;padding:0}}
table.pprr-table tbody tr.pprr-commentary{{border-left:5px solid #b1b4b6;margin-top:-.5rem}}
table.pprr-table td.num{{text-align:left}}
}}
@media print{{
.pprr-table-wrap{{overflow:visible}}
table.pprr-table{{width:100%;table-layout:auto;font-size:8.5pt}}
table.pprr-table th,table.pprr-table td{{padding:.15rem .25rem}}
table.pprr-table .pprr-reason{{font-size:.9em}}
table.pprr-table thead{{display:table-header-group}}
table.pprr-table tr,figure.pprr-chart,.pprr-note{{break-inside:avoid;page-break-inside:avoid}}
table.pprr-table tr.pprr-group,table.pprr-table tr.pprr-commented{{break-after:avoid;
page-break-after:avoid}}
table.pprr-table thead,table.pprr-table thead+tbody>tr:first-child{{break-after:avoid;
page-break-after:avoid}}
table.pprr-table thead+tbody>tr:first-child,table.pprr-table tr.pprr-commentary{{
break-before:avoid;page-break-before:avoid}}
.pprr-tag,.pprr-red,.pprr-amber,.pprr-green,.pprr-none,table.pprr-table{{
-webkit-print-color-adjust:exact;print-color-adjust:exact}}
h1,h2,h3,h4,caption{{break-after:avoid;page-break-after:avoid}}
.pprr-measure,table.pprr-key{{break-inside:avoid;page-break-inside:avoid}}
figure.pprr-chart img{{max-height:68mm;width:auto}}
table.pprr-table tbody>tr:last-child{{break-before:avoid;page-break-before:avoid}}
}}
""".strip()
