"""Raw finance and plans files (``data/raw/finance``, ``data/raw/plans``) and their lines.

Each raw file is a verbatim slice of a seed document (tab-separated, brackets and commas as
printed) headed by ``# source:``, ``# lines:`` and ``# period:`` comment lines.
``RAW_SOURCES`` says where each was cut from; ``extract_raw`` re-cuts them from the seeds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..dataset.errors import Problem
from ..dataset.periods import Period, parse_period
from .parse import CellError, parse_money
from .raw import read_raw_file

#: (folder, name, seed file, caption, first line, last line, report period) of each raw file.
RAW_SOURCES: tuple[tuple[str, str, str, str, int, int, str], ...] = (
    ("finance", "headline_2023_24", "000_04eb1c54ff23dd3e.txt",
     "Revenue Budget / Capital Programme summary box", 42, 45, "2023/24"),
    ("finance", "budget_2023_24", "000_04eb1c54ff23dd3e.txt",
     "3.2 Revenue Budget (cash limit budget by service)", 465, 498, "2023/24"),
    ("finance", "budget_reconciliation_2023_24", "000_04eb1c54ff23dd3e.txt",
     "3.2 Revenue Budget (adjustments since Quarter 4 2023/24)", 502, 518, "2023/24"),
    ("finance", "reserves_2023_24", "000_04eb1c54ff23dd3e.txt",
     "3.4 Earmarked Reserves", 548, 566, "2023/24"),
    ("finance", "statement_savings_2023_24", "000_04eb1c54ff23dd3e.txt",
     "3.5 Portfolio Savings Programme", 570, 570, "2023/24"),
    ("finance", "dsg_2023_24", "000_04eb1c54ff23dd3e.txt",
     "3.7 Dedicated Schools Grant (DSG)", 578, 584, "2023/24"),
    ("finance", "headline_2021_22_q2", "001_ee574e58cbe5f422.txt",
     "Revenue Budget (Forecast) / Reserves / Contingency / Capital summary box", 50, 71,
     "2021/22 Q2"),
    ("finance", "cash_limit_2021_22_q2", "001_ee574e58cbe5f422.txt",
     "2.1 Revenue - Cash limit (Current Budget at Q2)", 463, 467, "2021/22 Q2"),
    ("finance", "budget_changes_2021_22_q2", "001_ee574e58cbe5f422.txt",
     "2.1 Budget Changes since previously reported at Quarter 1.5", 471, 475, "2021/22 Q2"),
    ("finance", "outturn_2021_22_q2", "001_ee574e58cbe5f422.txt",
     "2.1 Outturn Forecast", 479, 485, "2021/22 Q2"),
    ("finance", "placements_2021_22_q2", "001_ee574e58cbe5f422.txt",
     "2.1 CLA placements forecast (incl./excl. Covid-19)", 509, 513, "2021/22 Q2"),
    ("finance", "non_cla_2021_22_q2", "001_ee574e58cbe5f422.txt",
     "2.1 Non-CLA placements forecast", 541, 546, "2021/22 Q2"),
    ("finance", "reserves_2021_22_q2", "001_ee574e58cbe5f422.txt",
     "2.2 Earmarked Reserves (Transfer from reserves)", 580, 606, "2021/22 Q2"),
    ("finance", "savings_2021_22_q2", "001_ee574e58cbe5f422.txt",
     "2.3 Portfolio Savings Programme", 612, 621, "2021/22 Q2"),
    ("finance", "risk_ratings_2021_22_q2", "001_ee574e58cbe5f422.txt",
     "2.3 Portfolio Savings Programme (Risk rating)", 623, 629, "2021/22 Q2"),
    ("finance", "dsg_2021_22_q2", "001_ee574e58cbe5f422.txt",
     "2.4 Dedicated Schools Grant", 635, 647, "2021/22 Q2"),
    ("finance", "capital_2021_22_q2", "001_ee574e58cbe5f422.txt",
     "2.5 Capital Finance Update and Outlook (Programme)", 657, 661, "2021/22 Q2"),
    ("finance", "capital_resources_2021_22_q2", "001_ee574e58cbe5f422.txt",
     "2.5 Capital Finance Update and Outlook (Resources)", 665, 667, "2021/22 Q2"),
    ("finance", "one_off_2021_22_q2", "001_ee574e58cbe5f422.txt",
     "2.6 Allocated One-Off Resources", 673, 675, "2021/22 Q2"),
    ("plans", "summary", "003_1fb74289b39c3150.txt",
     "Savings proposals summary table", 7, 19, "2023/24"),
    ("plans", "case_1_internal_sufficiency", "003_1fb74289b39c3150.txt",
     "Business case: High-Cost Placements - Internal Sufficiency Programme", 23, 54, "2023/24"),
    ("plans", "case_2_evidence_based_interventions", "003_1fb74289b39c3150.txt",
     "Business case: High-Cost Placements - Evidence Based interventions", 56, 93, "2023/24"),
    ("plans", "case_3_housing_18_plus", "003_1fb74289b39c3150.txt",
     "Business case: Housing - 18+ Accommodation", 95, 132, "2023/24"),
    ("plans", "case_4_health_contributions", "003_1fb74289b39c3150.txt",
     "Business case: Health - contribution from health to high-cost placements", 134, 165,
     "2023/24"),
    ("plans", "case_5_sen_transport", "003_1fb74289b39c3150.txt",
     "Business case: SEN Transport", 167, 203, "2023/24"),
)  # fmt: skip

ILLUSTRATIVE = "ILLUSTRATIVE – invented figures for tests"


def extract_raw(seeds_dir: Path, raw_root: Path) -> list[Path]:
    """(Re)cut the raw files from the seed documents: verbatim line slices with a header."""
    written = []
    for folder, name, seed, caption, first, last, period in RAW_SOURCES:
        lines = (Path(seeds_dir) / seed).read_text(encoding="utf-8").split("\n")
        out = Path(raw_root) / folder / f"{name}.tsv"
        out.parent.mkdir(parents=True, exist_ok=True)
        head = [f"# source: {seed}, {caption}", f"# lines: {first}-{last}", f"# period: {period}"]
        out.write_text("\n".join(head + lines[first - 1 : last]) + "\n", encoding="utf-8")
        written.append(out)
    return written


@dataclass(frozen=True)
class Line:
    """One line of a raw file: its line number in the seed and its cells (stripped)."""

    no: int
    cells: tuple[str, ...]

    @property
    def text(self) -> str:
        """The filled cells joined by spaces."""
        return " ".join(c for c in self.cells if c)

    @property
    def filled(self) -> list[tuple[int, str]]:
        """(column index, cell) of each non-empty cell."""
        return [(i, c) for i, c in enumerate(self.cells) if c]


@dataclass(frozen=True)
class Raw:
    """A raw file: where it was cut from (seed, caption, first line), its period, its lines."""

    path: Path
    seed: str
    caption: str
    first: int
    period: str
    lines: tuple[Line, ...]

    @property
    def source(self) -> str:
        """The ``source`` column of every row read from this file."""
        return f"{self.seed}, {self.caption}"

    @property
    def report(self) -> Period:
        """The report period the figures were published in."""
        return parse_period(self.period)

    def problem(self, line: Line | None, found: str, expected: str) -> Problem:
        """A Problem naming this file and (when given) the seed line number."""
        return Problem(self.path.name, None if line is None else line.no, None, found, expected)


def read_raw(path: Path) -> Raw:
    """Read a raw file; ``Line.no`` is the line number in the seed document."""
    meta, numbered = read_raw_file(
        path,
        required=("source", "lines", "period"),
        expected="expected a header "
        "'# source: <seed>, <table>', '# lines: <first>-<last>', '# period: ...'",
    )
    seed, _, caption = meta["source"].partition(", ")
    first = int(meta["lines"].split("-")[0])
    lines = tuple(
        Line(first + i, tuple(c.strip() for c in t.split("\t")))
        for i, (_, t) in enumerate(numbered)
    )
    return Raw(Path(path), seed, caption, first, meta["period"], lines)


def money(cell: str) -> float | None:
    """The amount printed in ``cell``, or None when it is not an amount."""
    try:
        return parse_money(cell)
    except CellError:
        return None


def split_figures(line: Line, n: int) -> tuple[list[tuple[int, str]], list[float]] | None:
    """(label cells, the last ``n`` figures) when the line ends with ``n`` amounts."""
    filled = line.filled
    if len(filled) < n:
        return None
    figures = [money(c) for _, c in filled[-n:]]
    if any(f is None for f in figures):
        return None
    return filled[:-n], [float(f) for f in figures]  # type: ignore[arg-type]


def is_page_furniture(line: Line) -> bool:
    """True for the running page header repeated inside a table after a page break."""
    return line.text.startswith("Portfolio Performance and Resources -")


def _folder(raw_dir: Path, folder: str) -> Path:
    """``raw_dir/<folder>``; ``raw_dir`` itself or its sibling when it is a finance/plans folder."""
    base = Path(raw_dir)
    if (base / folder).is_dir():
        return base / folder
    if base.name in ("finance", "plans") and base.name != folder:
        return base.parent / folder
    return base


def raw_files(raw_dir: Path, folder: str) -> list[Raw]:
    """The raw files of ``folder`` (finance or plans) read from ``raw_dir`` or its sibling."""
    base = _folder(raw_dir, folder)
    if not base.is_dir():
        return []
    paths = sorted(base.glob("*.tsv"))
    if folder == "plans":
        paths = [p for p in paths if p.stem == "summary" or p.stem.startswith("case_")]
    return [read_raw(p) for p in paths]


def kind(raw: Raw) -> str:
    """The kind of table a raw file holds: its name without the period (``budget_2023_24``)."""
    return re.sub(r"_\d{4}_\d{2}(_q\d)?$", "", raw.path.stem)
