"""The scorecard's column helpers (``score_columns``) against the Python they stand for:
``concat`` is the chain of ``+``, ``rounded`` is ``round`` exactly."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from pprr_utils.dataset.score_columns import concat, rounded


@given(
    st.lists(
        st.tuples(st.text(max_size=6), st.sampled_from(["", " by ", "x"]), st.text(max_size=3)),
        min_size=1,
        max_size=20,
    )
)
def test_concat_is_the_chain_of_plus(rows: list[tuple[str, str, str]]) -> None:
    a, b = (np.array([r[i] for r in rows], dtype=object) for i in (0, 2))
    mid = rows[0][1]
    assert concat(a, mid, b, ".").tolist() == (a + mid + b + ".").tolist()
    assert concat(mid, a).tolist() == [mid + x for x in a.tolist()]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.floats(allow_nan=True, allow_infinity=True),
            st.decimals(-1000, 1000, places=4).map(float),  # halves and near-halves
            st.integers(-(10**6), 10**6).map(lambda i: i / 2000),
        ),
        min_size=1,
        max_size=40,
    ),
    st.integers(0, 12),
)
def test_rounded_is_pythons_round_exactly(xs: list[float], decimals: int) -> None:
    import numpy as np

    got = rounded(np.array(xs, dtype="float64"), decimals).tolist()
    want = [round(x, decimals) for x in xs]
    for g, w in zip(got, want, strict=True):
        assert (g == w and math.copysign(1, g) == math.copysign(1, w)) or (g != g and w != w)
