"""Invariants of scoring, checked with hypothesis on Illustrative generated inputs."""

from __future__ import annotations

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_score import make_dataset, measure, target, value

from pprr_utils.dataset.score import (
    ScoringRules,
    direction_of_travel,
    rag_status,
    rate,
    scorecard,
    travel,
)

RANK = {"red": 0, "amber": 1, "green": 2}
TREND_RANK = {"worse": 0, "stable": 1, "better": 2}

figures = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
# figures with few decimals, as published, so boundaries are hit often
published = st.integers(min_value=-20000, max_value=20000).map(lambda n: n / 100)
numbers = st.one_of(figures, published)
polarities = st.sampled_from(["high", "low"])
rules_st = st.builds(
    ScoringRules,
    amber_tolerance=st.sampled_from([0.0, 0.01, 0.05, 0.1, 0.5]),
    stable_tolerance=st.sampled_from([0.0, 0.01, 0.05]),
    basis=st.sampled_from(["relative", "points"]),
    amber_points=st.sampled_from([0.0, 1.0, 5.0]),
    stable_points=st.sampled_from([0.0, 1.0]),
)


@given(a=numbers, b=numbers, t=numbers, polarity=polarities, rules=rules_st)
def test_better_value_never_gets_worse_status(a, b, t, polarity, rules):
    better, worse = (max(a, b), min(a, b)) if polarity == "high" else (min(a, b), max(a, b))
    s_better = rag_status(better, t, polarity, rules=rules)
    s_worse = rag_status(worse, t, polarity, rules=rules)
    assert RANK[s_better] >= RANK[s_worse]


@given(a=numbers, b=numbers, p=numbers, polarity=polarities, rules=rules_st)
def test_better_forecast_never_gets_worse_trend(a, b, p, polarity, rules):
    better, worse = (max(a, b), min(a, b)) if polarity == "high" else (min(a, b), max(a, b))
    t_better = direction_of_travel(better, p, polarity, rules=rules)
    t_worse = direction_of_travel(worse, p, polarity, rules=rules)
    assert TREND_RANK[t_better] >= TREND_RANK[t_worse]


@given(v=numbers, t=numbers, rules=rules_st)
def test_swapping_polarity_mirrors_status(v, t, rules):
    # high is good for (v, t) is the mirror image of low is good for (-v, -t)
    assert rag_status(v, t, "high", rules=rules) == rag_status(-v, -t, "low", rules=rules)
    assert rag_status(v, t, "low", rules=rules) == rag_status(-v, -t, "high", rules=rules)


@given(c=numbers, p=numbers, rules=rules_st)
def test_swapping_polarity_mirrors_trend(c, p, rules):
    assert direction_of_travel(c, p, "high", rules=rules) == direction_of_travel(
        -c, -p, "low", rules=rules
    )
    # swapping the polarity of the same figures turns better into worse, stable stays
    flip = {"better": "worse", "worse": "better", "stable": "stable"}
    assert flip[direction_of_travel(c, p, "high", rules=rules)] == direction_of_travel(
        c, p, "low", rules=rules
    )


@given(v=numbers, t=numbers, polarity=polarities, rules=rules_st)
def test_rate_agrees_with_rag_status_and_explains(v, t, polarity, rules):
    r = rate(v, t, polarity, unit="percent", rules=rules)
    assert r.result == rag_status(v, t, polarity, rules=rules)
    assert r.result in RANK
    assert r.reason and "nan" not in r.reason.lower()
    tr = travel(v, t, polarity, unit="percent", rules=rules)
    assert tr.result in TREND_RANK and tr.reason


@given(t=st.one_of(numbers, st.just(math.nan)), polarity=st.sampled_from(["high", "low", "none"]))
def test_missing_value_never_rated(t, polarity):
    assert rag_status(math.nan, t, polarity) == ""
    assert rate(math.nan, t, polarity).result == ""
    assert direction_of_travel(math.nan, t, polarity) == ""


# --------------------------------------------------------------------------- whole scorecard

target_kinds = st.sampled_from(["numerical", "direction", "comparator", "none"])
directions = st.sampled_from(["maximise", "minimise", "maintain"])


@st.composite
def one_measure(draw, *, category=None, polarity=None, missing_value=False):
    """An Illustrative one-measure dataset at the 2021/22 Q2 period."""
    cat = category or draw(st.sampled_from(["council", "partnership", "contextual"]))
    pol = polarity or draw(st.sampled_from(["high", "low", "none"]))
    agg = draw(st.sampled_from(["snapshot", "cumulative"]))
    unit = draw(st.sampled_from(["percent", "count", "rate per 1,000"]))
    kind = draw(target_kinds)
    m = measure("P.1", category=cat, polarity=pol, aggregation=agg, unit=unit)
    current = math.nan if missing_value else draw(published)
    note = "Not yet available" if missing_value else None
    vs = [
        value("P.1", "2020/21", draw(published)),
        value("P.1", "2021/22 Q2", current, note=note, as_at=draw(st.sampled_from([None, "Q1"]))),
    ]
    t = target(
        "P.1",
        "2021/22",
        draw(published) if kind == "numerical" else math.nan,
        type=kind,
        direction=draw(directions) if kind == "direction" else None,
        comparator="England" if kind == "comparator" else None,
        note="N/A" if kind == "none" else None,
    )
    comps = []
    if kind == "comparator" and draw(st.booleans()):
        comps = [
            {
                "code": "P.1",
                "subject": "ill.",
                "period": "2021/22",
                "area": "England",
                "value": draw(published),
                "derived": False,
                "quote": "ill.",
                "source": "ill.",
            }
        ]
    return make_dataset([m], vs, [t], comps)


SLOW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SLOW
@given(ds=one_measure(category="contextual"))
def test_contextual_never_rated(ds):
    row = scorecard(ds, "2021/22 Q2").iloc[0]
    assert (row["status"], row["trend"]) == ("", "")
    assert "contextual" in row["reason"]


@SLOW
@given(ds=one_measure(polarity="none"))
def test_no_polarity_never_rated(ds):
    row = scorecard(ds, "2021/22 Q2").iloc[0]
    assert (row["status"], row["trend"]) == ("", "")


@SLOW
@given(ds=one_measure(missing_value=True))
def test_scorecard_missing_value_never_rated(ds):
    row = scorecard(ds, "2021/22 Q2").iloc[0]
    assert (row["status"], row["trend"]) == ("", "")
    assert row["reason"]


@SLOW
@given(ds=one_measure())
def test_scorecard_row_is_well_formed(ds):
    row = scorecard(ds, "2021/22 Q2").iloc[0]
    assert row["status"] in ("red", "amber", "green", "")
    assert row["trend"] in ("better", "stable", "worse", "")
    assert row["reason"] and "nan" not in row["reason"].lower()
    if row["status"]:
        assert row["category"] != "contextual" and row["polarity"] != "none"


positive = st.integers(min_value=1, max_value=100000).map(lambda n: n / 100)


@given(t=positive)
def test_exact_boundaries_survive_float_noise(t):
    # exactly 5% short is amber and exactly 1% either side is stable, however floats round
    assert rag_status(t - 0.05 * t, t, "high") == "amber"
    assert rag_status(t + 0.05 * t, t, "low") == "amber"
    assert rag_status(t * 0.95, t, "high") == "amber"
    assert direction_of_travel(t * 1.01, t, "high") == "stable"
    assert direction_of_travel(t * 0.99, t, "low") == "stable"
