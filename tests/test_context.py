"""open_report: period and priority resolution, clear ParameterErrors, series history.

All figures here are ILLUSTRATIVE (synthetic), made up for the tests.
"""

from __future__ import annotations

import pandas as pd
import pytest
from illustrative import ILLUSTRATIVE_PERIODS

from pprr_utils.dataset.errors import ParameterError
from pprr_utils.dataset.formats import figure
from pprr_utils.dataset.load import Dataset
from pprr_utils.dataset.schema import all_tables
from pprr_utils.report.context import Report, open_report

HOSTILE = '<script>alert("x")</script> & <b>bold</b>'


def _frame(name: str, rows: list[dict]) -> pd.DataFrame:
    spec = next(t for t in all_tables() if t.name == name)
    cols = spec.column_names
    frame = pd.DataFrame([{c: r.get(c) for c in cols} for r in rows], columns=cols)
    for c in spec.columns:
        if c.kind == "float":
            frame[c.name] = frame[c.name].astype("float64")
        elif c.kind == "int":
            frame[c.name] = frame[c.name].astype("int64")
        elif c.kind == "bool":
            frame[c.name] = frame[c.name].fillna(False).astype(bool)
        else:
            frame[c.name] = frame[c.name].astype(object)
    return frame


def illustrative_dataset() -> Dataset:
    """A tiny synthetic dataset (two frameworks, a lineage across them, hostile text)."""
    src = {"source": "illustrative"}
    rows: dict[str, list[dict]] = {t.name: [] for t in all_tables()}
    rows["priorities"] = [
        {"framework": "2021/22", "priority": 1, "title": "Illustrative priority one", **src},
        {
            "framework": "2021/22",
            "priority": 2,
            "title": f"Illustrative priority two {HOSTILE}",
            "delivered_by": "Illustrative strategy",
            "programmes": "Programme A | Programme B",
            **src,
        },
        {"framework": "2024/25", "priority": 1, "title": "Illustrative later priority", **src},
    ]
    base = {
        "category": "partnership",
        "frequency": "quarterly",
        "year_basis": "financial",
        "aggregation": "snapshot",
        "headline": False,
        **src,
    }
    rows["measures"] = [
        {
            "framework": "2021/22",
            "code": "ILL.1",
            "series": "S1",
            "priority": 1,
            "name": "Illustrative percentage (high is good)",
            "polarity": "high",
            "unit": "percent",
            **base,
        },
        {
            "framework": "2021/22",
            "code": "ILL.2",
            "series": "S2",
            "priority": 2,
            "name": f"Illustrative rate {HOSTILE}",
            "polarity": "low",
            "unit": "rate per 10,000",
            **{**base, "headline": True},
        },
        {
            "framework": "2024/25",
            "code": "ILL.10",
            "series": "S1",
            "priority": 1,
            "name": "Illustrative percentage, renumbered",
            "polarity": "high",
            "unit": "percent",
            **base,
        },
    ]
    rows["values"] = [
        {
            "code": "ILL.1",
            "period": "2019/20",
            "value": 40.0,
            "count": 120,
            "kind": "actual",
            **src,
        },
        {
            "code": "ILL.1",
            "period": "2020/21",
            "value": 45.0,
            "count": 130,
            "kind": "actual",
            **src,
        },
        {
            "code": "ILL.1",
            "period": "2021/22 Q2",
            "value": 47.5,
            "count": 70,
            "as_at": "Q1",
            "kind": "actual",
            **src,
        },
        {
            "code": "ILL.2",
            "period": "2020/21",
            "value": 30.0,
            "count": 200,
            "kind": "actual",
            **src,
        },
        {
            "code": "ILL.2",
            "period": "2021/22 Q2",
            "value": 33.0,
            "count": 210,
            "kind": "actual",
            **src,
        },
        {"code": "ILL.10", "period": "2022/23", "value": 52.0, "kind": "actual", **src},
        {"code": "ILL.10", "period": "2023/24", "value": 55.0, "kind": "actual", **src},
    ]
    rows["targets"] = [
        {"code": "ILL.1", "year": "2021/22", "type": "numerical", "value": 50.0, **src},
        {"code": "ILL.2", "year": "2021/22", "type": "numerical", "value": 31.0, **src},
        {"code": "ILL.10", "year": "2024/25", "type": "direction", "direction": "maximise", **src},
    ]
    rows["commentary"] = [
        {
            "period": "2021/22 Q2",
            "code": "ILL.2",
            "seq": 1,
            "text": f"Illustrative. {HOSTILE}",
            **src,
        },
    ]
    rows["comparators"] = [
        {
            "code": "ILL.1",
            "subject": "ill1",
            "period": "2020/21",
            "area": "England",
            "value": 44.0,
            "derived": False,
            "quote": "illustrative",
            **src,
        },
    ]
    rows["periods"] = [{**p, **src} for p in ILLUSTRATIVE_PERIODS]
    rows["quality_notes"] = [
        {
            "id": "Q1",
            "check": "illustrative",
            "location": "nowhere",
            "issue": HOSTILE,
            "resolution": "none",
        },
    ]
    tables = {t.name: _frame(t.name, rows[t.name]) for t in all_tables()}
    return Dataset(tables, "illustrative")


def illustrative_scorecard(report: Report) -> pd.DataFrame:
    """A hand-made scorecard in score.scorecard's shape (illustrative ratings)."""
    m = report.measures
    rows = []
    ratings = {"ILL.1": ("amber", "better"), "ILL.2": ("red", "worse"), "ILL.10": ("", "")}
    for _, r in m.iterrows():
        vals = report.history(r["code"])
        last = vals.iloc[-1] if len(vals) else None
        st, tr = ratings[r["code"]]
        rows.append(
            {
                "code": r["code"],
                "name": r["name"],
                "priority": r["priority"],
                "polarity": r["polarity"],
                "value": None if last is None else last["value"],
                "count": None if last is None else last["count"],
                "as_at": None if last is None else last["as_at"],
                "target": 50.0,
                "target_type": "numerical",
                "previous": 45.0,
                "forecast": float("nan"),
                "status": st,
                "trend": tr,
                "reason": "not rated: illustrative" if not st else f"illustrative {HOSTILE}",
                "unit": r["unit"],
                "value_period": report.period,
                "target_year": report.period_info["target_year"],
                "target_direction": None,
                "target_label": figure(50.0, r["unit"]),
            }
        )
    return pd.DataFrame(rows)


def illustrative_report(period: str | None = "2021/22 Q2", priority: int | None = 2) -> Report:
    rep = open_report(period, illustrative_dataset(), priority)
    rep._scorecard = illustrative_scorecard(rep)
    return rep


def test_period_spellings_resolve():
    ds = illustrative_dataset()
    assert open_report("2021/22 Q2", ds).period == "2021/22 Q2"
    assert open_report("2021-22-Q2", ds).period == "2021/22 Q2"
    rep = open_report("2023/24", ds, 1)
    assert rep.framework == "2024/25"
    assert rep.priority_info["title"] == "Illustrative later priority"


def test_default_period_is_latest():
    rep = open_report(None, illustrative_dataset())
    assert rep.period == "2023/24"


def test_unknown_period_lists_what_the_data_holds():
    with pytest.raises(ParameterError) as e:
        open_report("2030/31", illustrative_dataset())
    assert "2030/31" in str(e.value)
    assert "2021/22 Q2" in str(e.value) and "2023/24" in str(e.value)


def test_not_a_period_is_a_parameter_error():
    with pytest.raises(ParameterError, match="not a period") as e:
        open_report("last quarter", illustrative_dataset())
    assert "periods held: 2021/22 Q2, 2023/24" in str(e.value)


def test_unknown_priority_lists_the_frameworks_priorities():
    with pytest.raises(ParameterError) as e:
        open_report("2021/22 Q2", illustrative_dataset(), 9)
    msg = str(e.value)
    assert "9" in msg and "2021/22" in msg and "1, 2" in msg
    with pytest.raises(ParameterError):
        open_report("2023/24", illustrative_dataset(), 2)  # not in the 2024/25 framework


def test_priority_accepts_text_and_splits_programmes():
    rep = open_report("2021/22 Q2", illustrative_dataset(), "2")
    assert rep.priority == 2
    assert rep.priority_info["programmes"] == ["Programme A", "Programme B"]


def test_history_follows_series_across_frameworks():
    rep = open_report("2023/24", illustrative_dataset(), 1)
    h = rep.history("ILL.10")
    assert h["period"].tolist() == ["2019/20", "2020/21", "2021/22 Q2", "2022/23", "2023/24"]
    assert h["value"].tolist() == [40.0, 45.0, 47.5, 52.0, 55.0]
    early = open_report("2021/22 Q2", illustrative_dataset(), 1).history("ILL.1")
    assert early["period"].tolist()[-1] == "2021/22 Q2"  # nothing after the report period


def test_report_parts():
    rep = illustrative_report()
    assert rep.illustrative
    assert rep.target("ILL.1")["value"] == 50.0
    assert rep.target("ILL.1")["label"] == "50%"
    assert rep.comparators("ILL.1")["area"].tolist() == ["England"]
    assert len(rep.commentary("ILL.2")) == 1
    assert list(rep.priorities["priority"]) == [1, 2]


def test_public_edition_needs_disclosure_control(monkeypatch):
    import importlib.util

    if importlib.util.find_spec("pprr_utils.dataset.disclosure") is None:
        with pytest.raises(ParameterError, match="disclosure"):
            open_report("2021/22 Q2", illustrative_dataset(), public=True)
    import sys
    import types

    import pprr_utils.dataset

    seen = []
    fake = types.ModuleType("pprr_utils.dataset.disclosure")

    def public_dataset(ds):
        seen.append(ds)
        return ds

    fake.public_dataset = public_dataset
    monkeypatch.setitem(sys.modules, "pprr_utils.dataset.disclosure", fake)
    monkeypatch.setattr(pprr_utils.dataset, "disclosure", fake, raising=False)
    rep = open_report("2021/22 Q2", illustrative_dataset(), public=True)
    assert rep.public and seen and seen[0] is rep.dataset
