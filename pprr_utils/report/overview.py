"""The overview page: status and trend counts by priority, the measures off target, the
finance headline and the data-quality notes."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..dataset import finance
from .context import Report
from .finance_charts import variance_chart
from .finance_tables import has_finance, headline_block
from .markup import Html, esc, heading, join, paragraphs, region, table
from .measures import exceptions_first, figure_with_count, scorecard_rows, target_text
from .symbols import STATUS, TREND, rating, status_badge, trend_badge


def summary_counts(scorecard: pd.DataFrame, priorities: pd.DataFrame) -> pd.DataFrame:
    """Measures and RAG/trend counts per priority, with an 'All priorities' total row."""
    out = []
    for _, p in priorities.iterrows():
        rows = scorecard[scorecard["priority"] == p["priority"]]
        out.append(_counts(f"Priority {int(p['priority'])}", str(p["title"]), rows))
    out.append(_counts("All priorities", "", scorecard))
    return pd.DataFrame(out)


def _counts(label: str, title: str, rows: pd.DataFrame) -> dict[str, Any]:
    st = rows["status"].map(rating) if len(rows) else pd.Series(dtype=object)
    tr = rows["trend"].map(rating) if len(rows) else pd.Series(dtype=object)
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
    return region(
        f'<table class="pprr-table"><caption>{esc(caption)}</caption>'
        f'<colgroup span="2"></colgroup><colgroup span="4"></colgroup>'
        f'<colgroup span="4"></colgroup><thead>{head1}{head2}</thead>'
        f"<tbody>{''.join(body)}</tbody></table>",
        caption,
    )


def exceptions_table(rows: pd.DataFrame, *, caption: str) -> Html:
    """Measures rated red or amber, red first, with the reason for the rating."""
    off = exceptions_first(rows[rows["status"].map(rating).isin(["red", "amber"])])
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


def finance_headline(report: Report) -> Html:
    """The overview's finance headline: the summary box (``headline_block``) and the forecast
    variance by area chart; a statement when the period has no headline but other finance
    rows; nothing at all when the portfolio has no finance data for the period."""
    if not has_finance(report):
        return Html("")
    parts = [heading("Finance headline", 2, anchor="finance")]
    block = headline_block(
        report,
        f"Finance headline, {report.period}: figures as printed, each in its unit "
        "(surpluses in brackets)",
    )
    if not block:
        parts.append(paragraphs([f"There is no finance headline for {report.period}."]))
        return join(*parts)
    return join(*parts, block, _variance_figure(report))


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
