"""Figures checked for what they mean, whole columns at a time.

A cell can parse as a number and still be impossible for its measure:

- **units**: a percentage lies within 0-100; a rate or a count is never negative (scores,
  numbers and money may be);
- **scale**: a figure about a hundred times away from the measure's other figures (``0.342``
  among ``30``s: a percentage typed as a fraction, or a misplaced point) is an error;
- **codes** are case-sensitive: ``cfse.1`` is not ``CFSE.1``, and a near miss gets a
  "did you mean".

Every problem names the file, row and column (``Problem``).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

import numpy as np
import pandas as pd

from .errors import Problem

#: how far (a factor either way) a figure may be from the median of its measure's figures
SCALE_FACTOR = 50.0
#: units whose figures are never negative
NON_NEGATIVE = ("percent", "count", "rate per 1,000", "rate per 10,000", "rate per 100,000")


def _units(measures: pd.DataFrame) -> pd.Series:
    """code -> unit (the last framework's, where a code is in several)."""
    return measures.drop_duplicates("code", keep="last").set_index("code")["unit"]


def unit_problems(frame: pd.DataFrame, measures: pd.DataFrame, fname: str) -> list[Problem]:
    """Figures in ``frame['value']`` impossible for their measure's unit."""
    if frame.empty or measures.empty:
        return []
    unit = frame["code"].map(_units(measures)).to_numpy(dtype=object)
    value = frame["value"].to_numpy(dtype=float)
    percent = unit == "percent"
    out_of_range = percent & ((value < 0) | (value > 100))
    negative = np.isin(unit, NON_NEGATIVE) & ~percent & (value < 0)
    problems = []
    for i in np.flatnonzero(out_of_range | negative):
        u, v, code = unit[i], value[i], frame["code"].iat[i]
        expected = (
            "expected a percentage from 0 to 100"
            if u == "percent"
            else f"expected a {u} of 0 or more (a {u} is never negative)"
        )
        row = int(frame.index[i]) + 2  # the row in the whole table (``frame`` may be a part)
        problems.append(Problem(fname, row, "value", f"found {v:g} for {code} ({u})", expected))
    return problems


def scale_problems(
    values: pd.DataFrame, fname: str, references: pd.DataFrame | None = None
) -> list[Problem]:
    """Figures about a hundred times (``SCALE_FACTOR``) away from the median of their
    measure's other figures (and targets, ``references``); a measure needs three figures."""
    if values.empty:
        return []
    parts = [values[["code", "value"]].assign(_row=values.index.to_numpy())]
    if references is not None and not references.empty:
        parts.append(references[["code", "value"]].assign(_row=-1))
    allv = pd.concat(parts, ignore_index=True)
    allv = allv[allv["value"].notna() & (allv["value"] != 0)]
    size = allv.groupby("code")["value"].transform("size")
    median = allv["value"].abs().groupby(allv["code"]).transform("median")
    ratio = allv["value"].abs() / median
    far = (size >= 3) & (allv["_row"] >= 0) & ((ratio > SCALE_FACTOR) | (ratio < 1 / SCALE_FACTOR))
    problems = []
    for j in np.flatnonzero(far.to_numpy()):
        v, code, med = allv["value"].iat[j], allv["code"].iat[j], median.iat[j]
        times = max(ratio.iat[j], 1 / ratio.iat[j])
        problems.append(
            Problem(
                fname,
                int(allv["_row"].iat[j]) + 2,
                "value",
                f"found {v:g} for {code}, about {times:,.0f} times away from its other "
                f"figures (typically {med:g})",
                "expected a figure on the measure's scale (a percentage typed as a fraction, "
                "or a misplaced decimal point?)",
            )
        )
    return problems


def did_you_mean(value: str, known: Iterable[str]) -> str:
    """`` (did you mean 'CFSE.1'?)`` for a near match of ``value`` in ``known``, else ``""``."""
    known = [k for k in known if isinstance(k, str)]
    same_case = [k for k in known if k.casefold() == value.casefold()]
    close = same_case or difflib.get_close_matches(value, known, n=1, cutoff=0.8)
    return f" (did you mean {close[0]!r}? codes are case-sensitive)" if close else ""


def case_twins(measures: pd.DataFrame, fname: str) -> list[Problem]:
    """Codes of one framework that differ only in case (``cfse.1`` beside ``CFSE.1``)."""
    if measures.empty:
        return []
    folded = measures["code"].str.casefold()
    twins = measures.assign(_f=folded).duplicated(["framework", "_f"], keep="first")
    problems = []
    for i in np.flatnonzero(twins.to_numpy()):
        code, fw = measures["code"].iat[i], measures["framework"].iat[i]
        first = measures[(measures["framework"] == fw) & (folded == folded.iat[i])]["code"].iat[0]
        problems.append(
            Problem(
                fname,
                int(i) + 2,
                "code",
                f"code {code!r} differs from {first!r} only in case",
                f"expected one spelling of each code (did you mean {first!r}?)",
            )
        )
    return problems
