"""The portfolio's settings as data (portfolio.yml or a workbook's portfolio sheet)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pprr_utils.dataset.errors import DataError
from pprr_utils.dataset.portfolio import (
    HeadlineFlag,
    portfolio_from_sheet,
    read_portfolio_file,
)

DATA = Path(__file__).resolve().parent.parent / "data"


def test_stockports_settings_are_the_published_keys():
    p = read_portfolio_file(DATA / "portfolio.yml")
    assert p.council == "Stockport Council"
    assert p.portfolio == "Children, Families and Education"
    assert p.comparator_areas == (
        "England",
        "North West",
        "Statistical neighbours",
        "Greater Manchester",
    )
    assert p.headline_flag == HeadlineFlag(
        "GMS",
        "Included in the Greater Manchester Strategy outcomes framework and/or the "
        "Corporate Report's headline measures",
    )
    # the key of the 2021/22 mid-year report: amber within 5%, stable within 1%
    assert (p.amber_tolerance, p.stable_tolerance) == (0.05, 0.01)
    assert (p.disclosure_low, p.disclosure_high, p.disclosure_symbol) == (1, 5, "[c]")
    assert not p.illustrative


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "portfolio.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_only_council_and_portfolio_are_required(tmp_path):
    p = read_portfolio_file(_write(tmp_path, "council: Anytown\nportfolio: Adult Social Care\n"))
    assert (p.council, p.portfolio, p.headline_flag, p.comparator_areas) == (
        "Anytown",
        "Adult Social Care",
        None,
        (),
    )


def test_every_problem_names_file_line_key_found_and_expected(tmp_path):
    path = _write(
        tmp_path,
        "council: Anytown\n"
        "scoring:\n"
        "  amber_tolerance: 5\n"
        "  stable_band: 0.01\n"
        "disclosure: {low: 6, high: 5}\n",
    )
    with pytest.raises(DataError) as err:
        read_portfolio_file(path)
    text = str(err.value)
    assert (
        "portfolio.yml:3:scoring.amber_tolerance: found 5, expected a fraction from 0 to 1" in text
    )
    assert "portfolio.yml:4:scoring.stable_band: unknown key 'scoring.stable_band'" in text
    assert "portfolio.yml:portfolio: key missing" in text
    assert "disclosure.high: found 5, below disclosure.low 6" in text


def test_broken_yaml_is_one_clear_line(tmp_path):
    with pytest.raises(DataError, match=r"portfolio.yml:2: found invalid YAML"):
        read_portfolio_file(_write(tmp_path, "council: Anytown\nportfolio: [unclosed\n"))


def test_a_workbook_sheet_of_key_value_rows_reads_the_same(tmp_path):
    sheet = pd.DataFrame(
        {
            "key": ["council", "portfolio", "scoring.amber_tolerance", "comparator_areas"],
            "value": ["Anytown", "Place", "10%", "England; South West"],
        }
    )
    p = portfolio_from_sheet(sheet)
    assert p.amber_tolerance == pytest.approx(0.10)
    assert p.comparator_areas == ("England", "South West")
    bad = sheet.copy()
    bad.loc[2, "value"] = "lots"
    with pytest.raises(DataError, match=r"portfolio sheet:4:scoring.amber_tolerance: found 'lots'"):
        portfolio_from_sheet(bad)
