"""The dataset loaded once per kernel: a small cache keyed by where the data is and what it holds.

A batch runs many pages on one reused kernel; every page opens the same data folder. Loading
and validating it (and applying disclosure control for the public edition) is the same work
each time, so :func:`dataset_for` keeps the last few loads, keyed by the data location and a
hash of every file directly in the data folder (or of the workbook). A changed, added or
removed file changes the key, so a stale dataset is never served. Each call returns a copy
(fresh ``DataFrame`` objects), so a page that modifies its tables cannot affect the next page.

The cache lives in this module, which a kernel keeps loaded between notebooks (``%reset -f``
forgets variables, not modules).
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from ..dataset.load import Dataset, default_data_dir, load_dataset
from ..dataset.sql import fingerprint as sql_fingerprint
from ..dataset.sql import is_url

#: how many (location, edition) datasets a kernel keeps
MAX_ENTRIES = 4

Key = tuple[str, str, bool]

_CACHE: OrderedDict[Key, Dataset] = OrderedDict()
_SCORECARDS: OrderedDict[tuple[Key, str], pd.DataFrame] = OrderedDict()


def fingerprint(location: Path) -> str:
    """Hash of the names and contents of the files directly in ``location`` (or of the file).

    Raises nothing for a missing location: its fingerprint is ``"missing"`` (the loader then
    reports it as it always does).
    """
    h = hashlib.blake2b(digest_size=20)
    if location.is_dir():
        for f in sorted(location.iterdir()):
            if f.is_file() and not f.name.startswith("."):
                h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
        return h.hexdigest()
    if location.is_file():
        h.update(location.read_bytes())
        return h.hexdigest()
    return "missing"


def copy_dataset(ds: Dataset) -> Dataset:
    """A copy of ``ds`` whose tables are new DataFrames (the notes list copied too)."""
    return Dataset(
        {k: v.copy() for k, v in ds.tables.items()}, ds.location, list(ds.notes), ds.portfolio
    )


def dataset_for(
    data: str | Path | None,
    *,
    public: bool = False,
    make_public: Callable[[Dataset], Dataset] | None = None,
) -> tuple[Dataset, Key]:
    """The dataset at ``data`` (None: the default data folder), loaded once while unchanged,
    and its cache key (for :func:`scorecard_for`).

    With ``public`` the cached dataset is ``make_public(dataset)`` (disclosure control).
    Errors are raised exactly as ``load_dataset`` raises them, and nothing is cached then.
    """
    if is_url(data):  # a database: its tables' text is the fingerprint
        key = (str(data), sql_fingerprint(str(data)), bool(public))
    else:
        location = Path(data) if data is not None else default_data_dir()
        key = (str(location.resolve()), fingerprint(location), bool(public))
    found = _CACHE.get(key)
    if found is None:
        found = load_dataset(data)
        if public and make_public is not None:
            found = make_public(found)
        _CACHE[key] = found
        while len(_CACHE) > MAX_ENTRIES:
            _CACHE.popitem(last=False)
    else:
        _CACHE.move_to_end(key)
    return copy_dataset(found), key


def scorecard_for(key: Key, period: str, compute: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """The period's scorecard of the dataset cached under ``key``: ``compute()`` once, then a
    copy of the first result while the data is unchanged."""
    found = _SCORECARDS.get((key, period))
    if found is None:
        found = compute()
        _SCORECARDS[(key, period)] = found
        while len(_SCORECARDS) > 4 * MAX_ENTRIES:
            _SCORECARDS.popitem(last=False)
    return found.copy()


def clear() -> None:
    """Forget every cached dataset and scorecard."""
    _CACHE.clear()
    _SCORECARDS.clear()
