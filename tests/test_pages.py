"""Only what changed is rebuilt: one page per (period, notebook), keyed by the rows it reads."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pprr_utils.batch import run
from pprr_utils.batch.pages import SELECTORS, page_keys
from pprr_utils.batch.plan import period_jobs, plan_periods
from pprr_utils.dataset.load import load_dataset

DATA = Path(__file__).resolve().parents[1] / "data"


def _copy_data(dst: Path) -> Path:
    shutil.copytree(DATA, dst, ignore=shutil.ignore_patterns("raw"))
    return dst


def _a_priority_value(data: Path) -> tuple[str, int, int]:
    """(period, priority, line number in values.csv) of a figure of the latest period."""
    ds = load_dataset(data)
    plans = plan_periods(ds)
    latest = plans[-1]
    m = ds.tables["measures"]
    m = m[m["framework"] == latest["framework"]]
    lines = (data / "values.csv").read_text(encoding="utf-8").splitlines()
    v = ds.tables["values"]
    for i, row in v.iterrows():
        if row["period"] == latest["period"] and row["code"] in set(m["code"]):
            if row["value"] == row["value"]:  # has a figure
                prio = int(m.loc[m["code"] == row["code"], "priority"].iloc[0])
                return latest["period"], prio, int(i) + 1  # + header line
    raise AssertionError(f"no figure in {len(lines)} lines")


def _bump(data: Path, line: int) -> None:
    """Correct the figure on ``line`` of values.csv (value column +1)."""
    import csv
    import io

    text = (data / "values.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    col = rows[0].index("value")
    rows[line][col] = f"{float(rows[line][col]) + 1:g}"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    (data / "values.csv").write_text(buf.getvalue(), encoding="utf-8")


def test_keys_change_only_for_the_pages_that_read_a_row(tmp_path: Path) -> None:
    data = _copy_data(tmp_path / "data")
    period, prio, line = _a_priority_value(data)
    before = load_dataset(data)
    plans = {p["period"]: p for p in plan_periods(before)}
    stamp = {"code": "c", "notebooks": {n: n for n in SELECTORS}}
    jobs = {p: period_jobs(plans[p], data_param=None, public=False) for p in plans}
    old = {p: page_keys(before, plans[p], jobs[p], stamp, public=False) for p in plans}
    _bump(data, line)
    after = load_dataset(data)
    new = {p: page_keys(after, plans[p], jobs[p], stamp, public=False) for p in plans}
    changed = {(p, page) for p in plans for page in old[p] if old[p][page] != new[p][page]}
    # the outcomes page (where the period has one) reads every measure, as the overview does
    readers = {"overview", f"priority-{prio}"} | (
        {"outcomes"} if any(j.page == "outcomes" for j in jobs[period]) else set()
    )
    assert changed == {(period, page) for page in readers}


@pytest.mark.kernel
@pytest.mark.slow
def test_a_corrected_figure_rebuilds_its_priority_page_and_the_overview_only(
    tmp_path: Path,
) -> None:
    data = _copy_data(tmp_path / "data")
    out = tmp_path / "reports"
    period, prio, line = _a_priority_value(data)
    first = run.run_batch(data=data, out_dir=out, jobs=2, progress=False)
    assert first.ok, first.summary()
    files = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}

    _bump(data, line)
    second = run.run_batch(data=data, out_dir=out, jobs=2, progress=False)
    assert second.ok, second.summary()
    rebuilt = {(p.period, j.job.page) for p in second.periods for j in p.jobs if not j.reused}
    outcomes = any(
        j.job.page == "outcomes" for p in second.periods for j in p.jobs if p.period == period
    )
    readers = {"overview", f"priority-{prio}"} | ({"outcomes"} if outcomes else set())
    assert rebuilt == {(period, page) for page in readers}
    assert all(p.ok for p in second.periods)
    said = next(line for line in second.summary().splitlines() if line.startswith(period))
    assert "(pages run: " in said and f"priority-{prio}" in said and "carried over)" in said

    slug = next(p.slug for p in second.periods if p.period == period)
    changed = {
        p.relative_to(out).as_posix()
        for p in out.rglob("*")
        if p.is_file() and files.get(p) != p.read_bytes()
    }
    others = {p.slug for p in second.periods if p.period != period}
    expected = (
        {f"{other}/.pprr-manifest.json" for other in others}
        | {
            f"{slug}/overview.html",
            f"{slug}/notebooks/overview.ipynb",
            f"{slug}/priority-{prio}.html",
            f"{slug}/notebooks/priority-{prio}.ipynb",
            f"{slug}/scorecard.csv",
            f"{slug}/report.pdf",
            f"{slug}/.pprr-manifest.json",
            ".pprr-plan.json",
        }
        | {f"{slug}/{f}" for f in ("outcomes.html", "notebooks/outcomes.ipynb") if outcomes}
    )
    parts = {c for c in changed if c.startswith(".pprr-cache/pdf-parts/")}  # kept beside
    assert {p.rsplit("/", 2)[-2] for p in parts} <= {slug}  # only this period's PDF parts
    assert len(parts) <= len(readers) + 1  # the parts printed again (and running sheets)
    assert changed - parts <= expected and f"{slug}/priority-{prio}.html" in changed
    assert f"{slug}/finance.html" not in changed
