"""Finance and business-case tables from the raw tables as published (``data/raw/finance``).

Each raw file is a verbatim slice of a seed document (tab-separated, brackets and commas as
printed) headed by ``# source:``, ``# lines:`` and ``# period:`` comment lines. The parsers
here turn them into the tidy tables of ``schema_finance`` / ``schema_plans``. No figure is
typed in this module: every number is read from a raw file with ``parse.parse_money``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..dataset.errors import DataError, Problem
from ..dataset.formats import format_money
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


# ----------------------------------------------------------------------------- raw files


@dataclass(frozen=True)
class Line:
    """One line of a raw file: its line number in the seed and its cells (stripped)."""

    no: int
    cells: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(c for c in self.cells if c)

    @property
    def filled(self) -> list[tuple[int, str]]:
        return [(i, c) for i, c in enumerate(self.cells) if c]


@dataclass(frozen=True)
class Raw:
    path: Path
    seed: str
    caption: str
    first: int
    period: str
    lines: tuple[Line, ...]

    @property
    def source(self) -> str:
        return f"{self.seed}, {self.caption}"

    @property
    def report(self) -> Period:
        """The report period the figures were published in."""
        return parse_period(self.period)

    def problem(self, line: Line | None, found: str, expected: str) -> Problem:
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


def _money(cell: str) -> float | None:
    try:
        return parse_money(cell)
    except CellError:
        return None


def _split(line: Line, n: int) -> tuple[list[tuple[int, str]], list[float]] | None:
    """(label cells, the last ``n`` figures) when the line ends with ``n`` amounts."""
    filled = line.filled
    if len(filled) < n:
        return None
    figures = [_money(c) for _, c in filled[-n:]]
    if any(f is None for f in figures):
        return None
    return filled[:-n], [float(f) for f in figures]  # type: ignore[arg-type]


def _is_page_furniture(line: Line) -> bool:
    return line.text.startswith("Portfolio Performance and Resources -")


# ----------------------------------------------------------------------------- parsers


def _headline(raw: Raw, findings: list[dict]) -> list[dict]:
    """Summary box: cash limit, forecast, (surplus)/deficit, reserves, contingency, capital."""
    rows: list[dict] = []
    unit = "£000"
    headings: dict[int, str] = {}

    def add(item, label, value, unit, year=None, note=None):
        rows.append(
            dict(
                period=raw.period,
                item=item,
                year=year,
                label=label,
                value=value,
                unit=unit,
                note=note,
                source=raw.source,
            )
        )

    for line in raw.lines:
        filled = line.filled
        if not filled:
            continue
        for i, c in filled:
            if c.startswith("There is"):
                item = re.sub(r"\W+", "_", headings.get(i, "statement").lower()).strip("_")
                add(item, headings.get(i, ""), None, None, note=c)
        if any(c == "£000" for _, c in filled):
            unit = "£000"
            continue
        split = _split(line, 1)
        if split and split[0]:
            label = split[0][0][1]
            m = re.match(r"^(\d{4}/\d{2}) Capital Budget$", label)
            if m:
                add("capital_budget", label, split[1][0], unit, year=m[1])
            else:
                item = {"(surplus)/deficit": "surplus_deficit"}.get(label.lower())
                item = item or re.sub(r"\W+", "_", label.lower()).strip("_")
                item = {
                    "cash_limit_budget": "cash_limit",
                    "approved_use_of_reserves": "reserves_approved_use",
                }.get(item, item)
                add(item, label, split[1][0], unit)
            continue
        text = line.text
        if "£" not in text:
            for i, c in filled:
                headings[i] = c
            continue
        m = re.match(
            r"^(Approved use of reserves balance|Planned draw down as at Q\d) is "
            r"£([\d.,]+)m\.?$",
            text,
        )
        if m:
            item = (
                "reserves_approved_use" if m[1].startswith("Approved") else "reserves_planned_use"
            )
            add(item, m[1], parse_money(m[2]), "£m")
            continue
        m = re.match(
            r"^Use of contingency funding is £([\d.]+)(m?), £([\d.]+)(m?) approved use at "
            r"budget setting plus £([\d.]+)(m?) allocated to balance portfolio",
            text,
        )
        if m:
            parts = [
                ("contingency_use", "Use of contingency funding", m[1], m[2]),
                ("contingency_budget_setting", "approved use at budget setting", m[3], m[4]),
                ("contingency_allocation", "allocated to balance portfolio", m[5], m[6]),
            ]
            for item, label, num, m_unit in parts:
                add(item, label, parse_money(num), "£m")
                if not m_unit:
                    findings.append(
                        _finding(
                            "unit-missing",
                            raw,
                            line,
                            f"'£{num}' ({label}) is printed without the 'm' the other contingency "
                            f"figures in the sentence carry",
                            f"read as £{num}m: the sentence's figures only add up in £m "
                            f"({m[3]} + {m[5]} = {m[1]})",
                        )
                    )
            continue
        raise DataError(
            raw.problem(
                line,
                f"unrecognised summary line {text!r}",
                "expected 'label<TAB>amount' or a known sentence",
            )
        )
    return rows


def _outturn_narrative(raw: Raw) -> list[dict]:
    """The variance as a % of budget printed in the outturn narrative."""
    rows = []
    for line in raw.lines:
        m = re.search(r"This equates to ([\d.]+)% in variance terms", line.text)
        if m:
            rows.append(
                dict(
                    period=raw.period,
                    item="variance_pct_of_budget",
                    year=None,
                    label="variance as % of the net cash limit budget",
                    value=parse_money(m[1]),
                    unit="%",
                    note=None,
                    source=raw.source,
                )
            )
    return rows


def _budget(raw: Raw, findings: list[dict]) -> list[dict]:
    """Revenue budget by service: items, area 'Total' subtotals and the 'Portfolio Total'.

    Which area an item belongs to is decided by the printed totals: the items above each
    'Total' row belong to the area that total closes (areas in the order their labels appear).
    """
    year = raw.report.shift(1).year
    items: list[tuple[Line, str, list[float], bool]] = []  # line, service, figures, in area col
    blocks: list[list[int]] = [[]]
    area_labels: list[tuple[str, Line]] = []
    subtotals: list[tuple[Line, list[float]]] = []
    total: tuple[Line, list[float]] | None = None
    for line in raw.lines:
        split = _split(line, 4)
        if split is None or not split[0]:
            continue
        labels, figs = split
        names = [c for _, c in labels]
        if names[-1] == "Total":
            subtotals.append((line, figs))
            blocks.append([])
            continue
        if names[-1] == "Portfolio Total":
            total = (line, figs)
            continue
        for a in names[:-1]:
            area_labels.append((a, line))
        blocks[-1].append(len(items))
        items.append((line, names[-1], figs, len(names) == 1 and labels[0][0] == 0))
    areas = [a for a, _ in area_labels]
    if len(areas) != len(subtotals) or total is None:
        raise DataError(
            raw.problem(
                None,
                f"{len(areas)} area labels and {len(subtotals)} totals",
                "expected one 'Total' row per area and a 'Portfolio Total'",
            )
        )
    rows: list[dict] = []
    cols = ("employee", "non_employee", "income", "total")

    def row(area, service, line_label, figs, row_type):
        r = dict(period=raw.period, year=year, area=area, service=service, line=line_label)
        r.update(zip(cols, figs, strict=True))
        r.update(row_type=row_type, unit="£000", source=raw.source)
        return r

    for k, (area, (sub_line, sub_figs)) in enumerate(zip(areas, subtotals, strict=True)):
        for idx in blocks[k]:
            line, service, figs, in_area_col = items[idx]
            rows.append(row(area, service, service, figs, "item"))
            if in_area_col:
                findings.append(
                    _finding(
                        "column-shift",
                        raw,
                        line,
                        f"service '{service}' is printed in the area column",
                        f"recorded as a service of {area}: it lies above the {area} 'Total' row "
                        f"(line {sub_line.no}) and that total includes it",
                    )
                )
        rows.append(row(area, None, "Total", sub_figs, "subtotal"))
    for k, (label, line) in enumerate(area_labels):
        placed = next(i for i, b in enumerate(blocks) if any(items[j][0].no >= line.no for j in b))
        if placed == k:
            continue
        moved = [items[j] for j in blocks[placed] if items[j][0].no >= line.no]
        names = ", ".join(f"'{s}'" for _, s, _, _ in moved)
        block_sum = sum(items[j][2][3] for j in blocks[placed])
        without = block_sum - sum(f[3] for _, _, f, _ in moved)
        sub_line, sub_figs = subtotals[placed]
        findings.append(
            _finding(
                "area-misplaced",
                raw,
                line,
                f"the area label '{label}' is printed beside {names} (lines {moved[0][0].no}-"
                f"{moved[-1][0].no}), above the {areas[placed]} 'Total' (line {sub_line.no}): the "
                "paste garbled which area these rows belong to",
                f"the printed totals decide: the {areas[placed]} Total {format_money(sub_figs[3])} "
                f"matches its rows with them ({format_money(block_sum)}) and not without them "
                f"({format_money(without)}); recorded under {areas[placed]}. {label} is the area "
                "of the rows between that Total and the next",
            )
        )
    rows.append(row("Portfolio", None, "Portfolio Total", total[1], "total"))
    return rows


def _budget_reconciliation(raw: Raw) -> list[dict]:
    """Budget reconciliation from the previous year's Q4 budget to this year's budget."""
    header = next(line for line in raw.lines if any("£000" in c for c in line.cells))
    names = [re.sub(r"\s*£000$", "", c) for _, c in header.filled]
    cols = [{"Childrens": "childrens", "Education": "education", "EC&F": "ecf"}[n] for n in names]
    body = [line for line in raw.lines if line.no > header.no and line.filled]
    rows: list[dict] = []
    block = None
    block_items: list[list[float]] = []
    for k, line in enumerate(body):
        label = line.cells[0]
        figs_cells = list(line.cells[1 : 1 + len(cols)]) + [""] * len(cols)
        figs = [_money(c) if c else None for c in figs_cells[: len(cols)]]
        if all(f is None for f in figs):
            block, block_items = label.rstrip(":").strip(), []
            continue
        block = block or label
        nxt = body[k + 1] if k + 1 < len(body) else None
        next_is_heading = nxt is not None and not any(nxt.cells[1:])
        sums = [sum(x[i] or 0 for x in block_items) for i in range(len(cols))]
        if nxt is None:
            row_type, grp = "total", label
        elif label.startswith("Total") or (
            next_is_heading
            and len(block_items) >= 2
            and all(abs((f or 0) - s) <= 1 for f, s in zip(figs, sums, strict=True))
        ):
            row_type, grp = "subtotal", block
        else:
            row_type, grp = "item", block
            block_items.append(figs)
        r = dict(
            period=raw.period,
            year=raw.report.shift(1).year,
            seq=len(rows) + 1,
            block=grp,
            line=label,
        )
        r.update(zip(cols, figs, strict=True))
        r.update(row_type=row_type, unit="£000", source=raw.source)
        rows.append(r)
    return rows


def _simple(raw: Raw, cols: tuple[str, ...], unit: str, total_labels=("Total",)) -> list[dict]:
    """'label<TAB>figures' tables with a Total row (cash limit, changes, outturn, placements)."""
    rows = []
    for line in raw.lines:
        split = _split(line, len(cols))
        if split is None or not split[0]:
            continue
        label = split[0][-1][1]
        r = dict(period=raw.period, line=label)
        r.update(zip(cols, split[1], strict=True))
        r.update(
            row_type="total" if label in total_labels else "item", unit=unit, source=raw.source
        )
        rows.append(r)
    return rows


def _previous_report(raw: Raw) -> str:
    for line in raw.lines:
        found = [
            re.search(r"(?:Previously Reported|Forecast Variance) (Q[\d.]+)", c) for c in line.cells
        ]
        found = [m[1] for m in found if m]
        if found:
            return found[-1]
    raise DataError(
        raw.problem(
            None,
            "no previous report named in the header",
            "expected e.g. 'Previously Reported Q1.5 £000'",
        )
    )


def _cash_limit(raw: Raw) -> list[dict]:
    rows = _simple(raw, ("previous", "change", "current"), "£000", ("Cash Limit",))
    prev = _previous_report(raw)
    for r in rows:
        r["area"] = None if r["row_type"] == "total" else r["line"]
        r["previous_report"] = prev
    return rows


def _budget_changes(raw: Raw, cash_limit: list[dict], findings: list[dict]) -> list[dict]:
    """Movements; the area of each is inferred from the cash-limit change by area."""
    rows = _simple(raw, ("movement",), "£000")
    for i, r in enumerate(rows, 1):
        r["seq"] = i
        r["area"] = None
    changes = {
        c["area"]: c["change"]
        for c in cash_limit
        if c["period"] == raw.period and c["row_type"] == "item" and c["change"] != 0
    }
    items = [r for r in rows if r["row_type"] == "item"]
    for area, change in list(changes.items()):
        hit = [r for r in items if r["area"] is None and r["movement"] == change]
        if len(hit) == 1:
            hit[0]["area"] = area
            del changes[area]
    rest = [r for r in items if r["area"] is None]
    if len(changes) == 1 and rest:
        area, change = next(iter(changes.items()))
        if abs(sum(r["movement"] for r in rest) - change) < 1e-9:
            for r in rest:
                r["area"] = area
    if items and all(r["area"] for r in items):
        findings.append(
            _finding(
                "inferred",
                raw,
                None,
                "the budget changes table does not say which area each movement applies to",
                "area inferred from the cash limit table: "
                + "; ".join(f"{format_money(r['movement'])} -> {r['area']}" for r in items)
                + " (each area's movements equal its printed Increase / (Reduction))",
            )
        )
    return rows


def _outturn(raw: Raw) -> list[dict]:
    rows = _simple(raw, ("budget", "forecast", "variance", "variance_previous"), "£000")
    prev = _previous_report(raw)
    for r in rows:
        r["area"] = None if r["row_type"] == "total" else r["line"]
        r["previous_report"] = prev
    return rows


def _reserves(raw: Raw, findings: list[dict]) -> list[dict]:
    """Earmarked reserves: category, narration, purpose, approved, planned use, balance."""
    names = {
        "Reserve / Approved Use Balance £000": "approved",
        "Planned / Approved use of Reserves £000": "planned",
        "Balance of Reserve £000": "balance",
    }
    header = next(line for line in raw.lines if line.cells[0] == "Reserve Category")
    fig_cols = [names[c] for c in header.cells[3:] if c]
    rows: list[dict] = []
    heading: tuple[Line, list[str]] | None = None
    for line in raw.lines:
        if line.cells[0] == "Reserve Category" or not line.filled or _is_page_furniture(line):
            continue
        split = _split(line, len(fig_cols))
        if split is None:
            heading = (line, [c for _, c in line.filled]) if heading is None else heading
            if line.text == "N/A" and heading:
                findings.append(
                    _finding(
                        "contradiction",
                        raw,
                        line,
                        f"'{heading[1][0]}' is followed by 'N/A' (none), yet Directorate "
                        "Flexibility Reserve rows (category 'Directorate Reserve') follow "
                        "after the page break",
                        "the 'N/A' and the empty category headings are not recorded; the "
                        "Directorate Reserve rows are recorded as printed and are in the Total",
                    )
                )
            continue
        heading = None
        labels, figs = split
        cells = list(line.cells[:3]) + [""] * 3
        is_total = any(c == "Total" for _, c in labels)
        r = dict(
            period=raw.period,
            year=raw.report.shift(1).year if raw.report.quarter is None else raw.report.year,
            seq=len(rows) + 1,
            category=None if is_total else cells[0] or None,
            narration="Total" if is_total else cells[1] or None,
            purpose=None if is_total else cells[2] or None,
            line="Total" if is_total else cells[2] or cells[1],
            approved=None,
            planned=None,
            balance=None,
        )
        r.update(zip(fig_cols, figs, strict=True))
        r.update(row_type="total" if is_total else "item", unit="£000", source=raw.source)
        rows.append(r)
    if "approved" not in fig_cols:
        findings.append(
            _finding(
                "structure",
                raw,
                header,
                "this reserves table prints only 'Balance of Reserve £000' (no approved or "
                "planned use columns)",
                "recorded in balance; approved and planned left empty. Its total equals the "
                "'Approved Use of Reserves' in the summary box (checked by finance.reconcile)",
            )
        )
    return rows


def _savings(raw: Raw, findings: list[dict]) -> list[dict]:
    """Savings programme: proposals by area with risk rating, identified and achieved."""
    header = next(line for line in raw.lines if line.cells[0] == "Proposal")
    printed_units = {re.search(r"£\w+$", c)[0] for c in header.cells if re.search(r"£\w+$", c)}
    rows: list[dict] = []
    area = None
    for line in raw.lines[raw.lines.index(header) + 1 :]:
        cells = list(line.cells) + [""] * 5
        label, rating, ident, achieved, info = (c.strip() for c in cells[:5])
        if not label:
            continue
        if not ident:
            area = label.rstrip(":").strip()
            continue
        low = label.lower()
        if "subtotal" in low:
            row_type, grp = "subtotal", area
        elif low.startswith("directorate total"):
            row_type, grp = "total", "Directorate"
        elif low.startswith("unachieved"):
            row_type, grp = "memo", "Directorate"
        else:
            row_type, grp = "item", area
        rows.append(
            dict(
                period=raw.period,
                year=raw.report.year,
                area=grp,
                line=label.rstrip(":").strip(),
                risk_rating=rating or None,
                identified=parse_money(ident),
                achieved=parse_money(achieved),
                additional_information=info or None,
                row_type=row_type,
                unit="£m",
                source=raw.source,
            )
        )
    figures = [r[c] for r in rows for c in ("identified", "achieved")]
    if printed_units == {"£000"} and figures and max(abs(f) for f in figures) < 1:
        findings.append(
            _finding(
                "unit-inconsistency",
                raw,
                header,
                "the column headers say £000 but the figures are printed as "
                + ", ".join(sorted({f"{f:.3f}" for f in figures}))
                + " - amounts in £m (a £40 saving would not be reported)",
                "figures recorded as printed with unit '£m'; the £000 header is not applied",
            )
        )
    return rows


def _risk_ratings(raw: Raw) -> list[dict]:
    rows = []
    for line in raw.lines:
        m = re.match(r"^(Green|Amber|Red) – (.+)$", line.text)
        if m:
            rows.append(
                dict(period=raw.period, rating=m[1], definition=m[2].strip(), source=raw.source)
            )
    return rows


def _dsg(raw: Raw, findings: list[dict]) -> list[dict]:
    """Dedicated Schools Grant figures from the prose: centrally held blocks and deficits."""
    text = " ".join(line.text for line in raw.lines)
    year = raw.report.shift(1).year if raw.report.quarter is None else raw.report.year
    rows: list[dict] = []

    def add(item, label, value, row_type, approx=False, yr=year):
        rows.append(
            dict(
                period=raw.period,
                year=yr,
                item=item,
                line=label,
                value=value,
                approx=approx,
                row_type=row_type,
                unit="£m",
                source=raw.source,
            )
        )

    m = re.search(r"DSG allocation is c\.\s?£([\d.,]+)m", text)
    if m:
        add(
            "allocation",
            "initial DSG allocation (all four blocks)",
            parse_money(m[1]),
            "memo",
            approx=True,
        )
    m = re.search(r"centrally held is £([\d.,]+)m comprising (.+?\))\.", text)
    if not m:
        raise DataError(
            raw.problem(
                None,
                "no 'centrally held is £...m comprising ...' sentence",
                "expected the DSG centrally held blocks",
            )
        )
    for part in re.split(r", | and (?=[A-Za-z ]+\(£)", m[2]):
        b = re.match(r"^(?:the )?(.+?) \(£([\d.,]+)m\)$", part.strip())
        if not b:
            raise DataError(raw.problem(None, f"DSG block {part!r}", "expected 'name (£N.NNNm)'"))
        add("centrally_held_block", b[1], parse_money(b[2]), "item")
    add(
        "centrally_held_total",
        "total DSG allocation which is centrally held",
        parse_money(m[1]),
        "total",
    )
    m = re.search(r"in-year deficit at £([\d.,]+)m", text) or re.search(
        r"base budget set by the LA has a £([\d.,]+)m deficit", text
    )
    if m:
        add("in_year_deficit", "in-year deficit", parse_money(m[1]), "memo")
    m = re.search(r"cumulative deficit \(estimated at c\.\s?£([\d.,]+)m\)", text)
    if m:
        add(
            "cumulative_deficit",
            "cumulative deficit carried forward (estimated)",
            parse_money(m[1]),
            "memo",
            approx=True,
        )
    m = re.search(
        r"cumulative £([\d.,]+)m deficit budget carried-forward as of 31 March (\d{4})", text
    )
    if m:
        end = int(m[2])
        add(
            "cumulative_deficit",
            f"cumulative deficit carried forward as of 31 March {end}",
            parse_money(m[1]),
            "memo",
            yr=f"{end - 1}/{end % 100:02d}",
        )
    approx = [r for r in rows if r["approx"]]
    if approx:
        findings.append(
            _finding(
                "approximate",
                raw,
                None,
                "approximate figures printed with 'c.': "
                + "; ".join(f"{r['line']} c.£{r['value']:g}m" for r in approx),
                "recorded with approx=true; not used in any sum check",
            )
        )
    return rows


def _capital(raw: Raw) -> list[dict]:
    """Capital programme by scheme and year, with expenditure to date."""
    header = raw.lines[0]
    rows: list[dict] = []
    footnote = next(
        (
            line.text.lstrip("* ")
            for line in raw.lines
            if line.text.startswith("*") and line is not header
        ),
        None,
    )
    for line in raw.lines[1:]:
        if not line.filled or line.text.startswith("*"):
            continue
        scheme = line.cells[1]
        row_type = "total" if scheme.upper() == "TOTAL" else "item"
        for head, cell in zip(header.cells, line.cells, strict=False):
            if head == "Scheme":
                continue
            y = re.search(r"(\d{4}/\d{2}) Programme", head)
            e = re.search(r"Expenditure as at (.+?) £000", head)
            measure = "programme" if y else "expenditure_to_date"
            year = y[1] if y else raw.report.year
            rows.append(
                dict(
                    period=raw.period,
                    line=scheme,
                    measure=measure,
                    year=year,
                    value=parse_money(cell),
                    as_at=e[1] if e else None,
                    note=footnote if e else None,
                    row_type=row_type,
                    unit="£000",
                    source=raw.source,
                )
            )
    return rows


def _capital_resources(raw: Raw) -> list[dict]:
    header = raw.lines[0]
    years = [re.search(r"(\d{4}/\d{2})", c)[1] for c in header.cells[1:]]
    rows = []
    for line in raw.lines[1:]:
        if not line.filled:
            continue
        label = line.cells[0]
        for year, cell in zip(years, line.cells[1:], strict=True):
            rows.append(
                dict(
                    period=raw.period,
                    line=label,
                    year=year,
                    value=parse_money(cell),
                    row_type="total" if label.upper() == "TOTAL" else "item",
                    unit="£000",
                    source=raw.source,
                )
            )
    return rows


def _one_off(raw: Raw, findings: list[dict]) -> list[dict]:
    rows = []
    for line in raw.lines:
        m = re.match(r"^(.+?) \((£[\d.,]+m)\)$", line.text)
        if m:
            rows.append(
                dict(
                    period=raw.period,
                    year=raw.report.year,
                    line=m[1],
                    value=parse_money(m[2]),
                    unit="£m",
                    source=raw.source,
                )
            )
            findings.append(
                _finding(
                    "sign",
                    raw,
                    line,
                    f"'{line.text}' prints the amount in brackets, which in finance tables means "
                    "a negative",
                    "recorded as a positive allocation: the brackets only enclose the amount here",
                )
            )
    return rows


def _statement(raw: Raw) -> list[dict]:
    name = re.sub(r"^\d+(\.\d+)*\s+", "", raw.caption)
    item = re.sub(r"\W+", "_", name.lower()).strip("_")
    return [
        dict(
            period=raw.period,
            item=item,
            year=None,
            label=name,
            value=None,
            unit=None,
            note=line.text,
            source=raw.source,
        )
        for line in raw.lines
        if line.filled
    ]


# ----------------------------------------------------------------------------- findings


def _finding(check: str, raw: Raw, line: Line | None, issue: str, resolution: str) -> dict:
    where = f"{raw.seed}, {raw.caption}" + (f", line {line.no}" if line else "")
    return dict(id="", check=check, location=where, issue=issue, resolution=resolution)


def _number(findings: list[dict], prefix: str) -> list[dict]:
    return [dict(f, id=f"{prefix}-{i:02d}") for i, f in enumerate(findings, 1)]


# ----------------------------------------------------------------------------- builders


def _folder(raw_dir: Path, folder: str) -> Path:
    """``raw_dir/<folder>``; ``raw_dir`` itself or its sibling when it is a finance/plans folder."""
    base = Path(raw_dir)
    if (base / folder).is_dir():
        return base / folder
    if base.name in ("finance", "plans") and base.name != folder:
        return base.parent / folder
    return base


def _raw_files(raw_dir: Path, folder: str) -> list[Raw]:
    base = _folder(raw_dir, folder)
    if not base.is_dir():
        return []
    paths = sorted(base.glob("*.tsv"))
    if folder == "plans":
        paths = [p for p in paths if p.stem == "summary" or p.stem.startswith("case_")]
    return [read_raw(p) for p in paths]


def _kind(raw: Raw) -> str:
    return re.sub(r"_\d{4}_\d{2}(_q\d)?$", "", raw.path.stem)


def _frame(rows: list[dict], table: str) -> pd.DataFrame:
    from ..dataset.schema import table as spec

    cols = spec(table).column_names
    df = pd.DataFrame([{c: r.get(c) for c in cols} for r in rows], columns=cols)
    for c in spec(table).columns:
        if c.kind == "float":
            df[c.name] = pd.to_numeric(df[c.name], errors="raise").astype("float64")
    return df


def _finance(raw_dir: Path) -> tuple[dict[str, pd.DataFrame], list[dict]]:
    raws = _raw_files(raw_dir, "finance")
    findings: list[dict] = []
    out: dict[str, list[dict]] = {}

    def put(table: str, rows: list[dict]) -> None:
        out.setdefault(table, []).extend(rows)

    cash: list[dict] = []
    for raw in raws:
        if _kind(raw) == "cash_limit":
            cash += _cash_limit(raw)
    parsers: dict[str, tuple[str, Callable[[Raw], list[dict]]]] = {
        "headline": ("finance_headline", lambda r: _headline(r, findings)),
        "statement_savings": ("finance_headline", _statement),
        "budget": ("finance_budget", lambda r: _budget(r, findings)),
        "budget_reconciliation": ("finance_budget_reconciliation", _budget_reconciliation),
        "cash_limit": ("finance_cash_limit", _cash_limit),
        "budget_changes": ("finance_budget_changes", lambda r: _budget_changes(r, cash, findings)),
        "outturn": ("finance_outturn", _outturn),
        "placements": (
            "finance_placements",
            lambda r: _simple(r, ("incl_covid", "excl_covid"), "£m"),
        ),
        "non_cla": ("finance_non_cla", lambda r: _simple(r, ("variance",), "£m")),
        "reserves": ("finance_reserves", lambda r: _reserves(r, findings)),
        "savings": ("finance_savings", lambda r: _savings(r, findings)),
        "risk_ratings": ("finance_risk_ratings", _risk_ratings),
        "dsg": ("finance_dsg", lambda r: _dsg(r, findings)),
        "capital": ("finance_capital", _capital),
        "capital_resources": ("finance_capital_resources", _capital_resources),
        "one_off": ("finance_one_off", lambda r: _one_off(r, findings)),
    }
    for raw in raws:
        kind = _kind(raw)
        if kind not in parsers:
            raise DataError(
                raw.problem(
                    None,
                    f"a raw file of unknown kind {kind!r}",
                    "expected one of " + ", ".join(sorted(parsers)),
                )
            )
        table, parse = parsers[kind]
        put(table, parse(raw))
        if kind == "outturn":
            put("finance_headline", _outturn_narrative(raw))
    from ..dataset.schema_finance import FINANCE_TABLES

    tables = {t.name: _frame(out.get(t.name, []), t.name) for t in FINANCE_TABLES}
    findings += _rounding_findings(tables)
    findings += _cross_findings(tables)
    return tables, findings


def _rounding_findings(tables: dict[str, pd.DataFrame]) -> list[dict]:
    """One finding per table whose printed totals differ from their rows within rounding."""
    from ..dataset.schema_finance import FINANCE_TABLES
    from ..dataset.validate import validate_tables

    found = validate_tables(tables, specs=FINANCE_TABLES)
    out = []
    for name in sorted({p.file for p in found}):
        notes = [p for p in found if p.file == name and p.severity == "note"]
        errors = [p for p in found if p.file == name and p.severity == "error"]
        if errors:
            raise DataError(errors, "the published finance tables do not reconcile")
        if notes:
            df = tables[name.removesuffix(".csv")]
            sources = sorted(set(df["source"]))
            out.append(
                dict(
                    id="",
                    check="rounding",
                    location="; ".join(sources),
                    issue=f"{len(notes)} printed figure(s) differ from their rows by rounding: "
                    + "; ".join(f"{p.found} [{name} row {p.row}]" for p in notes),
                    resolution="printed figures kept as published; the differences are listed as "
                    "notes by pprr validate and with status 'rounding' by finance.reconcile",
                )
            )
    return out


def _cross_findings(tables: dict[str, pd.DataFrame]) -> list[dict]:
    """Printed percentages that do not match their figures; inconsistent reserve categories."""
    out = []
    head, outturn = tables["finance_headline"], tables["finance_outturn"]
    for _, h in head[head["item"] == "variance_pct_of_budget"].iterrows():
        tot = outturn[(outturn["period"] == h["period"]) & (outturn["row_type"] == "total")]
        if len(tot) != 1:
            continue
        t = tot.iloc[0]
        pct = 100 * t["variance"] / t["budget"]
        if abs(round(pct, 2) - h["value"]) > 1e-9:
            out.append(
                dict(
                    id="",
                    check="rounding",
                    location=h["source"],
                    issue=f"the variance is printed as {h['value']:.2f}% of budget, but "
                    f"{format_money(t['variance'])} / {format_money(t['budget'])} = {pct:.3f}%, "
                    f"which rounds to {pct:.2f}% (the report truncated it)",
                    resolution="printed figure kept; finance.outturn computes variance_pct from "
                    "the figures; finance.reconcile lists the printed one with status 'rounding'",
                )
            )
    res = tables["finance_reserves"]
    items = res[res["row_type"] == "item"]
    for (period, narration), g in items.groupby(["period", "narration"]):
        cats = sorted(set(g["category"].dropna()))
        if len(cats) > 1:
            out.append(
                dict(
                    id="",
                    check="inconsistency",
                    location=g["source"].iloc[0],
                    issue=f"{period}: the reserve '{narration}' is listed under more than one "
                    f"category: " + ", ".join(f"'{c}'" for c in cats),
                    resolution="recorded as printed; totals by category follow the printed "
                    "category of each row",
                )
            )
    return out


def build_finance_and_plans(raw_dir: Path) -> tuple[dict[str, pd.DataFrame], list[dict]]:
    """The finance and business-case tables and their data-quality findings, each raw file
    parsed once: what ``pprr build-data`` uses.

    ``raw_dir`` is ``data/raw`` (or its ``finance`` or ``plans`` folder: the other is read
    from the sibling). A folder that does not exist contributes no tables and no findings.
    Findings are dicts (id, check, location, issue, resolution); ids ``FIN-nn``, ``PLAN-nn``.
    """
    root = Path(raw_dir)
    root = root.parent if root.name in ("finance", "plans") else root
    tables: dict[str, pd.DataFrame] = {}
    findings: list[dict] = []
    for folder, build, prefix in (("finance", _finance, "FIN"), ("plans", _plans, "PLAN")):
        if (root / folder).is_dir():
            built, found = build(root)
            tables.update(built)
            findings += _number(found, prefix)
    return tables, findings


def build_finance(raw_dir: Path) -> dict[str, pd.DataFrame]:
    """Tidy finance tables (``finance_*``) from the raw files in ``raw_dir`` (or its finance/)."""
    return _finance(raw_dir)[0]


def finance_quality_findings(raw_dir: Path) -> list[dict]:
    """Data-quality findings (id, check, location, issue, resolution) for finance and plans.

    ``raw_dir`` is ``data/raw`` or its ``finance`` folder (plans are then read from the sibling).
    """
    return build_finance_and_plans(raw_dir)[1]


# ----------------------------------------------------------------------------- plans

_FIELDS = (
    ("Project", "project"),
    ("Lead portfolio", "lead_portfolio"),
    ("Council Plan Priority", "council_plan_priority"),
    ("Senior responsible officer", "senior_officer"),
    ("MTFP Lens", "mtfp_lens"),
    ("Service", "service"),
    ("Proposal summary", "proposal_summary"),
    ("How will this proposal", "avoid_costs"),
    ("Any benchmarking", "benchmarking"),
    ("Workforce impact", "workforce_impact"),
    ("Outline any internal", "organisational_impact"),
    ("Outline any risk", "risks"),
    ("Delivering the change", "milestones"),
    ("List key milestones", "milestones"),
    ("Will reserves", "reserves_needed"),
    ("Is public consultation", "consultation"),
    ("Is a separate EqIA", "eqia"),
    ("Is a separate EIA", "eia"),
)
_SINGLE = ("lead_portfolio", "council_plan_priority", "senior_officer", "mtfp_lens", "service")


def _case(raw: Raw, case: int, findings: list[dict]) -> tuple[dict, list[dict]]:
    fields: dict[str, list[str]] = {}
    project = None
    current = None
    for line in raw.lines:
        if not line.filled:
            continue
        label, text = (list(line.cells) + [""])[:2]
        text = "\t".join(c for c in line.cells[1:] if c).strip()
        start = next((f for p, f in _FIELDS if label.startswith(p)), None)
        if start == "project":
            if project is None:
                project = text
            continue
        if start:
            current = start
        if current is None:
            raise DataError(
                raw.problem(
                    line,
                    f"text before any field: {line.text!r}",
                    "expected 'Project<TAB>name' first",
                )
            )
        if text:
            fields.setdefault(current, []).append(text)
            if len(text) <= 3 and text.isalpha():
                findings.append(
                    _finding(
                        "truncated",
                        raw,
                        line,
                        f"a line reading only {text!r} (truncated paste)",
                        "kept as printed in business_case_details",
                    )
                )
    row = dict(case=case, project=project)
    for f in _SINGLE:
        row[f] = " ".join(fields.get(f, [])) or None
    reserves = " ".join(fields.get("reserves_needed", []))
    row["reserves_needed"] = reserves.lower().startswith("yes")
    row["source"] = raw.source
    details = []
    seen = []
    for _, f in _FIELDS:
        if f in _SINGLE or f == "project" or f in seen:
            continue
        seen.append(f)
        for seq, text in enumerate(fields.get(f, []), 1):
            details.append(dict(case=case, field=f, seq=seq, text=text, source=raw.source))
    return row, details


def _summary(raw: Raw) -> list[dict]:
    """The proposals summary table; rows continued across page breaks are joined."""
    header = raw.lines[0].cells
    names = {
        "CP priority": "summary_cp_priority",
        "MTFP driver": "summary_mtfp_driver",
        "Directorate and Service area": "summary_directorate",
        "Proposal summary": "summary_proposal",
        "Saving 24/25 (£000)": "summary_saving_text",
        "Lead Portfolio": "summary_lead_portfolio",
    }
    cols = [names[c] for c in header]
    rows: list[dict] = []
    for line in raw.lines[1:]:
        if not line.filled or line.cells == header:
            continue
        cells = dict(zip(cols, list(line.cells) + [""] * len(cols), strict=False))
        if cells["summary_directorate"]:
            rows.append({c: cells[c] for c in cols})
        elif rows:
            for c in cols:
                if cells[c]:
                    rows[-1][c] = f"{rows[-1][c]} {cells[c]}".strip()
    for r in rows:
        m = re.match(r"^(Nil)\b\s*(.*)$", r["summary_saving_text"])
        r["summary_saving"] = 0.0 if m else None
        r["summary_saving_note"] = m[2] if m else r["summary_saving_text"]
        r["summary_saving_text"] = m[1] if m else None
        for c in cols:
            r[c] = r[c] or None
        r["summary_source"] = raw.source
    return rows


def _plans(raw_dir: Path) -> tuple[dict[str, pd.DataFrame], list[dict]]:
    raws = _raw_files(raw_dir, "plans")
    findings: list[dict] = []
    summary = next((r for r in raws if r.path.stem == "summary"), None)
    cases = [r for r in raws if r.path.stem.startswith("case_")]
    cases.sort(key=lambda r: int(r.path.stem.split("_")[1]))
    rows, details = [], []
    for raw in cases:
        case = int(raw.path.stem.split("_")[1])
        row, det = _case(raw, case, findings)
        row["year"] = raw.report.shift(1).year
        row["period"] = raw.period
        rows.append(row)
        details += det
    if summary is not None:
        srows = _summary(summary)
        if len(srows) != len(rows):
            raise DataError(
                summary.problem(
                    None,
                    f"{len(srows)} summary rows",
                    f"expected one per business case ({len(rows)})",
                )
            )
        for row, s in zip(rows, srows, strict=True):
            row.update(s)
            lens, driver = row["mtfp_lens"], s["summary_mtfp_driver"]
            if (lens or "").lower() != (driver or "").lower():
                findings.append(
                    _finding(
                        "inconsistency",
                        summary,
                        None,
                        f"case {row['case']} ({row['project']}): the summary table's MTFP "
                        f"driver is {repr(driver) if driver else 'blank'} but the business "
                        f"case's MTFP Lens is {lens!r}",
                        "both recorded (summary_mtfp_driver, mtfp_lens); the tracker shows the "
                        "business case's lens",
                    )
                )
            if s["summary_saving"] is None:
                findings.append(
                    _finding(
                        "missing",
                        summary,
                        None,
                        f"case {row['case']} ({row['project']}): no 'Nil' (or figure) printed in "
                        "the Saving 24/25 column, unlike the other four proposals",
                        "summary_saving left empty; note kept as printed",
                    )
                )
        split = [r["case"] for r in rows if re.search(r"\w ods\b", r["summary_cp_priority"] or "")]
        if split:
            findings.append(
                _finding(
                    "paste",
                    summary,
                    None,
                    "the CP priority of case(s) " + ", ".join(map(str, split)) + " contains the "
                    "split word 'Neighbourho ods' (a line break inside the word)",
                    "kept as printed",
                )
            )
    tables = {
        "business_cases": _frame(rows, "business_cases"),
        "business_case_details": _frame(details, "business_case_details"),
    }
    return tables, findings


def build_plans(raw_dir: Path) -> dict[str, pd.DataFrame]:
    """Business-case tables (``business_cases``, ``business_case_details``) from raw/plans."""
    return _plans(raw_dir)[0]


# ----------------------------------------------------------------------------- writing


def write_tables(tables: dict[str, pd.DataFrame], data_dir: Path) -> list[Path]:
    """Write each table as ``<name>.csv`` (UTF-8, no index, floats without spurious digits)."""
    from ..dataset.schema import table as spec

    out = []
    for name, df in tables.items():
        df = df.copy()
        for c in spec(name).columns:
            if c.kind == "float":
                df[c.name] = df[c.name].map(lambda v: "" if pd.isna(v) else f"{v:.12g}")
            elif c.kind == "bool":
                df[c.name] = df[c.name].map(lambda v: "true" if v else "false")
        path = Path(data_dir) / f"{name}.csv"
        df.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
        out.append(path)
    return out


def write_finance_data(raw_root: Path, data_dir: Path) -> list[Path]:
    """Build the finance and plans tables from ``raw_root`` (data/raw) and write the CSVs."""
    return write_tables(build_finance_and_plans(Path(raw_root))[0], data_dir)
