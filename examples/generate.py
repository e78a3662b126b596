"""Write the illustrative example portfolio, ``examples/westbury/``: ``python examples/generate.py``.

Westbury Borough Council and its Schools and Inclusion portfolio are invented. Every figure
here is made up by this script to exercise what Stockport's real data does not: another
council and portfolio, other comparator areas, no finance, rates per 100 pupils, quarterly
milestones on the way to a year's target, and academic-year measures with in-year figures.
``portfolio.yml`` says ``illustrative: true``, so every page built from it says the figures
are illustrative. The tests build its pack and check the ratings against hand-worked
expectations (tests/test_example_portfolio.py); the same script regenerates the folder
byte for byte.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "westbury"
FRAMEWORK = "2024/25"

PORTFOLIO = """\
# Illustrative: an invented council and portfolio (examples/generate.py writes this folder)
council: Westbury Borough Council
portfolio: Schools and Inclusion
illustrative: true
contact: performance@westbury.example
comparator_areas: [England, South West, Similar authorities]
scoring:
  amber_tolerance: 0.05
  stable_tolerance: 0.01
"""

PERIODS = [
    # period, framework, title, kind, target_year, previous
    (
        "2024/25 Q2",
        FRAMEWORK,
        "Schools and Inclusion Quarter 2 Report 2024/25",
        "in-year",
        "2024/25",
        "2023/24",
    ),
    (
        "2024/25 Q3",
        FRAMEWORK,
        "Schools and Inclusion Quarter 3 Report 2024/25",
        "in-year",
        "2024/25",
        "2023/24",
    ),
]

PRIORITIES = [
    (FRAMEWORK, 1, "Every pupil attends and stays in school"),
    (FRAMEWORK, 2, "Children with special educational needs get the right help at the right time"),
]

MEASURES = [
    # code, name, priority, category, polarity, unit, year_basis, aggregation (a year-to-date
    # count is cumulative: its in-year figure is scaled to twelve months, not carried
    # forward). Rows in printed order: each category of a priority is one run, so the
    # priority page groups it under one heading.
    (
        "WB.1",
        "Pupils persistently absent (missing 10% or more of sessions)",
        1,
        "council",
        "low",
        "percent",
        "academic",
        "snapshot",
    ),
    (
        "WB.2",
        "Suspensions per 100 pupils",
        1,
        "partnership",
        "low",
        "rate per 100",
        "academic",
        "snapshot",
    ),
    (
        "WB.3",
        "New education, health and care plans issued within 20 weeks",
        2,
        "council",
        "high",
        "percent",
        "financial",
        "snapshot",
    ),
    (
        "WB.6",
        "Pupils with an EHC plan taught in a local mainstream school",
        2,
        "council",
        "high",
        "percent",
        "academic",
        "snapshot",
    ),
    (
        "WB.5",
        "Suspensions of pupils with an EHC plan per 100 such pupils",
        2,
        "partnership",
        "low",
        "rate per 100",
        "financial",
        "snapshot",
    ),
    (
        "WB.4",
        "Requests for an education, health and care needs assessment (year to date)",
        2,
        "contextual",
        "none",
        "count",
        "financial",
        "cumulative",
    ),
]

VALUES = [
    # code, period, value, count, note
    ("WB.1", "2021/22", 22.5, None, None),
    ("WB.1", "2022/23", 21.0, None, None),
    ("WB.1", "2023/24", 19.5, None, None),
    ("WB.1", "2024/25 Q2", 18.9, None, None),  # in-year: the school year 2024/25 so far
    ("WB.1", "2024/25 Q3", 18.2, None, None),
    ("WB.2", "2021/22", 7.9, None, None),
    ("WB.2", "2022/23", 8.6, None, None),
    ("WB.2", "2023/24", 9.4, None, None),  # no in-year figure: the last school year shows
    ("WB.3", "2022/23", 48.0, 192, None),
    ("WB.3", "2023/24", 55.0, 231, None),
    ("WB.3", "2024/25 Q2", 61.0, 128, None),
    ("WB.3", "2024/25 Q3", 64.0, 205, None),
    ("WB.4", "2023/24", 1310, None, None),
    ("WB.4", "2024/25 Q2", 702, None, None),
    ("WB.4", "2024/25 Q3", 1060, None, None),
    ("WB.5", "2023/24", 21.3, None, None),
    ("WB.5", "2024/25 Q2", None, None, "Awaiting data"),
    ("WB.5", "2024/25 Q3", 22.1, None, None),
    ("WB.6", "2022/23", 71.0, None, None),
    ("WB.6", "2023/24", 72.4, None, None),
    ("WB.6", "2024/25 Q3", 72.9, None, None),
]

TARGETS = [
    # code, year (a year, or a period: that period's milestone), type, value, direction
    ("WB.1", "2024/25", "numerical", 18.0, None),
    ("WB.1", "2024/25 Q2", "numerical", 19.0, None),
    ("WB.1", "2024/25 Q3", "numerical", 18.5, None),
    ("WB.1", "2026/27", "numerical", 15.0, None),  # the plan's ambition
    ("WB.2", "2023/24", "numerical", 8.0, None),
    ("WB.2", "2024/25", "numerical", 7.5, None),  # the school year's ambition: below 2023/24's
    ("WB.3", "2024/25", "numerical", 70.0, None),
    ("WB.3", "2024/25 Q2", "numerical", 60.0, None),
    ("WB.3", "2024/25 Q3", "numerical", 65.0, None),
    ("WB.4", "2024/25", "none", None, None),
    ("WB.5", "2024/25", "numerical", 20.0, None),
    ("WB.6", "2024/25", "numerical", 74.0, None),
]

COMMENTARY = [
    # period, code, seq, text
    (
        "2024/25 Q3",
        "WB.1",
        1,
        "Illustrative commentary: attendance officers now contact every "
        "family after the third unexplained absence.",
    ),
    (
        "2024/25 Q3",
        "WB.5",
        1,
        "Illustrative commentary: suspensions of pupils with a plan rose "
        "in the autumn term; schools are reviewing reasonable adjustments.",
    ),
]

COMPARATORS = [
    # code, subject, period, area, value, derived, quote
    (
        "WB.1",
        "Persistent absence",
        "2023/24",
        "England",
        20.7,
        "false",
        "Illustrative: England 20.7%",
    ),
    (
        "WB.1",
        "Persistent absence",
        "2023/24",
        "South West",
        21.4,
        "false",
        "Illustrative: South West 21.4%",
    ),
    (
        "WB.2",
        "Suspensions per 100 pupils",
        "2022/23",
        "Similar authorities",
        9.1,
        "false",
        "Illustrative: similar authorities 9.1 per 100",
    ),
]

TABLES = {
    "periods.csv": (
        ("period", "framework", "title", "kind", "target_year", "previous"),
        PERIODS,
    ),
    "priorities.csv": (("framework", "priority", "title"), PRIORITIES),
    "measures.csv": (
        (
            "framework",
            "code",
            "name",
            "priority",
            "category",
            "polarity",
            "unit",
            "year_basis",
            "aggregation",
        ),
        [(FRAMEWORK, *m) for m in MEASURES],
    ),
    "values.csv": (("code", "period", "value", "count", "note"), VALUES),
    "targets.csv": (("code", "year", "type", "value", "direction"), TARGETS),
    "commentary.csv": (("period", "code", "seq", "text"), COMMENTARY),
    "comparators.csv": (
        ("code", "subject", "period", "area", "value", "derived", "quote"),
        COMPARATORS,
    ),
}

#: the six files every portfolio must have; the rest are optional
REQUIRED = (
    "portfolio.yml",
    "periods.csv",
    "priorities.csv",
    "measures.csv",
    "values.csv",
    "targets.csv",
)


def _cell(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v)) if abs(v) >= 100 else f"{v:.1f}"
    return str(v)


#: optional columns the example gives, left out of the minimal folder (their defaults apply)
OPTIONAL_COLUMNS = {"measures.csv": ("aggregation",)}


def write_example(out: Path = OUT, *, minimal: bool = False) -> Path:
    """Write the example portfolio to ``out``; ``minimal``: only the six required files,
    without the optional columns of ``OPTIONAL_COLUMNS``."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "portfolio.yml").write_text(PORTFOLIO, encoding="utf-8")
    for name, (header, rows) in TABLES.items():
        if minimal and name not in REQUIRED:
            continue
        if minimal and name in OPTIONAL_COLUMNS:
            keep = [i for i, h in enumerate(header) if h not in OPTIONAL_COLUMNS[name]]
            header = tuple(header[i] for i in keep)
            rows = [tuple(row[i] for i in keep) for row in rows]
        with open(out / name, "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(header)
            w.writerows([_cell(v) for v in row] for row in rows)
    return out


def main(argv: list[str] | None = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(
        description="Write the illustrative Westbury example portfolio (synthetic figures)."
    )
    ap.add_argument("out", nargs="?", type=Path, default=OUT, help=f"folder (default {OUT})")
    args = ap.parse_args(argv)
    print(f"Wrote the illustrative example portfolio to {write_example(args.out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
