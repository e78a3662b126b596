"""The finance page: its head, the summary box and its sections in the notebook's order.

Each section returns ``markup.Html`` for one part of the page: an ``<h2>``, its tables
(captioned, header cells, the unit in the caption and headers, figures with thousands
separators and negatives or surpluses in brackets, subtotal and total rows marked in words and
by their row's class, ``<tr class="pprr-total">``, shown bold) and charts with their text
descriptions. A section whose table the period's report does not have returns an empty
fragment, unless the report prints a statement instead (e.g. "no savings"), which is then shown
as printed. A period with no finance data gets a clear statement from ``finance_header`` and
empty sections. All text from data is escaped.

The sections are defined in the modules named for their part of the report (``revenue``,
``savings``, ``resources``, ``reconciliation``); the notebook calls them here
(``present_finance.X``), where ``SECTIONS`` puts them in order.
"""

from __future__ import annotations

from ..dataset import finance
from .context import Report
from .finance_tables import has_finance, headline_block, illustrative
from .markup import Html, heading, join, paragraphs
from .page import page_header
from .reconciliation import reconciliation_section
from .resources import capital_section, dsg_section, one_off_section
from .revenue import (
    budget_reconciliation_section,
    budget_section,
    cash_limit_section,
    outturn_section,
    reserves_section,
)
from .savings import business_cases_section, savings_section


def finance_header(report: Report) -> Html:
    """The page's style block, its one ``<h1>``, the report title, edition notes and, when the
    period has no finance data, a statement saying so (and which periods have)."""
    parts = [page_header(report, page="finance")]
    if not has_finance(report):
        held = finance.finance_periods(report.dataset)
        parts.append(
            paragraphs(
                [
                    f"There is no finance data for {report.period}. The data has finance for: "
                    + (", ".join(held) if held else "no period")
                    + "."
                ]
            )
        )
    else:
        parts.append(
            paragraphs(
                [
                    "Figures are as printed in the report: £000 or £m as each table's caption "
                    "says, thousands separated, reductions, income and surpluses in brackets. "
                    "Every printed total is recomputed from its rows in the reconciliation "
                    "at the end of the page."
                ]
            )
        )
    return join(*parts)


def headline_section(report: Report) -> Html:
    """The summary box: cash limit, forecast, (surplus)/deficit, reserves, contingency, capital
    budget, as printed (figure and unit), and its printed statements (``headline_block``)."""
    block = headline_block(
        report,
        illustrative(
            report,
            f"Summary box, {report.period}: figures as printed, each in its unit "
            "(surplus in brackets)",
        ),
    )
    return join(heading("Summary", 2, anchor="finance-summary"), block) if block else Html("")


# ---------------------------------------------------------------- the whole page

__all__ = [
    "SECTIONS",
    "budget_reconciliation_section",
    "budget_section",
    "business_cases_section",
    "capital_section",
    "cash_limit_section",
    "dsg_section",
    "finance_header",
    "finance_page",
    "headline_section",
    "one_off_section",
    "outturn_section",
    "reconciliation_section",
    "reserves_section",
    "savings_section",
]

SECTIONS = (
    finance_header,
    headline_section,
    cash_limit_section,
    budget_section,
    budget_reconciliation_section,
    outturn_section,
    reserves_section,
    savings_section,
    business_cases_section,
    dsg_section,
    capital_section,
    one_off_section,
    reconciliation_section,
)


def finance_page(report: Report) -> Html:
    """Every section, in the notebook's order (for tests and scripts)."""
    return join(*(section(report) for section in SECTIONS))
