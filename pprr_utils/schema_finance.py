"""Finance tables of the dataset (see data/README.md, 'Finance')."""

from __future__ import annotations

from .schema import Table

FINANCE_TABLES: tuple[Table, ...] = ()
