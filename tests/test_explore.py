"""notebooks/explore.ipynb: the analyst's guided tour. Not a page of the batch, so the rule that
keeps the batch's notebooks thin does not apply; it must run top to bottom under papermill from
the repository root and from notebooks/, and show DataFrames and seaborn charts."""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest
from test_notebooks import EXPECTED

from pprr_utils.batch.plan import period_jobs, plan_periods

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
EXPLORE = NOTEBOOKS / "explore.ipynb"


def test_notebooks_folder_is_the_batch_plus_explore():
    assert {p.stem for p in NOTEBOOKS.glob("*.ipynb")} == set(EXPECTED) | {"explore"}


def test_explore_is_not_a_batch_page(dataset):
    for plan in plan_periods(dataset):
        names = {j.notebook for j in period_jobs(plan, data_param=None, public=False)}
        assert "explore.ipynb" not in names
        assert names <= {f"{n}.ipynb" for n in EXPECTED}


def test_explore_committed_without_outputs_with_a_parameters_cell():
    nb = nbformat.read(EXPLORE, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.outputs == [] and c.execution_count is None for c in code)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    found = {s.targets[0].id: ast.literal_eval(s.value) for s in ast.parse(tagged[0].source).body}
    assert found == {"period": None, "data": None}
    # a guided tour: markdown explains each step, and it uses the public API
    assert sum(c.cell_type == "markdown" for c in nb.cells) >= 8
    source = "\n".join(c.source for c in code)
    for call in ("pp.load_dataset(", "pp.scorecard(", "pp.history(", "pp.ScoringRules(", "sns."):
        assert call in source, call


def _execute(tmp_path: Path, cwd: Path, **parameters) -> nbformat.NotebookNode:
    import papermill as pm

    out = tmp_path / f"explore-{cwd.name}.ipynb"
    pm.execute_notebook(
        str(EXPLORE),
        str(out),
        parameters=parameters,
        cwd=str(cwd),
        kernel_name="python3",
        progress_bar=False,
    )
    return nbformat.read(out, as_version=4)


def _check_outputs(nb: nbformat.NotebookNode) -> None:
    frames = charts = 0
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            assert o["output_type"] != "error", (o.get("ename"), o.get("evalue"))
            assert not (o["output_type"] == "stream" and o["name"] == "stderr"), o["text"]
            data = o.get("data", {})
            if 'class="dataframe"' in "".join(data.get("text/html", "")):
                frames += 1
            if "image/png" in data and "sns." in cell.source:
                charts += 1
    assert frames >= 5, frames
    assert charts >= 2, charts


@pytest.mark.kernel
@pytest.mark.parametrize(
    ("where", "parameters"),
    [("root", {}), ("notebooks", {"period": "2021/22 Q2"})],
)
def test_explore_runs_under_papermill(tmp_path, where, parameters):
    nb = _execute(tmp_path, ROOT if where == "root" else NOTEBOOKS, **parameters)
    _check_outputs(nb)
    text = "".join("".join(o.get("text", "")) for c in nb.cells for o in c.get("outputs", []))
    period = parameters.get("period", "2023/24")
    assert f"period {period}" in text
    assert "Forecast outturn, 2021/22 Q2" in text  # the period with an outturn table
