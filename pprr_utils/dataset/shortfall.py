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

import pandas as pd

from .formats import is_missing
from .rating import DIRECTION_POLARITY

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


def _rated_figure(row: pd.Series) -> float:
    """The figure the status rates: the forecast year-end when there is one, else the value."""
    return row["value"] if is_missing(row["forecast"]) else row["forecast"]


def _row_shortfall(row: pd.Series) -> tuple[float, float]:
    if not row["status"]:
        return math.nan, math.nan
    if row["target_type"] in _RATED_AGAINST_A_FIGURE:
        return shortfall(_rated_figure(row), row["target"], row["polarity"])
    if row["target_type"] in _RATED_AGAINST_PREVIOUS:
        polarity = DIRECTION_POLARITY.get(row["target_direction"] or "", row["polarity"])
        return shortfall(_rated_figure(row), row["previous"], polarity)
    return math.nan, math.nan


def add_shortfall(card: pd.DataFrame) -> pd.DataFrame:
    """``card`` with ``shortfall`` and ``shortfall_pct`` appended (see the module's notes)."""
    gaps = [_row_shortfall(row) for _, row in card.iterrows()]
    out = card.copy()
    out["shortfall"] = pd.Series([g[0] for g in gaps], index=card.index, dtype="float64")
    out["shortfall_pct"] = pd.Series([g[1] for g in gaps], index=card.index, dtype="float64")
    return out
