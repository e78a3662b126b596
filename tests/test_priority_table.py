"""The priority page's measures tables shaped like the published table (report/priority_table.py,
report/measures.py): a column per reported year with its as-at marker, rows in printed order
under section headings and category row groups, commentary under its measure (a paragraph
printed after a run of measures once, after the run), the key once per page.

The frames built here are ILLUSTRATIVE; the tests on the real data check the shape of
Stockport's pages against the seed documents (rows, headings and paragraphs as printed).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from pprr_utils.report import context, present
from pprr_utils.report.measures import scorecard_rows, section_runs
from pprr_utils.report.priority_table import (
    commentary_blocks,
    figure_as_at,
    measures_table,
    period_columns,
    year_periods,
)

ROOT = Path(__file__).resolve().parent.parent


def test_year_columns_are_the_two_year_ends_before_the_rated_figure() -> None:
    assert year_periods("2021/22 Q2") == ["2019/20", "2020/21", "2021/22 Q2"]
    assert year_periods("2023/24") == ["2021/22", "2022/23", "2023/24"]
    rows = pd.DataFrame({"value_period": ["2024/25 Q2", "2023/24", None]})
    # an academic-year row rated on the last school year adds its own years
    assert period_columns(rows, "2024/25 Q2") == [
        "2021/22",
        "2022/23",
        "2023/24",
        "2024/25 Q2",
    ]


def test_as_at_marker_reads_as_one() -> None:
    assert figure_as_at(123.0, "rate per 100,000", count=34.0, as_at="Q2") == (
        "123 per 100,000 (34) as at Q2"
    )
    assert figure_as_at(997.0, "count", count=None, as_at="Q1-Q2") == "997 for Q1-Q2"
    assert figure_as_at(5.3, "percent", count=41.0, as_at="Dec'23") == "5.3% (41) as at Dec'23"
    assert figure_as_at(None, "percent", count=None, as_at="Q1") == ""


def _comm(rows: list[tuple[str, int, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["code", "seq", "text"])


def test_commentary_of_one_measure_is_under_it_and_of_a_run_after_the_run() -> None:
    codes = ["A.1", "A.2", "A.3", "A.4", "A.5"]
    comm = _comm(
        [
            ("A.1", 1, "Illustrative: about A.1"),
            ("A.2", 1, "Illustrative: about the run"),
            ("A.3", 1, "Illustrative: about the run"),
            ("A.4", 1, "Illustrative: about the run"),
            ("A.2", 2, "Illustrative: more on the run"),
            ("A.3", 2, "Illustrative: more on the run"),
            ("A.4", 2, "Illustrative: more on the run"),
            ("Z.9", 1, "Illustrative: a measure of another page"),
        ]
    )
    blocks = commentary_blocks(comm, codes)
    assert list(blocks) == ["A.1", "A.4"]  # nothing under A.2 or A.3, nothing for Z.9
    assert blocks["A.1"][0].texts == ("Illustrative: about A.1",)
    (run,) = blocks["A.4"]
    assert run.codes == ("A.2", "A.3", "A.4")
    assert run.texts == ("Illustrative: about the run", "Illustrative: more on the run")
    assert run.lead == "Commentary on the 3 measures from A.2 to A.4"
    assert blocks["A.1"][0].lead == "Commentary on A.1"


def test_the_same_words_printed_after_two_runs_are_shown_after_each() -> None:
    codes = ["A.1", "A.2", "A.3", "A.4"]
    comm = _comm([(c, 1, "Illustrative: see above") for c in ("A.1", "A.2", "A.4")])
    blocks = commentary_blocks(comm, codes)
    assert [b.codes for b in blocks["A.2"]] == [("A.1", "A.2")]
    assert [b.codes for b in blocks["A.4"]] == [("A.4",)]
    assert commentary_blocks(comm.iloc[0:0], codes) == {}


def _rows() -> pd.DataFrame:
    base = {
        "polarity": "high",
        "unit": "percent",
        "count": None,
        "as_at": None,
        "note": None,
        "target_label": "50%",
        "target_type": "numerical",
        "target_year": "2021/22",
        "value_period": "2021/22 Q2",
        "trend": "",
        "reason": "",
        "forecast": None,
        "headline": False,
    }
    return pd.DataFrame(
        [
            {**base, "code": "ILL.1", "name": "Illustrative one", "category": "partnership",
             "value": 55.0, "status": "green", "trend": "better",
             "prior_years": {"2019/20": "40%", "2020/21": "45% (9) as at Q2"}},
            {**base, "code": "ILL.2", "name": "Illustrative two", "category": "partnership",
             "value": 20.0, "status": "red", "prior_years": {"2020/21": "30%"}},
            {**base, "code": "ILL.3", "name": "Illustrative three", "category": "contextual",
             "value": None, "note": "Not yet available", "status": "", "target_label": "N/A",
             "target_type": "none", "reason": "Not rated: a contextual measure.",
             "prior_years": {}},
        ]
    )  # fmt: skip


def test_measures_table_has_a_column_per_year_and_keeps_the_printed_order() -> None:
    comm = {"ILL.1": commentary_blocks(_comm([("ILL.1", 1, "Illustrative note")]), ["ILL.1"])}
    out = measures_table(
        _rows(),
        caption="Illustrative",
        period_label="2021/22 Q2",
        commentary=comm["ILL.1"],
        detail_links=True,
    )
    heads = re.findall(r'<th scope="col">(.*?)</th>', out)
    assert heads == [
        "Code",
        "Measure",
        "Good performance",
        "2019/20 actual",
        "2020/21 actual",
        "2021/22 Q2",
        "Target 2021/22",
        "Status",
        "Trend",
    ]
    # red is not moved first: the rows stay in the data's order
    assert [m for m in re.findall(r"#measure-(ill-\d)", out)] == ["ill-1", "ill-2", "ill-3"]
    assert '<td class="num" data-label="2020/21 actual">45% (9) as at Q2</td>' in out
    assert '<td class="num" data-label="2021/22 Q2">Not yet available</td>' in out
    # category row groups, as the published table heads them
    groups = re.findall(r'<th scope="rowgroup"[^>]*>(.*?)</th>', out)
    assert groups == ["Partnership measures", "Contextual measures"]
    assert out.count("<tbody>") == 2
    # the commentary row follows its measure's row directly, across the whole table
    first = out.index('href="#measure-ill-1"')
    note = out.index("Illustrative note")
    assert first < note < out.index('href="#measure-ill-2"')
    assert '<tr class="pprr-commentary"><td colspan="9" data-label="">' in out
    assert "Not rated: a contextual measure." in out  # the reason sentence is kept


def test_a_year_without_any_figure_is_left_out_and_mixed_target_years_are_named() -> None:
    rows = _rows().assign(prior_years=[{"2020/21": "45%"}, {}, {}])
    rows.loc[1, "target_year"] = "2021/22 Q2"
    out = measures_table(rows, caption="Illustrative", period_label="2021/22 Q2")
    heads = re.findall(r'<th scope="col">(.*?)</th>', out)
    assert "2019/20 actual" not in heads and "2020/21 actual" in heads
    assert "Target" in heads
    assert ">50% (for 2021/22 Q2)</td>" in out and ">N/A</td>" in out


def test_section_runs_keep_the_printed_order() -> None:
    rows = pd.DataFrame({"code": list("abcde"), "section": ["S", "S", None, "T", "S"]})
    runs = [(s, r["code"].tolist()) for s, r in section_runs(rows)]
    assert runs == [("S", ["a", "b"]), ("", ["c"]), ("T", ["d"]), ("S", ["e"])]


# ---------------------------------------------------------------- the real data


@pytest.fixture(scope="module")
def priority_5() -> str:
    return present.priority_measures(context.open_report("2021/22 Q2", None, 5))


def test_stockport_priority_5_follows_the_printed_table(priority_5: str, seeds: Path) -> None:
    # sections as headed in the Mid-Year Report 2021/22, in printed order
    sections = re.findall(r'<h3 id="section-[^"]*">(.*?)</h3>', priority_5)
    assert sections == ["Youth Offending", "Safeguarding and Social Care", "Health and wellbeing"]
    rows = re.findall(
        r'<th scope="row" data-label="Code"><a href="#measure-[^"]*">(.*?)</a>', priority_5
    )
    seed = (seeds / "001_ee574e58cbe5f422.txt").read_text(encoding="utf-8")
    printed = [c.replace(" ", "").replace("CSFE", "CFSE") for c in re.findall(
        r"^(C[FS]{2}E\. ?\d+)\t", seed[seed.index("Youth Offending\t"):seed.index("2.1 Revenue")],
        re.M)]  # fmt: skip
    assert rows == printed
    # the looked-after children paragraph is printed after CFSE.52, before CFSE.53's row
    lac = priority_5.index("The rate of looked after children")
    assert priority_5.index(">CFSE.52</a>") < lac < priority_5.index(">CFSE.53</a>")
    assert priority_5.count("The rate of looked after children") == 1
    assert "Commentary on the 6 measures from CFSE.45 to CFSE.52" in priority_5
    # the as-at marker is kept and read as one: '123 (34) Q2' in the 2020/21 column
    assert 'data-label="2020/21 actual">123 per 100,000 (34) as at Q2</td>' in priority_5
    assert 'data-label="2020/21 actual">Not yet available</td>' in priority_5  # CFSE.44
    assert priority_5.count('id="key-to-symbols"') == 1  # the key once per page


def test_commentary_is_in_the_table_not_repeated_in_the_details() -> None:
    from test_context import illustrative_report

    rep = illustrative_report("2021/22 Q2", 2)
    table = present.priority_measures(rep)
    assert table.count("Illustrative. &lt;script&gt;") == 1
    assert "Commentary on ILL.2" in table
    assert "Illustrative. &lt;script&gt;" not in present.measure_sections(rep)


def test_the_academic_years_table_has_its_own_years() -> None:
    rep = context.open_report("2023/24", None, 1)
    out = present.priority_measures(rep)
    start, academic = out.split('id="section-measures-reported-by-academic-year"')
    heads = lambda s: re.findall(r'<th scope="col">(.*?)</th>', s)  # noqa: E731
    assert heads(start)[-6:] == [
        "2021/22 actual", "2022/23 actual", "2023/24 actual", "Target 2024/25", "Status", "Trend"
    ]  # fmt: skip
    assert "2022/23 actual" in heads(academic) and "Target 2023/24" in heads(academic)
    assert "2023/24 actual" not in heads(academic)


def test_a_portfolio_without_sections_gets_one_table() -> None:
    rep = context.open_report("2024/25 Q2", ROOT / "examples" / "westbury", 2)
    rows = scorecard_rows(rep, 2)
    assert rows["section"].isna().all()
    out = present.priority_measures(rep)
    assert out.count("<table") == 2  # the key and one measures table
    assert '<h3 id="measures-table">' in out and "section-" not in out
    heads = re.findall(r'<th scope="col">(.*?)</th>', out.split('id="measures-table"')[1])
    # WB.6 is rated on its last school year (2023/24), the others on 2024/25 Q2
    assert heads[3:7] == ["2022/23 actual", "2023/24 actual", "2024/25 Q2", "Forecast year-end"]
    assert "Target" in heads  # rows are rated against different years: each cell says which
