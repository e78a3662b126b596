"""HTML building blocks for notebook pages: headings, tables, symbols, commentary.

Every function returns ``Html`` (a ``str`` that notebooks display as HTML). All text that
comes from data passes through ``esc`` (``html.escape``), so markup in a commentary shows as
text. Nothing is loaded from the internet: the page's styles are the inline ``CSS`` emitted
once by ``page_header``. Status and trend always carry a symbol and a word, never colour alone.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from ..dataset import finance
from ..dataset.formats import figure, is_blank, is_missing, money
from ..dataset.periods import parse_period
from ..dataset.vocabulary import POLARITY
from .charts import measure_chart, variance_chart
from .context import Report

# ---------------------------------------------------------------- basics


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
CSS = """
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
.pprr-gms{font-size:.8rem;font-weight:bold;color:#383f43}
figure.pprr-chart{margin:0 0 1.5rem 0}
figure.pprr-chart img{max-width:100%;height:auto}
figure.pprr-chart figcaption{font-size:.9rem;color:#383f43}
""".strip()


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
    return _wrap(
        f'<table class="pprr-table"><caption>{esc(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>",
        caption,
    )


def _wrap(table_html: str, label: str) -> Html:
    """Scrollable on narrow screens; focusable and labelled so keyboards can scroll it."""
    return Html(
        f'<div class="pprr-table-wrap" role="region" tabindex="0" aria-label="{esc(label)}">'
        f"{table_html}</div>"
    )


# ---------------------------------------------------------------- status and trend symbols

#: status -> (symbol, word, meaning as in the report's key)
STATUS: dict[str, tuple[str, str, str]] = {
    "red": ("\u2717", "Red", "Indicator is performing significantly (>5%) below target"),
    "amber": ("\u25c6", "Amber", "Indicator is performing slightly (<5%) below target"),
    "green": ("\u2713", "Green", "Indicator is on track or performing above target"),
}
#: trend -> (symbol, word, meaning as in the report's key)
TREND: dict[str, tuple[str, str, str]] = {
    "worse": (
        "\u25bc",
        "Getting worse",
        "The forecast year-end position for this indicator is less favourable than the "
        "previous year-end",
    ),
    "stable": (
        "\u25ba",
        "Stable",
        "The forecast year-end position for this indicator is within 1% either side of the "
        "previous year-end",
    ),
    "better": (
        "\u25b2",
        "Getting better",
        "The forecast year-end position for this indicator is more favourable than the "
        "previous year-end",
    ),
}
NOT_RATED = ("\u2013", "Not rated")
_TREND_CLASS = {"better": "green", "stable": "none", "worse": "red"}


def _norm(value: object) -> str:
    return "" if is_blank(value) else str(value).strip().lower()


def status_badge(status: object) -> Html:
    """'✗ Red' / '◆ Amber' / '✓ Green' / '– Not rated' as a coloured tag (text + symbol)."""
    s = _norm(status)
    symbol, word = STATUS[s][:2] if s in STATUS else NOT_RATED
    cls = s if s in STATUS else "none"
    return Html(
        f'<span class="pprr-tag pprr-{cls}"><span aria-hidden="true">{symbol}</span> {word}</span>'
    )


def trend_badge(trend: object) -> Html:
    """'▲ Getting better' / '► Stable' / '▼ Getting worse' / '– Not rated' as a tag."""
    t = _norm(trend)
    symbol, word = TREND[t][:2] if t in TREND else NOT_RATED
    cls = _TREND_CLASS.get(t, "none")
    return Html(
        f'<span class="pprr-tag pprr-{cls}"><span aria-hidden="true">{symbol}</span> {word}</span>'
    )


def status_text(status: object) -> str:
    """Plain text form, e.g. '✗ Red' (for CSV or alt text)."""
    s = _norm(status)
    symbol, word = STATUS[s][:2] if s in STATUS else NOT_RATED
    return f"{symbol} {word}"


def trend_text(trend: object) -> str:
    """Plain text form, e.g. '▲ Getting better'."""
    t = _norm(trend)
    symbol, word = TREND[t][:2] if t in TREND else NOT_RATED
    return f"{symbol} {word}"


def key_to_symbols(level: int = 2) -> Html:
    """The report's 'Key to symbols used in tables', with symbols, words and colours."""
    rows = [
        f'<tr><th scope="row">{status_badge(k)}</th><td>{esc(STATUS[k][2])}</td></tr>'
        for k in ("red", "amber", "green")
    ]
    rows += [
        f'<tr><th scope="row">{trend_badge(k)}</th><td>{esc(TREND[k][2])}</td></tr>'
        for k in ("worse", "stable", "better")
    ]
    rows.append(
        f'<tr><th scope="row">{status_badge(None)}</th><td>No target, a contextual measure, or '
        "no data for the period: the reason is given beside it</td></tr>"
    )
    rows.append(
        '<tr><th scope="row"><span class="pprr-gms">GMS</span></th><td>Included in the Greater '
        "Manchester Strategy outcomes framework and/or the Corporate Report's headline "
        "measures</td></tr>"
    )
    rows.append('<tr><th scope="row">(forecast)</th><td>Provisional or forecast figure</td></tr>')
    caption = "Key to symbols used in tables"
    return join(
        heading(caption, level, anchor="key-to-symbols"),
        _wrap(
            f'<table class="pprr-table"><caption>{esc(caption)}</caption><thead><tr>'
            '<th scope="col">Symbol</th><th scope="col">Meaning</th></tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>",
            caption,
        ),
    )


# ---------------------------------------------------------------- figures


def figure_with_count(
    value: object, unit: str | None = None, *, count: object = None, as_at: object = None
) -> str:
    """A table's figure: ``formats.figure`` in its unit, then the count it is of in brackets
    and its as-at (``57.3% (51) Q1``, ``30.8 per 1,000 (2,547)``); text values (e.g. ``[c]``)
    pass through."""
    if is_blank(value):
        return ""
    text = figure(value, unit) if isinstance(value, int | float) else str(value)
    if not is_blank(count):
        text += f" ({figure(count) if isinstance(count, int | float) else count})"
    if not is_blank(as_at):
        text += f" {as_at}"
    return text


def target_text(row: Mapping[str, Any]) -> str:
    """A target as printed: the scorecard's ``target_label`` (a number, 'Maximise'/'Minimise'/
    'Maintain', a comparator average, a printed note) or 'N/A' when there is none."""
    label = row.get("target_label")
    return "N/A" if is_blank(label) else str(label)


_RANK = {"red": 0, "amber": 1, "green": 2}


def exceptions_first(rows: pd.DataFrame) -> pd.DataFrame:
    """Red, then amber, then the rest, keeping the published order within each."""
    if rows.empty:
        return rows
    rank = rows["status"].map(lambda s: _RANK.get(_norm(s), 3))
    return rows.assign(_r=rank).sort_values("_r", kind="stable").drop(columns="_r")


def measures_table(
    rows: pd.DataFrame,
    *,
    caption: str,
    period_label: str = "",
    target_label: str = "",
    sort_exceptions: bool = True,
    show_forecast: bool | None = None,
) -> Html:
    """The measures table: code, name, good performance, previous years, latest value (count,
    as-at), target, status, trend. ``rows`` are scorecard rows (plus optional ``prior_years``,
    ``gms``, ``unit``, ``target_*`` columns). The forecast year-end column appears when
    ``show_forecast`` (None: whenever a forecast is present)."""
    if sort_exceptions:
        rows = exceptions_first(rows)
    heads = [
        "Code",
        "Measure",
        "Good performance",
        "Previous years",
        f"Latest ({period_label})" if period_label else "Latest",
        f"Target ({target_label})" if target_label else "Target",
        "Status",
        "Trend",
    ]
    has_forecast = "forecast" in rows and rows["forecast"].notna().any()
    if show_forecast is not None:
        has_forecast = has_forecast and show_forecast
    if has_forecast:
        heads.insert(5, "Forecast year-end")
    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in heads)
    body = []
    for _, r in rows.iterrows():
        unit = r.get("unit")
        name = esc(r.get("name"))
        if r.get("gms") is True:
            name += ' <span class="pprr-gms">GMS</span>'
        latest = figure_with_count(r.get("value"), unit, count=r.get("count"), as_at=r.get("as_at"))
        if is_missing(r.get("value")) and not is_blank(r.get("note")):
            latest = suppressed_text(r.get("note"))
        status = str(status_badge(r.get("status")))
        if _norm(r.get("status")) not in STATUS and not is_blank(r.get("reason")):
            status += f'<span class="pprr-reason">{esc(r.get("reason"))}</span>'
        cells = [
            f'<th scope="row">{esc(r.get("code"))}</th>',
            f"<td>{name}</td>",
            f"<td>{esc(POLARITY.get(_norm(r.get('polarity')), r.get('polarity')))}</td>",
            f"<td>{esc(r.get('prior_years', ''))}</td>",
            f'<td class="num">{esc(latest)}</td>',
        ]
        if has_forecast:
            fc = r.get("forecast")
            cells.append(
                f'<td class="num">{esc(figure(fc, unit) + " (forecast)")}</td>'
                if isinstance(fc, int | float) and not is_missing(fc)
                else "<td></td>"
            )
        cells += [
            f'<td class="num">{esc(target_text(r))}</td>',
            f"<td>{status}</td>",
            f"<td>{trend_badge(r.get('trend'))}</td>",
        ]
        body.append("<tr>" + "".join(cells) + "</tr>")
    if not body:
        return Html(f"<p>{esc(caption)}: no measures.</p>")
    return _wrap(
        f'<table class="pprr-table"><caption>{esc(caption)}</caption><thead><tr>{head}</tr>'
        f"</thead><tbody>{''.join(body)}</tbody></table>",
        caption,
    )


def summary_counts(scorecard: pd.DataFrame, priorities: pd.DataFrame) -> pd.DataFrame:
    """Measures and RAG/trend counts per priority, with an 'All priorities' total row."""
    out = []
    for _, p in priorities.iterrows():
        rows = scorecard[scorecard["priority"] == p["priority"]]
        out.append(_counts(f"Priority {int(p['priority'])}", str(p["title"]), rows))
    out.append(_counts("All priorities", "", scorecard))
    return pd.DataFrame(out)


def _counts(label: str, title: str, rows: pd.DataFrame) -> dict[str, Any]:
    st = rows["status"].map(_norm) if len(rows) else pd.Series(dtype=object)
    tr = rows["trend"].map(_norm) if len(rows) else pd.Series(dtype=object)
    return {
        "priority": label,
        "title": title,
        "measures": len(rows),
        **{k: int((st == k).sum()) for k in STATUS},
        "status_not_rated": int((~st.isin(list(STATUS))).sum()),
        **{k: int((tr == k).sum()) for k in TREND},
        "trend_not_rated": int((~tr.isin(list(TREND))).sum()),
    }


def summary_table(counts: pd.DataFrame, *, caption: str) -> Html:
    """RAG and trend counts by priority: grouped headers, symbols and words in the headers."""
    st_cols = [*STATUS, "status_not_rated"]
    tr_cols = ["better", "stable", "worse", "trend_not_rated"]

    def label(k: str) -> str:
        if k in STATUS:
            return str(status_badge(k))
        if k in TREND:
            return str(trend_badge(k))
        return str(status_badge(None))

    head1 = (
        '<tr><td></td><td></td><th scope="colgroup" colspan="4">Status (RAG)</th>'
        '<th scope="colgroup" colspan="4">Trend (direction of travel)</th></tr>'
    )
    head2 = (
        '<tr><th scope="col">Priority</th><th scope="col">Measures</th>'
        + "".join(f'<th scope="col">{label(k)}</th>' for k in st_cols + tr_cols)
        + "</tr>"
    )
    body = []
    for _, r in counts.iterrows():
        name = esc(r["priority"]) + (f": {esc(r['title'])}" if r["title"] else "")
        cells = "".join(
            f'<td class="num">{int(r[k])}</td>' for k in ["measures", *st_cols, *tr_cols]
        )
        body.append(f'<tr><th scope="row" class="pprr-wide">{name}</th>{cells}</tr>')
    return _wrap(
        f'<table class="pprr-table"><caption>{esc(caption)}</caption>'
        f'<colgroup span="2"></colgroup><colgroup span="4"></colgroup>'
        f'<colgroup span="4"></colgroup><thead>{head1}{head2}</thead>'
        f"<tbody>{''.join(body)}</tbody></table>",
        caption,
    )


def exceptions_table(rows: pd.DataFrame, *, caption: str) -> Html:
    """Measures rated red or amber, red first, with the reason for the rating."""
    off = exceptions_first(rows[rows["status"].map(_norm).isin(["red", "amber"])])
    if off.empty:
        return Html("<p>No measure is rated red or amber for this period.</p>")
    frame = pd.DataFrame(
        {
            "Code": off["code"].map(esc),
            "Measure": off["name"].map(esc),
            "Priority": off["priority"].map(lambda p: esc(f"{int(p)}")),
            "Latest": [
                esc(
                    figure_with_count(
                        r.get("value"), r.get("unit"), count=r.get("count"), as_at=r.get("as_at")
                    )
                )
                for _, r in off.iterrows()
            ],
            "Target": [esc(target_text(r)) for _, r in off.iterrows()],
            "Status": off["status"].map(lambda s: str(status_badge(s))),
            "Trend": off["trend"].map(lambda s: str(trend_badge(s))),
            "Why": off["reason"].map(esc) if "reason" in off else "",
        }
    )
    return table(frame, caption, row_header="Code", raw=list(frame.columns), numeric=["Latest"])


# ---------------------------------------------------------------- report-level sections


def _prior_years(report: Report, code: str, n: int = 2, current: object = None) -> str:
    """The last ``n`` year-end actuals before the period: '2019/20: 46%; 2020/21: 61.8%'."""
    m = report.measure(code)
    h = report.history(code)
    own = parse_period(report.period)
    suppressed = h["note"].astype(str).str.contains(r"\[c\]", regex=True)
    h = h[(h["kind"] == "actual") & (h["value"].notna() | suppressed)]
    h = h[h["period"].map(lambda p: "Q" not in p and parse_period(p) < own).astype(bool)]
    if report.period_info.get("kind") != "in-year":
        h = h[h["period"] != report.period]
    if not is_blank(current):
        before = parse_period(str(current))
        h = h[h["period"].map(lambda p: parse_period(p) < before).astype(bool)]
    h = h.tail(n)
    return "; ".join(
        f"{p}: {figure_with_count(v, m.get('unit'), count=c) or suppressed_text(n, report)}"
        for p, v, c, n in zip(h["period"], h["value"], h["count"], h["note"], strict=True)
    )


def scorecard_rows(
    report: Report, priority: int | None = None, *, prior_years: bool = True
) -> pd.DataFrame:
    """The report's ``measure_rows`` (scorecard, ``gms`` and ``section``, in measure order) for
    a priority (all when None); with ``prior_years`` the measures table's previous years too
    (worked out only for these rows, and only when asked: the other tables do not show them)."""
    rows = report.measure_rows
    if priority is not None:
        rows = rows[rows["priority"] == priority]
    rows = rows.reset_index(drop=True)
    if prior_years:
        rows["prior_years"] = [
            _prior_years(report, c, current=v)
            for c, v in zip(rows["code"], rows["value_period"], strict=True)
        ]
    return rows


#: the portfolio every page reports on
PORTFOLIO = "Children, Families and Education"
#: the finance page's public-edition note: its figures are not counts of children
FINANCE_PUBLIC_NOTE = (
    "Public edition: small counts of children are suppressed and shown as [c]; "
    "the finance figures are not counts of children and are shown in full."
)


def page_header(report: Report, *, page: str = "overview") -> Html:
    """The page's style block, its one ``<h1>``, the report title and edition notes.

    ``page`` is ``overview``, ``priority`` (the report's priority in the h1) or ``finance``.
    """
    if page == "priority" and report.priority_info:
        h1 = f"Priority {report.priority}: {report.priority_info['title']}"
    elif page == "finance":
        h1 = f"{PORTFOLIO}: finance and resources"
    else:
        h1 = f"{PORTFOLIO}: portfolio overview"
    about = (
        ": financial resources and monitoring."
        if page == "finance"
        else f"; measures and targets of the {esc(report.framework)} framework."
    )
    parts = [
        stylesheet(),
        heading(h1, 1),
        f'<p class="pprr-subtitle">{esc(PORTFOLIO)} Portfolio Performance and Resources '
        f"Report: {esc(report.title)} ({esc(report.period)}){about}</p>",
    ]
    if report.illustrative:
        parts.append(note("Illustrative data: these figures are synthetic, not real figures."))
    if report.public:
        parts.append(note(FINANCE_PUBLIC_NOTE) if page == "finance" else public_notice(report))
    else:
        parts.append(note("Internal edition: every figure is shown."))
    return join(*parts)


def _disclosure_rules(report: Report | None = None) -> Any:
    from ..dataset import disclosure

    found = disclosure.rules_of(report.dataset) if report is not None else None
    return found or disclosure.DEFAULT_RULES


def suppressed_text(note_text: object, report: Report | None = None) -> str:
    """A values note as shown in a cell: the symbol alone (``[c]``) for a suppressed figure."""
    from ..dataset import disclosure

    rules = _disclosure_rules(report)
    if disclosure.is_suppressed(note_text, rules):
        return rules.symbol
    text = "" if is_blank(note_text) else str(note_text)
    found = re.fullmatch(r"suppressed (\[[a-z]+\])", text.strip())
    return found[1] if found else text


def public_notice(report: Report) -> Html:
    """The public edition's notice and the legend of the symbols it uses."""
    from ..dataset import disclosure

    rules = _disclosure_rules(report)
    return Html(
        '<div class="pprr-note" role="note" aria-label="Public edition">'
        f"<p><strong>Public edition.</strong> Small counts of children ({rules.low} to "
        f"{rules.high}) are suppressed, and so is any percentage or rate from which one could "
        f"be worked out; they are shown as {esc(rules.symbol)}.</p>"
        f"<p>Symbols used: {esc(disclosure.legend(rules))}</p></div>"
    )


def suppressed_periods(report: Report, code: str) -> Html:
    """In the public edition, a line naming the periods of a measure's history suppressed."""
    if not report.public:
        return Html("")
    from ..dataset import disclosure

    rules = _disclosure_rules(report)
    h = report.history(code)
    hidden = [
        str(p)
        for p, n in zip(h["period"], h["note"], strict=True)
        if disclosure.is_suppressed(n, rules)
    ]
    if not hidden:
        return Html("")
    return Html(
        f'<p class="pprr-reason">Not charted, suppressed {esc(rules.symbol)}: '
        f"{esc(', '.join(hidden))}.</p>"
    )


def priority_intro(report: Report) -> Html:
    """'Delivered by': the strategy and the programmes that deliver the priority."""
    info = report.priority_info or {}
    parts = [heading("Delivered by", 2, anchor="delivered-by")]
    items = [x for x in [info.get("delivered_by")] if not is_blank(x)]
    items += [p for p in info.get("programmes", []) if p not in items]
    if items:
        parts.append("<ul>" + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>")
    else:
        parts.append("<p>The data names no delivery programme for this priority.</p>")
    return join(*parts)


def priority_measures(report: Report) -> Html:
    """Key to symbols and the priority's measures table (exceptions first)."""
    rows = scorecard_rows(report, report.priority)
    caption = f"Priority {report.priority} measures, {report.period}: red and amber first" + (
        " (illustrative data)" if report.illustrative else ""
    )
    return join(
        heading("Performance measures", 2, anchor="measures"),
        key_to_symbols(3),
        heading("Measures table", 3, anchor="measures-table"),
        measures_table(
            rows,
            caption=caption,
            period_label=report.period,
            target_label=str(report.period_info.get("target_year") or ""),
            show_forecast=report.period_info.get("kind") == "in-year",
        ),
    )


def measure_sections(report: Report) -> Html:
    """Per measure (exceptions first): an ``<h3>``, its trend chart and its commentary.

    A paragraph printed under a group of measures is shown once, under the first of them
    shown; the others link to it."""
    rows = exceptions_first(scorecard_rows(report, report.priority, prior_years=False))
    parts = [heading("Measures in detail", 2, anchor="measures-in-detail")]
    shown: dict[str, str] = {}  # paragraph -> code it was first shown under
    if rows.empty:
        parts.append("<p>This priority has no measures in the data for this period.</p>")
    for _, r in rows.iterrows():
        code = str(r["code"])
        parts.append(heading(f"{code}: {r['name']}", 3, anchor=f"measure-{slug(code)}"))
        parts.append(
            f"<p>Status: {status_badge(r.get('status'))} Trend: {trend_badge(r.get('trend'))}"
            + (
                f' <span class="pprr-reason">{esc(r.get("reason"))}</span>'
                if not is_blank(r.get("reason"))
                else ""
            )
            + "</p>"
        )
        parts.append(measure_chart(report, code).to_html())
        parts.append(suppressed_periods(report, code))
        comm = report.commentary(code)
        fresh = [t for t in comm["text"].tolist() if t not in shown]
        if fresh:
            parts.append(paragraphs(fresh))
        earlier = list(dict.fromkeys(shown[t] for t in comm["text"].tolist() if t in shown))
        for other in earlier:
            parts.append(
                f'<p>Commentary: see <a href="#measure-{esc(slug(other))}">{esc(other)}</a> '
                "above, which it shares.</p>"
            )
        shown.update({t: code for t in fresh})
    return join(*parts)


def other_commentary(report: Report) -> Html:
    """Commentary for the priority's period printed under no measure of this framework."""
    comm = report.commentary()
    codes = set(report.measures["code"])
    rest = comm[~comm["code"].isin(codes)]
    if rest.empty:
        return Html("")
    return join(heading("Other commentary", 2), paragraphs(rest["text"].tolist()))


def portfolio_summary(report: Report) -> Html:
    """RAG and trend counts by priority."""
    counts = summary_counts(report.scorecard, report.priorities)
    caption = f"Status and trend of measures by priority, {report.period}" + (
        " (illustrative data)" if report.illustrative else ""
    )
    total = counts.iloc[-1]
    lead = (
        f"{int(total['measures'])} measures: {int(total['red'])} red, {int(total['amber'])} "
        f"amber, {int(total['green'])} green and {int(total['status_not_rated'])} not rated; "
        f"{int(total['better'])} getting better, {int(total['stable'])} stable, "
        f"{int(total['worse'])} getting worse."
    )
    return join(
        heading("Portfolio summary", 2, anchor="summary"),
        paragraphs([lead]),
        summary_table(counts, caption=caption),
    )


def exceptions(report: Report) -> Html:
    """Measures off target (red, then amber) across the portfolio."""
    rows = scorecard_rows(report, prior_years=False)
    caption = f"Measures off target, {report.period}: red first, then amber"
    return join(
        heading("Measures off target", 2, anchor="exceptions"),
        exceptions_table(rows, caption=caption),
    )


def headline_block(report: Report, caption: str) -> Html:
    """The summary box as printed: its figures (``headline_rows``: each in its unit, surpluses
    in brackets) in a table captioned ``caption``, then its printed statements; '' when the
    period has no finance headline. The overview and the finance page both show it."""
    if report.period not in finance.finance_periods(report.dataset):
        return Html("")
    h = finance.headline(report.dataset, report.period)
    figs = h[h["value"].notna()]
    parts = []
    if len(figs):
        parts.append(table(headline_rows(figs), caption, row_header="Item", numeric=["Figure"]))
    parts.append(headline_statements(h))
    return join(*parts)


def finance_headline(report: Report) -> Html:
    """The overview's finance headline: the summary box (``headline_block``) and the forecast
    variance by area chart, or a statement that the period has no finance data."""
    parts = [heading("Finance headline", 2, anchor="finance")]
    block = headline_block(
        report,
        f"Finance headline, {report.period}: figures as printed, each in its unit "
        "(surpluses in brackets)",
    )
    if not block:
        parts.append(paragraphs([f"There is no finance data for {report.period}."]))
        return join(*parts)
    return join(*parts, block, _variance_figure(report))


def headline_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Display rows for the ``finance_headline`` table: Item (as printed, with its year),
    Figure (as the finance page prints it: ``44,395``, ``(10)``, ``2.652``; a statement
    printed instead of a figure as it is) and Unit (£000, £m, %)."""
    items, figures, units = [], [], []
    for _, r in frame.iterrows():
        label = r.get("label")
        item = str(label) if not is_blank(label) else str(r["item"]).replace("_", " ").capitalize()
        if not is_blank(r.get("year")) and str(r.get("year")) not in item:
            item += f" ({r['year']})"
        items.append(item)
        unit = None if is_blank(r.get("unit")) else str(r.get("unit"))
        fig = money(r.get("value"), unit)
        figures.append(fig if fig else ("" if is_blank(r.get("note")) else str(r.get("note"))))
        units.append(unit if fig and unit else "")
    return pd.DataFrame({"Item": items, "Figure": figures, "Unit": units})


def headline_statements(frame: pd.DataFrame) -> Html:
    """The summary box's statements printed instead of a figure (e.g. no savings programme),
    each as a paragraph: label in bold, then the statement."""
    if "note" not in frame:
        return Html("")
    rows = frame[frame["value"].isna() & frame["note"].notna()]
    return Html(
        "".join(
            f"<p><strong>{esc(r['label'])}:</strong> {esc(r['note'])}</p>"
            for _, r in rows.iterrows()
        )
    )


def _variance_figure(report: Report) -> str:
    """The forecast variance by area chart, when ``finance.outturn`` has the period's rows."""
    out = finance.outturn(report.dataset, report.period)
    if out.empty:
        return ""
    chart = variance_chart(
        out,
        title=f"Forecast variance by area, {report.period}",
        unit=str(out["unit"].iloc[0]),
        illustrative=report.illustrative,
    )
    return chart.to_html()


def quality_notes(report: Report) -> Html:
    """The data-quality notes the import recorded and the notes validation left."""
    parts = [heading("Data-quality notes", 2, anchor="data-quality")]
    q = report.dataset.tables.get("quality_notes")
    if q is None or q.empty:
        parts.append(paragraphs(["The import recorded no data-quality notes."]))
    else:
        frame = q[["id", "check", "location", "issue", "resolution"]].copy()
        frame.columns = ["Id", "Check", "Where", "Issue", "Resolution"]
        parts.append(
            table(
                frame,
                "Misprints and inconsistencies found in the sources, and how each was resolved",
                row_header="Id",
            )
        )
    notes = list(getattr(report.dataset, "notes", []) or [])
    if notes:
        frame = pd.DataFrame(
            {
                "Where": [f"{n.file}:{n.row or ''}" for n in notes],
                "Column": [n.column or "" for n in notes],
                "Found": [n.found for n in notes],
                "Expected": [n.expected for n in notes],
            }
        )
        parts.append(heading("Validation notes", 3, anchor="validation-notes"))
        parts.append(
            table(
                frame,
                "Notes left by validation (e.g. rounding in printed totals)",
                row_header="Where",
            )
        )
    return join(*parts)
