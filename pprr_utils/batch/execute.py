"""Run parameterised notebooks on one reused kernel, papermill-compatible.

A notebook run here equals one run by ``papermill IN OUT -p name value ...`` from the
repository root: the parameters go into an ``injected-parameters`` cell placed after the
cell tagged ``parameters`` (papermill's own ``parameterize_notebook`` writes it). Unlike the
papermill CLI, one :class:`KernelSession` keeps a kernel alive across notebooks, resetting
its namespace, working directory and matplotlib state between them, which saves the ~3 s
kernel start and import cost per notebook.

The cells are run by ``nbclient.NotebookClient`` (the executor papermill itself drives) given
the session's running kernel manager and client: a client that did not create the manager
leaves the kernel running. ``papermill.execute_notebook(km=...)`` would reuse the kernel too,
but it starts a new kernel client (a heartbeat thread and five sockets) for every notebook
and never closes it, as it does not own the kernel.

Working directory: the repository root (where ``pyproject.toml`` is), as when papermill is
run from there; papermill itself uses the caller's working directory, so run it from the root."""

from __future__ import annotations

import ast
import asyncio
import copy
import inspect
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
from nbformat import NotebookNode

from ..dataset.writing import atomic_write
from .parameters import parameterize

REPO_ROOT = Path(__file__).resolve().parents[2]

# Modules imported once when a kernel starts, so each notebook finds them loaded. Not
# matplotlib.pyplot: the pages draw on Figure objects without it (report/charts.py), and
# importing it (and its inline backend) cost each kernel start about 0.3 s.
PRELOAD = ("pandas", "matplotlib", "pprr_utils", "pprr_utils.report.charts")

# Run in the kernel once after start-up: imports, deterministic SVG ids, state snapshot,
# and the preloaded objects frozen out of garbage collection.
_STARTUP = """
import importlib as __pprr_il, os as __pprr_os, sys as __pprr_sys
for __pprr_m in {preload!r}:
    try:
        __pprr_il.import_module(__pprr_m)
    except Exception:
        pass
if "matplotlib" in __pprr_sys.modules:
    import matplotlib as __pprr_mpl
    if __pprr_mpl.rcParams.get("svg.hashsalt") is None:
        __pprr_mpl.rcParams["svg.hashsalt"] = "pprr"
    __pprr_sys.modules["__pprr_state__"] = type(__pprr_sys)("__pprr_state__")
    __pprr_sys.modules["__pprr_state__"].rc = __pprr_mpl.rcParams.copy()
# Move everything loaded so far out of the collector's generations: `%reset -f` between
# notebooks then collects only what a notebook made, not the preloaded modules (~0.2 s).
import gc as __pprr_gc
__pprr_gc.collect()
__pprr_gc.freeze()
"""

# Run in the kernel between notebooks: forget every variable, restore cwd, sys.path and
# matplotlib state, so no notebook sees another's leftovers.
_RESET = """
import os as __pprr_os, sys as __pprr_sys
__pprr_os.chdir({cwd!r})
__pprr_sys.path[:] = {path!r}
if "matplotlib.pyplot" in __pprr_sys.modules:
    __pprr_sys.modules["matplotlib.pyplot"].close("all")
if "__pprr_state__" in __pprr_sys.modules and "matplotlib" in __pprr_sys.modules:
    __pprr_sys.modules["matplotlib"].rcParams.update(__pprr_sys.modules["__pprr_state__"].rc)
get_ipython().execution_count = 1
%reset -f
"""


@dataclass(frozen=True)
class CellError:
    """The first error a notebook raised: which notebook, which cell, what error."""

    notebook: str
    cell: int  # 0-based index of the cell in the executed notebook
    ename: str
    evalue: str
    execution_count: int | None = None

    def __str__(self) -> str:
        where = f"cell {self.cell}"
        if self.execution_count is not None:
            where += f" (In [{self.execution_count}])"
        return f"{self.notebook}: {where} raised {self.ename}: {self.evalue}"


@dataclass
class ExecutionResult:
    """An executed notebook (outputs, errors included) and how it went."""

    name: str
    nb: NotebookNode
    error: CellError | None
    seconds: float

    @property
    def ok(self) -> bool:
        return self.error is None


def machine_paths() -> list[tuple[str, str]]:
    """(path, replacement) pairs scrubbed from outputs, longest first."""
    home = str(Path.home())
    pairs = [
        (str(REPO_ROOT) + os.sep, ""),
        (str(REPO_ROOT), "."),
        (sys.prefix, "<python>"),
        (sys.base_prefix, "<python>"),
        (tempfile.gettempdir(), "<tmp>"),
        ("/tmp", "<tmp>"),
    ]
    if home not in ("/", ""):
        pairs.append((home, "~"))
    return sorted(set(pairs), key=lambda p: -len(p[0]))


# ipykernel compiles each cell to a temp file named by pid and hash: not reproducible.
_CELL_FILE = re.compile(r"(?:<tmp>|/[^\s:'\"]*)/ipykernel_\d+/\d+\.py")


def scrub_text(text: str, pairs: list[tuple[str, str]] | None = None) -> str:
    """Replace machine paths (repository, interpreter, temp, home) in ``text``."""
    text = _CELL_FILE.sub("<cell>", text)
    for path, repl in pairs or machine_paths():
        text = text.replace(path, repl)
    return text


def clean_notebook(nb: NotebookNode) -> NotebookNode:
    """Strip run timestamps, durations and machine paths from an executed notebook (in place).

    Removes papermill's input/output paths and times, nbclient's per-cell execution timings,
    and scrubs machine paths from text outputs and tracebacks.
    """
    pairs = machine_paths()
    pm = nb.metadata.get("papermill", {})
    nb.metadata["papermill"] = {"parameters": pm.get("parameters", {})}
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        cell.metadata.pop("papermill", None)
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                out["text"] = scrub_text(out.get("text", ""), pairs)
            elif out.get("output_type") == "error":
                out["evalue"] = scrub_text(out.get("evalue", ""), pairs)
                out["traceback"] = [scrub_text(t, pairs) for t in out.get("traceback", [])]
            else:
                data = out.get("data", {})
                if isinstance(data.get("text/plain"), str):
                    data["text/plain"] = scrub_text(data["text/plain"], pairs)
    return nb


def first_error(nb: NotebookNode, name: str) -> CellError | None:
    """The first error output in ``nb`` (a ``SystemExit`` of 0 is not an error)."""
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") != "error":
                continue
            if out.get("ename") == "SystemExit" and out.get("evalue") in ("", "0"):
                continue
            return CellError(
                name,
                i,
                out.get("ename", "Error"),
                out.get("evalue", ""),
                cell.get("execution_count"),
            )
    return None


def _wait(loop: asyncio.AbstractEventLoop, value: Any) -> Any:
    """Await ``value`` on ``loop`` if it is awaitable (async and sync managers alike)."""
    if inspect.isawaitable(value):
        return loop.run_until_complete(value)
    return value


class KernelSession:
    """One kernel kept alive for many notebooks; use it from one thread at a time.

    ``run`` resets the kernel's namespace and working directory before each notebook, so
    notebooks cannot see each other's variables; imports stay loaded, which is the saving.
    A kernel that dies is replaced for the next notebook.
    """

    def __init__(
        self,
        *,
        cwd: str | Path = REPO_ROOT,
        kernel_name: str = "python3",
        timeout: int = 600,
        startup_timeout: int = 60,
        preload: tuple[str, ...] = PRELOAD,
        allow_errors: bool = False,
    ) -> None:
        self.cwd = str(Path(cwd).resolve())
        self.kernel_name = kernel_name
        self.timeout = timeout
        self.startup_timeout = startup_timeout
        self.preload = preload
        self.allow_errors = allow_errors
        self.km: Any = None
        self.kc: Any = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._sys_path: list[str] | None = None
        self._sockets: str | None = None
        self.notebooks_run = 0

    def __enter__(self) -> KernelSession:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _client(self, nb: NotebookNode) -> Any:
        from nbclient import NotebookClient

        return NotebookClient(
            nb,
            km=self.km,
            kernel_name=self.kernel_name,
            timeout=self.timeout,
            startup_timeout=self.startup_timeout,
            allow_errors=self.allow_errors,
            record_timing=False,
            resources={"metadata": {"path": self.cwd}},
        )

    def start(self) -> None:
        """Start the kernel (no-op if running) and preload the common imports."""
        if self.km is not None:
            return
        from jupyter_client.manager import AsyncKernelManager

        if self._loop is None:
            self._loop = asyncio.new_event_loop()
        env = dict(os.environ)
        env["SOURCE_DATE_EPOCH"] = "0"  # matplotlib: no creation dates in SVG/PDF
        env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
        env["PPRR_REMEMBER_CHARTS"] = "1"  # a page run again redraws only changed charts
        # Local sockets in a private folder (not TCP ports; unique per kernel), inside the
        # run's scratch folder, which is removed when the run ends or by the next run.
        from .scratch import run_dir

        self._sockets = tempfile.mkdtemp(prefix="pprr-kernel-", dir=run_dir())
        env["TMPDIR"] = self._sockets  # ipykernel's cell files too
        self.km = AsyncKernelManager(
            kernel_name=self.kernel_name,
            transport="ipc",
            connection_file=os.path.join(self._sockets, "kernel.json"),
            ip=os.path.join(self._sockets, "ipc"),
        )
        # A client given the manager does not own it: it starts the kernel (with nbclient's
        # in-memory history) and its client, and leaves both running when it is done.
        client = self._client(nbformat.v4.new_notebook())
        self._loop.run_until_complete(client.async_start_new_kernel(cwd=self.cwd, env=env))
        self.kc = self._loop.run_until_complete(client.async_start_new_kernel_client())
        self._exec(_STARTUP.format(preload=self.preload))
        self._sys_path = self._eval_sys_path()

    def _exec(self, code: str, **kwargs: Any) -> dict:
        """Run ``code`` on the kernel outside the notebook (no history, outputs dropped)."""
        return self._loop.run_until_complete(
            self.kc.execute_interactive(
                code,
                store_history=False,
                output_hook=lambda msg: None,
                timeout=self.timeout,
                **kwargs,
            )
        )

    def _eval_sys_path(self) -> list[str]:
        reply = self._exec("", user_expressions={"p": "__import__('sys').path"})
        expr = reply["content"]["user_expressions"]["p"]
        return ast.literal_eval(expr["data"]["text/plain"])

    def reset(self) -> None:
        """Forget all variables; restore cwd, sys.path and matplotlib state."""
        self._exec(_RESET.format(cwd=self.cwd, path=self._sys_path))

    def close(self) -> None:
        """Shut the kernel down."""
        if self.km is None:
            return
        loop = self._loop
        try:
            if self.kc is not None:
                self.kc.stop_channels()
            _wait(loop, self.km.shutdown_kernel(now=True))
        except Exception:  # noqa: BLE001 - best effort on a dying kernel
            pass
        self.km = self.kc = None
        if self._sockets:
            shutil.rmtree(self._sockets, ignore_errors=True)
            self._sockets = None

    def _alive(self) -> bool:
        if self.km is None:
            return False
        return bool(_wait(self._loop, self.km.is_alive()))

    def run(self, nb: NotebookNode, *, name: str = "notebook") -> ExecutionResult:
        """Execute an (already parameterised) notebook; errors are captured, not raised."""
        from nbclient.exceptions import CellExecutionError, DeadKernelError

        t0 = time.perf_counter()
        if self.km is not None and not self._alive():
            self.close()
        self.start()
        if self.notebooks_run:
            self.reset()
        self.notebooks_run += 1
        nb = copy.deepcopy(nb)
        client = self._client(nb)
        client.kc = self.kc
        failure: str | None = None
        try:
            self._loop.run_until_complete(client.async_execute(cleanup_kc=False))
        except CellExecutionError:
            pass  # recorded in the cell's outputs
        except DeadKernelError as exc:
            failure = f"the kernel died: {exc}"
            self.close()
        except TimeoutError as exc:
            failure = f"timed out: {exc}"
            self.close()
        clean_notebook(nb)
        error = first_error(nb, name)
        if error is None and failure is not None:
            error = CellError(name, -1, "KernelError", failure)
        return ExecutionResult(name, nb, error, time.perf_counter() - t0)


def load_notebook(path: str | Path) -> NotebookNode:
    """Read a notebook as nbformat v4, as papermill's ``load_notebook_node`` does."""
    nb = nbformat.read(str(path), as_version=4)
    return nbformat.v4.upgrade(nb) or nb


def execute_notebook(
    path: str | Path,
    parameters: Mapping[str, Any] | None = None,
    *,
    session: KernelSession | None = None,
    name: str | None = None,
) -> ExecutionResult:
    """Parameterise and run one notebook (on ``session``, or a kernel of its own)."""
    label = name or Path(path).name
    nb = parameterize(load_notebook(path), parameters, name=label)
    if session is not None:
        return session.run(nb, name=label)
    with KernelSession() as own:
        return own.run(nb, name=label)


def write_notebook(nb: NotebookNode, path: str | Path) -> Path:
    """Write ``nb`` as deterministic JSON (sorted keys, one-space indent, final newline)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = nbformat.writes(nb)
    text = text if text.endswith("\n") else text + "\n"
    return atomic_write(path, lambda fh: fh.write(text))
