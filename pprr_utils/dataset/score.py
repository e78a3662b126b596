"""The scorecard: every measure of a period scored by the rating rules (``rating``).

One row per measure with its figure, target, RAG status, direction of travel and the
reasons for each, as the report's tables and pages print them; ``rating`` holds the rules
themselves (RAG, trend, forecast) and ``docs/methodology.md`` explains them.
"""

from __future__ import annotations

import re
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
    rules = rules if rules is not None else rules_for(dataset)
    label = resolve_period(dataset, period)
    report = _period_row(dataset, label)
    measures = dataset.tables["measures"]
    at = np.flatnonzero((measures["framework"] == report["framework"]).to_numpy())
    at = at[np.argsort(measures["priority"].to_numpy()[at], kind="stable")]
    mine = measures.take(at).reset_index(drop=True)
    every = derived(measures, "series codes", _codes_of_series)
    codes = [every[i] for i in at.tolist()]
    rows = score_rows(dataset.tables, report, mine, codes, rules)
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
    return _frame(rows)


def _frame(rows: dict[str, Any]) -> pd.DataFrame:
    """The scorecard's columns as a frame: figures as float64, ``priority`` as int64, every
    other column as object with None for a missing cell (built as two blocks, then ordered)."""
    texts = [c for c in rows if c not in _NUMBERS and c != "priority"]
    n = len(rows["code"])
    cells = np.empty((n, len(texts)), dtype=object)
    for j, c in enumerate(texts):
        cells[:, j] = rows[c] if c in _MADE_HERE else _none_for_missing(rows[c])
    numbers = {c: np.asarray(rows[c], dtype="float64") for c in _NUMBERS}
    numbers["priority"] = np.asarray(rows["priority"]).astype("int64")
    both = pd.concat(
        [pd.DataFrame(cells, columns=texts, dtype=object), pd.DataFrame(numbers)], axis=1
    )
    return both[list(rows)]


_NUMBERS = ("value", "count", "target", "previous", "forecast", "shortfall", "shortfall_pct")
#: columns written by the scorer itself (text or None, never a text that reads as NaN)
_MADE_HERE = frozenset(
    ("status", "trend", "reason", "status_reason", "trend_reason", "value_period")
    + ("previous_period", "target_year", "forecast_method", "target_basis", "ambition")
)
_NAN_TEXT = re.compile(r"(?:^|\x00)\s*[+-]?nan\s*(?:\x00|$)", re.IGNORECASE)


def _none_for_missing(column: pd.Series | np.ndarray) -> np.ndarray:
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
    kept = np.array([*(None if _missing(u) else u for u in uniques), None], dtype=object)
    return kept[codes]


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
