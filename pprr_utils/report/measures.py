"""The priority page: its measures table (exceptions first), the measures in detail (trend
chart and commentary) and the figures as the tables print them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from ..dataset.formats import figure, is_blank, is_missing
from ..dataset.periods import parse_period
from ..dataset.vocabulary import POLARITY
from .context import Report
from .markup import Html, esc, heading, join, paragraphs, region, slug
from .measure_charts import measure_chart
from .page import suppressed_periods, suppressed_text
from .symbols import STATUS, key_to_symbols, rating, status_badge, trend_badge

# ---------------------------------------------------------------- figures and the table


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
    text = "N/A" if is_blank(label) else str(label)
    if not is_blank(row.get("ambition")):
        text += f"; ambition {row.get('ambition')}"
    return text


_RANK = {"red": 0, "amber": 1, "green": 2}


def exceptions_first(rows: pd.DataFrame) -> pd.DataFrame:
    """Red, then amber, then the rest, keeping the published order within each."""
    if rows.empty:
        return rows
    rank = rows["status"].map(lambda s: _RANK.get(rating(s), 3))
    return rows.assign(_r=rank).sort_values("_r", kind="stable").drop(columns="_r")


def measures_table(
    rows: pd.DataFrame,
    *,
    caption: str,
    period_label: str = "",
    target_label: str = "",
    sort_exceptions: bool = True,
    show_forecast: bool | None = None,
    flag_label: str | None = None,
) -> Html:
    """The measures table: code, name, good performance, previous years, latest value (count,
    as-at), target, status, trend. ``rows`` are scorecard rows (plus optional ``prior_years``,
    ``headline``, ``unit``, ``target_*`` columns); ``flag_label`` marks headline measures. The forecast year-end column appears when
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
        if flag_label and r.get("headline") is True:
            name += f' <span class="pprr-flag">{esc(flag_label)}</span>'
        latest = figure_with_count(r.get("value"), unit, count=r.get("count"), as_at=r.get("as_at"))
        if is_missing(r.get("value")) and not is_blank(r.get("note")):
            latest = suppressed_text(r.get("note"))
        status = str(status_badge(r.get("status")))
        if rating(r.get("status")) not in STATUS and not is_blank(r.get("reason")):
            status += f'<span class="pprr-reason">{esc(r.get("reason"))}</span>'
        cells = [
            f'<th scope="row">{esc(r.get("code"))}</th>',
            f"<td>{name}</td>",
            f"<td>{esc(POLARITY.get(rating(r.get('polarity')), r.get('polarity')))}</td>",
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
    return region(
        f'<table class="pprr-table"><caption>{esc(caption)}</caption><thead><tr>{head}</tr>'
        f"</thead><tbody>{''.join(body)}</tbody></table>",
        caption,
    )


# ---------------------------------------------------------------- rows and sections


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
    """The report's ``measure_rows`` (scorecard, ``headline`` and ``section``, in measure order) for
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
    """Key to symbols and the priority's measures table (exceptions first)."""
    rows = scorecard_rows(report, report.priority)
    caption = f"Priority {report.priority} measures, {report.period}: red and amber first" + (
        " (illustrative data)" if report.illustrative else ""
    )
    return join(
        heading("Performance measures", 2, anchor="measures"),
        key_to_symbols(report, level=3),
        heading("Measures table", 3, anchor="measures-table"),
        measures_table(
            rows,
            caption=caption,
            period_label=report.period,
            target_label=str(report.period_info.get("target_year") or ""),
            show_forecast=report.period_info.get("kind") == "in-year",
            flag_label=report.headline_flag.label if report.headline_flag else None,
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
