"""Finance tables for a reporting period, reconciled: pure functions of the loaded Dataset.

Every function takes the ``Dataset`` from ``load.load_dataset`` and a period (any spelling
``parse_period`` accepts) and returns a DataFrame; nothing is printed or plotted. Figures stay
in the unit they were printed in (the ``unit`` column); ``reconcile`` lists every printed total
and identity with the value computed from its rows and a status: ok, rounding or mismatch.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from .formats import money
from .load import Dataset
from .periods import normalise_period, parse_period, resolve_in
from .schema_finance import FINANCE_TABLES
from .validate import rounding_status, sum_comparisons

STATUS = ("ok", "rounding", "mismatch")
_STEP = {"£000": 1.0, "£m": 0.001, "%": 0.01}
_SCALE = {"£000": 1.0, "£m": 1000.0}


# ----------------------------------------------------------------------------- helpers


def finance_periods(ds: Dataset) -> list[str]:
    """Report periods that have any finance rows, in order."""
    found: set[str] = set()
    for spec in FINANCE_TABLES:
        df = ds.tables.get(spec.name)
        if df is not None and len(df):
            found |= set(df["period"].dropna())
    return sorted(found, key=parse_period)


def _period(ds: Dataset, period: str) -> str:
    return resolve_in(
        period,
        finance_periods(ds),
        unknown="no finance data for period {period}",
        held_as="the data has finance for",
        none="no period",
    )


def _rows(ds: Dataset, table: str, period: str) -> pd.DataFrame:
    df = ds.tables[table]
    return df[df["period"] == period].reset_index(drop=True)


#: ok / rounding / mismatch for a printed figure against its rows (``validate``'s rule)
status_of = rounding_status


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


# ----------------------------------------------------------------------------- reconcile

_COLUMNS = [
    "table",
    "check",
    "line",
    "column",
    "printed",
    "computed",
    "difference",
    "status",
    "unit",
    "description",
    "source",
]


def _rec(table, check, line, column, printed, computed, n, step, unit, description, source) -> dict:
    return dict(
        table=table,
        check=check,
        line=line,
        column=column,
        printed=float(printed),
        computed=round(float(computed), 9),
        difference=round(float(printed) - float(computed), 9),
        status=status_of(float(printed), float(computed), n, step),
        unit=unit,
        description=description,
        source=source,
    )


def _sum_checks(ds: Dataset, period: str) -> list[dict]:
    out = []
    for spec in FINANCE_TABLES:
        df = _rows(ds, spec.name, period)
        if not len(df):
            continue
        for sc in spec.sum_checks:
            for _, r, col, printed, computed, n, what in sum_comparisons(df, sc):
                out.append(
                    _rec(
                        spec.name,
                        "sum",
                        sc.label_of(r),
                        col,
                        printed,
                        computed,
                        n,
                        sc.step,
                        r.get("unit"),
                        f"printed {r[sc.row_type]} = sum of {what} rows",
                        r["source"],
                    )
                )
        for rc in spec.row_checks:
            for _, r in df.iterrows():
                if r["row_type"] not in rc.row_types or pd.isna(r[rc.result]):
                    continue
                terms = [(s, r[c]) for s, c in rc.terms]
                if all(pd.isna(v) for _, v in terms):
                    continue
                computed = sum(s * (0.0 if pd.isna(v) else float(v)) for s, v in terms)
                formula = " ".join(("+ " if s > 0 else "- ") + c for s, c in rc.terms).lstrip("+ ")
                out.append(
                    _rec(
                        spec.name,
                        "row",
                        r[rc.label],
                        rc.result,
                        r[rc.result],
                        computed,
                        len(terms),
                        rc.step,
                        r.get("unit"),
                        f"{rc.result} = {formula} (blank printed cells count as 0)",
                        r["source"],
                    )
                )
    return out


def _one(df: pd.DataFrame, **where) -> pd.Series | None:
    for k, v in where.items():
        df = df[df[k] == v]
    return df.iloc[0] if len(df) == 1 else None


def _cross_checks(ds: Dataset, period: str) -> list[dict]:
    """Figures printed in one table that another table also prints (unit-converted)."""
    out: list[dict] = []
    t = {s.name: _rows(ds, s.name, period) for s in FINANCE_TABLES}
    head = t["finance_headline"]

    def h(item, year=None):
        df = head[head["item"] == item]
        if year is not None:
            df = df[df["year"] == year]
        return df.iloc[0] if len(df) == 1 and not pd.isna(df.iloc[0]["value"]) else None

    def add(table, line, column, printed_row, printed_unit, computed_k, n, description):
        """Compare a printed figure (in its unit) with a value computed in £000."""
        scale = _SCALE[printed_unit]
        step = _STEP[printed_unit]
        out.append(
            _rec(
                table,
                "cross",
                line,
                column,
                printed_row,
                computed_k / scale,
                n,
                step,
                printed_unit,
                description,
                None,
            )
        )

    def add_head(r, computed_k, n, description):
        """Compare a summary-box figure (row ``r`` of finance_headline) with its source."""
        add(
            "finance_headline",
            r["label"],
            "value",
            r["value"],
            r["unit"],
            computed_k,
            n,
            description,
        )

    cl_tot = _one(t["finance_cash_limit"], row_type="total")
    bud_tot = _one(t["finance_budget"], row_type="total")
    ot_tot = _one(t["finance_outturn"], row_type="total")
    res_tot = _one(t["finance_reserves"], row_type="total")
    if (r := h("cash_limit")) is not None:
        if cl_tot is not None:
            add_head(
                r,
                cl_tot["current"],
                1,
                "summary-box cash limit = current cash limit (finance_cash_limit)",
            )
        elif bud_tot is not None:
            add_head(
                r,
                bud_tot["total"],
                1,
                "summary-box cash limit = Portfolio Total budget (finance_budget)",
            )
    alloc = h("contingency_allocation")
    if (r := h("forecast")) is not None and ot_tot is not None and alloc is not None:
        add_head(
            r,
            ot_tot["forecast"] - alloc["value"] * _SCALE[alloc["unit"]],
            2,
            "summary-box forecast = outturn forecast less the contingency allocation",
        )
    if (
        (r := h("surplus_deficit")) is not None
        and (f := h("forecast")) is not None
        and (c := h("cash_limit")) is not None
    ):
        add_head(
            r,
            (f["value"] - c["value"]) * _SCALE[f["unit"]],
            2,
            "(surplus)/deficit = forecast - cash limit",
        )
    if (
        (r := h("contingency_use")) is not None
        and alloc is not None
        and (b := h("contingency_budget_setting")) is not None
    ):
        add_head(
            r,
            (b["value"] + alloc["value"]) * _SCALE[r["unit"]],
            2,
            "contingency use = approved at budget setting + allocated at this report",
        )
    if res_tot is not None:
        if (r := h("reserves_approved_use")) is not None:
            col = "approved" if not pd.isna(res_tot["approved"]) else "balance"
            add_head(
                r, res_tot[col], 1, f"summary-box approved use of reserves = reserves Total ({col})"
            )
        if (r := h("reserves_planned_use")) is not None:
            add_head(
                r, res_tot["planned"], 1, "summary-box planned draw down = reserves Total (planned)"
            )
    cap = t["finance_capital"]
    res_cap = t["finance_capital_resources"]
    for _, r in head[head["item"] == "capital_budget"].iterrows():
        tot = _one(cap, row_type="total", measure="programme", year=r["year"])
        if tot is not None:
            add_head(
                r,
                tot["value"],
                1,
                "summary-box capital budget = capital programme TOTAL for the year",
            )
    for _, r in cap[(cap["row_type"] == "total") & (cap["measure"] == "programme")].iterrows():
        tot = _one(res_cap, row_type="total", year=r["year"])
        if tot is not None:
            add(
                "finance_capital_resources",
                f"{tot['line']} {r['year']}",
                "value",
                tot["value"],
                tot["unit"],
                r["value"],
                1,
                "capital resources TOTAL = capital programme TOTAL",
            )
    if (r := h("variance_pct_of_budget")) is not None and ot_tot is not None:
        out.append(
            _rec(
                "finance_headline",
                "cross",
                r["label"],
                "value",
                r["value"],
                100 * ot_tot["variance"] / ot_tot["budget"],
                1,
                0.01,
                "%",
                "printed variance % = Total variance / Total budget",
                r["source"],
            )
        )
    ot, cl = t["finance_outturn"], t["finance_cash_limit"]
    for _, r in ot.iterrows():
        c = _one(cl, line=r["line"]) if r["row_type"] == "item" else cl_tot
        if c is not None:
            add(
                "finance_outturn",
                r["line"],
                "budget",
                r["budget"],
                r["unit"],
                c["current"],
                1,
                "outturn budget = current cash limit",
            )
    ch = t["finance_budget_changes"]
    ch_tot = _one(ch, row_type="total")
    if ch_tot is not None and cl_tot is not None:
        add(
            "finance_budget_changes",
            ch_tot["line"],
            "movement",
            cl_tot["change"],
            cl_tot["unit"],
            ch_tot["movement"],
            1,
            "cash limit change = total of the budget changes",
        )
    for _, c in cl[cl["row_type"] == "item"].iterrows():
        moves = ch[(ch["row_type"] == "item") & (ch["area"] == c["area"])]["movement"]
        if len(ch) and ch["area"].notna().any():
            add(
                "finance_cash_limit",
                c["line"],
                "change",
                c["change"],
                c["unit"],
                moves.sum(),
                max(len(moves), 1),
                "area change = its budget changes (area as recorded)",
            )
    rec = t["finance_budget_reconciliation"]
    rec_tot = _one(rec, row_type="total")
    bud = t["finance_budget"]
    if rec_tot is not None and len(bud):
        for col, (area, rt) in {
            "childrens": ("Children", "subtotal"),
            "education": ("Education", "subtotal"),
            "ecf": ("Portfolio", "total"),
        }.items():
            b = _one(bud, area=area, row_type=rt)
            if b is not None and not pd.isna(rec_tot[col]):
                add(
                    "finance_budget_reconciliation",
                    rec_tot["line"],
                    col,
                    rec_tot[col],
                    rec_tot["unit"],
                    b["total"],
                    1,
                    f"reconciled budget = {area} {b['line']} in the budget by service",
                )
    sav = t["finance_savings"]
    memo = sav[(sav["row_type"] == "memo") & sav["line"].str.lower().str.startswith("unachieved")]
    items = sav[sav["row_type"] == "item"]
    for _, m in memo.iterrows():
        out.append(
            _rec(
                "finance_savings",
                "cross",
                m["line"],
                "identified",
                m["identified"],
                items["identified"].sum() - items["achieved"].sum(),
                len(items),
                0.001,
                m["unit"],
                "unachieved = identified - achieved",
                m["source"],
            )
        )
    sources = {name: "; ".join(sorted(set(df["source"]))) for name, df in t.items()}
    for r in out:
        r["source"] = r["source"] or sources[r["table"]]
    return out


def reconcile(ds: Dataset, period: str) -> pd.DataFrame:
    """Every printed total and identity for the period: printed, computed, difference, status.

    ``check`` is sum (a subtotal/total against its rows), row (a row identity such as
    previous + change = current) or cross (the same figure printed in two tables, e.g. the
    summary box against the table). ``status``: ok, rounding (within the rounding of the
    printed figures) or mismatch.
    """
    p = _period(ds, period)
    rows = _sum_checks(ds, p) + _cross_checks(ds, p)
    return pd.DataFrame(rows, columns=_COLUMNS)
