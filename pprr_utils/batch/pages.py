"""What each page reads, in one place, and the key that decides whether it is rebuilt.

The unit of work is one page (portfolio x period x notebook x edition). A page's key hashes
the data rows it reads (chosen by :data:`SELECTORS`), its notebook, the package code and tool
versions, its parameters and the links around it (navigation titles and footer); a page
whose key equals the one recorded in the published period's manifest is carried over
byte-for-byte instead of being run again.

The selectors err on the side of reading more: a row a page might read is in its inputs.

* every page: the whole ``periods`` table (scoring looks up the previous year-end and the
  target year), the period's framework's ``priorities``, the data location and
  ``portfolio.yml``;
* ``priority``: its measures (the framework's measures of that priority) and every code of
  their series in any framework, those codes' ``values`` up to the period, their ``targets``
  and ``comparators``, and the period's ``commentary`` on them or on no measure of the
  framework ("Other commentary");
* ``overview``: every measure of the framework (as above, all priorities), the period's
  commentary, ``quality_notes``, the notes validation left, every measure's code (a note
  naming a code is matched against them) and the finance tables of the period (the finance
  headline);
* ``quality``: the notes, every measure's code and the codes, periods and sources of the
  rows the overview reads (a note is chosen by them), not their figures (the public edition
  reads the figures too: it leaves out a note quoting a suppressed one);
* ``outcomes``: as the overview, plus ``outcomes`` and ``outcome_measures``;
* ``finance``: the finance and plans tables: rows of the period where a table has a
  ``period`` column, else every row.

The public edition's disclosure control looks across related measures (``measure_groups``),
so a public priority page reads every measure of its framework, as the overview does.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..dataset.periods import parse_period
from ..dataset.schema import all_tables
from .plan import Job

if TYPE_CHECKING:  # pandas loads when pages are selected, not on a cached run
    import pandas as pd

Selection = dict[str, "pd.DataFrame"]


def _framework_measures(ds: Any, framework: str, priority: int | None) -> pd.DataFrame:
    m = ds.tables["measures"]
    m = m[m["framework"] == framework]
    if priority is not None:
        m = m[m["priority"] == priority]
    return m


def _upto(frame: pd.DataFrame, period: str) -> pd.DataFrame:
    own = parse_period(period)
    keep = frame["period"].map(lambda p: parse_period(str(p)) <= own).astype(bool)
    return frame[keep]


def _performance(ds: Any, period: str, framework: str, priority: int | None) -> Selection:
    """The performance rows a page of these measures reads (see the module docstring)."""
    t = ds.tables
    mine = _framework_measures(ds, framework, priority)
    series = set(mine["series"].dropna())
    all_m = t["measures"]
    codes = set(mine["code"]) | set(all_m.loc[all_m["series"].isin(series), "code"])
    framework_codes = set(_framework_measures(ds, framework, None)["code"])
    comm = t["commentary"][t["commentary"]["period"] == period]
    comm = comm[comm["code"].isin(codes) | ~comm["code"].isin(framework_codes)]
    out = {
        "measures": all_m[all_m["code"].isin(codes)],
        "values": _upto(t["values"][t["values"]["code"].isin(codes)], period),
        "targets": t["targets"][t["targets"]["code"].isin(codes)],
        "comparators": _upto(t["comparators"][t["comparators"]["code"].isin(codes)], period),
        "commentary": comm,
    }
    if "measure_groups" in t:
        out["measure_groups"] = t["measure_groups"][t["measure_groups"]["code"].isin(codes)]
    return out


def _finance(ds: Any, period: str) -> Selection:
    """The finance and plans tables: the period's rows (every row of a table with no period)."""
    out = {}
    for spec in all_tables():
        if spec.group not in ("finance", "plans") or spec.name not in ds.tables:
            continue
        frame = ds.tables[spec.name]
        out[spec.name] = frame[frame["period"] == period] if "period" in frame else frame
    return out


def _notes(ds: Any) -> pd.DataFrame:
    rows = [[n.file, n.row, n.column, n.found, n.expected] for n in getattr(ds, "notes", [])]
    import pandas as pd

    return pd.DataFrame(rows, columns=["file", "row", "column", "found", "expected"], dtype=str)


def select_priority(ds: Any, job: Job, framework: str, public: bool) -> Selection:
    """The rows a priority page reads."""
    number = None if public else int(job.parameters["priority"])
    return _performance(ds, job.period, framework, number)


def select_overview(ds: Any, job: Job, framework: str, public: bool) -> Selection:
    """The rows the overview reads."""
    out = _performance(ds, job.period, framework, None)
    out["commentary"] = ds.tables["commentary"][ds.tables["commentary"]["period"] == job.period]
    out["quality_notes"] = ds.tables["quality_notes"]
    out["validation_notes"] = _notes(ds)
    out["measure_codes"] = ds.tables["measures"][["code"]]
    out.update(_finance(ds, job.period))
    return out


def _source_columns(frame: pd.DataFrame, *keep: str) -> pd.DataFrame:
    cols = [c for c in frame.columns if c in keep or c == "source" or c.endswith("_source")]
    return frame[cols]


def select_quality(ds: Any, job: Job, framework: str, public: bool) -> Selection:
    """The data-quality page: the notes, every measure's code, and where the rows the
    period's pages read come from (codes, periods and sources, not the figures; the public
    edition, which leaves out notes quoting a suppressed figure, reads the figures too)."""
    t = ds.tables
    perf = _performance(ds, job.period, framework, None)
    out: Selection = {
        "quality_notes": t["quality_notes"],
        "validation_notes": _notes(ds),
        # the public edition names a note's measures and documents in words
        "measure_codes": t["measures"][["code", "name"] if public else ["code"]],
        "commentary": _source_columns(
            t["commentary"][t["commentary"]["period"] == job.period], "code"
        ),
    }
    for name in ("measures", "values", "targets", "comparators"):
        out[name] = perf[name] if public else _source_columns(perf[name], "code", "period")
    if public:
        out["documents"] = t["periods"][["period", "title", "source"]]
    for spec in all_tables():
        if spec.group in ("finance", "plans") and spec.name in t:
            out[spec.name] = _source_columns(t[spec.name], "period")
    return out


def select_finance(ds: Any, job: Job, framework: str, public: bool) -> Selection:
    """The rows the finance page reads."""
    return _finance(ds, job.period)


#: notebook -> the rows of the dataset its page reads
def select_outcomes(ds: Any, job: Job, framework: str, public: bool) -> Selection:
    """The outcomes page: the overview's rows (every measure of the framework) and the
    outcomes framework's own tables."""
    chosen = select_overview(ds, job, framework, public)
    for name in ("outcomes", "outcome_measures"):
        chosen[name] = ds.tables[name]
    return chosen


SELECTORS: dict[str, Callable[[Any, Job, str, bool], Selection]] = {
    "overview.ipynb": select_overview,
    "outcomes.ipynb": select_outcomes,
    "priority.ipynb": select_priority,
    "finance.ipynb": select_finance,
    "quality.ipynb": select_quality,
}


def _frame_digest(frame: pd.DataFrame) -> bytes:
    return hashlib.sha256(frame.to_csv(index=False).encode("utf-8")).digest()


def data_digest(ds: Any, job: Job, framework: str, *, public: bool) -> str:
    """Hash of every data row the page reads (every table when its notebook is unknown)."""
    t = ds.tables
    select = SELECTORS.get(job.notebook)
    try:
        chosen = select(ds, job, framework, public) if select else dict(t)
    except KeyError:  # a dataset without the tables the selector reads: all of it
        chosen = dict(t)
    if "periods" in t:
        chosen["periods"] = t["periods"]
    if "priorities" in t:
        pr = t["priorities"]
        chosen["priorities"] = pr[pr["framework"] == framework]
    h = hashlib.sha256(str(getattr(ds, "location", "")).encode() + b"\0")
    for name in sorted(chosen):
        h.update(name.encode() + b"\0" + _frame_digest(chosen[name]))
    return h.hexdigest()


def portfolio_text(location: Path) -> str:
    """The data folder's ``portfolio.yml`` (empty when there is none or data is not a folder)."""
    if not isinstance(location, Path):  # a database: its portfolio table is in the data hash
        return ""
    f = location / "portfolio.yml" if location.is_dir() else None
    return f.read_text(encoding="utf-8") if f is not None and f.is_file() else ""


def page_keys(
    ds: Any,
    plan: dict[str, Any],
    jobs: list[Job],
    stamp: dict[str, Any],
    *,
    public: bool,
    portfolio: str = "",
) -> dict[str, str]:
    """page -> key for a period's pages: data rows read, notebook, code, parameters, links."""
    nav = [[j.page, j.title, j.notebook] for j in jobs]
    keys = {}
    for job in jobs:
        payload = {
            "data": data_digest(ds, job, plan.get("framework") or "", public=public),
            "code": stamp.get("code"),
            "notebook": stamp.get("notebooks", {}).get(job.notebook),
            "parameters": job.parameters,
            "page": job.page,
            "title": job.title,
            "period": [plan["period"], plan["title"]],
            "nav": nav,
            "public": public,
            "portfolio": portfolio,
        }
        keys[job.page] = hashlib.sha256(
            json.dumps(payload, sort_keys=True, default=str).encode()
        ).hexdigest()
    return keys


def page_files(page: str) -> list[str]:
    """The files one page writes in its period's folder."""
    return [f"{page}.html", f"notebooks/{page}.ipynb"]


def reusable(folder: Path, keys: dict[str, str]) -> dict[str, str]:
    """page -> title of the pages published in ``folder`` whose key is still ``keys[page]``."""
    from .cache import MANIFEST

    try:
        info = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    old = info.get("page_keys", {})
    titles = {p.get("page"): p.get("title", "") for p in info.get("pages", [])}
    return {
        page: titles.get(page, "")
        for page, key in keys.items()
        if old.get(page) == key and all((folder / f).is_file() for f in page_files(page))
    }


def prepare_build(task: Any, public: bool, force: bool, result: Any) -> tuple[Path, list[Any]]:
    """The period's build folder (a hidden sibling of the published one), with the pages
    whose inputs are unchanged carried over; ``result`` makes their ``JobResult``."""
    slug = task.plan["slug"]
    task.out.mkdir(parents=True, exist_ok=True)
    build = task.out / f".{slug}.build-{os.getpid()}"
    shutil.rmtree(build, ignore_errors=True)
    (build / "notebooks").mkdir(parents=True)
    task.page_keys = page_keys(
        task.dataset, task.plan, task.jobs, task.stamp, public=public, portfolio=task.portfolio
    )
    carried = [] if force else reusable(task.out / slug, task.page_keys)
    reused = []
    for job in task.jobs:
        if job.page in carried:
            for f in page_files(job.page):
                shutil.copy2(task.out / slug / f, build / f)
            reused.append(result(job, None, 0.0, carried[job.page], reused=True))
    return build, reused
