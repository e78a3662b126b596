"""Data-quality findings on the published finance and plans tables.

A finding is a dict (id, check, location, issue, resolution) that ``pprr build-data`` writes
to ``quality_notes.csv``: what the parsers noticed in a raw file (``finding``), printed totals
that differ from their rows by rounding, and figures printed in two tables that disagree.
"""

from __future__ import annotations

import pandas as pd

from ..dataset.errors import DataError
from ..dataset.formats import format_money
from .finance_raw import Line, Raw


def finding(check: str, raw: Raw, line: Line | None, issue: str, resolution: str) -> dict:
    """A finding located at ``raw`` (and ``line`` of its seed, when given); id left empty."""
    where = f"{raw.seed}, {raw.caption}" + (f", line {line.no}" if line else "")
    return dict(id="", check=check, location=where, issue=issue, resolution=resolution)


def number(findings: list[dict], prefix: str) -> list[dict]:
    """The findings with ids ``<prefix>-01``, ``<prefix>-02``, ... in order."""
    return [dict(f, id=f"{prefix}-{i:02d}") for i, f in enumerate(findings, 1)]


def rounding_findings(tables: dict[str, pd.DataFrame]) -> list[dict]:
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


def cross_findings(tables: dict[str, pd.DataFrame]) -> list[dict]:
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
