"""The overview and priority pages' sections, as their notebooks call them (``present.X``).

Only re-exports: each section is defined in the module named for its part of the report:
``page`` (the page's head and edition), ``symbols`` (the key), ``overview`` (the answers,
the measures that need attention, the portfolio summary, finance headline), ``quality`` (the
data-quality page and the overview's link to it) and ``measures`` (the
priority's delivery, its measures table, measures in detail and other commentary). The HTML
building blocks are in ``markup``; the finance page's sections in ``present_finance``.
"""

from __future__ import annotations

from .measures import measure_sections, other_commentary, priority_intro, priority_measures
from .overview import answers, exceptions, finance_headline, portfolio_summary
from .page import page_header
from .quality import quality_link, quality_notes
from .symbols import key_to_symbols

__all__ = [
    "answers",
    "exceptions",
    "finance_headline",
    "key_to_symbols",
    "measure_sections",
    "other_commentary",
    "page_header",
    "portfolio_summary",
    "priority_intro",
    "priority_measures",
    "quality_link",
    "quality_notes",
]
