"""Parsers for the resource tables: earmarked reserves, the savings programme and its risk
ratings, the Dedicated Schools Grant, the capital programme and its resources, and allocated
one-off resources.

Each parser takes a ``Raw`` file and returns the rows of one ``schema_finance`` table (dicts);
what it notices in the printed table is appended to ``findings``. No figure is typed here:
every number is read from the raw file with ``parse.parse_money``.
"""

from __future__ import annotations

import re

from ..dataset.errors import DataError
from .finance_findings import finding
from .finance_raw import Line, Raw, is_page_furniture, split_figures
from .parse import parse_money


def reserves(raw: Raw, findings: list[dict]) -> list[dict]:
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
        if line.cells[0] == "Reserve Category" or not line.filled or is_page_furniture(line):
            continue
        split = split_figures(line, len(fig_cols))
        if split is None:
            heading = (line, [c for _, c in line.filled]) if heading is None else heading
            if line.text == "N/A" and heading:
                findings.append(
                    finding(
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
            finding(
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


def savings(raw: Raw, findings: list[dict]) -> list[dict]:
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
            finding(
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


def risk_ratings(raw: Raw) -> list[dict]:
    """The definitions of the savings risk ratings (Green, Amber, Red)."""
    rows = []
    for line in raw.lines:
        m = re.match(r"^(Green|Amber|Red) – (.+)$", line.text)
        if m:
            rows.append(
                dict(period=raw.period, rating=m[1], definition=m[2].strip(), source=raw.source)
            )
    return rows


def dsg(raw: Raw, findings: list[dict]) -> list[dict]:
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
            finding(
                "approximate",
                raw,
                None,
                "approximate figures printed with 'c.': "
                + "; ".join(f"{r['line']} c.£{r['value']:g}m" for r in approx),
                "recorded with approx=true; not used in any sum check",
            )
        )
    return rows


def capital(raw: Raw) -> list[dict]:
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


def capital_resources(raw: Raw) -> list[dict]:
    """How the capital programme is funded, by resource and year."""
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


def one_off(raw: Raw, findings: list[dict]) -> list[dict]:
    """Allocated one-off resources: what each is for and its amount (£m)."""
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
                finding(
                    "sign",
                    raw,
                    line,
                    f"'{line.text}' prints the amount in brackets, which in finance tables means "
                    "a negative",
                    "recorded as a positive allocation: the brackets only enclose the amount here",
                )
            )
    return rows
