"""The import from published tables: every measure row is there, every figure equals the print."""

import re
from pathlib import Path

import pytest

from pprr_utils.dataset.errors import DataError
from pprr_utils.ingest.build import import_measures
from pprr_utils.ingest.importer import import_table, normalise_code, read_raw_table
from pprr_utils.ingest.parse import parse_cell, parse_target

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"


@pytest.fixture(scope="module")
def imported():
    return import_measures(RAW)


def _measure_rows(path: Path) -> list[list[str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.split("\t")]
        if (
            line.startswith("#")
            or line.startswith("PI Code")
            or len([c for c in cells if c]) < 3
            or not cells[1]
        ):
            continue
        rows.append(cells)
    return rows


def test_raw_tables_are_verbatim_slices_of_the_seeds(seeds):
    for path in (
        sorted((RAW / "measures").glob("*.tsv"))
        + sorted((RAW / "priorities").glob("*.txt"))
        + sorted((RAW / "plans").glob("*.txt"))
    ):
        text = path.read_text(encoding="utf-8")
        seed_name = re.search(r"# source: (\S+\.txt)", text).group(1)
        seed_lines = set((seeds / seed_name).read_text(encoding="utf-8").splitlines())
        for line in text.splitlines():
            if line.startswith("# ") or not line.strip():
                continue
            assert line in seed_lines, f"{path.name}: {line[:60]!r} is not a line of {seed_name}"


def test_every_measure_row_of_both_frameworks_is_imported(imported):
    n_rows = 0
    for path in sorted((RAW / "measures").glob("*.tsv")):
        for cells in _measure_rows(path):
            n_rows += 1
            printed = cells[0]
            fw = "2024/25" if path.name.startswith("2024") else "2021/22"
            hits = [
                m
                for m in imported.measures
                if m["framework"] == fw
                and (m["printed_code"] or "") == printed
                and cells[1].startswith(m["name"].split(": (")[0][:40])
            ]
            assert hits, f"{path.name}: row {printed} {cells[1][:40]} not imported"
    assert n_rows == 25 + 64
    fw = {m["framework"] for m in imported.measures}
    assert fw == {"2021/22", "2024/25"}
    assert sum(m["framework"] == "2021/22" for m in imported.measures) == 25
    # 64 printed rows in the Agreement, one of which prints four Aspire measures
    assert sum(m["framework"] == "2024/25" for m in imported.measures) == 67


# A broad sample straight from the seed tables: (code, period, printed cell).
SAMPLE = [
    ("CFSE.1", "2019/20", "9.1% (248)"),
    ("CFSE.1", "2021/22 Q2", "8.2% (47) Q1"),
    ("CFSE.25", "2020/21", "96.4% (5984)"),
    ("CFSE.26", "2021/22 Q2", "3.4% Q1"),
    ("CFSE.27", "2019/20", "2.4% (67)"),
    ("CFSE.28", "2021/22 Q2", "5.7% (352) Q1"),
    ("CFSE.29", "2021/22 Q2", "57.3% (51)"),
    ("CFSE.64", "2021/22 Q2", "997 Q1-Q2"),
    ("CFSE.65", "2020/21", "56.6% (874)"),
    ("CFSE.62", "2021/22 Q2", "30.8 per 1000 (2547)"),
    ("CFSE.63", "2021/22 Q2", "91.6%"),
    ("CFSE.42", "2019/20", "0.19 (5)"),
    ("CFSE.43", "2020/21", "123 (34) Q2"),
    ("CFSE.44", "2019/20", "24.8%"),
    ("CFSE.45", "2021/22 Q2", "369.3 (2360)"),
    ("CFSE.46", "2019/20", "98.0% (882) Q4"),
    ("CFSE.47", "2021/22 Q2", "30.7 (196)"),
    ("CFSE.48", "2020/21", "8.7% (15)"),
    ("CFSE.52", "2019/20", "154"),
    ("CFSE.53", "2021/22 Q2", "96.6% (89)"),
    ("CFSE.54", "2020/21", "97.5% (115)"),
    ("CFSE.56", "2021/22 Q2", "2.6 (167)"),
    ("CFSE.57", "2019/20", "2.9 (182)"),
    ("CFSE.31", "2019/20", "17.0 (77)"),
    ("CFE.1", "2021/22", "7.2% (183)"),
    ("CFE.1", "2023/24", "5.3% (41) Dec'23"),
    ("CFE.2", "2023/24", "56.6% (414) Dec'23"),
    ("CFE.3", "2023/24", "20.9% (685)"),
    ("CFE.4", "2022/23", "0.98%"),
    ("CFE.5", "2023/24", "91.9%"),
    ("CFE.8", "2023/24", "97% Sept'23"),
    ("CFE.12(i)", "2022/23", "75.7%"),
    ("CFE.15(iii)", "2021/22", "28.6%"),
    ("CFE.16", "2022/23", "47"),
    ("CFE.16(ii)", "2021/22", "25.1"),
    ("CFE.10", "2022/23", "89.4%"),
    ("CFE.11", "2023/24", "70.5%"),
    ("CFE.25", "2023/24", "95.8% (6418)"),
    ("CFE.28", "2023/24", "5% (331) Dec'22"),
    ("CFE.20", "2023/24", "19.1% Dec'23"),
    ("CFE.23", "2021/22", "4.28%"),
    ("CFE.23(i)", "2023/24", "27.83% Dec'23"),
    ("CFE.63", "2023/24", "8.4% (117)"),
    ("NEW-2024-25-3-01", "2023/24", "38.1 (2932)"),
    ("NEW-2024-25-4-01", "2023/24", "69.1% (889)"),
    ("CFE.31", "2021/22", "11 Dec'21"),
    ("CFE.33", "2022/23", "34.2% (1140)"),
    ("CFE.35", "2023/24", "0.01 (Dec'23)"),
    ("CFE.37", "2021/22", "3.1"),
    ("CFE.42", "2022/23", "0.21"),
    ("NEW-2024-25-6-01", "2023/24", "18.3 (Dec'23)"),
    ("CFE.58", "2023/24", "15.1% (73)"),
    ("CFE.59", "2023/24", "65.8% (121)"),
    ("NEW-2024-25-6-07", "2023/24", "70% (354)"),
    ("CFE.30", "2022/23", "14.9"),
    ("CFE.54", "2023/24", "97.3% (143)"),
    ("CFE.55", "2023/24", "44% (15)"),
    ("CFE.29", "2023/24", "53.7% (79)"),
    ("NEW-2024-25-6-04(ii)", "2023/24", "85.7%(6)"),
]


@pytest.mark.parametrize("code, period, printed", SAMPLE)
def test_values_equal_the_printed_figures(dataset, code, period, printed):
    v = dataset.values
    row = v[(v.code == code) & (v.period == period) & (v.kind == "actual")]
    assert len(row) == 1, (code, period)
    cell = parse_cell(printed)
    r = row.iloc[0]
    assert r.value == pytest.approx(cell.value)
    assert (r["count"] if r["count"] == r["count"] else None) == cell.count
    assert (r.as_at or None) == cell.as_at


def test_status_notes_recorded(dataset):
    v = dataset.values.set_index(["code", "period", "kind"])
    assert v.loc[("CFSE.2", "2021/22 Q2", "actual"), "note"] == "Awaiting data"
    assert v.loc[("CFE.31", "2023/24", "actual"), "note"] == "Not yet available"
    assert v.loc[("CFE.30", "2023/24", "actual"), "note"] == "Data not yet available"  # as printed
    assert v.loc[("CFE.15(i)", "2023/24", "actual"), "note"] == "TBC"
    assert v.loc[("CFSE.31", "2021/22 Q2", "forecast"), "note"] == "N/A"


@pytest.mark.parametrize(
    "code, year, printed",
    [
        ("CFSE.1", "2021/22", "9.5%"),
        ("CFSE.64", "2021/22", "N/A"),
        ("CFSE.43", "2021/22", "210"),
        ("CFE.1", "2024/25", "6.5%"),
        ("CFE.20(ii)", "2024/25", "Minimise"),
        ("CFE.16(ii)", "2023/24", "Maximise"),
        ("NEW-2024-25-1-01", "2023/24", "86.0%"),
        ("CFE.35", "2024/25", "0.4"),
        ("CFE.29", "2024/25", "70%"),
        ("NEW-2024-25-6-07", "2024/25", "N/A"),
        ("CFE.12(iii)", "2023/24", "61%"),
    ],
)
def test_targets_equal_the_printed_targets(dataset, code, year, printed):
    t = dataset.targets.set_index(["code", "year"]).loc[(code, year)]
    want = parse_target(printed)
    assert t["type"] == want.type
    assert (t["direction"] or None) == want.direction
    if want.value is None:
        assert t["value"] != t["value"]
    else:
        assert t["value"] == pytest.approx(want.value)


def test_codes_normalised_and_printed_form_kept(dataset):
    m = dataset.measures.set_index(["framework", "code"])
    assert m.loc[("2021/22", "CFSE.64"), "printed_code"] == "CFSE. 64"
    assert m.loc[("2021/22", "CFSE.45"), "printed_code"] == "CSFE.45"
    assert m.loc[("2024/25", "CFE.1"), "printed_code"] == "CFE.1 and GMS indicator"
    assert m.loc[("2024/25", "CFE.1"), "headline"]
    assert m.loc[("2024/25", "CFE.23"), "printed_code"] == "CFE.23(i)"


def test_lineage_links_the_frameworks(dataset):
    m = dataset.measures.set_index(["framework", "code"])
    assert m.loc[("2021/22", "CFSE.29"), "series"] == "CFE.29"
    assert (
        m.loc[("2021/22", "CFSE.62"), "series"] == m.loc[("2024/25", "NEW-2024-25-3-01"), "series"]
    )
    assert m.loc[("2021/22", "CFSE.2"), "polarity"] == "high"  # printed Low; see quality notes


def test_lc_swapped_rate_and_number(dataset):
    v = dataset.values.set_index(["code", "period", "kind"])
    assert v.loc[("CFSE.50", "2021/22 Q2", "actual"), "value"] == pytest.approx(67.8)
    assert v.loc[("CFSE.50", "2021/22 Q2", "actual"), "count"] == 433


def test_quality_notes_cover_every_kind_of_misprint(dataset):
    checks = set(dataset.quality_notes["check"])
    for check in [
        "code-spacing",
        "code-prefix",
        "duplicate-code",
        "header-year",
        "value-count-swap",
        "polarity-conflict",
        "composite-row",
        "label-misprint",
        "unit-conflict",
        "missing-unit",
        "no-polarity",
        "no-code",
        "as-at-outside-year",
        "repeated-count",
        "target-scale",
        "gms-row",
    ]:
        assert check in checks, check
    assert dataset.quality_notes["resolution"].str.len().min() > 10


def test_commentary_under_measures(dataset):
    c = dataset.commentary
    cfe1 = c[(c.code == "CFE.1") & (c.period == "2023/24")]
    assert cfe1.iloc[0].text.startswith("A target of 6.5% has been set")
    both = c[
        c.text.str.startswith(
            "The above indicators measure the percentage of children in reception"
        )
    ]
    assert set(both.code) == {"CFE.3", "CFE.4"}
    assert not c.text.str.contains("<p>").any()


def test_normalise_code():
    assert normalise_code("CFSE. 64") == ("CFSE.64", False, ["spacing"])
    assert normalise_code("CFE.12(ii) New measure")[0] == "CFE.12(ii)"
    assert normalise_code("CFE.8 GMS")[:2] == ("CFE.8", True)
    assert normalise_code("New measure")[0] == ""


def test_malformed_cell_in_a_published_table_is_located(tmp_path):
    raw = tmp_path / "bad.tsv"
    raw.write_text(
        "# source: illustrative.txt, Illustrative table\n# framework: 2021/22\n# priority: 1\n"
        "# year_basis: financial\n# period: 2021/22 Q2\n# lines: 1-3\n"
        "PI Code\tShort Name\tGood Perf.\t2019/20 Actual\t2020/21 Actual\n"
        "CFSE.1\tIllustrative measure\tLow\t12,5%\t7.1% (226)\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as exc:
        import_table(read_raw_table(raw))
    assert "bad.tsv:8:2019/20 Actual: found '12,5%'" in str(exc.value)


def test_one_reader_for_raw_file_headers(tmp_path):
    from pprr_utils.ingest.raw import read_raw_file

    f = tmp_path / "x.tsv"
    f.write_bytes(b"# source: a.txt, T\r\n# lines: 3-4\nPI Code\tName\n# not: a header\n\n")
    meta, lines = read_raw_file(f, required=("source", "lines"))
    assert meta == {"source": "a.txt, T", "lines": "3-4"}
    assert lines == [(3, "PI Code\tName"), (4, "# not: a header"), (5, "")]
    with pytest.raises(DataError, match=r"x.tsv:1: no '# period:' line"):
        read_raw_file(f, required=("period",))


def test_code_rules_are_data(tmp_path):
    from pprr_utils.ingest.code_rules import CodeRule, read_code_rules

    rules = read_code_rules(RAW / "measures" / "code_rules.csv")
    assert [(r.kind, r.from_, r.to) for r in rules] == [
        ("misprint", "CSFE.", "CFSE."),
        ("lineage", "CFSE.", "CFE."),
    ]
    assert all("_" in r.reason and ".txt" in r.reason for r in rules)  # quotes the seeds
    # the mechanism only: without a rule a printed code is kept
    assert normalise_code("CSFE.45") == ("CSFE.45", False, [])
    assert normalise_code("CSFE. 45", rules[:1]) == (
        "CFSE.45",
        False,
        ["spacing", "prefix CSFE for CFSE"],
    )
    other = [CodeRule("misprint", "KP1-", "KPI-", "a typo")]
    assert normalise_code("KP1-7 GMS", other) == ("KPI-7", True, ["prefix KP1 for KPI"])
    assert read_code_rules(tmp_path / "absent.csv") == []


@pytest.mark.parametrize(
    "row, where",
    [
        ("typo,CSFE.,CFSE.,why", "code_rules.csv:2:kind: 'typo'"),
        ("misprint,CSFE.,CSFE.,why", "code_rules.csv:2:to"),
        ("lineage,CFSE.,CFE.,", "code_rules.csv:2:reason: an empty cell"),
    ],
)
def test_bad_code_rules_are_located(tmp_path, row, where):
    from pprr_utils.ingest.code_rules import read_code_rules

    f = tmp_path / "code_rules.csv"
    f.write_text("kind,from,to,reason\n" + row + "\n", encoding="utf-8")
    with pytest.raises(DataError) as exc:
        read_code_rules(f)
    assert where in str(exc.value)


def test_lineage_links_same_number_under_another_prefix():
    from pprr_utils.ingest.code_rules import CodeRule
    from pprr_utils.ingest.series_lineage import link_series

    def measures():
        return [
            {
                "framework": "2022",
                "code": "OLD-3",
                "series": "OLD-3",
                "polarity": "low",
                "source": "s",
            },
            {
                "framework": "2022",
                "code": "OLD-4",
                "series": "OLD-4",
                "polarity": "high",
                "source": "s",
            },
            {
                "framework": "2023",
                "code": "NEW-3",
                "series": "NEW-3",
                "polarity": "high",
                "source": "s",
            },
        ]

    ms, findings = measures(), []
    link_series(ms, findings)
    assert [m["series"] for m in ms] == ["OLD-3", "OLD-4", "NEW-3"] and not findings
    ms, findings = measures(), []
    link_series(ms, findings, [CodeRule("lineage", "OLD-", "NEW-", "renumbered")])
    assert [m["series"] for m in ms] == ["NEW-3", "OLD-4", "NEW-3"]
    assert ms[0]["polarity"] == "high"  # the later framework's polarity, recorded
    assert [f["check"] for f in findings] == ["polarity-conflict"]


def test_stockport_code_rules_applied(imported):
    by_code = {m["code"]: m for m in imported.measures}
    assert by_code["CFSE.45"]["printed_code"] == "CSFE.45"
    assert by_code["CFSE.1"]["series"] == "CFE.1"
    assert by_code["CFSE.62"]["series"] == "EHCP-RATE"  # a correction, not a rule


def test_no_stockport_codes_in_the_import_code():
    """Stockport's codes, prefixes and documents are data (data/raw), not code: no string
    literal of the measures import (docstrings aside) names them."""
    import ast

    pkg = Path(__file__).resolve().parent.parent / "pprr_utils" / "ingest"
    names = ("build", "importer", "corrections", "series_lineage", "measure_rows", "outcomes")
    for name in names:
        tree = ast.parse((pkg / f"{name}.py").read_text(encoding="utf-8"))
        docs = {
            id(n.body[0].value)
            for n in ast.walk(tree)
            if isinstance(n, ast.Module | ast.FunctionDef | ast.ClassDef)
            and n.body
            and isinstance(n.body[0], ast.Expr)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if id(node) in docs:
                    continue
                assert not re.search(
                    r"CF(S)?E\.|CSFE|\d{3}_[0-9a-f]{16}|2024/25|2021/22", node.value
                ), f"{name}.py: {node.value[:60]!r}"


def test_printed_heading_is_the_category_unless_corrected(tmp_path, imported):
    from pprr_utils.ingest.corrections import Correction

    by_code = {m["code"]: m for m in imported.measures}
    # CFSE.64 is printed 'Contextual' under 'Partnership measures': kept as printed
    assert (by_code["CFSE.64"]["category"], by_code["CFSE.64"]["polarity"]) == (
        "partnership",
        "none",
    )
    rt = read_raw_table(RAW / "measures" / "2021-22-p3-early-help.tsv")
    fix = Correction("2021/22", "CFSE. 64", "Number of Stockport", "category", "contextual", "why")
    out = import_table(rt, corrections=[fix])
    assert {m["code"]: m["category"] for m in out.measures}["CFSE.64"] == "contextual"
    assert [f["issue"] for f in out.findings if f["check"] == "category"] == [
        "CFSE.64 'Number of Stockport Family Early Help Assessments (EHA)' is printed under "
        "'Partnership measures'"
    ]
    bad = Correction("2021/22", "CFSE. 64", "Number of Stockport", "category", "others", "why")
    with pytest.raises(DataError, match=r"category 'others' for CFSE.64"):
        import_table(rt, corrections=[bad])
    # a measure printed under no heading: contextual without a polarity, else partnership
    lines = [
        line
        for line in (RAW / "measures" / "2021-22-p3-early-help.tsv").read_text().splitlines()
        if not line.startswith("Partnership measures")
    ]
    (tmp_path / "t.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    got = {
        m["code"]: m["category"] for m in import_table(read_raw_table(tmp_path / "t.tsv")).measures
    }
    assert (got["CFSE.64"], got["CFSE.65"]) == ("contextual", "partnership")


def test_status_phrase_kept_as_printed(imported):
    notes = {(v["code"], v["period"]): v["note"] for v in imported.values}
    assert notes[("CFE.30", "2023/24")] == "Data not yet available"
    assert notes[("CFE.31", "2023/24")] == "Not yet available"


def test_corrections_file_is_checked(tmp_path):
    from pprr_utils.ingest.corrections import read_corrections

    assert read_corrections(tmp_path / "absent.csv") == []
    f = tmp_path / "corrections.csv"
    f.write_text(
        "framework,printed_code,name_starts,field,value,reason\n2024/25,X.1,Y,unit,%,why\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError, match=r"corrections.csv:2:field: 'unit'"):
        read_corrections(f)
