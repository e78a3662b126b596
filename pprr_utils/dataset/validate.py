"""Cross-table checks: unique keys, references, sums against printed totals, plausibility."""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Iterable, Iterator
from typing import Any

import pandas as pd

from .checks import key_problems
from .errors import Problem
from .periods import parse_period
from .schema import RowCheck, SumCheck, Table, all_tables, table


def _fname(spec: Table, xlsx: str | None) -> str:
    return f"{xlsx}[{spec.name}]" if xlsx else f"{spec.name}.csv"


def _row(i: int) -> int:
    return int(i) + 2


def check_keys(df: pd.DataFrame, spec: Table, fname: str) -> list[Problem]:
    """A problem on each repeat of the table's key (``checks.key_problems``, pandera)."""
    return key_problems(df, spec, fname)


def check_refs(tables: dict[str, pd.DataFrame], spec: Table, fname: str) -> list[Problem]:
    problems = []
    df = tables[spec.name]
    for col, other, ocol in spec.refs:
        if other not in tables:
            continue
        known = set(tables[other][ocol].dropna().tolist())
        for i, v in df[col].items():
            if v is None or (isinstance(v, float) and math.isnan(v)):
                continue
            if v not in known:
                problems.append(
                    Problem(
                        fname,
                        _row(i),
                        col,
                        f"unknown {col} {v!r}",
                        f"expected a {ocol} listed in {other}",
                    )
                )
    return problems


def tolerance(n_terms: int, step: float) -> float:
    """Largest difference rounding of printed figures can explain."""
    return step * (n_terms + 1) / 2 + 1e-9


def _fmt(v: float, step: float) -> str:
    decimals = max(0, -int(math.floor(math.log10(step)))) if step < 1 else 0
    return f"{v:,.{decimals}f}"


def rounding_status(printed: float, computed: float, n_terms: int = 1, step: float = 1.0) -> str:
    """ok when a printed figure equals its rows, rounding when the difference is within the
    rounding of ``n_terms`` printed figures (``tolerance``), else mismatch."""
    diff = abs(printed - computed)
    if diff < 1e-9:
        return "ok"
    return "rounding" if diff <= tolerance(n_terms, step) else "mismatch"


def _compare(fname, row, col, label, printed, computed, n_terms, step, what) -> list[Problem]:
    status = rounding_status(printed, computed, n_terms, step)
    if status == "ok":
        return []
    sev = "note" if status == "rounding" else "error"
    diff = printed - computed
    found = f"{label}: {what} printed {_fmt(printed, step)} but its rows give {_fmt(computed, step)} (difference {_fmt(diff, step)})"
    expected = (
        "within rounding of the printed figures, shown as printed"
        if sev == "note"
        else "expected the rows to add up to the printed total"
    )
    return [Problem(fname, row, col, found, expected, severity=sev)]


def sum_targets(
    df: pd.DataFrame, check: SumCheck
) -> Iterator[tuple[Any, pd.Series, pd.DataFrame, str]]:
    """Each printed subtotal and total row with the item rows it sums: (index, row, items,
    which items in words), block by block of ``check.scope``."""
    blocks = df.groupby(list(check.scope), sort=False, dropna=False) if check.scope else [((), df)]
    for _, block in blocks:
        items = block[block[check.row_type] == "item"]
        for i, r in block.iterrows():
            if r[check.row_type] == "subtotal" and check.group:
                group = r[check.group]
                yield i, r, items[items[check.group] == group], f"{check.group} {group}"
            elif r[check.row_type] == "total":
                yield i, r, items, "all items"


def sum_comparisons(
    df: pd.DataFrame, check: SumCheck
) -> Iterator[tuple[Any, pd.Series, str, float, float, int, str]]:
    """Each printed subtotal/total figure against the sum of its item rows: (index, row,
    column, printed, computed, number of rows summed, which items in words); blank printed
    figures are skipped and blank item cells left out. The one place that adds rows up for
    ``check_sums`` and ``finance.reconcile``."""
    for i, r, parts, what in sum_targets(df, check):
        for col in check.columns:
            if pd.isna(r[col]):
                continue
            values = parts[col].dropna().tolist()
            yield i, r, col, float(r[col]), float(sum(values)), len(values), what


def check_sums(df: pd.DataFrame, check: SumCheck, fname: str) -> list[Problem]:
    """Compare each printed subtotal and total with the sum of its item rows."""
    problems: list[Problem] = []
    for i, r, col, printed, computed, n, _ in sum_comparisons(df, check):
        label = str(r[check.label])
        problems += _compare(fname, _row(i), col, label, printed, computed, n, check.step, col)
    return problems


def check_rows(df: pd.DataFrame, check: RowCheck, fname: str) -> list[Problem]:
    problems: list[Problem] = []
    for i, r in df.iterrows():
        if "row_type" in df.columns and r["row_type"] not in check.row_types:
            continue
        if pd.isna(r[check.result]) or any(pd.isna(r[c]) for _, c in check.terms):
            continue
        parts = [sign * float(r[c]) for sign, c in check.terms]
        formula = " ".join(("+ " if s > 0 else "- ") + c for s, c in check.terms).lstrip("+ ")
        problems += _compare(
            fname,
            _row(i),
            check.result,
            str(r[check.label]),
            float(r[check.result]),
            float(sum(parts)),
            len(parts),
            check.step,
            f"{check.result} (= {formula})",
        )
    return problems


def _period_end(label: str) -> _dt.date:
    p = parse_period(label)
    if p.quarter is None:
        return _dt.date(p.start + 1, 3, 31)
    month = 3 * p.quarter + 3  # Q1 ends June
    year = p.start + (1 if month > 12 else 0)
    month = month - 12 if month > 12 else month
    return _dt.date(year, month, 28)


def check_semantics(
    tables: dict[str, pd.DataFrame], xlsx: str | None, today: _dt.date | None = None
) -> list[Problem]:
    """Checks no single table can make: future periods, unknown priorities, value/target sense."""
    from .schema import table

    today = today or _dt.date.today()
    problems: list[Problem] = []
    values = tables.get("values")
    if values is not None:
        fname = _fname(table("values"), xlsx)
        for i, r in values.iterrows():
            if r["period"] and _period_end(r["period"]).replace(day=1) > today:
                problems.append(
                    Problem(
                        fname,
                        _row(i),
                        "period",
                        f"{r['period']} is in the future",
                        f"expected a period that has started by {today.isoformat()}",
                    )
                )
            if pd.isna(r["value"]) and not r["note"] and r["kind"] == "actual":
                problems.append(
                    Problem(
                        fname,
                        _row(i),
                        "note",
                        "no value and no note",
                        "expected a value, or a note saying why there is none",
                    )
                )
    measures = tables.get("measures")
    priorities = tables.get("priorities")
    if measures is not None and priorities is not None:
        fname = _fname(table("measures"), xlsx)
        known = set(zip(priorities["framework"], priorities["priority"], strict=True))
        for i, r in measures.iterrows():
            if (r["framework"], r["priority"]) not in known:
                have = sorted(p for f, p in known if f == r["framework"])
                problems.append(
                    Problem(
                        fname,
                        _row(i),
                        "priority",
                        f"unknown priority {r['priority']} for framework {r['framework']}",
                        f"expected one of {have}",
                    )
                )
    targets = tables.get("targets")
    if targets is not None:
        fname = _fname(table("targets"), xlsx)
        for i, r in targets.iterrows():
            if r["type"] == "numerical" and pd.isna(r["value"]):
                problems.append(
                    Problem(
                        fname,
                        _row(i),
                        "value",
                        "a numerical target with no value",
                        "expected the target figure",
                    )
                )
            if r["type"] == "direction" and not r["direction"]:
                problems.append(
                    Problem(
                        fname,
                        _row(i),
                        "direction",
                        "a direction target with no direction",
                        "expected maximise, minimise or maintain",
                    )
                )
            if r["type"] == "comparator" and not r["comparator"]:
                problems.append(
                    Problem(
                        fname,
                        _row(i),
                        "comparator",
                        "a comparator target with no comparator",
                        "expected an area such as England",
                    )
                )
    return problems


def check_comparator_areas(
    tables: dict[str, pd.DataFrame], areas: tuple[str, ...], xlsx: str | None = None
) -> list[Problem]:
    """Each comparator figure's ``area`` is one the portfolio quotes (``comparator_areas``)."""
    df = tables.get("comparators")
    if df is None or df.empty or not areas:
        return []
    bad = ~df["area"].isin(areas)
    fname = _fname(table("comparators"), xlsx)
    expected = "expected one of the portfolio's comparator_areas: " + ", ".join(areas)
    return [
        Problem(fname, _row(i), "area", f"found {a!r}", expected)
        for i, a in zip(df.index[bad], df.loc[bad, "area"], strict=True)
    ]


def validate_tables(
    tables: dict[str, pd.DataFrame],
    xlsx: str | None = None,
    specs: Iterable[Table] | None = None,
    portfolio: Any = None,
) -> list[Problem]:
    """Every cross-table check; returns errors and notes (``severity``). ``portfolio``
    (``portfolio.Portfolio``) adds the checks its settings imply (comparator areas)."""
    problems: list[Problem] = []
    if portfolio is not None:
        problems += check_comparator_areas(tables, portfolio.comparator_areas, xlsx)
    for spec in specs or all_tables():
        if spec.name not in tables:
            continue
        df = tables[spec.name]
        fname = _fname(spec, xlsx)
        problems += check_keys(df, spec, fname)
        problems += check_refs(tables, spec, fname)
        for sc in spec.sum_checks:
            problems += check_sums(df, sc, fname)
        for rc in spec.row_checks:
            problems += check_rows(df, rc, fname)
    problems += check_semantics(tables, xlsx)
    return problems
