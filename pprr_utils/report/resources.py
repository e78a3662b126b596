"""The page's other resources: the Dedicated Schools Grant's centrally held blocks, the capital
programme and its resources, and the allocated one-off resources."""

from __future__ import annotations

import pandas as pd

from ..dataset import finance, formats
from .context import Report
from .finance_specs import MoneyTable, Section
from .finance_tables import (
    check_sentence,
    has_finance,
    illustrative,
    money_table,
    period_view,
    precise,
    printed_statement,
    row_label,
    unit_of,
)
from .markup import Html, heading, join, paragraphs, table


def dsg_section(report: Report) -> Html:
    """Dedicated Schools Grant: the centrally held blocks and their total, the in-year and
    cumulative deficits (approximate figures marked 'c.' as printed)."""
    d = period_view(report, finance.dsg)
    if d.empty:
        return Html("")
    unit = unit_of(d, "£m")
    order = {"allocation": 0, "centrally_held_block": 1, "centrally_held_total": 2}
    d = d.assign(_o=d["item"].map(order).fillna(3)).sort_values("_o", kind="stable")
    parts = [heading("Dedicated Schools Grant", 2, anchor="dsg")]
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
            illustrative(
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
            check_sentence(
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
    statement = printed_statement(report, "capital_programme")
    if cap.empty and statement is None:
        return Html("")
    parts = [heading("Capital programme", 2, anchor="capital")]
    if cap.empty:
        parts.append(paragraphs([statement]))
        return join(*parts)
    unit = unit_of(cap)
    years = [c for c in cap.columns if c not in ("line", "row_type", "expenditure_to_date", "unit")]
    raw_cap = ds.tables["finance_capital"]
    as_at = raw_cap[(raw_cap["period"] == p) & raw_cap["as_at"].notna()]["as_at"]
    exp_head = f"Expenditure to date {unit}" + (f" (as at {as_at.iloc[0]})" if len(as_at) else "")
    parts.append(
        money_table(
            cap,
            illustrative(report, f"Capital programme, {p} ({unit})"),
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
                illustrative(report, f"Capital resources, {p} ({unit})"),
                label=("line", "Resources"),
                money={y: f"{y} {unit}" for y in ry},
                unit=unit_of(res),
            )
        )
    return join(*parts)


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
