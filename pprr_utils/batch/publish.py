"""Publishing a period's build: one atomic swap, and recovery after an interrupted run.

A period is built in a hidden sibling folder (``.<slug>.build-<pid>``) and swapped in only
when every page succeeded, so a failed or interrupted run never replaces or loses the last
complete report.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import sys
from pathlib import Path

from .cache import MANIFEST

_RENAME_EXCHANGE = 2  # Linux renameat2 flag
_RENAME_SWAP = 2  # macOS renamex_np flag


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux ``renameat2``, macOS ``renamex_np``); False where
    the OS or the file system cannot."""
    if sys.platform == "darwin":
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.dylib", use_errno=True)
            swap = libc.renamex_np
        except (OSError, AttributeError):
            return False
        swap.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_uint]
        return swap(os.fsencode(a), os.fsencode(b), _RENAME_SWAP) == 0
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    rc = fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    return rc == 0


def publish(build: Path, final: Path) -> None:
    """Put ``build`` at ``final``; the old ``final`` is replaced only by a complete build.

    Swaps atomically where the OS can (Linux ``renameat2(RENAME_EXCHANGE)``, macOS
    ``renamex_np(RENAME_SWAP)``); otherwise (Windows, or a file system that cannot swap) the
    old folder is renamed aside first, and if the process dies between the two renames the
    next ``pprr run`` into the same folder puts it back before anything else
    (:func:`recover_all`), whichever periods that run builds.
    """
    if not final.exists():
        os.rename(build, final)
        return
    old = final.with_name(f".{final.name}.old-{os.getpid()}")
    if _exchange(build, final):
        os.rename(build, old)  # build now holds the previous report
    else:
        os.rename(final, old)
        os.rename(build, final)
    shutil.rmtree(old, ignore_errors=True)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover(out: Path, slug: str) -> None:
    """Restore a report left aside by an interrupted publish; remove dead runs' builds."""
    final = out / slug
    for p in sorted(out.glob(f".{slug}.*-*")):
        kind, _, pid = p.name.rpartition("-")
        if not pid.isdigit() or (_pid_alive(int(pid)) and int(pid) != os.getpid()):
            continue
        if kind.endswith(".old") and not final.exists() and (p / MANIFEST).is_file():
            os.rename(p, final)
        else:
            shutil.rmtree(p, ignore_errors=True)


def recover_all(out: Path) -> list[str]:
    """:func:`recover` every period with a folder left aside or a build left behind in
    ``out``; the slugs looked at."""
    slugs = sorted(
        {
            p.name[1:].rpartition(".")[0]
            for p in out.glob(".*.*-*")
            if p.is_dir() and p.name.rpartition("-")[2].isdigit()
        }
    )
    for slug in slugs:
        if slug:
            recover(out, slug)
    return slugs


def failed_folder(out: Path, slug: str) -> Path:
    """Where a failed build of ``slug`` is kept for inspection: ``<out>/.failed/<slug>``."""
    return out / ".failed" / slug


def forget_failure(out: Path, slug: str) -> None:
    """Remove the kept failed build of ``slug`` (obsolete), and ``.failed`` once empty."""
    folder = failed_folder(out, slug)
    shutil.rmtree(folder, ignore_errors=True)
    try:
        folder.parent.rmdir()
    except OSError:  # other failed builds are kept, or there was none
        pass
