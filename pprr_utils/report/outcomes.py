"""The outcomes framework page: one section per ambition with its measures' latest figure,
status and trend (``outcomes.csv``, ``outcome_measures.csv``; optional tables).

An outcomes framework (a partnership plan's ambitions, named in ``portfolio.yml``) names the
measures each ambition is tracked by. A measure is matched to the report's framework by its
``series``, so a code of another framework still finds its figure; a measure the portfolio
does not report (no code, or none in this framework) is listed as such.
"""

from __future__ import annotations

import pandas as pd

from ..dataset.formats import is_blank
from .context import Report
from .markup import Html, esc, heading, join, paragraphs, region
from .measures import figure_with_count
from .symbols import status_badge, trend_badge


def has_outcomes(dataset: object, framework: str | None) -> bool:
    """True when the data has an outcomes framework that applies to ``framework``."""
    tables = getattr(dataset, "tables", dataset)
    outcomes = tables.get("outcomes") if hasattr(tables, "get") else None
    if outcomes is None or outcomes.empty:
        return False
    p = getattr(dataset, "portfolio", None)
    wanted = p.outcomes_frameworks if p is not None else ()
    return not wanted or framework in wanted


def outcomes_title(report: Report) -> str:
    """The outcomes framework's name (``portfolio.yml`` ``outcomes.title``)."""
    p = report.dataset.portfolio
    return p.outcomes_title if p is not None else "Outcomes framework"


def matched_code(report: Report, code: object) -> str | None:
    """The report framework's measure for ``code`` (itself, or the one of its series)."""
    if is_blank(code):
        return None
    measures = report.dataset.tables["measures"]
    mine = report.measures
    if code in set(mine["code"]):
        return str(code)
    series = set(measures.loc[measures["code"] == code, "series"].dropna())
    hit = mine[mine["series"].isin(series)]
    return str(hit["code"].iloc[0]) if not hit.empty else None


def ambition_rows(report: Report, ambition: int) -> pd.DataFrame:
    """One row per measure of the ambition: as printed, its code here, latest, status, trend."""
    om = report.dataset.tables["outcome_measures"]
    mine = om[om["ambition"] == ambition].sort_values("seq")
    card = report.scorecard.set_index("code")
    rows = []
    for _, m in mine.iterrows():
        code = matched_code(report, m["code"])
        if code is None or code not in card.index:
            where = f"the {report.framework} framework"
            rows.append(
                {
                    "Measure": esc(m["measure"]),
                    "Code": "",
                    "Latest": "",
                    "Status": f"Not reported in {esc(where)}",
                    "Trend": "",
                }
            )
            continue
        r = card.loc[code]
        rows.append(
            {
                "Measure": esc(m["measure"]),
                "Code": esc(code),
                "Latest": esc(
                    figure_with_count(r["value"], r["unit"], count=r["count"], as_at=r["as_at"])
                ),
                "Status": str(status_badge(r["status"])),
                "Trend": str(trend_badge(r["trend"])),
            }
        )
    return pd.DataFrame(rows, columns=["Measure", "Code", "Latest", "Status", "Trend"])


def _table(frame: pd.DataFrame, caption: str) -> Html:
    head = "".join(f'<th scope="col">{esc(c)}</th>' for c in frame.columns)
    body = "".join(
        "<tr>"
        + "".join(
            f'<th scope="row">{row[c]}</th>' if c == "Measure" else f"<td>{row[c]}</td>"
            for c in frame.columns
        )
        + "</tr>"
        for _, row in frame.iterrows()
    )
    return region(
        f'<table class="pprr-table"><caption>{esc(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>",
        caption,
    )


def ambitions(report: Report) -> Html:
    """Every ambition: its title, what delivers it and its measures' latest position."""
    table = report.dataset.tables["outcomes"].sort_values("ambition")
    if table.empty:
        return Html(paragraphs(["The data holds no outcomes framework."]))
    parts = []
    for _, a in table.iterrows():
        n = int(a["ambition"])
        title = str(a["title"])
        parts.append(heading(f"Ambition {n}: {title[:1].upper()}{title[1:]}", 2, anchor=f"a{n}"))
        if not is_blank(a.get("delivered_through")):
            parts.append(paragraphs([f"Delivered through: {a['delivered_through']}."]))
        rows = ambition_rows(report, n)
        if rows.empty:
            parts.append(paragraphs(["The framework names no measure for this ambition."]))
            continue
        reported = int((rows["Code"] != "").sum())
        parts.append(
            paragraphs([f"{reported} of {len(rows)} measures are reported for {report.period}."])
        )
        caption = f"Ambition {n} measures, {report.period}" + (
            " (illustrative data)" if report.illustrative else ""
        )
        parts.append(_table(rows, caption))
    return join(*parts)
