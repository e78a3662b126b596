"""Loading: CSV and Excel give identical frames; each class of bad input gets a clear message."""

import pandas as pd
import pytest

from pprr_utils.dataset.errors import DataError
from pprr_utils.dataset.load import load_dataset, write_excel
from pprr_utils.dataset.schema import Column, SumCheck, Table
from pprr_utils.dataset.validate import validate_tables


def _edit(path, old, new, count=1):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _line_of(path, needle):
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return n
    raise AssertionError(needle)


def _load_error(folder, name, line, old, new):
    """Edit ``old`` into ``new`` in ``folder/name``, load: (the number of the line holding
    ``line`` before the edit, the DataError's text)."""
    f = folder / name
    row = _line_of(f, line)
    _edit(f, old, new)
    with pytest.raises(DataError) as exc:
        load_dataset(folder)
    return row, str(exc.value)


def test_real_data_loads_typed(dataset):
    v = dataset.values
    assert v["value"].dtype == "float64"
    assert dataset.measures["priority"].dtype == "int64"
    assert dataset.measures["headline"].dtype == bool
    assert set(dataset.periods["period"]) == {"2021/22 Q2", "2023/24"}


def test_csv_and_excel_load_identically(data_copy, tmp_path):
    xlsx = write_excel(data_copy, tmp_path / "data.xlsx")
    a, b = load_dataset(data_copy), load_dataset(xlsx)
    assert a.tables.keys() == b.tables.keys()
    for name in a.tables:
        pd.testing.assert_frame_equal(a.tables[name], b.tables[name], check_exact=True)


def test_malformed_cell_names_file_row_column(data_copy):
    old = "CFSE.1,2019/20,9.1,"
    row, text = _load_error(data_copy, "values.csv", old, old, "CFSE.1,2019/20,12,5%,")
    assert f"values.csv:{row}" in text


def test_bad_number_in_value_column(data_copy):
    old = "CFSE.1,2019/20,9.1,"
    row, text = _load_error(data_copy, "values.csv", old, old, "CFSE.1,2019/20,9.1%,")
    assert f"values.csv:{row}:value: found '9.1%', expected number" in text


def test_unknown_code(data_copy):
    old = "CFSE.1,2019/20,"
    row, text = _load_error(data_copy, "values.csv", old, old, "CFSE.999,2019/20,")
    assert (
        f"values.csv:{row}:code: unknown code 'CFSE.999', expected a code listed in measures"
        in text
    )


def test_duplicate_key(data_copy):
    f = data_copy / "targets.csv"
    lines = f.read_text(encoding="utf-8").splitlines()
    f.write_text("\n".join(lines + [lines[1]]) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as exc:
        load_dataset(data_copy)
    assert f"targets.csv:{len(lines) + 1}:year: duplicate key" in str(exc.value)
    assert "first seen on row 2" in str(exc.value)


def test_missing_column(data_copy):
    f = data_copy / "measures.csv"
    df = pd.read_csv(f, dtype=str, keep_default_na=False).drop(columns=["polarity"])
    df.to_csv(f, index=False)
    with pytest.raises(DataError) as exc:
        load_dataset(data_copy)
    assert "measures.csv:1:polarity: column missing" in str(exc.value)


def test_missing_file(data_copy):
    (data_copy / "targets.csv").unlink()
    with pytest.raises(DataError, match="targets.csv: file missing"):
        load_dataset(data_copy)


def test_wrong_sheet_name(data_copy, tmp_path):
    xlsx = write_excel(data_copy, tmp_path / "data.xlsx")
    from openpyxl import load_workbook

    wb = load_workbook(xlsx)
    wb["values"].title = "Values Q2"
    wb.save(xlsx)
    with pytest.raises(DataError) as exc:
        load_dataset(xlsx)
    text = str(exc.value)
    assert "sheet 'Values Q2'" in text and "no sheet named 'values'" in text


def test_allowed_values(data_copy):
    _edit(data_copy / "measures.csv", ",high,", ",High is good,")
    with pytest.raises(DataError, match="expected one of high, low, none"):
        load_dataset(data_copy)


def test_all_problems_reported_at_once(data_copy):
    _edit(data_copy / "values.csv", "CFSE.1,2019/20,9.1,", "CFSE.1,2019/20,x,")
    _edit(data_copy / "targets.csv", ",numerical,", ",numeric,")
    with pytest.raises(DataError) as exc:
        load_dataset(data_copy)
    assert len(exc.value.problems) >= 2


def test_future_period_and_negative_count(data_copy):
    _edit(data_copy / "values.csv", "CFSE.1,2019/20,9.1,248", "CFSE.1,2099/00,9.1,-248")
    with pytest.raises(DataError) as exc:
        load_dataset(data_copy)
    text = str(exc.value)
    assert "expected a number of at least 0" in text


def test_unknown_priority(data_copy):
    _edit(
        data_copy / "measures.csv",
        "2021/22,CFSE.1,CFSE.1,CFE.1,Percentage of mothers smoking at delivery (number),1,",
        "2021/22,CFSE.1,CFSE.1,CFE.1,Percentage of mothers smoking at delivery (number),9,",
    )
    with pytest.raises(
        DataError,
        match=r"unknown priority 9 for framework 2021/22, expected one of \[1, 2, 3, 4, 5\]",
    ):
        load_dataset(data_copy)


def test_wrong_encoding(data_copy):
    f = data_copy / "commentary.csv"
    f.write_bytes(
        f.read_text(encoding="utf-8")
        .encode("cp1252", errors="replace")
        .replace(b"care", b"\xe9care")
    )
    with pytest.raises(DataError, match="expected a UTF-8 encoded CSV file"):
        load_dataset(data_copy)


def test_truncated_csv(data_copy):
    f = data_copy / "values.csv"
    data = f.read_bytes()
    f.write_bytes(data[: len(data) // 2].rsplit(b",", 3)[0])
    with pytest.raises(DataError) as exc:
        load_dataset(data_copy)
    assert "values.csv" in str(exc.value)


SPEC = Table(
    "illustrative_totals",
    (Column("line"), Column("group"), Column("row_type"), Column("amount", "float")),
    key=("line",),
    description="Illustrative table for the sum check",
    sum_checks=(SumCheck(("amount",), group="group"),),
)


def _totals(rows):
    return pd.DataFrame(rows, columns=["line", "group", "row_type", "amount"])


def test_totals_that_do_not_reconcile_are_errors():
    df = _totals(
        [("a", "g", "item", 10.0), ("b", "g", "item", 20.0), ("Total", "g", "total", 35.0)]
    )
    problems = validate_tables({"illustrative_totals": df}, specs=[SPEC])
    [p] = [p for p in problems if p.file == "illustrative_totals.csv"]
    assert p.severity == "error" and p.row == 4 and p.column == "amount"
    assert "printed 35 but its rows give 30 (difference 5)" in p.found


def test_rounding_differences_are_notes():
    df = _totals(
        [("a", "g", "item", 10.0), ("b", "g", "item", 20.0), ("Total", "g", "total", 31.0)]
    )
    [p] = [
        p
        for p in validate_tables({"illustrative_totals": df}, specs=[SPEC])
        if p.file == "illustrative_totals.csv"
    ]
    assert p.severity == "note"


def test_a_row_with_too_many_fields_says_to_quote_a_comma(data_copy):
    old = "CFSE.25,2021/22 Q2,96.4,5963,"
    row, text = _load_error(data_copy, "values.csv", old, old, "CFSE.25,2021/22 Q2,96.4,5,963,")
    assert f"values.csv:{row}: found a row of 9 fields where the header has 8" in text
    assert "goes in double quotes" in text and "C error" not in text


def test_a_blank_cell_of_an_optional_column_takes_its_default(data_copy):
    import csv

    f = data_copy / "measures.csv"
    rows = list(csv.DictReader(f.open(encoding="utf-8")))
    assert "aggregation" in rows[0]
    first = rows[0]["code"]
    rows[0]["aggregation"] = "  "  # as if the column were left out: snapshot
    with f.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    m = load_dataset(data_copy).measures.set_index("code")
    assert m.at[first, "aggregation"] == "snapshot"


def test_an_empty_cell_that_takes_set_words_lists_them(data_copy):
    row, text = _load_error(
        data_copy,
        "measures.csv",
        "2021/22,CFSE.1,",
        ",percent,financial,snapshot,",
        ",percent,,snapshot,",
    )
    assert f"measures.csv:{row}:year_basis: empty cell, expected one of financial, academic" in text
