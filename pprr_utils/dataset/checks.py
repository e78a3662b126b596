"""A table's cells and keys checked with pandera schemas built from its ``Table`` declaration.

``cells_schema`` checks the text of every cell (empty where required, parses as the column's
kind, one of the allowed values, at least the minimum) and ``keys_schema`` that each key is
unique; both are validated lazily, so every problem is collected, and pandera's failure cases
are turned back into ``Problem`` lines (``file:row:column: found, expected``; row 1 is the
header). ``typed`` turns the checked text into the frame the report reads.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from .errors import Problem
from .periods import parse_period
from .tables import Column, Table

_FLOAT = re.compile(r"-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")
_TRUE = ("true", "yes", "y", "1")
_FALSE = ("false", "no", "n", "0")

#: how each kind of cell is described when one is empty or does not parse
WHAT = {
    "str": "text",
    "int": "whole number",
    "float": "number (a point for decimals, no % or commas)",
    "bool": "true or false",
    "period": "period such as 2021/22 or 2021/22 Q2",
    "date": "date as YYYY-MM-DD",
}

# pandera check names, in the order today's messages list a cell's problems
_EMPTY, _KIND, _ALLOWED, _MIN = "not_nullable", "kind", "isin", "min"
_RANK = {_EMPTY: 0, _KIND: 1, _ALLOWED: 2, _MIN: 3}


def _per_value(s: pd.Series, f: Callable[[object], object]) -> pd.Series:
    """``f`` applied once per distinct value of ``s`` (None for a missing cell), as object."""
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    done = np.array([*(f(u) for u in uniques), None], dtype=object)  # code -1: the last
    return pd.Series(done[codes], index=s.index, dtype=object)


def _stripped(x: object) -> str | None:
    return str(x).strip() or None


def cell_text(raw: pd.DataFrame, spec: Table) -> pd.DataFrame:
    """Each declared column as stripped text (object dtype), None for an empty cell."""
    out = {
        name: _per_value(pd.Series(raw[name].to_numpy(dtype=object)), _stripped)
        for name in spec.column_names
    }
    return pd.DataFrame(out, index=pd.RangeIndex(len(raw)))


_BAD = object()  # a cell that does not parse


def _float(s: str) -> float:
    if not _FLOAT.fullmatch(s):
        raise ValueError(s)
    return float(s)


def _int(s: str) -> int:
    if not _FLOAT.fullmatch(s) or float(s) != int(float(s)):
        raise ValueError(s)
    return int(float(s))


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
    "date": lambda s: pd.Timestamp(s).date().isoformat(),
}


def _parsed(kind: str) -> Callable[[object], object]:
    parse_one = _PARSERS[kind]

    def parsed(s: object) -> object:
        try:
            return parse_one(str(s))
        except (ValueError, OverflowError):
            return _BAD

    return parsed


def parse(text: pd.Series, kind: str) -> tuple[pd.Series, pd.Series]:
    """``(values, ok)``: each non-empty cell parsed as ``kind`` (None where empty or it does
    not parse, object dtype) and whether it parsed; empty cells count as parsed (their check
    is ``required``)."""
    codes, uniques = pd.factorize(text, use_na_sentinel=True)
    done = np.array([*map(_parsed(kind), uniques), None], dtype=object)  # code -1: the last
    bad = np.array([d is _BAD for d in done], dtype=bool)
    done[bad] = None
    return (
        pd.Series(done[codes], index=text.index, dtype=object),
        pd.Series(~bad[codes], index=text.index),
    )


def _checks(col: Column) -> list[pa.Check]:
    checks = []
    if col.kind != "str":
        checks.append(pa.Check(lambda s, k=col.kind: parse(s, k)[1], name=_KIND))
    if col.allowed is not None:
        if col.kind == "str":
            checks.append(pa.Check.isin(col.allowed, name=_ALLOWED))
        else:
            checks.append(
                pa.Check(
                    lambda s, c=col: parse(s, c.kind)[0].isin(c.allowed) | ~parse(s, c.kind)[1],
                    name=_ALLOWED,
                )
            )
    if col.min is not None:
        checks.append(
            pa.Check(lambda s, c=col: ~(pd.to_numeric(parse(s, c.kind)[0]) < c.min), name=_MIN)
        )
    return checks


@functools.cache
def cells_schema(spec: Table) -> pa.DataFrameSchema:
    """The pandera schema of a table's cell text (as ``cell_text`` gives it)."""
    return pa.DataFrameSchema(
        {c.name: pa.Column(nullable=not c.required, checks=_checks(c)) for c in spec.columns},
        name=spec.name,
    )


def _failures(schema: pa.DataFrameSchema, frame: pd.DataFrame) -> pd.DataFrame | None:
    try:
        schema.validate(frame, lazy=True, inplace=True)
    except SchemaErrors as exc:
        return exc.failure_cases
    return None


def cell_problems(text: pd.DataFrame, spec: Table, fname: str) -> list[Problem]:
    """Every empty, unparsed, disallowed or too-small cell, column by column, row by row."""
    failures = _failures(cells_schema(spec), text)
    if failures is None:
        return []
    order = {name: i for i, name in enumerate(spec.column_names)}
    found = []
    for name, check, index in zip(
        failures["column"], failures["check"], failures["index"], strict=True
    ):
        check = str(check).split("(")[0]
        found.append((order[name], int(index), _RANK[check], name, check))
    problems = []
    for _, i, _, name, check in sorted(set(found)):
        col, row, s = spec.column(name), i + 2, text.at[i, name]
        if check == _EMPTY:
            problems.append(Problem(fname, row, name, "empty cell", f"expected a {WHAT[col.kind]}"))
        elif check == _KIND:
            problems.append(Problem(fname, row, name, f"found {s!r}", f"expected {WHAT[col.kind]}"))
        elif check == _ALLOWED:
            expected = "expected one of " + ", ".join(col.allowed or ())
            problems.append(Problem(fname, row, name, f"found {s!r}", expected))
        else:
            expected = f"expected a number of at least {col.min:g}"
            problems.append(Problem(fname, row, name, f"found {s}", expected))
    return problems


def typed(text: pd.DataFrame, spec: Table) -> pd.DataFrame:
    """The typed frame: text as object (None when empty), float64 (NaN), int64 (Int64 when a
    cell is empty), bool (False when empty), periods as canonical labels, dates ISO."""
    frame = {}
    for col in spec.columns:
        values = parse(text[col.name], col.kind)[0]
        if col.kind == "float":
            frame[col.name] = values.astype("float64")
        elif col.kind == "int":
            frame[col.name] = values.astype("Int64" if values.isna().any() else "int64")
        elif col.kind == "bool":
            frame[col.name] = values.where(values.notna(), False).astype(bool)
        else:
            frame[col.name] = values
    return pd.DataFrame(frame)


@functools.cache
def keys_schema(spec: Table) -> pa.DataFrameSchema:
    """The pandera schema that each ``spec.key`` appears once (later repeats fail)."""
    return pa.DataFrameSchema(
        unique=list(spec.key), report_duplicates="exclude_first", name=spec.name
    )


def key_problems(df: pd.DataFrame, spec: Table, fname: str) -> list[Problem]:
    """A problem on each repeat of a key, naming the row it was first seen on."""
    failures = _failures(keys_schema(spec), df)
    if failures is None:
        return []
    key = list(spec.key)
    first = df.index.to_series().groupby([df[k] for k in key], dropna=False).transform("first")
    problems = []
    for i in sorted(set(failures["index"])):
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
