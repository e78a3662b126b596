"""pprr_utils: data, scoring, finance and reporting helpers for PPRR notebooks."""

from .dataset.errors import DataError, Problem

__all__ = ["DataError", "Problem", "__version__"]
__version__ = "0.1.0"
