"""Load the dataset from a folder of CSV files or one Excel workbook, validated on every load."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import workbook
from .checks import cell_problems, cell_text, invisible_notes, parse, typed
from .errors import DataError, ParameterError, Problem
from .locations import default_data_dir as default_data_dir
from .portfolio import FILE as PORTFOLIO_FILE
from .portfolio import SHEET as PORTFOLIO_SHEET
from .portfolio import Portfolio, portfolio_rows, read_portfolio
from .schema import Table, all_tables
from .tables import Column
from .writing import restore_frame


@dataclass
class Dataset:
    """The dataset's typed tables, by name, plus the notes validation left (rounding, etc.)."""

    tables: dict[str, pd.DataFrame]
    location: str
    notes: list[Problem] = field(default_factory=list)
    #: the portfolio's settings (``portfolio.yml``); None for a dataset made in code
    portfolio: Portfolio | None = None

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(name)


def _convert(raw: pd.DataFrame, spec: Table, fname: str, problems: list[Problem]) -> pd.DataFrame:
    """Type each column per ``spec``; collect a Problem for every bad cell (``checks``)."""
    text = cell_text(raw, spec)
    problems += invisible_notes(raw, spec, fname)
    parsed = parse(text, spec)
    problems += cell_problems(text, spec, fname, parsed)
    return typed(text, spec, parsed)


def read_csv_table(path: Path, spec: Table, problems: list[Problem]) -> pd.DataFrame | None:
    """Read one CSV as text, check its header; None when it cannot be read at all."""
    fname = path.name
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
        if _may_be_neutralised(path):
            raw = restore_frame(raw)
    except IsADirectoryError:
        problems.append(
            Problem(fname, None, None, "found a folder", f"expected {fname} to be a CSV file")
        )
        return None
    except PermissionError:
        problems.append(
            Problem(
                fname,
                None,
                None,
                "a file that cannot be read (permission denied)",
                "expected a readable CSV file (check its permissions)",
            )
        )
        return None
    except UnicodeDecodeError:
        data = path.read_bytes()
        try:
            data.decode("utf-8")
            start = 0
        except UnicodeDecodeError as exc:  # the position in the whole file, not pandas' chunk
            start = exc.start
        line = data.count(b"\n", 0, start) + 1
        byte = data[start]
        problems.append(
            Problem(
                fname,
                line,
                None,
                f"found byte 0x{byte:02x}, which is not UTF-8 (saved as Windows-1252 or Latin-1?)",
                "expected a UTF-8 encoded CSV file",
            )
        )
        return None
    except pd.errors.EmptyDataError:
        problems.append(
            Problem(
                fname,
                None,
                None,
                "found an empty file",
                "expected a header row: " + ",".join(spec.column_names),
            )
        )
        return None
    except pd.errors.ParserError as exc:
        message = str(exc)
        m = re.search(r"EOF inside string starting at row (\d+)", message)
        if m:  # pandas counts rows from 0 at the header
            problems.append(
                Problem(
                    fname,
                    int(m.group(1)) + 1,
                    None,
                    "found a row that ends inside a quoted field",
                    "expected a complete file (was it truncated?)",
                )
            )
        else:
            problems.append(
                Problem(
                    fname,
                    _parser_row(message),
                    None,
                    _malformed(message),
                    "expected every row to have the header's columns (a text with a comma in "
                    'it, such as "rate per 100,000", goes in double quotes)',
                )
            )
        return None
    return raw


def _malformed(message: str) -> str:
    """What the CSV reader found, in words ("found a row of 9 fields where the header has
    8"), without the reader's own wording when it says how many fields it saw."""
    m = re.search(r"Expected (\d+) fields in line \d+, saw (\d+)", message)
    if m:
        return f"found a row of {m.group(2)} fields where the header has {m.group(1)}"
    return f"found a malformed CSV row ({message.strip()})".replace("\n", " ")


def _may_be_neutralised(path: Path) -> bool:
    """Whether some field of the CSV may start with an apostrophe (``writing.neutralise_text``):
    a quick look at the bytes, so that most files are not restored cell by cell."""
    data = path.read_bytes()
    return data.startswith(b"'") or any(m in data for m in (b",'", b"\n'", b"\"'"))


def _parser_row(message: str) -> int | None:
    m = re.search(r"line (\d+)", message)
    return int(m.group(1)) if m else None


def _expected_columns(spec: Table) -> str:
    text = ", ".join(spec.required_columns)
    optional = spec.optional_columns
    return text + (f" (optional: {', '.join(optional)})" if optional else "")


def _check_columns(raw: pd.DataFrame, spec: Table, fname: str, problems: list[Problem]) -> bool:
    """Check the header; fill each optional column the file leaves out (``Column.default``)."""
    cols = [str(c).strip() for c in raw.columns]
    raw.columns = cols
    ok = True
    for col in spec.columns:
        c = col.name
        if c in cols:
            if col.optional and col.required and (col.default or col.default_from):
                _fill_blanks(raw, col)  # a blank cell is as if the column were left out
            continue
        if col.optional:
            if col.default_from and col.default_from in cols:
                raw[c] = raw[col.default_from]
            else:
                raw[c] = col.default
            continue
        problems.append(
            Problem(fname, 1, c, "column missing", "expected columns: " + _expected_columns(spec))
        )
        ok = False
    for c in cols:
        if c not in spec.column_names:
            hint = (
                "an 'Unnamed' header usually means merged or blank header cells"
                if c.startswith("Unnamed")
                else "remove it or rename it"
            )
            problems.append(
                Problem(
                    fname,
                    1,
                    c,
                    f"unexpected column {c!r}",
                    f"expected only: {', '.join(spec.column_names)} ({hint})",
                )
            )
            ok = False
    return ok


def _fill_blanks(raw: pd.DataFrame, col: Column) -> None:
    """Give the blank cells of the optional column ``col`` its default (or the cell of the
    column it defaults to): ``aggregation`` left blank for one measure is ``snapshot``."""
    cells = raw[col.name]
    blank = cells.isna() | (cells.astype(str).str.strip() == "")
    if not blank.any():
        return
    if col.default_from and col.default_from in raw.columns:
        raw.loc[blank, col.name] = raw.loc[blank, col.default_from]
    else:
        raw.loc[blank, col.name] = col.default


def _truncation(path: Path, problems: list[Problem]) -> None:
    """A CSV whose last line lacks a newline and has too few fields looks truncated."""
    try:
        data = path.read_bytes()
    except OSError:  # a folder or an unreadable file: read_csv_table says which
        return
    if data and not data.endswith(b"\n"):
        last = data.rsplit(b"\n", 1)[-1]
        header = data.split(b"\n", 1)[0]
        if last.count(b",") < header.count(b","):
            line = data.count(b"\n") + 1
            problems.append(
                Problem(
                    path.name,
                    line,
                    None,
                    "a last row with fewer fields than the header and no line end",
                    "expected a complete file (was it truncated?)",
                )
            )


def read_tables(location: str | Path) -> tuple[dict[str, pd.DataFrame], list[Problem], str]:
    """Read and type every table from a folder of CSVs, an .xlsx workbook or a database URL
    (no cross-checks)."""
    from .sql import is_url, read_sql_tables

    if is_url(location):
        return read_sql_tables(str(location))
    path = Path(location)
    problems: list[Problem] = []
    tables: dict[str, pd.DataFrame] = {}
    specs = all_tables()
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        if not path.exists():
            raise DataError(
                Problem(
                    str(path),
                    None,
                    None,
                    "no such workbook",
                    "expected an .xlsx file with one sheet per table",
                )
            )
        try:
            sheets = pd.read_excel(
                path, sheet_name=None, dtype=str, keep_default_na=False, engine="openpyxl"
            )
        except Exception as exc:  # noqa: BLE001 - any unreadable workbook is one problem
            raise DataError(
                Problem(
                    path.name,
                    None,
                    None,
                    f"an unreadable workbook ({exc})",
                    "expected an .xlsx file",
                )
            ) from exc
        names = {s.name for s in specs} | {PORTFOLIO_SHEET}
        numeric = {s.name: {c.name for c in s.columns if c.kind in ("float", "int")} for s in specs}
        merged, marked = workbook.scan(path, numeric)
        problems += merged
        for sheet in sheets:
            if sheet not in names:
                problems.append(
                    Problem(
                        path.name,
                        None,
                        None,
                        f"sheet {sheet!r}",
                        "expected sheet names: " + ", ".join(sorted(names)),
                    )
                )
        for spec in specs:
            fname = f"{path.name}[{spec.name}]"
            if spec.name not in sheets:
                if spec.required:
                    problems.append(
                        Problem(
                            path.name,
                            None,
                            None,
                            f"no sheet named {spec.name!r}",
                            "expected one sheet per table: "
                            + ", ".join(s.name for s in specs if s.required)
                            + " (and any optional tables)",
                        )
                    )
                tables[spec.name] = _convert(
                    pd.DataFrame({c: [] for c in spec.column_names}), spec, fname, problems
                )
                continue
            raw = sheets[spec.name].astype(str)
            if not _check_columns(raw, spec, fname, problems):
                continue
            sheet = marked.get(spec.name, workbook.SheetCells())
            raw = workbook.apply_percent(raw, sheet)
            formulas, cells = workbook.formula_problems(raw, sheet, fname)
            found: list[Problem] = []
            tables[spec.name] = _convert(raw, spec, fname, found)
            problems += formulas + [p for p in found if (p.row, p.column) not in cells]
        return tables, problems, path.name
    if not path.is_dir():
        raise DataError(
            Problem(
                str(path),
                None,
                None,
                "no such folder",
                "expected a folder of CSV files or an .xlsx workbook",
            )
        )
    for spec in specs:
        file = path / f"{spec.name}.csv"
        if not file.exists():
            if spec.required:
                problems.append(
                    Problem(
                        file.name,
                        None,
                        None,
                        "file missing",
                        f"expected {spec.name}.csv: {spec.description}",
                    )
                )
            tables[spec.name] = _convert(
                pd.DataFrame({c: [] for c in spec.column_names}), spec, file.name, problems
            )
            continue
        _truncation(file, problems)
        raw = read_csv_table(file, spec, problems)
        if raw is None or not _check_columns(raw, spec, file.name, problems):
            continue
        tables[spec.name] = _convert(raw, spec, file.name, problems)
    return tables, problems, str(path)


def check_dataset(
    location: str | Path | None = None, *, validate: bool = True
) -> tuple[Dataset, list[Problem], bool]:
    """Read every table and the portfolio's settings, then (when nothing stops the read and
    ``validate``) run the cross-table checks: ``(dataset, every problem found, whether the
    read succeeded)``. ``load_dataset`` and ``pprr validate`` both use this one path."""
    from .sql import is_url
    from .validate import validate_tables

    if is_url(location):  # a database: tables named like the files (dataset/sql.py)
        from .sql import read_sql_portfolio, read_sql_tables

        tables, problems, name = read_sql_tables(str(location))
        sheets = name
        reader = read_sql_portfolio
    else:
        loc = Path(location) if location is not None else default_data_dir()
        tables, problems, name = read_tables(loc)
        sheets = loc.name if loc.suffix.lower() in (".xlsx", ".xlsm") else None
        location, reader = loc, read_portfolio
    try:
        portfolio = reader(location)
    except DataError as exc:
        portfolio = None
        problems = exc.problems + problems
    read_ok = not any(p.severity == "error" for p in problems)
    if validate and read_ok:
        problems = problems + validate_tables(tables, xlsx=sheets, portfolio=portfolio)
    notes = [p for p in problems if p.severity != "error"]
    return Dataset(tables, name, notes, portfolio), problems, read_ok


def load_dataset(location: str | Path | None = None, *, validate: bool = True) -> Dataset:
    """Load every table as typed DataFrames; raise DataError listing all problems.

    ``location`` is a folder of CSV files or an ``.xlsx`` workbook with one sheet per
    table (the same names); both load to identical frames. Defaults to ``default_data_dir()``.
    """
    from .sql import is_url, safe_url

    label = (
        safe_url(str(location))
        if is_url(location)
        else (Path(location) if location is not None else default_data_dir()).name
    )
    ds, problems, read_ok = check_dataset(location, validate=validate)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        context = (
            f"the dataset in {label} is not valid"
            if read_ok
            else (f"cannot load the dataset from {label}")
        )
        raise DataError(errors, context)
    return ds


def write_excel(dataset_dir: str | Path, out: str | Path) -> Path:
    """Write the CSV folder as one workbook, one sheet per table (text cells, as in the CSVs).

    Every CSV is read (and checked readable) before anything is written; the workbook is
    written atomically with every text cell a string cell (never a formula), so a failure
    leaves any previous workbook at ``out`` whole. Raises DataError naming the file.
    """
    from .writing import write_xlsx

    src = Path(dataset_dir)
    out = Path(out)
    if out.suffix.lower() != ".xlsx":
        raise ParameterError(
            f"{str(out)!r}: expected a workbook name ending in .xlsx, such as data.xlsx "
            "(to-excel writes only workbooks; nothing was written)"
        )
    if not src.is_dir():
        raise DataError(
            Problem(str(src), None, None, "no such folder", "expected the folder of CSV files"),
            f"nothing written to {out.name}",
        )
    problems: list[Problem] = []
    sheets: dict[str, pd.DataFrame] = {}
    for spec in all_tables():
        f = src / f"{spec.name}.csv"
        if not f.exists():
            continue
        raw = read_csv_table(f, spec, problems)
        if raw is not None:
            sheets[spec.name] = raw
    if not sheets and not problems:
        problems.append(
            Problem(
                str(src),
                None,
                None,
                "no table files",
                "expected CSV files such as values.csv and measures.csv",
            )
        )
    settings = src / PORTFOLIO_FILE
    if settings.is_file():  # the portfolio's settings as the workbook's portfolio sheet
        sheets = {
            PORTFOLIO_SHEET: pd.DataFrame(portfolio_rows(settings), columns=["key", "value"]),
            **sheets,
        }
    if problems:
        raise DataError(problems, f"nothing written to {out.name}")
    return write_xlsx(sheets, out)
