"""The index pages name the portfolio and say when its data is illustrative (issue 15: every
page built from ``pprr synth`` data says it is illustrative; the index pages did not, nor
which portfolio they were the reports of)."""

from __future__ import annotations

import json
from pathlib import Path

from pprr_utils.batch.cache import MANIFEST
from pprr_utils.batch.contents import period_index, write_top_index
from pprr_utils.batch.plan import period_jobs, plan_periods
from pprr_utils.dataset.load import load_dataset
from pprr_utils.dataset.synth import write_portfolios

ROOT = Path(__file__).resolve().parent.parent


def test_the_plan_names_the_portfolio_and_whether_it_is_illustrative(tmp_path: Path) -> None:
    stockport = plan_periods(load_dataset(ROOT / "data"))[0]
    assert stockport["portfolio"].startswith("Stockport")
    assert stockport["illustrative"] is False
    folder = write_portfolios(tmp_path, portfolios=1, periods=1) / "illustrative-01"
    synth = plan_periods(load_dataset(folder))[0]
    assert synth["portfolio"] == "Illustrative Council 01: Illustrative portfolio 01"
    assert synth["illustrative"] is True


def test_period_contents_page_names_the_portfolio_and_says_illustrative(tmp_path: Path) -> None:
    folder = write_portfolios(tmp_path, portfolios=1, periods=1) / "illustrative-01"
    plan = plan_periods(load_dataset(folder))[0]
    jobs = period_jobs(plan, data_param=None, public=False)
    page = period_index(plan, jobs, {}, public=False, extra_files=[])
    assert "Illustrative Council 01: Illustrative portfolio 01." in page
    assert "<strong>Illustrative data:</strong>" in page
    real = plan_periods(load_dataset(ROOT / "data"))[0]
    page = period_index(real, period_jobs(real, data_param=None, public=False), {},
                        public=False, extra_files=[])  # fmt: skip
    assert "Illustrative data" not in page and real["portfolio"] in page


def _publish(out: Path, slug: str, period: str, **info: object) -> None:
    (out / slug).mkdir(parents=True)
    manifest = {"period": period, "title": f"Report {period}", **info}
    (out / slug / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")


def test_reports_index_names_the_portfolio(tmp_path: Path) -> None:
    _publish(tmp_path, "2023-24-Q1", "2023/24 Q1", portfolio="Anytown: Adults", illustrative=True)
    page = write_top_index(tmp_path, public=False).read_text(encoding="utf-8")
    assert "<title>Anytown: Adults: reports</title>" in page
    assert "Anytown: Adults. Internal edition." in page
    assert "<strong>Illustrative data:</strong>" in page


def test_reports_index_of_older_manifests_still_reads(tmp_path: Path) -> None:
    _publish(tmp_path, "2021-22-Q2", "2021/22 Q2")  # a manifest from before these fields
    page = write_top_index(tmp_path, public=False).read_text(encoding="utf-8")
    assert "Portfolio Performance and Resources Reports" in page
    assert "Illustrative data" not in page and "2021/22 Q2" in page


def test_portfolios_index_says_illustrative(tmp_path: Path) -> None:
    from pprr_utils.batch.portfolios import write_portfolios_index

    entries = [("illustrative-01", "Illustrative Council 01: Illustrative portfolio 01", 4)]
    page = write_portfolios_index(tmp_path, entries, public=False, illustrative=True)
    text = page.read_text(encoding="utf-8")
    assert "<strong>Illustrative data:</strong>" in text and "4 periods" in text
    real = write_portfolios_index(tmp_path, [("cfe", "Stockport: CFE", 2)], public=False)
    assert "Illustrative data" not in real.read_text(encoding="utf-8")
