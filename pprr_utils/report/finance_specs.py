"""The finance page's sections as specs: a ``Section`` is built round one ``MoneyTable`` (the
``finance`` function that gives its rows, its caption and columns), with a lead paragraph and
what follows it; ``render`` is the one loop that draws them. Calling a ``Section`` with a
report renders it, so a notebook cell calls a spec as it would a function."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from ..dataset.load import Dataset
from .context import Report
from .finance_tables import (
    check_badge,
    first_value,
    illustrative,
    money_table,
    period_view,
    quarter,
    unit_of,
)
from .markup import Html, heading, join, paragraphs

#: the words a spec's text may name: {period}, {unit}, {year}, {prev} (the previous report),
#: {previous_report} (the same, or "the previous report"), {now} (the quarter)
Words = Mapping[str, str]
#: what follows a section's table: a table of another view, a sub-section, or a function
#: (report, the section's frame, its words) -> HTML
Part = Callable[[Report, pd.DataFrame, Words], str]


@dataclass(frozen=True, eq=False)
class MoneyTable:
    """One printed finance table as the page shows it: the ``finance`` function that gives its
    rows and ``money_table``'s columns. Captions and headers may name the ``Words``."""

    view: Callable[[Dataset, str], pd.DataFrame]
    caption: str
    label: tuple[str, str]
    money: Mapping[str, str]
    before: Mapping[str, str] = field(default_factory=dict)
    text: Mapping[str, str] = field(default_factory=dict)
    #: ready-made columns after the figures: (frame, words) -> {header: cells}
    raw: Callable[[pd.DataFrame, Words], dict[str, list]] | None = None
    #: header of the last column: each row's check badge (from its ``status``)
    check: str = ""
    #: leave out figure columns with no figures, and the check when nothing was checked
    optional: bool = False
    #: an ``<h3>`` above the table (when it follows a section's own table)
    heading: str = ""
    #: the unit when the frame names none
    unit: str = "£000"

    def shown_money(self, frame: pd.DataFrame, words: Words) -> dict[str, str]:
        """The figure columns shown (column -> header in ``words``)."""
        return {
            c: h.format(**words)
            for c, h in self.money.items()
            if not self.optional or frame[c].notna().any()
        }


@dataclass(frozen=True, eq=False)
class Section:
    """A part of the page built round one table: its heading (level 2 with an anchor, or 3),
    an optional lead paragraph from the frame, the table, then what follows it (``Part``s)."""

    heading: str
    table: MoneyTable
    anchor: str = ""
    level: int = 2
    lead: Callable[[pd.DataFrame, Words], str | None] | None = None
    after: tuple[MoneyTable | Section | Part, ...] = ()

    def __call__(self, report: Report) -> Html:
        """The section of ``report``'s page (``render``): a notebook cell calls it."""
        return render(report, self)


def words_of(report: Report, frame: pd.DataFrame, unit: str = "£000") -> dict[str, str]:
    """The ``Words`` of a section's frame: its unit (``unit`` when it names none), year and
    previous report, with the report's period and quarter."""
    p = report.period
    prev = first_value(frame, "previous_report") if "previous_report" in frame else ""
    return {
        "period": p,
        "unit": unit_of(frame, unit),
        "year": first_value(frame, "year", p) if "year" in frame else p,
        "prev": prev,
        "previous_report": prev or "the previous report",
        "now": quarter(p),
    }


def render_table(report: Report, spec: MoneyTable, frame: pd.DataFrame, words: Words) -> Html:
    """``spec``'s table of ``frame`` through ``money_table``, its text in ``words``."""
    raw = dict(spec.raw(frame, words)) if spec.raw else {}
    if spec.check and (not spec.optional or frame["status"].notna().any()):
        raw[spec.check] = [check_badge(s) for s in frame["status"]]
    return money_table(
        frame,
        illustrative(report, spec.caption.format(**words)),
        label=spec.label,
        money=spec.shown_money(frame, words),
        unit=words["unit"],
        text=spec.text,
        raw=raw,
        before=spec.before,
    )


def render(report: Report, section: Section) -> Html:
    """The section: empty when its table's view has no rows for the period."""
    frame = period_view(report, section.table.view)
    if frame.empty:
        return Html("")
    words = words_of(report, frame, section.table.unit)
    parts = [heading(section.heading.format(**words), section.level, anchor=section.anchor or None)]
    lead = section.lead(frame, words) if section.lead else None
    if lead:
        parts.append(paragraphs([lead]))
    parts.append(render_table(report, section.table, frame, words))
    for part in section.after:
        if isinstance(part, Section):
            parts.append(part(report))
        elif isinstance(part, MoneyTable):
            rows = period_view(report, part.view)
            if len(rows):
                if part.heading:
                    parts.append(heading(part.heading.format(**words), 3))
                parts.append(render_table(report, part, rows, words))
        else:
            parts.append(part(report, frame, words))
    return join(*parts)
