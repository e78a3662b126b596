"""The finance tables reconciled: every printed total and identity against its rows.

``reconcile`` lists, for a period, each printed subtotal and total (against the sum of its
rows, by ``validate.sum_comparisons``), each row identity (previous + change = current) and
each figure printed in two tables, with the value computed and a status: ok, rounding or
mismatch (``validate.rounding_status``). The finance periods and a period's rows, which the
finance views share, are here too.
"""

from __future__ import annotations

import pandas as pd

from .load import Dataset
from .periods import parse_period, resolve_in
from .schema_finance import FINANCE_TABLES
from .validate import rounding_status, sum_comparisons

STATUS = ("ok", "rounding", "mismatch")
_STEP = {"£000": 1.0, "£m": 0.001, "%": 0.01}
#: each finance unit in £000
TO_THOUSANDS = {"£000": 1.0, "£m": 1000.0}


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
        scale = TO_THOUSANDS[printed_unit]
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
            ot_tot["forecast"] - alloc["value"] * TO_THOUSANDS[alloc["unit"]],
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
            (f["value"] - c["value"]) * TO_THOUSANDS[f["unit"]],
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
            (b["value"] + alloc["value"]) * TO_THOUSANDS[r["unit"]],
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
