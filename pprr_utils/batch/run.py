"""The quarterly batch: periods x notebooks -> ``reports/<slug>/``, cached and published atomically.

For each period: ``overview.ipynb``, ``priority.ipynb`` once per priority of the period's
framework and ``finance.ipynb`` run on reused kernels (``jobs`` workers, one kernel each),
each exported to HTML with the code hidden; plus the executed notebooks, ``scorecard.csv``,
an ``index.html`` and ``.pprr-manifest.json``. ``reports/index.html`` links the periods.

* A period is built in a hidden sibling folder and swapped in with one atomic rename only
  when every page succeeded, so a failed or interrupted run never replaces or loses the last
  complete report; a failed build is kept as ``<slug>.failed/`` for inspection.
* A period whose inputs (data files, notebooks, ``pprr_utils`` sources, parameters, tool
  versions) hash to the key in its manifest is skipped without starting a kernel.
* ``public=True`` makes the public edition: every notebook gets ``public=True`` and the
  pack is written to ``<out_dir>/public/`` so it can be published as a folder of its own.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import hashlib
import html
import json
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
from ..dataset.periods import parse_period, resolve_in

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # the whole pprr_utils package
REPO_ROOT = PACKAGE_DIR.parent
MANIFEST = ".pprr-manifest.json"
PLAN_CACHE = ".pprr-plan.json"
CACHE_VERSION = 1
_VERSIONED = (
    "papermill",
    "nbclient",
    "nbconvert",
    "nbformat",
    "ipykernel",
    "matplotlib",
    "pandas",
    "numpy",
    "seaborn",
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


# ---------------------------------------------------------------- hashing


def _hash_files(root: Path, files: list[Path], h: Any) -> None:
    for f in sorted(files):
        h.update(f.relative_to(root).as_posix().encode() + b"\0")
        h.update(hashlib.sha256(f.read_bytes()).digest())


def _tree_files(root: Path, suffixes: tuple[str, ...] | None = None) -> list[Path]:
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith((".", "__pycache__"))]
        for name in filenames:
            if name.startswith(".") or name.endswith((".pyc", "~")):
                continue
            if suffixes is None or name.endswith(suffixes):
                out.append(Path(dirpath) / name)
    return out


def hash_data(location: Path) -> str:
    """Hash of every file in the data folder (or of the workbook)."""
    h = hashlib.sha256()
    if location.is_dir():
        _hash_files(location, _tree_files(location), h)
    else:
        h.update(location.read_bytes())
    return h.hexdigest()


def hash_code() -> str:
    """Hash of the package sources, templates and styles, and of the tool versions."""
    from importlib.metadata import PackageNotFoundError, version

    h = hashlib.sha256(f"v{CACHE_VERSION} {sys.version_info[:3]}".encode())
    _hash_files(PACKAGE_DIR, _tree_files(PACKAGE_DIR, (".py", ".j2", ".json", ".css")), h)
    for dist in _VERSIONED:
        try:
            h.update(f"{dist}={version(dist)}".encode())
        except PackageNotFoundError:
            h.update(f"{dist}=none".encode())
    return h.hexdigest()


def hash_notebook(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "missing"


# ---------------------------------------------------------------- planning


def _data_location(data: Any) -> tuple[Path, Any]:
    """(location on disk, the Dataset if one was given)."""
    from ..dataset.load import default_data_dir

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
    from ..dataset.load import default_data_dir

    if not explicit or location == default_data_dir().resolve():
        return None
    try:
        return location.relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return str(location)


def plan_periods(dataset: Any) -> list[dict[str, Any]]:
    """Every period the data holds, with its title, framework and priorities, in period order."""
    periods = dataset.tables["periods"] if hasattr(dataset, "tables") else dataset["periods"]
    prios = dataset.tables["priorities"] if hasattr(dataset, "tables") else dataset["priorities"]
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
            }
        )
    out.sort(key=lambda p: parse_period(p["period"]))
    return out


def period_jobs(plan: dict[str, Any], *, data_param: str | None, public: bool) -> list[Job]:
    """The pages of one period: overview, one priority page per priority, finance."""
    base: dict[str, Any] = {"period": plan["period"]}
    if data_param is not None:
        base["data"] = data_param
    if public:
        base["public"] = True
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
    jobs.append(Job(label, slug, "finance", "finance.ipynb", dict(base), "Finance"))
    return jobs


def _load_plan(
    out: Path, data_hash: str, code_hash: str, location: Path, dataset: Any
) -> tuple[list[dict[str, Any]], Any]:
    """The periods plan, from the plan cache when data and code are unchanged."""
    cache = out / PLAN_CACHE
    stamp = {"data": data_hash, "code": code_hash}
    if dataset is None and cache.is_file():
        with contextlib.suppress(ValueError, OSError):
            saved = json.loads(cache.read_text(encoding="utf-8"))
            if saved.get("inputs") == stamp:
                return saved["periods"], None
    if dataset is None:
        from ..dataset.load import load_dataset

        dataset = load_dataset(location)
    plans = plan_periods(dataset)
    out.mkdir(parents=True, exist_ok=True)
    _write_json(cache, {"inputs": stamp, "periods": plans})
    return plans, dataset


def _write_json(path: Path, obj: Any) -> None:
    tmp = path.with_name(path.name + f".tmp{os.getpid()}")
    tmp.write_text(json.dumps(obj, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, path)


# ---------------------------------------------------------------- publishing


_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux ``renameat2``); False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    rc = fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    return rc == 0


def publish(build: Path, final: Path) -> None:
    """Put ``build`` at ``final``; the old ``final`` is replaced only by a complete build.

    Swaps atomically where the OS can (Linux ``renameat2(RENAME_EXCHANGE)``); otherwise the
    old folder is renamed aside first and restored by :func:`recover` if the process dies.
    """
    if not final.exists():
        os.rename(build, final)
        return
    old = final.with_name(f".{final.name}.old-{os.getpid()}")
    if _exchange(build, final):
        os.rename(build, old)  # build now holds the previous report
    else:
        os.rename(final, old)
        os.rename(build, final)
    shutil.rmtree(old, ignore_errors=True)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover(out: Path, slug: str) -> None:
    """Restore a report left aside by an interrupted publish; remove dead runs' builds."""
    final = out / slug
    for p in sorted(out.glob(f".{slug}.*-*")):
        kind, _, pid = p.name.rpartition("-")
        if not pid.isdigit() or (_pid_alive(int(pid)) and int(pid) != os.getpid()):
            continue
        if kind.endswith(".old") and not final.exists() and (p / MANIFEST).is_file():
            os.rename(p, final)
        else:
            shutil.rmtree(p, ignore_errors=True)


# ---------------------------------------------------------------- pages


def _nav(jobs: list[Job], titles: dict[str, str], current: str | None) -> str:
    items = ['<li><a href="index.html">Contents</a></li>']
    for j in jobs:
        cur = ' aria-current="page"' if j.page == current else ""
        items.append(
            f'<li><a href="{j.page}.html"{cur}>{html.escape(titles.get(j.page, j.title))}</a></li>'
        )
    return "<ul>" + "".join(items) + "</ul>"


def _short_title(job: Job) -> str:
    return (
        "Overview"
        if job.page == "overview"
        else ("Finance" if job.page == "finance" else job.page.replace("priority-", "Priority "))
    )


def _edition(public: bool) -> str:
    return "Public edition" if public else "Internal edition"


def period_index(
    plan: dict[str, Any],
    jobs: list[Job],
    titles: dict[str, str],
    *,
    public: bool,
    extra_files: list[tuple[str, str]],
) -> str:
    """The period's contents page: every page, the scorecard and the executed notebooks."""
    from .export import render_template

    title = f"{plan['title']} ({plan['period']})"
    return render_template(
        "period_index.html.j2",
        title=f"{title}: contents",
        heading=title,
        period=plan["period"],
        edition=_edition(public),
        pages=[(j.page, titles.get(j.page, j.title)) for j in jobs],
        files=extra_files,
        footer=f"{_edition(public)}. Made by pprr.",
    )


def write_top_index(out: Path, *, public: bool) -> Path:
    """``<out>/index.html`` linking every published period (read from their manifests)."""
    from .export import render_template

    found = []
    for m in out.glob(f"*/{MANIFEST}"):
        with contextlib.suppress(ValueError, OSError, KeyError):
            info = json.loads(m.read_text(encoding="utf-8"))
            p = parse_period(info["period"])
            found.append(((p.start, p.quarter or 5), m.parent.name, info))
    found.sort(key=lambda t: t[0], reverse=True)
    page = render_template(
        "reports_index.html.j2",
        title="Portfolio Performance and Resources Reports",
        edition=_edition(public),
        periods=[(slug, info["title"], info["period"]) for _, slug, info in found],
        public_link=not public and (out / "public" / "index.html").is_file(),
        footer=f"{_edition(public)}. Made by pprr.",
    )
    path = out / "index.html"
    tmp = out / f".index.html.tmp{os.getpid()}"
    tmp.write_text(page, encoding="utf-8")
    os.replace(tmp, path)
    return path


# ---------------------------------------------------------------- the batch


def _period_key(
    plan: dict[str, Any], jobs: list[Job], stamp: dict[str, Any], *, public: bool
) -> str:
    payload = {
        "inputs": stamp,
        "plan": plan,
        "jobs": [[j.page, j.notebook, j.parameters] for j in jobs],
        "public": public,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def _is_cached(folder: Path, key: str) -> bool:
    try:
        info = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return info.get("key") == key and all((folder / f).is_file() for f in info.get("files", []))


def _footer(job: Job, public: bool) -> str:
    params = ", ".join(f"{k}={v}" for k, v in job.parameters.items() if k != "data")
    return f"{_edition(public)}. Made by pprr from notebooks/{job.notebook} ({params})."


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
    from .execute import load_notebook, parameterize, write_notebook
    from .export import ExportError, page_title, write_html

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
            nav_html=_nav(nav_jobs, titles, job.page),
            footer=_footer(job, public),
            edition="public" if public else "internal",
            source_dir=notebooks_dir,
        )
    except ExportError as exc:
        err = str(result.error) if result.error else f"{label}: {exc}"
        return JobResult(job, err, time.perf_counter() - t0, h1)
    return JobResult(job, str(result.error) if result.error else None, time.perf_counter() - t0, h1)


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
    plans, dataset = _load_plan(out, data_hash, code_hash, location, dataset)
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
    nb_hashes = {
        n: hash_notebook(nb_dir / n) for n in ("overview.ipynb", "priority.ipynb", "finance.ipynb")
    }
    stamp = {"data": data_hash, "code": code_hash, "notebooks": nb_hashes}

    results: list[PeriodResult] = []
    todo: list[tuple[dict[str, Any], list[Job], str]] = []
    for plan in chosen:
        pjobs = period_jobs(plan, data_param=data_param, public=public)
        key = _period_key(plan, pjobs, stamp, public=public)
        folder = out / plan["slug"]
        if out.exists():
            recover(out, plan["slug"])
        if not force and _is_cached(folder, key):
            results.append(PeriodResult(plan["period"], plan["slug"], "cached", folder))
            shutil.rmtree(out / f"{plan['slug']}.failed", ignore_errors=True)  # obsolete
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
        titles[slug] = {j.page: _short_title(j) for j in pjobs}
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
    (build / "index.html").write_text(
        period_index(plan, pjobs, titles, public=public, extra_files=extra), encoding="utf-8"
    )
    files = sorted(p.relative_to(build).as_posix() for p in build.rglob("*") if p.is_file())
    _write_json(
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
        failed = out / f"{slug}.failed"
        shutil.rmtree(failed, ignore_errors=True)
        (build / MANIFEST).unlink()  # a failed build is never mistaken for a report
        os.rename(build, failed)
        return PeriodResult(plan["period"], slug, "failed", final, job_results, errors, failed)
    publish(build, final)
    shutil.rmtree(out / f"{slug}.failed", ignore_errors=True)
    return PeriodResult(plan["period"], slug, "built", final, job_results)
