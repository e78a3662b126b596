"""The dataset's tables: columns, types, allowed values, keys, references and sum checks.

One ``Table`` per CSV file in ``data/`` (and per sheet in the Excel form). The loader and
the validator read these definitions; adding a table is adding a definition here (or in
``schema_finance`` / ``schema_plans``). The description machinery is in ``tables``.
"""

from __future__ import annotations

from .schema_finance import FINANCE_TABLES
from .schema_plans import PLAN_TABLES
from .tables import KINDS, ROW_TYPE, SOURCE, Column, RowCheck, SumCheck, Table

__all__ = [
    "KINDS",
    "ROW_TYPE",
    "SOURCE",
    "Column",
    "RowCheck",
    "SumCheck",
    "Table",
    "all_tables",
    "table",
]

FRAMEWORKS = Column(
    "framework", description="the agreement year whose measure set this is, e.g. 2024/25"
)

PRIORITIES = Table(
    "priorities",
    (
        FRAMEWORKS,
        Column("priority", "int", min=1, description="priority number within the framework"),
        Column("title", description="the priority as printed"),
        Column(
            "delivered_by",
            required=False,
            optional=True,
            description="strategy or programme that delivers it",
        ),
        Column(
            "programmes",
            required=False,
            optional=True,
            description="key delivery programmes, ' | ' separated",
        ),
        SOURCE,
    ),
    key=("framework", "priority"),
    description="The portfolio priorities of each framework.",
)

MEASURES = Table(
    "measures",
    (
        FRAMEWORKS,
        Column("code", description="normalised PI code, unique within a framework"),
        Column(
            "printed_code",
            required=False,
            optional=True,
            default_from="code",
            description="the code exactly as printed (default: the code)",
        ),
        Column(
            "series",
            optional=True,
            default_from="code",
            description="lineage: one id shared by the same measure across frameworks "
            "(default: the code)",
        ),
        Column("name"),
        Column("priority", "int", min=1),
        Column(
            "section",
            required=False,
            optional=True,
            description="sub-heading of the table the measure is in",
        ),
        Column("category", allowed=("council", "partnership", "contextual")),
        Column("polarity", allowed=("high", "low", "none")),
        Column(
            "frequency",
            required=False,
            optional=True,
            allowed=("monthly", "quarterly", "termly", "annually"),
        ),
        Column(
            "unit",
            allowed=("percent", "count", "score", "number"),
            pattern=r"rate per [1-9]\d{0,2}(?:,?\d{3})*",
            pattern_text="rate per N (N such as 100, 1,000 or 10,000)",
        ),
        Column("year_basis", allowed=("financial", "academic")),
        Column(
            "aggregation",
            allowed=("snapshot", "cumulative"),
            optional=True,
            default="snapshot",
            description="how quarters add up (default: snapshot)",
        ),
        Column(
            "headline",
            "bool",
            optional=True,
            default="false",
            description="carries the portfolio's headline flag (portfolio.yml headline_flag)",
        ),
        Column(
            "subject",
            pattern=r"[A-Za-z][A-Za-z' -]*",
            pattern_text="a word such as children or adults",
            required=False,
            optional=True,
            description="who the measure counts, when small counts of them must be suppressed "
            "in the public edition: the portfolio's disclosure.subject (default children); "
            "empty for a measure that needs no protection",
        ),
        SOURCE,
    ),
    key=("framework", "code"),
    description="One row per measure per framework.",
    refs=(("framework", "priorities", "framework"),),
)

MEASURE_GROUPS = Table(
    "measure_groups",
    (
        Column("group", description="id of a set of related measures, e.g. care-leavers"),
        Column(
            "kind",
            allowed=("cohort", "siblings", "partition"),
            description="cohort: a count measure (total) and percentages of it (parts); "
            "siblings: percentages of one cohort printed side by side; partition: "
            "percentages that split one cohort and add up to 100",
        ),
        Column("code", description="a measure of the group (the relation holds for its series)"),
        Column(
            "role",
            allowed=("total", "part"),
            description="total: the measure that prints the cohort (kind cohort only); else part",
        ),
        Column("reason", description="why the measures are related (a judgement, with evidence)"),
        SOURCE,
    ),
    key=("group", "code"),
    description="Measures related by their cohort, for disclosure control (from "
    "data/raw/measures/groups.csv).",
    refs=(("code", "measures", "code"),),
    required=False,
)

VALUES = Table(
    "values",
    (
        Column("code"),
        Column("period", "period", description="2021/22 for a year-end actual, 2021/22 Q2 in-year"),
        Column("value", "float", required=False),
        Column("count", "float", required=False, min=0),
        Column(
            "as_at",
            required=False,
            optional=True,
            description="as-at marker printed with the figure",
        ),
        Column(
            "kind",
            allowed=("actual", "forecast"),
            optional=True,
            default="actual",
            description="forecast: a published forecast (default: actual)",
        ),
        Column("note", required=False, description="status printed instead of a figure"),
        SOURCE,
    ),
    key=("code", "period", "kind"),
    description="Every actual (and published forecast) printed, one row per measure and period.",
    refs=(("code", "measures", "code"),),
)

TARGETS = Table(
    "targets",
    (
        Column("code"),
        Column(
            "year",
            "period",
            description="the year the target is for, or a period (2024/25 Q3): that period's "
            "milestone",
        ),
        Column("type", allowed=("numerical", "comparator", "direction", "none")),
        Column("value", "float", required=False),
        Column("direction", required=False, allowed=("maximise", "minimise", "maintain")),
        Column(
            "comparator",
            required=False,
            optional=True,
            description="for comparator targets: which area",
        ),
        Column("note", required=False, optional=True, description="e.g. TBC, N/A"),
        SOURCE,
    ),
    key=("code", "year"),
    description="Targets by measure and year.",
    refs=(("code", "measures", "code"),),
)

COMMENTARY = Table(
    "commentary",
    (
        Column("period", "period", description="the reporting period of the document"),
        Column("code", description="measure the paragraph is printed under"),
        Column("seq", "int", min=1, description="order of paragraphs for this measure"),
        Column("text"),
        SOURCE,
    ),
    key=("period", "code", "seq"),
    description="Commentary paragraphs printed under measures.",
    refs=(("code", "measures", "code"),),
    required=False,
)

COMPARATORS = Table(
    "comparators",
    (
        Column(
            "code",
            required=False,
            description="measure code; empty when the figure is for no measure",
        ),
        Column("subject", description="what the figure is of, as the document says"),
        Column("period", "period"),
        Column("area", description="one of the portfolio's comparator_areas (portfolio.yml)"),
        Column("value", "float"),
        Column("derived", "bool", description="true when computed from a printed difference"),
        Column("quote", description="the sentence the figure comes from"),
        SOURCE,
    ),
    key=("subject", "period", "area"),
    description="Comparator figures quoted in the documents.",
    refs=(("code", "measures", "code"),),
    required=False,
)

PERIODS = Table(
    "periods",
    (
        Column("period", "period", description="the reporting period, e.g. 2021/22 Q2"),
        Column("framework", description="the framework whose measures and targets apply"),
        Column("title"),
        Column("kind", allowed=("in-year", "year-end", "baseline")),
        Column("target_year", "period"),
        Column("previous", "period", description="the previous year-end for direction of travel"),
        Column("date", "date", required=False, optional=True),
        SOURCE,
    ),
    key=("period",),
    description="The reports the data holds.",
    refs=(("framework", "priorities", "framework"),),
)

QUALITY = Table(
    "quality_notes",
    (
        Column("id"),
        Column("check", description="the kind of problem (e.g. code-spacing, polarity-conflict)"),
        Column("location", description="seed file and table/row where it was found"),
        Column("issue"),
        Column("resolution"),
    ),
    key=("id",),
    description="Misprints and inconsistencies the import noticed, and how each was resolved.",
    required=False,
)

OUTCOMES = Table(
    "outcomes",
    (
        Column("ambition", "int", min=1),
        Column("title"),
        Column("delivered_through", required=False),
        SOURCE,
    ),
    key=("ambition",),
    description="An outcomes framework's ambitions (a partnership plan's); optional: when "
    "present the pack gains an outcomes page.",
    group="plans",
    required=False,
)

OUTCOME_MEASURES = Table(
    "outcome_measures",
    (
        Column("ambition", "int", min=1),
        Column("seq", "int", min=1),
        Column("measure", description="the suggested measure as printed"),
        Column(
            "code",
            required=False,
            description="the measure's code where the portfolio reports it (any framework: "
            "matched to the period's framework by series)",
        ),
        SOURCE,
    ),
    key=("ambition", "seq"),
    description="The measures each ambition is tracked by, mapped to measure codes.",
    refs=(("ambition", "outcomes", "ambition"), ("code", "measures", "code")),
    group="plans",
    required=False,
)

CORE_TABLES: tuple[Table, ...] = (
    PRIORITIES,
    MEASURES,
    MEASURE_GROUPS,
    VALUES,
    TARGETS,
    COMMENTARY,
    COMPARATORS,
    PERIODS,
    QUALITY,
    OUTCOMES,
    OUTCOME_MEASURES,
)


def all_tables() -> tuple[Table, ...]:
    """Every table of the dataset, core and finance, in load order."""
    return CORE_TABLES + PLAN_TABLES + FINANCE_TABLES


def table(name: str) -> Table:
    for t in all_tables():
        if t.name == name:
            return t
    raise KeyError(name)
