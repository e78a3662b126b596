"""The overview and priority pages' sections, as their notebooks call them (``present.X``).

Only re-exports: each section is defined in the module named for its part of the report:
``page`` (the page's head and edition), ``symbols`` (the key), ``overview`` (the portfolio
summary, measures off target, finance headline, data-quality notes) and ``measures`` (the
priority's delivery, its measures table, measures in detail and other commentary). The HTML
building blocks are in ``markup``; the finance page's sections in ``present_finance``.
"""

from __future__ import annotations

from .measures import measure_sections, other_commentary, priority_intro, priority_measures
from .overview import exceptions, finance_headline, portfolio_summary, quality_notes
from .page import page_header
from .symbols import key_to_symbols

__all__ = [
    "exceptions",
    "finance_headline",
    "key_to_symbols",
    "measure_sections",
    "other_commentary",
    "page_header",
    "portfolio_summary",
    "priority_intro",
    "priority_measures",
    "quality_notes",
]
