"""Savings business cases (003) tables of the dataset (see data/README.md, 'Plans')."""

from __future__ import annotations

from .tables import SOURCE, Column, Table

CASE = Column("case", "int", min=1, description="business case number, in document order")

BUSINESS_CASES = Table(
    "business_cases",
    (
        CASE,
        Column("period", "period", description="report period the cases belong to (2023/24)"),
        Column("year", "period", description="financial year of the proposal (2024/25)"),
        Column("project", description="Project, as printed on the business case"),
        Column("lead_portfolio", required=False, description="Lead portfolio (scrutiny committee)"),
        Column("council_plan_priority", required=False),
        Column("senior_officer", required=False, description="Senior responsible officer"),
        Column("mtfp_lens", required=False, description="MTFP Lens on the business case"),
        Column("service", required=False),
        Column("reserves_needed", "bool", description="Will reserves/double running be needed"),
        Column("summary_cp_priority", required=False, description="summary table: CP priority"),
        Column("summary_mtfp_driver", required=False, description="summary table: MTFP driver"),
        Column("summary_directorate", required=False),
        Column("summary_proposal", required=False),
        Column("summary_saving_text", required=False, description="Saving 24/25 as printed (Nil)"),
        Column("summary_saving", "float", required=False, description="Saving 24/25, £000"),
        Column("summary_saving_note", required=False),
        Column("summary_lead_portfolio", required=False),
        Column("summary_source", required=False, description="source of the summary columns"),
        SOURCE,
    ),
    key=("case",),
    description="The five 2024/25 savings / cost-avoidance business cases (one row each).",
    group="plans",
    required=False,
)

BUSINESS_CASE_DETAILS = Table(
    "business_case_details",
    (
        CASE,
        Column(
            "field",
            allowed=(
                "proposal_summary",
                "avoid_costs",
                "benchmarking",
                "workforce_impact",
                "organisational_impact",
                "risks",
                "milestones",
                "reserves_needed",
                "consultation",
                "eqia",
                "eia",
            ),
        ),
        Column("seq", "int", min=1, description="paragraph order within the field"),
        Column("text", description="the paragraph as printed"),
        SOURCE,
    ),
    key=("case", "field", "seq"),
    description="Multi-paragraph fields of the business cases (risks, milestones, ...).",
    refs=(("case", "business_cases", "case"),),
    group="plans",
    required=False,
)

PLAN_TABLES: tuple[Table, ...] = (BUSINESS_CASES, BUSINESS_CASE_DETAILS)
