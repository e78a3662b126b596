"""A page's head and edition: the ``<h1>`` and title, the public edition's notice and how a
suppressed figure is shown."""

from __future__ import annotations

import re
from typing import Any

from ..dataset.formats import is_blank
from .context import Report
from .markup import Html, esc, heading, join, note, stylesheet


def finance_public_note(report: Report) -> str:
    """The finance page's public-edition note: its figures are not counts of people."""
    rules = _disclosure_rules(report)
    return (
        f"{report.edition_label}: small counts of {rules.subject} are suppressed and shown as "
        f"{rules.symbol}; the finance figures are not counts of {rules.subject} "
        "and are shown in full."
    )


def _period_after(report: Report) -> str:
    """`` (2021/22 Q2)`` after a report title that does not name its period already."""
    return "" if str(report.period) in str(report.title) else f" ({esc(report.period)})"


def _council(report: Report) -> str:
    return f"{report.council}: " if report.council else ""


def page_header(report: Report, *, page: str = "overview") -> Html:
    """The page's style block, its one ``<h1>``, the report title and edition notes.

    ``page`` is ``overview``, ``priority`` (the report's priority in the h1), ``finance``,
    ``outcomes`` or ``quality``.
    """
    if page == "priority" and report.priority_info:
        h1 = f"Priority {report.priority}: {report.priority_info['title']}"
    elif page == "finance":
        h1 = f"{report.portfolio_name}: finance and resources"
    elif page == "quality":
        h1 = f"{report.portfolio_name}: data-quality notes"
    elif page == "outcomes":
        p = report.dataset.portfolio
        h1 = f"{report.portfolio_name}: {p.outcomes_title if p else 'outcomes framework'}"
    else:
        h1 = f"{report.portfolio_name}: portfolio overview"
    about = {
        "finance": ": financial resources and monitoring.",
        "outcomes": f"; the outcomes framework's measures in the {esc(report.framework)} "
        "framework.",
        "quality": ": how the sources of its figures were read.",
    }.get(page, f"; measures and targets of the {esc(report.framework)} framework.")
    parts = [
        stylesheet(),
        heading(h1, 1),
        f'<p class="pprr-subtitle">{esc(_council(report))}{esc(report.portfolio_name)}. '
        f"{esc(report.title)}{_period_after(report)}{about}</p>",
    ]
    if report.illustrative:
        parts.append(note("Illustrative data: these figures are synthetic, not real figures."))
    if report.public:
        parts.append(
            note(finance_public_note(report)) if page == "finance" else public_notice(report)
        )
    else:
        parts.append(note(f"{report.edition_label}: every figure is shown."))
    if report.rules_note:
        parts.append(note(report.rules_note))
    return join(*parts)


def _disclosure_rules(report: Report | None = None) -> Any:
    from ..dataset import disclosure

    found = disclosure.rules_of(report.dataset) if report is not None else None
    if found is not None:
        return found
    return disclosure.rules_for(report.dataset) if report is not None else disclosure.DEFAULT_RULES


def suppressed_text(note_text: object, report: Report | None = None) -> str:
    """A values note as shown in a cell: the symbol alone (``[c]``) for a suppressed figure."""
    from ..dataset import disclosure

    rules = _disclosure_rules(report)
    if disclosure.is_suppressed(note_text, rules):
        return rules.symbol
    text = "" if is_blank(note_text) else str(note_text)
    found = re.fullmatch(r"suppressed (\[[a-z]+\])", text.strip())
    return found[1] if found else text


def public_notice(report: Report) -> Html:
    """The public edition's notice and the legend of the symbols it uses."""
    from ..dataset import disclosure

    rules = _disclosure_rules(report)
    return Html(
        f'<div class="pprr-note" role="note" aria-label="{esc(report.edition_label)}">'
        f"<p><strong>{esc(report.edition_label)}.</strong> Small counts of {esc(rules.subject)} ({rules.low} to "
        f"{rules.high}) are suppressed, and so is any percentage or rate from which one could "
        f"be worked out; they are shown as {esc(rules.symbol)}.</p>"
        f"<p>Symbols used: {esc(disclosure.legend(rules))}</p></div>"
    )


def suppressed_periods(report: Report, code: str) -> Html:
    """In the public edition, a line naming the periods of a measure's history suppressed."""
    if not report.public:
        return Html("")
    from ..dataset import disclosure

    rules = _disclosure_rules(report)
    h = report.history(code)
    hidden = [
        str(p)
        for p, n in zip(h["period"], h["note"], strict=True)
        if disclosure.is_suppressed(n, rules)
    ]
    if not hidden:
        return Html("")
    return Html(
        f'<p class="pprr-reason">Not charted, suppressed {esc(rules.symbol)}: '
        f"{esc(', '.join(hidden))}.</p>"
    )
