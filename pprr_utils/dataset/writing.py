"""Every file pprr writes: atomically, and with spreadsheet cells that cannot run.

Two guarantees, in one place so no writer forgets them:

- **Atomic**: a file is written to a temporary file in the same folder and renamed into
  place (``os.replace``), so a failure (disk full, read-only folder, a crash) leaves the
  previous file whole and never a half-written one.
- **Inert spreadsheets** (the OWASP CSV-injection rule): a text cell that starts with
  ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be run as a formula by Excel
  or LibreOffice. In CSV it is written with a leading apostrophe; in a workbook it is a
  string cell, never a formula. ``restore_text`` undoes the apostrophe, so reading a file
  back gives the original text. Numbers stay numbers.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:  # pandas loads when a table is written, not for atomic_write alone
    import pandas as pd

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def _quoted(value: str) -> bool:
    return value.startswith(QUOTE) and value[1:2] in FORMULA_TRIGGERS


def neutralise_text(value: Any) -> Any:
    """``'=1+2`` for ``=1+2``: text a spreadsheet would run, made inert. Other values as given.

    Text that already looks neutralised (``'=x``) gets one more apostrophe, so that
    ``restore_text`` always gives back exactly the original.
    """
    if isinstance(value, str) and (value.startswith(FORMULA_TRIGGERS) or _quoted(value)):
        return QUOTE + value
    return value


def restore_text(value: Any) -> Any:
    """The inverse of ``neutralise_text``: ``=1+2`` for ``'=1+2``. Other values as given."""
    if isinstance(value, str) and (_quoted(value) or value.startswith(QUOTE + QUOTE)):
        rest = value[1:]
        if rest.startswith(FORMULA_TRIGGERS) or _quoted(rest):
            return rest
    return value


def _text_columns(frame: pd.DataFrame) -> list[str]:
    import pandas as pd

    return [
        c
        for c in frame.columns
        if pd.api.types.is_object_dtype(frame[c]) or pd.api.types.is_string_dtype(frame[c])
    ]


def inert_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells are neutralised for CSV (numbers untouched)."""
    out = frame.copy()
    for col in _text_columns(out):
        out[col] = out[col].map(neutralise_text)
    return out


def restore_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with ``restore_text`` applied to its text cells."""
    out = frame.copy()
    for col in _text_columns(out):
        cells = out[col]
        quoted = cells.astype(object).str.startswith(QUOTE)
        mask = quoted.fillna(False).to_numpy(dtype=bool)
        if mask.any():  # only the few cells that start with an apostrophe
            out.loc[mask, col] = cells[mask].map(restore_text)
    return out


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path`` in one step.

    On any exception the temporary file is removed and ``path`` is left as it was.
    """
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise _naming(exc, target) from exc
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, 0o644)
        os.replace(tmp_path, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp_path.unlink()
        if isinstance(exc, OSError) and exc.filename in (None, tmp, str(tmp_path)):
            raise _naming(exc, target) from exc
        raise


def _naming(exc: OSError, target: Path) -> OSError:
    """The same error, naming the file being written (not its temporary file)."""
    if exc.errno is None:
        return exc
    return type(exc)(exc.errno, exc.strerror, str(target))


def atomic_write(
    path: str | Path, write: Callable[[IO[Any]], None], *, binary: bool = False
) -> Path:
    """Open a temporary file beside ``path``, let ``write`` fill it, then rename it into place."""
    with atomic_path(path) as tmp:
        mode = "wb" if binary else "w"
        kwargs = {} if binary else {"encoding": "utf-8", "newline": ""}
        with open(tmp, mode, **kwargs) as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
    return Path(path)


def write_csv(frame: pd.DataFrame, path: str | Path, **to_csv: Any) -> Path:
    """``frame`` as an inert CSV file, written atomically (``to_csv`` options passed on)."""
    to_csv.setdefault("index", False)
    inert = inert_frame(frame)
    return atomic_write(path, lambda fh: inert.to_csv(fh, **to_csv))


def text_cells_as_strings(workbook: Any) -> Any:
    """Make every cell of an openpyxl workbook whose text starts with ``=`` a string cell.

    openpyxl stores such text as a formula; the cell keeps its text and shows it as typed.
    """
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f" and isinstance(cell.value, str):
                    cell.data_type = "s"
    return workbook


def write_xlsx(sheets: dict[str, pd.DataFrame], path: str | Path) -> Path:
    """``sheets`` (name -> frame) as one workbook, written atomically, every text cell a
    string cell (never a formula); numbers stay numbers."""
    with atomic_path(path) as tmp:
        import pandas as pd

        with pd.ExcelWriter(tmp, engine="openpyxl") as xl:
            for name, frame in sheets.items():
                frame.to_excel(xl, sheet_name=name, index=False)
            text_cells_as_strings(xl.book)
    return Path(path)
