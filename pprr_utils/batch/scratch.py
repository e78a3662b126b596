"""A private temporary folder per run: kernels' sockets and scratch files, never left behind.

Every kernel a run starts keeps its connection file, sockets and ipykernel's cell files in
``<tmp>/pprr-<uid>/run-<pid>/``. The run removes its folder when it ends; a run killed
outright (``kill -9``) cannot, so each run first removes the folders of runs that are no
longer alive. Nothing is left in the temporary directory for long.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def _root() -> Path:
    uid = os.getuid() if hasattr(os, "getuid") else 0
    return Path(tempfile.gettempdir()) / f"pprr-{uid}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def run_dir() -> Path:
    """This process's scratch folder (created, private to the user)."""
    path = _root() / f"run-{os.getpid()}"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def sweep() -> list[Path]:
    """Remove the scratch folders of runs that are no longer alive; returns those removed."""
    removed = []
    root = _root()
    if not root.is_dir():
        return removed
    for p in root.glob("run-*"):
        pid = p.name.removeprefix("run-")
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            shutil.rmtree(p, ignore_errors=True)
            removed.append(p)
    return removed


def clean() -> None:
    """Remove this process's scratch folder (at the end of a run)."""
    shutil.rmtree(_root() / f"run-{os.getpid()}", ignore_errors=True)
