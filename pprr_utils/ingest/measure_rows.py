"""The tidy rows of one measure read from its printed row: the measure, its values and
targets, and the findings on what was printed (units, counts, as-at markers, corrections).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..dataset.errors import DataError, Problem
from ..dataset.periods import parse_period
from .corrections import Correction
from .measures_header import HeaderColumn
from .measures_raw import RawTable, finding
from .parse import CellError, parse_cell, parse_target

#: the categories a measure may have (the headings of a published table)
CATEGORIES = ("council", "partnership", "contextual")

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "june": 6, "jul": 7,
    "july": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip


@dataclass
class Imported:
    """Tidy rows for measures, values, targets and commentary, and the findings."""

    measures: list[dict] = field(default_factory=list)
    values: list[dict] = field(default_factory=list)
    targets: list[dict] = field(default_factory=list)
    commentary: list[dict] = field(default_factory=list)
    findings: list[dict] = field(default_factory=list)

    def extend(self, other: Imported) -> None:
        """Add ``other``'s rows and findings after these."""
        for name in ("measures", "values", "targets", "commentary", "findings"):
            getattr(self, name).extend(getattr(other, name))


@dataclass(frozen=True)
class PrintedRow:
    """One measure's row as printed, with what the table says about it.

    ``cells`` are the figure cells by column index (one lettered part of a composite row);
    ``frequency`` and ``polarity`` the Reported and Good Performance cells as printed;
    ``corrections`` those in corrections.csv that apply to the row.
    """

    table: RawTable
    line: int
    columns: list[HeaderColumn]
    cells: dict[int, str]
    code: str
    printed_code: str
    name: str
    category: str | None = None
    frequency: str = ""
    polarity: str = ""
    gms: bool = False
    corrections: list[Correction] = field(default_factory=list)


def infer_unit(name: str, hints: list[str | None]) -> str:
    """The unit most figures are printed in; failing a majority, the one the name states."""
    explicit = [h for h in hints if h]
    if explicit and len(explicit) * 2 > len(hints):
        return max(set(explicit), key=explicit.count)
    low = name.lower()
    for pat, unit in (
        (r"per 100,?000", "rate per 100,000"),
        (r"per 10,?000", "rate per 10,000"),
        (r"per 1,?000", "rate per 1,000"),
    ):
        if re.search(pat, low):
            return unit
    if "score" in low or "attainment 8" in low:
        return "score"
    if low.startswith(("percentage", "%")) or "percentage" in low:
        return "percent"
    if low.startswith("number"):
        return "count"
    return "number"


def _as_at_outside(as_at: str | None, period: str) -> bool:
    """True when an as-at marker such as "Mar'23" lies outside the financial year ``period``."""
    if not as_at:
        return False
    m = re.match(r"([A-Za-z]+)'(\d{2})$", as_at)
    if not m or m.group(1).lower() not in _MONTHS:
        return False
    month, year = _MONTHS[m.group(1).lower()], 2000 + int(m.group(2))
    p = parse_period(period)
    start, end = (p.start, 4), (p.start + 1, 3)
    return not (start <= (year, month) <= end)


def measure_rows(row: PrintedRow) -> Imported:
    """The measure, values and targets of one printed row, and the findings on it."""
    rt, n, code, printed, name = row.table, row.line, row.code, row.printed_code, row.name
    framework, priority, source = rt.meta["framework"], int(rt.meta["priority"]), rt.meta["source"]
    pol_cell, freq_cell = row.polarity, row.frequency
    out = Imported()
    polarity = {"high": "high", "low": "low", "contextual": "none", "": None}.get(pol_cell.lower())
    if pol_cell and polarity is None:
        raise DataError(
            Problem(
                rt.path,
                n,
                "Good Performance",
                f"found {pol_cell!r}",
                "expected High, Low or Contextual",
            )
        )
    fix = {c.field: c for c in row.corrections}
    if "polarity" in fix:
        polarity = fix["polarity"].value
        out.findings.append(
            finding(
                "no-polarity",
                rt,
                n,
                f"No 'Good Performance' printed for {code} '{name}'",
                f"Taken as {polarity}: {fix['polarity'].reason}",
            )
        )
    if polarity is None:
        raise DataError(
            Problem(
                rt.path,
                n,
                "Good Performance",
                "an empty cell",
                f"expected High, Low or Contextual for {code} (or a correction in corrections.csv)",
            )
        )
    # the category printed (the table's heading) unless a correction sets it; a measure
    # printed under no heading is contextual without a polarity, else partnership
    cat = row.category or ("contextual" if polarity == "none" else "partnership")
    if "category" in fix:
        cat = fix["category"].value
        if cat not in CATEGORIES:
            raise DataError(
                Problem(
                    "raw/measures/corrections.csv",
                    None,
                    "value",
                    f"category {cat!r} for {code}",
                    "expected " + ", ".join(CATEGORIES),
                )
            )
        out.findings.append(
            finding(
                "category",
                rt,
                n,
                f"{code} '{name}' is printed under "
                + (f"'{row.category.capitalize()} measures'" if row.category else "no heading"),
                f"Taken as {cat}: {fix['category'].reason}",
            )
        )
    freq = {
        "annually": "annually",
        "annual": "annually",
        "quarterly": "quarterly",
        "termly": "termly",
        "monthly": "monthly",
        "": None,
    }.get(freq_cell.lower(), "?")
    if freq == "?":
        raise DataError(
            Problem(
                rt.path,
                n,
                "Reported",
                f"found {freq_cell!r}",
                "expected Annually, Quarterly, Termly or Monthly",
            )
        )
    hints: list[str | None] = []
    parsed: list[tuple[HeaderColumn, object]] = []
    for c in row.columns:
        text = row.cells.get(c.index, "")
        if c.role in ("status", "trend"):
            continue
        try:
            cell = parse_target(text) if c.role == "target" else parse_cell(text)
        except CellError as exc:
            raise DataError(Problem(rt.path, n, c.label, f"found {text!r}", exc.expected)) from exc
        parsed.append((c, cell))
        if c.role != "target" and getattr(cell, "value", None) is not None:
            hints.append(cell.unit)
    unit = infer_unit(name, hints)
    aggregation = "snapshot"
    for c, cell in parsed:
        if c.role == "target":
            t = cell
            if c.period is None:
                raise DataError(
                    Problem(
                        rt.path,
                        n,
                        c.label,
                        "a target column with no year",
                        "expected a year in the header",
                    )
                )
            out.targets.append(
                {
                    "code": code,
                    "year": c.period,
                    "type": t.type,
                    "value": t.value,
                    "direction": t.direction,
                    "comparator": None,
                    "note": t.note,
                    "source": source,
                }
            )
            continue
        if not cell.text.strip():
            continue  # nothing printed
        note = cell.note
        value, count = cell.value, cell.count
        if count is not None and value is not None and count != int(count) and value == int(value):
            out.findings.append(
                finding(
                    "value-count-swap",
                    rt,
                    n,
                    f"{code} {c.period} printed '{cell.text}': the bracketed figure is not a whole number but the first is",
                    f"Read as rate {count:g} with number {value:g} (the other rows print the rate first).",
                )
            )
            value, count = count, value
        if count is not None and count != int(count):
            raise DataError(
                Problem(
                    rt.path,
                    n,
                    c.label,
                    f"count {count:g} in {cell.text!r}",
                    "expected a whole number in brackets",
                )
            )
        if cell.as_at and cell.text.count(cell.as_at) == 0:
            out.findings.append(
                finding(
                    "as-at-format",
                    rt,
                    n,
                    f"{code} as-at printed in '{cell.text}'",
                    f"Read as {cell.as_at}.",
                )
            )
        if (
            value is not None
            and cell.unit is None
            and unit == "percent"
            and any(hints)
            and unit in hints
        ):
            out.findings.append(
                finding(
                    "missing-unit",
                    rt,
                    n,
                    f"{code} {c.period} printed '{cell.text}' without a % sign",
                    "Read as a percentage like the measure's other figures.",
                )
            )
        if value is not None and cell.unit and cell.unit != unit:
            note = f"Not comparable: printed as {cell.text}, a {cell.unit} figure, where the measure's other figures are {unit}s"
            out.findings.append(
                finding(
                    "unit-conflict",
                    rt,
                    n,
                    f"{code} {c.period} printed '{cell.text}' while its other figures are in {unit}",
                    "Kept as printed with a note, and not used for rating or trend.",
                )
            )
        if value is not None and c.role == "actual" and _as_at_outside(cell.as_at, c.period):
            out.findings.append(
                finding(
                    "as-at-outside-year",
                    rt,
                    n,
                    f"{code}: the {c.period} column prints a figure as at {cell.as_at}",
                    "Kept as printed: the as-at marker says which data the figure is.",
                )
            )
        if cell.as_at and "-" in cell.as_at:
            aggregation = "cumulative"
        period_label = c.period
        kind = "forecast" if c.role == "forecast" else "actual"
        if period_label is None:
            raise DataError(
                Problem(
                    rt.path,
                    n,
                    c.label,
                    "a value column with no year",
                    "expected a year in the header",
                )
            )
        out.values.append(
            {
                "code": code,
                "period": period_label,
                "value": value,
                "count": count,
                "as_at": cell.as_at,
                "kind": kind,
                "note": note,
                "source": source,
            }
        )
    if name.lower().startswith("number") and unit == "percent":
        out.findings.append(
            finding(
                "name-unit",
                rt,
                n,
                f"{code} is named '{name}' but its figures are percentages",
                "Unit taken from the figures: percent.",
            )
        )
    out.measures.append(
        {
            "framework": framework,
            "code": code,
            "printed_code": printed or None,
            "series": fix["series"].value if "series" in fix else code,
            "name": name,
            "priority": priority,
            "section": rt.meta.get("section"),
            "category": cat,
            "polarity": polarity,
            "frequency": freq,
            "unit": unit,
            "year_basis": rt.meta["year_basis"],
            "aggregation": aggregation,
            "headline": row.gms,
            "subject": "children",
            "source": source,
        }
    )
    if "series" in fix:
        out.findings.append(
            finding(
                "lineage",
                rt,
                n,
                f"{code} has no code in common with its continuation",
                f"Series {fix['series'].value}: {fix['series'].reason}",
            )
        )
    return out
