"""A table's cells and keys checked against its ``Table`` declaration, whole columns at a time.

``cell_text`` strips every cell (None when empty); ``parse`` reads each column as its kind
once per distinct value (a table repeats its periods, codes and figures, so this is a
fraction of the cells); ``cell_problems`` and ``key_problems`` turn the failing cells into
``Problem`` lines (``file:row:column: found, expected``; row 1 is the header) and ``typed``
gives the frame the report reads.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from .errors import Problem
from .periods import parse_period
from .tables import Table

_FLOAT = re.compile(r"-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")
_TRUE = ("true", "yes", "y", "1")
_FALSE = ("false", "no", "n", "0")
_BAD = object()  # a cell that does not parse

#: how each kind of cell is described when one is empty or does not parse
WHAT = {
    "str": "text",
    "int": "whole number (at most 9,223,372,036,854,775,807)",
    "float": "number (a point for decimals, no % or commas)",
    "bool": "true or false",
    "period": "period such as 2021/22 or 2021/22 Q2",
    "date": "date as YYYY-MM-DD (e.g. 2021-11-16; 05/11/2021 could be May or November)",
}


def _per_value(cells: np.ndarray, f: Callable[[object], object]) -> np.ndarray:
    """``f`` applied once per distinct cell (None for a missing one), in the cells' shape."""
    codes, uniques = pd.factorize(cells.ravel(), use_na_sentinel=True)
    done = np.array([*map(f, uniques), None], dtype=object)  # code -1 (missing): the last
    return done[codes].reshape(cells.shape)


#: right-to-left / bidirectional overrides and zero-width characters: invisible, they can
#: make published text read differently from what it holds, so they are removed (with a note)
INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u061c]")


def _stripped(x: object) -> str | None:
    return INVISIBLE.sub("", str(x)).strip() or None


def invisible_notes(raw: pd.DataFrame, spec: Table, fname: str) -> list[Problem]:
    """A note for every cell from which ``cell_text`` removed invisible control characters."""
    notes = []
    for name in spec.column_names:
        cells = raw[name]
        if not (pd.api.types.is_object_dtype(cells) or pd.api.types.is_string_dtype(cells)):
            continue
        if not INVISIBLE.search("\n".join([x for x in cells.tolist() if isinstance(x, str)])):
            continue  # one search of the whole column; most columns have none
        codes, uniques = pd.factorize(cells, use_na_sentinel=True)
        found = np.array([bool(INVISIBLE.search(str(u))) for u in uniques] + [False])
        hit = found[codes]  # code -1 (missing): the last, False
        for i in np.flatnonzero(hit):
            chars = sorted({f"U+{ord(c):04X}" for c in INVISIBLE.findall(str(cells.iat[i]))})
            notes.append(
                Problem(
                    fname,
                    int(i) + 2,
                    name,
                    f"found invisible control characters ({', '.join(chars)})",
                    "removed: text is published without right-to-left or zero-width characters",
                    severity="note",
                )
            )
    return notes


def cell_text(raw: pd.DataFrame, spec: Table) -> pd.DataFrame:
    """Each declared column as stripped text (object dtype), None for an empty cell; rows
    by position (row ``i`` is line ``i + 2`` of the file)."""
    cells = np.empty((len(raw), len(spec.columns)), dtype=object)
    for j, name in enumerate(spec.column_names):  # column by column: few distinct per column
        cells[:, j] = _per_value(np.asarray(raw[name].array, dtype=object), _stripped)
    return pd.DataFrame(cells, columns=spec.column_names, dtype=object)


def _float(s: str) -> float:
    """A finite number written with a point for decimals (``1e400`` overflows: not one)."""
    if not _FLOAT.fullmatch(s):
        raise ValueError(s)
    value = float(s)
    if not math.isfinite(value):
        raise ValueError(s)
    return value


_ISO_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[ T]00:00:00)?")


def _date(s: str) -> str:
    """An ISO date ``YYYY-MM-DD`` (an Excel date cell's midnight time allowed); ``05/11/2021``
    is not one: it is 5 November or 11 May depending on who typed it."""
    m = _ISO_DATE.fullmatch(s)
    if not m:
        raise ValueError(s)
    return _dt.date.fromisoformat(m.group(1)).isoformat()


_INT64 = 2**63 - 1


def _int(s: str) -> int:
    """A whole number that fits a 64-bit integer (larger ones do not parse)."""
    if not _FLOAT.fullmatch(s) or float(s) != int(float(s)):
        raise ValueError(s)
    value = int(float(s)) if not s.lstrip("-").isdigit() else int(s)
    if abs(value) > _INT64:
        raise ValueError(s)
    return value


def _bool(s: str) -> bool:
    if s.lower() in _TRUE:
        return True
    if s.lower() in _FALSE:
        return False
    raise ValueError(s)


_PARSERS: dict[str, Callable[[str], object]] = {
    "str": str,
    "float": _float,
    "int": _int,
    "bool": _bool,
    "period": lambda s: parse_period(s).label,
    "date": _date,
}


def _parser(kind: str) -> Callable[[object], object]:
    parse_one = _PARSERS[kind]

    def parsed(s: object) -> object:
        try:
            return parse_one(str(s))
        except (ValueError, OverflowError):
            return _BAD

    return parsed


def parse(text: pd.DataFrame, spec: Table) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Each column read as its kind: ``{name: (values, bad)}``, ``values`` an object array
    (None where the cell is empty or does not parse), ``bad`` where it does not parse.

    Columns of one kind are read together, each distinct text once."""
    out: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    table = text[spec.column_names].to_numpy(dtype=object)
    for kind in dict.fromkeys(c.kind for c in spec.columns):
        where = [j for j, c in enumerate(spec.columns) if c.kind == kind]
        names = [spec.columns[j].name for j in where]
        if kind == "str":
            for j, name in zip(where, names, strict=True):
                out[name] = (table[:, j], np.zeros(len(table), dtype=bool))
            continue
        cells = table[:, where]
        codes, uniques = pd.factorize(cells.ravel(), use_na_sentinel=True)
        done = np.array([*map(_parser(kind), uniques), None], dtype=object)
        bad_done = np.array([d is _BAD for d in done], dtype=bool)
        done[bad_done] = None
        values, bad = done[codes].reshape(cells.shape), bad_done[codes].reshape(cells.shape)
        for j, name in enumerate(names):
            out[name] = (values[:, j], bad[:, j])
    return out


def _floats(values: np.ndarray) -> np.ndarray:
    """An object array of numbers and None as float64 (NaN for None)."""
    out = np.full(len(values), np.nan)
    present = ~pd.isna(values)
    out[present] = values[present].astype(np.float64)
    return out


def _failing(text: pd.DataFrame, spec: Table, parsed) -> list[tuple[int, int, int]]:
    """(column position, row, problem: 0 empty, 1 does not parse, 2 not allowed, 3 too small)."""
    found: list[tuple[int, int, int]] = []
    cells = text.to_numpy(dtype=object)
    for j, col in enumerate(spec.columns):
        values, bad = parsed[col.name]
        empty = pd.isna(cells[:, j])
        masks = {0: empty if col.required else None, 1: bad}
        if col.allowed is not None:
            allowed = set(col.allowed)
            masks[2] = ~empty & ~bad & np.array([v not in allowed for v in values], dtype=bool)
            if col.pattern is not None and masks[2].any():
                masks[2] &= np.array([not col.admits(v) for v in values], dtype=bool)
        if col.min is not None and col.kind in ("int", "float"):
            masks[3] = _floats(values) < col.min
        for what, mask in masks.items():
            if mask is not None and mask.any():
                found += [(j, int(i), what) for i in np.flatnonzero(mask)]
    return sorted(found)


def cell_problems(
    text: pd.DataFrame, spec: Table, fname: str, parsed: dict | None = None
) -> list[Problem]:
    """Every empty (where required), unparsed, disallowed or too-small cell, column by
    column, row by row (``parsed``: ``parse(text, spec)`` if already done)."""
    parsed = parsed if parsed is not None else parse(text, spec)
    problems = []
    for j, i, what in _failing(text, spec, parsed):
        col = spec.columns[j]
        row, s = i + 2, text.iat[i, j]
        if what == 0:
            expected = col.expected_values if col.allowed else f"a {WHAT[col.kind]}"
            problems.append(Problem(fname, row, col.name, "empty cell", f"expected {expected}"))
        elif what == 1 and col.kind == "float" and _FLOAT.fullmatch(str(s)):
            problems.append(
                Problem(
                    fname,
                    row,
                    col.name,
                    f"found {s!r}, a number too large to be a figure",
                    "expected a finite number",
                )
            )
        elif what == 1:
            problems.append(
                Problem(fname, row, col.name, f"found {s!r}", f"expected {WHAT[col.kind]}")
            )
        elif what == 2:
            expected = "expected " + col.expected_values
            problems.append(Problem(fname, row, col.name, f"found {s!r}", expected))
        else:
            expected = f"expected a number of at least {col.min:g}"
            problems.append(Problem(fname, row, col.name, f"found {s}", expected))
    return problems


def typed(text: pd.DataFrame, spec: Table, parsed: dict | None = None) -> pd.DataFrame:
    """The typed frame: text as object (None when empty), float64 (NaN), int64 (Int64 when a
    cell is empty), bool (False when empty), periods as canonical labels, dates ISO."""
    parsed = parsed if parsed is not None else parse(text, spec)
    frame: dict[str, object] = {}
    for col in spec.columns:
        values = parsed[col.name][0]
        if col.kind == "float":
            frame[col.name] = _floats(values)
        elif col.kind == "int":
            missing = pd.isna(values)
            frame[col.name] = (
                pd.array(values, dtype="Int64") if missing.any() else values.astype(np.int64)
            )
        elif col.kind == "bool":
            frame[col.name] = values.astype(bool)  # None (empty) reads False
        else:
            frame[col.name] = pd.Series(values, dtype=object)
    return pd.DataFrame(frame, index=pd.RangeIndex(len(text)))


def key_problems(df: pd.DataFrame, spec: Table, fname: str) -> list[Problem]:
    """A problem on each repeat of the table's key, naming the row it was first seen on."""
    key = list(spec.key)
    repeats = df.duplicated(key, keep="first")
    if not repeats.any():
        return []
    first = df.index.to_series().groupby([df[k] for k in key], dropna=False).transform("first")
    problems = []
    for i in df.index[repeats.to_numpy()]:
        what = ", ".join(f"{k}={df.at[i, k]}" for k in key)
        problems.append(
            Problem(
                fname,
                int(i) + 2,
                key[-1],
                f"duplicate key ({what})",
                f"expected each ({', '.join(key)}) once; first seen on row {int(first[i]) + 2}",
            )
        )
    return problems
