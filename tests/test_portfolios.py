"""Many portfolios in one run (``batch.portfolios``) and the illustrative generator (``synth``)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pprr_utils.batch import cli
from pprr_utils.batch.portfolios import is_data_folder, portfolio_folders, run_portfolios
from pprr_utils.dataset.load import load_dataset
from pprr_utils.dataset.portfolio import read_portfolio_file
from pprr_utils.dataset.schema import all_tables
from pprr_utils.dataset.synth import write_portfolios

DATA = Path(__file__).resolve().parents[1] / "data"


def test_synth_writes_valid_labelled_portfolios(tmp_path: Path) -> None:
    root = write_portfolios(tmp_path / "p", portfolios=2, periods=3)
    folders = portfolio_folders(root)
    assert [f.name for f in folders] == ["illustrative-01", "illustrative-02"]
    for f in folders:
        ds = load_dataset(f)  # validated on load
        assert {t.name for t in all_tables()} <= set(ds.tables)
        assert list(ds.tables["periods"]["period"]) == ["2023/24 Q1", "2023/24 Q2", "2023/24 Q3"]
        assert len(ds.tables["values"]) == 12 * 5  # 12 measures x (2 year-ends + 3 quarters)
        assert read_portfolio_file(f / "portfolio.yml").illustrative is True
    a = (folders[0] / "values.csv").read_bytes()
    assert a != (folders[1] / "values.csv").read_bytes()  # each portfolio its own figures
    again = write_portfolios(tmp_path / "q", portfolios=1, periods=3)
    assert (again / "illustrative-01" / "values.csv").read_bytes() == a  # reproducible


def test_data_folders_are_recognised(tmp_path: Path) -> None:
    assert is_data_folder(DATA)
    assert portfolio_folders(DATA) == []  # one portfolio: today's layout
    assert portfolio_folders(tmp_path) == []
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "measures.csv").write_text("x\n")
    (tmp_path / "b").mkdir()  # not a data folder
    assert portfolio_folders(tmp_path) == [tmp_path / "a"]


def test_synth_cli(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert cli.main(["synth", str(tmp_path), "--portfolios", "1", "--periods", "5"]) == 0
    ds = load_dataset(tmp_path / "illustrative-01")
    assert list(ds.tables["periods"]["period"])[-1] == "2024/25 Q1"
    assert cli.main(["synth", str(tmp_path), "--portfolios", "0"]) == 2
    assert "at least 1" in capsys.readouterr().err


@pytest.mark.kernel
@pytest.mark.slow
def test_run_over_a_folder_of_portfolios(tmp_path: Path) -> None:
    root = write_portfolios(tmp_path / "portfolios", portfolios=2, periods=1)
    out = tmp_path / "reports"
    assert cli.main(["run", "--data", str(root), "--out", str(out), "--jobs", "2", "--quiet"]) == 0
    top = (out / "index.html").read_text(encoding="utf-8")
    for slug in ("illustrative-01", "illustrative-02"):
        assert f'href="{slug}/index.html"' in top
        assert 'href="2023-24-Q1/index.html"' in (out / slug / "index.html").read_text()
        pages = sorted((out / slug / "2023-24-Q1").glob("*.html"))
        # synthetic portfolios have no finance data, so no finance page
        assert [p.stem for p in pages] == [
            "index", "overview", "priority-1", "priority-2", "priority-3"
        ]  # fmt: skip
        for p in pages:
            if p.stem != "index":
                text = re.sub(r"<[^>]+>", " ", p.read_text(encoding="utf-8"))
                assert "Illustrative data" in text, p
    result = run_portfolios(root, out_dir=out, jobs=2, progress=False)
    assert {p.status for p in result.periods} == {"cached"}
    assert [p.portfolio for p in result.periods] == ["illustrative-01", "illustrative-02"]
