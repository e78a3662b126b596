"""Columns of the scorecard made a column at a time: texts joined row by row (``concat``),
a function applied once per distinct value (``per_value``), figures formatted as the pages
print them (``figures``), Python's ``round`` of a column (``rounded``) and missing cells as
None (``none_for_missing``). ``score_frame``, ``score_rows`` and ``score_text`` build the
scorecard from these; none of them knows a scoring rule.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .formats import is_missing, number
from .lookup import derived
from .rating import _text

Array = np.ndarray
NAN = math.nan


def objects(cells: Sequence[Any]) -> Array:
    """``cells`` as a one-dimensional object array (tuples stay whole)."""
    out = np.empty(len(cells), dtype=object)
    out[:] = list(cells)
    return out


def concat(*parts: Array | str) -> Array:
    """The texts of each row joined: ``concat(a, " by ", b)`` is ``a + " by " + b`` for
    object arrays of text (``str`` parts repeated), each row joined once rather than a new
    array of growing texts for each ``+``."""
    n = max(len(p) for p in parts if not isinstance(p, str))
    columns = [itertools.repeat(p, n) if isinstance(p, str) else p.tolist() for p in parts]
    out = np.empty(n, dtype=object)
    out[:] = list(map("".join, zip(*columns, strict=True)))
    return out


def per_value(column: Sequence[Any] | Array | pd.Series, fn: Callable[[Any], Any]) -> Array:
    """``fn`` of each cell as an object array, ``fn`` called once per distinct value (a
    missing cell once, with NaN)."""
    if isinstance(column, pd.Series):
        column = column.to_numpy(dtype=object)
    cells = column if isinstance(column, np.ndarray) else objects(column)
    codes, uniques = pd.factorize(cells, use_na_sentinel=True)
    mapped = np.empty(len(uniques) + 1, dtype=object)
    mapped[:-1] = [fn(u) for u in uniques.tolist()]
    mapped[-1] = fn(NAN) if (codes == -1).any() else None
    return mapped[codes]


def texts(column: Sequence[Any] | Array | pd.Series) -> Array:
    """``rating._text`` of each cell: the stripped text, "" for a missing cell."""
    return per_value(column, _text)


def or_none(column: Array) -> Array:
    """Each text, None for an empty one."""
    out = column.copy()
    out[column == ""] = None
    return out


_number = functools.lru_cache(maxsize=1 << 16)(number)


def _unit_suffix(unit: object) -> str:
    if unit == "percent":
        return "%"
    if isinstance(unit, str) and unit.startswith("rate per "):
        return f" {unit.removeprefix('rate ')}"
    return ""


def unit_suffixes(units: Array) -> Array:
    """What ``formats.figure`` puts after each number in its unit: ``%``, `` per 1,000``."""
    return per_value(units, _unit_suffix)


def figures(values: Array, suffix: Array | str, blank: str = "") -> Array:
    """``formats.figure(value, unit, blank=blank)`` of each value, ``suffix`` being its
    unit's (``unit_suffixes``); each number formatted once."""
    values = np.asarray(values, dtype="float64")
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    shown = np.empty(len(uniques) + 1, dtype=object)
    shown[:-1] = [_number(v) for v in uniques.tolist()]
    shown[-1] = ""
    out = shown[codes] + suffix
    out[codes == -1] = blank
    return out


def rounded(x: Array, decimals: int) -> Array:
    """Python's ``round(v, decimals)`` of each number, exactly; NaN and infinities stay.

    ``round`` rounds the exact value of ``v * 10**decimals`` half to even, then gives the
    double nearest that integer over ``10**decimals``. Computed product ``y`` is within
    ``|y| * 2**-53`` of the exact one, so where ``y`` is farther than that from a half
    integer both round to the same integer ``rint(y)``, and dividing it (exact below
    2**53) by the exact power of ten is the same correctly rounded double. The few numbers
    nearer a half than that, or too large, are rounded by ``round`` itself."""
    x = np.asarray(x, dtype="float64")
    if not 0 <= decimals <= 22:
        return np.array([round(v, decimals) for v in x.tolist()], dtype="float64")
    scale = 10.0**decimals
    with np.errstate(invalid="ignore", over="ignore"):
        y = x * scale
        out = np.rint(y) / scale
        near_half = np.abs(np.abs(y - np.floor(y)) - 0.5) <= np.abs(y) * 2.0**-51
        doubt = np.isfinite(x) & (near_half | ~(np.abs(y) < 2.0**52))
    out[~np.isfinite(x)] = x[~np.isfinite(x)]
    if doubt.any():
        out[doubt] = [round(v, decimals) for v in x[doubt].tolist()]
    return out


_NAN_TEXT = re.compile(r"(?:^|\x00)\s*[+-]?nan\s*(?:\x00|$)", re.IGNORECASE)


def none_for_missing(column: pd.Series | np.ndarray) -> np.ndarray:
    """``column`` as an object array with None for every missing cell (``is_missing``: also
    a text that reads as NaN, such as "nan"). Text is tested all at once; a column of other
    values (or with such a text) has each distinct value tested once."""
    cells = np.asarray(column, dtype=object)
    blank = pd.isna(cells)
    try:
        joined = "\x00".join(cells[~blank].tolist())
    except TypeError:  # not all text
        joined = None
    if joined is not None and ("nan" not in joined.lower() or not _NAN_TEXT.search(joined)):
        out = cells.copy()
        out[blank] = None
        return out
    codes, uniques = pd.factorize(cells, use_na_sentinel=True)
    kept = np.array([*(None if is_missing(u) else u for u in uniques), None], dtype=object)
    return kept[codes]


def clean_column(frame: pd.DataFrame, name: str) -> Array:
    """``none_for_missing`` of a table's column, worked out once per table (``derived``)."""
    return derived(frame, f"clean:{name}", lambda f: none_for_missing(f[name]))
