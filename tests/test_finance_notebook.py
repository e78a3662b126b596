"""notebooks/finance.ipynb: thin, parameterised, committed without outputs; under plain
papermill it runs for both real periods with no error and shows the printed totals."""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest
from test_present import assert_outline, parse

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "finance.ipynb"
HAVE_DATA = (ROOT / "data" / "finance_cash_limit.csv").exists()


def test_structure():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    assert nb.nbformat == 4
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and nb.cells[0] is tagged[0]
    params = {s.targets[0].id: ast.literal_eval(s.value) for s in ast.parse(tagged[0].source).body}
    assert params == {"period": None, "data": None, "public": False, "rules": None}
    assert "report = context.open_report(period=period, data=data, public=public, rules=rules)" in (
        nb.cells[1].source
    )
    for cell in nb.cells:
        assert cell.cell_type == "code"
        assert cell.outputs == [] and cell.execution_count is None
    for cell in nb.cells[2:]:
        tree = ast.parse(cell.source)
        assert len(tree.body) == 1 and isinstance(tree.body[0], ast.Expr), cell.source
        assert cell.source.startswith("present_finance."), cell.source


@pytest.fixture(scope="module")
def executed(tmp_path_factory) -> dict[str, str]:
    """The notebook run by plain papermill from the repository root for both real periods."""
    if not HAVE_DATA:
        pytest.skip("data/*.csv not built")
    import papermill as pm

    out = tmp_path_factory.mktemp("finance-nb")
    pages = {}
    for period in ("2021/22 Q2", "2023-24"):
        target = out / f"{period.replace('/', '-').replace(' ', '-')}.ipynb"
        pm.execute_notebook(
            str(NOTEBOOK),
            str(target),
            parameters={"period": period},
            cwd=str(ROOT),
            kernel_name="python3",
            progress_bar=False,
        )
        nb = nbformat.read(target, as_version=4)
        parts = []
        for cell in nb.cells:
            for o in cell.get("outputs", []):
                assert o["output_type"] != "error", (period, o.get("ename"), o.get("evalue"))
                assert o.get("name") != "stderr" or not o["text"].strip(), o["text"]
                html = o.get("data", {}).get("text/html")
                if html:
                    parts.append("".join(html) if isinstance(html, list) else html)
        pages[period] = "".join(parts)
    return pages


@pytest.mark.kernel
def test_papermill_runs_both_periods(executed):
    for period, figures in {
        "2021/22 Q2": ["44,395", "44,802", "407", "2,652", "1,376", "1,276", "(0.618)"],
        "2023-24": ["62,052", "32,367", "(15,957)", "1,252", "105.674"],
    }.items():
        page = executed[period]
        p = parse(page)
        assert_outline(p.headings)
        assert p.tables and all(t["caption"] and t["th"] == t["scoped"] > 0 for t in p.tables)
        assert p.imgs and all(i.get("alt") for i in p.imgs)
        assert "<script" not in page and p.external == []
        text = "".join(p.text)
        assert "Traceback" not in text and "Error" not in text
        for fig in figures:
            assert f">{fig}<" in page, (period, fig)
