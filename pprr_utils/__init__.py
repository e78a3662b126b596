"""pprr_utils: data, scoring, finance and reporting helpers for PPRR notebooks.

The public API (``docs/api.md``)::

    import pprr_utils as pp

    ds = pp.load_dataset()                       # data/ (or $PPRR_DATA), validated
    card = pp.scorecard(ds, "2023/24")           # one row per measure, with its shortfall
    card = pp.scorecard(ds, "2023/24", rules=pp.ScoringRules(amber_tolerance=0.10))
    cards = pp.scorecards(ds)                    # every period at once, with a period column
    pp.history(ds, "CFE.29")                     # a measure across its series, tidy
    report = pp.open_report("2021/22 Q2")        # what a notebook page opens
    pp.run_batch(["2021/22 Q2"], out_dir="reports")  # the quarterly pack

Names are imported on first use, so ``import pprr_utils`` stays light (no pandas until a
function is called).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .dataset.errors import DataError, Problem

if TYPE_CHECKING:
    from .batch.run import run_batch
    from .dataset.history import history
    from .dataset.load import Dataset, load_dataset
    from .dataset.rating import ScoringRules
    from .dataset.score import scorecard, scorecards
    from .report.context import Report, open_report

__all__ = [
    "DataError",
    "Dataset",
    "Problem",
    "Report",
    "ScoringRules",
    "__version__",
    "history",
    "load_dataset",
    "open_report",
    "run_batch",
    "scorecard",
    "scorecards",
]
__version__ = "0.1.0"

#: public name -> the module that defines it (imported when the name is first used)
_LAZY = {
    "load_dataset": ".dataset.load",
    "Dataset": ".dataset.load",
    "scorecard": ".dataset.score",
    "scorecards": ".dataset.score",
    "history": ".dataset.history",
    "ScoringRules": ".dataset.rating",
    "open_report": ".report.context",
    "Report": ".report.context",
    "run_batch": ".batch.run",
}


def __getattr__(name: str) -> Any:
    """Import a public name from its module the first time it is used (PEP 562)."""
    if name not in _LAZY:
        raise AttributeError(f"module 'pprr_utils' has no attribute {name!r}")
    value = getattr(import_module(_LAZY[name], __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
