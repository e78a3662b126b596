"""present_finance: the finance page shows every printed total as printed, escapes data, marks
totals, captions every table and reports (never corrects) a mismatch.

The real figures below are the ones the source documents print (001_… mid-year 2021/22,
000_… Agreement 2024/25). Any altered data in these tests is ILLUSTRATIVE and its dataset is
labelled so (its location says "illustrative", so captions say "illustrative data").
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
from test_context import HOSTILE, illustrative_report
from test_present import assert_outline, parse

from pprr_utils.dataset import finance, formats
from pprr_utils.dataset.load import Dataset
from pprr_utils.report import finance_tables, revenue
from pprr_utils.report import present_finance as pf
from pprr_utils.report.context import open_report

Q2, AGREEMENT = "2021/22 Q2", "2023/24"

#: section function -> figures its section prints, as the report prints them (real figures)
PRINTED = {
    Q2: {
        pf.headline_section: ["44,395", "0", "2.652", "1.376", "0.858", "0.451", "0.407", "24"],
        pf.cash_limit_section: [
            "3,805",
            "40,240",
            "357",
            "44,402",
            "(65)",
            "58",
            "(7)",
            "3,740",
            "40,298",
            "44,395",
            "25",
            "33",
        ],
        pf.outturn_section: [
            "44,395",
            "44,802",
            "407",
            "433",
            "136",
            "385",
            "(114)",
            "(118)",
            "626",
            "(75)",
            "(0.618)",
            "(1.780)",
            "(0.176)",
            "(0.983)",
            "(0.005)",
            "0.024",
            "(0.041)",
            "0.043",
        ],
        pf.reserves_section: ["2,652", "1,376", "1,276", "794", "287", "507", "207"],
        pf.savings_section: ["0.040", "0.092", "0.132", "0.070", "0.022"],
        pf.dsg_section: ["35.128", "29.593", "2.975", "0.625", "1.935", "2.115", "c. 3.500"],
        pf.capital_section: ["24", "0"],
        pf.one_off_section: ["0.150"],
    },
    AGREEMENT: {
        pf.headline_section: ["62,052", "1,252"],
        pf.budget_section: [
            "62,052",
            "32,367",
            "45,642",
            "(15,957)",
            "53,952",
            "26,166",
            "37,823",
            "(10,037)",
            "8,100",
            "6,201",
            "7,818",
            "(5,920)",
            "(2,681)",
            "(212)",
            "13,626",
        ],
        pf.budget_reconciliation_section: [
            "49,404",
            "6,471",
            "55,875",
            "(1,815)",
            "54,060",
            "2,112",
            "6,409",
            "(412)",
            "(117)",
            "7,992",
            "53,952",
            "8,100",
            "62,052",
        ],
        pf.reserves_section: ["1,252", "325", "198"],
        pf.dsg_section: ["105.674", "36.640", "61.895", "12.438", "23.816", "c. 314.000"],
    },
}


@pytest.fixture(scope="module")
def reports(dataset):
    return {p: open_report(p, dataset) for p in (Q2, AGREEMENT)}


def cells(fragment: str) -> list[str]:
    """The text of every table cell (th and td), tags removed, whitespace normalised."""
    found = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", str(fragment), flags=re.S)
    return [" ".join(re.sub(r"<[^>]+>", "", c).split()) for c in found]


def page_text(fragment: str) -> str:
    return " ".join("".join(parse(fragment).text).split())


@pytest.mark.parametrize("period", [Q2, AGREEMENT])
def test_printed_figures_in_their_sections(reports, period):
    for section, figures in PRINTED[period].items():
        shown = cells(section(reports[period]))
        for fig in figures:
            assert fig in shown, (getattr(section, "__name__", None) or section.heading, fig)


@pytest.mark.parametrize("period", [Q2, AGREEMENT])
def test_every_published_total_shown_outside_the_reconciliation(reports, dataset, period):
    rep = reports[period]
    body = "".join(str(s(rep)) for s in pf.SECTIONS if s is not pf.reconciliation_section)
    shown = set(cells(body)) | {c.removeprefix("c. ") for c in cells(body)}
    rec = finance.reconcile(dataset, period)
    totals = rec[rec["check"].isin(["sum", "cross"])]
    assert len(totals) > 10
    for _, r in totals.iterrows():
        assert formats.money(r["printed"], r["unit"]) in shown, (r["table"], r["line"], r["column"])


@pytest.mark.parametrize("period", [Q2, AGREEMENT])
def test_reconciliation_lists_every_check(reports, dataset, period):
    html = pf.reconciliation_section(reports[period])
    rec = finance.reconcile(dataset, period)
    p = parse(html)
    data_rows = [t for t in p.tables if t["th"] > 20]
    assert data_rows, "the reconciliation table"
    text = page_text(html)
    assert f"{len(rec)} checks" in text
    n_rows = len(re.findall(r"<tr>", str(html)))
    assert n_rows >= len(rec) + 1
    for word in ("ok", "rounding", "mismatch"):
        assert word in text


def test_q2_page_specifics(reports):
    rep = reports[Q2]
    out = page_text(pf.outturn_section(rep))
    assert "a forecast deficit of 407" in out and "0.92% of budget" in out
    assert "(surplus)/deficit" in out and "surplus" in out and "Movement since Q1.5" in out
    assert "(31.93%)" in out  # 14-19 Services: (114) of 357
    assert "Covid-19 costs" in out and "1.162" in out  # incl. - excl. on the Total
    sav = pf.savings_section(rep)
    assert "good confidence (90% plus)" in page_text(sav)
    assert "\u2713 Green" in page_text(sav)  # rating as symbol and word, not colour alone
    rec = page_text(pf.reconciliation_section(rep))
    assert "0.91" in rec and "0.9168" in rec and "\u2248 rounding" in rec  # the truncated 0.91%
    notes = rep.dataset.tables["quality_notes"]
    [note] = notes.loc[notes["issue"].str.contains("0.91%"), "id"]
    assert note in rec  # the import's note on it
    cl = pf.cash_limit_section(rep)
    assert "Cash Limit (total)" in cells(cl)  # total row marked in words
    assert "<strong>Cash Limit (total)</strong>" in cl
    unlabelled = re.sub(r' data-label="[^"]*"', "", cl)  # the cards' column labels aside
    assert '<tr class="pprr-total"><th scope="row"><strong>Cash Limit (total)' in unlabelled


def test_agreement_page_specifics(reports):
    rep = reports[AGREEMENT]
    assert pf.cash_limit_section(rep) == "" and pf.outturn_section(rep) == ""
    sav = page_text(pf.savings_section(rep))
    assert "There are no savings aligned to this portfolio for 2024/25." in sav
    cap = page_text(pf.capital_section(rep))
    assert "There is currently no capital programme" in cap
    bc = pf.business_cases_section(rep)
    text = page_text(bc)
    for officer in ("Rebecca Key", "Heidi Shaw", "Bev Milway"):
        assert officer in text
    assert bc.count("<h4>Milestones</h4>") == 5 and bc.count("<h4>Risks</h4>") == 5
    assert "SEN Transport" in text and "Demand Reduction" in text
    assert pf.one_off_section(rep) == "" and revenue.placements_block(rep) == ""


@pytest.mark.parametrize("period", [Q2, AGREEMENT])
def test_reconciliation_notes_are_the_periods_finance_sources(reports, period):
    """Notes located at a source of the period's finance or business-case rows (the summary
    table behind the business cases included), no note on a measures table."""
    rep = reports[period]
    rec = pf.reconciliation_section(rep)
    notes = rep.dataset.tables["quality_notes"]
    shown = set(notes.loc[notes["id"].map(lambda i: f">{i}<" in rec), "location"])
    assert shown and not any("Priority" in loc or "measures" in loc for loc in shown)
    summary = "Savings proposals summary table"
    assert any(summary in loc for loc in shown) == (period == AGREEMENT)


@pytest.mark.parametrize("period", [Q2, AGREEMENT])
def test_page_outline_tables_charts(reports, period):
    page = pf.finance_page(reports[period])
    p = parse(page)
    assert_outline(p.headings)
    assert len(p.tables) >= 6
    assert all(t["caption"] and t["th"] == t["scoped"] > 0 for t in p.tables)
    assert p.imgs and all(i.get("alt") for i in p.imgs)
    captions = re.findall(r"<figcaption>(.*?)</figcaption>", str(page), flags=re.S)
    assert len(captions) == len(p.imgs)
    assert all("chart" in c and len(c) > 80 for c in captions)
    assert "<script" not in page and p.external == []
    assert page == pf.finance_page(reports[period])  # deterministic


def _altered(dataset: Dataset, edits: dict[str, dict]) -> Dataset:
    """A copy of the dataset with ILLUSTRATIVE edits: {table: {(row, column): value}}."""
    tables = {k: v.copy() for k, v in dataset.tables.items()}
    for name, changes in edits.items():
        for (row, col), value in changes.items():
            tables[name].loc[row, col] = value
    return Dataset(tables, "illustrative (altered copy of data/)")


def _row(dataset: Dataset, table: str, **where) -> int:
    df = dataset.tables[table]
    for k, v in where.items():
        df = df[df[k] == v]
    assert len(df) == 1
    return int(df.index[0])


def test_hostile_text_in_finance_rows_is_escaped(dataset):
    res = _row(dataset, "finance_reserves", period=Q2, purpose="IRO Capacity")
    chg = _row(dataset, "finance_budget_changes", period=Q2, seq=3)
    ds = _altered(
        dataset,
        {
            "finance_reserves": {(res, "line"): HOSTILE, (res, "narration"): HOSTILE},
            "finance_budget_changes": {(chg, "line"): HOSTILE},
        },
    )
    page = pf.finance_page(open_report(Q2, ds))
    assert "<script" not in page and "<b>bold" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in page
    assert "illustrative data" in page
    assert_outline(parse(page).headings)


def test_mismatch_shown_never_corrected(dataset):
    tot = _row(dataset, "finance_reserves", period=Q2, row_type="total")
    ds = _altered(dataset, {"finance_reserves": {(tot, "approved"): 2700.0}})  # illustrative
    rep = open_report(Q2, ds)
    assert "2,700" in cells(pf.reserves_section(rep))  # shown as "printed"
    rec = pf.reconciliation_section(rep)
    text = page_text(rec)
    assert "\u2717 mismatch" in text and "Mismatches" in text
    assert "printed 2,700, computed 2,652, difference 48" in text
    assert re.search(r"[1-9]\d* mismatches", text)


def test_no_finance_data_is_a_statement():
    rep = illustrative_report(Q2, None)
    page = pf.finance_page(rep)
    text = page_text(page)
    assert "There is no finance data for 2021/22 Q2" in text
    assert "The data has finance for: no period." in text
    assert_outline(parse(page).headings)
    for section in pf.SECTIONS[1:]:
        assert section(rep) == ""


def test_figure_helpers():
    assert formats.money(-15957.0) == "(15,957)" and formats.money(62052) == "62,052"
    assert formats.money(-0.618, "£m") == "(0.618)" and formats.money(float("nan")) == ""
    assert (
        finance_tables.percent(-31.9327) == "(31.93%)" and finance_tables.percent(0.9168) == "0.92%"
    )
    assert (
        finance_tables.precise(0.91677, "%") == "0.9168"
        and finance_tables.precise(44395.0) == "44,395"
    )
    assert finance_tables.row_label("Cash Limit", "total") == "<strong>Cash Limit (total)</strong>"
    assert (
        finance_tables.row_label("Directorate Total", "total")
        == "<strong>Directorate Total</strong>"
    )
    assert finance_tables.row_label("<i>x</i>", "item") == "&lt;i&gt;x&lt;/i&gt;"
    for status, word in (("ok", "ok"), ("rounding", "rounding"), ("mismatch", "mismatch")):
        badge = finance_tables.check_badge(status)
        assert word in badge and 'aria-hidden="true"' in badge


def test_money_table_marks_totals_and_units():
    frame = pd.DataFrame(  # ILLUSTRATIVE figures
        {
            "line": ["Illustrative A", "Illustrative B", "Total"],
            "amount": [1200.0, -300.0, 900.0],
            "row_type": ["item", "item", "total"],
        }
    )
    html = finance_tables.money_table(
        frame, "Illustrative (£000)", label=("line", "Line"), money={"amount": "£000"}, unit="£000"
    )
    p = parse(html)
    assert p.tables[0]["caption"] and p.tables[0]["th"] == p.tables[0]["scoped"] == 5
    assert cells(html) == [
        "Line",
        "£000",
        "Illustrative A",
        "1,200",
        "Illustrative B",
        "(300)",
        "Total",
        "900",
    ]
    assert "<strong>Total</strong>" in html and 'class="num"' in html
    assert html.count('<tr class="pprr-total">') == 1  # the Total row, as a row


def test_illustrative_quarter_from_the_input_format(tmp_path):
    """A quarter added the documented way (test_finance's ILLUSTRATIVE Q3 return) renders."""
    from test_finance import NEXT, _with_return

    from pprr_utils.dataset.load import load_dataset
    from pprr_utils.report.context import Report

    ds = load_dataset(_with_return(tmp_path / "illustrative"))
    rep = Report(ds, NEXT, "2021/22", {"title": "Illustrative quarter"})
    assert rep.illustrative
    page = pf.finance_page(rep)
    p = parse(page)
    assert_outline(p.headings)
    assert all(t["caption"] and t["th"] == t["scoped"] > 0 for t in p.tables)
    text = page_text(page)
    assert "illustrative data" in text and "Movement since Q2" in text
    assert "a forecast deficit of 250" in text
    assert "0 mismatches" in text and "Illustrative data." in text  # chart descriptions too
