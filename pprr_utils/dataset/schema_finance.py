"""Finance tables of the dataset (see data/README.md, 'Finance').

Every table has ``period`` (the report the figures were published in: ``2021/22 Q2`` for the
mid-year report, ``2023/24`` for the 2024/25 Agreement baseline), a ``unit`` column and a
``source``. Printed subtotals and totals are rows (``row_type`` subtotal/total) checked by a
``SumCheck``; row identities (e.g. previous + change = current) by a ``RowCheck``.
"""

from __future__ import annotations

from .tables import SOURCE, Column, RowCheck, SumCheck, Table

PERIOD = Column(
    "period", "period", description="report period: 2021/22 Q2, or 2023/24 for the 2024/25 PPRA"
)
YEAR = Column("year", "period", description="financial year the figures are for")
LINE = Column("line", description="the row label as printed")
UNIT = Column("unit", allowed=("£000", "£m", "%"), description="unit of the figures in the row")
ROW_TYPE = Column(
    "row_type",
    allowed=("item", "subtotal", "total", "memo"),
    description="item, subtotal or total as printed; memo: a printed line that is not summed",
)
AREA = Column("area", description="portfolio area as printed (e.g. Education)")


def _money(name: str, description: str = "", required: bool = True) -> Column:
    return Column(name, "float", required=required, description=description)


HEADLINE = Table(
    "finance_headline",
    (
        PERIOD,
        Column("item", description="cash_limit, forecast, surplus_deficit, reserves_*, ..."),
        Column("year", "period", required=False, description="for capital_budget: the year"),
        Column("label", required=False, description="the label or phrase as printed"),
        _money("value", "figure as printed (empty for a statement)", required=False),
        Column("unit", required=False, allowed=("£000", "£m", "%")),
        Column("note", required=False, description="statement printed instead of a figure"),
        SOURCE,
    ),
    key=("period", "item", "year"),
    description="Summary-box figures (cash limit, forecast, (surplus)/deficit, reserves, "
    "contingency, capital budget) and one-line statements.",
    group="finance",
    required=False,
)

BUDGET = Table(
    "finance_budget",
    (
        PERIOD,
        YEAR,
        Column("area", allowed=("Children", "Education", "Portfolio"), description="area; "
               "Portfolio for the Portfolio Total"),
        Column("service", required=False, description="service; empty on total rows"),
        LINE,
        _money("employee", "Employee Expenditure"),
        _money("non_employee", "Non- Employee Expenditure"),
        _money("income", "Income (negative)"),
        _money("total", "Grand Total (net)"),
        ROW_TYPE,
        UNIT,
        SOURCE,
    ),
    key=("period", "area", "line"),
    description="Revenue cash limit budget by service: employee, non-employee, income, total.",
    sum_checks=(
        SumCheck(("employee", "non_employee", "income", "total"), scope=("period",), group="area"),
    ),
    row_checks=(RowCheck("total", ((1, "employee"), (1, "non_employee"), (1, "income"))),),
    group="finance",
    required=False,
)  # fmt: skip

BUDGET_RECONCILIATION = Table(
    "finance_budget_reconciliation",
    (
        PERIOD,
        YEAR,
        Column("seq", "int", min=1, description="order as printed"),
        Column("block", description="heading the line is under (its subtotal's group)"),
        LINE,
        _money("childrens", "Childrens £000", required=False),
        _money("education", "Education £000", required=False),
        _money("ecf", "EC&F £000 (the portfolio)", required=False),
        ROW_TYPE,
        UNIT,
        SOURCE,
    ),
    key=("period", "seq"),
    description="Reconciliation of the cash limit from the previous year's Q4 budget "
    "(blank cells printed blank are left empty).",
    sum_checks=(SumCheck(("childrens", "education", "ecf"), scope=("period",), group="block"),),
    row_checks=(RowCheck("ecf", ((1, "childrens"), (1, "education"))),),
    group="finance",
    required=False,
)

CASH_LIMIT = Table(
    "finance_cash_limit",
    (
        PERIOD,
        Column("area", required=False, description="area; empty on the Cash Limit total"),
        LINE,
        Column("previous_report", description="the report the previous budget is from, e.g. Q1.5"),
        _money("previous", "budget previously reported"),
        _money("change", "Increase / (Reduction)"),
        _money("current", "current budget"),
        ROW_TYPE,
        UNIT,
        SOURCE,
    ),
    key=("period", "line"),
    description="Cash limit by area: previous budget, change, current budget.",
    sum_checks=(SumCheck(("previous", "change", "current"), scope=("period",)),),
    row_checks=(RowCheck("current", ((1, "previous"), (1, "change"))),),
    group="finance",
    required=False,
)

BUDGET_CHANGES = Table(
    "finance_budget_changes",
    (
        PERIOD,
        Column("seq", "int", min=1),
        LINE,
        Column("area", required=False, description="area the movement applies to (inferred "
               "from the cash limit table where the report does not say)"),
        _money("movement", "Movement(s)"),
        ROW_TYPE,
        UNIT,
        SOURCE,
    ),
    key=("period", "seq"),
    description="Budget changes since the previous report, with their descriptions.",
    sum_checks=(SumCheck(("movement",), scope=("period",)),),
    group="finance",
    required=False,
)  # fmt: skip

OUTTURN = Table(
    "finance_outturn",
    (
        PERIOD,
        Column("area", required=False, description="area; empty on the Total"),
        LINE,
        Column("previous_report", description="report of the previous forecast, e.g. Q1.5"),
        _money("budget", "budget at this report"),
        _money("forecast", "forecast outturn"),
        _money("variance", "forecast variance, (surplus)/deficit"),
        _money("variance_previous", "forecast variance at the previous report", required=False),
        ROW_TYPE,
        UNIT,
        SOURCE,
    ),
    key=("period", "line"),
    description="Forecast outturn and variance by area (before any contingency allocation).",
    sum_checks=(
        SumCheck(("budget", "forecast", "variance", "variance_previous"), scope=("period",)),
    ),
    row_checks=(RowCheck("variance", ((1, "forecast"), (-1, "budget"))),),
    group="finance",
    required=False,
)

PLACEMENTS = Table(
    "finance_placements",
    (
        PERIOD,
        LINE,
        _money("incl_covid", "forecast variance including Covid-19 costs, (surplus)/deficit"),
        _money("excl_covid", "forecast variance excluding Covid-19 costs, (surplus)/deficit"),
        ROW_TYPE,
        UNIT,
        SOURCE,
    ),
    key=("period", "line"),
    description="Children looked after placements forecast variance, incl./excl. Covid-19.",
    sum_checks=(SumCheck(("incl_covid", "excl_covid"), scope=("period",), step=0.001),),
    group="finance",
    required=False,
)

NON_CLA = Table(
    "finance_non_cla",
    (
        PERIOD,
        LINE,
        _money("variance", "forecast variance, (surplus)/deficit"),
        ROW_TYPE,
        UNIT,
        SOURCE,
    ),
    key=("period", "line"),
    description="Non-CLA placements (SGO, adoption allowances, ...) forecast variance.",
    sum_checks=(SumCheck(("variance",), scope=("period",), step=0.001),),
    group="finance",
    required=False,
)

RESERVES = Table(
    "finance_reserves",
    (
        PERIOD,
        YEAR,
        Column("seq", "int", min=1),
        Column("category", required=False, description="Reserve Category; empty on the Total"),
        Column("narration", description="Reserve Narration ('Total' on the total row)"),
        Column("purpose", required=False, description="To be used for"),
        Column("line", description="row label: the purpose ('To be used for'), or Total"),
        _money("approved", "Reserve / Approved Use Balance", required=False),
        _money("planned", "Planned / Approved use of Reserves", required=False),
        _money("balance", "Balance of Reserve", required=False),
        ROW_TYPE,
        UNIT,
        SOURCE,
    ),
    key=("period", "seq"),
    description="Earmarked reserves: approved balance, planned use and balance.",
    sum_checks=(SumCheck(("approved", "planned", "balance"), scope=("period",)),),
    row_checks=(RowCheck("balance", ((1, "approved"), (-1, "planned"))),),
    group="finance",
    required=False,
)

SAVINGS = Table(
    "finance_savings",
    (
        PERIOD,
        YEAR,
        Column("area", description="heading printed above the proposal; Directorate for totals"),
        LINE,
        Column("risk_rating", required=False, allowed=("Green", "Amber", "Red")),
        _money("identified", "Value Identified"),
        _money("achieved", "Value Achieved"),
        Column("additional_information", required=False),
        ROW_TYPE,
        UNIT,
        SOURCE,
    ),
    key=("period", "area", "line"),
    description="Savings programme: proposals with risk rating, value identified and achieved "
    "(printed under a £000 header but in £m: see the quality notes).",
    sum_checks=(SumCheck(("identified", "achieved"), scope=("period",), group="area", step=0.001),),
    group="finance",
    required=False,
)

RISK_RATINGS = Table(
    "finance_risk_ratings",
    (
        PERIOD,
        Column("rating", allowed=("Green", "Amber", "Red")),
        Column("definition", description="the report's own definition"),
        SOURCE,
    ),
    key=("period", "rating"),
    description="The savings risk ratings as the report defines them.",
    group="finance",
    required=False,
)

DSG = Table(
    "finance_dsg",
    (
        PERIOD,
        YEAR,
        Column(
            "item",
            allowed=(
                "allocation",
                "centrally_held_block",
                "centrally_held_total",
                "in_year_deficit",
                "cumulative_deficit",
            ),
        ),
        LINE,
        _money("value"),
        Column("approx", "bool", description="printed with 'c.' (circa)"),
        ROW_TYPE,
        UNIT,
        SOURCE,
    ),
    key=("period", "year", "item", "line"),
    description="Dedicated Schools Grant: centrally held blocks and their total, in-year and "
    "cumulative deficit, allocation.",
    sum_checks=(SumCheck(("value",), scope=("period", "year"), step=0.001),),
    group="finance",
    required=False,
)

CAPITAL = Table(
    "finance_capital",
    (
        PERIOD,
        LINE,
        Column("measure", allowed=("programme", "expenditure_to_date")),
        YEAR,
        _money("value"),
        Column("as_at", required=False, description="expenditure as at (date as printed)"),
        Column("note", required=False, description="footnote printed with the column"),
        ROW_TYPE,
        UNIT,
        SOURCE,
    ),
    key=("period", "line", "measure", "year"),
    description="Capital programme by scheme and year, and expenditure to date.",
    sum_checks=(
        SumCheck(("value",), scope=("period", "measure", "year"), label_with=("year", "measure")),
    ),
    group="finance",
    required=False,
)

CAPITAL_RESOURCES = Table(
    "finance_capital_resources",
    (PERIOD, LINE, YEAR, _money("value"), ROW_TYPE, UNIT, SOURCE),
    key=("period", "line", "year"),
    description="Resources funding the capital programme, by year.",
    sum_checks=(SumCheck(("value",), scope=("period", "year"), label_with=("year",)),),
    group="finance",
    required=False,
)

ONE_OFF = Table(
    "finance_one_off",
    (PERIOD, YEAR, LINE, _money("value"), UNIT, SOURCE),
    key=("period", "line"),
    description="Allocated one-off resources.",
    group="finance",
    required=False,
)

FINANCE_TABLES: tuple[Table, ...] = (
    HEADLINE,
    BUDGET,
    BUDGET_RECONCILIATION,
    CASH_LIMIT,
    BUDGET_CHANGES,
    OUTTURN,
    PLACEMENTS,
    NON_CLA,
    RESERVES,
    SAVINGS,
    RISK_RATINGS,
    DSG,
    CAPITAL,
    CAPITAL_RESOURCES,
    ONE_OFF,
)
