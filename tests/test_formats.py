"""formats: one way to show a figure in its unit, and money as the report prints it."""

from __future__ import annotations

import pandas as pd

from pprr_utils.dataset import formats
from pprr_utils.ingest import parse
from pprr_utils.report import measures


def test_figure_in_its_unit():
    assert formats.figure(57.30, "percent") == "57.3%"
    assert formats.figure(30.8, "rate per 1,000") == "30.8 per 1,000"
    assert formats.figure(30.8, "rate per 1,000", short=True) == "30.8"
    assert formats.figure(2547.0, "count") == "2,547"
    assert formats.figure(-0.001) == "0"
    assert (
        formats.figure(float("nan")) == "" and formats.figure(None, blank="no value") == "no value"
    )
    assert formats.figure(pd.NA) == ""


def test_every_caller_shows_the_same_figure():
    for value, unit in [
        (8.2, "percent"),
        (30.8, "rate per 1,000"),
        (1994.0, "count"),
        (0.07, None),
    ]:
        full = formats.figure(value, unit)
        assert measures.figure_with_count(value, unit) == full


def test_money():
    assert formats.money(-2681) == "(2,681)" and formats.money(44395.0) == "44,395"
    assert formats.money(-0.618, "£m") == "(0.618)" and formats.money(0.917, "%") == "0.92"
    assert formats.money(float("nan")) == ""
    assert parse.format_money is formats.format_money  # still importable from parse


def test_blank_and_missing():
    import numpy as np

    for blank in (None, float("nan"), np.float64("nan"), pd.NA, "", "  \n"):
        assert formats.is_blank(blank), repr(blank)
    for text in ("x", " [c] ", 0, 0.0, False):
        assert not formats.is_blank(text), repr(text)
    assert formats.is_missing(None) and formats.is_missing(pd.NA) and formats.is_missing(np.nan)
    assert not formats.is_missing(0.0) and not formats.is_missing("")  # text is not a number
