"""The priority page: its measures tables shaped like the published table (one per printed
section, rows in printed order, commentary under its measure; ``priority_table``), the
measures in detail (status, reason and trend chart) and commentary printed under no measure."""

from __future__ import annotations

import pandas as pd

from ..dataset.formats import is_blank
from ..dataset.periods import parse_period
from .context import Report
from .markup import Html, esc, heading, join, paragraphs, slug
from .measure_charts import measure_chart
from .page import suppressed_periods, suppressed_text
from .priority_table import (
    commentary_blocks,
    figure_as_at,
    figure_with_count,
    measures_table,
    target_text,
)
from .symbols import key_to_symbols, rating, status_badge, trend_badge

__all__ = [
    "exceptions_first",
    "figure_with_count",
    "measure_sections",
    "measures_table",
    "other_commentary",
    "priority_intro",
    "priority_measures",
    "scorecard_rows",
    "section_runs",
    "target_text",
]

_RANK = {"red": 0, "amber": 1, "green": 2}


def exceptions_first(rows: pd.DataFrame) -> pd.DataFrame:
    """Red, then amber, then the rest, keeping the published order within each."""
    if rows.empty:
        return rows
    rank = rows["status"].map(lambda s: _RANK.get(rating(s), 3))
    return rows.assign(_r=rank).sort_values("_r", kind="stable").drop(columns="_r")


# ---------------------------------------------------------------- rows and sections


def _prior_years(report: Report, code: str, current: object = None) -> dict[str, str]:
    """The measure's year-end actuals before its rated figure's period ``current`` (before
    the report's period when blank), period -> figure as printed (with its count and as-at
    marker: ``123 per 100,000 (34) as at Q2``); a missing figure's printed note ('Not yet
    available', ``[c]``) stands in its place. The table picks the years it shows."""
    m = report.measure(code)
    h = report.history(code)
    h = h[(h["kind"] == "actual") & (h["value"].notna() | h["note"].map(lambda n: not is_blank(n)))]
    before = parse_period(report.period if is_blank(current) else str(current))
    h = h[h["period"].map(lambda p: "Q" not in p and parse_period(p) < before).astype(bool)]
    if report.period_info.get("kind") != "in-year":
        h = h[h["period"] != report.period]
    out: dict[str, str] = {}
    for p, v, c, a, n in zip(
        h["period"],
        h["value"],
        h["count"],
        h.get("as_at", [None] * len(h)),
        h["note"],
        strict=True,
    ):
        out[str(p)] = figure_as_at(v, m.get("unit"), count=c, as_at=a) or suppressed_text(n, report)
    return out


def scorecard_rows(
    report: Report, priority: int | None = None, *, prior_years: bool = True
) -> pd.DataFrame:
    """The report's ``measure_rows`` (scorecard, ``headline`` and ``section``, in measure order) for
    a priority (all when None); with ``prior_years`` the measures table's year-end figures too
    (``prior_years``: period -> figure text; worked out only for these rows, and only when
    asked: the other tables do not show them)."""
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


def section_runs(rows: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """The rows split where their printed ``section`` changes, in order: (section, rows). A
    blank section is ''; the same section printed twice apart is two runs."""
    if rows.empty:
        return []
    sec = rows.get("section", pd.Series([None] * len(rows), index=rows.index))
    sec = sec.map(lambda s: "" if is_blank(s) else str(s))
    run = (sec != sec.shift()).cumsum()
    return [(str(part.iloc[0]), rows.loc[part.index]) for _, part in sec.groupby(run, sort=False)]


def priority_intro(report: Report) -> Html:
    """'Delivered by': the strategy and the programmes that deliver the priority. Nothing
    when the portfolio records delivery for none of its priorities."""
    info = report.priority_info or {}
    pr = report.priorities
    if pr[["delivered_by", "programmes"]].isna().all().all():
        return Html("")
    parts = [heading("Delivered by", 2, anchor="delivered-by")]
    items = [x for x in [info.get("delivered_by")] if not is_blank(x)]
    items += [p for p in info.get("programmes", []) if p not in items]
    if items:
        parts.append("<ul>" + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>")
    else:
        parts.append("<p>The data names no delivery programme for this priority.</p>")
    return join(*parts)


def priority_measures(report: Report) -> Html:
    """The priority's measures as the published table: one table per printed section (an
    ``<h3>`` each), rows in printed order under their category, each measure's commentary
    directly under it; then the key to symbols, once (linked from above the tables)."""
    rows = scorecard_rows(report, report.priority)
    runs = section_runs(rows)
    blocks = commentary_blocks(report.commentary(), rows["code"].tolist())
    note = " (illustrative data)" if report.illustrative else ""
    parts = [heading("Performance measures", 2, anchor="measures")]
    if not runs:
        parts.append("<p>This priority has no measures in the data for this period.</p>")
    else:
        parts.append(
            "<p>Each status and trend is shown as a symbol and a word; what they mean is in the "
            '<a href="#key-to-symbols">key to symbols</a> after the tables.</p>'
        )
    named = any(section for section, _ in runs)
    used: set[str] = set()
    for section, part in runs:
        title = section or ("Other measures" if named else "")
        if title:
            anchor = f"section-{slug(title)}"
            while anchor in used:
                anchor += "-2"
            used.add(anchor)
            parts.append(heading(title, 3, anchor=anchor))
            caption = f"{title}: measures, {report.period}{note}"
        else:
            parts.append(heading("Measures table", 3, anchor="measures-table"))
            caption = f"Priority {report.priority} measures, {report.period}{note}"
        parts.append(
            measures_table(
                part,
                caption=caption,
                period_label=report.period,
                show_forecast=report.period_info.get("kind") == "in-year",
                flag_label=report.headline_flag.label if report.headline_flag else None,
                commentary=blocks,
                detail_links=True,
                report=report,
            )
        )
    parts.append(key_to_symbols(report, level=3))
    return join(*parts)


def measure_sections(report: Report) -> Html:
    """Per measure, in printed order: an ``<h3>``, its status, trend and reason, and its trend
    chart. (Its commentary is in the measures table, under its row.)"""
    rows = scorecard_rows(report, report.priority, prior_years=False)
    parts = [heading("Measures in detail", 2, anchor="measures-in-detail")]
    if rows.empty:
        parts.append("<p>This priority has no measures in the data for this period.</p>")
    for _, r in rows.iterrows():
        code = str(r["code"])
        # one block per measure, kept on one sheet when printed (heading, status, chart)
        parts.append('<div class="pprr-measure">')
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
        parts.append("</div>")
    return join(*parts)


def other_commentary(report: Report) -> Html:
    """Commentary for the priority's period printed under no measure of this framework."""
    comm = report.commentary()
    codes = set(report.measures["code"])
    rest = comm[~comm["code"].isin(codes)]
    if rest.empty:
        return Html("")
    return join(heading("Other commentary", 2), paragraphs(rest["text"].tolist()))
