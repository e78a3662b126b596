"""``pprr watch``: build the pack, then rebuild it whenever a data file or a notebook is saved.

The loop an analyst wants while correcting figures: edit ``values.csv``, save, and the pages
that read the changed rows are rebuilt a few seconds later (only those: the page cache of
``run_batch`` decides), with the kernels kept warm between builds (:mod:`.kernels`), so a
rebuild pays for the pages it runs, not for starting Jupyter. The data location (folder,
workbook, database or a folder of portfolio folders) and the notebooks are fingerprinted
every ``interval`` seconds; a build starts when the fingerprint changes. Data that does not
load (a file saved half-edited) is reported and the loop goes on: the last good pack stays
published, and the next save is tried again. Restart the watch after changing the package
code: its modules are imported once per process.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..dataset.errors import DataError, ParameterError
from .cache import hash_code, hash_data, hash_notebook
from .kernels import close_kernels, warm_up
from .plan import NOTEBOOKS, _data_location


def fingerprint(data: Any, notebooks_dir: str | Path) -> str:
    """One hash of the data (every file of the folder or the workbook, or the database's
    tables) and of the page notebooks; a missing data location hashes as missing."""
    location, _ = _data_location(data)
    h = hashlib.sha256()
    try:
        h.update(hash_data(location).encode())
    except (OSError, DataError, ParameterError) as exc:  # moved away mid-save: try again
        h.update(f"unreadable {type(exc).__name__}".encode())
    for name in NOTEBOOKS:
        h.update(hash_notebook(Path(notebooks_dir) / name).encode())
    return h.hexdigest()


def changes(result: Any) -> list[str]:
    """What a build did, a line per period built or failed (cached periods are left out):
    which pages ran and how many were carried over unchanged."""
    lines = []
    for p in result.periods:
        if p.status == "cached":
            continue
        name = f"{p.portfolio}: {p.period}" if p.portfolio else p.period
        ran = [j.job.page for j in p.jobs if not j.reused]
        kept = len(p.jobs) - len(ran)
        lines.append(
            f"{name}: {p.status}; pages run: {', '.join(ran) or 'none'}; {kept} carried over"
        )
        lines += [f"  FAILED {e}" for e in p.errors]
    return lines


def _start_browser(say: Callable[[str], None]) -> None:
    from .pdf import PdfError, start_browser
    from .pdf_pack import printing

    try:
        with printing():
            start_browser()
    except PdfError as exc:  # each build's PDF says so too
        say(f"the committee PDF cannot be printed: {exc}")


def watch(
    periods: list[str] | None = None,
    *,
    data: Any = None,
    notebooks_dir: str | Path = "notebooks",
    interval: float = 2.0,
    stop: threading.Event | None = None,
    say: Callable[[str], None] = print,
    **options: Any,
) -> int:
    """Build ``periods`` (default all), then rebuild whenever ``fingerprint`` changes, until
    ``stop`` is set or Ctrl-C; returns how many builds ran. ``options`` go to
    ``portfolios.run_any`` (``out_dir``, ``jobs``, ``public``, ``pdf``, ``rules``); the
    kernels are kept warm between builds and shut down when the watch ends. ``say`` gets
    one line per build (or the reason a build could not run)."""
    from .portfolios import run_any

    stop = stop or threading.Event()
    options = {**options, "keep_kernels": True, "progress": False}
    last: str | None = None
    builds = 0
    try:
        while not stop.is_set():
            now = fingerprint(data, notebooks_dir)
            if now != last:
                last = now
                builds += 1
                t0 = time.perf_counter()
                try:
                    result = run_any(data, periods, notebooks_dir=notebooks_dir, **options)
                except (DataError, ParameterError) as exc:
                    say(f"not built: {exc}; waiting for the data to be fixed")
                else:
                    for line in changes(result) or ["nothing changed since the last build"]:
                        say(line)
                    if builds == 1:  # the pack was built already: kernels, Chromium ready now
                        warm_up(max(1, int(options.get("jobs", 1))), hash_code())
                        if options.get("pdf", True):
                            _start_browser(say)
                    say(
                        f"{'ok' if result.ok else 'FAILED'} at {time.strftime('%H:%M:%S')} in "
                        f"{time.perf_counter() - t0:.1f} s; index: {result.out_dir / 'index.html'}"
                        "; watching for changes (Ctrl-C to stop)"
                    )
            stop.wait(interval)
    except KeyboardInterrupt:
        pass
    finally:
        close_kernels()
    return builds
