"""The data-quality page: the notes that touch the period's figures (``dataset.quality.
period_notes``), and the overview's pointer to it.

The import's notes say how a misprint or an inconsistency in a source was read; only those
on figures the period's pack shows are listed (the whole list: ``pprr validate --report``).
The public edition leaves out a note that quotes a figure it suppresses
(``dataset.quality.withheld``).
"""

from __future__ import annotations

import pandas as pd

from ..dataset import quality
from .context import Report
from .markup import Html, esc, heading, join, paragraphs, table

#: the page's file name in a period's folder (``batch.plan``)
PAGE = "quality.html"


def period_notes(report: Report) -> tuple[pd.DataFrame, int]:
    """The notes the page lists, and how many the public edition leaves out."""
    notes = quality.period_notes(report.dataset, report.period)
    if not report.public or notes.empty:
        return notes, 0
    out = quality.withheld(report.dataset, notes)
    return notes[~out].reset_index(drop=True), int(out.sum())


def _withheld_text(n: int) -> str:
    return (
        f"{n} {'note quotes' if n == 1 else 'notes quote'} figures this edition suppresses and "
        f"{'is' if n == 1 else 'are'} left out."
    )


def quality_notes(report: Report) -> Html:
    """The data-quality page's sections: the import's notes on the period's figures, then
    the notes validation left on the period's rows (e.g. rounding in printed totals)."""
    notes, left_out = period_notes(report)
    imported = notes[~notes["id"].astype(str).str.match(r"V\d+$")]
    checks = notes[notes["id"].astype(str).str.match(r"V\d+$")]
    lead = (
        f"How the sources of the figures in this report ({report.period}) were read where "
        "they were misprinted or inconsistent, and how each was resolved. Only notes on the "
        "figures, tables and documents this report uses are listed."
    )
    parts = [paragraphs([lead])]
    if left_out:
        parts.append(paragraphs([f"{report.edition_label}: {_withheld_text(left_out)}"]))
    parts.append(heading("Notes on the sources", 2, anchor="source-notes"))
    if imported.empty:
        parts.append(paragraphs(["The import recorded no notes on this period's figures."]))
    else:
        frame = imported[["id", "check", "location", "issue", "resolution"]].copy()
        frame.columns = ["Id", "Check", "Where", "Issue", "Resolution"]
        parts.append(
            table(
                frame,
                f"Misprints and inconsistencies in the sources of {report.period}'s figures, "
                "and how each was resolved",
                row_header="Id",
            )
        )
    if not checks.empty:
        frame = checks[["id", "location", "issue", "resolution"]].copy()
        frame.columns = ["Id", "Where", "Found", "Resolution"]
        parts.append(heading("Validation notes", 2, anchor="validation-notes"))
        parts.append(
            table(
                frame,
                f"Notes left by validation on {report.period}'s rows (e.g. rounding in "
                "printed totals)",
                row_header="Id",
            )
        )
    return join(*parts)


def quality_link(report: Report) -> Html:
    """The overview's pointer to the data-quality page (when the period has notes); nothing
    when the portfolio keeps no data-quality notes at all."""
    notes, left_out = period_notes(report)
    parts = [heading("Data-quality notes", 2, anchor="data-quality")]
    if notes.empty and not left_out:
        if (
            report.dataset.tables.get("quality_notes") is None
            or report.dataset.tables["quality_notes"].empty
        ):
            return Html("")  # an absent optional table: no page mentions it
        parts.append(paragraphs(["No data-quality note touches this period's figures."]))
        return join(*parts)
    n = len(notes)
    if n:
        parts.append(
            Html(
                f"<p>{n} data-quality {'note says' if n == 1 else 'notes say'} how misprints "
                "and inconsistencies in the sources of this period's figures were read: see "
                f'<a href="{PAGE}">data-quality notes, {esc(report.period)}</a>.</p>'
            )
        )
    if left_out:
        parts.append(paragraphs([f"{report.edition_label}: {_withheld_text(left_out)}"]))
    return join(*parts)


def has_notes(dataset: object, period: str) -> bool:
    """Does ``period`` have a data-quality page (any note touching its figures)?"""
    return not quality.period_notes(dataset, period).empty
