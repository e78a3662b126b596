"""Pages on a Dask distributed cluster when one machine is not enough (``pprr run --scheduler``).

``--scheduler tcp://HOST:PORT`` sends each page to an existing cluster; ``--scheduler local``
starts a ``LocalCluster`` of ``--jobs`` worker processes (one thread each) on 127.0.0.1 for
the run. Each worker keeps one warm kernel (a :class:`KernelSession` per worker thread, kept
between tasks and shut down by :class:`WarmKernels` when the worker closes), so a kernel
starts once per worker, not once per page.

A page task is self-contained: the parameterised notebook runs on the worker, which exports
its HTML and executed notebook into a private temporary folder and sends both files back as
bytes. The machine that runs ``pprr run`` writes them into the period's build folder and
publishes the period atomically exactly as a local run does, so the pages are byte-identical.
Workers need the same ``pprr_utils`` and notebooks and must reach the data at the same
location (a shared folder or, simplest, a database URL); see ``docs/scaling.md``.

A task that raises (the kernel died, the worker was lost) is retried once by Dask; a page
that still fails is reported by page, and its period is not published.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from distributed import WorkerPlugin

from .plan import Job

_LOCAL = threading.local()
_SESSIONS: list[Any] = []
_LOCK = threading.Lock()


def _session() -> Any:
    """This worker thread's warm kernel (started by its first page)."""
    from .execute import KernelSession

    session = getattr(_LOCAL, "session", None)
    if session is None:
        session = _LOCAL.session = KernelSession()
        with _LOCK:
            _SESSIONS.append(session)
    return session


def close_sessions() -> None:
    """Shut down every warm kernel of this process."""
    with _LOCK:
        sessions, _SESSIONS[:] = list(_SESSIONS), []
    for s in sessions:
        s.close()


atexit.register(close_sessions)


class WarmKernels(WorkerPlugin):
    """A Dask worker plugin that shuts the worker's warm kernels down when it closes."""

    name = "pprr-warm-kernels"

    def setup(self, worker: Any) -> None:  # noqa: D102 - the plugin protocol
        pass

    def teardown(self, worker: Any) -> None:  # noqa: D102
        # called on the worker's event loop, where a session cannot run its own loop
        t = threading.Thread(target=close_sessions, name="pprr-close-kernels")
        t.start()
        t.join(timeout=30)


def page_task(
    job: Job, nav_jobs: list[Job], titles: dict[str, str], nb_dir: str, public: bool
) -> tuple[Any, dict[str, bytes]]:
    """Run one page on this worker's warm kernel: (JobResult, relative path -> file bytes).

    Raises RuntimeError when the kernel died, so Dask retries the page (on any worker).
    """
    from .run import _run_job

    build = Path(tempfile.mkdtemp(prefix="pprr-page-"))
    try:
        (build / "notebooks").mkdir()
        res = _run_job(_session(), job, build, Path(nb_dir), public, nav_jobs, titles)
        if res.error and "KernelError" in res.error:
            raise RuntimeError(res.error)
        files = {
            p.relative_to(build).as_posix(): p.read_bytes() for p in build.rglob("*") if p.is_file()
        }
        return res, files
    finally:
        shutil.rmtree(build, ignore_errors=True)


def _client(scheduler: str, jobs: int) -> tuple[Any, Any]:
    """(client, the LocalCluster started for this run or None)."""
    from dask.distributed import Client, LocalCluster

    if scheduler == "local":
        cluster = LocalCluster(
            n_workers=max(1, jobs),
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        )
        return Client(cluster), cluster
    return Client(scheduler, timeout="30s"), None


def run_on_cluster(
    scheduler: str,
    items: list[tuple[Job, list[Job], dict[str, str], Path, str]],
    nb_dir: Path,
    *,
    public: bool,
    jobs: int = 2,
) -> Iterator[tuple[str, Any]]:
    """Run pages on the cluster; yield (tag, JobResult) as each finishes, its files written.

    ``items`` are (job, the period's jobs, nav titles, build folder, tag). Raises
    ParameterError when the scheduler cannot be reached.
    """
    from dask.distributed import as_completed

    from ..dataset.errors import ParameterError
    from .run import JobResult

    try:
        client, cluster = _client(scheduler, jobs)
    except (OSError, TimeoutError, ValueError) as exc:
        raise ParameterError(
            f"scheduler: cannot reach the Dask scheduler {scheduler!r} ({exc}); expected "
            "tcp://HOST:PORT of a running scheduler, or 'local'"
        ) from exc
    try:
        client.register_plugin(WarmKernels(), name=WarmKernels.name)
        run_id = uuid.uuid4().hex[:8]
        futures, submitted = {}, []
        for job, nav, titles, build, tag in items:
            f = client.submit(
                page_task,
                job,
                nav,
                titles,
                str(nb_dir),
                public,
                key=f"pprr-page-{run_id}-{tag}-{job.page}",
                retries=1,
                pure=False,
            )
            futures[f.key] = (job, build, tag)
            submitted.append(f)
        for future in as_completed(submitted):
            job, build, tag = futures[future.key]
            label = f"{job.notebook} [{job.page}]"
            try:
                res, files = future.result()
            except Exception as exc:  # noqa: BLE001 - failed twice: reported by page
                yield tag, JobResult(job, f"{label}: failed on the cluster (retried once): {exc}")
                continue
            for rel, data in files.items():
                target = build / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            yield tag, res
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
