"""A second portfolio, deliberately unlike Stockport's (examples/westbury, illustrative).

Another council and portfolio, other comparator areas, no finance, rates per 100 pupils,
quarterly milestones and academic-year measures with in-year figures. Each expectation below
is worked by hand from the figures in examples/generate.py.
"""

from __future__ import annotations

import filecmp
import importlib.util
import re
from pathlib import Path

import pytest

from pprr_utils.dataset.errors import DataError
from pprr_utils.dataset.load import load_dataset
from pprr_utils.dataset.score import scorecard
from pprr_utils.dataset.targets import school_year_at_end_of, years_for

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "westbury"
STOCKPORT_WORDS = ("Stockport", "Children, Families", "GMS", "Greater Manchester", "North West")


def _generator():
    spec = importlib.util.spec_from_file_location("generate", ROOT / "examples" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_example_is_what_the_generator_writes(tmp_path):
    out = _generator().write_example(tmp_path / "westbury")
    names = sorted(p.name for p in EXAMPLE.iterdir())
    assert names == sorted(p.name for p in out.iterdir())
    _, mismatch, errors = filecmp.cmpfiles(EXAMPLE, out, names, shallow=False)
    assert mismatch == [] and errors == []


@pytest.fixture(scope="module")
def minimal(tmp_path_factory) -> Path:
    """Only the six required files, each with only the required columns."""
    return _generator().write_example(tmp_path_factory.mktemp("min") / "data", minimal=True)


def test_six_files_with_minimal_columns_load(minimal):
    assert sorted(p.name for p in minimal.iterdir()) == [
        "measures.csv",
        "periods.csv",
        "portfolio.yml",
        "priorities.csv",
        "targets.csv",
        "values.csv",
    ]
    ds = load_dataset(minimal)
    assert ds.portfolio.council == "Westbury Borough Council"
    assert ds.portfolio.illustrative
    m = ds.measures.set_index("code")
    assert m.at["WB.1", "series"] == "WB.1"  # optional columns filled in
    assert m.at["WB.1", "aggregation"] == "snapshot"
    assert not m["headline"].any()
    assert set(ds.values["kind"]) == {"actual"}
    assert ds.tables["commentary"].empty and ds.tables["finance_headline"].empty


def _card(location: Path, period: str):
    return scorecard(load_dataset(location), period).set_index("code")


def test_q3_ratings_worked_by_hand():
    sc = _card(EXAMPLE, "2024/25 Q3")
    # WB.1 persistent absence, low is good, academic, in-year 18.2 against the Q3 milestone
    # 18.5: better than the milestone -> green; trend against the school year before the one
    # in progress (2023/24: 19.5): (19.5 - 18.2) / 19.5 = 6.7% better -> better.
    r = sc.loc["WB.1"]
    assert (r["value"], r["target"], r["previous"]) == (18.2, 18.5, 19.5)
    assert (r["status"], r["trend"], r["target_basis"]) == ("green", "better", "milestone")
    assert r["target_label"] == "18.5% (2024/25 Q3 milestone)"
    assert r["ambition"] == "15% by 2026/27"
    assert r["previous_period"] == "2023/24" and r["value_period"] == "2024/25 Q3"
    # WB.2 suspensions per 100, academic, no in-year figure: the last school year (2023/24:
    # 9.4) against its target 8.0 (low is good): (9.4 - 8.0) / 8.0 = 17.5% short -> red;
    # against 2022/23 (8.6): 9.3% higher -> worse. Shown as a rate per 100. The figure is
    # 2023/24's outturn, not a forecast. The ambition, the 2024/25 target 7.5, is below
    # (stronger than) 2023/24's 8.0, as a low-is-good measure's next target should be.
    r = sc.loc["WB.2"]
    assert (r["value"], r["target"], r["status"], r["trend"]) == (9.4, 8.0, "red", "worse")
    assert r["target_label"] == "8 per 100" and r["unit"] == "rate per 100"
    assert (r["value_period"], r["forecast_method"]) == ("2023/24", "outturn")
    assert r["ambition"] == "7.5 per 100 by 2024/25"
    # WB.3 EHC plans in 20 weeks, high is good: 64 against the Q3 milestone 65:
    # 1 / 65 = 1.5% short (within 5%) -> amber; against 2023/24 (55): better.
    r = sc.loc["WB.3"]
    assert (r["target"], r["status"], r["trend"]) == (65.0, "amber", "better")
    # WB.4 is contextual: never rated. A year-to-date count (aggregation cumulative): the
    # Q3 count covers April to December, nine months, so the forecast year-end is
    # 1,060 x 12 / 9 = 1,413.3 (not the 1,060 so far carried forward).
    r = sc.loc["WB.4"]
    assert (r["status"], r["trend"], r["aggregation"]) == ("", "", "cumulative")
    assert r["value"] == 1060 and r["forecast_method"] == "extrapolated"
    assert r["forecast"] == pytest.approx(1060 * 12 / 9)
    # WB.5 per 100 pupils with a plan, low is good, no milestone: the year's target 20;
    # 22.1 is 10.5% over -> red; against 21.3 (2023/24): 3.8% higher -> worse.
    r = sc.loc["WB.5"]
    assert (r["target"], r["status"], r["trend"], r["target_basis"]) == (
        20.0,
        "red",
        "worse",
        "year",
    )
    # WB.6 academic with an in-year figure and no milestone: the target of the school year
    # in progress (2024/25: 74); 72.9 is 1.5% short -> amber; against 2023/24 (72.4):
    # +0.7%, within 1% -> stable.
    r = sc.loc["WB.6"]
    assert (r["value"], r["target"], r["status"], r["trend"]) == (72.9, 74.0, "amber", "stable")


def test_q2_ratings_worked_by_hand():
    sc = _card(EXAMPLE, "2024/25 Q2")
    # WB.1: 18.9 against the Q2 milestone 19.0 -> green (low is good)
    assert (sc.loc["WB.1", "target"], sc.loc["WB.1", "status"]) == (19.0, "green")
    # WB.3: 61 against the Q2 milestone 60 -> green
    assert (sc.loc["WB.3", "target"], sc.loc["WB.3", "status"]) == (60.0, "green")
    # WB.5: "Awaiting data" -> not rated, the note is the reason
    assert sc.loc["WB.5", "status"] == "" and "Awaiting data" in sc.loc["WB.5", "reason"]
    # WB.6 has no Q2 figure: the last school year (2023/24, 72.4) and its (absent) target
    assert sc.loc["WB.6", "value_period"] == "2023/24" and sc.loc["WB.6", "status"] == ""
    # WB.4, year to date: 702 over April to September, six months -> 702 x 12 / 6 = 1,404
    assert sc.loc["WB.4", "forecast"] == pytest.approx(1404.0)


def test_q3_priority_tables_say_what_the_forecast_column_holds():
    from pprr_utils.report import context, present

    rep = context.open_report("2024/25 Q3", EXAMPLE, 1)
    row = _table_row(str(present.priority_measures(rep)), "WB.2")
    # 9.4 per 100 is 2023/24's outturn (rated): the forecast column does not call it a forecast
    assert "(forecast)" not in row
    assert "No forecast: the 2023/24 year-end is used" in row
    rep = context.open_report("2024/25 Q3", EXAMPLE, 2)
    out = str(present.priority_measures(rep))
    # the year to date, scaled (1,060 x 12 / 9), shown as a whole count
    assert "1,413 (forecast)" in _table_row(out, "WB.4")
    assert "1,060 (forecast)" not in out
    # each category of the priority is one run of rows: one heading each
    groups = re.findall(r'<tr class="pprr-group">.*?>([^<>]+)</th></tr>', out)
    assert groups == ["Council measures", "Partnership measures", "Contextual measures"]


def test_a_forecast_of_a_count_is_displayed_whole_and_kept_exact():
    from pprr_utils.report import context, present
    from pprr_utils.report.measure_charts import measure_chart

    rep = context.open_report("2024/25 Q3", EXAMPLE, 2)
    exact = rep.scorecard.set_index("code").loc["WB.4", "forecast"]
    assert exact == pytest.approx(1060 * 12 / 9) and exact != round(exact)  # the scorecard
    page = str(present.priority_measures(rep))
    chart = measure_chart(rep, "WB.4")
    for text in (page, chart.description, chart.alt):
        assert "1,413.33" not in text and "1413.33" not in text
    assert "forecast year-end 1,413 (1,060 in 2024/25 Q3, scaled to a full year and rounded " in (
        chart.description
    )


def _table_row(page: str, code: str) -> str:
    """The measures table's row of ``code`` (from its row header to the row's end)."""
    anchor = code.lower().replace(".", "-")
    found = re.search(rf'<th scope="row"[^>]*><a href="#measure-{anchor}">', page)
    assert found, code
    return page[found.start() : page.index("</tr>", found.start())]


@pytest.mark.parametrize(
    ("period", "school_year"),
    [
        ("2024/25 Q1", "2023/24"),  # April to June 2024: the 2023/24 school year
        ("2024/25 Q2", "2024/25"),  # to September 2024: the new school year has begun
        ("2023/24 Q3", "2023/24"),  # November 2023 (the example)
        ("2024/25 Q4", "2024/25"),
        ("2024/25", "2024/25"),
    ],
)
def test_school_year_in_progress(period, school_year):
    assert school_year_at_end_of(period).label == school_year


def test_in_year_academic_figure_compares_with_the_school_year_before():
    # 2023/24 Q3 (November 2023): an academic measure's in-year figure compares with 2022/23
    years = years_for(
        "2023/24 Q3",
        "2023/24",
        "2022/23",
        "academic",
        in_year_figure=True,
        target_years={"2023/24"},
    )
    assert (years.value_period, years.target_year, years.previous) == (
        "2023/24 Q3",
        "2023/24",
        "2022/23",
    )
    # without its own figure, the usual lag: the school year before, its target and previous
    usual = years_for("2023/24 Q3", "2023/24", "2022/23", "academic")
    assert (usual.value_period, usual.target_year, usual.previous) == (
        "2022/23",
        "2022/23",
        "2021/22",
    )


def test_comparator_areas_are_the_portfolios(tmp_path):
    out = _generator().write_example(tmp_path / "data")
    text = (out / "comparators.csv").read_text(encoding="utf-8")
    (out / "comparators.csv").write_text(text.replace("South West", "North East"), "utf-8")
    with pytest.raises(
        DataError,
        match=r"comparators.csv:3:area: found 'North East', expected "
        r"one of the portfolio's comparator_areas: England, South West",
    ):
        load_dataset(out)


@pytest.mark.kernel
def test_the_minimal_folder_renders_as_its_own_portfolio(minimal, tmp_path):
    from pprr_utils.batch.run import run_batch

    result = run_batch(["2024/25 Q3"], data=minimal, out_dir=tmp_path / "out", progress=False)
    assert result.ok, result.summary()
    folder = tmp_path / "out" / "2024-25-Q3"
    pages = sorted(p.name for p in folder.glob("*.html"))
    assert pages == ["index.html", "overview.html", "priority-1.html", "priority-2.html"]
    for name in pages:
        html = (folder / name).read_text(encoding="utf-8")
        text = re.sub(r"<[^>]+>", " ", html)
        for word in STOCKPORT_WORDS:
            assert word not in text, (name, word)
        if name != "index.html":
            assert "Schools and Inclusion" in text and "Westbury Borough Council" in text
            assert "Illustrative data" in text
            assert "finance" not in text.lower() or name == "index.html", name
    overview = (folder / "overview.html").read_text(encoding="utf-8")
    assert "<h1" in overview and "Schools and Inclusion: portfolio overview" in overview
    p1 = (folder / "priority-1.html").read_text(encoding="utf-8")
    assert "18.5% (2024/25 Q3 milestone); ambition 15% by 2026/27" in p1
    assert "9.4 per 100" in p1


@pytest.mark.kernel
@pytest.mark.browser
@pytest.mark.slow
def test_every_sheet_of_the_committee_pdf_says_illustrative(tmp_path):
    pypdf = pytest.importorskip("pypdf")
    from pprr_utils.batch.run import run_batch

    result = run_batch(["2024/25 Q3"], data=EXAMPLE, out_dir=tmp_path / "out", progress=False)
    assert result.ok, result.summary()
    reader = pypdf.PdfReader(tmp_path / "out" / "2024-25-Q3" / "report.pdf")
    assert len(reader.pages) >= 5
    for n, page in enumerate(reader.pages, start=1):
        assert "Illustrative data, internal edition" in page.extract_text(), f"page {n}"
    assert "Illustrative data" in reader.metadata.title
