"""Finance tables for a reporting period: pure functions of the loaded Dataset.

Every function takes the ``Dataset`` from ``load.load_dataset`` and a period (any spelling
``parse_period`` accepts) and returns a DataFrame; nothing is printed or plotted. Figures stay
in the unit they were printed in (the ``unit`` column). ``reconcile`` (every printed total and
identity with the value computed from its rows and a status: ok, rounding or mismatch) lives
in ``reconciliation`` and stays importable from here.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from .formats import money
from .load import Dataset
from .periods import normalise_period
from .reconciliation import (
    _STEP,
    STATUS,
    _period,
    _rows,
    finance_periods,
    reconcile,
    status_of,
)
from .schema_finance import FINANCE_TABLES

# ----------------------------------------------------------------------------- helpers


def position_of(variance: float) -> str:
    """'deficit' (overspend), 'surplus' (underspend, printed in brackets) or 'balanced'."""
    if variance > 0:
        return "deficit"
    return "surplus" if variance < 0 else "balanced"


# ----------------------------------------------------------------------------- views


def headline(ds: Dataset, period: str) -> pd.DataFrame:
    """Summary-box figures and statements, with the printed form of each figure."""
    df = _rows(ds, "finance_headline", _period(ds, period))
    df["text"] = [money(v, u) for v, u in zip(df["value"], df["unit"], strict=True)]
    return df


def cash_limit(ds: Dataset, period: str) -> pd.DataFrame:
    """Cash limit by area: previous + change = current, each row checked."""
    df = _rows(ds, "finance_cash_limit", _period(ds, period))
    df["computed_current"] = df["previous"] + df["change"]
    df["difference"] = df["current"] - df["computed_current"]
    df["status"] = [
        status_of(c, k, 2) for c, k in zip(df["current"], df["computed_current"], strict=True)
    ]
    return df


def budget_changes(ds: Dataset, period: str) -> pd.DataFrame:
    """Budget movements since the previous report, with their printed text."""
    df = _rows(ds, "finance_budget_changes", _period(ds, period))
    df["text"] = [money(v) for v in df["movement"]]
    return df


def _waterfall(
    start: tuple[str, float], moves: Iterable[tuple[str, float]], end: tuple[str, float], unit: str
) -> pd.DataFrame:
    rows = [
        dict(
            label=start[0],
            kind="start",
            value=start[1],
            bottom=0.0,
            top=start[1],
            cumulative=start[1],
        )
    ]
    level = start[1]
    for label, value in moves:
        rows.append(
            dict(
                label=label,
                kind="increase" if value >= 0 else "decrease",
                value=value,
                bottom=min(level, level + value),
                top=max(level, level + value),
                cumulative=level + value,
            )
        )
        level += value
    rows.append(
        dict(label=end[0], kind="end", value=level, bottom=0.0, top=level, cumulative=level)
    )
    df = pd.DataFrame(rows)
    df.insert(0, "step", range(1, len(df) + 1))
    df["printed"] = np.nan
    df.loc[df.index[-1], "printed"] = end[1]
    df["status"] = None
    df.loc[df.index[-1], "status"] = status_of(end[1], level, len(rows) - 1, _STEP.get(unit, 1.0))
    df["unit"] = unit
    return df


def cash_limit_waterfall(ds: Dataset, period: str, column: str = "ecf") -> pd.DataFrame:
    """Waterfall-ready steps from the previous budget to the current one.

    In-year: previous cash limit, each budget change, current cash limit. For an Agreement
    (no in-year cash limit) the budget reconciliation: the previous year's Q4 budget, each
    non-zero adjustment, this year's budget (``column``: childrens, education or ecf).
    Columns: step, label, kind (start/increase/decrease/end), value, bottom, top,
    cumulative, printed (the printed end figure), status of the end against it, unit.
    """
    p = _period(ds, period)
    cl = _rows(ds, "finance_cash_limit", p)
    if len(cl):
        tot = cl[cl["row_type"] == "total"].iloc[0]
        ch = _rows(ds, "finance_budget_changes", p)
        items = ch[ch["row_type"] == "item"]
        if len(items):
            moves = list(zip(items["line"], items["movement"], strict=True))
        else:
            areas = cl[cl["row_type"] == "item"]
            moves = list(zip(areas["line"], areas["change"], strict=True))
        return _waterfall(
            (f"Previously reported {tot['previous_report']}", tot["previous"]),
            moves,
            (tot["line"], tot["current"]),
            tot["unit"],
        )
    rec = _rows(ds, "finance_budget_reconciliation", p)
    if not len(rec):
        return _waterfall(("", 0.0), [], ("", 0.0), "£000").iloc[0:0]
    items = rec[rec["row_type"] == "item"]
    first = items.iloc[0]
    moves = [
        (r["line"], r[column])
        for _, r in items.iloc[1:].iterrows()
        if not pd.isna(r[column]) and r[column] != 0
    ]
    tot = rec[rec["row_type"] == "total"].iloc[0]
    return _waterfall(
        (first["line"], first[column]), moves, (tot["line"], tot[column]), tot["unit"]
    )


def outturn(ds: Dataset, period: str) -> pd.DataFrame:
    """Forecast outturn by area: variance, % of budget, movement since the previous forecast.

    ``variance_text`` is the variance as the report prints it (surplus in brackets);
    ``position`` says deficit / surplus / balanced; ``status`` checks forecast - budget.
    """
    df = _rows(ds, "finance_outturn", _period(ds, period))
    df["variance_pct"] = 100 * df["variance"] / df["budget"]
    df["movement"] = df["variance"] - df["variance_previous"]
    df["variance_text"] = [money(v, u) for v, u in zip(df["variance"], df["unit"], strict=True)]
    df["movement_text"] = [money(v, u) for v, u in zip(df["movement"], df["unit"], strict=True)]
    df["position"] = [position_of(v) for v in df["variance"]]
    df["status"] = [
        status_of(v, f - b, 2)
        for v, f, b in zip(df["variance"], df["forecast"], df["budget"], strict=True)
    ]
    return df


def breakdown(ds: Dataset, period: str, table: str) -> pd.DataFrame:
    """A breakdown table (``finance_placements``, ``finance_non_cla``, ...) with its Total checked.

    Adds ``computed`` (sum of the item rows, on total rows), ``difference`` and ``status``.
    """
    p = _period(ds, period)
    df = _rows(ds, table, p)
    spec = next(t for t in FINANCE_TABLES if t.name == table)
    cols = [c.name for c in spec.columns if c.kind == "float"]
    items = df[df["row_type"] == "item"]
    for c in cols:
        df[f"{c}_computed"] = np.where(df["row_type"] == "total", items[c].sum(), np.nan)
        df[f"{c}_difference"] = df[c] - df[f"{c}_computed"]
    step = _STEP.get(df["unit"].iloc[0], 1.0) if len(df) else 1.0
    df["status"] = [
        None
        if r["row_type"] != "total"
        else max(
            (status_of(r[c], r[f"{c}_computed"], len(items), step) for c in cols), key=STATUS.index
        )
        for _, r in df.iterrows()
    ]
    return df


def placements(ds: Dataset, period: str) -> pd.DataFrame:
    """CLA placements forecast incl./excl. Covid-19, with Covid-19 costs (incl - excl)."""
    df = breakdown(ds, period, "finance_placements")
    df["covid_costs"] = (df["incl_covid"] - df["excl_covid"]).round(6)
    df["incl_text"] = [money(v, "£m") for v in df["incl_covid"]]
    df["excl_text"] = [money(v, "£m") for v in df["excl_covid"]]
    return df


def non_cla(ds: Dataset, period: str) -> pd.DataFrame:
    """Non-CLA placements forecast variance with its Total checked."""
    df = breakdown(ds, period, "finance_non_cla")
    df["variance_text"] = [money(v, "£m") for v in df["variance"]]
    return df


def reserves(ds: Dataset, period: str) -> pd.DataFrame:
    """Earmarked reserves with approved - planned = balance checked on each row."""
    df = _rows(ds, "finance_reserves", _period(ds, period))
    computed = df["approved"] - df["planned"]
    df["status"] = [
        None if pd.isna(k) else status_of(b, k, 2)
        for b, k in zip(df["balance"], computed, strict=True)
    ]
    return df


def reserves_by_category(ds: Dataset, period: str) -> pd.DataFrame:
    """Reserve totals by printed category (approved, planned, balance), largest first."""
    df = reserves(ds, period)
    items = df[df["row_type"] == "item"]
    out = items.groupby("category", sort=False)[["approved", "planned", "balance"]].sum(min_count=1)
    out["reserves"] = items.groupby("category", sort=False).size()
    return (
        out.reset_index()
        .sort_values("balance", ascending=False, kind="stable")
        .reset_index(drop=True)
    )


def savings(ds: Dataset, period: str) -> pd.DataFrame:
    """Savings proposals: risk rating, identified, achieved, unachieved (identified - achieved)."""
    df = _rows(ds, "finance_savings", _period(ds, period))
    df["unachieved"] = (df["identified"] - df["achieved"]).round(6)
    return df


def savings_summary(ds: Dataset, period: str) -> pd.DataFrame:
    """One row: identified, achieved and unachieved totals, and the printed unachieved line."""
    df = savings(ds, period)
    items = df[df["row_type"] == "item"]
    memo = df[(df["row_type"] == "memo") & df["line"].str.lower().str.startswith("unachieved")]
    unit = df["unit"].iloc[0] if len(df) else "£m"
    return pd.DataFrame(
        [
            dict(
                identified=items["identified"].sum(),
                achieved=items["achieved"].sum(),
                unachieved=round(items["identified"].sum() - items["achieved"].sum(), 6),
                printed_unachieved=memo["identified"].iloc[0] if len(memo) else np.nan,
                proposals=len(items),
                green=int((items["risk_rating"] == "Green").sum()),
                amber=int((items["risk_rating"] == "Amber").sum()),
                red=int((items["risk_rating"] == "Red").sum()),
                unit=unit,
            )
        ]
    )


def risk_ratings(ds: Dataset, period: str) -> pd.DataFrame:
    """The report's own Green / Amber / Red definitions."""
    return _rows(ds, "finance_risk_ratings", _period(ds, period))


def dsg(ds: Dataset, period: str) -> pd.DataFrame:
    """Dedicated Schools Grant: centrally held blocks, total, in-year and cumulative deficit."""
    return _rows(ds, "finance_dsg", _period(ds, period))


def capital(ds: Dataset, period: str) -> pd.DataFrame:
    """Capital programme: a row per scheme (and TOTAL), a column per year, expenditure to date."""
    df = _rows(ds, "finance_capital", _period(ds, period))
    if not len(df):
        return pd.DataFrame(columns=["line", "row_type", "expenditure_to_date", "unit"])
    prog = df[df["measure"] == "programme"].pivot_table(
        index=["line", "row_type"], columns="year", values="value", aggfunc="sum", sort=False
    )
    exp = df[df["measure"] == "expenditure_to_date"].set_index(["line", "row_type"])["value"]
    out = prog.copy()
    out.insert(0, "expenditure_to_date", exp)
    out.columns.name = None
    out = out.reset_index()
    out["unit"] = df["unit"].iloc[0]
    return out


def capital_resources(ds: Dataset, period: str) -> pd.DataFrame:
    """Capital resources: one row per resource (and TOTAL), one column per year."""
    df = _rows(ds, "finance_capital_resources", _period(ds, period))
    if not len(df):
        return pd.DataFrame(columns=["line", "row_type", "unit"])
    out = df.pivot_table(
        index=["line", "row_type"], columns="year", values="value", aggfunc="sum", sort=False
    )
    out.columns.name = None
    out = out.reset_index()
    out["unit"] = df["unit"].iloc[0]
    return out


def one_off(ds: Dataset, period: str) -> pd.DataFrame:
    """Allocated one-off resources."""
    return _rows(ds, "finance_one_off", _period(ds, period))


def agreement_budget(ds: Dataset, period: str) -> pd.DataFrame:
    """Budget by service split employee / non-employee / income, with gross expenditure."""
    df = _rows(ds, "finance_budget", _period(ds, period))
    df["gross_expenditure"] = df["employee"] + df["non_employee"]
    df["computed_total"] = df["employee"] + df["non_employee"] + df["income"]
    df["status"] = [
        status_of(t, c, 3) for t, c in zip(df["total"], df["computed_total"], strict=True)
    ]
    return df


def budget_by_area(ds: Dataset, period: str) -> pd.DataFrame:
    """The printed area totals and Portfolio Total of the budget, with each recomputed."""
    df = agreement_budget(ds, period)
    rows = []
    for _, r in df[df["row_type"] != "item"].iterrows():
        items = df[df["row_type"] == "item"]
        if r["row_type"] == "subtotal":
            items = items[items["area"] == r["area"]]
        out = {
            c: r[c] for c in ("area", "line", "employee", "non_employee", "income", "total", "unit")
        }
        out["computed_total"] = items["total"].sum()
        out["status"] = status_of(r["total"], out["computed_total"], len(items))
        rows.append(out)
    return pd.DataFrame(rows)


def budget_reconciliation(ds: Dataset, period: str) -> pd.DataFrame:
    """Reconciliation from the previous year's Q4 budget (printed blanks stay empty)."""
    return _rows(ds, "finance_budget_reconciliation", _period(ds, period))


def business_cases(ds: Dataset, period: str | None = None) -> pd.DataFrame:
    """Business-case tracker: lens, senior officer, saving, milestones and risks per case."""
    cases = ds.tables["business_cases"]
    if period is not None:
        cases = cases[cases["period"] == normalise_period(period)]
    det = ds.tables["business_case_details"]

    def joined(case: int, field: str) -> str:
        d = det[(det["case"] == case) & (det["field"] == field)].sort_values("seq")
        return "\n".join(d["text"])

    rows = []
    for _, c in cases.iterrows():
        rows.append(
            dict(
                case=c["case"],
                project=c["project"],
                year=c["year"],
                mtfp_lens=c["mtfp_lens"],
                summary_mtfp_driver=c["summary_mtfp_driver"],
                senior_officer=c["senior_officer"],
                service=c["service"],
                council_plan_priority=c["council_plan_priority"],
                saving=c["summary_saving_text"],
                reserves_needed=bool(c["reserves_needed"]),
                milestones=joined(c["case"], "milestones"),
                risks=joined(c["case"], "risks"),
                source=c["source"],
            )
        )
    return pd.DataFrame(rows)


__all__ = ["STATUS", "finance_periods", "reconcile", "status_of"]
