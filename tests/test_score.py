"""Scoring: RAG status, direction of travel, forecasts and the scorecard.

Cases marked "seed 001" / "seed 000" use figures printed in the seed documents, worked by
hand. Every dataset built here is Illustrative: small frames made in test code.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from illustrative import ILLUSTRATIVE_PERIODS

from pprr_utils.dataset import schema
from pprr_utils.dataset.errors import ParameterError
from pprr_utils.dataset.load import Dataset
from pprr_utils.dataset.lookup import periods_with_data
from pprr_utils.dataset.score import (
    SCORECARD_COLUMNS,
    ScoringRules,
    direction_of_travel,
    forecast_year_end,
    latest_period,
    measure_years,
    months_covered,
    rag_status,
    rate,
    resolve_period,
    scorecard,
    scorecards,
    travel,
    write_scorecard,
)

NAN = math.nan

# --------------------------------------------------------------------------- builders

_DEFAULTS = {"str": None, "period": None, "date": None, "float": NAN, "int": 0, "bool": False}


def frame(name: str, rows: list[dict]) -> pd.DataFrame:
    """A typed frame for table ``name`` with unspecified cells left empty (Illustrative)."""
    spec = schema.table(name)
    data = {}
    for col in spec.columns:
        vals = [r.get(col.name, _DEFAULTS[col.kind]) for r in rows]
        if col.kind == "float":
            data[col.name] = pd.Series(vals, dtype="float64")
        elif col.kind == "int":
            data[col.name] = pd.Series(vals, dtype="int64")
        elif col.kind == "bool":
            data[col.name] = pd.Series(vals, dtype=bool)
        else:
            data[col.name] = pd.Series(vals, dtype=object)
    return pd.DataFrame(data, columns=spec.column_names)


def measure(code: str, **kw) -> dict:
    base = {
        "framework": "2021/22",
        "code": code,
        "series": code.split(".")[-1],
        "name": f"Illustrative measure {code}",
        "priority": 1,
        "category": "partnership",
        "polarity": "high",
        "unit": "percent",
        "year_basis": "financial",
        "aggregation": "snapshot",
        "source": "illustrative",
    }
    base.update(kw)
    return base


def value(code: str, period: str, v: float, **kw) -> dict:
    return {"code": code, "period": period, "value": v, "kind": "actual", "source": "ill."} | kw


def target(code: str, year: str, v: float = NAN, type: str = "numerical", **kw) -> dict:
    return {"code": code, "year": year, "type": type, "value": v, "source": "ill."} | kw


def make_dataset(measures, values, targets=(), comparators=(), periods=None) -> Dataset:
    """An Illustrative dataset from row dicts."""
    tables = {
        "measures": frame("measures", list(measures)),
        "values": frame("values", list(values)),
        "targets": frame("targets", list(targets)),
        "comparators": frame("comparators", list(comparators)),
        "periods": frame("periods", periods or ILLUSTRATIVE_PERIODS),
    }
    return Dataset(tables, "illustrative")


# --------------------------------------------------------------------------- hand-worked

# (code, value, target, polarity, status) -- seed 001 mid-year 2021/22 Q2 table
SEED_001_STATUS = [
    ("CFSE.1", 8.2, 9.5, "low", "green"),
    ("CFSE.25", 96.4, 97.0, "high", "amber"),  # 0.6/97 = 0.62% short
    ("CFSE.26", 3.4, 2.0, "low", "red"),  # 70% over
    ("CFSE.27", 0.2, 0.7, "low", "green"),
    ("CFSE.28", 5.7, 9.5, "high", "red"),  # 40% short
    ("CFSE.29", 57.3, 70.0, "high", "red"),  # 18.1% short
    ("CFSE.63", 91.6, 50.0, "high", "green"),
    ("CFSE.65", 52.3, 70.0, "high", "red"),
    ("CFSE.42", 0.07, 0.23, "low", "green"),
    ("CFSE.53", 96.6, 95.0, "high", "green"),
    ("CFSE.54", 100.0, 95.0, "high", "green"),
    ("CFSE.56", 2.6, 4.6, "low", "green"),
    ("CFSE.57", 1.6, 2.6, "low", "green"),
]

# (code, current, previous, polarity, trend) -- seed 001: Q2 (snapshot) vs 2020/21
SEED_001_TREND = [
    ("CFSE.1", 8.2, 7.1, "low", "worse"),  # +15.5%
    ("CFSE.25", 96.4, 96.4, "high", "stable"),
    ("CFSE.26", 3.4, 3.1, "low", "worse"),
    ("CFSE.27", 0.2, 0.5, "low", "better"),
    ("CFSE.28", 5.7, 5.1, "high", "better"),
    ("CFSE.29", 57.3, 64.4, "high", "worse"),
    ("CFSE.42", 0.07, 0.07, "low", "stable"),
    ("CFSE.53", 96.6, 95.0, "high", "better"),  # +1.68%
    ("CFSE.65", 52.3, 56.6, "high", "worse"),
]

# seed 000, 2024/25 Agreement baseline: 2023/24 against 2024/25 targets, previous 2022/23
SEED_000_STATUS = [
    ("CFE.63", 8.4, 63.0, "high", "red"),
    ("CFE.1", 5.3, 6.5, "low", "green"),
    ("CFE.25", 95.8, 97.0, "high", "amber"),  # 1.24% short
    ("CFE.28", 5.0, 5.0, "high", "green"),  # meets the target exactly
    ("CFE.10", 89.4, 90.0, "high", "amber"),
    ("CFE.12(i)", 75.7, 78.0, "high", "amber"),  # academic: 2022/23 vs 2023/24 target
    ("CFE.16", 47.0, 58.0, "high", "red"),
    ("CFE.15(iii)", 35.7, 34.0, "high", "green"),
    ("CFE.36", 6.3, 10.0, "low", "green"),
]
SEED_000_TREND = [
    ("CFE.63", 8.4, 13.0, "high", "worse"),
    ("CFE.25", 95.8, 96.3, "high", "stable"),  # -0.52%
    ("CFE.54", 97.3, 96.5, "high", "stable"),  # +0.83%
    ("CFE.53", 95.9, 94.8, "high", "better"),  # +1.16%
    ("CFE.12(i)", 75.7, 77.3, "high", "worse"),  # academic: 2022/23 vs 2021/22
]


@pytest.mark.parametrize("code,v,t,polarity,expected", SEED_001_STATUS + SEED_000_STATUS)
def test_hand_worked_status(code, v, t, polarity, expected):
    assert rag_status(v, t, polarity) == expected, code
    assert rate(v, t, polarity, unit="percent").result == expected


@pytest.mark.parametrize("code,c,p,polarity,expected", SEED_001_TREND + SEED_000_TREND)
def test_hand_worked_trend(code, c, p, polarity, expected):
    assert direction_of_travel(c, p, polarity) == expected, code


def test_reason_reads_plainly():
    r = rate(8.2, 9.5, "low", unit="percent")
    assert r.reason == "8.2% is better than the 9.5% target (low is good)"
    r = rate(57.3, 70, "high", unit="percent")
    assert r.result == "red"
    assert "18.1% worse than the 70% target" in r.reason
    assert "more than the 5% amber tolerance" in r.reason
    t = travel(8.2, 7.1, "low", unit="percent", previous_label="2020/21")
    assert t.reason == "getting worse: 8.2% is worse than 7.1% in 2020/21 (low is good)"
    r = rate(
        15.1,
        15.2,
        "low",
        unit="percent",
        target_text="15.2% in 2022/23",
        context="target: minimise",
    )
    assert r.reason == "15.1% is better than 15.2% in 2022/23 (target: minimise; low is good)"


# --------------------------------------------------------------------------- boundaries


@pytest.mark.parametrize(
    "v,t,polarity,expected",
    [
        (95.0, 100.0, "high", "amber"),  # exactly 5% below: amber (red needs more than 5%)
        (94.99, 100.0, "high", "red"),
        (95.01, 100.0, "high", "amber"),
        (100.0, 100.0, "high", "green"),  # tie: on target
        (105.0, 100.0, "low", "amber"),  # exactly 5% above a low-is-good target
        (105.01, 100.0, "low", "red"),
        (100.0, 100.0, "low", "green"),
        (9.975, 9.5, "low", "amber"),  # 5% in float is 0.05000000000000004: still amber
        (66.5, 70.0, "high", "amber"),  # 3.5/70 = 0.05 exactly after rounding
        (0.0, 0.0, "low", "green"),  # zero target met
        (0.1, 0.0, "low", "red"),  # zero target: any shortfall is red
        (-0.1, 0.0, "high", "red"),
        (5.0, 0.0, "high", "green"),
        (-95.0, -100.0, "low", "amber"),  # negative target: gap relative to |target|
    ],
)
def test_status_boundaries(v, t, polarity, expected):
    assert rag_status(v, t, polarity) == expected


@pytest.mark.parametrize(
    "c,p,polarity,expected",
    [
        (101.0, 100.0, "high", "stable"),  # exactly 1% either side: stable (inclusive)
        (99.0, 100.0, "high", "stable"),
        (101.01, 100.0, "high", "better"),
        (98.99, 100.0, "high", "worse"),
        (101.01, 100.0, "low", "worse"),
        (7.171, 7.1, "low", "stable"),  # 1% in float noise
        (100.0, 100.0, "high", "stable"),  # tie
        (0.0, 0.0, "high", "stable"),  # previous zero: stable only if equal
        (0.001, 0.0, "high", "better"),
        (0.001, 0.0, "low", "worse"),
    ],
)
def test_trend_boundaries(c, p, polarity, expected):
    assert direction_of_travel(c, p, polarity) == expected


def test_not_rated_inputs():
    assert rag_status(NAN, 9.5, "low") == ""
    assert rag_status(8.2, NAN, "low") == ""
    assert rag_status(8.2, 9.5, "none") == ""
    assert direction_of_travel(8.2, NAN, "low") == ""
    assert direction_of_travel(8.2, 7.1, "none") == ""
    assert rate(8.2, 9.5, "none").result == ""
    assert "no polarity" in rate(8.2, 9.5, "none").reason


def test_points_basis():
    rules = ScoringRules(basis="points")
    # 66 vs 70: 4 percentage points short (amber) but 5.7% of the target (red)
    assert rag_status(66.0, 70.0, "high") == "red"
    assert rag_status(66.0, 70.0, "high", rules=rules) == "amber"
    assert rag_status(65.0, 70.0, "high", rules=rules) == "amber"  # exactly 5 points
    assert rag_status(64.9, 70.0, "high", rules=rules) == "red"
    assert direction_of_travel(8.2, 7.1, "low", rules=rules) == "worse"  # 1.1 points
    assert direction_of_travel(8.0, 7.1, "low", rules=rules) == "stable"  # 0.9 points
    assert "percentage points" in rate(66.0, 70.0, "high", unit="percent", rules=rules).reason


def test_tolerances_are_settings():
    loose = ScoringRules(amber_tolerance=0.5, stable_tolerance=0.2)
    assert rag_status(57.3, 70.0, "high", rules=loose) == "amber"
    assert direction_of_travel(8.2, 7.1, "low", rules=loose) == "stable"
    with pytest.raises(ValueError):
        ScoringRules(basis="percent")
    with pytest.raises(ValueError):
        ScoringRules(amber_tolerance=-1)


# --------------------------------------------------------------------------- periods, forecast


def test_measure_years_academic_lag():
    fin = measure_years("2023/24", "2024/25", "2022/23", "financial")
    assert (fin.value_period, fin.target_year, fin.previous) == ("2023/24", "2024/25", "2022/23")
    aca = measure_years("2023/24", "2024/25", "2022/23", "academic")
    assert (aca.value_period, aca.target_year, aca.previous) == ("2022/23", "2023/24", "2021/22")
    q = measure_years("2024/25 Q2", "2024/25", "2023/24", "academic")
    assert (q.value_period, q.target_year, q.previous) == ("2023/24", "2023/24", "2022/23")


@pytest.mark.parametrize(
    "as_at,period,basis,months",
    [
        ("Q1-Q2", "2021/22 Q2", "financial", 6),
        ("Q1", "2021/22 Q2", "financial", 3),
        ("Q2", "2021/22 Q2", "financial", 6),
        ("Q2-Q3", "2021/22 Q3", "financial", 6),
        (None, "2021/22 Q2", "financial", 6),
        ("Dec'23", "2023/24 Q3", "financial", 9),
        ("Dec'23", "2023/24 Q1", "academic", 4),
        (None, "2023/24", "financial", None),
        ("Q4-Q1", "2021/22 Q2", "financial", None),
    ],
)
def test_months_covered(as_at, period, basis, months):
    assert months_covered(as_at, period, basis) == months


def test_forecasts():
    # seed 001 CFSE.64: 997 Early Help Assessments in Q1-Q2, cumulative count -> x 12/6
    f = forecast_year_end(
        997, period="2021/22 Q2", aggregation="cumulative", unit="count", as_at="Q1-Q2"
    )
    assert (f.value, f.method) == (1994, "extrapolated")
    # snapshot: latest value carried forward, and the Q1 lag is said
    f = forecast_year_end(
        8.2, period="2021/22 Q2", aggregation="snapshot", unit="percent", as_at="Q1"
    )
    assert (f.value, f.method) == (8.2, "latest")
    assert "as at Q1" in f.reason
    # a cumulative percentage is a year-to-date ratio: not scaled
    f = forecast_year_end(91.6, period="2021/22 Q2", aggregation="cumulative", unit="percent")
    assert (f.value, f.method) == (91.6, "latest")
    # a published forecast wins
    f = forecast_year_end(
        997, period="2021/22 Q2", aggregation="cumulative", unit="count", published=1800
    )
    assert (f.value, f.method) == (1800, "published")
    f = forecast_year_end(5.3, period="2023/24", aggregation="cumulative", unit="percent")
    assert f.method == "outturn"
    assert math.isnan(forecast_year_end(NAN, period="2021/22 Q2", aggregation="snapshot").value)


# --------------------------------------------------------------------------- scorecard


def seed_like_dataset() -> Dataset:
    """Illustrative dataset shaped like the real one, with some seed 001/000 figures."""
    ms = [
        measure("CFSE.1", polarity="low", series="S1", name="Mothers smoking at delivery"),
        measure("CFSE.29", series="S29"),
        measure(
            "CFSE.62", category="contextual", polarity="none", unit="rate per 1,000", priority=4
        ),
        measure("CFSE.64", polarity="none", unit="count", aggregation="cumulative", priority=3),
        measure("CFSE.44", polarity="low", priority=5),
        measure("CFSE.9", priority=2, aggregation="cumulative", unit="count"),
        measure("CFE.29", framework="2024/25", series="S29", priority=6),
        measure("CFE.1", framework="2024/25", series="S1", polarity="low"),
        measure("CFE.58", framework="2024/25", polarity="low", priority=6),
        measure("CFE.12", framework="2024/25", year_basis="academic", priority=2),
        measure("CFE.99", framework="2024/25", priority=2),
        measure("CFE.98", framework="2024/25", priority=2, polarity="high"),
    ]
    vs = [
        value("CFSE.1", "2020/21", 7.1, count=226),
        value("CFSE.1", "2021/22 Q2", 8.2, count=47, as_at="Q1"),
        value("CFSE.29", "2020/21", 64.4),
        value("CFSE.29", "2021/22 Q2", 57.3, count=51),
        value("CFSE.62", "2021/22 Q2", 30.8, count=2547),
        value("CFSE.64", "2020/21", 1545),
        value("CFSE.64", "2021/22 Q2", 997, as_at="Q1-Q2"),
        value("CFSE.44", "2020/21", NAN, note="Not yet available"),
        value("CFSE.44", "2021/22 Q2", NAN, note="N/A"),
        value("CFSE.9", "2020/21", 100),
        value("CFSE.9", "2021/22 Q2", 40),
        value("CFSE.9", "2021/22", 90, kind="forecast"),
        value("CFE.29", "2022/23", 55.6),
        value("CFE.29", "2023/24", 53.7, count=79),
        value("CFE.1", "2022/23", 7.7),
        value("CFE.1", "2023/24", 5.3, count=41, as_at="Dec'23"),
        value("CFE.58", "2022/23", 15.2),
        value("CFE.58", "2023/24", 15.1, count=73),
        value("CFE.12", "2021/22", 77.3),
        value("CFE.12", "2022/23", 75.7),
        value("CFE.99", "2023/24", 80.0),
        value("CFE.98", "2023/24", 80.0),
    ]
    ts = [
        target("CFSE.1", "2021/22", 9.5),
        target("CFSE.29", "2021/22", 70),
        target("CFSE.62", "2021/22", type="none", note="N/A"),
        target("CFSE.64", "2021/22", type="none", note="N/A"),
        target("CFSE.44", "2021/22", 30),
        target("CFSE.9", "2021/22", 100),
        target("CFE.29", "2024/25", 70),
        target("CFE.1", "2024/25", 6.5),
        target("CFE.58", "2024/25", type="direction", direction="minimise"),
        target("CFE.12", "2023/24", 78),
        target("CFE.99", "2024/25", type="comparator", comparator="England"),
        target("CFE.98", "2024/25", type="comparator", comparator="England"),
    ]
    cs = [
        {
            "code": "CFE.99",
            "subject": "ill. a",
            "period": "2023/24",
            "area": "North West",
            "value": 81.3,
            "derived": False,
            "quote": "illustrative",
            "source": "ill.",
        },
        {
            "code": "CFE.99",
            "subject": "ill. b",
            "period": "2023/24",
            "area": "England",
            "value": 83.0,
            "derived": False,
            "quote": "illustrative",
            "source": "ill.",
        },
    ]
    return make_dataset(ms, vs, ts, cs)


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return seed_like_dataset()


def _row(df: pd.DataFrame, code: str) -> pd.Series:
    return df.set_index("code").loc[code]


def test_scorecard_columns_and_order(ds):
    df = scorecard(ds, "2021/22 Q2")
    assert list(df.columns[: len(SCORECARD_COLUMNS)]) == list(SCORECARD_COLUMNS)
    assert list(df["code"]) == ["CFSE.1", "CFSE.29", "CFSE.9", "CFSE.64", "CFSE.62", "CFSE.44"]
    assert set(df["status"]) <= {"red", "amber", "green", ""}
    assert set(df["trend"]) <= {"better", "stable", "worse", ""}
    assert df["value"].dtype == "float64"


def test_scorecard_mid_year(ds):
    df = scorecard(ds, "2021-22-Q2")
    r = _row(df, "CFSE.1")
    assert (r["status"], r["trend"], r["previous"], r["forecast"]) == ("green", "worse", 7.1, 8.2)
    assert r["reason"].startswith("8.2% (as at Q1) is better than the 9.5% target (low is good).")
    assert "the forecast year-end 8.2% (the latest figure, as at Q1)" in r["reason"]
    assert _row(df, "CFSE.29")[["status", "trend"]].tolist() == ["red", "worse"]
    # contextual and no-polarity measures: never rated, but the forecast is still made
    for code in ("CFSE.62", "CFSE.64"):
        assert _row(df, code)[["status", "trend"]].tolist() == ["", ""]
    assert "contextual" in _row(df, "CFSE.62")["reason"]
    assert _row(df, "CFSE.64")["forecast"] == 1994
    # not available: not rated, the printed note is the reason
    r = _row(df, "CFSE.44")
    assert (r["status"], r["trend"]) == ("", "")
    assert "N/A" in r["reason"]
    # published forecast wins over extrapolation (40 x 2 = 80)
    r = _row(df, "CFSE.9")
    assert (r["forecast"], r["forecast_method"]) == (90, "published")
    assert (r["status"], r["trend"]) == ("red", "worse")


def test_scorecard_baseline(ds):
    df = scorecard(ds, "2023/24")
    r = _row(df, "CFE.29")  # previous through the series
    assert (r["previous"], r["status"], r["trend"]) == (55.6, "red", "worse")
    r = _row(df, "CFE.1")
    assert (r["status"], r["trend"]) == ("green", "better")
    assert "as at Dec'23" in r["reason"]
    r = _row(df, "CFE.58")  # minimise: rated against the 2022/23 figure
    assert (r["status"], r["trend"], r["target_type"]) == ("green", "stable", "direction")
    assert "15.2% in 2022/23 (target: minimise; low is good)" in r["reason"]
    r = _row(df, "CFE.12")  # academic: 2022/23 vs 2023/24 target, previous 2021/22
    assert (r["value"], r["target"], r["previous"]) == (75.7, 78, 77.3)
    assert (r["value_period"], r["target_year"]) == ("2022/23", "2023/24")
    assert (r["status"], r["trend"]) == ("amber", "worse")
    r = _row(df, "CFE.99")  # comparator: England preferred over North West
    assert (r["target"], r["comparator_area"], r["status"]) == (83.0, "England", "amber")
    r = _row(df, "CFE.98")  # comparator target with no comparator figure
    assert r["status"] == "" and "no comparator figure" in r["reason"]


def test_direction_targets():
    ms = [
        measure("A.1", polarity="high"),
        measure("A.2", polarity="low"),
        measure("A.3", polarity="none"),
        measure("A.4", polarity="high"),
    ]
    vs = [
        value(c, p, v)
        for c, p, v in [
            ("A.1", "2020/21", 50),
            ("A.1", "2021/22 Q2", 49),
            ("A.2", "2020/21", 50),
            ("A.2", "2021/22 Q2", 60),
            ("A.3", "2020/21", 50),
            ("A.3", "2021/22 Q2", 40),
            ("A.4", "2021/22 Q2", 40),
        ]
    ]
    ts = [
        target("A.1", "2021/22", type="direction", direction="maximise"),
        target("A.2", "2021/22", type="direction", direction="maintain"),
        target("A.3", "2021/22", type="direction", direction="maintain"),
        target("A.4", "2021/22", type="direction", direction="maximise"),
    ]
    df = scorecard(make_dataset(ms, vs, ts), "2021/22 Q2").set_index("code")
    assert df.loc["A.1", "status"] == "amber"  # 2% below last year's 50
    assert df.loc["A.2", "status"] == "red"  # maintain, low is good: 20% worse
    assert df.loc["A.3", "status"] == ""  # maintain with no polarity: not rated
    assert df.loc["A.4", "status"] == ""  # no previous year-end to compare with
    assert "needs a figure for 2020/21" in df.loc["A.4", "reason"]


def test_missing_target_and_tbc():
    ms = [measure("B.1"), measure("B.2")]
    vs = [value("B.1", "2021/22 Q2", 10), value("B.2", "2021/22 Q2", 10)]
    ts = [target("B.2", "2021/22", type="none", note="TBC")]
    df = scorecard(make_dataset(ms, vs, ts), "2021/22 Q2").set_index("code")
    assert df.loc["B.1", "status"] == "" and "no target for 2021/22" in df.loc["B.1", "reason"]
    assert df.loc["B.2", "status"] == "" and "TBC" in df.loc["B.2", "reason"]


def test_resolve_and_latest_period(ds):
    assert resolve_period(ds, "2021-22-Q2") == "2021/22 Q2"
    assert resolve_period(ds, "2021/22 Q2") == "2021/22 Q2"
    assert latest_period(ds) == "2023/24"
    with pytest.raises(ParameterError, match=r"2021/22 Q2, 2023/24"):
        resolve_period(ds, "2022/23 Q1")
    with pytest.raises(ParameterError, match="periods held"):
        resolve_period(ds, "not a period")
    # listed in periods but no values: an error too
    empty = make_dataset([measure("C.1")], [], [])
    with pytest.raises(ParameterError, match="periods held: none"):
        resolve_period(empty, "2021/22 Q2")
    with pytest.raises(ParameterError):
        scorecard(ds, "2019/20")


def test_write_scorecard(ds, tmp_path: Path):
    df = scorecard(ds, "2021/22 Q2")
    csv = write_scorecard(df, tmp_path / "out" / "scorecard.csv")
    back = pd.read_csv(csv, keep_default_na=False)
    assert list(back.columns) == list(df.columns)
    assert list(back["status"]) == list(df["status"])
    xlsx = write_scorecard(df, tmp_path / "scorecard.xlsx")
    back = pd.read_excel(xlsx, sheet_name="scorecard", keep_default_na=False)
    assert list(back["code"]) == list(df["code"])
    with pytest.raises(ParameterError, match=".csv or .xlsx"):
        write_scorecard(df, tmp_path / "scorecard.json")


def test_not_comparable_and_forecast_notes():
    ms = [measure("D.1", unit="count"), measure("D.2", polarity="low")]
    vs = [
        value("D.1", "2020/21", 44),
        value(
            "D.1",
            "2021/22 Q2",
            44,
            note="a percent where other years are counts, so not comparable with them",
        ),
        value("D.2", "2021/22 Q2", NAN, kind="forecast", note="N/A"),
    ]
    ts = [
        target("D.1", "2021/22", type="direction", direction="maximise"),
        target("D.2", "2021/22", 13.0),
    ]
    df = scorecard(make_dataset(ms, vs, ts), "2021/22 Q2").set_index("code")
    assert (df.loc["D.1", "status"], df.loc["D.1", "trend"]) == ("", "")
    assert "not comparable" in df.loc["D.1", "reason"]
    assert df.loc["D.2", "status"] == ""
    assert df.loc["D.2", "reason"] == "Not rated: no figure for 2021/22 Q2 (N/A)."


def test_comparator_at_the_as_at_quarter():
    ms = [measure("E.1", polarity="low")]
    vs = [value("E.1", "2021/22 Q2", 3.4, as_at="Q1")]
    ts = [target("E.1", "2021/22", type="comparator", comparator="England")]
    cs = [
        {
            "code": "E.1",
            "subject": "ill.",
            "period": "2021/22 Q1",
            "area": "North West",
            "value": 3.6,
            "derived": False,
            "quote": "ill.",
            "source": "ill.",
        }
    ]
    row = scorecard(make_dataset(ms, vs, ts, cs), "2021/22 Q2").iloc[0]
    assert (row["status"], row["comparator_area"], row["target"]) == ("green", "North West", 3.6)
    assert "the North West figure of 3.6% (2021/22 Q1)" in row["reason"]
    # the area the target names comes before the preference order
    cs.append(cs[0] | {"area": "Greater Manchester", "value": 3.0, "subject": "ill. 2"})
    ts = [target("E.1", "2021/22", type="comparator", comparator="Greater Manchester")]
    row = scorecard(make_dataset(ms, vs, ts, cs), "2021/22 Q2").iloc[0]
    assert (row["status"], row["comparator_area"]) == ("red", "Greater Manchester")


# --------------------------------------------------------------------------- the real data


@pytest.fixture(scope="module")
def real() -> Dataset:
    from pprr_utils.dataset.load import default_data_dir, load_dataset

    if not (default_data_dir() / "measures.csv").exists():
        pytest.skip("the real data is not built yet")
    return load_dataset(default_data_dir())


def test_real_periods(real):
    assert resolve_period(real, "2021-22-Q2") == "2021/22 Q2"
    assert latest_period(real) == "2023/24"
    with pytest.raises(ParameterError, match=r"periods held: 2021/22 Q2, 2023/24"):
        resolve_period(real, "2022/23")


@pytest.mark.parametrize("period", ["2021/22 Q2", "2023/24"])
def test_real_scorecard_rates_every_ratable_measure(real, period):
    df = scorecard(real, period)
    framework = real.tables["periods"].set_index("period").at[period, "framework"]
    measures = real.tables["measures"]
    assert sorted(df["code"]) == sorted(measures.loc[measures["framework"] == framework, "code"])
    assert df["reason"].map(bool).all()
    for _, r in df.iterrows():
        if r["status"]:
            assert r["category"] != "contextual" and r["polarity"] != "none", r["code"]
            assert not math.isnan(r["forecast"]), r["code"]
        else:
            assert r["reason"].startswith("Not rated"), r["code"]
        ratable = (
            r["category"] != "contextual"
            and r["polarity"] != "none"
            and not math.isnan(r["value"])
            and r["target_type"] == "numerical"
        )
        if ratable:
            assert r["status"], f"{r['code']}: {r['reason']}"
    assert (df["status"] != "").sum() >= 10
    text = df.drop(columns=["value", "count", "target", "previous", "forecast", "priority"])
    text = text.drop(columns=["shortfall", "shortfall_pct"])  # numbers (shortfall.py)
    assert all(x is None or isinstance(x, str) for x in text.to_numpy().ravel())


def test_real_mid_year_as_published(real):
    """Seed 001, 2021/22 Q2: every measure with a figure and a target gets a colour."""
    df = scorecard(real, "2021/22 Q2").set_index("code")
    rated = df[df["status"] != ""].index
    assert set(rated) == {
        "CFSE.1",
        "CFSE.25",
        "CFSE.26",
        "CFSE.27",
        "CFSE.28",
        "CFSE.29",
        "CFSE.65",
        "CFSE.63",
        "CFSE.42",
        "CFSE.53",
        "CFSE.54",
        "CFSE.56",
        "CFSE.57",
    }
    assert df.loc["CFSE.64", "forecast"] == 1994
    assert df.loc["CFSE.64", "forecast_method"] == "extrapolated"


def test_real_scorecards_of_every_period_equal_each_periods_scorecard(real):
    together = scorecards(real)  # every report period with data, in the periods table's order
    held = periods_with_data(real.tables)
    assert list(dict.fromkeys(together["period"])) == held
    for period in held:
        part = together[together["period"] == period].drop(columns="period")
        pd.testing.assert_frame_equal(
            part.reset_index(drop=True), scorecard(real, period), check_exact=True
        )
    assert scorecards(real, ["2021-22-Q2"])["period"].unique().tolist() == ["2021/22 Q2"]
    assert scorecards(real, "2023-24").equals(scorecards(real, ["2023/24"]))  # one, on its own
    twice = scorecards(real, ["2023/24", "2023-24"])
    assert twice.equals(together[together["period"] == "2023/24"].reset_index(drop=True))
    empty = scorecards(real, [])
    assert empty.empty and list(empty.columns) == list(together.columns)
    with pytest.raises(ParameterError, match="periods held"):
        scorecards(real, ["2031/32 Q1"])
