"""The data-quality page: the notes that touch the period's figures (``dataset.quality.
period_notes``), and the overview's pointer to it.

The import's notes say how a misprint or an inconsistency in a source was read; only those
on figures the period's pack shows are listed (the whole list: ``pprr validate --report``).
The public edition leaves out a note that quotes a figure it suppresses
(``dataset.quality.withheld``), and shows each note by what it is about in plain words
(:func:`plain_about`: the measures it names, the table of the published document it is
on) instead of the import's internal ids, check names and source locations (the raw files
and lines an analyst uses, kept in the internal edition).
"""

from __future__ import annotations

import re

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


#: at most this many measures named in a note's "About" (more: the table it is on)
_MOST_NAMED = 3
#: a copied seed document's file name (``000_04eb1c54ff23dd3e.txt``), the start of a location
_DOCUMENT = re.compile(r"^\d{3}_[0-9a-f]+\.txt")
#: the internal parts of a location: the raw file and line, a line number, a CSV row
_INTERNAL = re.compile(r"\s*\((?:[^()]*\.(?:tsv|csv)[^()]*)\)|,\s*(?:line|row)\s+\d+\b.*$")


def _documents(dataset: object) -> dict[str, str]:
    """Each period's source document (file name) -> its published title (``periods``)."""
    periods = dataset.tables["periods"]  # type: ignore[attr-defined]
    return {
        str(src).split(",")[0].split(" (")[0].strip(): str(title)
        for src, title in zip(periods.get("source", []), periods["title"], strict=False)
        if isinstance(src, str)
    }


def _section(location: str, titles: dict[str, str], own: str) -> str:
    """The part of the published document a location names, in plain words: the table or
    section (``3.2 Revenue Budget``), with the document's title when it is not the period's
    own report; no file names, raw files or line numbers."""
    loc = _INTERNAL.sub("", location.strip()).strip()
    match = _DOCUMENT.match(loc)
    if not match:
        return "" if loc.startswith("series ") or loc.endswith((".csv", ".tsv")) else loc
    rest = loc[match.end() :].strip().lstrip(",").strip()
    rest = rest[1:-1] if rest.startswith("(") and rest.endswith(")") else rest
    title = titles.get(match.group(0))
    if title and title != own:
        return f"{rest} ({title})" if rest else title
    return rest


#: an internal name in a note's text: a column (``printed_code``), a setting (``approx=true``),
#: a module's function (``finance.reconcile``), a file (``docs/methodology.md``), a command
_IDENT = r"(?:\w+_\w+|\w+=\w+|finance\.\w+|[\w/]+\.(?:md|csv|tsv|py)|pprr \w+)"


def plain_text(text: object, *, resolution: bool = False) -> str:
    """A note's issue or resolution for the public edition: without references to the
    data's files and rows or the text copy's line numbers, internal column names, settings and commands (kept in the
    internal edition). In a resolution, a clause that only says where the data keeps
    something is left out (``printed form kept in printed_code`` -> ``printed form kept``)."""
    out = re.sub(r"\s*\[[^\]]*\.(?:csv|tsv)[^\]]*\]", "", str(text or ""))
    out = re.sub(rf"\s*\((?:[^()]*{_IDENT}[^()]*|lines? \d+(?:[-–]\d+)?)\)", "", out)
    if resolution:
        clauses = []
        for clause in re.split(r"(?<=;) |(?<=\.) (?=[A-Z])", out):
            end = clause[-1] if clause[-1:] in ";." else ""
            body = re.sub(rf"\s+(?:in|by|with)\s+{_IDENT}$", "", clause.rstrip(";."))
            if body and not re.search(_IDENT, body):
                clauses.append(body + end)
        if clauses:
            out = " ".join(clauses).rstrip(";")
            if str(text).rstrip().endswith(".") and not out.endswith("."):
                out += "."
    return re.sub(r"(?<=\w)_(?=\w)", " ", out)


def plain_about(report: Report, note: dict) -> str:
    """What a note is about, for the public edition: the measures it names (code and name),
    then the table or section of the published document it is on; a validation note on a
    table's row by that row's own source."""
    location = str(note.get("location") or "")
    if re.match(r"V\d+$", str(note.get("id") or "")):
        name, _, rest = location.partition(" row ")
        frame = report.dataset.tables.get(name.removesuffix(".csv"))
        row = re.match(r"\d+", rest)
        if frame is not None and row and "source" in frame:
            i = int(row.group(0)) - 2  # the header is line 1
            if 0 <= i < len(frame) and isinstance(frame["source"].iloc[i], str):
                location = frame["source"].iloc[i]
    measures = report.dataset.tables["measures"]
    names = dict(zip(measures["code"], measures["name"], strict=True))
    pattern = quality._code_pattern(set(names))
    codes: list[str] = []
    for fields in (("location", "issue"), ("resolution",)):  # a code printed with a space:
        text = " ".join(str(note.get(c) or "") for c in fields)  # the resolution's code
        codes = codes or (list(dict.fromkeys(pattern.findall(text))) if pattern else [])
    # a note on a whole table of measures names them all: the table says it
    named = "; ".join(f"{c} {names[c]}" for c in codes) if len(codes) <= _MOST_NAMED else ""
    section = _section(location, _documents(report.dataset), report.title)
    if pattern and codes:  # a location ending in a code it names (``... Progress CFSE.2``)
        section = pattern.sub("", section).strip()
    about = ": ".join(x for x in (section, named) if x) or "The report as a whole"
    return about[:1].upper() + about[1:]


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
        if report.public:
            frame = _public(report, imported, "What the source showed")
        else:
            frame = imported[["id", "check", "location", "issue", "resolution"]].copy()
            frame.columns = ["Id", "Check", "Where", "Issue", "Resolution"]
        parts.append(
            table(
                frame,
                f"Misprints and inconsistencies in the sources of {report.period}'s figures, "
                "and how each was resolved",
                row_header=frame.columns[0],
            )
        )
    if not checks.empty:
        if report.public:
            frame = _public(report, checks, "What was found")
        else:
            frame = checks[["id", "location", "issue", "resolution"]].copy()
            frame.columns = ["Id", "Where", "Found", "Resolution"]
        parts.append(heading("Validation notes", 2, anchor="validation-notes"))
        parts.append(
            table(
                frame,
                f"Notes left by validation on {report.period}'s rows (e.g. rounding in "
                "printed totals)",
                row_header=frame.columns[0],
            )
        )
    return join(*parts)


def _public(report: Report, notes: pd.DataFrame, found: str) -> pd.DataFrame:
    """The public edition's columns: what each note is about in plain words, what was found
    and how it was read (no internal id, check name or source location)."""
    return pd.DataFrame(
        {
            "About": [plain_about(report, n) for n in notes.to_dict("records")],
            found: [plain_text(t) for t in notes["issue"]],
            "How it was read": [plain_text(t, resolution=True) for t in notes["resolution"]],
        }
    )


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
