"""Kernels kept warm between runs of one process: ``run_batch(keep_kernels=True)`` and
``pprr watch``.

A run starts its kernels (about 2 s each: the kernel process, the preloaded imports, the
dataset) and shuts them down when it ends. A process that builds again and again (``pprr
watch`` rebuilding after each saved correction, or an analyst calling ``run_batch`` in a
notebook) can keep them: a run that keeps its kernels leaves them idle here, and the next
run takes them instead of starting new ones. They are safe to reuse because each page
starts from a reset namespace (``KernelSession.reset``) and the dataset cache in the kernel
is keyed by the data's contents (``report.warm``). Changed package code is the one thing a
warm kernel cannot pick up (its modules are imported): kernels are kept per hash of the
package code (``cache.hash_code``), and a run with other code shuts the idle ones down.

Idle kernels are shut down by ``close_kernels`` or when the process exits.
"""

from __future__ import annotations

import atexit
import threading
from collections.abc import Iterable
from typing import Any

from . import scratch

_LOCK = threading.Lock()
_IDLE: list[Any] = []  # KernelSession objects, started, waiting for a run
_CODE: dict[str, str | None] = {"hash": None}


def take(code: str) -> Any:
    """A warm kernel started from package code ``code`` if one is idle, else a new
    ``KernelSession`` (it starts with its first page)."""
    stale: list[Any] = []
    with _LOCK:
        if _CODE["hash"] != code:
            stale, _IDLE[:] = list(_IDLE), []
            _CODE["hash"] = code
        session = _IDLE.pop() if _IDLE else None
    _close(stale)
    return session if session is not None else new()


def new() -> Any:
    """A new ``KernelSession`` (started by its first page, shut down by its run)."""
    from .execute import KernelSession

    return KernelSession()


def keep(sessions: Iterable[Any], code: str) -> None:
    """Leave the running ``sessions`` idle for the next run of the same code (the others
    are shut down)."""
    alive = [s for s in sessions if s.km is not None]
    with _LOCK:
        fits = _CODE["hash"] == code
        if fits:
            _IDLE.extend(alive)
    if not fits:
        _close(alive)


def warm_up(count: int, code: str) -> int:
    """Start kernels until ``count`` are idle for package code ``code`` (a watch that found
    its pack already built, so that its first rebuild does not wait for them); returns how
    many were started."""
    sessions = [take(code) for _ in range(count)]
    cold = [s for s in sessions if s.km is None]
    for session in cold:
        session.start()
    keep(sessions, code)
    return len(cold)


def idle() -> int:
    """How many warm kernels are waiting."""
    with _LOCK:
        return len(_IDLE)


def close_kernels() -> None:
    """Shut every idle kernel down, close the Chromium kept for the PDF (``pdf.close_browser``)
    and remove the process's scratch folder (the kernels' sockets)."""
    from .pdf import close_browser

    with _LOCK:
        sessions, _IDLE[:] = list(_IDLE), []
    _close(sessions)
    close_browser()
    scratch.clean()


def _close(sessions: list[Any]) -> None:
    for session in sessions:
        session.close()


atexit.register(close_kernels)
