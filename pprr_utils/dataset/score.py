"""The scorecard: every measure of a period scored by the rating rules (``rating``).

One row per measure with its figure, target, RAG status, direction of travel and the
reasons for each, as the report's tables and pages print them; ``rating`` holds the rules
themselves (RAG, trend, forecast) and ``docs/methodology.md`` explains them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .errors import ParameterError
from .formats import is_missing as _missing
from .lookup import derived, period_has_data, periods_with_data
from .periods import parse_period, resolve_in
from .rating import DEFAULT_RULES as DEFAULT_RULES
from .rating import DIRECTION_POLARITY as DIRECTION_POLARITY
from .rating import POLARITY_WORDS as POLARITY_WORDS

# the rating rules stay importable from here, where the scorecard's callers look first
from .rating import STATUSES as STATUSES
from .rating import TRENDS as TRENDS
from .rating import Rating as Rating
from .rating import ScoringRules as ScoringRules
from .rating import direction_of_travel as direction_of_travel
from .rating import forecast_year_end as forecast_year_end
from .rating import measure_years as measure_years
from .rating import months_covered as months_covered
from .rating import rag_status as rag_status
from .rating import rate as rate
from .rating import travel as travel
from .score_columns import clean_column, none_for_missing
from .score_rows import score_rows
from .shortfall import shortfall_columns

if TYPE_CHECKING:
    from .load import Dataset

#: The scorecard's columns, in order; extra columns follow these.
SCORECARD_COLUMNS = (
    "code",
    "name",
    "priority",
    "polarity",
    "value",
    "count",
    "as_at",
    "target",
    "target_type",
    "previous",
    "forecast",
    "status",
    "trend",
    "reason",
)
EXTRA_COLUMNS = (
    "framework",
    "series",
    "category",
    "unit",
    "year_basis",
    "aggregation",
    "value_period",
    "target_year",
    "previous_period",
    "target_direction",
    "target_label",
    "target_basis",
    "ambition",
    "comparator_area",
    "forecast_method",
    "note",
    "status_reason",
    "trend_reason",
)


# --------------------------------------------------------------------------- lookups


def _period_row(dataset: Dataset, period: str) -> dict[str, Any]:
    periods = dataset.tables["periods"]
    rows = periods[periods["period"] == period]
    if rows.empty:
        raise ParameterError(_unknown_period_message(dataset, period))
    return rows.iloc[0].to_dict()


def _series_codes(measures: pd.DataFrame, code: str, series: object) -> list[str]:
    """The measure's own code first, then other codes of its series (other frameworks)."""
    return _own_first(code, series, _series_index(measures))


def _own_first(code: str, series: object, index: dict[object, list[str]]) -> list[str]:
    return list(dict.fromkeys([code] + ([] if _missing(series) else index.get(series, []))))


def _series_index(measures: pd.DataFrame) -> dict[object, list[str]]:
    """``{series: its codes in data order}`` for every series of ``measures``."""
    out: dict[object, list[str]] = {}
    for code, series in zip(measures["code"], measures["series"], strict=True):
        if not _missing(series):
            out.setdefault(series, []).append(code)
    return out


def _codes_of_series(measures: pd.DataFrame) -> list[list[str]]:
    """For each measure (row), its code then the other codes of its series, in data order."""
    index = _series_index(measures)
    return [
        _own_first(code, s, index)
        for code, s in zip(measures["code"], measures["series"], strict=True)
    ]


def _series_table(measures: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``_codes_of_series`` flat: (every measure's codes one after another, how many each
    measure has, where each measure's start)."""
    lists = _codes_of_series(measures)
    lengths = np.array([len(c) for c in lists], dtype="int64")
    flat = np.array([c for cs in lists for c in cs] or [], dtype=object)
    return flat, lengths, np.cumsum(lengths) - lengths


def _series_rows(measures: pd.DataFrame, at: np.ndarray) -> dict[str, np.ndarray]:
    """For the measures at positions ``at``: ``code`` (each one's code then the other codes
    of its series, one after another), ``row`` (which of ``at`` each is of) and ``rank``
    (its place in that row's list)."""
    flat, lengths, starts = derived(measures, "series table", _series_table)
    lens = lengths[at]
    begins = np.cumsum(lens) - lens
    rank = np.arange(int(lens.sum()), dtype="int64") - np.repeat(begins, lens)
    return {
        "code": flat[np.repeat(starts[at], lens) + rank],
        "row": np.repeat(np.arange(len(at), dtype="int64"), lens),
        "rank": rank,
    }


def _unknown_period_message(dataset: Dataset, text: str) -> str:
    held = sorted(periods_with_data(dataset.tables), key=parse_period)
    listed = ", ".join(held) if held else "none"
    return f"no report for period {text!r} in the data; periods held: {listed}"


def resolve_period(dataset: Dataset, text: str) -> str:
    """Canonical label of ``text`` (``2021/22 Q2`` or ``2021-22-Q2``) if the data reports it.

    Raises ParameterError listing the periods the data holds when ``text`` is not a period,
    is not a report in the ``periods`` table, or has no values.
    """
    try:  # the common case without listing every period that has data
        label = parse_period(str(text)).label
        if period_has_data(dataset.tables, label):
            return label
    except ValueError:
        pass
    return resolve_in(text, periods_with_data(dataset.tables))


def latest_period(dataset: Dataset) -> str:
    """The most recent report period that has data (by date if every period has one)."""
    held = periods_with_data(dataset.tables)
    if not held:
        raise ParameterError("the data holds no report period with values")
    periods = dataset.tables["periods"].set_index("period")
    dates = [periods.at[p, "date"] if "date" in periods.columns else None for p in held]
    if all(not _missing(d) for d in dates):
        return max(zip(dates, held, strict=True))[1]
    return max(held, key=parse_period)


# --------------------------------------------------------------------------- scorecard


def rules_for(dataset: Dataset) -> ScoringRules:
    """The portfolio's scoring rules (``portfolio.yml``: ``scoring`` tolerances and
    ``comparator_areas``); the published key's defaults for a dataset without settings."""
    p = getattr(dataset, "portfolio", None)
    if p is None:
        return DEFAULT_RULES
    return replace(
        DEFAULT_RULES,
        amber_tolerance=p.amber_tolerance,
        stable_tolerance=p.stable_tolerance,
        comparator_areas=p.comparator_areas,
    )


def scorecard(dataset: Dataset, period: str, *, rules: ScoringRules | None = None) -> pd.DataFrame:
    """One row per measure of the period's framework, in priority then printed order.

    Columns: ``SCORECARD_COLUMNS`` then ``EXTRA_COLUMNS``, then ``shortfall`` and
    ``shortfall_pct`` (``shortfall.shortfall_columns``: the gap to target, positive when worse).
    ``status`` is red/amber/green and ``trend`` better/stable/worse, each an empty string
    when not rated (see ``reason``). ``rules``: the scoring rules (default: the portfolio's,
    ``rules_for``).
    """
    label = resolve_period(dataset, period)
    return _frame(_score(dataset, [label], rules)[0])


def scorecards(
    dataset: Dataset,
    periods: Sequence[str] | str | None = None,
    *,
    rules: ScoringRules | None = None,
) -> pd.DataFrame:
    """The scorecards of several periods as one frame, scored together: a first column
    ``period`` (the report period), then ``scorecard``'s columns; the periods in the order
    given, each period's rows as ``scorecard`` orders them. ``periods``: labels or
    ``2021-22-Q2`` forms (default: every report period with data, in the ``periods`` table's
    order; a period named twice is scored once; one label on its own is one period). Only
    report periods are scored (``periods`` rows with figures); compare periods of different
    frameworks by ``series``. Each period's rows equal ``scorecard(dataset, period)``."""
    if isinstance(periods, str):  # one period named on its own
        periods = [periods]
    held = periods_with_data(dataset.tables) if periods is None else None
    asked = held if held is not None else [resolve_period(dataset, p) for p in periods or []]
    labels = list(dict.fromkeys(asked))  # a period named twice is scored once
    rows, period = _score(dataset, labels, rules)
    card = _frame(rows)
    card.insert(0, "period", period)
    return card


def _framework_rows(measures: pd.DataFrame) -> dict[object, np.ndarray]:
    """``{framework: its measures' positions, in priority then data order}``."""
    priority = measures["priority"].to_numpy()
    out = {}
    for fw, at in measures.groupby("framework", sort=False).indices.items():
        out[fw] = at[np.argsort(priority[at], kind="stable")]
    return out


def _score(
    dataset: Dataset, labels: Sequence[str], rules: ScoringRules | None
) -> tuple[dict[str, Any], np.ndarray]:
    """The scorecard columns of every measure of each report period ``labels`` (canonical
    labels), the periods' rows one after another, and each row's report period."""
    rules = rules if rules is not None else rules_for(dataset)
    measures = dataset.tables["measures"]
    by_framework = derived(measures, "framework rows", _framework_rows)
    reports = [_period_row(dataset, label) for label in labels]
    empty = np.zeros(0, dtype="int64")
    parts = [by_framework.get(r["framework"], empty) for r in reports]
    at = np.concatenate(parts) if parts else empty
    sizes = [len(part) for part in parts]
    report = {
        k: np.repeat(np.array([r[k] for r in reports], dtype=object), sizes)
        for k in ("period", "target_year", "previous")
    }
    mine = measures.take(at).reset_index(drop=True)
    rows = score_rows(dataset.tables, report, mine, _series_rows(measures, at), rules)
    for column in _MEASURE_CELLS:
        rows[column] = clean_column(measures, column)[at]
    rows["shortfall"], rows["shortfall_pct"] = shortfall_columns(
        forecast=rows["forecast"],
        value=rows["value"],
        target=rows["target"],
        previous=rows["previous"],
        target_type=rows["target_type"],
        rated=rows["status"] != "",
        polarity=rows["polarity"],
        target_direction=rows["target_direction"],
    )
    return rows, report["period"]


def _frame(rows: dict[str, Any]) -> pd.DataFrame:
    """The scorecard's columns as a frame: figures as float64, ``priority`` as int64, every
    other column as object with None for a missing cell (built as two blocks, then ordered)."""
    texts = [c for c in rows if c not in _NUMBERS and c != "priority"]
    n = len(rows["code"])
    cells = np.empty((len(texts), n), dtype=object)  # a column per row: written in place
    for j, c in enumerate(texts):
        cells[j] = rows[c] if c in _CLEAN else none_for_missing(rows[c])
    numbers = {c: np.asarray(rows[c], dtype="float64") for c in _NUMBERS}
    numbers["priority"] = np.asarray(rows["priority"]).astype("int64")
    block = pd.DataFrame(cells.T, columns=texts, dtype=object, copy=False)
    both = pd.concat([block, pd.DataFrame(numbers)], axis=1)
    return both[list(rows)]


#: the measures' own text columns, cleaned once per measures table (``clean_column``)
_MEASURE_CELLS = ("code", "name", "framework", "series")
_NUMBERS = ("value", "count", "target", "previous", "forecast", "shortfall", "shortfall_pct")
#: text columns that hold text or None, never a missing value or a text that reads as NaN:
#: written by the scorer itself (``score_frame.texts``, ``or_none``, sentences) or taken
#: from a table's column cleaned once (``score_frame.clean_column``)
_CLEAN = frozenset(
    ("status", "trend", "reason", "status_reason", "trend_reason", "value_period")
    + ("previous_period", "target_year", "forecast_method", "target_basis", "ambition")
    + ("polarity", "as_at", "category", "unit", "year_basis", "aggregation", "note")
    + ("target_direction", "target_label")
    + _MEASURE_CELLS
)


def write_scorecard(df: pd.DataFrame, out: str | Path) -> Path:
    """Write the scorecard as CSV, or as Excel when ``out`` ends in ``.xlsx``."""
    path = Path(out)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ParameterError(f"{str(out)!r}: expected a file name ending in .csv or .xlsx")
    if suffix == ".xlsx":
        from .writing import write_xlsx

        write_xlsx({"scorecard": df}, path)
    else:
        from .writing import write_csv

        write_csv(df, path, lineterminator="\n")
    return path
