"""Where data is: a database URL or a path, told apart without loading anything heavy.

``--data`` takes a folder, a workbook or a SQLAlchemy URL; the batch asks which it is on
every run, including a cached run that loads no data, so this module imports nothing but
the standard library (``sql`` and ``load`` re-export these for their callers).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

_URL = re.compile(r"^[a-z][a-z0-9+.\-]*://", re.IGNORECASE)


def is_url(location: object) -> bool:
    """True when ``location`` is a database URL (``scheme://...``), not a path."""
    return isinstance(location, str) and bool(_URL.match(location))


def safe_url(url: str) -> str:
    """``url`` with any password masked (for messages and file names)."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)


def default_data_dir() -> Path:
    """``$PPRR_DATA`` if set, else the repository's ``data/`` folder."""
    env = os.environ.get("PPRR_DATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "data"
