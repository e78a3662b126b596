"""The notebooks: thin, parameterised, committed without outputs; on the real data they run
under plain papermill with no error and give accessible, escaped, deterministic pages."""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest
from test_present import assert_outline, parse

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
DATA = ROOT / "data"
HAVE_DATA = (DATA / "periods.csv").exists() and (DATA / "values.csv").exists()
needs_data = pytest.mark.skipif(not HAVE_DATA, reason="data/*.csv not built yet")

#: the batch's notebooks (page templates) and their parameters; explore.ipynb is not one
EXPECTED = {
    "overview": {"period": None, "data": None, "public": False, "rules": None},
    "priority": {"period": None, "data": None, "priority": 1, "public": False, "rules": None},
    "outcomes": {"period": None, "data": None, "public": False, "rules": None},
    "finance": {"period": None, "data": None, "public": False, "rules": None},
    "quality": {"period": None, "data": None, "public": False, "rules": None},
}


def _read(name: str) -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_committed_without_outputs_and_valid(name):
    nb = _read(name)
    nbformat.validate(nb)
    assert nb.nbformat == 4
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_parameters_cell(name):
    nb = _read(name)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and nb.cells[0] is tagged[0]
    found = {}
    for stmt in ast.parse(tagged[0].source).body:
        assert isinstance(stmt, ast.Assign)
        found[stmt.targets[0].id] = ast.literal_eval(stmt.value)
    assert found == EXPECTED[name]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_cells_are_thin(name):
    """Each cell after the parameters is one or two calls into pprr_utils: no logic."""
    nb = _read(name)
    for cell in nb.cells[1:]:
        tree = ast.parse(cell.source)
        assert len(tree.body) <= 2, cell.source
        for node in ast.walk(tree):
            assert not isinstance(
                node, ast.For | ast.While | ast.If | ast.FunctionDef | ast.ClassDef | ast.Lambda
            ), cell.source
    first = nb.cells[1].source
    assert "context.open_report(" in first  # the first call checks the parameters


def _run(name: str, tmp_path: Path, **parameters) -> nbformat.NotebookNode:
    import papermill as pm

    out = tmp_path / f"{name}-{len(list(tmp_path.iterdir()))}.ipynb"
    pm.execute_notebook(
        str(NOTEBOOKS / f"{name}.ipynb"),
        str(out),
        parameters=parameters,
        cwd=str(ROOT),
        kernel_name="python3",
        progress_bar=False,
    )
    return nbformat.read(out, as_version=4)


def _page(nb: nbformat.NotebookNode) -> str:
    parts = []
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            assert o["output_type"] != "error", (o.get("ename"), o.get("evalue"))
            if o["output_type"] == "stream":
                assert o["name"] != "stderr" or not o["text"].strip(), o["text"]
            html = o.get("data", {}).get("text/html")
            if html:
                parts.append("".join(html) if isinstance(html, list) else html)
    return "".join(parts)


def _check_page(page: str) -> None:
    p = parse(page)
    assert_outline(p.headings)
    assert p.tables and all(t["caption"] and t["th"] == t["scoped"] > 0 for t in p.tables)
    assert "<script" not in page and p.external == []
    assert all(i.get("alt") for i in p.imgs)
    assert "Traceback" not in page and "Error" not in "".join(p.text)


@pytest.mark.kernel
@needs_data
def test_priority_runs_under_plain_papermill(tmp_path):
    nb = _run("priority", tmp_path, period="2021/22 Q2", priority=4)
    page = _page(nb)
    _check_page(page)
    text = "".join(parse(page).text)
    assert "Priority 4" in text and "CFSE.63" in text
    assert "91.6%" in text  # the real Q2 figure for EHCP timeliness, as published
    assert parse(page).imgs  # a trend chart per measure
    again = _page(_run("priority", tmp_path, period="2021-22-Q2", priority=4))
    assert again == page  # deterministic, and both spellings of the period work


@pytest.mark.kernel
@needs_data
def test_priority_runs_with_defaults(tmp_path):
    _check_page(_page(_run("priority", tmp_path)))


@pytest.mark.kernel
@needs_data
@pytest.mark.parametrize("period", ["2021/22 Q2", "2023/24"])
def test_overview_runs(tmp_path, period):
    page = _page(_run("overview", tmp_path, period=period))
    _check_page(page)
    text = "".join(parse(page).text)
    assert "Portfolio summary" in text and "Measures off target" in text
    assert text.index("Are we achieving our targets?") < text.index("Measures off target")
    assert "Data-quality notes" in text and "Misprints and inconsistencies" not in text


@pytest.mark.kernel
@needs_data
@pytest.mark.parametrize("period", ["2021/22 Q2", "2023/24"])
def test_quality_runs(tmp_path, period):
    page = _page(_run("quality", tmp_path, period=period))
    _check_page(page)
    text = "".join(parse(page).text)
    assert "data-quality notes" in text and "Notes on the sources" in text


@pytest.mark.kernel
@needs_data
def test_unknown_priority_fails_in_the_first_cell(tmp_path):
    import papermill as pm

    with pytest.raises(pm.PapermillExecutionError) as e:
        _run("priority", tmp_path, period="2021/22 Q2", priority=9)
    assert e.value.ename == "ParameterError"
    assert "its priorities are: 1, 2, 3, 4, 5" in e.value.evalue
    assert "open_report" in e.value.source


@pytest.mark.kernel
@needs_data
def test_unknown_period_fails_in_the_first_cell(tmp_path):
    import papermill as pm

    with pytest.raises(pm.PapermillExecutionError) as e:
        _run("overview", tmp_path, period="2031/32")
    assert e.value.ename == "ParameterError" and "2021/22 Q2" in e.value.evalue


@pytest.mark.kernel
@needs_data
def test_every_priority_page_in_process():
    """Every priority of every period renders (without a kernel) to a well-formed page."""
    from pprr_utils.report import context, present

    for period in ("2021/22 Q2", "2023/24"):
        base = context.open_report(period)
        for number in base.priorities["priority"]:
            rep = context.open_report(period, base.dataset, int(number))
            rep._scorecard = base.scorecard
            page = "".join(
                [
                    present.page_header(rep, page="priority"),
                    present.priority_intro(rep),
                    present.priority_measures(rep),
                    present.measure_sections(rep),
                    present.other_commentary(rep),
                ]
            )
            _check_page(page)
