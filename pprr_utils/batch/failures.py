"""Every failure a sentence: what went wrong, with which file, and what to do.

The command line shows these instead of a traceback (``--debug`` shows the traceback).
"""

from __future__ import annotations

import errno

_WHAT_TO_DO = {
    errno.EROFS: "the folder is on a read-only file system; choose a writable folder "
    "(e.g. --out somewhere else)",
    errno.ENOSPC: "the disk is full; free some space or choose a folder on another disk",
    errno.EDQUOT: "the disk quota is exhausted; free some space or choose another folder",
    errno.EACCES: "permission denied; check the file's and folder's permissions, "
    "or choose another folder",
    errno.EPERM: "the operation is not permitted; check the permissions, or choose another folder",
    errno.ENOENT: "no such file or folder; check the path",
    errno.EISDIR: "it is a folder; expected a file",
    errno.ENOTDIR: "part of the path is a file, not a folder; check the path",
    errno.EEXIST: "it already exists; remove it or choose another name",
    errno.ENAMETOOLONG: "the name is too long; choose a shorter path",
    errno.EMFILE: "too many open files; close other programs or raise the limit (ulimit -n)",
}


def os_error_sentence(exc: OSError) -> str:
    """One line for an OSError: the file(s) it concerns and what to do."""
    files = [str(f) for f in (exc.filename, exc.filename2) if f is not None]
    where = f"cannot use {' -> '.join(files)}: " if files else ""
    advice = _WHAT_TO_DO.get(exc.errno or -1)
    reason = exc.strerror or str(exc) or type(exc).__name__
    return where + (advice if advice else f"{reason}; check the path and try again")


def failure_sentence(exc: BaseException) -> str:
    """One line for any failure the command line did not expect."""
    if isinstance(exc, OSError):
        return os_error_sentence(exc)
    if isinstance(exc, OverflowError):
        return f"a number too large to handle ({exc}); check the figures and sequence numbers"
    if isinstance(exc, MemoryError):
        return "out of memory; the input is too large for this machine"
    text = str(exc).splitlines()[0] if str(exc) else ""
    return (
        f"unexpected {type(exc).__name__}{': ' + text if text else ''} "
        "(run again with --debug for the details, and report it)"
    )
