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


# ------------------------------------------------ issue 13: figures checked for what they mean


def _value(old: str, new: str) -> Callable[[Path], Path]:
    """A builder replacing the first ``old`` by ``new`` in values.csv."""

    def build(dest: Path) -> Path:
        d = copy_data(dest)
        _replace(d / "values.csv", old, new)
        return d

    return build


def _in(name: str, old: str, new: str) -> Callable[[Path], Path]:
    """A builder replacing the first ``old`` by ``new`` in ``name``."""

    def build(dest: Path) -> Path:
        d = copy_data(dest)
        _replace(d / name, old, new)
        return d

    return build


CFSE1 = "CFSE.1,2019/20,9.1,"  # values.csv row 2: a percentage (9.1%)
RATE = "CFSE.62,2019/20,26.4,"  # a rate per 1,000
RATE_ROW = _line_of(DATA / "values.csv", RATE)


def case_twin_measure(dest: Path) -> Path:
    """measures.csv with a copy of CFSE.1's row spelt ``cfse.1`` at the end."""
    d = copy_data(dest)
    f = d / "measures.csv"
    lines = f.read_text(encoding="utf-8").rstrip("\n").split("\n")
    lines.append(lines[1].replace(",CFSE.1,CFSE.1,", ",cfse.1,cfse.1,", 1))
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return d


CASE_TWIN_ROW = (
    len((DATA / "measures.csv").read_text(encoding="utf-8").rstrip("\n").split("\n")) + 1
)


def formula_without_result_xlsx(dest: Path) -> Path:
    """A workbook whose values!C2 (CFSE.1's 9.1) is the formula ``=8+0.2``, saved by a
    program (no cached result)."""
    import openpyxl

    from pprr_utils.dataset.load import write_excel

    dest.mkdir(parents=True, exist_ok=True)
    out = write_excel(DATA, dest / "data.xlsx")
    wb = openpyxl.load_workbook(out)
    assert wb["values"]["C1"].value == "value"
    wb["values"]["C2"] = "=8+0.2"
    wb.save(out)
    return out


def values_as_a_folder(dest: Path) -> Path:
    """values.csv is a folder (an unzip gone wrong)."""
    d = copy_data(dest)
    (d / "values.csv").unlink()
    (d / "values.csv").mkdir()
    return d


def _header_only(name: str) -> Callable[[Path], Path]:
    def build(dest: Path) -> Path:
        d = copy_data(dest)
        f = d / name
        f.write_text(f.read_text(encoding="utf-8").split("\n", 1)[0] + "\n", encoding="utf-8")
        return d

    return build


def period_without_figures(dest: Path) -> Path:
    """values.csv without any 2021/22 Q2 row (periods.csv row 2 still lists the period)."""
    d = copy_data(dest)
    f = d / "values.csv"
    lines = f.read_text(encoding="utf-8").split("\n")
    f.write_text("\n".join(x for x in lines if ",2021/22 Q2," not in x), encoding="utf-8")
    return d


def framework_without_measures(dest: Path) -> Path:
    """2021/22 Q2 (periods.csv row 2) uses framework 2022/23, which has a priority but no
    measures."""
    d = copy_data(dest)
    _replace(d / "periods.csv", "2021/22 Q2,2021/22,", "2021/22 Q2,2022/23,")
    with open(d / "priorities.csv", "a", encoding="utf-8") as fh:
        fh.write("2022/23,1,A priority,,,illustrative\n")
    return d


def too_many_measures(dest: Path) -> Path:
    """Framework 2021/22 (periods.csv row 2) with 2,001 more ILLUSTRATIVE measures (generated)."""
    d = copy_data(dest)
    f = d / "measures.csv"
    first = f.read_text(encoding="utf-8").split("\n")[1]
    extra = [
        first.replace(",CFSE.1,CFSE.1,CFE.1,", f",ILL.{i},ILL.{i},ILL.{i},", 1)
        for i in range(2_001)
    ]
    with open(f, "a", encoding="utf-8") as fh:
        fh.write("\n".join(extra) + "\n")
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

ISSUE_13: tuple[Case, ...] = (
    Case(
        "infinite_value",
        _value(CFSE1, "CFSE.1,2019/20,1e400,"),
        "values.csv",
        2,
        "value",
        "'1e400', a number too large",
        "a finite number",
    ),
    Case(
        "negative_infinite_value",
        _value(CFSE1, "CFSE.1,2019/20,-1e400,"),
        "values.csv",
        2,
        "value",
        "'-1e400', a number too large",
        "a finite number",
    ),
    Case(
        "inf_text",
        _value(CFSE1, "CFSE.1,2019/20,inf,"),
        "values.csv",
        2,
        "value",
        "'inf'",
        "a point for decimals",
    ),
    Case(
        "nan_text",
        _value(CFSE1, "CFSE.1,2019/20,NaN,"),
        "values.csv",
        2,
        "value",
        "'NaN'",
        "a point for decimals",
    ),
    Case(
        "percent_over_100",
        _value(CFSE1, "CFSE.1,2019/20,250,"),
        "values.csv",
        2,
        "value",
        "250 for CFSE.1 (percent)",
        "a percentage from 0 to 100",
    ),
    Case(
        "negative_percent",
        _value(CFSE1, "CFSE.1,2019/20,-5,"),
        "values.csv",
        2,
        "value",
        "-5 for CFSE.1 (percent)",
        "a percentage from 0 to 100",
    ),
    Case(
        "negative_rate",
        _value(RATE, "CFSE.62,2019/20,-26.4,"),
        "values.csv",
        RATE_ROW,
        "value",
        "-26.4 for CFSE.62 (rate per 1,000)",
        "never negative",
    ),
    Case(
        "percentage_as_a_fraction",
        _value("CFSE.2,2019/20,51,", "CFSE.2,2019/20,0.51,"),
        "values.csv",
        5,
        "value",
        "0.51 for CFSE.2, about 101 times away",
        "a percentage typed as a fraction",
    ),
    Case(
        "negative_percent_target",
        _in("targets.csv", "CFSE.1,2021/22,numerical,9.5,", "CFSE.1,2021/22,numerical,-9.5,"),
        "targets.csv",
        2,
        "value",
        "-9.5 for CFSE.1",
        "from 0 to 100",
    ),
    Case(
        "day_first_date",
        _in("periods.csv", ",2021-11-16,", ",16/11/2021,"),
        "periods.csv",
        2,
        "date",
        "'16/11/2021'",
        "YYYY-MM-DD",
    ),
    Case(
        "ambiguous_date",
        _in("periods.csv", ",2021-11-16,", ",05/11/2021,"),
        "periods.csv",
        2,
        "date",
        "'05/11/2021'",
        "could be May or November",
    ),
    Case(
        "lower_case_code",
        _value(CFSE1, "cfse.1,2019/20,9.1,"),
        "values.csv",
        2,
        "code",
        "unknown code 'cfse.1'",
        "did you mean 'CFSE.1'?",
    ),
    Case(
        "case_twin_measure",
        case_twin_measure,
        "measures.csv",
        CASE_TWIN_ROW,
        "code",
        "'cfse.1' differs from 'CFSE.1' only in case",
        "did you mean 'CFSE.1'?",
    ),
    Case(
        "formula_without_result_xlsx",
        formula_without_result_xlsx,
        "data.xlsx[values]",
        2,
        "value",
        "a formula (=8+0.2) with no saved result",
        "a typed value",
    ),
    Case(
        "huge_sequence_number",
        _in("commentary.csv", "2021/22 Q2,CFSE.1,1,", "2021/22 Q2,CFSE.1,99999999999999999999999,"),
        "commentary.csv",
        2,
        "seq",
        "'99999999999999999999999'",
        "at most 9,223,372,036,854,775,807",
    ),
    Case(
        "impossible_period",
        _value(CFSE1, "CFSE.1,0999/00,9.1,"),
        "values.csv",
        2,
        "period",
        "'0999/00'",
        "period such as 2021/22",
    ),
    Case(
        "values_as_a_folder",
        values_as_a_folder,
        "values.csv",
        None,
        None,
        "found a folder",
        "values.csv to be a CSV file",
    ),
    Case(
        "header_only_values",
        _header_only("values.csv"),
        "values.csv",
        None,
        None,
        "no rows (only the header)",
        "at least one row",
    ),
    Case(
        "header_only_periods",
        _header_only("periods.csv"),
        "periods.csv",
        None,
        None,
        "no rows (only the header)",
        "at least one row",
    ),
    Case(
        "period_without_figures",
        period_without_figures,
        "periods.csv",
        2,
        "period",
        "2021/22 Q2 has no figures",
        "values of its framework's measures",
    ),
    Case(
        "framework_without_measures",
        framework_without_measures,
        "periods.csv",
        2,
        "framework",
        "framework 2022/23 has no measures",
        "a framework with measures",
    ),
    Case(
        "target_for_an_unknown_year",
        _in("targets.csv", "CFSE.1,2021/22,numerical,", "CFSE.1,2015/16,numerical,"),
        "targets.csv",
        2,
        "year",
        "a target for 2015/16",
        "expected one of",
    ),
)

ISSUE_13 += (
    Case(
        "too_many_measures_for_a_page",
        too_many_measures,
        "periods.csv",
        2,
        "framework",
        "framework 2021/22 has 2,026 measures",
        "at most 2,000 measures",
    ),
)

CASES = CASES + ISSUE_13


def write_corpus(dest: Path) -> list[Path]:
    """Write every case into ``dest/<name>``; returns the dataset locations."""
    return [case.build(dest / case.name) for case in CASES]


if __name__ == "__main__":  # pragma: no cover
    for p in write_corpus(Path(sys.argv[1] if len(sys.argv) > 1 else "bad_input_corpus")):
        print(p)
