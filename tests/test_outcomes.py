"""The outcomes framework page (outcomes.csv, outcome_measures.csv: optional tables)."""

from __future__ import annotations

from dataclasses import replace

from pprr_utils.batch.plan import period_jobs, plan_periods
from pprr_utils.dataset.load import Dataset
from pprr_utils.report import outcomes
from pprr_utils.report.context import open_report


def test_only_the_frameworks_the_portfolio_names_get_the_page(dataset):
    # data/portfolio.yml: the Children and Young People Plan 2024-2027 goes with 2024/25
    assert outcomes.has_outcomes(dataset, "2024/25")
    assert not outcomes.has_outcomes(dataset, "2021/22")
    pages = {
        p["period"]: [j.page for j in period_jobs(p, data_param=None, public=False)]
        for p in plan_periods(dataset)
    }
    assert "outcomes" in pages["2023/24"] and "outcomes" not in pages["2021/22 Q2"]


def test_no_outcomes_table_no_page(dataset):
    tables = dict(dataset.tables)
    tables["outcomes"] = tables["outcomes"].iloc[0:0]
    empty = Dataset(tables, dataset.location, portfolio=dataset.portfolio)
    assert not outcomes.has_outcomes(empty, "2024/25")
    assert all(
        "outcomes" not in [j.page for j in period_jobs(p, data_param=None, public=False)]
        for p in plan_periods(empty)
    )


def test_ambition_rows_show_the_scorecard(dataset):
    rep = open_report("2023/24", dataset)
    rows = outcomes.ambition_rows(rep, 3)
    # the Plan's ambition 3 names seven measures, all PPRA codes (002_baba8f0e47da19dd.txt)
    assert list(rows["Code"]) == [
        "CFE.12(i)",
        "CFE.12(iii)",
        "CFE.15",
        "CFE.15(iii)",
        "CFE.25",
        "CFE.20",
        "CFE.23",
    ]
    card = rep.scorecard.set_index("code")
    assert "75.7%" in rows.loc[0, "Latest"] and card.at["CFE.12(i)", "value"] == 75.7
    # a measure with no code is listed as not reported
    first = outcomes.ambition_rows(rep, 1)
    assert (first["Code"] == "").all()
    assert first["Status"].str.startswith("Not reported in the 2024/25 framework").all()


def test_a_code_of_another_framework_is_found_by_its_series(dataset):
    # with no framework restriction, the 2021/22 report finds CFE.25 as CFSE.25 (same series)
    open_to_all = Dataset(
        dataset.tables,
        dataset.location,
        portfolio=replace(dataset.portfolio, outcomes_frameworks=()),
    )
    rep = open_report("2021/22 Q2", open_to_all)
    assert outcomes.matched_code(rep, "CFE.25") == "CFSE.25"
    assert outcomes.matched_code(rep, None) is None
    html = outcomes.ambitions(rep)
    assert "CFSE.25" in html and "Ambition 3: All children" in html
