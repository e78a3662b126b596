"""The data-quality report: what the import noticed in the sources and what validation found."""

from __future__ import annotations

import pandas as pd

from .load import Dataset


def quality_report(ds: Dataset) -> pd.DataFrame:
    """One row per note: ``id, check, location, issue, resolution``.

    The import's findings (``quality_notes`` table) come first, then the notes validation
    left on this load (e.g. printed totals that differ from their rows by rounding).
    """
    rows = ds.tables["quality_notes"][["id", "check", "location", "issue", "resolution"]].copy()
    extra = [
        {
            "id": f"V{i:03d}",
            "check": "rounding",
            "location": f"{p.file}"
            + (f" row {p.row}" if p.row else "")
            + (f", {p.column}" if p.column else ""),
            "issue": p.found,
            "resolution": "Shown as printed; " + p.expected,
        }
        for i, p in enumerate(ds.notes, start=1)
    ]
    return pd.concat([rows, pd.DataFrame(extra, columns=rows.columns)], ignore_index=True)


def summary(ds: Dataset) -> str:
    """A short description of what the dataset holds."""
    t = ds.tables
    parts = [
        f"{len(t['measures'])} measures in {t['measures']['framework'].nunique()} frameworks",
        f"{len(t['values'])} values",
        f"{len(t['targets'])} targets",
        f"{len(t['commentary'])} commentary paragraphs",
        f"{len(t['comparators'])} comparator figures",
        f"{len(t['periods'])} reporting periods ({', '.join(t['periods']['period'])})",
    ]
    finance = [n for n in t if n.startswith("finance_")]
    if finance:
        parts.append(f"{sum(len(t[n]) for n in finance)} finance rows in {len(finance)} tables")
    return "; ".join(parts)
