"""The data-quality report: what the import noticed in the sources and what validation found."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from .formats import is_blank
from .load import Dataset
from .periods import parse_period


def quality_report(ds: Dataset) -> pd.DataFrame:
    """One row per note: ``id, check, location, issue, resolution``.

    The import's findings (``quality_notes`` table) come first, then the notes validation
    left on this load (e.g. printed totals that differ from their rows by rounding).
    """
    rows = ds.tables["quality_notes"][NOTE_COLUMNS].copy()
    return quality_report_of(ds, rows)


def summary(ds: Dataset) -> str:
    """A short description of what the dataset holds."""
    t = ds.tables

    def n(count: int, one: str, many: str | None = None) -> str:
        return f"{count:,} {one if count == 1 else (many or one + 's')}"

    frameworks = t["measures"]["framework"].nunique()
    parts = [
        f"{n(len(t['measures']), 'measure')} in {n(frameworks, 'framework')}",
        n(len(t["values"]), "value"),
        n(len(t["targets"]), "target"),
        n(len(t["commentary"]), "commentary paragraph"),
        n(len(t["comparators"]), "comparator figure"),
        f"{n(len(t['periods']), 'reporting period')} ({', '.join(t['periods']['period'])})",
    ]
    finance = [name for name in t if name.startswith("finance_") and len(t[name])]
    if finance:  # the finance tables the portfolio keeps
        rows = sum(len(t[name]) for name in finance)
        parts.append(f"{n(rows, 'finance row')} in {n(len(finance), 'table')}")
    return "; ".join(parts)


# --------------------------------------------------------------------------- a period's notes

#: a year or quarter named in a note's text: ``2020/21``, ``2021/22 Q2``
_YEAR = re.compile(r"(?<![\d/])\d{4}/\d{2}(?: Q[1-4])?(?![\d/])")
#: a figure quoted in a note's text (after codes and years are taken out)
_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*(?![\w])")
NOTE_COLUMNS = ["id", "check", "location", "issue", "resolution"]


def _text(row: Any) -> str:
    return " ".join(str(row.get(c) or "") for c in ("location", "issue", "resolution"))


def _code_pattern(codes: set[str]) -> re.Pattern[str] | None:
    """Any of ``codes`` as a whole token, the longest first (``CFE.20(ii)`` before ``CFE.20``)."""
    if not codes:
        return None
    alts = "|".join(re.escape(c) for c in sorted(codes, key=len, reverse=True))
    return re.compile(rf"(?<![\w.])(?:{alts})(?![\w.])")


def _sources(frame: pd.DataFrame) -> set[str]:
    cols = [c for c in frame.columns if c == "source" or str(c).endswith("_source")]
    return {str(x) for c in cols for x in frame[c] if not is_blank(x)}


def _at(location: str, sources: set[str], documents: set[str]) -> bool:
    """Is ``location`` one of ``sources`` or a line of one (``"file, table"`` followed by
    ``", line 9"``, ``" (…)"`` or a code), or a whole document (``"file"``, ``"file (…)"``)
    that ``documents`` holds?"""
    loc = location.strip()
    for s in sources:
        if loc == s or (loc.startswith(s) and loc[len(s)] in " ,"):
            return True
    return ", " not in loc and loc.split(" (")[0] in documents


@dataclass
class PeriodFigures:
    """What a period's pack shows: its measures' codes, the periods shown for each code (its
    figures up to the period, the period, its target year and previous year-end) and the
    sources of every row its pages read (measures, figures, targets, comparators,
    commentary and the period's finance rows)."""

    codes: set[str]
    shown: dict[str, set[str]]
    sources: set[str]
    all_codes: set[str]

    @property
    def documents(self) -> set[str]:
        return {s.split(", ")[0] for s in self.sources}

    @cached_property
    def pattern(self) -> re.Pattern[str] | None:
        """Any measure's code, as a whole token."""
        return _code_pattern(self.all_codes)


def period_figures(ds: Any, period: str) -> PeriodFigures:
    """The figures and sources of ``period``'s pack (see :class:`PeriodFigures`)."""
    t = ds.tables
    periods = t["periods"]
    row = periods[periods["period"] == period].iloc[0].to_dict()
    measures = t["measures"]
    mine = measures[measures["framework"] == row.get("framework")]
    codes = set(mine["code"])
    own = parse_period(period)
    values = t["values"][t["values"]["code"].isin(codes)]
    values = values[values["period"].map(lambda p: parse_period(str(p)) <= own).astype(bool)]
    always = {period} | {
        str(row[k]) for k in ("target_year", "previous") if not is_blank(row.get(k))
    }
    shown = {c: set(always) for c in codes}
    for c, p in zip(values["code"], values["period"], strict=True):
        shown[c].add(str(p))
    sources = _sources(periods[periods["period"] == period]) | _sources(mine) | _sources(values)
    for name in ("targets", "comparators"):
        if name in t:
            sources |= _sources(t[name][t[name]["code"].isin(codes)])
    for name, frame in t.items():
        if (name == "commentary" or name.startswith("finance_") or name == "business_cases") and (
            "period" in frame
        ):
            sources |= _sources(frame[frame["period"] == period])
    return PeriodFigures(codes, shown, sources, set(measures["code"]))


def touches(note: Any, figures: PeriodFigures) -> bool:
    """Does an import note concern a figure of the period's pack?

    A note that names measures (by code) touches the period when it names one of the
    period's measures and, if it names years, a year (or a quarter of it) that the pack shows
    for one of them; a note that names no measure touches it when it is located at a source
    the period's pages read (a table of its document, or the whole document).
    """
    text = _text(note)
    pattern = figures.pattern
    named = set(pattern.findall(text)) if pattern else set()
    if named:
        mine = named & figures.codes
        years = set(_YEAR.findall(text))
        if not mine or not years:
            return bool(mine)
        return any(
            p == y or p.startswith(f"{y} ") for c in mine for p in figures.shown[c] for y in years
        )
    return _at(str(note.get("location") or ""), figures.sources, figures.documents)


def validation_touches(ds: Any, problem: Any, period: str) -> bool:
    """Does a note validation left (``file:row``) lie on a row of the period?"""
    name = Path(str(problem.file)).stem
    frame = ds.tables.get(name)
    if frame is None or "period" not in frame or not problem.row:
        return frame is not None and "period" not in frame
    i = int(problem.row) - 2  # the header is line 1
    return 0 <= i < len(frame) and str(frame["period"].iloc[i]) == period


def period_notes(ds: Any, period: str) -> pd.DataFrame:
    """The data-quality notes that touch ``period``'s figures (``touches``), then the notes
    validation left on the period's rows, as ``quality_report`` rows."""
    q = ds.tables.get("quality_notes")
    rows = pd.DataFrame(columns=NOTE_COLUMNS)
    if q is not None and not q.empty:
        figures = period_figures(ds, period)
        keep = [touches(r, figures) for r in q.to_dict("records")]
        rows = q.loc[pd.Series(keep, index=q.index, dtype=bool), NOTE_COLUMNS]
    validation = quality_report_of(ds, rows.iloc[0:0])
    mine = [validation_touches(ds, p, period) for p in getattr(ds, "notes", []) or []]
    validation = validation[pd.Series(mine, index=validation.index, dtype=bool)]
    return pd.concat([rows, validation], ignore_index=True)


def quality_report_of(ds: Any, rows: pd.DataFrame) -> pd.DataFrame:
    """``rows`` (import notes) followed by every note validation left, as ``quality_report``."""
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
        for i, p in enumerate(getattr(ds, "notes", []) or [], start=1)
    ]
    return pd.concat([rows, pd.DataFrame(extra, columns=NOTE_COLUMNS)], ignore_index=True)


def withheld(public_ds: Any, notes: pd.DataFrame) -> pd.Series:
    """Notes the public edition leaves out, as a mask: a note that quotes a figure (a number
    in its issue or resolution other than a code or a year) and names a measure with a
    suppressed figure or is located at a table holding one. Cautious on purpose: a note may
    quote the printed row, counts and all."""
    from .derivation import is_suppressed
    from .disclosure import rules_for

    rules = rules_for(public_ds)
    v = public_ds.tables["values"]
    hidden = v[v["note"].map(lambda n: is_suppressed(n, rules)).astype(bool)]
    codes, sources = set(hidden["code"]), _sources(hidden)
    pattern = _code_pattern(set(public_ds.tables["measures"]["code"]))

    def one(note: Any) -> bool:
        words = f"{note.get('issue') or ''} {note.get('resolution') or ''}"
        bare = _YEAR.sub(" ", pattern.sub(" ", words) if pattern else words)
        if not _NUMBER.search(bare):
            return False
        named = set(pattern.findall(_text(note))) if pattern else set()
        return bool(named & codes) or _at(str(note.get("location") or ""), sources, set())

    return pd.Series([one(r) for r in notes.to_dict("records")], index=notes.index, dtype=bool)
