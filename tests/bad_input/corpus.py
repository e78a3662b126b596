"""The bad-input corpus: each builder copies ``data/`` into a folder and breaks one thing.

Every case is named for what it exercises and knows the problem it must produce: the file,
row and column, a fragment of what was found and of what was expected. ``write_corpus(dest)``
writes them all (``python tests/bad_input/corpus.py OUT_DIR``) for trying ``pprr validate``
by hand. The defects are made by code from the real files, so the corpus follows the data.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "data"


@dataclass(frozen=True)
class Case:
    """One malformed dataset and the problem it must be reported with."""

    name: str
    build: Callable[[Path], Path]  # folder to write into -> dataset location (folder or .xlsx)
    file: str  # as the problem names it, e.g. values.csv or data.xlsx[values]
    row: int | None
    column: str | None
    found: str  # a fragment of what the message says was found
    expected: str  # a fragment of what it says was expected


def copy_data(dest: Path) -> Path:
    """A fresh copy of the CSV tables of ``data/`` in ``dest``."""
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    for f in [*DATA.glob("*.csv"), DATA / "portfolio.yml"]:
        shutil.copy(f, dest / f.name)
    return dest


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    if old not in text:
        raise AssertionError(f"{path.name}: {old!r} not found; has data/ changed?")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line_of(path: Path, start: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if line.startswith(start))


def truncated_csv(dest: Path) -> Path:
    """values.csv cut off part-way through row 41, before any quoted field (a failed copy)."""
    d = copy_data(dest)
    f = d / "values.csv"
    lines = f.read_bytes().split(b"\n")
    f.write_bytes(b"\n".join(lines[:40]) + b"\n" + lines[40].split(b",")[0] + b",20")
    return d


def truncated_in_quotes(dest: Path) -> Path:
    """values.csv cut off inside the quoted ``source`` of row 41."""
    d = copy_data(dest)
    f = d / "values.csv"
    lines = f.read_bytes().split(b"\n")
    f.write_bytes(b"\n".join(lines[:40]) + b"\n" + lines[40][: lines[40].index(b'"') + 8])
    return d


def cp1252_encoding(dest: Path) -> Path:
    """commentary.csv saved from Excel as 'CSV' (Windows-1252): a curly apostrophe is 0x92."""
    d = copy_data(dest)
    f = d / "commentary.csv"
    text = f.read_text(encoding="utf-8")
    row = _line_of(f, "2021/22 Q2,CFSE.1,")
    text = text.replace("Stockport performed", "Stockport’s mothers performed", 1)
    f.write_bytes(text.encode("cp1252", errors="replace"))
    assert row == 2, row
    return d


def merged_header_xlsx(dest: Path) -> Path:
    """An .xlsx whose values sheet has the header cells C1:D1 (value, count) merged."""
    import openpyxl

    from pprr_utils.dataset.load import write_excel

    dest.mkdir(parents=True, exist_ok=True)
    out = dest / "data.xlsx"
    write_excel(DATA, out)
    wb = openpyxl.load_workbook(out)
    wb["values"].merge_cells("C1:D1")
    wb.save(out)
    return out


def comma_decimal_percent(dest: Path) -> Path:
    """A value typed as ``12,5%`` (decimal comma and a percent sign) in values.csv row 2."""
    d = copy_data(dest)
    _replace(d / "values.csv", "CFSE.1,2019/20,9.1,", 'CFSE.1,2019/20,"12,5%",')
    return d


def future_period(dest: Path) -> Path:
    """A value for 2099/00, a year that has not started, in values.csv row 2."""
    d = copy_data(dest)
    _replace(d / "values.csv", "CFSE.1,2019/20,", "CFSE.1,2099/00,")
    return d


def negative_count(dest: Path) -> Path:
    """A count of -248 children in values.csv row 2."""
    d = copy_data(dest)
    _replace(d / "values.csv", "CFSE.1,2019/20,9.1,248,", "CFSE.1,2019/20,9.1,-248,")
    return d


def unknown_priority(dest: Path) -> Path:
    """Measure CFSE.1 (measures.csv row 2) filed under priority 9 of a framework with 1-5."""
    d = copy_data(dest)
    f = d / "measures.csv"
    lines = f.read_text(encoding="utf-8").split("\n")
    cells = lines[1].split(",")
    assert cells[1] == "CFSE.1" and cells[5] == "1", cells[:6]
    cells[5] = "9"
    lines[1] = ",".join(cells)
    f.write_text("\n".join(lines), encoding="utf-8")
    return d


CASES: tuple[Case, ...] = (
    Case("truncated_csv", truncated_csv, "values.csv", 41, None, "no line end", "truncated"),
    Case(
        "truncated_in_quotes",
        truncated_in_quotes,
        "values.csv",
        41,
        None,
        "inside a quoted field",
        "truncated",
    ),
    Case("cp1252_encoding", cp1252_encoding, "commentary.csv", 2, None, "0x92", "UTF-8"),
    Case(
        "merged_header_xlsx",
        merged_header_xlsx,
        "data.xlsx[values]",
        1,
        None,
        "merged header cells C1:D1",
        "one column name per cell",
    ),
    Case(
        "comma_decimal_percent",
        comma_decimal_percent,
        "values.csv",
        2,
        "value",
        "'12,5%'",
        "a point for decimals, no % or commas",
    ),
    Case("future_period", future_period, "values.csv", 2, "period", "2099/00", "has started"),
    Case("negative_count", negative_count, "values.csv", 2, "count", "-248", "at least 0"),
    Case(
        "unknown_priority",
        unknown_priority,
        "measures.csv",
        2,
        "priority",
        "priority 9",
        "[1, 2, 3, 4, 5]",
    ),
)


def write_corpus(dest: Path) -> list[Path]:
    """Write every case into ``dest/<name>``; returns the dataset locations."""
    return [case.build(dest / case.name) for case in CASES]


if __name__ == "__main__":  # pragma: no cover
    for p in write_corpus(Path(sys.argv[1] if len(sys.argv) > 1 else "bad_input_corpus")):
        print(p)
