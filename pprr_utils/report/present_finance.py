"""The finance page: ``finance``'s reconciled frames as HTML sections, the way the PPRR prints them.

Each ``*_section(report)`` returns ``present.Html`` for one part of the page: an ``<h2>``, its
tables (captioned, header cells, the unit in the caption and headers, figures with thousands
separators and negatives or surpluses in brackets, subtotal and total rows marked in words and
by their row's class, ``<tr class="pprr-total">``, shown bold) and charts with their text
descriptions. A section whose table the period's report does not have returns an empty
fragment, unless the report prints a statement instead (e.g. "no savings"), which is then shown
as printed. A period with no finance data gets a clear statement
from ``finance_header`` and empty sections. All text from data is escaped.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from ..dataset import finance, formats
from ..dataset.formats import is_blank, is_missing
from ..dataset.load import Dataset
from .charts import variance_chart, waterfall_chart
from .context import Report
from .present import (
    Html,
    esc,
    heading,
    headline_block,
    join,
    page_header,
    paragraphs,
    status_badge,
    table,
)

#: reconciliation status -> (symbol, css class of present's tags, meaning)
CHECK_STATUS: dict[str, tuple[str, str, str]] = {
    "ok": ("\u2713", "green", "the printed figure equals the figure computed from its rows"),
    "rounding": (
        "\u2248",
        "none",
        "the difference is within the rounding of the printed figures",
    ),
    "mismatch": (
        "\u2717",
        "red",
        "the printed figure differs from its rows by more than rounding can explain",
    ),
}
_ROW_WORD = {"subtotal": "subtotal", "total": "total"}


# ---------------------------------------------------------------- helpers


def has_finance(report: Report) -> bool:
    """True when the data has finance rows for the report's period."""
    return report.period in finance.finance_periods(report.dataset)


def _view(report: Report, view: Callable[[Dataset, str], pd.DataFrame]) -> pd.DataFrame:
    """``view(dataset, period)`` for the report's period; empty when the period has no
    finance data (a section then renders nothing)."""
    if not has_finance(report):
        return pd.DataFrame()
    return view(report.dataset, report.period)


def _first(frame: pd.DataFrame, column: str, default: str = "") -> str:
    """The column's first non-blank value as text (e.g. the year or previous report)."""
    found = frame[column].dropna()
    return str(found.iloc[0]) if len(found) else default


def _in_year(period: str) -> str:
    """The quarter of an in-year period (``Q2`` of ``2021/22 Q2``); a year-end as it is."""
    return period.split()[-1] if " " in period else period


def precise(value: object, unit: object = "£000") -> str:
    """Like ``formats.money``, with up to two more decimals when the printed precision would
    hide a difference (computed values and differences in the reconciliation)."""
    if is_missing(value):
        return ""
    v = float(value)  # type: ignore[arg-type]
    u = None if is_blank(unit) else str(unit)
    base = formats.MONEY_DECIMALS.get(u or "", 0)
    for decimals in (base, base + 1, base + 2):
        if abs(v - round(v, decimals)) < 1e-9:
            break
    return formats.format_money(v, decimals)


def percent(value: object) -> str:
    """A percentage as printed, two decimals, negatives in brackets: '0.92%', '(31.93%)'."""
    text = formats.money(value, "%")
    if not text:
        return ""
    return text[:-1] + "%)" if text.endswith(")") else text + "%"


def _unit(frame: pd.DataFrame, default: str = "£000") -> str:
    if "unit" in frame and len(frame) and not is_blank(frame["unit"].iloc[0]):
        return str(frame["unit"].iloc[0])
    return default


def row_label(text: object, row_type: object = "item") -> str:
    """Escaped row label; subtotal and total rows in bold and named as such in words."""
    label = esc(text)
    kind = _ROW_WORD.get(str(row_type))
    if kind is None:
        return label
    if "total" not in str(text).lower():
        label += f" ({kind})"
    return f"<strong>{label}</strong>"


def money_table(
    frame: pd.DataFrame,
    caption: str,
    *,
    label: tuple[str, str],
    money: Mapping[str, str],
    unit: str,
    text: Mapping[str, str] | None = None,
    raw: Mapping[str, Sequence[str]] | None = None,
    before: Mapping[str, str] | None = None,
) -> Html:
    """A finance table through ``present.table``: ``label`` (column, header) is the row header
    (subtotal and total rows marked in words and, from ``row_type``, by their row's class),
    ``money`` maps columns to headers shown as printed in ``unit``, ``text`` adds escaped text
    columns, ``raw`` adds ready-made HTML columns (header -> cells), and ``before`` text columns
    go before the row header."""
    rt = frame["row_type"] if "row_type" in frame else pd.Series(["item"] * len(frame))
    out: dict[str, list] = {}
    for col, head in (before or {}).items():
        out[head] = frame[col].tolist()
    out[label[1]] = [row_label(t, r) for t, r in zip(frame[label[0]], rt, strict=True)]
    for col, head in (text or {}).items():
        out[head] = frame[col].tolist()
    for col, head in money.items():
        out[head] = [formats.money(v, unit) for v in frame[col]]
    for head, cells in (raw or {}).items():
        out[head] = list(cells)
    shown = pd.DataFrame(out, columns=list(out))
    return table(
        shown,
        caption,
        row_header=label[1],
        numeric=list(money.values()),
        raw=[label[1], *(raw or {})],
        row_types=rt.tolist(),
    )


def check_badge(status: object) -> Html:
    """'✓ ok' / '≈ rounding' / '✗ mismatch' as a tag: symbol and word, never colour alone."""
    s = "" if is_blank(status) else str(status)
    symbol, cls, _ = CHECK_STATUS.get(s, ("\u2013", "none", ""))
    word = s or "not checked"
    return Html(
        f'<span class="pprr-tag pprr-{cls}"><span aria-hidden="true">{symbol}</span> '
        f"{esc(word)}</span>"
    )


def _check_sentence(what: str, status: object, printed: str, computed: str) -> Html:
    """One line saying whether ``what`` adds up."""
    s = "" if is_blank(status) else str(status)
    verdict = {
        "ok": "they do",
        "rounding": "they do, within rounding",
        "mismatch": "they do NOT: the printed figure is shown unchanged",
    }.get(s, "not checked")
    return Html(
        f"<p>Check: {esc(what)}: printed {esc(printed)}, computed {esc(computed)}; "
        f"{esc(verdict)} {check_badge(s)}</p>"
    )


def _illustrative(report: Report, caption: str) -> str:
    return caption + (" (illustrative data)" if report.illustrative else "")


def _h(text: str, anchor: str) -> Html:
    return heading(text, 2, anchor=anchor)


# ---------------------------------------------------------------- section specs and the render loop

#: the words a spec's text may name: {period}, {unit}, {year}, {prev} (the previous report),
#: {previous_report} (the same, or "the previous report"), {now} (the quarter)
Words = Mapping[str, str]
#: what follows a section's table: a table of another view, a sub-section, or a function
#: (report, the section's frame, its words) -> HTML
Part = Callable[[Report, pd.DataFrame, Words], str]


@dataclass(frozen=True, eq=False)
class MoneyTable:
    """One printed finance table as the page shows it: the ``finance`` function that gives its
    rows and ``money_table``'s columns. Captions and headers may name the ``Words``."""

    view: Callable[[Dataset, str], pd.DataFrame]
    caption: str
    label: tuple[str, str]
    money: Mapping[str, str]
    before: Mapping[str, str] = field(default_factory=dict)
    text: Mapping[str, str] = field(default_factory=dict)
    #: ready-made columns after the figures: (frame, words) -> {header: cells}
    raw: Callable[[pd.DataFrame, Words], dict[str, list]] | None = None
    #: header of the last column: each row's check badge (from its ``status``)
    check: str = ""
    #: leave out figure columns with no figures, and the check when nothing was checked
    optional: bool = False
    #: an ``<h3>`` above the table (when it follows a section's own table)
    heading: str = ""
    #: the unit when the frame names none
    unit: str = "£000"

    def shown_money(self, frame: pd.DataFrame, words: Words) -> dict[str, str]:
        """The figure columns shown (column -> header in ``words``)."""
        return {
            c: h.format(**words)
            for c, h in self.money.items()
            if not self.optional or frame[c].notna().any()
        }


@dataclass(frozen=True, eq=False)
class Section:
    """A part of the page built round one table: its heading (level 2 with an anchor, or 3),
    an optional lead paragraph from the frame, the table, then what follows it (``Part``s)."""

    heading: str
    table: MoneyTable
    anchor: str = ""
    level: int = 2
    lead: Callable[[pd.DataFrame, Words], str | None] | None = None
    after: tuple[MoneyTable | Section | Part, ...] = ()

    def __call__(self, report: Report) -> Html:
        """The section of ``report``'s page (``render``): a notebook cell calls it."""
        return render(report, self)


def words_of(report: Report, frame: pd.DataFrame, unit: str = "£000") -> dict[str, str]:
    """The ``Words`` of a section's frame: its unit (``unit`` when it names none), year and
    previous report, with the report's period and quarter."""
    p = report.period
    prev = _first(frame, "previous_report") if "previous_report" in frame else ""
    return {
        "period": p,
        "unit": _unit(frame, unit),
        "year": _first(frame, "year", p) if "year" in frame else p,
        "prev": prev,
        "previous_report": prev or "the previous report",
        "now": _in_year(p),
    }


def render_table(report: Report, spec: MoneyTable, frame: pd.DataFrame, words: Words) -> Html:
    """``spec``'s table of ``frame`` through ``money_table``, its text in ``words``."""
    raw = dict(spec.raw(frame, words)) if spec.raw else {}
    if spec.check and (not spec.optional or frame["status"].notna().any()):
        raw[spec.check] = [check_badge(s) for s in frame["status"]]
    return money_table(
        frame,
        _illustrative(report, spec.caption.format(**words)),
        label=spec.label,
        money=spec.shown_money(frame, words),
        unit=words["unit"],
        text=spec.text,
        raw=raw,
        before=spec.before,
    )


def render(report: Report, section: Section) -> Html:
    """The section: empty when its table's view has no rows for the period."""
    frame = _view(report, section.table.view)
    if frame.empty:
        return Html("")
    words = words_of(report, frame, section.table.unit)
    parts = [heading(section.heading.format(**words), section.level, anchor=section.anchor or None)]
    lead = section.lead(frame, words) if section.lead else None
    if lead:
        parts.append(paragraphs([lead]))
    parts.append(render_table(report, section.table, frame, words))
    for part in section.after:
        if isinstance(part, Section):
            parts.append(part(report))
        elif isinstance(part, MoneyTable):
            rows = _view(report, part.view)
            if len(rows):
                if part.heading:
                    parts.append(heading(part.heading.format(**words), 3))
                parts.append(render_table(report, part, rows, words))
        else:
            parts.append(part(report, frame, words))
    return join(*parts)


# ---------------------------------------------------------------- page header and summary


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
        _illustrative(
            report,
            f"Summary box, {report.period}: figures as printed, each in its unit "
            "(surplus in brackets)",
        ),
    )
    return join(_h("Summary", "finance-summary"), block) if block else Html("")


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
        _check_sentence(
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
        _check_sentence(
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
        return _check_sentence(what.format(**words), t["status"], printed, computed)

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
        _illustrative(
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
one_off_section = Section(
    "Allocated one-off resources",
    MoneyTable(
        finance.one_off,
        "Allocated one-off resources, {period} ({unit})",
        label=("line", "Resource"),
        text={"year": "Year"},
        money={"value": "{unit}"},
        unit="£m",
    ),
    anchor="one-off",
)


# ---------------------------------------------------------------- savings and business cases


def _statement(report: Report, item: str) -> str | None:
    h = finance.headline(report.dataset, report.period)
    rows = h[(h["item"] == item) & h["note"].notna()]
    return None if rows.empty else str(rows["note"].iloc[0])


def savings_section(report: Report) -> Html:
    """The savings programme: each proposal with its risk rating (symbol and word), value
    identified, achieved and unachieved, subtotals and total marked, and the report's own
    risk-rating definitions; or the report's "no savings" statement as printed."""
    if not has_finance(report):
        return Html("")
    sv = finance.savings(report.dataset, report.period)
    statement = _statement(report, "portfolio_savings_programme")
    if sv.empty and statement is None:
        return Html("")
    parts = [_h("Portfolio savings programme", "savings")]
    if sv.empty:
        parts.append(paragraphs([statement]))
        return join(*parts)
    unit = _unit(sv, "£m")
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
            _illustrative(
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
                _illustrative(report, "Savings risk ratings as the report defines them"),
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
    year = _first(bc, "year")
    parts = [_h(f"Savings business cases {year}: tracker", "business-cases")]
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
            _illustrative(report, f"Savings business cases {year}: lens, officer and saving"),
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


# ---------------------------------------------------------------- DSG, capital


def dsg_section(report: Report) -> Html:
    """Dedicated Schools Grant: the centrally held blocks and their total, the in-year and
    cumulative deficits (approximate figures marked 'c.' as printed)."""
    d = _view(report, finance.dsg)
    if d.empty:
        return Html("")
    unit = _unit(d, "£m")
    order = {"allocation": 0, "centrally_held_block": 1, "centrally_held_total": 2}
    d = d.assign(_o=d["item"].map(order).fillna(3)).sort_values("_o", kind="stable")
    parts = [_h("Dedicated Schools Grant", "dsg")]
    shown_value = [
        ("c. " if bool(a) else "") + formats.money(v, unit)
        for v, a in zip(d["value"], d["approx"], strict=True)
    ]
    shown = pd.DataFrame(
        {
            "Line": [row_label(t, r) for t, r in zip(d["line"], d["row_type"], strict=True)],
            "Year": d["year"].tolist(),
            unit: shown_value,
        }
    )
    parts.append(
        table(
            shown,
            _illustrative(
                report,
                f"Dedicated Schools Grant, {report.period} ({unit}; c. = approximate as printed)",
            ),
            row_header="Line",
            numeric=[unit],
            raw=["Line"],
            row_types=d["row_type"].tolist(),
        )
    )
    tot = d[d["row_type"] == "total"]
    if len(tot):
        blocks = d[d["row_type"] == "item"]["value"].sum()
        printed = tot["value"].iloc[0]
        parts.append(
            _check_sentence(
                f"the centrally held blocks add up to the total ({unit})",
                finance.status_of(printed, blocks, len(d), 0.001),
                formats.money(printed, unit),
                precise(blocks, unit),
            )
        )
    return join(*parts)


def capital_section(report: Report) -> Html:
    """The capital programme by year with expenditure to date, and its resources; or the
    report's "no capital programme" statement as printed."""
    if not has_finance(report):
        return Html("")
    ds, p = report.dataset, report.period
    cap = finance.capital(ds, p)
    statement = _statement(report, "capital_programme")
    if cap.empty and statement is None:
        return Html("")
    parts = [_h("Capital programme", "capital")]
    if cap.empty:
        parts.append(paragraphs([statement]))
        return join(*parts)
    unit = _unit(cap)
    years = [c for c in cap.columns if c not in ("line", "row_type", "expenditure_to_date", "unit")]
    raw_cap = ds.tables["finance_capital"]
    as_at = raw_cap[(raw_cap["period"] == p) & raw_cap["as_at"].notna()]["as_at"]
    exp_head = f"Expenditure to date {unit}" + (f" (as at {as_at.iloc[0]})" if len(as_at) else "")
    parts.append(
        money_table(
            cap,
            _illustrative(report, f"Capital programme, {p} ({unit})"),
            label=("line", "Scheme"),
            money={"expenditure_to_date": exp_head, **{y: f"{y} programme {unit}" for y in years}},
            unit=unit,
        )
    )
    res = finance.capital_resources(ds, p)
    if len(res):
        ry = [c for c in res.columns if c not in ("line", "row_type", "unit")]
        parts.append(heading("Capital resources", 3))
        parts.append(
            money_table(
                res,
                _illustrative(report, f"Capital resources, {p} ({unit})"),
                label=("line", "Resources"),
                money={y: f"{y} {unit}" for y in ry},
                unit=_unit(res),
            )
        )
    return join(*parts)


# ---------------------------------------------------------------- reconciliation


def _quality_notes(report: Report) -> pd.DataFrame:
    """Import notes on the printed tables this page shows: those located at ("file, section",
    or a line of it) a source of the period's finance or business-case rows (their ``source``
    and ``*_source`` columns, e.g. the proposals summary table behind the business cases)."""
    q = report.dataset.tables.get("quality_notes")
    if q is None or q.empty:
        return pd.DataFrame()
    sources: set[str] = set()
    for name, df in report.dataset.tables.items():
        if (name.startswith("finance_") or name == "business_cases") and "period" in df:
            rows = df[df["period"] == report.period]
            for col in [c for c in rows.columns if c == "source" or c.endswith("_source")]:
                sources |= {str(x) for x in rows[col] if not is_blank(x)}

    def on_page(location: object) -> bool:
        loc = str(location)
        return any(loc == s or loc.startswith(f"{s}, ") for s in sources)

    return q[q["location"].map(on_page).astype(bool)].reset_index(drop=True)


def reconciliation_section(report: Report) -> Html:
    """Every printed total and identity: printed, computed, difference and status (ok /
    rounding / mismatch); mismatches listed first and never corrected; then the import's
    notes on these tables (misprints, unit inconsistencies)."""
    if not has_finance(report):
        return Html("")
    rec = finance.reconcile(report.dataset, report.period)
    parts = [_h("Reconciliation: every printed total recomputed", "reconciliation")]
    counts = rec["status"].value_counts()
    parts.append(
        paragraphs(
            [
                f"{len(rec)} checks: {int(counts.get('ok', 0))} ok, "
                f"{int(counts.get('rounding', 0))} within rounding, "
                f"{int(counts.get('mismatch', 0))} mismatches. Printed figures are shown as "
                "printed; a mismatch is reported here, never corrected."
            ]
        )
    )
    key = pd.DataFrame(
        {
            "Status": [str(check_badge(k)) for k in CHECK_STATUS],
            "Meaning": [v[2] for v in CHECK_STATUS.values()],
        }
    )
    parts.append(table(key, "Key to reconciliation statuses", row_header="Status", raw=["Status"]))
    mism = rec[rec["status"] == "mismatch"]
    if len(mism):
        parts.append(heading("Mismatches", 3))
        parts.append(
            "<ul>"
            + "".join(
                f"<li>{esc(r['table'])}: {esc(r['line'])} ({esc(r['column'])}) printed "
                f"{esc(formats.money(r['printed'], r['unit']))}, computed "
                f"{esc(precise(r['computed'], r['unit']))}, difference "
                f"{esc(precise(r['difference'], r['unit']))} {esc(r['unit'])}</li>"
                for _, r in mism.iterrows()
            )
            + "</ul>"
        )
    rank = {"mismatch": 0, "rounding": 1, "ok": 2}
    rec = rec.assign(_r=rec["status"].map(rank)).sort_values("_r", kind="stable")
    shown = pd.DataFrame(
        {
            "Table": rec["table"].str.removeprefix("finance_").tolist(),
            "Line": [esc(x) for x in rec["line"]],
            "Column": rec["column"].tolist(),
            "Check": rec["description"].tolist(),
            "Unit": rec["unit"].tolist(),
            "Printed": [
                formats.money(v, u) for v, u in zip(rec["printed"], rec["unit"], strict=True)
            ],
            "Computed": [precise(v, u) for v, u in zip(rec["computed"], rec["unit"], strict=True)],
            "Difference": [
                precise(v, u) for v, u in zip(rec["difference"], rec["unit"], strict=True)
            ],
            "Status": [str(check_badge(s)) for s in rec["status"]],
        }
    )
    parts.append(
        table(
            shown,
            _illustrative(
                report,
                f"Reconciliation of the printed finance figures, {report.period}: mismatches "
                "first, then rounding, then ok",
            ),
            row_header="Line",
            numeric=["Printed", "Computed", "Difference"],
            raw=["Line", "Status"],
        )
    )
    q = _quality_notes(report)
    if len(q):
        parts.append(heading("Notes on the printed finance tables", 3))
        frame = q[["id", "location", "issue", "resolution"]].copy()
        frame.columns = ["Id", "Where", "Issue", "Resolution"]
        parts.append(
            table(
                frame,
                "Misprints and inconsistencies in this period's finance tables, and how each "
                "was resolved",
                row_header="Id",
            )
        )
    return join(*parts)


# ---------------------------------------------------------------- whole page

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
