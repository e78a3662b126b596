"""The finance page's reconciliation: every printed total and identity recomputed (printed,
computed, difference, status), mismatches first and never corrected, and the import's notes
on the printed finance tables."""

from __future__ import annotations

import pandas as pd

from ..dataset import finance, formats
from ..dataset.formats import is_blank
from .context import Report
from .finance_tables import CHECK_STATUS, check_badge, has_finance, illustrative, precise
from .markup import Html, esc, heading, join, paragraphs, table


def _quality_notes(report: Report) -> pd.DataFrame:
    """Import notes on the printed tables this page shows: those located at ("file, section",
    or a line of it) a source of the period's finance or business-case rows (their ``source``
    and ``*_source`` columns, e.g. the proposals summary table behind the business cases)."""
    q = report.dataset.tables.get("quality_notes")
    if q is None or q.empty:
        return pd.DataFrame()
    sources: set[str] = set()
    for name, df in report.dataset.tables.items():
        if (name.startswith("finance_") or name == "business_cases") and "period" in df:
            rows = df[df["period"] == report.period]
            for col in [c for c in rows.columns if c == "source" or c.endswith("_source")]:
                sources |= {str(x) for x in rows[col] if not is_blank(x)}

    def on_page(location: object) -> bool:
        loc = str(location)
        return any(loc == s or loc.startswith(f"{s}, ") for s in sources)

    return q[q["location"].map(on_page).astype(bool)].reset_index(drop=True)


def _checks_table(report: Report, rec: pd.DataFrame, caption: str) -> Html:
    """The checks ``rec`` as a table: table, line, column, check, unit, printed, computed,
    difference and status."""
    shown = pd.DataFrame(
        {
            "Table": rec["table"].str.removeprefix("finance_").str.replace("_", " ").tolist(),
            "Line": [esc(x) for x in rec["line"]],
            "Column": rec["column"].astype(str).str.replace("_", " ").tolist(),
            "Check": rec["description"].tolist(),
            "Unit": rec["unit"].tolist(),
            "Printed": [
                formats.money(v, u) for v, u in zip(rec["printed"], rec["unit"], strict=True)
            ],
            "Computed": [precise(v, u) for v, u in zip(rec["computed"], rec["unit"], strict=True)],
            "Difference": [
                precise(v, u) for v, u in zip(rec["difference"], rec["unit"], strict=True)
            ],
            "Status": [str(check_badge(s)) for s in rec["status"]],
        }
    )
    return table(
        shown,
        illustrative(report, caption),
        row_header="Line",
        numeric=["Printed", "Computed", "Difference"],
        raw=["Line", "Status"],
    )


def reconciliation_section(report: Report) -> Html:
    """Every printed total and identity: printed, computed, difference and status (ok /
    rounding / mismatch); mismatches listed first and never corrected; then the import's
    notes on these tables (misprints, unit inconsistencies)."""
    if not has_finance(report):
        return Html("")
    rec = finance.reconcile(report.dataset, report.period)
    parts = [heading("Reconciliation: every printed total recomputed", 2, anchor="reconciliation")]
    counts = rec["status"].value_counts()
    parts.append(
        paragraphs(
            [
                f"{len(rec)} checks: {int(counts.get('ok', 0))} ok, "
                f"{int(counts.get('rounding', 0))} within rounding, "
                f"{int(counts.get('mismatch', 0))} mismatches. Printed figures are shown as "
                "printed; a mismatch is reported here, never corrected."
            ]
        )
    )
    key = pd.DataFrame(
        {
            "Status": [str(check_badge(k)) for k in CHECK_STATUS],
            "Meaning": [v[2] for v in CHECK_STATUS.values()],
        }
    )
    parts.append(table(key, "Key to reconciliation statuses", row_header="Status", raw=["Status"]))
    mism = rec[rec["status"] == "mismatch"]
    if len(mism):
        parts.append(heading("Mismatches", 3))
        parts.append(
            "<ul>"
            + "".join(
                f"<li>{esc(r['table'])}: {esc(r['line'])} ({esc(r['column'])}) printed "
                f"{esc(formats.money(r['printed'], r['unit']))}, computed "
                f"{esc(precise(r['computed'], r['unit']))}, difference "
                f"{esc(precise(r['difference'], r['unit']))} {esc(r['unit'])}</li>"
                for _, r in mism.iterrows()
            )
            + "</ul>"
        )
    rank = {"mismatch": 0, "rounding": 1, "ok": 2}
    rec = rec.assign(_r=rec["status"].map(rank)).sort_values("_r", kind="stable")
    exact = rec["status"] == "ok"
    if (~exact).any():
        parts.append(
            _checks_table(
                report,
                rec[~exact],
                f"Printed finance figures that differ from their rows, {report.period}: "
                "mismatches first, then rounding",
            )
        )
    if exact.any():  # the long list an auditor wants and a councillor need not scroll past
        n = int(exact.sum())
        parts.append(
            f"<details><summary>The {n} check{'s' if n != 1 else ''} that agree exactly"
            "</summary>"
            + str(
                _checks_table(
                    report,
                    rec[exact],
                    f"Printed finance figures that agree with their rows, {report.period}",
                )
            )
            + "</details>"
        )
    q = _quality_notes(report)
    if len(q):
        parts.append(heading("Notes on the printed finance tables", 3))
        frame = q[["id", "location", "issue", "resolution"]].copy()
        frame.columns = ["Id", "Where", "Issue", "Resolution"]
        parts.append(
            table(
                frame,
                "Misprints and inconsistencies in this period's finance tables, and how each "
                "was resolved",
                row_header="Id",
            )
        )
    return join(*parts)
