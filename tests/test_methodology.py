"""docs/methodology.md cannot drift from the code: its tables are checked against score.py."""

from __future__ import annotations

import dataclasses
import re
from functools import cache
from pathlib import Path

import pandas as pd
import pytest

from pprr_utils.dataset.load import default_data_dir, load_dataset
from pprr_utils.dataset.rating import ScoringRules
from pprr_utils.dataset.score import scorecard

DOC = Path(__file__).resolve().parent.parent / "docs" / "methodology.md"


def marked_table(name: str) -> list[dict[str, str]]:
    """Rows of the markdown table between ``<!-- name:start -->`` and ``<!-- name:end -->``."""
    text = DOC.read_text(encoding="utf-8")
    m = re.search(rf"<!-- {name}:start -->\n(.*?)<!-- {name}:end -->", text, re.S)
    assert m, f"{DOC.name}: no '{name}' table between markers"
    lines = [ln.strip() for ln in m.group(1).strip().splitlines() if ln.strip()]
    header = [c.strip() for c in lines[0].strip("|").split("|")]
    rows = []
    for ln in lines[2:]:
        cells = [c.strip() for c in ln.strip("|").split("|")]
        assert len(cells) == len(header), f"{DOC.name}: malformed row {ln!r}"
        rows.append(dict(zip(header, cells, strict=True)))
    return rows


EXAMPLES = marked_table("examples")


def test_settings_table_matches_defaults():
    rules = ScoringRules()
    rows = {r["setting"]: r["default"] for r in marked_table("settings")}
    fields = {f.name for f in dataclasses.fields(ScoringRules)} - {"decimals"}
    assert set(rows) == fields
    for name, printed in rows.items():
        actual = getattr(rules, name)
        if isinstance(actual, tuple):
            assert printed == ", ".join(actual), name
        elif isinstance(actual, float):
            assert float(printed) == actual, name
        else:
            assert printed == str(actual), name


def test_examples_are_well_formed():
    assert len(EXAMPLES) >= 10
    for r in EXAMPLES:
        assert r["status"] in ("red", "amber", "green", "not rated"), r
        assert r["trend"] in ("better", "stable", "worse", "not rated"), r
        assert r["worked by hand"], r


def _real_data() -> Path:
    path = default_data_dir()
    if not (path / "measures.csv").exists():
        pytest.skip(f"the real data is not built yet ({path}/measures.csv missing)")
    return path


@cache
def _scorecard(period: str) -> pd.DataFrame:
    return scorecard(load_dataset(_real_data()), period).set_index("code")


@pytest.mark.parametrize("example", EXAMPLES, ids=[f"{r['code']}@{r['period']}" for r in EXAMPLES])
def test_worked_example_matches_scorecard(example):
    _real_data()
    df = _scorecard(example["period"])
    code = example["code"]
    assert code in df.index, f"{code} is not in the {example['period']} scorecard"
    row = df.loc[code]
    want = {k: ("" if example[k] == "not rated" else example[k]) for k in ("status", "trend")}
    got = {"status": row["status"], "trend": row["trend"]}
    assert got == want, f"{code} {example['period']}: {row['reason']}"
    if example.get("forecast"):
        assert row["forecast"] == pytest.approx(float(example["forecast"])), row["reason"]
