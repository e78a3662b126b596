"""The quarterly batch: periods x notebooks -> ``reports/<slug>/``, cached and published atomically.

For each period: ``overview.ipynb``, ``priority.ipynb`` once per priority of the period's
framework and ``finance.ipynb`` run on reused kernels (``jobs`` workers, one kernel each),
each exported to HTML with the code hidden; plus the executed notebooks, ``scorecard.csv``,
an ``index.html`` and ``.pprr-manifest.json``. ``reports/index.html`` links the periods.

* A period is built in a hidden sibling folder and swapped in with one atomic rename only
  when every page succeeded, so a failed or interrupted run never replaces or loses the last
  complete report; a failed build is kept as ``.failed/<slug>/`` for inspection (hidden).
* A period whose inputs (data files, notebooks, ``pprr_utils`` sources, parameters, tool
  versions) hash to the key in its manifest is skipped without starting a kernel.
* ``public=True`` makes the public edition: every notebook gets ``public=True`` and the
  pack is written to ``<out_dir>/public/`` so it can be published as a folder of its own.
"""

from __future__ import annotations

import os
import shutil
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..dataset.errors import ParameterError
from ..dataset.periods import resolve_in
from ..dataset.writing import atomic_write
from . import scratch
from .cache import (
    MANIFEST,
    PACKAGE_DIR,
    _tree_files,
    hash_code,
    hash_data,
    hash_notebook,
    is_cached,
    load_plan,
    period_key,
    write_json,
)
from .contents import nav_html, page_footer, period_index, short_title, write_top_index
from .plan import Job, _data_location, _data_parameter, period_jobs, plan_periods
from .publish import publish, recover

__all__ = [
    "MANIFEST",
    "PACKAGE_DIR",
    "BatchResult",
    "JobResult",
    "PeriodResult",
    "_tree_files",
    "hash_code",
    "period_jobs",
    "plan_periods",
    "publish",
    "recover",
    "run_batch",
]


@dataclass
class JobResult:
    """How one page went; ``error`` names the notebook, cell and error when it failed."""

    job: Job
    error: str | None = None
    seconds: float = 0.0
    title: str = ""

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class PeriodResult:
    """One period's outcome: ``built`` (published), ``cached`` (skipped) or ``failed``."""

    period: str
    slug: str
    status: str
    folder: Path
    jobs: list[JobResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    failed_folder: Path | None = None

    @property
    def ok(self) -> bool:
        return self.status != "failed"


@dataclass
class BatchResult:
    """The batch's outcome; ``exit_code`` is 0 only when every period is built or cached."""

    out_dir: Path
    periods: list[PeriodResult]
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return all(p.ok for p in self.periods)

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1

    @property
    def failures(self) -> list[str]:
        return [f"{p.period}: {e}" for p in self.periods for e in p.errors]

    def summary(self) -> str:
        """Plain-text report of what was built, skipped and failed."""
        lines = []
        for p in self.periods:
            lines.append(f"{p.period}: {p.status} -> {p.folder}")
            for e in p.errors:
                lines.append(f"  FAILED {e}")
            if p.failed_folder is not None:
                lines.append(
                    f"  the partial build is in {p.failed_folder}; "
                    f"the last complete report (if any) is unchanged"
                )
        lines.append(
            f"{'ok' if self.ok else 'FAILED'} in {self.seconds:.1f} s; "
            f"index: {self.out_dir / 'index.html'}"
        )
        return "\n".join(lines)


# ---------------------------------------------------------------- the batch


def _run_job(
    session: Any,
    job: Job,
    build: Path,
    notebooks_dir: Path,
    public: bool,
    nav_jobs: list[Job],
    titles: dict[str, str],
) -> JobResult:
    """Execute one page, write its executed notebook and HTML into ``build``."""
    from ..dataset.errors import ParameterError as PE
    from .execute import load_notebook, write_notebook
    from .export import ExportError, page_title, write_html
    from .parameters import parameterize

    t0 = time.perf_counter()
    path = notebooks_dir / job.notebook
    label = f"{job.notebook} [{job.page}]"
    if not path.is_file():
        return JobResult(job, f"{label}: notebook not found: {path.name}", 0.0)
    try:
        nb = parameterize(load_notebook(path), job.parameters, name=job.notebook)
    except PE as exc:
        return JobResult(job, f"{label}: {exc}", time.perf_counter() - t0)
    result = session.run(nb, name=label)
    write_notebook(result.nb, build / "notebooks" / f"{job.page}.ipynb")
    h1 = page_title(result.nb, job.title)
    try:
        write_html(
            result.nb,
            build / f"{job.page}.html",
            title=f"{h1}: {job.period} PPRR",
            nav_html=nav_html(nav_jobs, titles, job.page),
            footer=page_footer(job, public),
            edition="public" if public else "internal",
            source_dir=notebooks_dir,
        )
    except ExportError as exc:
        err = str(result.error) if result.error else f"{label}: {exc}"
        return JobResult(job, err, time.perf_counter() - t0, h1)
    return JobResult(job, str(result.error) if result.error else None, time.perf_counter() - t0, h1)


def failed_folder(out: Path, slug: str) -> Path:
    """Where a failed build of ``slug`` is kept for inspection: ``<out>/.failed/<slug>``."""
    return out / ".failed" / slug


def _write_scorecard(dataset: Any, period: str, path: Path, *, public: bool = False) -> None:
    """``scorecard.csv`` for the period; the public edition's is made from the suppressed data."""
    from ..dataset import disclosure, score

    if public:
        dataset = disclosure.public_dataset(dataset)
    score.write_scorecard(score.scorecard(dataset, period), path)


def _progress(total: int, enabled: bool) -> Any:
    from tqdm import tqdm

    return tqdm(
        total=total,
        desc="pprr",
        unit="page",
        file=sys.stderr,
        disable=not (enabled and sys.stderr.isatty()),
        leave=False,
    )


def run_batch(
    periods: list[str] | tuple[str, ...] | None = None,
    *,
    data: Any = None,
    out_dir: str | Path = "reports",
    jobs: int = 1,
    notebooks_dir: str | Path = "notebooks",
    public: bool = False,
    force: bool = False,
    progress: bool = True,
) -> BatchResult:
    """Build the PPRR pack for ``periods`` (default: every period in the data).

    ``data`` is a folder of CSVs, an ``.xlsx`` workbook or a loaded ``Dataset`` (default: the
    project's data). Relative ``out_dir``/``notebooks_dir`` are relative to the current
    directory; notebooks always run with the repository root as working directory.
    Raises ParameterError for an unknown period and DataError for invalid data; failures
    of pages are contained and reported in the result (``exit_code`` 1).
    """
    t_start = time.perf_counter()
    scratch.sweep()  # scratch folders of runs that were killed
    out = Path(out_dir).resolve() / ("public" if public else "")
    nb_dir = Path(notebooks_dir).resolve()
    location, dataset = _data_location(data)
    if not location.exists():
        raise ParameterError(
            f"data: {location.name!r} does not exist; expected a folder of "
            "CSV files or an .xlsx workbook"
        )
    data_param = _data_parameter(location, data is not None)
    data_hash, code_hash = hash_data(location), hash_code()
    plans, dataset = load_plan(out, data_hash, code_hash, location, dataset)
    by_label = {p["period"]: p for p in plans}
    if periods:
        chosen = []
        for text in periods:
            label = resolve_in(
                text,
                by_label,
                unknown="period {text!r} is not in the data",
                held_as="the data holds",
                none="no periods",
            )
            if by_label[label] not in chosen:
                chosen.append(by_label[label])
    else:
        chosen = list(plans)
    if not chosen:  # never "ok" having built nothing
        raise ParameterError(f"data: {location.name} holds no periods to build (periods.csv)")
    nb_hashes = {
        n: hash_notebook(nb_dir / n) for n in ("overview.ipynb", "priority.ipynb", "finance.ipynb")
    }
    stamp = {"data": data_hash, "code": code_hash, "notebooks": nb_hashes}

    results: list[PeriodResult] = []
    todo: list[tuple[dict[str, Any], list[Job], str]] = []
    for plan in chosen:
        pjobs = period_jobs(plan, data_param=data_param, public=public)
        key = period_key(plan, pjobs, stamp, public=public)
        folder = out / plan["slug"]
        if out.exists():
            recover(out, plan["slug"])
        if not force and is_cached(folder, key):
            results.append(PeriodResult(plan["period"], plan["slug"], "cached", folder))
            shutil.rmtree(failed_folder(out, plan["slug"]), ignore_errors=True)  # obsolete
        else:
            todo.append((plan, pjobs, key))

    if todo:
        if dataset is None:
            from ..dataset.load import load_dataset

            dataset = load_dataset(location)
        results += _build(
            todo, dataset, out, nb_dir, public=public, workers=jobs, progress=progress
        )
    order = {p["period"]: i for i, p in enumerate(chosen)}
    results.sort(key=lambda r: order[r.period])
    out.mkdir(parents=True, exist_ok=True)
    write_top_index(out, public=public)
    if public and (out.parent / "index.html").is_file():
        write_top_index(out.parent, public=False)  # link the public edition
    return BatchResult(out, results, time.perf_counter() - t_start)


def _build(
    todo: list[tuple[dict[str, Any], list[Job], str]],
    dataset: Any,
    out: Path,
    nb_dir: Path,
    *,
    public: bool,
    workers: int,
    progress: bool,
) -> list[PeriodResult]:
    """Run every job of ``todo`` on ``workers`` kernels; publish each complete period."""
    from .execute import KernelSession

    out.mkdir(parents=True, exist_ok=True)
    builds: dict[str, Path] = {}
    titles: dict[str, dict[str, str]] = {}
    pending: dict[str, int] = {}
    done: dict[str, list[JobResult]] = {}
    work: list[tuple[Job, list[Job]]] = []
    for plan, pjobs, _ in todo:
        slug = plan["slug"]
        build = out / f".{slug}.build-{os.getpid()}"
        shutil.rmtree(build, ignore_errors=True)
        (build / "notebooks").mkdir(parents=True)
        builds[slug] = build
        titles[slug] = {j.page: short_title(j) for j in pjobs}
        pending[slug] = len(pjobs)
        done[slug] = []
        for j in pjobs:
            work.append((j, pjobs))
    total = len(work)
    local = threading.local()  # one kernel per worker thread, started by its first page
    sessions: list[KernelSession] = []

    def run_one(job: Job, pjobs: list[Job]) -> JobResult:
        session = getattr(local, "session", None)
        if session is None:
            session = local.session = KernelSession()
            sessions.append(session)  # list.append is atomic
        try:
            return _run_job(session, job, builds[job.slug], nb_dir, public, pjobs, titles[job.slug])
        except Exception as exc:  # noqa: BLE001 - contain any failure to its page
            return JobResult(job, f"{job.notebook} [{job.page}]: {type(exc).__name__}: {exc}")

    finished: list[PeriodResult] = []
    bar = _progress(total, progress)
    pool = ThreadPoolExecutor(max(1, min(workers, total)), thread_name_prefix="pprr-worker")
    futures = [pool.submit(run_one, job, pjobs) for job, pjobs in work]
    interrupted = False
    try:
        for future in as_completed(futures):
            res = future.result()
            bar.update(1)
            bar.set_postfix_str(f"{res.job.period} {res.job.page}", refresh=False)
            slug = res.job.slug
            done[slug].append(res)
            pending[slug] -= 1
            if pending[slug] == 0:
                plan, pjobs, key = next(t for t in todo if t[0]["slug"] == slug)
                finished.append(
                    _finish(plan, pjobs, key, done[slug], dataset, builds[slug], out, public=public)
                )
    except BaseException:
        interrupted = True
        pool.shutdown(wait=False, cancel_futures=True)
        wait(futures, timeout=30)  # the pages already running
        for b in builds.values():
            shutil.rmtree(b, ignore_errors=True)
        raise
    finally:
        bar.close()
        pool.shutdown(wait=not interrupted)
        for session in sessions:
            session.close()
        scratch.clean()  # the kernels' sockets and scratch files
    return finished


def _finish(
    plan: dict[str, Any],
    pjobs: list[Job],
    key: str,
    job_results: list[JobResult],
    dataset: Any,
    build: Path,
    out: Path,
    *,
    public: bool,
) -> PeriodResult:
    """Scorecard, index and manifest; publish the period if every part succeeded."""
    order = {j.page: i for i, j in enumerate(pjobs)}
    job_results.sort(key=lambda r: order[r.job.page])
    errors = [r.error for r in job_results if r.error]
    extra: list[tuple[str, str]] = []
    try:
        _write_scorecard(dataset, plan["period"], build / "scorecard.csv", public=public)
        extra.append(("scorecard.csv", "Scorecard (CSV): one row per measure"))
    except Exception as exc:  # noqa: BLE001 - a failed scorecard fails the period, named
        errors.append(f"scorecard.csv: {type(exc).__name__}: {exc}")
    titles = {r.job.page: (r.title or r.job.title) for r in job_results}
    index = period_index(plan, pjobs, titles, public=public, extra_files=extra)
    atomic_write(build / "index.html", lambda fh: fh.write(index))
    files = sorted(p.relative_to(build).as_posix() for p in build.rglob("*") if p.is_file())
    write_json(
        build / MANIFEST,
        {
            "key": key,
            "period": plan["period"],
            "title": plan["title"],
            "edition": "public" if public else "internal",
            "pages": [
                {
                    "page": j.page,
                    "title": titles.get(j.page, j.title),
                    "notebook": j.notebook,
                    "parameters": j.parameters,
                }
                for j in pjobs
            ],
            "files": files,
        },
    )
    slug = plan["slug"]
    final = out / slug
    if errors:
        failed = failed_folder(out, slug)
        shutil.rmtree(failed, ignore_errors=True)
        failed.parent.mkdir(parents=True, exist_ok=True)
        (build / MANIFEST).unlink()  # a failed build is never mistaken for a report
        os.rename(build, failed)
        return PeriodResult(plan["period"], slug, "failed", final, job_results, errors, failed)
    publish(build, final)
    shutil.rmtree(failed_folder(out, slug), ignore_errors=True)
    return PeriodResult(plan["period"], slug, "built", final, job_results)
