"""The raw finance/plans tables are verbatim copies of the seeds; the builder reproduces data/."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from pprr_utils.dataset.errors import DataError
from pprr_utils.dataset.load import read_tables
from pprr_utils.dataset.schema_finance import FINANCE_TABLES
from pprr_utils.dataset.schema_plans import PLAN_TABLES
from pprr_utils.ingest.build_finance import (
    RAW_SOURCES,
    build_finance,
    build_finance_and_plans,
    build_plans,
    finance_quality_findings,
    read_raw,
    write_tables,
)

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
RAW_FILES = sorted((RAW / "finance").glob("*.tsv")) + [
    p for p in sorted((RAW / "plans").glob("*.tsv")) if p.stem == "summary" or p.stem[:5] == "case_"
]


def _header(path: Path) -> tuple[str, int, int]:
    text = path.read_text(encoding="utf-8")
    seed = re.search(r"^# source: (\S+), ", text, re.M)[1]
    first, last = map(int, re.search(r"^# lines: (\d+)-(\d+)$", text, re.M).groups())
    return seed, first, last


def test_every_raw_source_has_a_file() -> None:
    names = {p.stem for p in RAW_FILES}
    assert {name for _, name, *_ in RAW_SOURCES} <= names
    assert len(RAW_FILES) == len(RAW_SOURCES)


@pytest.mark.parametrize("path", RAW_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_raw_file_is_verbatim_from_its_seed(path: Path) -> None:
    if not SEEDS.exists():
        pytest.skip("the seed documents (../shared/seeds) are not beside this checkout")
    seed, first, last = _header(path)
    seed_lines = (SEEDS / seed).read_text(encoding="utf-8").split("\n")
    body = [t for t in path.read_text(encoding="utf-8").split("\n") if not t.startswith("# ")]
    body = body[:-1] if body and body[-1] == "" else body
    for line in body:
        assert line in seed_lines, f"{path.name}: {line!r} is not a line of {seed}"
    # and the body is exactly the slice the header names
    assert body == seed_lines[first - 1 : last]


def test_read_raw_needs_its_header(tmp_path: Path) -> None:
    bad = tmp_path / "outturn_2021_22_q2.tsv"
    bad.write_text("# lines: 1-2\nEducation\t1\t2\t1\t0\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"outturn_2021_22_q2.tsv.*# source:"):
        read_raw(bad)


def test_builder_reproduces_the_shipped_csvs(tmp_path: Path) -> None:
    tables = {**build_finance(RAW / "finance"), **build_plans(RAW / "plans")}
    assert set(tables) == {t.name for t in FINANCE_TABLES + PLAN_TABLES}
    write_tables(tables, tmp_path)
    built, _, _ = read_tables(tmp_path)
    shipped, _, _ = read_tables(ROOT / "data")
    for name in tables:
        pd.testing.assert_frame_equal(built[name], shipped[name], obj=name)


def test_one_entry_point_gives_the_same_tables_and_findings() -> None:
    tables, findings = build_finance_and_plans(RAW)
    separate = {**build_finance(RAW / "finance"), **build_plans(RAW / "plans")}
    assert list(tables) == list(separate)
    for name, df in separate.items():
        pd.testing.assert_frame_equal(tables[name], df, obj=name)
    assert findings == finance_quality_findings(RAW)
    assert build_finance_and_plans(RAW / "plans")[1] == findings  # either folder works


def test_every_row_has_a_source_naming_a_seed_table() -> None:
    captions = {f"{seed}, {caption}" for _, _, seed, caption, *_ in RAW_SOURCES}
    tables = {**build_finance(RAW / "finance"), **build_plans(RAW / "plans")}
    for name, df in tables.items():
        assert len(df), name
        assert set(df["source"]) <= captions, name


def test_floats_are_written_without_spurious_digits() -> None:
    text = (ROOT / "data" / "finance_placements.csv").read_text(encoding="utf-8")
    assert ",-0.176,-0.983," in text
    assert "0000000" not in text
    assert ",44395," in (ROOT / "data" / "finance_cash_limit.csv").read_text(encoding="utf-8")


def test_quality_findings() -> None:
    findings = finance_quality_findings(RAW)
    assert findings == finance_quality_findings(RAW / "finance")  # either folder works
    assert len({f["id"] for f in findings}) == len(findings)
    for f in findings:
        assert set(f) == {"id", "check", "location", "issue", "resolution"}
        assert all(f.values())
    by_check = {f["check"]: f for f in findings}
    assert "£000" in by_check["unit-inconsistency"]["issue"]
    assert "0.040" in by_check["unit-inconsistency"]["issue"]
    misplaced = by_check["area-misplaced"]
    assert "Young People's Education Careers & Advice" in misplaced["issue"]
    assert "Youth Offending Service" in misplaced["issue"]
    assert "53,952" in misplaced["resolution"]
    assert "line 482" in misplaced["location"]
    assert any("£0.451" in f["issue"] for f in findings)
    assert any("0.91%" in f["issue"] and "0.917%" in f["issue"] for f in findings)
    assert sum(f["check"] == "inconsistency" and "MTFP" in f["issue"] for f in findings) == 5


def test_budget_areas_are_decided_by_the_printed_totals() -> None:
    budget = build_finance(RAW / "finance")["finance_budget"]
    area = dict(zip(budget["line"], budget["area"], strict=False))
    assert area["Young People's Education Careers & Advice"] == "Children"
    assert area["Youth Offending Service"] == "Children"
    assert area["14 to 19 Services"] == "Education"
    assert area["DSG Recharges"] == "Education"
    assert (budget["row_type"] == "item").sum() == 17 + 9


def test_business_cases() -> None:
    t = build_plans(RAW / "plans")
    cases = t["business_cases"].set_index("case")
    assert list(cases.index) == [1, 2, 3, 4, 5]
    assert cases.loc[2, "senior_officer"] == "Rebecca Key"
    assert cases.loc[5, "senior_officer"] == "Bev Milway"
    assert cases.loc[4, "mtfp_lens"] == "Demand Reduction"
    assert cases.loc[4, "summary_mtfp_driver"] == "Value for Money"
    assert list(cases["reserves_needed"]) == [True, True, True, False, False]
    assert cases.loc[1, "summary_saving_text"] == "Nil"
    assert pd.isna(cases.loc[3, "summary_saving"])
    det = t["business_case_details"]
    ms = det[(det["case"] == 3) & (det["field"] == "milestones")]["text"].tolist()
    assert ms[-1] == (
        "Timeline 3 Phased developments for a further 2 properties "
        "(properties to be identified to inform timescales)."
    )
    risks = det[(det["case"] == 2) & (det["field"] == "risks")]["text"].tolist()
    assert "Recruitment of the team." in risks
