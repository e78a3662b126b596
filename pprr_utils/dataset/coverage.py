"""What a run needs, checked before it starts: every period can be built.

Cell and cross-table checks pass on a dataset that still builds nothing: a header-only
``values.csv`` or ``periods.csv``, a period with no figures, a period whose framework has
no measures. ``run_problems`` finds all of these at once, with the targets for years no
report uses (a typo that would otherwise be silently ignored). A dataset whose performance
tables are all empty (finance returns only) is not checked for periods: ``pprr run``
refuses it as holding no periods to build.
"""

from __future__ import annotations

import pandas as pd

from .errors import Problem
from .periods import parse_period

#: tables a report cannot be made without, even when the file is present
NEEDED = ("priorities", "measures", "values", "periods")
#: the most measures a period's pages may show: a page never embeds more than a reader can
#: use (a million-row period would make pages of hundreds of megabytes)
MAX_PAGE_MEASURES = 2_000


def _fname(name: str, xlsx: str | None) -> str:
    return f"{xlsx}[{name}]" if xlsx else f"{name}.csv"


def run_problems(tables: dict[str, pd.DataFrame], xlsx: str | None = None) -> list[Problem]:
    """Empty tables, periods without figures or measures, targets for unknown years."""
    from .schema import table

    problems: list[Problem] = []
    # a dataset of finance returns only (every performance table empty) is not a report
    # pack; ``pprr run`` refuses it as holding no periods
    performance = any(tables.get(n) is not None and not tables[n].empty for n in NEEDED)
    for name in NEEDED:
        df = tables.get(name)
        if performance and df is not None and df.empty:
            problems.append(
                Problem(
                    _fname(name, xlsx),
                    None,
                    None,
                    "found no rows (only the header)",
                    f"expected at least one row: {table(name).description}",
                )
            )
    periods, measures = tables.get("periods"), tables.get("measures")
    values, targets = tables.get("values"), tables.get("targets")
    if periods is None or measures is None or periods.empty:
        return problems
    fname = _fname("periods", xlsx)
    frameworks = set(measures["framework"].dropna())
    without = periods.index[~periods["framework"].isin(frameworks)]
    for i in without:
        problems.append(
            Problem(
                fname,
                int(i) + 2,
                "framework",
                f"period {periods.at[i, 'period']}'s framework {periods.at[i, 'framework']} "
                "has no measures",
                f"expected a framework with measures in measures.csv: {sorted(frameworks)}",
            )
        )
    sizes = measures["framework"].value_counts()
    for i in periods.index[
        periods["framework"].map(sizes).fillna(0).to_numpy() > MAX_PAGE_MEASURES
    ]:
        problems.append(
            Problem(
                fname,
                int(i) + 2,
                "framework",
                f"period {periods.at[i, 'period']}'s framework {periods.at[i, 'framework']} "
                f"has {sizes[periods.at[i, 'framework']]:,} measures",
                f"expected at most {MAX_PAGE_MEASURES:,} measures in a framework (a report "
                "page shows every measure; split the framework or summarise the measures)",
            )
        )
    if values is not None and not measures.empty:
        from .lookup import periods_with_data

        held = set(periods_with_data(tables))
        for i in periods.index:
            if i in without or periods.at[i, "period"] in held:
                continue
            problems.append(
                Problem(
                    fname,
                    int(i) + 2,
                    "period",
                    f"period {periods.at[i, 'period']} has no figures in values.csv",
                    "expected values of its framework's measures for the period (or remove "
                    "the period)",
                )
            )
    if targets is not None and not targets.empty:
        years = set(measures["framework"].dropna())
        for col in ("period", "target_year", "previous"):
            years |= set(periods[col].dropna())
        latest = max((parse_period(y) for y in years), default=None)
        later = targets["year"].map(  # a later year's target is the ambition (targets.py)
            lambda y: latest is not None and parse_period(y).year_end() > latest.year_end()
        )
        unknown = ~targets["year"].isin(years) & ~later.astype(bool)
        for i in targets.index[unknown.to_numpy()]:
            problems.append(
                Problem(
                    _fname("targets", xlsx),
                    int(i) + 2,
                    "year",
                    f"a target for {targets.at[i, 'year']}, a year no report or framework uses",
                    f"expected one of {sorted(years)}",
                )
            )
    return problems
