"""execute: papermill-equal parameters, checked before running, one reused kernel."""

from __future__ import annotations

from pathlib import Path

import pytest
from papermill.execute import execute_notebook as pm_execute

from pprr_utils.batch.execute import KernelSession, execute_notebook, load_notebook
from pprr_utils.batch.parameters import check_parameters, declared_parameters, parameterize
from pprr_utils.dataset.errors import ParameterError

HERE = Path(__file__).resolve().parent
NB = HERE / "notebooks"


@pytest.fixture(scope="module")
def session():
    with KernelSession() as s:
        yield s


def _shape(nb):
    return [(c.cell_type, c.source, sorted(c.metadata.get("tags", []))) for c in nb.cells]


@pytest.mark.parametrize("name", ["simple", "no_parameters"])
def test_injection_equals_papermill(name: str) -> None:
    params = {"period": "2021/22 Q2", "priority": 4} if name == "simple" else {}
    ours = parameterize(load_notebook(NB / f"{name}.ipynb"), params, name=name)
    theirs = pm_execute(
        str(NB / f"{name}.ipynb"), None, parameters=params, prepare_only=True, progress_bar=False
    )
    assert _shape(ours) == _shape(theirs)
    if params:
        injected = [c for c in ours.cells if "injected-parameters" in c.metadata["tags"]]
        assert len(injected) == 1
        idx = ours.cells.index(injected[0])
        assert "parameters" in ours.cells[idx - 1].metadata["tags"]
        assert injected[0].id == "injected-parameters"


def test_unknown_parameter_names_notebook_and_what_it_accepts() -> None:
    nb = load_notebook(NB / "simple.ipynb")
    with pytest.raises(ParameterError) as e:
        parameterize(nb, {"priorty": 4}, name="simple.ipynb")
    msg = str(e.value)
    assert "simple.ipynb" in msg and "'priorty'" in msg
    assert "period" in msg and "priority" in msg  # what it declares


def test_wrong_type_is_named() -> None:
    nb = load_notebook(NB / "typed_parameters.ipynb")
    with pytest.raises(ParameterError, match=r"typed_parameters.*'priority'.*int"):
        check_parameters(nb, {"priority": "4"}, name="typed_parameters.ipynb")
    with pytest.raises(ParameterError, match="'public'.*bool"):
        check_parameters(nb, {"public": "yes"}, name="typed_parameters.ipynb")
    with pytest.raises(ParameterError, match="'priority'"):
        check_parameters(nb, {"priority": True}, name="typed_parameters.ipynb")
    # int is fine for float, None for an optional, numpy ints become ints
    np = pytest.importorskip("numpy")
    ok = check_parameters(nb, {"ratio": 2, "label": None, "priority": np.int64(3)})
    assert ok == {"ratio": 2, "label": None, "priority": 3} and type(ok["priority"]) is int


def test_unsafe_values_rejected() -> None:
    nb = load_notebook(NB / "simple.ipynb")
    with pytest.raises(ParameterError, match="not a plain value"):
        check_parameters(nb, {"data": object()})
    with pytest.raises(ParameterError, match="not a plain value"):
        check_parameters(nb, {"data": float("nan")})
    # hostile text is injected as an inert string
    hostile = '"; import os; os.system("echo hi") #\\'
    out = parameterize(nb, {"period": hostile})
    cell = next(c for c in out.cells if "injected-parameters" in c.metadata["tags"])
    ns: dict = {}
    exec(compile(cell.source, "injected", "exec"), ns)  # noqa: S102 - checking it is inert
    assert ns["period"] == hostile


def test_declared_parameters_types() -> None:
    d = declared_parameters(load_notebook(NB / "typed_parameters.ipynb"))
    assert set(d) == {"period", "priority", "ratio", "public", "label", "items"}
    assert d["priority"].accepts == (int,)
    assert declared_parameters(load_notebook(NB / "no_parameters.ipynb")) == {}


def test_runs_and_captures_parameters(session: KernelSession) -> None:
    r = execute_notebook(NB / "simple.ipynb", {"priority": 4}, session=session)
    assert r.ok
    text = "".join(o.get("text", "") for c in r.nb.cells for o in c.get("outputs", []))
    assert "period=2021/22 Q2 priority=4 public=False" in text
    assert r.nb.metadata["papermill"] == {"parameters": {"priority": 4}}


def test_broken_notebook_named_with_cell_and_error(session: KernelSession) -> None:
    r = execute_notebook(NB / "broken1.ipynb", {"priority": 2}, session=session)
    assert not r.ok
    assert (r.error.notebook, r.error.cell, r.error.ename) == ("broken1.ipynb", 3, "ValueError")
    assert r.error.evalue == "no data for priority 2"
    assert "broken1.ipynb: cell 3" in str(r.error)
    # the kernel is still usable afterwards
    assert execute_notebook(NB / "simple.ipynb", session=session).ok


def test_no_state_leaks_between_notebooks_on_one_kernel(session: KernelSession) -> None:
    assert execute_notebook(NB / "leak_set.ipynb", session=session).ok
    kernel = session.km.kernel_id
    r = execute_notebook(NB / "leak_check.ipynb", session=session)
    assert r.ok, r.error
    assert session.km.kernel_id == kernel  # reset between notebooks, no new kernel


def test_no_machine_paths_or_timings_in_executed_notebook(session: KernelSession) -> None:
    import nbformat

    r = execute_notebook(NB / "chart.ipynb", session=session)
    assert r.ok, r.error
    text = nbformat.writes(r.nb)
    for bad in (str(HERE.parent), "/tmp/", "ipykernel_", "start_time", "input_path"):
        assert bad not in text
    assert all("execution" not in c.metadata for c in r.nb.cells)


def test_execution_counts_restart_per_notebook(session: KernelSession) -> None:
    a = execute_notebook(NB / "broken1.ipynb", session=session)
    assert a.error.execution_count == 2
    tb = "".join(a.nb.cells[a.error.cell].outputs[0].traceback)
    assert "In[2]" in tb  # as in a fresh papermill kernel, wherever it ran in the batch
