"""A database as the source: the same tables, read as text and checked as the CSV files are.

``--data`` takes a SQLAlchemy URL (``sqlite:///pprr.db``, ``postgresql://user@host/db``,
``mssql+pyodbc://...`` where a driver is installed). Each table of the schema is a database
table of the same name and columns; every cell is read as text and goes through the same
checks as a CSV cell (``load._check_columns``, ``checks``), so a problem names the table
(``<database>[values]``), the row and the column. The row is the table's ``pprr_row`` column
when it has one (what ``pprr to-sql`` writes: the CSV line, so messages and row order match
the folder it was loaded from), else the position in key order.

``write_sql(dir, url)`` (``pprr to-sql DIR URL``) loads a data folder into a database: every
table as TEXT columns exactly as the CSV holds it, plus ``pprr_row``; ``portfolio.yml`` goes
in a ``portfolio`` table of ``key``/``value`` rows (nested keys written with dots), as in a
workbook's ``portfolio`` sheet. A password in a URL is never printed: messages show the URL
with the password masked; prefer a ``~/.pgpass`` file or ``PGPASSWORD`` to a password in it.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import math
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import DataError, Problem
from .locations import is_url as is_url
from .locations import safe_url as safe_url
from .schema import Table, all_tables

ROW = "pprr_row"
PORTFOLIO_TABLE = "portfolio"


def _engine(url: str) -> Any:
    from sqlalchemy import create_engine
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    try:
        return create_engine(url)
    except (ArgumentError, NoSuchModuleError, ImportError) as exc:
        raise DataError(
            Problem(
                safe_url(url),
                None,
                None,
                f"a database URL that cannot be used ({type(exc).__name__}: {exc})",
                "a SQLAlchemy URL such as sqlite:///pprr.db or postgresql://user@host/db "
                "with its driver installed",
            )
        ) from exc


def _text(value: object) -> str:
    """One database cell as the text a CSV would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    return str(value)


def _read(conn: Any, name: str, spec: Table | None) -> pd.DataFrame:
    from sqlalchemy import inspect as sa_inspect
    from sqlalchemy import text

    cols = [c["name"] for c in sa_inspect(conn).get_columns(name)]
    q = conn.dialect.identifier_preparer.quote
    if ROW in cols:
        order = q(ROW)
    else:
        keys = [k for k in (spec.key if spec else ()) if k in cols] or cols[:1]
        order = ", ".join(q(k) for k in keys)
    result = conn.execute(text(f"SELECT * FROM {q(name)} ORDER BY {order}"))  # noqa: S608
    names = list(result.keys())
    rows = [[_text(v) for v in r] for r in result]
    frame = pd.DataFrame(rows, columns=names, dtype=object)
    if ROW in frame:
        frame.index = [int(r) - 2 for r in frame.pop(ROW)]  # row i is line i + 2
    return frame.fillna("")


def raw_tables(url: str) -> tuple[dict[str, pd.DataFrame], list[str]]:
    """Every table of the schema the database holds, as text (name -> frame), and the names
    of the schema's tables it lacks."""
    from sqlalchemy import inspect as sa_inspect
    from sqlalchemy.exc import SQLAlchemyError

    engine = _engine(url)
    try:
        with engine.connect() as conn:
            held = set(sa_inspect(conn).get_table_names())
            out = {}
            for spec in all_tables():
                if spec.name in held:
                    out[spec.name] = _read(conn, spec.name, spec)
            if PORTFOLIO_TABLE in held:
                out[PORTFOLIO_TABLE] = _read(conn, PORTFOLIO_TABLE, None)
    except SQLAlchemyError as exc:
        raise DataError(
            Problem(
                safe_url(url),
                None,
                None,
                f"a database that cannot be read ({type(exc).__name__}: {exc.args[0]})",
                "a database reachable with this URL holding the dataset's tables "
                "(pprr to-sql DIR URL loads one)",
            )
        ) from exc
    finally:
        engine.dispose()
    missing = [s.name for s in all_tables() if s.name not in out]
    return out, missing


def fingerprint(url: str) -> str:
    """Hash of every table's text in the database (what a change to any cell changes)."""
    tables, missing = raw_tables(url)
    h = hashlib.sha256(("missing:" + ",".join(missing)).encode())
    for name in sorted(tables):
        frame = tables[name]
        h.update(name.encode() + b"\0" + frame.to_csv().encode("utf-8") + b"\0")
    return h.hexdigest()


def read_sql_tables(url: str) -> tuple[dict[str, pd.DataFrame], list[Problem], str]:
    """Read and type every table from the database at ``url`` (no cross-checks), as
    ``load.read_tables`` does for a folder: (tables, problems, the masked URL)."""
    from .load import _check_columns, _convert

    name = safe_url(url)
    raw, missing = raw_tables(url)
    problems: list[Problem] = []
    tables: dict[str, pd.DataFrame] = {}
    for spec in all_tables():
        where = f"{name}[{spec.name}]"
        if spec.name in missing:
            if spec.required:
                problems.append(
                    Problem(
                        name,
                        None,
                        None,
                        f"no table named {spec.name!r}",
                        f"expected a table {spec.name}: {spec.description}",
                    )
                )
            empty = pd.DataFrame({c: [] for c in spec.column_names})
            tables[spec.name] = _convert(empty, spec, where, problems)
            continue
        frame = raw[spec.name]
        if not _check_columns(frame, spec, where, problems):
            continue
        positions = frame.reset_index(drop=True)
        tables[spec.name] = _convert(positions, spec, where, problems)
    return tables, problems, name


def _portfolio_rows(path: Path) -> pd.DataFrame:
    """``portfolio.yml`` as key/value rows (``portfolio.portfolio_rows``: the one writer)."""
    from .portfolio import portfolio_rows

    return pd.DataFrame(portfolio_rows(path), columns=["key", "value"])


def write_sql(data_dir: str | Path, url: str, *, replace: bool = True) -> list[str]:
    """Load the (valid) data folder ``data_dir`` into the database at ``url``; the table names.

    The folder is validated first (``load_dataset``), so a database is never filled with bad
    data. Every cell is stored as the CSV's text; existing tables of the same names are
    replaced (``replace``) in one transaction.
    """
    from sqlalchemy import Integer, Text

    from .load import load_dataset

    folder = Path(data_dir)
    load_dataset(folder)  # raises DataError naming file, row and column
    frames: dict[str, pd.DataFrame] = {}
    for spec in all_tables():
        f = folder / f"{spec.name}.csv"
        if not f.is_file():
            continue
        frame = pd.read_csv(f, dtype=str, keep_default_na=False, encoding="utf-8")
        frame.insert(0, ROW, range(2, len(frame) + 2))
        frames[spec.name] = frame
    if (folder / "portfolio.yml").is_file():
        frames[PORTFOLIO_TABLE] = _portfolio_rows(folder / "portfolio.yml")
    engine = _engine(url)
    try:
        with engine.begin() as conn:
            for name, frame in frames.items():
                types = {c: (Integer() if c == ROW else Text()) for c in frame.columns}
                frame.to_sql(
                    name,
                    conn,
                    if_exists="replace" if replace else "fail",
                    index=False,
                    dtype=types,
                )
    finally:
        engine.dispose()
    return list(frames)


def read_sql_portfolio(url: str) -> Any:
    """The portfolio's settings from the database's ``portfolio`` table (``key``/``value``
    rows, as ``pprr to-sql`` writes ``portfolio.yml``); DataError naming the table when the
    database has none or they are not valid."""
    from .portfolio import portfolio_from_sheet

    name = safe_url(url)
    raw, _ = raw_tables(url)
    frame = raw.get(PORTFOLIO_TABLE)
    if frame is None:
        raise DataError(
            Problem(
                name,
                None,
                None,
                f"no table named {PORTFOLIO_TABLE!r}",
                "expected a portfolio table of key/value rows (pprr to-sql writes it from "
                "portfolio.yml)",
            )
        )
    return portfolio_from_sheet(frame[["key", "value"]], file=f"{name}[{PORTFOLIO_TABLE}]")
