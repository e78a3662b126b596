"""Which pages a period's pack has: the periods in the data and each period's jobs.

A period gets ``overview.ipynb``, ``priority.ipynb`` once per priority of its framework and,
when the data has them, ``outcomes.ipynb`` (an outcomes framework), ``finance.ipynb``
(finance rows for the period) and, last, ``quality.ipynb`` (data-quality notes that touch the
period's figures). (The plan is cached by :mod:`.cache`.)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..dataset.errors import ParameterError
from ..dataset.periods import parse_period
from ..dataset.portfolio import is_illustrative

REPO_ROOT = Path(__file__).resolve().parents[2]
#: every notebook a pack may run (their hashes are in each pack's key)
NOTEBOOKS = (
    "overview.ipynb",
    "priority.ipynb",
    "outcomes.ipynb",
    "finance.ipynb",
    "quality.ipynb",
)


@dataclass(frozen=True)
class Job:
    """One page of a period's pack: a notebook and its parameters."""

    period: str
    slug: str
    page: str  # file stem: overview, priority-4, finance
    notebook: str  # file name in the notebooks folder
    parameters: dict[str, Any]
    title: str  # used in links and as the page title when the page has no h1


def _data_location(data: Any) -> tuple[Any, Any]:
    """(location on disk, or a database URL as given; the Dataset if one was given)."""
    from ..dataset.locations import default_data_dir, is_url

    if is_url(data):
        return data, None
    if data is None:
        return default_data_dir().resolve(), None
    if isinstance(data, (str, Path)):
        return Path(data).resolve(), None
    loc = Path(str(getattr(data, "location", "")))
    for cand in (loc, REPO_ROOT / loc, REPO_ROOT / "data" / loc):
        if str(loc) and cand.exists():
            return cand.resolve(), data
    raise ParameterError(
        f"the dataset's location {str(loc)!r} is not a file or folder; pass data as a path"
    )


def _data_parameter(location: Path, explicit: bool) -> str | None:
    """The ``data`` value given to notebooks: None (the notebook's default) unless chosen."""
    from ..dataset.locations import default_data_dir, is_url

    if is_url(location):
        return str(location)

    if not explicit or location == default_data_dir().resolve():
        return None
    try:
        return location.relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return str(location)


def _finance_periods(tables: Any) -> set[str]:
    """Periods with any finance rows (a portfolio without finance data has no finance page)."""
    from ..dataset.schema_finance import FINANCE_TABLES

    found: set[str] = set()
    for spec in FINANCE_TABLES:
        df = tables.get(spec.name) if hasattr(tables, "get") else None
        if df is not None and len(df) and "period" in df:
            found |= {parse_period(str(p)).label for p in df["period"].dropna()}
    return found


def plan_periods(dataset: Any) -> list[dict[str, Any]]:
    """Every period the data holds, with its title, framework and priorities, in period order,
    and whether it has finance data (``finance``), an outcomes page (``outcomes``) and
    data-quality notes on its figures (``quality``)."""
    tables = dataset.tables if hasattr(dataset, "tables") else dataset
    from ..report.outcomes import has_outcomes  # here: a cached run never plans (no charts)

    periods = tables["periods"]
    prios = tables["priorities"]
    with_finance = _finance_periods(tables)
    about = getattr(dataset, "portfolio", None)  # the index pages name it, and say illustrative
    named = f"{about.council}: {about.portfolio}" if about is not None else ""
    illustrative = is_illustrative(dataset)
    out = []
    for row in periods.to_dict("records"):
        label = parse_period(str(row["period"])).label
        fw = row.get("framework")
        mine = prios[prios["framework"] == fw].sort_values("priority")
        out.append(
            {
                "period": label,
                "slug": parse_period(label).slug,
                "title": str(row.get("title") or f"Report for {label}"),
                "framework": None if fw is None else str(fw),
                "priorities": [
                    [int(p["priority"]), str(p.get("title") or "")] for p in mine.to_dict("records")
                ],
                "finance": label in with_finance,
                "outcomes": has_outcomes(dataset, None if fw is None else str(fw)),
                "portfolio": named,
                "illustrative": illustrative,
                "quality": _has_notes(dataset, label),
            }
        )
    out.sort(key=lambda p: parse_period(p["period"]))
    return out


def _has_notes(dataset: Any, period: str) -> bool:
    """Data-quality notes touch the period's figures (a dataset or tables without the tables
    the notes are matched against has none)."""
    if not hasattr(dataset, "tables"):
        return False
    from ..report.quality import has_notes  # here: a cached run never plans

    try:
        return has_notes(dataset, period)
    except KeyError:
        return False


def period_jobs(
    plan: dict[str, Any],
    *,
    data_param: str | None,
    public: bool,
    rules: dict[str, Any] | None = None,
) -> list[Job]:
    """The pages of one period: overview, one priority page per priority, the outcomes page,
    the finance page and the data-quality page (when the period has their data), the
    data-quality page last (the end of the committee PDF).

    ``rules`` (``rule_options.rules_parameter``: the scoring rules that differ from the
    defaults) is given to every notebook when set.
    """
    base: dict[str, Any] = {"period": plan["period"]}
    if data_param is not None:
        base["data"] = data_param
    if public:
        base["public"] = True
    if rules:
        base["rules"] = dict(rules)
    label, slug = plan["period"], plan["slug"]
    jobs = [Job(label, slug, "overview", "overview.ipynb", dict(base), "Portfolio overview")]
    for number, title in plan["priorities"]:
        jobs.append(
            Job(
                label,
                slug,
                f"priority-{number}",
                "priority.ipynb",
                {**base, "priority": int(number)},
                f"Priority {number}: {title}" if title else f"Priority {number}",
            )
        )
    if plan.get("outcomes", False):
        jobs.append(Job(label, slug, "outcomes", "outcomes.ipynb", dict(base), "Outcomes"))
    if plan.get("finance", True):
        jobs.append(Job(label, slug, "finance", "finance.ipynb", dict(base), "Finance"))
    if plan.get("quality", False):
        jobs.append(Job(label, slug, "quality", "quality.ipynb", dict(base), "Data-quality notes"))
    return jobs
