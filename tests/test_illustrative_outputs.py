"""Illustrative (synthetic) data is labelled in the files beside the pages too.

``scorecard.csv`` and the ``pprr scorecard`` workbook of an illustrative portfolio
(examples/westbury, ``portfolio.yml`` ``illustrative: true``) say so when opened alone;
Stockport's real figures are written exactly as before (no marker column).
"""

from __future__ import annotations

import csv
import io
from contextlib import redirect_stdout
from pathlib import Path

import pytest
from openpyxl import load_workbook

from pprr_utils.batch.cli import main
from pprr_utils.batch.extras import ILLUSTRATIVE_COLUMN, is_illustrative, write_scorecard_csv
from pprr_utils.batch.workbook import ILLUSTRATIVE_NOTE, write_scorecard_workbook
from pprr_utils.dataset.load import load_dataset

ROOT = Path(__file__).resolve().parent.parent
WESTBURY = ROOT / "examples" / "westbury"


@pytest.fixture(scope="module")
def westbury():
    return load_dataset(WESTBURY)


def _rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


@pytest.mark.parametrize("public", [False, True])
def test_an_illustrative_scorecard_csv_says_so_on_every_row(westbury, tmp_path, public) -> None:
    assert is_illustrative(westbury)
    path = tmp_path / "scorecard.csv"
    write_scorecard_csv(westbury, "2024/25 Q3", path, public=public)
    header, rows = _rows(path)
    assert header[:2] == [ILLUSTRATIVE_COLUMN, "code"]  # the first thing a reader sees
    assert len(rows) == 6 and {r[ILLUSTRATIVE_COLUMN] for r in rows} == {"true"}


def test_a_real_scorecard_csv_has_no_marker(dataset, tmp_path) -> None:
    assert not is_illustrative(dataset)
    path = tmp_path / "scorecard.csv"
    write_scorecard_csv(dataset, "2021/22 Q2", path)
    header, rows = _rows(path)
    assert header[0] == "code" and ILLUSTRATIVE_COLUMN not in header
    assert rows


def test_pprr_scorecard_csv_marks_illustrative_data() -> None:
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["scorecard", "2024/25 Q2", "--data", str(WESTBURY)]) == 0
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert {r[ILLUSTRATIVE_COLUMN] for r in rows} == {"true"} and len(rows) == 6


def _sheet_text(path: Path, sheet: str) -> list[str]:
    wb = load_workbook(path)
    return [str(c.value) for row in wb[sheet].iter_rows() for c in row if c.value is not None]


def test_an_illustrative_workbook_says_so_on_its_cover_and_scorecard(westbury, tmp_path) -> None:
    path = write_scorecard_workbook(westbury, "2024/25 Q3", tmp_path / "card.xlsx")
    cover = _sheet_text(path, "Cover")
    assert cover[0].startswith("Illustrative data: Schools and Inclusion")
    assert f"{ILLUSTRATIVE_NOTE}." in cover
    assert "Made by pprr from the illustrative figures; no cell is a formula." in cover
    assert not [line for line in cover if "from the published" in line or "Report," in line]
    card = _sheet_text(path, "Scorecard")
    assert card[0].startswith("Illustrative data") and ILLUSTRATIVE_NOTE in card[1]


def test_a_real_workbook_is_not_called_illustrative(dataset, tmp_path) -> None:
    path = write_scorecard_workbook(dataset, "2023/24", tmp_path / "card.xlsx")
    text = " ".join(_sheet_text(path, "Cover") + _sheet_text(path, "Scorecard")[:3])
    assert "Illustrative" not in text and "Made by pprr from the published figures" in text
