"""Business cases (``data/raw/plans``): the savings proposals summary table and one raw file
per business case, read into ``business_cases`` and ``business_case_details``
(``schema_plans``) with the findings on what was printed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ..dataset.errors import DataError
from .finance_findings import finding
from .finance_raw import Raw, raw_files
from .finance_tables import frame

_FIELDS = (
    ("Project", "project"),
    ("Lead portfolio", "lead_portfolio"),
    ("Council Plan Priority", "council_plan_priority"),
    ("Senior responsible officer", "senior_officer"),
    ("MTFP Lens", "mtfp_lens"),
    ("Service", "service"),
    ("Proposal summary", "proposal_summary"),
    ("How will this proposal", "avoid_costs"),
    ("Any benchmarking", "benchmarking"),
    ("Workforce impact", "workforce_impact"),
    ("Outline any internal", "organisational_impact"),
    ("Outline any risk", "risks"),
    ("Delivering the change", "milestones"),
    ("List key milestones", "milestones"),
    ("Will reserves", "reserves_needed"),
    ("Is public consultation", "consultation"),
    ("Is a separate EqIA", "eqia"),
    ("Is a separate EIA", "eia"),
)
_SINGLE = ("lead_portfolio", "council_plan_priority", "senior_officer", "mtfp_lens", "service")


def _case(raw: Raw, case: int, findings: list[dict]) -> tuple[dict, list[dict]]:
    """A business case's row and its details (one row per printed line of each long field)."""
    fields: dict[str, list[str]] = {}
    project = None
    current = None
    for line in raw.lines:
        if not line.filled:
            continue
        label, text = (list(line.cells) + [""])[:2]
        text = "\t".join(c for c in line.cells[1:] if c).strip()
        start = next((f for p, f in _FIELDS if label.startswith(p)), None)
        if start == "project":
            if project is None:
                project = text
            continue
        if start:
            current = start
        if current is None:
            raise DataError(
                raw.problem(
                    line,
                    f"text before any field: {line.text!r}",
                    "expected 'Project<TAB>name' first",
                )
            )
        if text:
            fields.setdefault(current, []).append(text)
            if len(text) <= 3 and text.isalpha():
                findings.append(
                    finding(
                        "truncated",
                        raw,
                        line,
                        f"a line reading only {text!r} (truncated paste)",
                        "kept as printed in business_case_details",
                    )
                )
    row = dict(case=case, project=project)
    for f in _SINGLE:
        row[f] = " ".join(fields.get(f, [])) or None
    reserves = " ".join(fields.get("reserves_needed", []))
    row["reserves_needed"] = reserves.lower().startswith("yes")
    row["source"] = raw.source
    details = []
    seen = []
    for _, f in _FIELDS:
        if f in _SINGLE or f == "project" or f in seen:
            continue
        seen.append(f)
        for seq, text in enumerate(fields.get(f, []), 1):
            details.append(dict(case=case, field=f, seq=seq, text=text, source=raw.source))
    return row, details


def _summary(raw: Raw) -> list[dict]:
    """The proposals summary table; rows continued across page breaks are joined."""
    header = raw.lines[0].cells
    names = {
        "CP priority": "summary_cp_priority",
        "MTFP driver": "summary_mtfp_driver",
        "Directorate and Service area": "summary_directorate",
        "Proposal summary": "summary_proposal",
        "Saving 24/25 (£000)": "summary_saving_text",
        "Lead Portfolio": "summary_lead_portfolio",
    }
    cols = [names[c] for c in header]
    rows: list[dict] = []
    for line in raw.lines[1:]:
        if not line.filled or line.cells == header:
            continue
        cells = dict(zip(cols, list(line.cells) + [""] * len(cols), strict=False))
        if cells["summary_directorate"]:
            rows.append({c: cells[c] for c in cols})
        elif rows:
            for c in cols:
                if cells[c]:
                    rows[-1][c] = f"{rows[-1][c]} {cells[c]}".strip()
    for r in rows:
        m = re.match(r"^(Nil)\b\s*(.*)$", r["summary_saving_text"])
        r["summary_saving"] = 0.0 if m else None
        r["summary_saving_note"] = m[2] if m else r["summary_saving_text"]
        r["summary_saving_text"] = m[1] if m else None
        for c in cols:
            r[c] = r[c] or None
        r["summary_source"] = raw.source
    return rows


def plans_and_findings(raw_dir: Path) -> tuple[dict[str, pd.DataFrame], list[dict]]:
    """The business-case tables and the findings on them (not yet numbered)."""
    raws = raw_files(raw_dir, "plans")
    findings: list[dict] = []
    summary = next((r for r in raws if r.path.stem == "summary"), None)
    cases = [r for r in raws if r.path.stem.startswith("case_")]
    cases.sort(key=lambda r: int(r.path.stem.split("_")[1]))
    rows, details = [], []
    for raw in cases:
        case = int(raw.path.stem.split("_")[1])
        row, det = _case(raw, case, findings)
        row["year"] = raw.report.shift(1).year
        row["period"] = raw.period
        rows.append(row)
        details += det
    if summary is not None:
        srows = _summary(summary)
        if len(srows) != len(rows):
            raise DataError(
                summary.problem(
                    None,
                    f"{len(srows)} summary rows",
                    f"expected one per business case ({len(rows)})",
                )
            )
        for row, s in zip(rows, srows, strict=True):
            row.update(s)
            lens, driver = row["mtfp_lens"], s["summary_mtfp_driver"]
            if (lens or "").lower() != (driver or "").lower():
                findings.append(
                    finding(
                        "inconsistency",
                        summary,
                        None,
                        f"case {row['case']} ({row['project']}): the summary table's MTFP "
                        f"driver is {repr(driver) if driver else 'blank'} but the business "
                        f"case's MTFP Lens is {lens!r}",
                        "both recorded (summary_mtfp_driver, mtfp_lens); the tracker shows the "
                        "business case's lens",
                    )
                )
            if s["summary_saving"] is None:
                findings.append(
                    finding(
                        "missing",
                        summary,
                        None,
                        f"case {row['case']} ({row['project']}): no 'Nil' (or figure) printed in "
                        "the Saving 24/25 column, unlike the other four proposals",
                        "summary_saving left empty; note kept as printed",
                    )
                )
        split = [r["case"] for r in rows if re.search(r"\w ods\b", r["summary_cp_priority"] or "")]
        if split:
            findings.append(
                finding(
                    "paste",
                    summary,
                    None,
                    "the CP priority of case(s) " + ", ".join(map(str, split)) + " contains the "
                    "split word 'Neighbourho ods' (a line break inside the word)",
                    "kept as printed",
                )
            )
    tables = {
        "business_cases": frame(rows, "business_cases"),
        "business_case_details": frame(details, "business_case_details"),
    }
    return tables, findings


def build_plans(raw_dir: Path) -> dict[str, pd.DataFrame]:
    """Business-case tables (``business_cases``, ``business_case_details``) from raw/plans."""
    return plans_and_findings(raw_dir)[0]
