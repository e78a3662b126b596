"""Figures read and checked for what they mean (issue 13): Excel percentage formats, invisible
characters, infinite figures never rated, the zero-target wording, a run that would build
nothing refused."""

from __future__ import annotations

import math
from pathlib import Path

import openpyxl
import pytest

from pprr_utils.batch import cli
from pprr_utils.dataset.load import load_dataset, write_excel
from pprr_utils.dataset.rating import rag_status, rate


def test_a_percentage_formatted_cell_is_the_percentage_shown(data_copy: Path, tmp_path: Path):
    """0.082 stored in a 0.0% cell shows 8.2%: the figure is 8.2, as if typed."""
    out = write_excel(data_copy, tmp_path / "data.xlsx")
    wb = openpyxl.load_workbook(out)
    ws = wb["values"]
    assert (ws["A4"].value, ws["B4"].value, ws["C4"].value) == ("CFSE.1", "2021/22 Q2", "8.2")
    ws["C4"] = 0.082
    ws["C4"].number_format = "0.0%"
    ws["C5"] = 51  # a plain number cell stays as stored
    wb.save(out)
    values = load_dataset(out).values
    assert values.at[2, "value"] == 8.2
    assert values.at[3, "value"] == 51


def test_a_formula_with_a_saved_result_reads_as_its_result(data_copy: Path, tmp_path: Path):
    """A formula Excel has saved the result of reads as the result (not an error)."""
    out = write_excel(data_copy, tmp_path / "data.xlsx")
    wb = openpyxl.load_workbook(out)
    wb["values"]["C2"] = "=8+0.2"
    wb.save(out)
    # openpyxl cannot compute; emulate Excel's saved result by editing the cached value
    import zipfile

    with zipfile.ZipFile(out) as z:
        files = {n: z.read(n) for n in z.namelist()}
    sheet = next(n for n in files if n.startswith("xl/worksheets/") and b"8+0.2" in files[n])
    files[sheet] = files[sheet].replace(b"<f>8+0.2</f><v />", b"<f>8+0.2</f><v>8.2</v>")
    assert b"<v>8.2</v>" in files[sheet]
    with zipfile.ZipFile(out, "w") as z:
        for n, b in files.items():
            z.writestr(n, b)
    assert load_dataset(out).values.at[0, "value"] == 8.2


def test_invisible_characters_are_removed_with_a_note(data_copy: Path):
    f = data_copy / "measures.csv"
    name = "Percentage of mothers smoking at delivery (number)"
    text = f.read_text(encoding="utf-8")
    f.write_text(text.replace(name, "\u202e" + name + "\u200b", 1), encoding="utf-8")
    ds = load_dataset(data_copy)
    assert name in ds.measures["name"].tolist()
    assert not ds.measures["name"].str.contains("\u202e|\u200b").any()
    notes = [str(n) for n in ds.notes if "invisible" in n.found]
    assert notes and notes[0].startswith("measures.csv:2:name: found invisible control")
    assert "U+200B" in notes[0] and "U+202E" in notes[0]


def test_an_infinite_figure_is_never_rated() -> None:
    assert rag_status(math.inf, 9.5, "low") == ""
    assert rag_status(-math.inf, 9.5, "low") == ""
    r = rate(math.inf, 9.5, "low", unit="percent")
    assert r.result == "" and "not a finite number" in r.reason
    assert "target of zero" not in r.reason


def test_the_zero_target_wording_is_for_a_zero_target_only() -> None:
    r = rate(3.0, 0.0, "low", unit="count")
    assert r.result == "red" and "a target of zero allows no shortfall" in r.reason
    r = rate(12.0, 9.5, "low", unit="percent")
    assert "a target of zero" not in r.reason


def test_run_refuses_data_that_would_build_nothing(data_copy: Path, tmp_path: Path, capsys):
    f = data_copy / "periods.csv"
    f.write_text(f.read_text(encoding="utf-8").split("\n", 1)[0] + "\n", encoding="utf-8")
    out = tmp_path / "reports"
    code = cli.main(["run", "--data", str(data_copy), "--out", str(out), "--quiet"])
    err = capsys.readouterr().err
    assert code != 0 and "periods.csv: found no rows" in err and "Traceback" not in err
    assert "ok in" not in err
    assert not (out / "index.html").exists()


@pytest.mark.parametrize("text", ["Stockport", "ﺏ Arabic text is fine", "Zoë"])
def test_ordinary_text_is_untouched(text: str, data_copy: Path) -> None:
    f = data_copy / "measures.csv"
    name = "Percentage of mothers smoking at delivery (number)"
    f.write_text(f.read_text(encoding="utf-8").replace(name, text, 1), encoding="utf-8")
    ds = load_dataset(data_copy)
    assert text in ds.measures["name"].tolist()
    assert not [n for n in ds.notes if "invisible" in n.found]
