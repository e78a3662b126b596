"""Finance: published totals reproduced, figures against the seeds, next quarter's input."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from pprr_utils.dataset import finance as F
from pprr_utils.dataset.errors import DataError, ParameterError
from pprr_utils.dataset.load import load_dataset
from pprr_utils.dataset.schema import all_tables
from pprr_utils.dataset.schema_finance import FINANCE_TABLES
from pprr_utils.ingest.build_finance import ILLUSTRATIVE, RAW_SOURCES, read_raw

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
RAW = DATA / "raw"
Q2, PPRA = "2021/22 Q2", "2023/24"
NEXT = "2021/22 Q3"  # the illustrative quarter


def _isolated(out: Path) -> Path:
    """data/ finance and plan CSVs; every other table header-only (isolates these tests)."""
    out.mkdir(parents=True, exist_ok=True)
    shutil.copy(DATA / "portfolio.yml", out / "portfolio.yml")
    for spec in all_tables():
        src = DATA / f"{spec.name}.csv"
        if spec.group in ("finance",) or spec.name.startswith("business_case"):
            shutil.copy(src, out / src.name)
        else:
            (out / src.name).write_text(",".join(spec.column_names) + "\n", encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def ds(tmp_path_factory):
    return load_dataset(_isolated(tmp_path_factory.mktemp("fin") / "data"))


# ----------------------------------------------------------------------------- published totals


@pytest.mark.parametrize("period", [Q2, PPRA])
def test_every_published_total_is_reproduced(ds, period: str) -> None:
    rec = F.reconcile(ds, period)
    assert set(rec["status"]) <= {"ok", "rounding"}, rec[rec["status"] == "mismatch"]
    # every printed subtotal/total row of every table is checked at least once
    for spec in FINANCE_TABLES:
        df = ds.tables[spec.name]
        df = df[df["period"] == period]
        if "row_type" not in df or not spec.sum_checks:
            continue
        for _, row in df[df["row_type"].isin(["subtotal", "total"])].iterrows():
            line = spec.sum_checks[0].label_of(row)  # e.g. capital's TOTAL 2022/23
            hit = rec[(rec["table"] == spec.name) & (rec["line"] == line) & (rec["check"] == "sum")]
            assert len(hit), f"{spec.name}: {line} not reconciled"


# (table, line, column) -> the figure as printed in the seed
PRINTED_TOTALS = {
    Q2: {
        ("finance_cash_limit", "Cash Limit", "previous"): 44402,
        ("finance_cash_limit", "Cash Limit", "change"): -7,
        ("finance_cash_limit", "Cash Limit", "current"): 44395,
        ("finance_budget_changes", "Total", "movement"): -7,
        ("finance_outturn", "Total", "budget"): 44395,
        ("finance_outturn", "Total", "forecast"): 44802,
        ("finance_outturn", "Total", "variance"): 407,
        ("finance_outturn", "Total", "variance_previous"): 433,
        ("finance_placements", "Total", "incl_covid"): -0.618,
        ("finance_placements", "Total", "excl_covid"): -1.780,
        ("finance_non_cla", "Total", "variance"): -0.005,
        ("finance_reserves", "Total", "approved"): 2652,
        ("finance_reserves", "Total", "planned"): 1376,
        ("finance_reserves", "Total", "balance"): 1276,
        ("finance_savings", "Subtotal Education", "identified"): 0.040,
        ("finance_savings", "Children Subtotal", "identified"): 0.092,
        ("finance_savings", "Directorate Total", "achieved"): 0.132,
        ("finance_dsg", "total DSG allocation which is centrally held", "value"): 35.128,
        ("finance_capital", "TOTAL 2022/23 programme", "value"): 24,
        ("finance_capital_resources", "TOTAL 2022/23", "value"): 24,
    },
    PPRA: {
        ("finance_budget", "Portfolio Total", "total"): 62052,
        ("finance_budget", "Portfolio Total", "income"): -15957,
        ("finance_budget_reconciliation", "2023/24 Recurrent Budget at Q4", "ecf"): 54060,
        ("finance_budget_reconciliation", "Total Indicative Adjustment:", "childrens"): 6140,
        ("finance_budget_reconciliation", "2024/25 Budget", "education"): 8100,
        ("finance_reserves", "Total", "balance"): 1252,
        ("finance_dsg", "total DSG allocation which is centrally held", "value"): 105.674,
    },
}


@pytest.mark.parametrize("period", [Q2, PPRA])
def test_printed_totals_against_their_rows(ds, period: str) -> None:
    rec = F.reconcile(ds, period)
    for (table, line, column), printed in PRINTED_TOTALS[period].items():
        hit = rec[
            (rec["table"] == table) & (rec["line"] == line) & (rec["column"] == column)
            & (rec["check"] == "sum") & (rec["printed"].round(3) == printed)
        ]  # fmt: skip
        assert len(hit), (table, line, column)
        assert (hit["difference"].abs() < 1e-9).all(), hit


def test_capital_totals_say_their_year(ds) -> None:
    rec = F.reconcile(ds, Q2)
    sums = rec[rec["table"].str.startswith("finance_capital") & (rec["check"] == "sum")]
    assert len(sums) == 7 and sums["line"].is_unique
    assert {"TOTAL 2021/22 expenditure to date", "TOTAL 2022/23"} <= set(sums["line"])


def test_budget_rounding_differences_are_notes_not_errors(ds) -> None:
    rec = F.reconcile(ds, PPRA)
    rounding = rec[rec["status"] == "rounding"]
    assert len(rounding) == 12
    assert rounding["difference"].abs().max() == 2  # Portfolio Total non-employee 45,642
    assert set(rounding["table"]) == {"finance_budget"}
    assert len(F.reconcile(ds, Q2).query("status == 'rounding'")) == 1  # the 0.91%


def test_cross_checks_between_summary_box_and_tables(ds) -> None:
    rec = F.reconcile(ds, Q2)
    cross = rec[rec["check"] == "cross"]
    assert "summary-box forecast = outturn forecast less the contingency allocation" in set(
        cross["description"]
    )
    assert (cross[cross["status"] != "rounding"]["difference"].abs() < 1e-9).all()
    pct = cross[cross["unit"] == "%"].iloc[0]
    assert pct["printed"] == 0.91 and round(pct["computed"], 3) == 0.917


# ----------------------------------------------------------------------------- against the seeds


def _numbers(text: str) -> set[float]:
    out = set()
    for m in re.finditer(r"(\()?£?(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)m?(\))?", text):
        v = float(m[2].replace(",", ""))
        out |= {v, -v}
    return out


def _raw_by_source() -> dict[str, list]:
    out: dict[str, list] = {}
    for path in sorted((RAW / "finance").glob("*.tsv")):
        raw = read_raw(path)
        out.setdefault(raw.source, []).append(raw)
    return out


def test_every_finance_figure_is_in_its_raw_table() -> None:
    """Each figure of each row occurs on a raw line carrying the row's label (or in the prose)."""
    raws = _raw_by_source()
    checked = 0
    for spec in FINANCE_TABLES:
        df = pd.read_csv(DATA / f"{spec.name}.csv", keep_default_na=False, dtype=str)
        floats = [c.name for c in spec.columns if c.kind == "float"]
        for _, r in df.iterrows():
            lines = [line for raw in raws[r["source"]] for line in raw.lines]
            label = r.get("line") or r.get("label") or ""
            labelled = [x for x in lines if label and label in x.text] or lines
            numbers = set().union(*(_numbers(x.text) for x in labelled))
            for c in floats:
                if r[c] != "":
                    assert float(r[c]) in numbers, (spec.name, label, c, r[c])
                    checked += 1
    assert checked > 250


SPOT = [  # (seed, line, printed cell) -> (finance_<table>, filter, column, value)
    ("000", 467, "(4,636)", "budget", {"line": "Adoption Counts"}, "income", -4636),
    ("000", 472, "(500)", "budget", {"line": "Early Help Offer"}, "non_employee", -500),
    (
        "000",
        482,
        "942",
        "budget",
        {"line": "Young People's Education Careers & Advice"},
        "employee",
        942,
    ),
    ("000", 486, "(2,681)", "budget", {"line": "DSG Recharges"}, "total", -2681),
    ("000", 493, "(212)", "budget", {"line": "School Improvement"}, "total", -212),
    (
        "000",
        504,
        "(1,592)",
        "budget_reconciliation",
        {"line": "Reversal of Temporary Budget (applied Q3 and Q4)"},
        "childrens",
        -1592,
    ),
    (
        "000",
        510,
        "(117)",
        "budget_reconciliation",
        {"line": "Lisburne School Adjustment"},
        "education",
        -117,
    ),
    ("000", 565, "198", "reserves", {"purpose": "Phased Savings", "period": PPRA}, "balance", 198),
    ("000", 44, "62,052", "headline", {"item": "cash_limit", "period": PPRA}, "value", 62052),
    ("001", 464, "(65)", "cash_limit", {"line": "Education"}, "change", -65),
    ("001", 482, "(118)", "outturn", {"line": "Education"}, "variance_previous", -118),
    ("001", 484, "243", "outturn", {"line": "14-19 Services"}, "forecast", 243),
    (
        "001",
        510,
        "(0.983)",
        "placements",
        {"line": "External residential placements"},
        "excl_covid",
        -0.983,
    ),
    ("001", 545, "0.043", "non_cla", {"line": "Supported Lodgings"}, "variance", 0.043),
    ("001", 584, "287", "reserves", {"purpose": "SEND WSoA", "period": Q2}, "planned", 287),
    ("001", 600, "129", "reserves", {"purpose": "Leaving Care Team Staffing"}, "balance", 129),
    ("001", 618, "0.022", "savings", {"line": "Savings linked to vacancies"}, "identified", 0.022),
    ("001", 635, "£29.593m", "dsg", {"line": "high needs block", "period": Q2}, "value", 29.593),
    ("001", 635, "£2.115m", "dsg", {"item": "in_year_deficit", "period": Q2}, "value", 2.115),
    (
        "000",
        584,
        "£23.816m",
        "dsg",
        {"item": "cumulative_deficit", "period": PPRA},
        "value",
        23.816,
    ),
    ("001", 64, "£0.451", "headline", {"item": "contingency_budget_setting"}, "value", 0.451),
    ("001", 675, "(£0.150m)", "one_off", {"line": "Targeted Youth Support"}, "value", 0.150),
]


@pytest.mark.parametrize("spot", SPOT, ids=lambda s: f"{s[0][:3]}:{s[1]}:{s[3]}")
def test_figures_straight_against_the_seed(ds, spot) -> None:
    seed, no, cell, table, where, column, value = spot
    seeds = Path(__file__).resolve().parents[2] / "shared" / "seeds"
    if seeds.exists():
        path = next(seeds.glob(f"{seed}_*.txt"))
        line = path.read_text(encoding="utf-8").split("\n")[no - 1]
        assert cell in line, f"{path.name}:{no} does not print {cell!r}"
    df = ds.tables[f"finance_{table}"]
    for k, v in where.items():
        df = df[df[k] == v]
    assert len(df) == 1, (table, where)
    assert df.iloc[0][column] == pytest.approx(value, abs=1e-9)


# ----------------------------------------------------------------------------- views


def test_outturn_the_report_way(ds) -> None:
    o = F.outturn(ds, "2021-22-Q2").set_index("line")
    assert o.loc["14-19 Services", "variance_text"] == "(114)"
    assert o.loc["14-19 Services", "position"] == "surplus"
    assert o.loc["Total", "variance_text"] == "407"
    assert o.loc["Total", "movement"] == 407 - 433
    assert o.loc["Total", "movement_text"] == "(26)"
    assert round(o.loc["Total", "variance_pct"], 2) == 0.92
    assert set(o["status"]) == {"ok"}


def test_cash_limit_and_waterfall(ds) -> None:
    cl = F.cash_limit(ds, Q2)
    assert set(cl["status"]) == {"ok"}
    w = F.cash_limit_waterfall(ds, Q2)
    assert list(w["kind"]) == ["start", "increase", "increase", "decrease", "end"]
    assert w.iloc[0]["value"] == 44402 and w.iloc[-1]["value"] == 44395
    assert w.iloc[-1]["status"] == "ok"
    agreement = F.cash_limit_waterfall(ds, PPRA)
    assert agreement.iloc[0]["value"] == 55875 and agreement.iloc[-1]["printed"] == 62052
    assert agreement.iloc[-1]["status"] == "ok"


def test_breakdowns_check_their_totals(ds) -> None:
    p = F.placements(ds, Q2).set_index("line")
    assert p.loc["Total", "status"] == "ok"
    external = p.loc["External residential placements", "covid_costs"]
    external += p.loc["External Foster care placements", "covid_costs"]
    assert round(external, 3) == 0.875  # "total cost of Covid-19 placements ... £0.875m"
    assert round(p.loc["Internal Foster care and Staying put", "covid_costs"], 3) == 0.287
    assert F.non_cla(ds, Q2).set_index("line").loc["Total", "variance_text"] == "(0.005)"


def test_reserves_savings_dsg_capital(ds) -> None:
    r = F.reserves(ds, Q2)
    assert set(r["status"].dropna()) == {"ok"}
    cats = F.reserves_by_category(ds, PPRA).set_index("category")
    assert cats["balance"].sum() == 1252
    s = F.savings_summary(ds, Q2).iloc[0]
    assert (s["identified"], s["achieved"], s["unachieved"]) == (0.132, 0.132, 0.0)
    assert s["green"] == 3 and s["unit"] == "£m"
    assert list(F.risk_ratings(ds, Q2)["rating"]) == ["Green", "Amber", "Red"]
    d = F.dsg(ds, PPRA)
    assert len(d[d["item"] == "centrally_held_block"]) == 6
    cap = F.capital(ds, Q2).set_index("line")
    assert cap.loc["TOTAL", "2022/23"] == 24
    assert F.capital_resources(ds, Q2).set_index("line").loc["Capital Grants", "2022/23"] == 24
    assert F.one_off(ds, Q2).iloc[0]["value"] == 0.15


def test_agreement_view_and_tracker(ds) -> None:
    areas = F.budget_by_area(ds, PPRA).set_index("line")
    assert areas.loc["Portfolio Total", "total"] == 62052
    b = F.agreement_budget(ds, PPRA)
    assert set(b["status"]) <= {"ok", "rounding"}
    assert len(F.budget_reconciliation(ds, PPRA)) == 14
    t = F.business_cases(ds)
    assert len(t) == 5 and t.iloc[0]["saving"] == "Nil"
    assert "Cabinet approval on September 23." in t.iloc[0]["milestones"]


def test_headline_and_unknown_period(ds) -> None:
    h = F.headline(ds, Q2).set_index("item")
    assert h.loc["cash_limit", "text"] == "44,395"
    assert F.finance_periods(ds) == [Q2, PPRA]
    with pytest.raises(ParameterError, match="no finance data for period 2019/20 Q1.*2021/22 Q2"):
        F.reconcile(ds, "2019/20 Q1")
    with pytest.raises(ParameterError):
        F.outturn(ds, "Q7")


# ----------------------------------------------------------------------------- next quarter


def illustrative_return(previous: pd.DataFrame, outturn_prev: pd.DataFrame) -> dict[str, list]:
    """An invented Q3 budget monitoring return (ILLUSTRATIVE), in the documented input format.

    The previous budget of each area is the Q2 current budget; every other figure is invented.
    """
    src = ILLUSTRATIVE
    areas = previous[previous["row_type"] == "item"]
    change = {"Education": 10.0, "Children and Family Services": -20.0, "14-19 Services": 0.0}
    over = {"Education": 50.0, "Children and Family Services": 300.0, "14-19 Services": -100.0}
    prev_var = dict(zip(outturn_prev["line"], outturn_prev["variance"], strict=True))
    cash, out = [], []
    for _, a in areas.iterrows():
        cur = a["current"] + change[a["line"]]
        cash.append(
            dict(
                period=NEXT,
                area=a["line"],
                line=a["line"],
                previous_report="Q2",
                previous=a["current"],
                change=change[a["line"]],
                current=cur,
                row_type="item",
                unit="£000",
                source=src,
            )
        )
        out.append(
            dict(
                period=NEXT,
                area=a["line"],
                line=a["line"],
                previous_report="Q2",
                budget=cur,
                forecast=cur + over[a["line"]],
                variance=over[a["line"]],
                variance_previous=prev_var[a["line"]],
                row_type="item",
                unit="£000",
                source=src,
            )
        )
    for rows, total_label, cols in (
        (cash, "Cash Limit", ("previous", "change", "current")),
        (out, "Total", ("budget", "forecast", "variance", "variance_previous")),
    ):
        tot = dict(rows[0], area=None, line=total_label, row_type="total")
        tot.update({c: sum(r[c] for r in rows) for c in cols})
        rows.append(tot)
    changes = [
        dict(
            period=NEXT,
            seq=1,
            line="Illustrative transfer in",
            area="Education",
            movement=10.0,
            row_type="item",
            unit="£000",
            source=src,
        ),
        dict(
            period=NEXT,
            seq=2,
            line="Illustrative transfer out",
            area="Children and Family Services",
            movement=-20.0,
            row_type="item",
            unit="£000",
            source=src,
        ),
        dict(
            period=NEXT,
            seq=3,
            line="Total",
            area=None,
            movement=-10.0,
            row_type="total",
            unit="£000",
            source=src,
        ),
    ]
    reserves = [
        dict(
            period=NEXT,
            year="2021/22",
            seq=1,
            category="Illustrative category",
            narration="Illustrative reserve",
            purpose="Illustrative purpose A",
            line="Illustrative purpose A",
            approved=100.0,
            planned=40.0,
            balance=60.0,
            row_type="item",
            unit="£000",
            source=src,
        ),
        dict(
            period=NEXT,
            year="2021/22",
            seq=2,
            category="Illustrative category",
            narration="Illustrative reserve",
            purpose="Illustrative purpose B",
            line="Illustrative purpose B",
            approved=50.0,
            planned=50.0,
            balance=0.0,
            row_type="item",
            unit="£000",
            source=src,
        ),
        dict(
            period=NEXT,
            year="2021/22",
            seq=3,
            category=None,
            narration="Total",
            purpose=None,
            line="Total",
            approved=150.0,
            planned=90.0,
            balance=60.0,
            row_type="total",
            unit="£000",
            source=src,
        ),
    ]
    cl_total = cash[-1]["current"]
    headline = [
        dict(
            period=NEXT,
            item="cash_limit",
            label="Cash Limit",
            value=cl_total,
            unit="£000",
            source=src,
        ),
        dict(
            period=NEXT,
            item="forecast",
            label="Forecast",
            value=out[-1]["forecast"],
            unit="£000",
            source=src,
        ),
        dict(
            period=NEXT,
            item="surplus_deficit",
            label="(Surplus)/Deficit",
            value=out[-1]["forecast"] - cl_total,
            unit="£000",
            source=src,
        ),
    ]
    return {
        "finance_cash_limit": cash,
        "finance_budget_changes": changes,
        "finance_outturn": out,
        "finance_reserves": reserves,
        "finance_headline": headline,
    }  # fmt: skip


def _append(data_dir: Path, table: str, rows: list[dict]) -> pd.DataFrame:
    path = data_dir / f"{table}.csv"
    old = pd.read_csv(path, dtype=str, keep_default_na=False)
    new = pd.DataFrame(rows).reindex(columns=old.columns)
    new = new.map(lambda v: "" if v is None or (isinstance(v, float) and pd.isna(v)) else (
        f"{v:.12g}" if isinstance(v, float) else str(v)))  # fmt: skip
    both = pd.concat([old, new], ignore_index=True)
    both.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    return both


def _with_return(tmp_path: Path, mutate=None) -> Path:
    base = load_dataset(_isolated(tmp_path / "base"))
    ret = illustrative_return(
        base.tables["finance_cash_limit"].query("period == @Q2"),
        base.tables["finance_outturn"].query("period == @Q2"),
    )
    if mutate:
        mutate(ret)
    data = _isolated(tmp_path / "data")
    for table, rows in ret.items():
        _append(data, table, rows)
    return data


def test_illustrative_quarter_loads_and_reconciles(tmp_path: Path) -> None:
    ds = load_dataset(_with_return(tmp_path))
    assert NEXT in F.finance_periods(ds)
    rec = F.reconcile(ds, NEXT)
    assert len(rec) >= 20
    assert set(rec["status"]) == {"ok"}, rec[rec["status"] != "ok"]
    assert set(rec["source"].str.split("; ").explode()) == {ILLUSTRATIVE}
    o = F.outturn(ds, NEXT).set_index("line")
    assert o.loc["Total", "variance"] == 250 and o.loc["Total", "variance_previous"] == 407
    assert o.loc["14-19 Services", "variance_text"] == "(100)"
    w = F.cash_limit_waterfall(ds, NEXT)
    assert w.iloc[-1]["status"] == "ok" and w.iloc[-1]["value"] == 44385
    # the published periods are untouched
    assert set(F.reconcile(ds, Q2)["status"]) <= {"ok", "rounding"}


def test_a_return_that_does_not_sum_names_table_row_column_and_difference(tmp_path: Path) -> None:
    def misprint(ret):  # Children and Family Services forecast keyed 25 too high, total as before
        row = next(r for r in ret["finance_outturn"] if r["line"] == "Children and Family Services")
        row["forecast"] += 25
        row["variance"] += 25

    data = _with_return(tmp_path, misprint)
    rows = pd.read_csv(data / "finance_outturn.csv", dtype=str, keep_default_na=False)
    total_row = int(rows.index[(rows["period"] == NEXT) & (rows["line"] == "Total")][0]) + 2
    with pytest.raises(DataError) as err:
        load_dataset(data)
    msg = str(err.value)
    assert f"finance_outturn.csv:{total_row}:forecast" in msg
    assert f"finance_outturn.csv:{total_row}:variance" in msg
    assert "difference -25" in msg
    assert "expected the rows to add up to the printed total" in msg
    assert all(p.file == "finance_outturn.csv" for p in err.value.problems)


def test_every_finance_table_ships_rows_for_its_periods() -> None:
    periods = {period for folder, *_, period in RAW_SOURCES if folder == "finance"}
    assert periods == {Q2, PPRA}
    for spec in FINANCE_TABLES:
        df = pd.read_csv(DATA / f"{spec.name}.csv", dtype=str, keep_default_na=False)
        assert len(df), spec.name
        assert set(df["period"]) <= periods, spec.name
