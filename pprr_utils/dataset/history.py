"""A measure's history across its whole series: figures, targets and comparators, tidy.

A measure keeps a ``series`` when a new framework renumbers it (``CFSE.59`` in 2021/22 is
``CFE.20(i)`` in 2024/25). :func:`history` follows the series through every framework and
returns one row per figure, ready to filter or plot (``seaborn.lineplot(x="period",
y="value", hue="line")``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from .errors import ParameterError
from .formats import is_missing
from .periods import parse_period

if TYPE_CHECKING:
    from .load import Dataset

#: the columns of :func:`history`, in order
HISTORY_COLUMNS = (
    "period",
    "kind",
    "line",
    "value",
    "unit",
    "code",
    "framework",
    "series",
    "area",
    "as_at",
    "note",
)
KINDS = ("actual", "forecast", "target", "comparator")


def _text(x: object) -> str | None:
    return None if is_missing(x) else str(x).strip() or None


def series_codes(dataset: Dataset, code: str) -> list[str]:
    """``code`` first, then every other code sharing its ``series``, in framework order."""
    measures = dataset.tables["measures"]
    rows = measures[measures["code"] == code]
    if rows.empty:
        held = ", ".join(sorted(map(str, measures["code"].unique()))[:12])
        raise ParameterError(f"unknown measure {code!r}; the data holds codes such as {held}")
    series = rows.iloc[0]["series"]
    codes = [code]
    if not is_missing(series):
        codes += [c for c in measures.loc[measures["series"] == series, "code"] if c != code]
    return list(dict.fromkeys(codes))


def _target_note(row: pd.Series) -> str | None:
    kind = row["type"]
    if kind == "direction":
        return _text(row["direction"])
    if kind == "comparator":
        return f"{_text(row['comparator']) or 'comparator'} average"
    return _text(row["note"])


def history(dataset: Dataset, code: str) -> pd.DataFrame:
    """The measure's figures for every period of its series (all frameworks), tidy.

    One row per figure: ``kind`` is ``actual`` or ``forecast`` (the measure's values),
    ``target`` (the target set for that year; ``value`` is blank for a direction target,
    whose ``note`` says ``maximise`` or ``minimise``) or ``comparator`` (a comparator area's
    figure, ``area`` naming it). ``line`` labels the row for a chart: ``actual``,
    ``forecast``, ``target`` or the area. When two codes of the series hold a figure for the
    same period and line, the one of ``code`` is kept, then the series order. ``unit`` is
    the unit of the code the row comes from. Rows are ordered by period, then ``KINDS``.

    Raises ParameterError for a code the data does not hold.
    """
    codes = series_codes(dataset, code)
    rank = {c: i for i, c in enumerate(codes)}
    measures = dataset.tables["measures"].drop_duplicates("code").set_index("code")
    rows: list[dict[str, object]] = []

    values = dataset.tables["values"]
    for _, v in values[values["code"].isin(codes)].iterrows():
        kind = str(v["kind"])
        rows.append(
            {"period": v["period"], "kind": kind, "line": kind, "value": v["value"],
             "code": v["code"], "area": None, "as_at": _text(v["as_at"]), "note": _text(v["note"])}
        )  # fmt: skip
    targets = dataset.tables["targets"]
    for _, t in targets[targets["code"].isin(codes)].iterrows():
        rows.append(
            {"period": t["year"], "kind": "target", "line": "target", "value": t["value"],
             "code": t["code"], "area": None, "as_at": None, "note": _target_note(t)}
        )  # fmt: skip
    comparators = dataset.tables.get("comparators")
    if comparators is not None:
        for _, c in comparators[comparators["code"].isin(codes)].iterrows():
            rows.append(
                {"period": c["period"], "kind": "comparator", "line": c["area"],
                 "value": c["value"], "code": c["code"], "area": c["area"], "as_at": None,
                 "note": None}
            )  # fmt: skip

    df = pd.DataFrame(
        rows, columns=["period", "kind", "line", "value", "code", "area", "as_at", "note"]
    )
    df["_rank"] = df["code"].map(rank)
    df["_period"] = df["period"].map(lambda p: parse_period(str(p)))
    df["_kind"] = df["kind"].map({k: i for i, k in enumerate(KINDS)})
    df = df.sort_values(["_period", "_kind", "line", "_rank"], kind="stable")
    df = df.drop_duplicates(["period", "kind", "line"], keep="first")
    df["unit"] = df["code"].map(measures["unit"]).map(_text)
    df["framework"] = df["code"].map(measures["framework"]).map(_text)
    df["series"] = df["code"].map(measures["series"]).map(_text)
    df["value"] = df["value"].astype("float64")
    return df[list(HISTORY_COLUMNS)].reset_index(drop=True)
