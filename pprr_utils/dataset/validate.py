"""Cross-table checks: unique keys, references, sums against printed totals, plausibility."""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np
import pandas as pd

from .checks import key_problems
from .coverage import run_problems
from .errors import Problem
from .figures import case_twins, did_you_mean, scale_problems, unit_problems
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
    """A problem on every cell naming a row of another table that is not there (codes are
    case-sensitive; a near miss gets a "did you mean"). Whole columns at a time."""
    problems = []
    df = tables[spec.name]
    for col, other, ocol in spec.refs:
        if other not in tables:
            continue
        known = pd.unique(tables[other][ocol].dropna())
        cells = df[col]
        unknown = (cells.notna() & ~cells.isin(known)).to_numpy()
        hints: dict[Any, str] = {}
        for i in np.flatnonzero(unknown):
            v = cells.iat[i]
            if v not in hints:
                hints[v] = did_you_mean(v, known) if isinstance(v, str) else ""
            problems.append(
                Problem(
                    fname,
                    _row(i),
                    col,
                    f"unknown {col} {v!r}",
                    f"expected a {ocol} listed in {other}{hints[v]}",
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
        "within rounding of the printed figures"
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


def _rows(mask: Any) -> list[int]:
    return [_row(i) for i in np.flatnonzero(np.asarray(mask, dtype=bool))]


def check_semantics(
    tables: dict[str, pd.DataFrame], xlsx: str | None, today: _dt.date | None = None
) -> list[Problem]:
    """Checks no single table can make: future periods, unknown priorities, value/target
    sense, figures impossible for their unit or scale, codes differing only in case.
    Whole columns at a time."""
    from .schema import table

    today = today or _dt.date.today()
    problems: list[Problem] = []
    values = tables.get("values")
    measures = tables.get("measures")
    targets = tables.get("targets")
    if values is not None:
        fname = _fname(table("values"), xlsx)
        starts = {
            p: _period_end(p).replace(day=1) > today for p in pd.unique(values["period"].dropna())
        }
        future = values["period"].map(starts).fillna(False).to_numpy(dtype=bool)
        no_note = values["note"].isna() | (values["note"] == "")
        empty = values["value"].isna() & no_note & (values["kind"] == "actual")
        for row, (period, what) in sorted(
            [(r, (values.at[r - 2, "period"], "future")) for r in _rows(future)]
            + [(r, (None, "empty")) for r in _rows(empty)],
            key=lambda t: t[0],
        ):
            if what == "future":
                problems.append(
                    Problem(
                        fname,
                        row,
                        "period",
                        f"{period} is in the future",
                        f"expected a period that has started by {today.isoformat()}",
                    )
                )
            else:
                problems.append(
                    Problem(
                        fname,
                        row,
                        "note",
                        "no value and no note",
                        "expected a value, or a note saying why there is none",
                    )
                )
        if measures is not None:
            problems += unit_problems(values, measures, fname)
            refs = None
            if targets is not None:
                refs = targets[targets["type"] == "numerical"]
            problems += scale_problems(values, fname, refs)
    priorities = tables.get("priorities")
    if measures is not None and priorities is not None:
        fname = _fname(table("measures"), xlsx)
        known = set(zip(priorities["framework"], priorities["priority"], strict=True))
        pairs = list(zip(measures["framework"], measures["priority"], strict=True))
        for i in np.flatnonzero([pair not in known for pair in pairs]):
            fw, pr = pairs[i]
            have = sorted(p for f, p in known if f == fw)
            problems.append(
                Problem(
                    fname,
                    _row(i),
                    "priority",
                    f"unknown priority {pr} for framework {fw}",
                    f"expected one of {have}",
                )
            )
        problems += case_twins(measures, fname)
    if targets is not None:
        fname = _fname(table("targets"), xlsx)
        checks = (
            (
                targets["type"].eq("numerical") & targets["value"].isna(),
                "value",
                "a numerical target with no value",
                "expected the target figure",
            ),
            (
                targets["type"].eq("direction") & ~targets["direction"].fillna("").astype(bool),
                "direction",
                "a direction target with no direction",
                "expected maximise, minimise or maintain",
            ),
            (
                targets["type"].eq("comparator") & ~targets["comparator"].fillna("").astype(bool),
                "comparator",
                "a comparator target with no comparator",
                "expected an area such as England",
            ),
        )
        found = [
            (row, col, what, expected)
            for mask, col, what, expected in checks
            for row in _rows(mask)
        ]
        for row, col, what, expected in sorted(found, key=lambda t: t[0]):
            problems.append(Problem(fname, row, col, what, expected))
        if measures is not None:
            problems += unit_problems(targets[targets["type"] == "numerical"], measures, fname)
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


def check_disclosure_subject(
    tables: dict[str, pd.DataFrame], subject: str, xlsx: str | None = None
) -> list[Problem]:
    """Each measure's ``subject``, where given, is the portfolio's ``disclosure.subject``: a
    subject the public edition does not know would leave that measure's small counts shown."""
    df = tables.get("measures")
    if df is None or df.empty or "subject" not in df:
        return []
    given = df["subject"].map(lambda s: s.strip().lower() if isinstance(s, str) else "")
    bad = (given != "") & (given != subject.strip().lower())
    fname = _fname(table("measures"), xlsx)
    expected = (
        f"expected the portfolio's disclosure.subject {subject!r} (whose small counts the "
        "public edition suppresses) or an empty cell; set disclosure.subject in portfolio.yml "
        "if the measures count someone else"
    )
    return [
        Problem(fname, _row(i), "subject", f"found {s!r}", expected)
        for i, s in zip(df.index[bad], df.loc[bad, "subject"], strict=True)
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
    subject = portfolio.disclosure_subject if portfolio is not None else "children"
    problems += check_disclosure_subject(tables, subject, xlsx)
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
    problems += run_problems(tables, xlsx)
    return problems
