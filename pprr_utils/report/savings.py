"""The portfolio savings programme (proposals, risk ratings) and the savings business cases."""

from __future__ import annotations

import pandas as pd

from ..dataset import finance, formats
from ..dataset.formats import is_blank
from .context import Report
from .finance_tables import (
    first_value,
    has_finance,
    illustrative,
    money_table,
    printed_statement,
    unit_of,
)
from .markup import Html, esc, heading, join, paragraphs, table
from .symbols import status_badge


def savings_section(report: Report) -> Html:
    """The savings programme: each proposal with its risk rating (symbol and word), value
    identified, achieved and unachieved, subtotals and total marked, and the report's own
    risk-rating definitions; or the report's "no savings" statement as printed."""
    if not has_finance(report):
        return Html("")
    sv = finance.savings(report.dataset, report.period)
    statement = printed_statement(report, "portfolio_savings_programme")
    if sv.empty and statement is None:
        return Html("")
    parts = [heading("Portfolio savings programme", 2, anchor="savings")]
    if sv.empty:
        parts.append(paragraphs([statement]))
        return join(*parts)
    unit = unit_of(sv, "£m")
    s = finance.savings_summary(report.dataset, report.period).iloc[0]
    parts.append(
        paragraphs(
            [
                f"{int(s['proposals'])} proposals: {int(s['green'])} Green, {int(s['amber'])} "
                f"Amber, {int(s['red'])} Red. Value identified {formats.money(s['identified'], unit)}, "
                f"achieved {formats.money(s['achieved'], unit)}, unachieved "
                f"{formats.money(s['unachieved'], unit)} ({unit})."
            ]
        )
    )
    rating = ["" if is_blank(x) else str(status_badge(str(x).lower())) for x in sv["risk_rating"]]
    parts.append(
        money_table(
            sv,
            illustrative(
                report,
                f"Savings programme {report.period} ({unit}: the report's header says £000 "
                "over figures printed in £m)",
            ),
            label=("line", "Proposal"),
            money={
                "identified": f"Value identified {unit}",
                "achieved": f"Value achieved {unit}",
                "unachieved": f"Unachieved {unit} (identified - achieved)",
            },
            unit=unit,
            raw={
                "Risk rating": rating,
                "Additional information": [esc(x) for x in sv["additional_information"]],
            },
        )
    )
    rr = finance.risk_ratings(report.dataset, report.period)
    if len(rr):
        parts.append(heading("Risk rating", 3))
        shown = pd.DataFrame(
            {
                "Rating": [str(status_badge(str(x).lower())) for x in rr["rating"]],
                "Definition (the report's own words)": rr["definition"].tolist(),
            }
        )
        parts.append(
            table(
                shown,
                illustrative(report, "Savings risk ratings as the report defines them"),
                row_header="Rating",
                raw=["Rating"],
            )
        )
    return join(*parts)


def _lines(text: object) -> str:
    if is_blank(text):
        return "<p>None printed.</p>"
    items = [t.strip() for t in str(text).split("\n") if t.strip()]
    return "<ul>" + "".join(f"<li>{esc(t)}</li>" for t in items) + "</ul>"


def business_cases_section(report: Report) -> Html:
    """The savings business cases as a tracker: lens, senior officer, saving, reserves, and per
    case its milestones and risks."""
    if "business_cases" not in report.dataset.tables:
        return Html("")
    bc = finance.business_cases(report.dataset, report.period)
    if bc.empty:
        return Html("")
    year = first_value(bc, "year")
    parts = [heading(f"Savings business cases {year}: tracker", 2, anchor="business-cases")]
    shown = pd.DataFrame(
        {
            "Case": [str(int(c)) for c in bc["case"]],
            "Project": bc["project"].tolist(),
            "MTFP lens (business case)": bc["mtfp_lens"].tolist(),
            "MTFP driver (summary table)": bc["summary_mtfp_driver"].tolist(),
            "Senior responsible officer": bc["senior_officer"].tolist(),
            "Service": bc["service"].tolist(),
            f"Saving {year}": [("not printed" if is_blank(s) else s) for s in bc["saving"]],
            "Reserves needed": ["Yes" if x else "No" for x in bc["reserves_needed"]],
        }
    )
    parts.append(
        table(
            shown,
            illustrative(report, f"Savings business cases {year}: lens, officer and saving"),
            row_header="Project",
        )
    )
    for _, c in bc.iterrows():
        parts.append(heading(f"Case {int(c['case'])}: {c['project']}", 3))
        parts.append(
            f"<p><strong>MTFP lens:</strong> {esc(c['mtfp_lens'])}. "
            f"<strong>Senior responsible officer:</strong> {esc(c['senior_officer'])}. "
            f"<strong>Council Plan priority:</strong> {esc(c['council_plan_priority'])}.</p>"
        )
        parts.append(heading("Milestones", 4) + _lines(c["milestones"]))
        parts.append(heading("Risks", 4) + _lines(c["risks"]))
    return join(*parts)
