"""The key index scoring reads rows by (``lookup.KeyIndex``): the first row with a key
wins, a missing or unknown key finds nothing, and a column given as codes into its
distinct values (``coded``) finds the same rows as the column itself."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from pprr_utils.dataset.lookup import KeyIndex, coded

CODES = ["A.1", "A.2", "B.1", None]
PERIODS = ["2022/23", "2022/23 Q2", "2023/24"]


def _first(frame: pd.DataFrame, code: object, period: object) -> int:
    for i, (c, p) in enumerate(zip(frame["code"], frame["period"], strict=True)):
        if c is not None and c == code and p == period:
            return i
    return -1


@given(
    rows=st.lists(st.tuples(st.sampled_from(CODES), st.sampled_from(PERIODS)), max_size=30),
    wanted=st.lists(
        st.tuples(st.sampled_from([*CODES, "Z.9"]), st.sampled_from([*PERIODS, "2030/31"])),
        min_size=1,
        max_size=30,
    ),
)
def test_at_finds_the_first_row_of_each_key(rows, wanted):
    frame = pd.DataFrame(rows, columns=["code", "period"], dtype=object)
    index = KeyIndex(frame, ("code", "period"))
    codes = np.array([w[0] for w in wanted], dtype=object)
    periods = [w[1] for w in wanted]
    expected = [_first(frame, c, p) for c, p in wanted]
    assert index.at(codes, periods).tolist() == expected
    assert index.at(coded(codes), coded(periods)).tolist() == expected
    one = [_first(frame, c, "2022/23") for c in codes.tolist()]
    assert index.at(codes, "2022/23").tolist() == one  # one value for every key


def test_coded_keeps_a_missing_key_missing():
    c = coded(np.array(["A.1", None, "A.1", float("nan")], dtype=object))
    assert c.codes.tolist() == [0, -1, 0, -1]
    assert c.uniques == ["A.1"]
    assert len(c) == 4
