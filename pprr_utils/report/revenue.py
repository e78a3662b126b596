"""The revenue budget and its monitoring, as section specs (``finance_specs``): the cash limit
and the budget changes, the budget by service, the reconciliation to the budget, the forecast
outturn with its placement breakdowns, and the earmarked reserves."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ..dataset import finance, formats
from ..dataset.formats import is_missing
from .context import Report
from .finance_charts import variance_chart, waterfall_chart
from .finance_specs import MoneyTable, Part, Section, Words
from .finance_tables import check_sentence, illustrative, money_table, percent, precise
from .markup import Html, esc, join

# ---------------------------------------------------------------- revenue budget


def _cash_limit_check(report: Report, frame: pd.DataFrame, words: Words) -> Html:
    """The check that previous + movements = current cash limit, and the waterfall chart."""
    ds, p, unit = report.dataset, report.period, words["unit"]
    tot = frame[frame["row_type"] == "total"]
    wf = finance.cash_limit_waterfall(ds, p)
    if not (len(tot) and len(wf)):
        return Html("")
    t = tot.iloc[0]
    moves = wf[~wf["kind"].isin(["start", "end"])]["value"].sum()
    return join(
        check_sentence(
            f"previous cash limit + movements = current cash limit ({unit})",
            wf["status"].iloc[-1],
            formats.money(t["current"], unit),
            f"{formats.money(wf['value'].iloc[0], unit)} + {formats.money(moves, unit)} = "
            f"{formats.money(wf['cumulative'].iloc[-1], unit)}",
        ),
        waterfall_chart(
            wf,
            title=f"Cash limit: {words['prev']} to {words['now']}, {p}",
            unit=unit,
            illustrative=report.illustrative,
        ).to_html(),
    )


#: Cash limit by area (previous + change = current), the budget changes since the previous
#: report with their descriptions, the check that they reconcile, and the waterfall chart.
cash_limit_section = Section(
    "Revenue budget: cash limit",
    MoneyTable(
        finance.cash_limit,
        "Cash limit by area, {period} ({unit}; reductions in brackets)",
        label=("line", "Area"),
        money={
            "previous": "Previously reported {prev} {unit}",
            "change": "Increase / (reduction) {unit}",
            "current": "Current budget {now} {unit}",
        },
        check="Check: previous + change = current",
    ),
    anchor="cash-limit",
    after=(
        MoneyTable(
            finance.budget_changes,
            "Budget changes since {prev}, {period} ({unit}; reductions in brackets)",
            label=("line", "Description"),
            money={"movement": "Movement(s) {unit}"},
            heading="Budget changes since {previous_report}",
        ),
        _cash_limit_check,
    ),
)


def _budget_lead(frame: pd.DataFrame, words: Words) -> str | None:
    tot = frame[frame["row_type"] == "total"]
    if tot.empty:
        return None
    unit = words["unit"]
    t = {
        c: formats.money(tot[c].iloc[0], unit)
        for c in ("total", "employee", "non_employee", "income")
    }
    return (
        f"The revenue cash limit budget is {t['total']} ({unit}). Total expenditure (employee "
        f"{t['employee']} and non-employee {t['non_employee']}) is greater than the cash limit "
        f"because part of it is funded by income, {t['income']}."
    )


#: The Agreement's revenue budget by service: employee, non-employee, income, total, with the
#: area totals and the Portfolio Total marked.
budget_section = Section(
    "Revenue budget {year} by service",
    MoneyTable(
        finance.agreement_budget,
        "Revenue cash limit budget {year} by service ({unit}; income in brackets)",
        before={"area": "Area"},
        label=("line", "Service"),
        money={
            "employee": "Employee expenditure {unit}",
            "non_employee": "Non-employee expenditure {unit}",
            "income": "Income {unit}",
            "total": "Grand total {unit}",
        },
        check="Check: total = employee + non-employee + income",
    ),
    anchor="revenue-budget",
    lead=_budget_lead,
)


def _reconciliation_check(report: Report, frame: pd.DataFrame, words: Words) -> Html:
    """The check that the adjustments take the previous budget to this one, and its chart."""
    wf = finance.cash_limit_waterfall(report.dataset, report.period)
    if wf.empty:
        return Html("")
    start, end = wf.iloc[0], wf.iloc[-1]
    unit = words["unit"]
    return join(
        check_sentence(
            f"{start['label']} + adjustments = {end['label']} (EC&F, {unit})",
            end["status"],
            formats.money(end["printed"], unit),
            formats.money(end["cumulative"], unit),
        ),
        waterfall_chart(
            wf,
            title=f"From {start['label']} to {end['label']}",
            unit=unit,
            illustrative=report.illustrative,
        ).to_html(),
    )


#: The reconciliation from the previous year's budget (inflation, demand, adjustments, savings)
#: to this year's, printed blanks left blank, and its waterfall chart.
budget_reconciliation_section = Section(
    "Reconciliation to the {year} budget",
    MoneyTable(
        finance.budget_reconciliation,
        "Adjustments to the revenue cash limit budget, {year} ({unit}; reductions in "
        "brackets; blank where the report prints nothing)",
        before={"block": "Block"},
        label=("line", "Line"),
        money={
            "childrens": "Childrens {unit}",
            "education": "Education {unit}",
            "ecf": "EC&F {unit}",
        },
    ),
    anchor="budget-reconciliation",
    after=(_reconciliation_check,),
)


# ---------------------------------------------------------------- outturn


def _total_check(cols: Sequence[str], what: str) -> Part:
    """A ``Part``: the check that the rows add up to the Total they explain, in ``cols``."""

    def check(report: Report, frame: pd.DataFrame, words: Words) -> Html:
        tot = frame[frame["row_type"] == "total"]
        if tot.empty:
            return Html("")
        t, unit = tot.iloc[0], words["unit"]
        printed = "; ".join(formats.money(t[c], unit) for c in cols)
        computed = "; ".join(precise(t[f"{c}_computed"], unit) for c in cols)
        return check_sentence(what.format(**words), t["status"], printed, computed)

    return check


#: CLA placements forecast including and excluding Covid-19 costs, checked against its Total
#: (an ``<h3>`` inside the outturn section; empty when the period has none).
placements_block = Section(
    "CLA placements, including and excluding Covid-19 costs",
    MoneyTable(
        finance.placements,
        "CLA placements forecast (surplus)/deficit, {period} ({unit}; surplus in brackets); "
        "Covid-19 costs = including less excluding",
        label=("line", "Description"),
        money={
            "incl_covid": "{unit} Incl. Covid-19",
            "excl_covid": "{unit} Excl. Covid-19",
            "covid_costs": "Covid-19 costs {unit}",
        },
        unit="£m",
    ),
    level=3,
    after=(
        _total_check(
            ["incl_covid", "excl_covid"],
            "the placement rows add up to the Total they explain (incl.; excl. Covid-19, {unit})",
        ),
    ),
)

#: Non-CLA placements forecast variance, checked against its Total.
non_cla_block = Section(
    "Non-CLA placements",
    MoneyTable(
        finance.non_cla,
        "Non-CLA placements forecast (surplus)/deficit, {period} ({unit}; surplus in brackets)",
        label=("line", "Description"),
        money={"variance": "{unit}"},
        unit="£m",
    ),
    level=3,
    after=(
        _total_check(["variance"], "the non-CLA rows add up to the Total they explain ({unit})"),
    ),
)


def _outturn_lead(frame: pd.DataFrame, words: Words) -> str | None:
    tot = frame[frame["row_type"] == "total"]
    if tot.empty:
        return None
    t, unit = tot.iloc[0], words["unit"]
    pos = t["position"]
    amount = formats.money(abs(t["variance"]), unit)
    lead = (
        f"Forecast outturn {formats.money(t['forecast'], unit)} against a budget of "
        f"{formats.money(t['budget'], unit)} ({unit}): a forecast "
        + (f"{pos} of {amount}" if pos != "balanced" else "balanced position")
        + f", {percent(t['variance_pct'])} of budget."
    )
    if not is_missing(t["variance_previous"]):
        lead += (
            f" At {words['prev']} the forecast variance was "
            f"{formats.money(t['variance_previous'], unit)}; the movement since is "
            f"{formats.money(t['movement'], unit)}."
        )
    return lead


def _outturn_columns(frame: pd.DataFrame, words: Words) -> dict[str, list]:
    """The outturn's columns after its figures: % of budget, the previous variance and the
    movement (as printed), and the position in words."""
    unit, prev = words["unit"], words["prev"]
    return {
        "Variance % of budget": [percent(v) for v in frame["variance_pct"]],
        f"Forecast variance {prev} {unit}": [
            formats.money(v, unit) for v in frame["variance_previous"]
        ],
        f"Movement since {prev} {unit}": [formats.money(v, unit) for v in frame["movement"]],
        "Position": [esc(v) for v in frame["position"]],
    }


def _variance_chart(report: Report, frame: pd.DataFrame, words: Words) -> str:
    return variance_chart(
        frame,
        title=f"Forecast variance by area, {report.period}",
        unit=words["unit"],
        illustrative=report.illustrative,
    ).to_html()


#: Forecast outturn by area (budget, forecast, variance, % of budget, previous variance,
#: movement, deficit/surplus), its chart, and the placement breakdowns with their checks.
outturn_section = Section(
    "Forecast outturn",
    MoneyTable(
        finance.outturn,
        "Forecast outturn by area, {period} ({unit}; variance is (surplus)/deficit, "
        "surplus in brackets)",
        label=("line", "Area"),
        money={
            "budget": "Budget {now} {unit}",
            "forecast": "Forecast outturn {now} {unit}",
            "variance": "Forecast variance {now} {unit} (surplus)/deficit",
        },
        raw=_outturn_columns,
        check="Check: variance = forecast - budget",
    ),
    anchor="outturn",
    lead=_outturn_lead,
    after=(_variance_chart, placements_block, non_cla_block),
)


# ---------------------------------------------------------------- reserves


def _reserves_lead(frame: pd.DataFrame, words: Words) -> str | None:
    tot = frame[frame["row_type"] == "total"]
    if tot.empty:
        return None
    t, unit = tot.iloc[0], words["unit"]
    shown = reserves_section.table.shown_money(frame, words)
    lead = [f"{h.rsplit(' ', 1)[0]} {formats.money(t[c], unit)}" for c, h in shown.items()]
    return f"Totals ({unit}): " + "; ".join(lead) + "."


def _reserves_by_category(report: Report, frame: pd.DataFrame, words: Words) -> Html:
    """Totals by category (computed, not printed), in the figure columns the reserves show."""
    cat = finance.reserves_by_category(report.dataset, report.period)
    if len(cat) <= 1:
        return Html("")
    return money_table(
        cat.assign(row_type="item"),
        illustrative(
            report,
            f"Earmarked reserves by category, {report.period} ({words['unit']}; computed from "
            "the rows above, not a printed table)",
        ),
        label=("category", "Reserve category"),
        text={"reserves": "Reserves"},
        money=reserves_section.table.shown_money(frame, words),
        unit=words["unit"],
    )


#: Earmarked reserves by category and narration: approved use, planned use and balance (the
#: columns the report prints), with the total marked, and totals by category.
reserves_section = Section(
    "Earmarked reserves",
    MoneyTable(
        finance.reserves,
        "Earmarked reserves, {period} ({unit})",
        before={"category": "Reserve category", "narration": "Reserve narration"},
        label=("line", "To be used for"),
        money={
            "approved": "Reserve / approved use balance {unit}",
            "planned": "Planned / approved use of reserves {unit}",
            "balance": "Balance of reserve {unit}",
        },
        check="Check: balance = approved - planned",
        optional=True,
    ),
    anchor="reserves",
    lead=_reserves_lead,
    after=(_reserves_by_category,),
)

#: Allocated one-off resources.
