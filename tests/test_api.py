"""The public API (``pprr_utils.__all__``, docs/api.md): light to import, and what it returns."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import pprr_utils as pp
from pprr_utils.dataset.errors import ParameterError
from pprr_utils.dataset.shortfall import SHORTFALL_COLUMNS, shortfall

ROOT = Path(__file__).resolve().parent.parent
API = {"load_dataset", "scorecard", "history", "open_report", "run_batch", "ScoringRules"}


@pytest.fixture(scope="module")
def ds():
    return pp.load_dataset()


def test_all_lists_the_api_and_every_name_resolves():
    assert API | {"DataError"} <= set(pp.__all__)
    for name in pp.__all__:
        assert getattr(pp, name) is not None
        assert name in dir(pp)
    assert pp.DataError.__name__ == "DataError"
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        pp.nope  # noqa: B018


def test_each_api_function_has_type_hints_and_a_docstring():
    import inspect

    for name in API - {"ScoringRules"}:
        fn = getattr(pp, name)
        assert (fn.__doc__ or "").strip(), name
        sig = inspect.signature(fn)
        assert sig.return_annotation is not inspect.Signature.empty, name
        for p in sig.parameters.values():
            assert p.annotation is not inspect.Parameter.empty, (name, p.name)


def test_import_is_light():
    """``import pprr_utils`` loads neither pandas nor the batch; names load on first use."""
    code = (
        "import sys, pprr_utils;"
        "assert 'pandas' not in sys.modules and 'pprr_utils.batch.run' not in sys.modules;"
        "pprr_utils.ScoringRules;"
        "assert 'pprr_utils.batch.run' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


# ------------------------------------------------------------------ shortfall


@pytest.mark.parametrize(
    ("figure", "target", "polarity", "gap", "pct"),
    [
        (8.2, 9.5, "low", -1.3, -13.6842105263),  # below a "low is good" target: better
        (3.4, 2.0, "low", 1.4, 70.0),
        (45.0, 50.0, "high", 5.0, 10.0),
        (55.0, 50.0, "high", -5.0, -10.0),
        (50.0, 50.0, "high", 0.0, 0.0),
        (1.0, 0.0, "low", 1.0, math.nan),  # no relative gap to a zero target
        (math.nan, 50.0, "high", math.nan, math.nan),
        (45.0, 50.0, "none", math.nan, math.nan),
    ],
)
def test_shortfall_is_signed_so_positive_is_worse(figure, target, polarity, gap, pct):
    got = shortfall(figure, target, polarity)
    for g, want in zip(got, (gap, pct), strict=True):
        assert (math.isnan(g) and math.isnan(want)) or g == pytest.approx(want)


@pytest.mark.parametrize("period", ["2021/22 Q2", "2023/24"])
@pytest.mark.parametrize("tolerance", [0.05, 0.10])
def test_scorecard_shortfall_agrees_with_every_status(ds, period, tolerance):
    """Every rated measure has a shortfall; > 0 exactly when red or amber, and > the amber
    tolerance exactly when red; unrated measures have none."""
    card = pp.scorecard(ds, period, rules=pp.ScoringRules(amber_tolerance=tolerance))
    assert list(card.columns[-2:]) == list(SHORTFALL_COLUMNS)
    rated = card[card["status"] != ""]
    assert len(rated) > 10 and rated["shortfall"].notna().all()
    assert card.loc[card["status"] == "", "shortfall"].isna().all()
    assert ((rated["shortfall"] > 0) == rated["status"].isin(["red", "amber"])).all()
    assert ((rated["shortfall_pct"] > 100 * tolerance) == (rated["status"] == "red")).all()


def test_scorecard_shortfall_real_figures(ds):
    card = pp.scorecard(ds, "2021/22 Q2").set_index("code")
    # CFSE.26 (low is good): 3.4% against a 2.0% target, as published
    assert card.at["CFSE.26", "shortfall"] == pytest.approx(1.4)
    assert card.at["CFSE.26", "shortfall_pct"] == pytest.approx(70.0)
    assert card.at["CFSE.1", "shortfall"] == pytest.approx(-1.3)  # 8.2% against 9.5%: better


# ------------------------------------------------------------------ history


def test_history_follows_the_series_across_frameworks(ds):
    h = pp.history(ds, "CFSE.29")  # care leavers in education, training and employment
    assert set(h["framework"]) == {"2021/22", "2024/25"}
    assert set(h["code"]) == {"CFSE.29", "CFE.29"}
    actual = h[h["kind"] == "actual"].set_index("period")["value"]
    assert actual["2019/20"] == 57.0 and actual["2023/24"] == 53.7
    targets = h[h["kind"] == "target"].set_index("period")["value"]
    assert targets.to_dict() == {"2021/22": 70.0, "2024/25": 70.0}
    comp = h[h["kind"] == "comparator"]
    assert set(comp["line"]) == {"England", "Statistical neighbours"}
    assert (comp["line"] == comp["area"]).all()
    assert not h.duplicated(["period", "kind", "line"]).any()
    # the same history from any code of the series, own code first on a clash
    other = pp.history(ds, "CFE.29")
    assert len(other) == len(h)
    assert set(other.loc[other["period"] == "2021/22", "code"]) <= {"CFE.29", "CFSE.29"}


def test_history_is_in_period_order_and_typed(ds):
    from pprr_utils.dataset.periods import parse_period

    h = pp.history(ds, "NEW-2024-25-3-01")  # the EHCP rate, renumbered from CFSE.62
    assert "CFSE.62" in set(h["code"])
    keys = [parse_period(p) for p in h["period"]]
    assert keys == sorted(keys)
    assert pd.api.types.is_float_dtype(h["value"])


def test_history_unknown_code_is_a_clear_error(ds):
    with pytest.raises(ParameterError, match="unknown measure 'CFE.999'"):
        pp.history(ds, "CFE.999")
