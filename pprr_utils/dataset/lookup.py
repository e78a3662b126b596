"""The rows a period's scorecard reads, found by key instead of by scanning the tables.

``score.scorecard`` rates every measure of a period's framework. Each measure reads a few
rows: its figure, a published forecast, the previous year-end (perhaps under another code of
its series), its target or milestone, later targets (its ambition) and comparator figures.
Scanning the whole ``values`` table for each of them made scoring grow with the square of
the data (18 measures a second on 127,000 value rows). Each table is indexed once by its key
columns (``KeyIndex``, kept per loaded table by ``derived``), and ``score_frame`` finds every
measure's rows of a period with a few array operations over that index.

``periods_with_data`` (which report periods have figures) is one join of the distinct
``(code, period)`` pairs of ``values`` with the measures, not a scan per period;
``period_has_data`` answers it for one period from that period's rows alone.
"""

from __future__ import annotations

import itertools
import weakref
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from .rating import measure_years

_BASES = ("financial", "academic")


_DERIVED: dict[int, tuple[weakref.ref, int, dict[str, Any]]] = {}


def derived(frame: pd.DataFrame, name: str, build: Callable[[pd.DataFrame], Any]) -> Any:
    """``build(frame)``, made once per table object and kept while the table lives (a table
    of another length is built again).

    The scorecard reads a few periods of tables that may hold a hundred; an index of the
    key columns built once spares a scan of every row for every period scored. The indexes
    hold row positions by key (``code``, ``period``, ``year``, ``type``): figures are read
    from the table afresh each time, so a figure edited in place is seen, but a key column
    edited in place is not (give the dataset a new table instead).
    """
    key = id(frame)
    held = _DERIVED.get(key)
    if held is None or held[0]() is not frame or held[1] != len(frame):
        held = (weakref.ref(frame, lambda _: _DERIVED.pop(key, None)), len(frame), {})
        _DERIVED[key] = held
    made = held[2]
    if name not in made:
        made[name] = build(frame)
    return made[name]


class Coded(NamedTuple):
    """A column as codes into its distinct values (``coded``): a look-up maps each
    distinct value once, however many rows repeat it."""

    codes: np.ndarray
    uniques: list[Any]

    def __len__(self) -> int:
        return len(self.codes)


def coded(column: Any) -> Coded:
    """``column`` (a sequence of keys) factorized once, to be looked up many times."""
    codes, uniques = pd.factorize(np.asarray(column, dtype=object), use_na_sentinel=True)
    return Coded(codes, uniques.tolist())


class KeyIndex:
    """The rows of a table by a key of its columns, found for many keys at once.

    Each key column is coded once (``pd.factorize``) and the codes combined into one integer
    per row, sorted, with the first row of each key kept (the first row with a key wins,
    as everywhere in scoring). ``at`` codes the wanted keys the same way (each distinct wanted
    value mapped once, ``coded``)
    and finds them by binary search: a period's look-ups cost a few array operations
    whatever the size of the table, and nothing is built again per period.
    """

    def __init__(self, frame: pd.DataFrame, key: tuple[str, ...]) -> None:
        n = len(frame)
        combined = np.zeros(n, dtype="int64")
        valid = np.ones(n, dtype=bool)
        self.levels: list[dict[Any, int]] = []
        self.sizes: list[int] = []
        for column in key:
            codes, uniques = pd.factorize(frame[column].to_numpy(dtype=object))
            self.levels.append({u: i for i, u in enumerate(uniques.tolist())})
            self.sizes.append(len(uniques) + 1)
            valid &= codes >= 0  # a missing key cell matches nothing
            combined = combined * self.sizes[-1] + codes
        if float(np.prod(np.array(self.sizes, dtype="float64"))) >= 2.0**62:
            raise OverflowError(f"too many distinct keys {key} to combine in one integer")
        rows = np.flatnonzero(valid)
        order = rows[np.argsort(combined[rows], kind="stable")]
        keys = combined[order]
        first = np.ones(len(keys), dtype=bool)
        first[1:] = keys[1:] != keys[:-1]
        self.keys = keys[first]
        self.positions = order[first]

    def at(self, *columns: Any) -> np.ndarray:
        """The position of the first row with each key (-1: none); ``columns``: one
        sequence per key column, or one value for every key."""
        n = max((len(c) for c in columns if not isinstance(c, str)), default=1)
        wanted = np.zeros(n, dtype="int64")
        ok = np.ones(n, dtype=bool)
        for level, size, column in zip(self.levels, self.sizes, columns, strict=True):
            if isinstance(column, str):
                ids = np.full(n, level.get(column, -1), dtype="int64")
            else:
                keys = column if isinstance(column, Coded) else coded(column)
                found = map(level.get, keys.uniques, itertools.repeat(-1))
                known = np.fromiter(found, dtype="int64", count=len(keys.uniques))
                ids = np.append(known, -1)[keys.codes]  # a missing key (code -1) finds none
            ok &= ids >= 0
            wanted = wanted * size + ids
        out = np.full(n, -1, dtype="int64")
        if not len(self.keys):
            return out
        where = np.minimum(np.searchsorted(self.keys, wanted), len(self.keys) - 1)
        hit = ok & (self.keys[where] == wanted)
        out[hit] = self.positions[where[hit]]
        return out


def key_index(frame: pd.DataFrame, key: tuple[str, ...]) -> KeyIndex:
    """The table's :class:`KeyIndex` by ``key``, built once per table (``derived``)."""
    return derived(frame, "keys:" + ",".join(key), lambda f: KeyIndex(f, key))


def groups(frame: pd.DataFrame, column: str) -> dict[str, np.ndarray]:
    """``{value: positions of its rows, in data order}`` of ``frame[column]`` (``derived``)."""

    def build(f: pd.DataFrame) -> dict[str, np.ndarray]:
        found = f.groupby(column, sort=False).indices.items() if len(f) else []
        return {str(k): np.asarray(i) for k, i in found}

    return derived(frame, f"groups:{column}", build)


def _codes_by_basis(measures: pd.DataFrame) -> dict[tuple[str, str], set[str]]:
    """``{(framework, year basis): its measures' codes}``."""
    out: dict[tuple[str, str], set[str]] = {}
    rows = zip(measures["framework"], measures["year_basis"], measures["code"], strict=True)
    for framework, basis, code in rows:
        if basis in _BASES:
            out.setdefault((framework, basis), set()).add(code)
    return out


def period_has_data(tables: Mapping[str, pd.DataFrame], period: str) -> bool:
    """``period in periods_with_data(tables)``, reading only the rows the period asks for."""
    periods, measures, values = tables["periods"], tables["measures"], tables["values"]
    if periods.empty or measures.empty or values.empty:
        return False
    rows = periods[periods["period"] == period]
    if rows.empty:
        return False
    p = rows.iloc[-1]
    mine = derived(measures, "codes by basis", _codes_by_basis)
    held = groups(values, "period")
    code = values["code"].to_numpy(dtype=object)
    for b in _BASES:
        vp = measure_years(period, p["target_year"], p["previous"], b).value_period
        wanted = mine.get((p["framework"], b), set())
        if vp in held and wanted and not wanted.isdisjoint(code[held[vp]].tolist()):
            return True
    return False


def periods_with_data(tables: Mapping[str, pd.DataFrame]) -> list[str]:
    """Report periods (``periods`` table, in order) for which some measure of the period's
    framework has a row in ``values`` at the period the measure is read at."""
    periods, measures, values = tables["periods"], tables["measures"], tables["values"]
    if periods.empty or measures.empty or values.empty:
        return []
    asks = {  # (framework, basis, value period) each report period needs one of
        p.period: [
            (p.framework, b, measure_years(p.period, p.target_year, p.previous, b).value_period)
            for b in _BASES
        ]
        for p in periods.itertuples(index=False)
    }
    wanted = {vp for ask in asks.values() for _, _, vp in ask}
    near = values.loc[values["period"].isin(wanted), ["code", "period"]].drop_duplicates()
    basis = measures.loc[measures["year_basis"].isin(_BASES), ["framework", "code", "year_basis"]]
    held = near.merge(basis, on="code")
    have = set(zip(held["framework"], held["year_basis"], held["period"], strict=True))
    return [period for period, ask in asks.items() if any(a in have for a in ask)]
