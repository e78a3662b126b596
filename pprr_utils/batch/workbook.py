"""The scorecard as a workbook people can use: the Analysis Function's spreadsheet guidance.

``pprr scorecard PERIOD --out card.xlsx`` writes it. It follows the Government Analysis
Function's guidance "Releasing statistics in spreadsheets" (the guidance ``gptables``
implements), matched here with openpyxl:

- a **Cover** sheet (title, period, edition, source, contact, how the measures are scored),
  a **Contents** sheet linking every sheet, a **Notes** sheet, then the **Scorecard**;
- every sheet starts with its title in A1 and a line saying what the sheet holds; no merged
  cells, no blank rows inside a table, no formulas (all text cells are inert:
  ``writing.text_cells_as_strings``);
- the scorecard is one named Excel table (``Scorecard``) with plain-language headers, the
  header row frozen, widths that fit, status and direction of travel as words with a fill
  (colour is never the only cue), figures as numbers with the unit named in the header;
  a cell with no figure holds ``[x]`` (not available) or, in the public edition, ``[c]``
  (suppressed), each explained in the notes;
- the public edition is made from the suppressed data (``disclosure.public_dataset``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableStyleInfo

from ..dataset import disclosure, score
from ..dataset.formats import is_missing
from ..dataset.load import Dataset
from ..dataset.portfolio import Portfolio, is_illustrative
from ..dataset.rating import DEFAULT_RULES, ScoringRules
from ..dataset.rule_options import rules_note
from ..dataset.writing import atomic_path, text_cells_as_strings

TABLE_NAME = "Scorecard"
#: said on the cover and the scorecard sheet when the data is synthetic
ILLUSTRATIVE_NOTE = (
    "Illustrative data: the council, the portfolio and every figure are invented "
    "(portfolio.yml illustrative: true), not published figures"
)
SHEETS = ("Cover", "Contents", "Notes", "Scorecard")
NOT_AVAILABLE = "[x]"
FILLS = {  # light fills with dark text: each status is also its word
    "Red": "F4C7C3",
    "Amber": "FCE8B2",
    "Green": "B7E1CD",
    "Better": "B7E1CD",
    "Stable": "E0E0E0",
    "Worse": "F4C7C3",
}
_UNIT_WORDS = {"percent": "percentage", "count": "count", "score": "score", "number": "number"}

#: (header, scorecard column or a function of the row, kind): kind is text, number or word
Column = tuple[str, str | Callable[[pd.Series], Any], str]
COLUMNS: tuple[Column, ...] = (
    ("Measure code", "code", "text"),
    ("Measure", "name", "text"),
    ("Priority", "priority", "number"),
    ("Unit of the figures", lambda r: _UNIT_WORDS.get(r["unit"] or "", r["unit"] or "number"), "text"),
    ("Good performance is", lambda r: {"high": "High", "low": "Low"}.get(r["polarity"], "Neither"), "text"),
    ("Figure (in the measure's unit)", "value", "number"),
    ("Period of the figure", "value_period", "text"),
    ("Figure as at", lambda r: r["as_at"] or "Year-end", "text"),
    ("Target (in the measure's unit) [note 3]", "target", "number"),
    ("Target as printed", lambda r: r["target_label"] or "No target", "text"),
    ("Forecast year-end (in the measure's unit) [note 4]", "forecast", "number"),
    ("Previous year-end (in the measure's unit)", "previous", "number"),
    ("Previous year", "previous_period", "text"),
    ("Status [note 1]", lambda r: (r["status"] or "not rated").capitalize(), "word"),
    ("Direction of travel [note 2]", lambda r: (r["trend"] or "not rated").capitalize(), "word"),
    ("Shortfall (in the measure's unit) [note 3]", "shortfall", "number"),
    ("Shortfall (percentage of target) [note 3]", "shortfall_pct", "number"),
    ("Why (status and direction of travel)", "reason", "text"),
    ("Framework", "framework", "text"),
)  # fmt: skip
_WIDE = {"Measure": 50, "Why (status and direction of travel)": 80, "Target as printed": 24}


def _suppressed_previous(ds: Dataset, row: pd.Series) -> bool:
    rules = disclosure.rules_of(ds)
    if rules is None:
        return False
    v = ds.tables["values"]
    codes = [row["code"]]
    if not is_missing(row["series"]):
        codes += list(ds.tables["measures"].loc[lambda m: m["series"] == row["series"], "code"])
    hit = v[v["code"].isin(codes) & (v["period"] == row["previous_period"])]
    return any(disclosure.is_suppressed(n, rules) for n in hit["note"])


def _cell_value(ds: Dataset, row: pd.Series, column: str, value: Any) -> Any:
    """A figure as a number; ``[c]`` for a suppressed figure, ``[x]`` for a missing one."""
    if not is_missing(value):
        number = float(value)
        return int(number) if column == "priority" else number
    rules = disclosure.rules_of(ds)
    if rules is not None:
        own = disclosure.is_suppressed(row["note"], rules)
        if (column in ("value", "count", "forecast") and own) or (
            column == "previous" and _suppressed_previous(ds, row)
        ):
            return rules.symbol
    return NOT_AVAILABLE


def _title_block(ws: Any, title: str, lines: list[str]) -> int:
    """Title in A1 (bold, larger), then one line per row; returns the next free row."""
    ws["A1"] = title
    ws["A1"].font = Font(bold=True, size=14)
    for i, line in enumerate(lines, start=2):
        ws.cell(row=i, column=1, value=line)
    return len(lines) + 2


def _notes(
    public: bool, rules: ScoringRules, symbol: str, base: ScoringRules = DEFAULT_RULES
) -> list[tuple[str, str]]:
    amber, stable = f"{rules.amber_tolerance:.0%}", f"{rules.stable_tolerance:.0%}"
    notes = [
        (
            "note 1",
            f"Status: Red when the figure is worse than its target by more than {amber} of the "
            f"target; Amber when worse by up to {amber}; Green when on target or better. "
            "Not rated when there is no figure, no target or no polarity (the reason says which).",
        ),
        (
            "note 2",
            "Direction of travel: the forecast year-end against the previous year-end. Stable "
            f"when within {stable} either side; otherwise Better or Worse.",
        ),
        (
            "note 3",
            "Target: a numerical target, or for a comparator target the comparator figure. "
            "Shortfall: the gap between the figure rated and its target (for a direction target "
            "such as 'maximise', the previous year-end), in the measure's unit and as a "
            "percentage of the target; positive means worse than target, negative better.",
        ),
        (
            "note 4",
            "Forecast year-end: in an in-year report the figure rated is the forecast year-end "
            "(a published forecast, or the latest figure carried forward, or a year-to-date "
            "count scaled to twelve months); at a year-end it is the outturn. "
            "docs/methodology.md explains each method.",
        ),
        (
            "note 5",
            f"{NOT_AVAILABLE}: not available (no figure was published for the period, or the "
            "measure has no target).",
        ),
    ]
    if public:
        notes.append(
            ("note 6", disclosure.legend(disclosure.DEFAULT_RULES).replace("[c]", symbol, 1))
        )
    scored = rules_note(rules, base)
    if scored:
        notes.append((f"note {len(notes) + 1}", scored))
    return notes


def _autofit(ws: Any, first_row: int) -> None:
    for col in ws.iter_cols(min_row=first_row):
        header = str(col[0].value or "")
        longest = max((len(str(c.value)) for c in col if c.value is not None), default=8)
        width = _WIDE.get(header, min(max(longest, len(header) // 2, 8) + 2, 40))
        ws.column_dimensions[get_column_letter(col[0].column)].width = width


def scorecard_workbook(
    dataset: Dataset,
    period: str,
    *,
    public: bool = False,
    rules: ScoringRules | None = None,
    portfolio: Portfolio | None = None,
) -> Workbook:
    """The period's scorecard as an openpyxl ``Workbook`` (see the module's notes).

    ``public`` makes the public edition from ``disclosure.public_dataset(dataset)``;
    ``portfolio`` (``portfolio.yml``) names the council, the portfolio and the contact.
    """
    label = score.resolve_period(dataset, period)
    base = score.rules_for(dataset)
    rules = rules if rules is not None else base
    portfolio = portfolio if portfolio is not None else dataset.portfolio
    ds = disclosure.public_dataset(dataset) if public else dataset
    card = score.scorecard(ds, label, rules=rules)
    periods = ds.tables["periods"]
    title = str(periods.loc[periods["period"] == label, "title"].iloc[0] or label)
    council = portfolio.council if portfolio else "the council"
    name = portfolio.portfolio if portfolio else "the portfolio"
    edition = "Public edition" if public else "Internal edition"
    symbol = disclosure.rules_for(dataset).symbol
    invented = is_illustrative(dataset)

    wb = Workbook()
    cover = wb.active
    cover.title = "Cover"
    lines = [
        f"Period: {label} ({title})",
        f"Edition: {edition}"
        + (
            f": small counts of children are suppressed and shown as {symbol}."
            if public
            else ": every figure is shown (not for publication)."
        ),
        (
            "Source: none; the figures were made up to illustrate the report, not taken from "
            "a published document."
            if invented
            else f"Source: {council}, {name} Portfolio Performance and Resources Report, "
            f"{title}; each figure's source document is named in the dataset's source column."
        ),
        "Contact: "
        + (portfolio.contact if portfolio and portfolio.contact else "not given (portfolio.yml)"),
        "Scoring: "
        + (
            rules_note(rules, base)
            or "the portfolio's key: Red, Amber, Green and direction of travel."
        ),
        f"This workbook has {len(SHEETS)} sheets; the Contents sheet lists them.",
        "Made by pprr from the "
        + ("illustrative" if invented else "published")
        + " figures; no cell is a formula.",
    ]
    if invented:
        lines.insert(0, f"{ILLUSTRATIVE_NOTE}.")
    prefix = "Illustrative data: " if invented else ""
    _title_block(cover, f"{prefix}{name}: scorecard of measures, {label}", lines)
    cover.column_dimensions["A"].width = 120

    contents = wb.create_sheet("Contents")
    row = _title_block(contents, "Contents", ["This worksheet contains one table."])
    contents.cell(row=row, column=1, value="Sheet name").font = Font(bold=True)
    contents.cell(row=row, column=2, value="What it holds").font = Font(bold=True)
    about = {
        "Cover": "Title, period, edition, source, contact and scoring",
        "Notes": "Notes referred to in the scorecard's column headers",
        "Scorecard": f"One row per measure of {label}: figure, target, status, direction of "
        "travel and shortfall",
    }
    for i, sheet in enumerate(("Cover", "Notes", "Scorecard"), start=row + 1):
        link = contents.cell(row=i, column=1, value=sheet)
        link.hyperlink = f"#'{sheet}'!A1"
        link.font = Font(color="0563C1", underline="single")
        contents.cell(row=i, column=2, value=about[sheet])
    contents.column_dimensions["A"].width = 14
    contents.column_dimensions["B"].width = 90

    notes_ws = wb.create_sheet("Notes")
    row = _title_block(notes_ws, "Notes", ["This worksheet contains one table."])
    notes_ws.cell(row=row, column=1, value="Note number").font = Font(bold=True)
    notes_ws.cell(row=row, column=2, value="Note text").font = Font(bold=True)
    for i, (number, text) in enumerate(_notes(public, rules, symbol, base), start=row + 1):
        notes_ws.cell(row=i, column=1, value=number)
        notes_ws.cell(row=i, column=2, value=text).alignment = Alignment(wrap_text=True)
    notes_ws.column_dimensions["A"].width = 14
    notes_ws.column_dimensions["B"].width = 110

    ws = wb.create_sheet("Scorecard")
    header_row = _title_block(
        ws,
        ("Illustrative data: " if invented else "") + f"Scorecard of measures, {label}",
        [
            f"This worksheet contains one table of {len(card)} measures, one row per measure. "
            f"{edition}." + (f" {ILLUSTRATIVE_NOTE}." if invented else ""),
            f"Cells without a figure hold {NOT_AVAILABLE}"
            + (f" or {symbol}" if public else "")
            + ": see the Notes sheet.",
        ],
    )
    for j, (header, _, _) in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=header_row, column=j, value=header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for i, (_, r) in enumerate(card.iterrows(), start=header_row + 1):
        for j, (_, source, kind) in enumerate(COLUMNS, start=1):
            raw = source(r) if callable(source) else r[source]
            if kind == "number":
                value = _cell_value(ds, r, str(source), raw)
            else:
                value = None if is_missing(raw) else str(raw)
            cell = ws.cell(row=i, column=j, value=value if value is not None else "")
            if kind == "word" and value in FILLS:
                cell.fill = PatternFill("solid", fgColor=FILLS[value])
            if kind == "number" and isinstance(value, float) and not math.isnan(value):
                cell.number_format = "#,##0.0##"
            if str(COLUMNS[j - 1][0]).startswith(("Measure", "Why")) and j > 1:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    last = f"{get_column_letter(len(COLUMNS))}{header_row + len(card)}"
    table = Table(displayName=TABLE_NAME, ref=f"A{header_row}:{last}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight1", showRowStripes=False)
    ws.add_table(table)
    ws.freeze_panes = f"A{header_row + 1}"
    _autofit(ws, header_row)
    for sheet in wb.worksheets:
        sheet.sheet_view.zoomScale = 100
    return text_cells_as_strings(wb)


def write_scorecard_workbook(
    dataset: Dataset,
    period: str,
    out: str | Path,
    *,
    public: bool = False,
    rules: ScoringRules | None = None,
    portfolio: Portfolio | None = None,
) -> Path:
    """Write :func:`scorecard_workbook` to ``out`` atomically (never a half-written file)."""
    wb = scorecard_workbook(dataset, period, public=public, rules=rules, portfolio=portfolio)
    with atomic_path(out) as tmp:
        wb.save(tmp)
    return Path(out)
