"""The overview page, answers first: are we achieving our targets (status counts), are we
getting better (trend counts), the measures that need attention (red and amber, then green
but getting worse, each with its reason); then the counts by priority, the finance headline,
a pointer to the period's data-quality notes and the key to symbols."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..dataset import finance
from ..dataset.formats import is_blank, money
from ..dataset.reconciliation import TO_THOUSANDS
from .context import Report
from .finance_charts import variance_chart
from .finance_tables import has_finance, headline_block
from .markup import Html, esc, heading, join, paragraphs, region, table
from .measures import figure_with_count, scorecard_rows, target_text
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


def _red_first(rows: pd.DataFrame) -> pd.DataFrame:
    """Red, then amber, then the rest, keeping the published order within each."""
    rank = {"red": 0, "amber": 1}
    order = rows["status"].map(lambda s: rank.get(rating(s), 2))
    return rows.assign(_r=order).sort_values("_r", kind="stable").drop(columns="_r")


def attention_table(rows: pd.DataFrame, *, caption: str, why: str) -> Html:
    """Measures with their latest figure, target, status, trend and ``why`` (a scorecard
    column: ``status_reason`` or ``trend_reason``) as the one-line reason."""
    frame = pd.DataFrame(
        {
            "Code": rows["code"].map(esc),
            "Measure": rows["name"].map(esc),
            "Priority": rows["priority"].map(lambda p: esc(f"{int(p)}")),
            "Latest": [
                esc(
                    figure_with_count(
                        r.get("value"), r.get("unit"), count=r.get("count"), as_at=r.get("as_at")
                    )
                )
                for _, r in rows.iterrows()
            ],
            "Target": [esc(target_text(r)) for _, r in rows.iterrows()],
            "Status": rows["status"].map(lambda s: str(status_badge(s))),
            "Trend": rows["trend"].map(lambda s: str(trend_badge(s))),
            "Why": rows[why].map(esc) if why in rows else "",
        }
    )
    return table(frame, caption, row_header="Code", raw=list(frame.columns), numeric=["Latest"])


def off_target(rows: pd.DataFrame) -> pd.DataFrame:
    """The measures rated red or amber, red first."""
    return _red_first(rows[rows["status"].map(rating).isin(["red", "amber"])])


def green_but_worse(rows: pd.DataFrame) -> pd.DataFrame:
    """The measures on target (green) whose direction of travel is getting worse."""
    st, tr = rows["status"].map(rating), rows["trend"].map(rating)
    return rows[(st == "green") & (tr == "worse")]


def exceptions_table(rows: pd.DataFrame, *, caption: str) -> Html:
    """Measures rated red or amber, red first, with the reason for the rating."""
    off = off_target(rows)
    if off.empty:
        return Html("<p>No measure is rated red or amber for this period.</p>")
    return attention_table(off, caption=caption, why="status_reason")


def answer_counts(scorecard: pd.DataFrame) -> dict[str, int]:
    """The two answers as counts: red, amber, green, status_not_rated; better, stable, worse,
    trend_not_rated (the overview's 'All priorities' row)."""
    row = _counts("", "", scorecard)
    return {k: int(v) for k, v in row.items() if k not in ("priority", "title", "measures")}


def _count_list(items: list[tuple[str, int]], label: str) -> str:
    lis = "".join(f"<li>{badge} <strong>{n}</strong></li>" for badge, n in items)
    return f'<ul class="pprr-counts" aria-label="{esc(label)}">{lis}</ul>'


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _withheld(report: Report) -> int:
    """How many of the public edition's measures are not rated because their figure is
    suppressed (0 in the internal edition)."""
    if not report.public:
        return 0
    from ..dataset import disclosure
    from .page import _disclosure_rules

    rules = _disclosure_rules(report)
    sc = report.scorecard
    notes = sc["note"].tolist() if "note" in sc else []
    return sum(
        1
        for status, n in zip(sc["status"].tolist(), notes, strict=True)
        if not status and disclosure.is_suppressed(n, rules)
    )


def answers(report: Report) -> Html:
    """The overview's first sections: 'Are we achieving our targets?' (red, amber, green and
    not rated) and 'Are we getting better?' (better, stable, worse and not rated: the word
    the tables and the key use), as counts of the period's measures with symbols and words."""
    c = answer_counts(report.scorecard)
    total, missing = len(report.scorecard), c["status_not_rated"]
    rated = c["red"] + c["amber"] + c["green"]
    where = f"{report.period}" + (" (illustrative data)" if report.illustrative else "")
    withheld = _withheld(report)
    why = (
        "no target, a contextual measure, or no figure yet"
        if not withheld
        else f"no target, a contextual measure, no figure yet, or, for {withheld}, a figure "
        "this edition suppresses, so the counts differ from the internal edition's"
    )
    targets = paragraphs(
        [
            f"{rated} of the {_plural(total, 'measure', 'measures')} reported for {where} "
            f"{'is' if rated == 1 else 'are'} rated against a target; {missing} "
            f"{'is' if missing == 1 else 'are'} not rated ({why})."
        ]
    )
    status_items = [(str(status_badge(k)), c[k]) for k in ("red", "amber", "green")]
    status_items.append((str(status_badge(None)), missing))
    previous = (report.period_info or {}).get("previous")
    since = "" if is_blank(previous) else f" ({previous})"
    none = c["trend_not_rated"]
    trend = paragraphs(
        [
            f"The forecast year-end compared with the previous year-end{since}; the trend of "
            f"{_plural(none, 'measure', 'measures')} is not rated (no figure to compare, "
            "figures not comparable, a contextual measure or no polarity)."
        ]
    )
    trend_items = [(str(trend_badge(k)), c[k]) for k in ("better", "stable", "worse")]
    trend_items.append((str(trend_badge(None)), c["trend_not_rated"]))
    return join(
        heading("Are we achieving our targets?", 2, anchor="targets"),
        _count_list(status_items, f"Status of measures, {report.period}"),
        targets,
        heading("Are we getting better?", 2, anchor="trend"),
        _count_list(trend_items, f"Trend of measures, {report.period}"),
        trend,
        '<p class="pprr-reason">Symbols and colours are explained in the '
        '<a href="#key-to-symbols">key to symbols</a> at the end of this page.</p>',
    )


def portfolio_summary(report: Report) -> Html:
    """RAG and trend counts by priority."""
    counts = summary_counts(report.scorecard, report.priorities)
    caption = f"Status and trend of measures by priority, {report.period}" + (
        " (illustrative data)" if report.illustrative else ""
    )
    total = counts.iloc[-1]
    lead = (
        f"{int(total['measures'])} measures: {int(total['red'])} red, {int(total['amber'])} "
        f"amber, {int(total['green'])} green and {int(total['status_not_rated'])} not rated, "
        "by priority."
    )
    return join(
        heading("Portfolio summary by priority", 2, anchor="summary"),
        paragraphs([lead]),
        summary_table(counts, caption=caption),
    )


def exceptions(report: Report) -> Html:
    """The measures that need attention: off target (red, then amber) with the reason for
    the rating, then on target (green) but getting worse with the reason for the trend."""
    rows = scorecard_rows(report, prior_years=False)
    worse = green_but_worse(rows)
    parts = [
        heading("Measures that need attention", 2, anchor="exceptions"),
        heading("Measures off target", 3, anchor="off-target"),
        exceptions_table(
            rows, caption=f"Measures off target, {report.period}: red first, then amber"
        ),
        heading("On target but getting worse", 3, anchor="green-worse"),
    ]
    if worse.empty:
        parts.append(paragraphs(["No measure on target (green) is getting worse."]))
    else:
        parts.append(
            attention_table(
                worse,
                caption=f"Measures on target but getting worse, {report.period}",
                why="trend_reason",
            )
        )
    return join(*parts)


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
    return chart.to_html() + _before_contingency(report, out)


def _before_contingency(report: Report, out: pd.DataFrame) -> str:
    """Why the chart's net deficit and the headline's (surplus)/deficit differ, when the
    headline shows contingency funding allocated to balance the portfolio and the figures
    agree: the areas' forecasts are before it. '' otherwise."""
    if out.empty:
        return ""
    h = finance.headline(report.dataset, report.period)
    by_item = {str(r["item"]): r for _, r in h.iterrows() if not pd.isna(r.get("value"))}
    alloc, result = by_item.get("contingency_allocation"), by_item.get("surplus_deficit")
    unit = str(out["unit"].iloc[0])
    if alloc is None or result is None or unit != "£000":
        return ""
    items = out[out["row_type"] == "item"] if "row_type" in out else out
    net = float(items["variance"].sum())
    funded = float(alloc["value"]) * TO_THOUSANDS.get(str(alloc["unit"]), float("nan"))
    left = float(result["value"]) * TO_THOUSANDS.get(str(result["unit"]), float("nan"))
    if not (funded > 0 and net > 0) or abs(net - funded - left) > 1:  # when the figures agree
        return ""
    return str(
        paragraphs(
            [
                "The chart shows the areas' forecasts before contingency funding: a net "
                f"deficit of {money(net, unit)} (£000). Contingency funding of "
                f"{money(float(alloc['value']), str(alloc['unit']))} ({alloc['unit']}) is "
                "allocated to balance the portfolio, which leaves the (surplus)/deficit of "
                f"{money(left, unit)} (£000) shown in the headline above."
            ]
        )
    )
