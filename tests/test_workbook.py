"""The scorecard workbook (``pprr scorecard --out x.xlsx``): the Analysis Function's layout,
opened with openpyxl: cover, contents, notes and a named, frozen scorecard table, no formulas."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from pprr_utils.batch.cli import main
from pprr_utils.batch.workbook import COLUMNS, SHEETS, TABLE_NAME, write_scorecard_workbook
from pprr_utils.dataset.rating import ScoringRules
from pprr_utils.dataset.score import scorecard


def _table(ws) -> pd.DataFrame:
    ref = ws.tables[TABLE_NAME].ref
    rows = [[c.value for c in row] for row in ws[ref]]
    return pd.DataFrame(rows[1:], columns=rows[0])


@pytest.fixture(scope="module")
def internal(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wb") / "card.xlsx"
    assert main(["scorecard", "2023/24", "--out", str(out)]) == 0
    return out


def test_sheets_cover_and_contents(internal):
    wb = openpyxl.load_workbook(internal)
    assert wb.sheetnames == list(SHEETS)
    cover = [c.value for c in wb["Cover"]["A"] if c.value]
    text = "\n".join(cover)
    assert cover[0].startswith("Children, Families and Education")
    for item in ("Period: 2023/24", "Edition: Internal edition", "Source: Stockport Council"):
        assert item in text
    assert "Contact:" in text
    links = {
        c.value: c.hyperlink.location or c.hyperlink.target
        for c in wb["Contents"]["A"]
        if c.hyperlink
    }
    assert set(links) == {"Cover", "Notes", "Scorecard"}
    notes = [c.value for c in wb["Notes"]["A"]]
    assert {"note 1", "note 2", "note 3", "note 4", "note 5"} <= set(notes)


def test_scorecard_table_frozen_named_no_formulas_no_merges(internal, dataset):
    wb = openpyxl.load_workbook(internal)
    ws = wb["Scorecard"]
    assert list(ws.tables) == [TABLE_NAME]
    header_row = ws.tables[TABLE_NAME].ref.split(":")[0][1:]
    assert ws.freeze_panes == f"A{int(header_row) + 1}"
    for sheet in wb.worksheets:
        assert not sheet.merged_cells.ranges
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                assert not (isinstance(cell.value, str) and cell.value.startswith("="))
    t = _table(ws)
    assert list(t.columns) == [c[0] for c in COLUMNS]
    card = scorecard(dataset, "2023/24")
    assert len(t) == len(card)
    assert list(t["Measure code"]) == list(card["code"])
    # statuses and trends as words, with a fill; figures as numbers
    words = [(s or "not rated").capitalize() for s in card["status"]]
    assert list(t["Status [note 1]"]) == words
    status_col = [c[0] for c in COLUMNS].index("Status [note 1]") + 1
    for cell in ws.iter_cols(min_col=status_col, max_col=status_col, min_row=int(header_row) + 1):
        for c in cell:
            if c.value in ("Red", "Amber", "Green"):
                assert c.fill.fgColor.rgb.endswith(("F4C7C3", "FCE8B2", "B7E1CD"))
    figures = t["Figure (in the measure's unit)"]
    assert all(isinstance(v, (int, float)) or v == "[x]" for v in figures)
    shortfall = t["Shortfall (in the measure's unit) [note 3]"]
    rated = card["status"] != ""
    assert all(isinstance(v, (int, float)) for v in shortfall[rated.to_numpy()])
    # widths are set: no column left at Excel's default
    assert all(ws.column_dimensions[c].width >= 8 for c in "ABCDEFGHIJKLMNOPQRS")


def test_public_workbook_is_made_from_the_suppressed_data(tmp_path, dataset):
    out = write_scorecard_workbook(dataset, "2023/24", tmp_path / "public.xlsx", public=True)
    wb = openpyxl.load_workbook(out)
    t = _table(wb["Scorecard"])
    figures = t.set_index("Measure code")["Figure (in the measure's unit)"]
    assert figures["CFE.42"] == "[c]"  # a rate of a small count of children, suppressed
    internal = scorecard(dataset, "2023/24").set_index("code")
    assert isinstance(internal.at["CFE.42", "value"], float)  # shown in the internal edition
    cover = "\n".join(c.value for c in wb["Cover"]["A"] if c.value)
    assert "Public edition" in cover and "[c]" in cover
    assert any("[c] confidential" in str(c.value) for c in wb["Notes"]["B"])


def test_non_default_rules_on_the_cover_and_statuses(tmp_path, dataset):
    rules = ScoringRules(amber_tolerance=0.10)
    out = tmp_path / "ten.xlsx"
    assert main(["scorecard", "2023/24", "--out", str(out), "--amber-tolerance", "0.10"]) == 0
    wb = openpyxl.load_workbook(out)
    cover = "\n".join(c.value for c in wb["Cover"]["A"] if c.value)
    assert "Scored with non-default rules: amber within 10% of target" in cover
    t = _table(wb["Scorecard"])
    card = scorecard(dataset, "2023/24", rules=rules)
    assert list(t["Status [note 1]"]) == [(s or "not rated").capitalize() for s in card["status"]]


def test_hostile_text_stays_text(tmp_path, dataset):
    import copy

    ds = copy.copy(dataset)
    ds.tables = dict(dataset.tables)
    m = ds.tables["measures"].copy()
    m.loc[m["code"] == "CFE.1", "name"] = '=HYPERLINK("http://x","y")'
    ds.tables["measures"] = m
    out = write_scorecard_workbook(ds, "2023/24", tmp_path / "h.xlsx")
    ws = openpyxl.load_workbook(out)["Scorecard"]
    cells = [c for row in ws.iter_rows() for c in row if c.value == '=HYPERLINK("http://x","y")']
    assert cells and all(c.data_type == "s" for c in cells)
