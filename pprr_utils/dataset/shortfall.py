"""The scorecard's shortfall: how far each measure is from its target, signed so positive is worse.

Two columns are added to a scorecard (``score.scorecard`` calls :func:`add_shortfall`):

- ``shortfall``: the gap to the target in the measure's own unit (percentage points for a
  percentage, children for a count); positive when the figure is worse than the target,
  negative when better, 0 on target.
- ``shortfall_pct``: the same gap as a percentage of the target (``100 * shortfall /
  |target|``), the number the RAG tolerance is compared with on the relative basis (5 means
  5%).

The figures compared are the ones the status rates: the year-end figure, or in an in-year
report the forecast year-end (``forecast``), against the target figure (a numerical target,
or the comparator figure of a comparator target). A direction target (``maximise``,
``minimise``) is rated against the previous year-end, so the gap is to ``previous``, in the
direction the target names. Both are blank (NaN) when the measure has no status (see its
``reason``); ``shortfall_pct`` is also blank when the reference figure is zero.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .formats import is_missing
from .rating import DIRECTION_POLARITY
from .score_columns import rounded

#: the columns :func:`add_shortfall` adds, in order
SHORTFALL_COLUMNS = ("shortfall", "shortfall_pct")
_RATED_AGAINST_A_FIGURE = ("numerical", "comparator")
_RATED_AGAINST_PREVIOUS = ("direction",)
_DECIMALS = 10  # as ``ScoringRules.decimals``: no 0.40000000000000036


def shortfall(figure: float, target: float, polarity: str) -> tuple[float, float]:
    """``(gap in the unit, gap as % of target)`` of ``figure`` against ``target``.

    Positive means worse than target for the polarity (``high``: below it; ``low``: above
    it). NaN for a missing figure or target or a polarity that is neither high nor low; the
    percentage is NaN for a zero target.

    >>> shortfall(8.2, 9.5, "low")
    (-1.3, -13.6842105263)
    >>> shortfall(45.0, 50.0, "high")
    (5.0, 10.0)
    """
    if is_missing(figure) or is_missing(target) or polarity not in ("high", "low"):
        return math.nan, math.nan
    gap = (float(target) - float(figure)) if polarity == "high" else (float(figure) - float(target))
    pct = math.nan if float(target) == 0 else 100 * gap / abs(float(target))
    return round(gap, _DECIMALS), round(pct, _DECIMALS)


def add_shortfall(card: pd.DataFrame) -> pd.DataFrame:
    """``card`` with ``shortfall`` and ``shortfall_pct`` appended (see the module's notes)."""
    gap, pct = shortfall_columns(
        forecast=card["forecast"].to_numpy(dtype="float64", na_value=np.nan),
        value=card["value"].to_numpy(dtype="float64", na_value=np.nan),
        target=card["target"].to_numpy(dtype="float64"),
        previous=card["previous"].to_numpy(dtype="float64"),
        target_type=card["target_type"].to_numpy(dtype=object),
        rated=np.array([bool(s) for s in card["status"]], dtype=bool),
        polarity=card["polarity"].to_numpy(dtype=object),
        target_direction=card["target_direction"].to_numpy(dtype=object),
    )
    out = card.copy()
    out["shortfall"] = pd.Series(gap, index=card.index, dtype="float64")
    out["shortfall_pct"] = pd.Series(pct, index=card.index, dtype="float64")
    return out


def shortfall_columns(
    *,
    forecast: np.ndarray,
    value: np.ndarray,
    target: np.ndarray,
    previous: np.ndarray,
    target_type: np.ndarray,
    rated: np.ndarray,
    polarity: np.ndarray,
    target_direction: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """``(shortfall, shortfall_pct)`` of scorecard columns given as arrays: the same
    arithmetic as :func:`shortfall`, a column at a time, rounded the same way."""
    n = len(value)
    figure = np.where(np.isnan(forecast), value, forecast)
    against_figure = rated & np.isin(target_type, _RATED_AGAINST_A_FIGURE)
    against_previous = rated & np.isin(target_type, _RATED_AGAINST_PREVIOUS)
    reference = np.full(n, np.nan)
    reference[against_figure] = target[against_figure]
    reference[against_previous] = previous[against_previous]
    polarity = polarity.copy()
    for i in np.flatnonzero(against_previous):
        polarity[i] = DIRECTION_POLARITY.get(target_direction[i] or "", polarity[i])
    high, low = polarity == "high", polarity == "low"
    with np.errstate(invalid="ignore", divide="ignore"):
        gap = np.where(high, reference - figure, np.where(low, figure - reference, np.nan))
        pct = np.where(reference == 0, np.nan, 100 * gap / np.abs(reference))
    return _rounded(gap), _rounded(pct)


def _rounded(x: np.ndarray) -> np.ndarray:
    """Python's ``round`` (correctly rounded, as :func:`shortfall`) of each number; NaN stays."""
    return rounded(x, _DECIMALS)
