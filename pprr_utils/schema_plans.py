"""Savings business cases (003) tables of the dataset."""

from __future__ import annotations

from .schema import Table

PLAN_TABLES: tuple[Table, ...] = ()
