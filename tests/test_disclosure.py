"""disclosure: the public edition suppresses exactly what the rules say, on the real data.

The real cells are enumerated by hand from data/values.csv (the working for each is beside
it and in docs/disclosure.md). Everything else here is ILLUSTRATIVE (synthetic) data.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pprr_utils.dataset import disclosure, score
from pprr_utils.dataset.disclosure import DisclosureRules, public_dataset, suppressions
from pprr_utils.dataset.load import Dataset
from pprr_utils.dataset.periods import parse_period
from pprr_utils.report import present
from pprr_utils.report.context import open_report

NOTE = "suppressed [c]"

#: Cells the 2021/22 mid-year report (2021/22 Q2) shows that the rules suppress: its own
#: figures and the prior years (2019/20, 2020/21) in its tables and charts.
EXPECTED_Q2 = {
    ("CFSE.42", "2019/20"),  # custodial sentences 0.19 per 1,000 (5): count 5
    ("CFSE.42", "2020/21"),  # 0.07 (2): count 2
    ("CFSE.42", "2021/22 Q2"),  # 0.07 (2): count 2
    ("CFSE.46", "2020/21"),  # 99.4% (855) of referrals: 855 of 860, 5 not converted
    ("CFSE.53", "2019/20"),  # 99% of 154 former relevant care leavers (CFSE.52): 1 or 2 not
    ("CFSE.53", "2021/22 Q2"),  # 96.6% (89): 89 is the cohort, 86 of 89, 3 not
    ("CFSE.54", "2019/20"),  # 98.1% of 154 (CFSE.52): 151, 3 not in touch
    ("CFSE.54", "2020/21"),  # 97.5% (115): 115 of 118 (or 118 of CFSE.52's 121), 3 not
}

#: The rest of the dataset (the 2024/25 Agreement baseline and its history).
EXPECTED_OTHER = {
    ("NEW-2024-25-6-04(ii)", "2023/24"),  # Aspire 85.7% (6): 6 of 7, 1 not
    ("NEW-2024-25-6-04(iii)", "2023/24"),  # Aspire 57.1% (4): count 4
    ("NEW-2024-25-6-04(iv)", "2023/24"),  # Aspire 100% (5): count 5
    ("CFE.54", "2023/24"),  # 97.3% (143): 143 of 147, 4 not in touch
    ("CFE.35", "2021/22"),  # alcohol admissions 0.03 per 1,000: < 3 children in any population
    ("CFE.35", "2022/23"),  # 0.04 per 1,000: < 4
    ("CFE.35", "2023/24"),  # 0.01 per 1,000: 1
    ("CFE.42", "2021/22"),  # custodial 0.07 per 1,000: 2, as CFSE.42 shows (0.07 (2))
    ("CFE.42", "2023/24"),  # 0.07 per 1,000 (Dec'23): 2
}

#: Real cells that look small but must stay (the rules say they are safe).
KEPT = {
    ("CFSE.54", "2021/22 Q2"),  # 100% (89): the complement is 0, which is not disclosive
    ("NEW-2024-25-6-04(i)", "2023/24"),  # Aspire 100% (7): 7 of 7, complement 0
    ("CFSE.48", "2021/22 Q2"),  # 26.1% (6): 6 of 23, 17 not
    ("CFSE.53", "2020/21"),  # 95% (115): 115 of 121, 6 not
    ("CFE.53", "2023/24"),  # 95.9% (140): 140 of 146, 6 not
    ("CFE.42", "2022/23"),  # 0.21 per 1,000: 6 of the population CFSE.42 implies
    ("CFSE.27", "2021/22 Q2"),  # 0.2% (11): 11 of thousands
}


def _suppressed_cells(ds: Dataset) -> set[tuple[str, str]]:
    v = ds.tables["values"]
    hit = v[v["note"] == NOTE]
    return set(zip(hit["code"], hit["period"], strict=True))


@pytest.fixture(scope="module")
def public(dataset: Dataset) -> Dataset:
    return public_dataset(dataset)


def _q2_cells(ds: Dataset) -> set[tuple[str, str]]:
    """The (code, period) cells the 2021/22 Q2 report can show: its series, up to Q2."""
    m = ds.tables["measures"]
    series = set(m.loc[m["framework"] == "2021/22", "series"])
    codes = set(m.loc[m["series"].isin(series), "code"])
    v = ds.tables["values"]
    q2 = parse_period("2021/22 Q2")
    upto = v["period"].map(lambda p: parse_period(p) <= q2)
    v = v[v["code"].isin(codes) & upto]
    return set(zip(v["code"], v["period"], strict=True))


def test_mid_year_report_suppresses_exactly_the_rule_cells(public: Dataset) -> None:
    assert _suppressed_cells(public) & _q2_cells(public) == EXPECTED_Q2


def test_whole_dataset_suppresses_exactly_the_rule_cells(public: Dataset) -> None:
    assert _suppressed_cells(public) == EXPECTED_Q2 | EXPECTED_OTHER
    assert not (_suppressed_cells(public) & KEPT)


def test_nothing_else_changes(dataset: Dataset, public: Dataset) -> None:
    before, after = dataset.tables["values"], public.tables["values"]
    assert list(before.columns) == list(after.columns)
    assert before.dtypes.equals(after.dtypes)
    hidden = after["note"] == NOTE
    assert after.loc[hidden, ["value", "count"]].isna().all().all()
    cols = ["code", "period", "kind", "as_at", "source"]
    pd.testing.assert_frame_equal(before[cols], after[cols])
    pd.testing.assert_frame_equal(before[~hidden], after[~hidden])
    for name, frame in dataset.tables.items():
        if name != "values":
            pd.testing.assert_frame_equal(frame, public.tables[name])


def test_internal_edition_unchanged(dataset: Dataset) -> None:
    copy = dataset.tables["values"].copy()
    public_dataset(dataset)
    pd.testing.assert_frame_equal(dataset.tables["values"], copy)  # input not mutated
    rep = open_report("2021/22 Q2", dataset, 5)
    assert rep.dataset is dataset and not rep.public
    assert not (dataset.tables["values"]["note"] == NOTE).any()
    assert "Internal edition" in present.page_header(rep, page="priority")


def test_reasons_name_rules(dataset: Dataset) -> None:
    found = suppressions(dataset).set_index(["code", "period"])
    assert found.loc[("CFSE.42", "2021/22 Q2"), "rule"] == "count"
    assert found.loc[("CFSE.53", "2021/22 Q2"), "rule"] == "complement"
    assert "leaves 3" in found.loc[("CFSE.53", "2021/22 Q2"), "reason"]
    assert "154" in found.loc[("CFSE.53", "2019/20"), "reason"]  # the CFSE.52 cohort
    assert found.loc[("CFE.42", "2021/22"), "rule"] == "rate"


def test_relations_are_data_in_measure_groups(dataset: Dataset) -> None:
    """The related measures come from measure_groups.csv (codes stand for their series)."""
    rules = disclosure.relations(dataset)
    assert rules.cohorts == (("CFSE.52", ("CFE.29", "CFE.53", "CFE.54")),)
    assert rules.groups == (tuple(f"NEW-2024-25-6-04({n})" for n in ("i", "ii", "iii", "iv")),)
    assert rules.partitions == (("CFE.25", "CFSE.26", "CFSE.27"),)
    # without the table, the cells only a relation gives away are shown ...
    bare = Dataset({**dataset.tables, "measure_groups": dataset.measure_groups.iloc[0:0]}, "x")
    lost = {("CFSE.53", "2019/20"), ("CFSE.54", "2019/20")}  # 99% and 98.1% of CFSE.52's 154
    assert _suppressed_cells(public_dataset(bare)) == (EXPECTED_Q2 | EXPECTED_OTHER) - lost
    # ... and rules that name the relations override the table
    given = DisclosureRules(cohorts=rules.cohorts)
    assert _suppressed_cells(public_dataset(bare, given)) == EXPECTED_Q2 | EXPECTED_OTHER
    assert disclosure.relations(dataset, given).cohorts == rules.cohorts


def test_zeros_are_disclosive_when_configured(dataset: Dataset) -> None:
    cells = _suppressed_cells(public_dataset(dataset, DisclosureRules(low=0)))
    extra = cells - EXPECTED_Q2 - EXPECTED_OTHER
    assert extra == {("CFSE.54", "2021/22 Q2"), ("NEW-2024-25-6-04(i)", "2023/24")}


def test_threshold_and_symbol_are_settings(dataset: Dataset) -> None:
    rules = DisclosureRules(high=3, symbol="[x]")
    pub = public_dataset(dataset, rules)
    v = pub.tables["values"]
    hit = v[v["note"] == "suppressed [x]"]
    hidden = set(zip(hit["code"], hit["period"], strict=True))
    assert ("CFSE.42", "2019/20") not in hidden  # count 5 > 3
    assert ("CFSE.42", "2020/21") in hidden
    assert "[x]" in disclosure.legend(rules) and "1 to 3" in disclosure.legend(rules)
    with pytest.raises(ValueError):
        DisclosureRules(low=4, high=2)


def test_public_scorecard_never_rates_a_suppressed_figure(public: Dataset) -> None:
    card = score.scorecard(public, "2021/22 Q2").set_index("code")
    for code in ("CFSE.42", "CFSE.53"):
        row = card.loc[code]
        assert math.isnan(row["value"]) and math.isnan(row["count"])
        assert not row["status"] and not row["trend"]
        assert "suppressed [c]" in row["reason"]
    # CFSE.54 is shown, but its 2020/21 figure is suppressed: no direction of travel
    assert not card.loc["CFSE.54", "trend"] and math.isnan(card.loc["CFSE.54", "previous"])
    internal = score.scorecard(open_report("2021/22 Q2").dataset, "2021/22 Q2").set_index("code")
    assert internal.loc["CFSE.54", "trend"] == "better"


def test_public_pages_show_c_not_the_figures(dataset: Dataset) -> None:
    rep = open_report("2021/22 Q2", dataset, 5, public=True)
    page = "".join(
        str(f(rep))
        for f in (
            lambda r: present.page_header(r, page="priority"),
            present.priority_measures,
            present.measure_sections,
        )
    )
    assert "Public edition" in page and "[c] confidential" in page
    for shown in ("0.07 (2)", "0.19 (5)", "96.6%", "97.5%", "98.1%", "99.4%"):
        assert shown not in page, shown
    for year in ("2019/20", "2020/21"):  # CFSE.42 and CFSE.54 prior years, a column each
        assert re.search(rf'data-label="{year} actual"[^>]*>\[c\]</td>', page), year
    assert "Not charted, suppressed [c]: 2019/20, 2020/21, 2021/22 Q2." in page  # CFSE.42
    internal = present.priority_measures(open_report("2021/22 Q2", dataset, 5))
    assert "96.6% (89)" in internal and "[c]" not in internal


# ------------------------------------------------------------- rules on illustrative data


def test_percent_derivations() -> None:
    d = disclosure.percent_derivable
    assert d(85.7, 6) is not None  # 6 of 7: 1 left
    assert d(96.6, 89) is not None  # cohort 89: 86, 3 left
    assert d(100, 89) is None  # 0 left
    assert d(8.2, 47) is None  # 47 of 573: the cohort reading (4 of 47) is 8.5%, not 8.2%
    assert d(0.2, 11) is None
    assert d(50, 12) is None  # 12 of 24 or 6 of 12: nothing small
    assert disclosure.percent_of_cohort(97.5, 121) is not None  # 118 of 121: 3 left
    assert disclosure.percent_of_cohort(57.3, 89) is None  # 51 of 89


def _tiny(measures: list[dict], values: list[dict]) -> Dataset:
    rows = [{"subject": "children", "unit": "percent", "series": r["code"], **r} for r in measures]
    m = pd.DataFrame(rows)
    v = pd.DataFrame(values)
    for col in ("value", "count"):
        v[col] = v.get(col, pd.Series([math.nan] * len(v))).astype("float64")
    v["kind"] = v.get("kind", "actual")
    v["note"] = pd.Series([None] * len(v), dtype=object)
    v["as_at"] = None
    return Dataset({"measures": m, "values": v}, "illustrative")


def test_secondary_suppression_in_a_partition() -> None:
    """ILLUSTRATIVE: 90 + 7 + 3 = 100; hiding the 3 (count 2) alone would leave it as 100 - 97."""
    rules = DisclosureRules(partitions=(("A", "B", "C"),), cohorts=(), groups=())
    ds = _tiny(
        [{"code": c} for c in "ABC"],
        [
            {"code": "A", "period": "2021/22", "value": 90.0, "count": 60.0},
            {"code": "B", "period": "2021/22", "value": 7.0},
            {"code": "C", "period": "2021/22", "value": 3.0, "count": 2.0},
        ],
    )
    found = suppressions(ds, rules).set_index("code")["rule"].to_dict()
    assert found == {"C": "count", "B": "secondary"}


def test_group_cohort_reveals_a_sibling() -> None:
    """ILLUSTRATIVE: (a) 100% (7) fixes the cohort at 7, so (b) 85.7% alone is 6 of 7."""
    rules = DisclosureRules(groups=(("a", "b"),), cohorts=(), partitions=())
    ds = _tiny(
        [{"code": "a"}, {"code": "b"}],
        [
            {"code": "a", "period": "2023/24", "value": 100.0, "count": 7.0},
            {"code": "b", "period": "2023/24", "value": 85.7},
        ],
    )
    assert set(suppressions(ds, rules)["code"]) == {"b"}
    assert suppressions(ds, DisclosureRules(groups=())).empty


def test_lineage_and_subject() -> None:
    """ILLUSTRATIVE: one series under two codes; a measure not about children is left alone."""
    ds = _tiny(
        [
            {"code": "OLD.1", "series": "S"},
            {"code": "NEW.1", "series": "S"},
            {"code": "ADULT", "subject": None, "unit": "count"},
        ],
        [
            {"code": "OLD.1", "period": "2021/22", "value": 40.0, "count": 2.0},
            {"code": "NEW.1", "period": "2021/22", "value": 40.0},
            {"code": "ADULT", "period": "2021/22", "value": 3.0},
        ],
    )
    found = suppressions(ds).set_index("code")["rule"].to_dict()
    assert found == {"OLD.1": "count", "NEW.1": "lineage"}


# ------------------------------------------------------------- properties

UNITS = ["percent", "count", "number", "rate per 1,000", "score"]
figure = st.one_of(
    st.none(),
    st.integers(0, 40).map(float),
    st.floats(0, 100, allow_nan=False).map(lambda x: round(x, 1)),
)


@st.composite
def datasets(draw: st.DrawFn) -> Dataset:
    n = draw(st.integers(1, 6))
    series = draw(st.lists(st.sampled_from(["S1", "S2", "S3"]), min_size=n, max_size=n))
    measures = [
        {
            "code": f"ILL.{i}",
            "series": series[i],
            "unit": draw(st.sampled_from(UNITS)),
            "subject": draw(st.sampled_from(["children", "children", None])),
        }
        for i in range(n)
    ]
    values = []
    for i in range(n):
        for period in draw(st.sets(st.sampled_from(["2019/20", "2020/21", "2021/22 Q2"]))):
            values.append(
                {"code": f"ILL.{i}", "period": period, "value": draw(figure), "count": draw(figure)}
            )
    if not values:
        values.append({"code": "ILL.0", "period": "2020/21", "value": 1.0, "count": 1.0})
    groups = (tuple(draw(st.sets(st.sampled_from(["S1", "S2", "S3"]), min_size=2))),)
    ds = _tiny(measures, values)
    ds.rules = DisclosureRules(  # type: ignore[attr-defined]
        groups=groups, partitions=groups, cohorts=(("S3", ("S1", "S2")),)
    )
    return ds


PROPS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.slow
@PROPS
@given(datasets())
def test_no_count_of_one_to_five_children_survives(ds: Dataset) -> None:
    rules = ds.rules  # type: ignore[attr-defined]
    pub = public_dataset(ds, rules).tables["values"]
    m = ds.tables["measures"].set_index("code")
    for r in pub.itertuples(index=False):
        if m.loc[r.code, "subject"] != "children":
            continue
        assert not rules.small(r.count), r
        if m.loc[r.code, "unit"] in ("count", "number"):
            assert not rules.small(r.value), r
        if r.note == NOTE:
            assert math.isnan(r.value) and math.isnan(r.count)


@pytest.mark.slow
@PROPS
@given(datasets())
def test_suppression_is_idempotent_and_leaves_other_subjects(ds: Dataset) -> None:
    rules = ds.rules  # type: ignore[attr-defined]
    once = public_dataset(ds, rules)
    twice = public_dataset(once, rules)
    pd.testing.assert_frame_equal(once.tables["values"], twice.tables["values"])
    adults = set(ds.tables["measures"].loc[ds.tables["measures"]["subject"].isna(), "code"])
    before = ds.tables["values"]
    keep = before["code"].isin(adults)
    pd.testing.assert_frame_equal(before[keep], once.tables["values"][keep])


# ------------------------------------------------------------- the batch: pprr run --public


@pytest.fixture(scope="module")
def public_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from pprr_utils.batch.run import run_batch

    out = tmp_path_factory.mktemp("public") / "reports"
    res = run_batch(["2021/22 Q2"], out_dir=out, jobs=2, public=True, progress=False)
    assert res.ok, res.summary()
    return res.out_dir / "2021-22-Q2"


def test_public_pack_pages_say_so_and_show_c(public_pack: Path) -> None:
    for name in ("overview.html", "priority-5.html"):
        page = (public_pack / name).read_text(encoding="utf-8")
        assert "Public edition." in page and "[c] confidential" in page, name
    page = (public_pack / "priority-5.html").read_text(encoding="utf-8")
    for year in ("2019/20", "2020/21"):
        assert re.search(rf'data-label="{year} actual"[^>]*>\[c\]</td>', page), year
    for shown in ("0.07 (2)", "0.19 (5)", "96.6%", "97.5%", "98.1%", "99.4%"):
        assert shown not in page, shown


def test_public_pack_scorecard_is_suppressed(public_pack: Path) -> None:
    card = pd.read_csv(public_pack / "scorecard.csv").set_index("code")
    assert card.loc["CFSE.42", "value"] != card.loc["CFSE.42", "value"]  # NaN
    assert "suppressed [c]" in card.loc["CFSE.53", "reason"]


def _adults_portfolio(tmp_path: Path, subject_line: str) -> Path:
    """An illustrative portfolio whose count measure IL1.3 is of adults, one figure of 3."""
    from pprr_utils.dataset.synth import write_portfolio

    folder = write_portfolio(tmp_path / "adults", 1, 1)
    m = pd.read_csv(folder / "measures.csv", dtype=str, keep_default_na=False)
    m["subject"] = "adults"
    m.to_csv(folder / "measures.csv", index=False)
    v = pd.read_csv(folder / "values.csv", dtype=str, keep_default_na=False)
    v.loc[v["code"] == "IL1.3", "value"] = "8"  # a small count measure, one figure of 3
    v.loc[(v["code"] == "IL1.3") & (v["period"] == "2023/24 Q1"), "value"] = "3"
    v.to_csv(folder / "values.csv", index=False)
    yml = folder / "portfolio.yml"
    yml.write_text(yml.read_text(encoding="utf-8") + subject_line, encoding="utf-8")
    return folder


def test_the_portfolio_names_whose_counts_are_suppressed(tmp_path: Path) -> None:
    """Another portfolio's people are protected as children are (issue 11's any-portfolio
    rule: only measures whose subject was 'children' were ever suppressed)."""
    from pprr_utils.dataset.load import load_dataset

    ds = load_dataset(_adults_portfolio(tmp_path, "disclosure: {subject: adults}\n"))
    rules = disclosure.rules_for(ds)
    assert rules.subject == "adults" and rules.whose == "adults'"
    pub = public_dataset(ds).tables["values"]
    row = pub[(pub["code"] == "IL1.3") & (pub["period"] == "2023/24 Q1")].iloc[0]
    assert math.isnan(row["value"]) and row["note"] == "suppressed [c]"
    assert "protect adults' privacy" in disclosure.legend(rules)
    assert "count of 1 to 5 adults" in disclosure.legend(rules)
    # without the setting the subject is children: measures of adults are refused, never
    # published with their small counts shown
    from pprr_utils.dataset.errors import DataError

    with pytest.raises(DataError) as err:
        load_dataset(_adults_portfolio(tmp_path / "plain", ""))
    message = str(err.value)
    assert "measures.csv:2:subject: found 'adults'" in message
    assert "disclosure.subject 'children'" in message
