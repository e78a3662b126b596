"""Cells exactly as the seed tables print them."""

import pytest

from pprr_utils.ingest.parse import CellError, format_money, parse_cell, parse_money, parse_target


@pytest.mark.parametrize(
    "text, value, count, as_at, unit",
    [
        ("7.2% (183)", 7.2, 183, None, "percent"),  # CFE.1 2021/22, 000
        ("5.3% (41) Dec'23", 5.3, 41, "Dec'23", "percent"),  # CFE.1 2023/24
        ("30.8 per 1000 (2547)", 30.8, 2547, None, "rate per 1,000"),  # CFSE.62 Q2, 001
        ("997 Q1-Q2", 997, None, "Q1-Q2", None),  # CFSE.64 Q2
        ("57.3% (51)", 57.3, 51, None, "percent"),  # CFSE.29 Q2
        ("8.2% (47) Q1", 8.2, 47, "Q1", "percent"),  # CFSE.1 Q2
        ("0.01 (Dec'23)", 0.01, None, "Dec'23", None),  # CFE.35, as-at in brackets
        ("0.07 (Dec '23)", 0.07, None, "Dec'23", None),  # CFE.42, spaced as-at
        ("97% Sept'23", 97, None, "Sept'23", "percent"),  # CFE.8
        ("85.7%(6)", 85.7, 6, None, "percent"),  # Aspire (ii), no space
        ("123 (34) Q2", 123, 34, "Q2", None),  # CFSE.43 2020/21
        ("2408", 2408, None, None, None),  # CFSE.64 2019/20
        ("11 Dec'21", 11, None, "Dec'21", None),  # CFE.31 2021/22
    ],
)
def test_published_cells(text, value, count, as_at, unit):
    cell = parse_cell(text)
    assert cell.value == pytest.approx(value)
    assert cell.count == count
    assert cell.as_at == as_at
    assert cell.unit == unit
    assert cell.note is None


@pytest.mark.parametrize(
    "text, note",
    [
        ("Not yet available", "Not yet available"),
        ("Data not yet available", "Data not yet available"),
        ("not yet available.", "not yet available."),
        ("Awaiting data", "Awaiting data"),
        ("TBC", "TBC"),
        ("N/A", "N/A"),
    ],
)
def test_status_phrases_are_notes_not_values(text, note):
    cell = parse_cell(text)
    assert cell.value is None and cell.note == note


def test_empty_cell_is_missing_without_note():
    assert parse_cell("").value is None and parse_cell("").note is None


@pytest.mark.parametrize("text", ["12,5%", "12,5", "abc", "5% 6", "7.2% (18x)"])
def test_malformed_cells_say_what_was_expected(text):
    with pytest.raises(CellError) as exc:
        parse_cell(text)
    assert "expected" in str(exc.value)


def test_comma_decimal_is_named():
    with pytest.raises(CellError, match="point for decimals"):
        parse_cell("12,5%")


@pytest.mark.parametrize(
    "text, type_, value, direction",
    [
        ("9.5%", "numerical", 9.5, None),
        ("13.0", "numerical", 13.0, None),
        ("Maximise", "direction", None, "maximise"),
        ("Minimise", "direction", None, "minimise"),
        ("Maintain", "direction", None, "maintain"),
        ("N/A", "none", None, None),
        ("TBC", "none", None, None),
    ],
)
def test_targets(text, type_, value, direction):
    t = parse_target(text)
    assert (t.type, t.value, t.direction) == (type_, value, direction)


@pytest.mark.parametrize(
    "text, value",
    [
        ("2,681", 2681),
        ("(2,681)", -2681),
        ("(10,037)", -10037),
        ("0", 0),
        ("0.040", 0.04),
        ("(0.176)", -0.176),
        ("-65", -65),
        ("62,052", 62052),
    ],
)
def test_money_brackets_are_negative(text, value):
    assert parse_money(text) == pytest.approx(value)


def test_money_rejects_text():
    with pytest.raises(CellError):
        parse_money("about 5")


def test_format_money_round_trips():
    assert format_money(-2681) == "(2,681)"
    assert parse_money(format_money(-2681)) == -2681
    assert format_money(0.407, 3) == "0.407"
