"""Finance and business-case tables from the raw tables as published (``data/raw/finance``,
``data/raw/plans``): which parser reads which kind of raw file, and the build as a whole.

The raw files are read by ``finance_raw``; the revenue tables are parsed by
``finance_budget``, the resource tables by ``finance_resources``, the business cases by
``business_cases``; ``finance_findings`` says what was noticed and ``finance_tables`` frames
and writes the tables. The names tests and ``build`` import are re-exported here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from ..dataset.errors import DataError
from . import finance_budget as budget
from . import finance_resources as resources
from .business_cases import build_plans, plans_and_findings
from .finance_findings import cross_findings, number, rounding_findings
from .finance_raw import (
    ILLUSTRATIVE,
    RAW_SOURCES,
    Line,
    Raw,
    extract_raw,
    kind,
    raw_files,
    read_raw,
)
from .finance_tables import frame, write_tables

__all__ = [
    "ILLUSTRATIVE",
    "RAW_SOURCES",
    "Line",
    "Raw",
    "build_finance",
    "build_finance_and_plans",
    "build_plans",
    "extract_raw",
    "finance_quality_findings",
    "read_raw",
    "write_finance_data",
    "write_tables",
]


def _finance(raw_dir: Path) -> tuple[dict[str, pd.DataFrame], list[dict]]:
    """The finance tables and the findings on them (not yet numbered)."""
    raws = raw_files(raw_dir, "finance")
    findings: list[dict] = []
    out: dict[str, list[dict]] = {}

    def put(table: str, rows: list[dict]) -> None:
        out.setdefault(table, []).extend(rows)

    cash: list[dict] = []
    for raw in raws:
        if kind(raw) == "cash_limit":
            cash += budget.cash_limit(raw)
    parsers: dict[str, tuple[str, Callable[[Raw], list[dict]]]] = {
        "headline": ("finance_headline", lambda r: budget.headline(r, findings)),
        "statement_savings": ("finance_headline", budget.statement),
        "budget": ("finance_budget", lambda r: budget.budget(r, findings)),
        "budget_reconciliation": ("finance_budget_reconciliation", budget.budget_reconciliation),
        "cash_limit": ("finance_cash_limit", budget.cash_limit),
        "budget_changes": (
            "finance_budget_changes",
            lambda r: budget.budget_changes(r, cash, findings),
        ),
        "outturn": ("finance_outturn", budget.outturn),
        "placements": ("finance_placements", budget.placements),
        "non_cla": ("finance_non_cla", budget.non_cla),
        "reserves": ("finance_reserves", lambda r: resources.reserves(r, findings)),
        "savings": ("finance_savings", lambda r: resources.savings(r, findings)),
        "risk_ratings": ("finance_risk_ratings", resources.risk_ratings),
        "dsg": ("finance_dsg", lambda r: resources.dsg(r, findings)),
        "capital": ("finance_capital", resources.capital),
        "capital_resources": ("finance_capital_resources", resources.capital_resources),
        "one_off": ("finance_one_off", lambda r: resources.one_off(r, findings)),
    }
    for raw in raws:
        name = kind(raw)
        if name not in parsers:
            raise DataError(
                raw.problem(
                    None,
                    f"a raw file of unknown kind {name!r}",
                    "expected one of " + ", ".join(sorted(parsers)),
                )
            )
        table, parse = parsers[name]
        put(table, parse(raw))
        if name == "outturn":
            put("finance_headline", budget.outturn_narrative(raw))
    from ..dataset.schema_finance import FINANCE_TABLES

    tables = {t.name: frame(out.get(t.name, []), t.name) for t in FINANCE_TABLES}
    findings += rounding_findings(tables)
    findings += cross_findings(tables)
    return tables, findings


def build_finance_and_plans(raw_dir: Path) -> tuple[dict[str, pd.DataFrame], list[dict]]:
    """The finance and business-case tables and their data-quality findings, each raw file
    parsed once: what ``pprr build-data`` uses.

    ``raw_dir`` is ``data/raw`` (or its ``finance`` or ``plans`` folder: the other is read
    from the sibling). A folder that does not exist contributes no tables and no findings.
    Findings are dicts (id, check, location, issue, resolution); ids ``FIN-nn``, ``PLAN-nn``.
    """
    root = Path(raw_dir)
    root = root.parent if root.name in ("finance", "plans") else root
    tables: dict[str, pd.DataFrame] = {}
    findings: list[dict] = []
    for folder, build, prefix in (
        ("finance", _finance, "FIN"),
        ("plans", plans_and_findings, "PLAN"),
    ):
        if (root / folder).is_dir():
            built, found = build(root)
            tables.update(built)
            findings += number(found, prefix)
    return tables, findings


def build_finance(raw_dir: Path) -> dict[str, pd.DataFrame]:
    """Tidy finance tables (``finance_*``) from the raw files in ``raw_dir`` (or its finance/)."""
    return _finance(raw_dir)[0]


def finance_quality_findings(raw_dir: Path) -> list[dict]:
    """Data-quality findings (id, check, location, issue, resolution) for finance and plans.

    ``raw_dir`` is ``data/raw`` or its ``finance`` folder (plans are then read from the sibling).
    """
    return build_finance_and_plans(raw_dir)[1]


def write_finance_data(raw_root: Path, data_dir: Path) -> list[Path]:
    """Build the finance and plans tables from ``raw_root`` (data/raw) and write the CSVs."""
    return write_tables(build_finance_and_plans(Path(raw_root))[0], data_dir)
