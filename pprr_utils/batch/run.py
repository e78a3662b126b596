"""The quarterly batch: periods x notebooks -> ``reports/<slug>/``, cached and published atomically.

For each period the pages ``plan`` lists run on reused kernels (``jobs`` workers), each
exported to HTML with the code hidden; plus the executed notebooks, ``scorecard.csv``, the
committee ``report.pdf``, an ``index.html`` and a manifest. ``reports/index.html`` links them.

* A period is built in a hidden sibling folder and swapped in with one atomic rename only
  when every page succeeded, so a failed or interrupted run never replaces or loses the last
  complete report; a failed build is kept as ``.failed/<slug>/`` for inspection (hidden).
* A period whose inputs (data files, notebooks, ``pprr_utils`` sources, parameters, tool
  versions) hash to the key in its manifest is skipped without starting a kernel; in a
  period that changed, only the pages whose own inputs changed (the data rows they read,
  ``pages.SELECTORS``) are run, the others carried over byte-identical.
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
from pathlib import Path
from typing import Any

from ..dataset.errors import ParameterError
from ..dataset.locations import is_url
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
    manifest,
    period_key,
    write_json,
)
from .contents import nav_html, page_footer, period_index, short_title, write_top_index
from .extras import PrintAhead, pack_pdf, period_extras
from .pages import portfolio_text, prepare_build
from .pdf_parts import parts_folder
from .plan import NOTEBOOKS, Job, _data_location, _data_parameter, period_jobs, plan_periods
from .publish import failed_folder, forget_failure, publish, recover, recover_all
from .results import BatchResult, JobResult, PeriodResult, PeriodTask

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
    from .parameters import parameterize, published

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
    write_notebook(published(result.nb), build / "notebooks" / f"{job.page}.ipynb")
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
    scheduler: str | None = None,
    pdf: bool = True,
    rules: Any = None,
    keep_kernels: bool = False,
) -> BatchResult:
    """Build the PPRR pack for ``periods`` (default: every period in the data).

    ``data`` is a folder of CSVs, an ``.xlsx`` workbook or a loaded ``Dataset`` (default: the
    project's data). Relative ``out_dir``/``notebooks_dir`` are relative to the current
    directory; notebooks always run with the repository root as working directory.
    ``scheduler`` runs the pages on a Dask cluster (``"local"`` or ``"tcp://host:port"``,
    see ``cluster``) instead of local kernels. ``pdf`` also writes each period's pack as
    ``report.pdf`` (:mod:`.pdf`). ``rules`` (``ScoringRules`` or a dict of settings; None: the
    portfolio's) score every page and the scorecard, and pages scored otherwise say so.
    ``keep_kernels`` leaves the kernels running for the next run in this process
    (:mod:`.kernels`: ``pprr watch``, repeated runs from a notebook). Raises ParameterError
    for an unknown period and DataError for invalid data; failures of pages are contained
    and reported in the result (``exit_code`` 1).
    """
    from ..dataset.rule_options import rules_from_parameter, rules_parameter

    t_start = time.perf_counter()
    scratch.sweep()  # scratch folders of runs that were killed
    out = Path(out_dir).resolve() / ("public" if public else "")
    nb_dir = Path(notebooks_dir).resolve()
    options = {"pdf": pdf, "rules": rules_parameter(rules_from_parameter(rules))}
    parts = parts_folder(Path(out_dir).resolve(), public)
    results, todo, chosen = period_tasks(
        periods, data, out, nb_dir, public=public, force=force, parts=parts, **options
    )
    if todo:
        results += _build(
            todo,
            nb_dir,
            public=public,
            workers=jobs,
            progress=progress,
            force=force,
            scheduler=scheduler,
            keep_kernels=keep_kernels,
        )
    order = {p["period"]: i for i, p in enumerate(chosen)}
    results.sort(key=lambda r: order[r.period])
    out.mkdir(parents=True, exist_ok=True)
    write_top_index(out, public=public)
    if public and (out.parent / "index.html").is_file():
        write_top_index(out.parent, public=False)  # link the public edition
    return BatchResult(out, results, time.perf_counter() - t_start)


def period_tasks(
    periods: list[str] | tuple[str, ...] | None,
    data: Any,
    out: Path,
    nb_dir: Path,
    *,
    public: bool,
    force: bool,
    pdf: bool = True,
    rules: dict[str, Any] | None = None,
    parts: Path | None = None,
) -> tuple[list[PeriodResult], list[PeriodTask], list[dict[str, Any]]]:
    """(cached periods, periods to build with their data loaded, every chosen period's plan)
    for one data folder, workbook or Dataset published into ``out``; ``parts``: the folder
    whose ``<slug>`` keeps each period's PDF parts (:func:`.pdf_parts.parts_folder`)."""
    location, dataset = _data_location(data)
    if not is_url(location) and not location.exists():
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
    names = NOTEBOOKS
    stamp = {
        "data": data_hash,
        "code": code_hash,
        "notebooks": {n: hash_notebook(nb_dir / n) for n in names},
    }
    if pdf:
        stamp["pdf"] = True  # a pack built without its PDF is not reused for one with it

    results: list[PeriodResult] = []
    todo: list[PeriodTask] = []
    if out.exists():
        recover_all(out)  # any period a crash left aside, built in this run or not
    for plan in chosen:
        pjobs = period_jobs(plan, data_param=data_param, public=public, rules=rules)
        key = period_key(plan, pjobs, stamp, public=public)
        folder = out / plan["slug"]
        if not force and is_cached(folder, key):
            results.append(PeriodResult(plan["period"], plan["slug"], "cached", folder))
            forget_failure(out, plan["slug"])
        else:
            portfolio = portfolio_text(location)
            task = PeriodTask(plan, pjobs, key, out, stamp, portfolio, pdf, rules)
            task.parts = (parts or parts_folder(out, public)) / plan["slug"]
            todo.append(task)

    if todo and dataset is None:
        from ..dataset.load import load_dataset

        dataset = load_dataset(location)
    for task in todo:
        task.dataset = dataset
    return results, todo, chosen


def _build(
    todo: list[PeriodTask],
    nb_dir: Path,
    *,
    public: bool,
    workers: int,
    progress: bool,
    force: bool = False,
    scheduler: str | None = None,
    keep_kernels: bool = False,
) -> list[PeriodResult]:
    """Run the pages of ``todo`` whose inputs changed on ``workers`` kernels, carry the
    others over, and publish each complete period (``keep_kernels``: see ``run_batch``)."""
    from . import kernels

    builds: dict[str, Path] = {}
    titles: dict[str, dict[str, str]] = {}
    pending: dict[str, int] = {}
    done: dict[str, list[JobResult]] = {}
    tasks = {t.tag: t for t in todo}
    work: list[tuple[Job, PeriodTask]] = []
    finished: list[PeriodResult] = []
    for task in todo:
        tag = task.tag
        builds[tag], done[tag] = prepare_build(task, public, force, JobResult)
        if force and task.parts is not None:  # a clean start: the PDF printed afresh too
            shutil.rmtree(task.parts, ignore_errors=True)
        titles[tag] = {j.page: short_title(j) for j in task.jobs}
        kept = {r.job.page for r in done[tag]}
        pending[tag] = len(task.jobs) - len(kept)
        for j in task.jobs:
            if j.page not in kept:
                work.append((j, task))
        if pending[tag] == 0:
            finished.append(_finish(task, done[tag], builds[tag], public=public, keep=keep_kernels))
    total = len(work)
    ahead = PrintAhead(bool(work) and any(t.pdf for t in todo), keep_browser=keep_kernels)
    local = threading.local()  # one kernel per worker thread, started by its first page
    sessions: list[Any] = []

    def run_one(job: Job, task: PeriodTask) -> tuple[str, JobResult]:
        session = getattr(local, "session", None)
        if session is None:
            code = task.stamp["code"]
            session = local.session = kernels.take(code) if keep_kernels else kernels.new()
            sessions.append(session)  # list.append is atomic
        tag = task.tag
        try:
            res = _run_job(session, job, builds[tag], nb_dir, public, task.jobs, titles[tag])
        except Exception as exc:  # noqa: BLE001 - contain any failure to its page
            res = JobResult(job, f"{job.notebook} [{job.page}]: {type(exc).__name__}: {exc}")
        return tag, res

    if not work:
        return finished
    bar = _progress(total, progress)

    def collect(tag: str, res: JobResult) -> None:
        bar.update(1)
        bar.set_postfix_str(f"{res.job.period} {res.job.page}", refresh=False)
        done[tag].append(res)
        pending[tag] -= 1
        task = tasks[tag]
        if task.pdf and res.error is None:  # its part of the PDF, printed while others run
            pack = ahead.packs.get(tag) or pack_pdf(
                task.plan, builds[tag], [f"{j.page}.html" for j in task.jobs], public=public,
                parts=task.parts)  # fmt: skip
            ahead.page_done(tag, pack, f"{res.job.page}.html")
        if pending[tag] == 0:
            pack = ahead.wait(tag)
            finished.append(_finish(task, done[tag], builds[tag], public=public,
                                    keep=keep_kernels, pack=pack))  # fmt: skip

    if scheduler is not None:  # pages run on a Dask cluster, published here (cluster.py)
        from .cluster import run_on_cluster

        items = [(j, t.jobs, titles[t.tag], builds[t.tag], t.tag) for j, t in work]
        interrupted = True
        try:
            for tag, res in run_on_cluster(scheduler, items, nb_dir, public=public, jobs=workers):
                collect(tag, res)
            interrupted = False
        except BaseException:
            ahead.close(interrupted=True)
            for b in builds.values():
                shutil.rmtree(b, ignore_errors=True)
            raise
        finally:
            bar.close()
            ahead.close(interrupted=interrupted)
        return finished
    pool = ThreadPoolExecutor(max(1, min(workers, total)), thread_name_prefix="pprr-worker")
    futures = [pool.submit(run_one, job, task) for job, task in work]
    interrupted = False
    try:
        for future in as_completed(futures):
            collect(*future.result())
    except BaseException:
        interrupted = True
        pool.shutdown(wait=False, cancel_futures=True)
        wait(futures, timeout=30)  # the pages already running
        ahead.close(interrupted=True)  # and the part being printed
        for b in builds.values():
            shutil.rmtree(b, ignore_errors=True)
        raise
    finally:
        bar.close()
        pool.shutdown(wait=not interrupted)
        ahead.close(interrupted=interrupted)
        if keep_kernels and not interrupted:
            kernels.keep(sessions, todo[0].stamp["code"])
        else:
            for session in sessions:
                session.close()
            if not kernels.idle():
                scratch.clean()  # the kernels' sockets and scratch files
    return finished


def _finish(
    task: PeriodTask,
    job_results: list[JobResult],
    build: Path,
    *,
    public: bool,
    keep: bool,
    pack: Any = None,
) -> PeriodResult:
    """Scorecard, index and manifest; publish the period if every part succeeded (``keep``:
    Chromium is kept running for the next build, as the kernels are; ``pack``: its PDF,
    parts printed ahead)."""
    plan, pjobs, key, dataset, out = task.plan, task.jobs, task.key, task.dataset, task.out
    order = {j.page: i for i, j in enumerate(pjobs)}
    job_results.sort(key=lambda r: order[r.job.page])
    errors = [r.error for r in job_results if r.error]
    names = [f"{j.page}.html" for j in pjobs]
    lend = out / plan["slug"] if all(r.reused for r in job_results) else None  # its PDF
    pdf = task.pdf and not errors
    extra, extra_errors = period_extras(dataset, plan, names, build, public=public, pdf=pdf, rules=task.rules, published=lend, keep_browser=keep, parts=task.parts, pack=pack)  # fmt: skip
    errors += extra_errors
    titles = {r.job.page: (r.title or r.job.title) for r in job_results}
    from ..dataset.score import rules_for

    base = rules_for(dataset) if dataset is not None else None  # the portfolio's rules
    index = period_index(plan, pjobs, titles, public=public, extra_files=extra, base=base)
    atomic_write(build / "index.html", lambda fh: fh.write(index))
    files = sorted(p.relative_to(build).as_posix() for p in build.rglob("*") if p.is_file())
    info = manifest(key, task.page_keys, plan, pjobs, titles, files, public=public)
    write_json(build / MANIFEST, info)
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
    forget_failure(out, slug)
    return PeriodResult(plan["period"], slug, "built", final, job_results)
