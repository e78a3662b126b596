"""The vectorised scorecard equals the per-measure reference (``score_reference``), cell for
cell, on small random Illustrative datasets that reach every rule: milestones, academic-year
measures with and without their own in-year figure, direction targets whose word and the
measure's polarity disagree, comparator targets (named areas, the portfolio's order, as-at
quarters), "not comparable" notes, published forecasts, cumulative counts with as-at
markers, contextual measures, no polarity, missing figures and targets, zero targets,
ambitions, series whose previous year-end sits under another code, repeated keys."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from score_reference import reference_scorecard
from test_score import make_dataset

from pprr_utils.dataset.errors import ParameterError
from pprr_utils.dataset.score import ScoringRules, scorecard, scorecards

NAN = math.nan
REPORTS = [  # (period, target_year, previous): in-year, first quarter, year-end, baseline
    ("2022/23 Q2", "2022/23", "2021/22"),
    ("2022/23 Q1", "2022/23", "2021/22"),
    ("2022/23 Q3", "2022/23", "2021/22"),
    ("2022/23", "2022/23", "2021/22"),
    ("2021/22", "2022/23", "2020/21"),
]
PERIODS = [
    "2019/20",
    "2020/21",
    "2021/22",
    "2022/23",
    "2023/24",
    "2024/25",
    "2021/22 Q2",
    "2022/23 Q1",
    "2022/23 Q2",
    "2022/23 Q3",
    "2022/23 Q4",
]
AREAS = ["England", "North West", "Statistical neighbours"]
CODES = ["A.1", "A.2", "A.3", "A.4", "B.1", "B.2"]

_special = st.sampled_from([0.0, 1.0, 5.0, 50.0, 95.0, 100.0, 1234.5, -2.0])
_published = st.integers(min_value=-500, max_value=20000).map(lambda n: n / 100)
numbers = st.integers(0, 19).flatmap(  # a missing figure one time in twenty
    lambda i: st.just(NAN) if i == 0 else (_special if i < 8 else _published)
)
notes = st.sampled_from([*[None] * 12, "N/A", "Figures not comparable with 2021/22", "TBC"])
as_ats = st.sampled_from([None, None, "Q1", "Q1-Q2", "Q2", "Q3", "Dec'22", "Sept", "Jun 2022"])


@st.composite
def measures(draw: st.DrawFn) -> list[dict]:
    out = []
    for code in CODES:
        out.append(
            {
                "framework": "F" if code.startswith("A") else draw(st.sampled_from(["F", "G"])),
                "code": code,
                "series": draw(st.sampled_from([None, "s1", "s2", code])),
                "name": f"Illustrative measure {code}",
                "priority": draw(st.integers(min_value=1, max_value=3)),
                "category": draw(
                    st.sampled_from([None, "council", "council", "partnership", "contextual"])
                ),
                "polarity": draw(st.sampled_from(["high", "low", "high", "low", "none"])),
                "unit": draw(st.sampled_from([None, "percent", "count", "rate per 1,000"])),
                "year_basis": draw(st.sampled_from(["financial", "academic"])),
                "aggregation": draw(st.sampled_from(["snapshot", "cumulative"])),
                "source": "illustrative",
            }
        )
    return out


def _value(draw: st.DrawFn, code: str, period: str, kind: str) -> dict:
    return {
        "code": code,
        "period": period,
        "value": draw(numbers),
        "count": draw(st.one_of(st.just(NAN), st.integers(0, 500).map(float))),
        "as_at": draw(as_ats),
        "kind": kind,
        "note": draw(notes),
        "source": "ill.",
    }


@st.composite
def values(draw: st.DrawFn) -> list[dict]:
    """Most measures have figures at most periods; a few forecasts; now and then a key twice."""
    rows = []
    for code in CODES:
        for period in PERIODS:
            kinds = draw(st.sampled_from([(), ("actual",), ("actual",), ("actual", "forecast")]))
            rows += [_value(draw, code, period, k) for k in kinds]
    if rows and draw(st.booleans()):
        rows.append(dict(draw(st.sampled_from(rows)), value=draw(numbers)))
    return rows


def _target(draw: st.DrawFn, code: str, year: str) -> dict:
    kind = draw(st.sampled_from(["numerical", "numerical", "direction", "comparator", "none"]))
    return {
        "code": code,
        "year": year,
        "type": kind,
        "value": draw(numbers) if kind == "numerical" else NAN,
        "direction": draw(st.sampled_from([None, "maximise", "minimise", "maintain"]))
        if kind == "direction"
        else None,
        "comparator": draw(st.sampled_from([None, *AREAS])) if kind == "comparator" else None,
        "note": draw(st.sampled_from([None, "N/A", "TBC"])),
        "source": "ill.",
    }


@st.composite
def targets(draw: st.DrawFn) -> list[dict]:
    """Year targets, milestones (a period as the year) and later years (ambitions)."""
    rows = []
    for code in CODES:
        years = draw(st.lists(st.sampled_from(PERIODS), max_size=3, unique=True))
        years += draw(st.sampled_from([[], ["2022/23"], ["2022/23"], ["2021/22"], ["2023/24"]]))
        rows += [_target(draw, code, y) for y in years]
    return rows


@st.composite
def comparators(draw: st.DrawFn) -> list[dict]:
    near = ["2021/22", "2022/23", "2023/24", "2022/23 Q1", "2022/23 Q2", "2021/22 Q2"]
    rows = []
    for code in CODES:
        for _ in range(draw(st.integers(min_value=0, max_value=3))):
            rows.append(
                {
                    "code": code,
                    "subject": f"ill. {len(rows)}",
                    "period": draw(st.sampled_from(near)),
                    "area": draw(st.sampled_from(AREAS)),
                    "value": draw(st.sampled_from([0.0, 3.5, 50.0, 95.5, 101.0])),
                    "derived": False,
                    "quote": "ill.",
                    "source": "ill.",
                }
            )
    return rows


rules_st = st.builds(
    ScoringRules,
    amber_tolerance=st.sampled_from([0.0, 0.05, 0.1]),
    stable_tolerance=st.sampled_from([0.0, 0.01, 0.05]),
    basis=st.sampled_from(["relative", "points"]),
    amber_points=st.sampled_from([0.0, 1.0, 5.0]),
    stable_points=st.sampled_from([0.0, 1.0]),
    comparator_areas=st.permutations(AREAS).map(lambda a: tuple(a[:2])),
)


def _periods() -> list[dict]:
    return [
        {
            "period": p,
            "framework": "F",
            "title": "ill.",
            "kind": "ill.",
            "target_year": t,
            "previous": v,
        }
        for p, t, v in REPORTS
    ]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    ms=measures(),
    vs=values(),
    ts=targets(),
    cs=comparators(),
    report=st.sampled_from([r[0] for r in REPORTS]),
    rules=rules_st,
)
def test_scorecard_equals_the_per_measure_reference(ms, vs, ts, cs, report, rules):
    ds = make_dataset(ms, vs, ts, cs, periods=_periods())
    try:
        expected = reference_scorecard(ds, report, rules=rules)
    except ParameterError:
        with pytest.raises(ParameterError):
            scorecard(ds, report, rules=rules)
        return
    got = scorecard(ds, report, rules=rules)
    pd.testing.assert_frame_equal(got, expected)
    for row in got.itertuples():  # which rules the example reached (--hypothesis-show-statistics)
        event(f"{row.target_type} {row.status or 'not rated'}")
        event(f"forecast {row.forecast_method}, basis {row.target_basis}")
        for words in ("not comparable", "note the target", "comparator figure of", "zero"):
            if words in row.reason:
                event(words)
        if row.ambition:
            event("ambition")


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ms=measures(), vs=values(), ts=targets(), cs=comparators(), rules=rules_st)
def test_scorecards_of_many_periods_equal_each_periods_scorecard(ms, vs, ts, cs, rules):
    """Scoring every report period in one pass (each row carrying its own period, target
    year and previous year-end) gives each period's rows exactly as scoring it alone."""
    ds = make_dataset(ms, vs, ts, cs, periods=_periods())
    wanted, alone = [], []
    for period in (r[0] for r in REPORTS):
        try:
            alone.append(scorecard(ds, period, rules=rules))
            wanted.append(period)
        except ParameterError:  # no figures for it: scorecards refuses it the same way
            with pytest.raises(ParameterError):
                scorecards(ds, [period], rules=rules)
    together = scorecards(ds, wanted, rules=rules)
    if alone:
        assert list(together.columns) == ["period", *alone[0].columns]
    sizes = [len(card) for card in alone]
    assert together["period"].tolist() == [
        p for p, k in zip(wanted, sizes, strict=True) for _ in range(k)
    ]
    for period, card in zip(wanted, alone, strict=True):
        part = together[together["period"] == period].drop(columns="period")
        pd.testing.assert_frame_equal(part.reset_index(drop=True), card, check_exact=True)


def test_reference_and_scorecard_agree_on_a_worked_case():
    """A fixed case through the busiest rules, so a failure here names them."""
    ms = [
        {
            "framework": "F",
            "code": c,
            "series": None,
            "name": c,
            "priority": 1,
            "category": "council",
            "polarity": pol,
            "unit": unit,
            "year_basis": basis,
            "aggregation": agg,
            "source": "ill.",
        }
        for c, pol, unit, basis, agg in [
            ("A.1", "high", "count", "financial", "cumulative"),
            ("A.2", "low", "percent", "academic", "snapshot"),
            ("A.3", "high", "percent", "financial", "snapshot"),
        ]
    ]
    vs = [
        {"code": "A.1", "period": "2022/23 Q2", "value": 120.0, "kind": "actual", "as_at": "Q1"},
        {"code": "A.1", "period": "2021/22", "value": 400.0, "kind": "actual"},
        {"code": "A.2", "period": "2022/23 Q2", "value": 12.0, "kind": "actual"},
        {"code": "A.2", "period": "2021/22", "value": 14.0, "kind": "actual"},
        {"code": "A.3", "period": "2022/23 Q2", "value": 60.0, "kind": "actual"},
        {"code": "A.3", "period": "2022/23", "value": 64.0, "kind": "forecast"},
    ]
    ts = [
        {"code": "A.1", "year": "2022/23", "type": "numerical", "value": 0.0},
        {"code": "A.1", "year": "2024/25", "type": "numerical", "value": 500.0},
        {"code": "A.2", "year": "2022/23", "type": "direction", "direction": "maximise"},
        {"code": "A.3", "year": "2022/23 Q2", "type": "numerical", "value": 61.0},
    ]
    ds = make_dataset(ms, vs, ts, periods=_periods())
    for basis in ("relative", "points"):
        rules = ScoringRules(basis=basis)
        got = scorecard(ds, "2022/23 Q2", rules=rules)
        pd.testing.assert_frame_equal(got, reference_scorecard(ds, "2022/23 Q2", rules=rules))
    assert got["forecast_method"].tolist() == ["extrapolated", "latest", "published"]
    assert got["ambition"].iloc[0] == "500 by 2024/25"
    assert "note the target says maximise" in got["reason"].iloc[1]
    assert got["target_basis"].iloc[2] == "milestone"
