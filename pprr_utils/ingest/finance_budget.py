"""Parsers for the revenue tables: the summary box (headline), the revenue budget and its
reconciliation, the cash limit, budget changes and outturn forecast, and the placements tables.

Each parser takes a ``Raw`` file and returns the rows of one ``schema_finance`` table (dicts);
what it notices in the printed table is appended to ``findings``. No figure is typed here:
every number is read from the raw file with ``parse.parse_money``.
"""

from __future__ import annotations

import re

from ..dataset.errors import DataError
from ..dataset.formats import format_money
from .finance_findings import finding
from .finance_raw import Line, Raw, money, split_figures
from .parse import parse_money


def headline_row(
    raw: Raw,
    item: str,
    label: str,
    value: float | None,
    unit: str | None,
    *,
    year: str | None = None,
    note: str | None = None,
) -> dict:
    """One ``finance_headline`` row read from ``raw``."""
    return dict(
        period=raw.period,
        item=item,
        year=year,
        label=label,
        value=value,
        unit=unit,
        note=note,
        source=raw.source,
    )


def headline(raw: Raw, findings: list[dict]) -> list[dict]:
    """Summary box: cash limit, forecast, (surplus)/deficit, reserves, contingency, capital."""
    rows: list[dict] = []
    unit = "£000"
    headings: dict[int, str] = {}

    def add(item, label, value, unit, year=None, note=None):
        rows.append(headline_row(raw, item, label, value, unit, year=year, note=note))

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
        split = split_figures(line, 1)
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
                        finding(
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


def outturn_narrative(raw: Raw) -> list[dict]:
    """The variance as a % of budget printed in the outturn narrative."""
    rows = []
    for line in raw.lines:
        m = re.search(r"This equates to ([\d.]+)% in variance terms", line.text)
        if m:
            rows.append(
                headline_row(
                    raw,
                    "variance_pct_of_budget",
                    "variance as % of the net cash limit budget",
                    parse_money(m[1]),
                    "%",
                )
            )
    return rows


def budget(raw: Raw, findings: list[dict]) -> list[dict]:
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
        split = split_figures(line, 4)
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
                    finding(
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
            finding(
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


def budget_reconciliation(raw: Raw) -> list[dict]:
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
        figs = [money(c) if c else None for c in figs_cells[: len(cols)]]
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


def simple_table(
    raw: Raw, cols: tuple[str, ...], unit: str, total_labels: tuple[str, ...] = ("Total",)
) -> list[dict]:
    """'label<TAB>figures' tables with a Total row (cash limit, changes, outturn, placements)."""
    rows = []
    for line in raw.lines:
        split = split_figures(line, len(cols))
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
    """The previous report the header compares with (e.g. 'Q1.5')."""
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


def _by_area(raw: Raw, cols: tuple[str, ...], total_labels: tuple[str, ...]) -> list[dict]:
    """A simple table whose lines are areas, with the previous report its header names."""
    rows = simple_table(raw, cols, "£000", total_labels)
    prev = _previous_report(raw)
    for r in rows:
        r["area"] = None if r["row_type"] == "total" else r["line"]
        r["previous_report"] = prev
    return rows


def cash_limit(raw: Raw) -> list[dict]:
    """Cash limit by area: previously reported, change, current budget."""
    return _by_area(raw, ("previous", "change", "current"), ("Cash Limit",))


def budget_changes(raw: Raw, cash_limits: list[dict], findings: list[dict]) -> list[dict]:
    """Movements; the area of each is inferred from the cash-limit change by area."""
    rows = simple_table(raw, ("movement",), "£000")
    for i, r in enumerate(rows, 1):
        r["seq"] = i
        r["area"] = None
    changes = {
        c["area"]: c["change"]
        for c in cash_limits
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
            finding(
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


def outturn(raw: Raw) -> list[dict]:
    """Outturn forecast by area: budget, forecast, variance and the previous variance."""
    return _by_area(raw, ("budget", "forecast", "variance", "variance_previous"), ("Total",))


def placements(raw: Raw) -> list[dict]:
    """Children looked after placements forecast, including and excluding Covid-19 (£m)."""
    return simple_table(raw, ("incl_covid", "excl_covid"), "£m")


def non_cla(raw: Raw) -> list[dict]:
    """Placements other than children looked after: forecast variance (£m)."""
    return simple_table(raw, ("variance",), "£m")


def statement(raw: Raw) -> list[dict]:
    """A statement printed instead of a table (e.g. 'no savings'): one headline note per line."""
    name = re.sub(r"^\d+(\.\d+)*\s+", "", raw.caption)
    item = re.sub(r"\W+", "_", name.lower()).strip("_")
    return [
        headline_row(raw, item, name, None, None, note=line.text)
        for line in raw.lines
        if line.filled
    ]
