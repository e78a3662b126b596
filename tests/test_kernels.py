"""Kernels kept warm between runs of one process (``batch.kernels``): a run that keeps its
kernels leaves them idle, the next takes them instead of starting new ones, and the pages
they make are byte-identical to a run on fresh kernels."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pprr_utils.batch import kernels, run

pytestmark = pytest.mark.kernel

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "westbury"


def _pages(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.rglob("*.html"))}


def test_a_kept_kernel_serves_the_next_run_and_its_pages_are_the_same(tmp_path, starts):
    data = tmp_path / "data"
    shutil.copytree(EXAMPLE, data)
    kw = {"data": data, "jobs": 1, "pdf": False, "progress": False, "force": True}
    period = "2024/25 Q2"
    cold = run.run_batch([period], out_dir=tmp_path / "cold", **kw)
    assert cold.ok and starts[0] == 1 and kernels.idle() == 0  # shut down as before
    first = run.run_batch([period], out_dir=tmp_path / "warm", keep_kernels=True, **kw)
    assert first.ok and starts[0] == 2 and kernels.idle() == 1
    again = run.run_batch([period], out_dir=tmp_path / "again", keep_kernels=True, **kw)
    assert again.ok and starts[0] == 2 and kernels.idle() == 1  # no kernel started
    folder = cold.periods[0].folder.name
    pages = _pages(tmp_path / "cold" / folder)
    assert len(pages) > 3
    assert _pages(tmp_path / "again" / folder) == pages
    # a correction rebuilt on the warm kernel (charts it drew before are reused) gives the
    # pages a fresh kernel gives for the corrected data
    values = data / "values.csv"
    values.write_text(
        values.read_text(encoding="utf-8").replace(
            "WB.1,2024/25 Q2,18.9,", "WB.1,2024/25 Q2,19.9,"
        ),
        encoding="utf-8",
    )
    kw["force"] = False
    fixed = run.run_batch([period], out_dir=tmp_path / "again", keep_kernels=True, **kw)
    assert fixed.ok and starts[0] == 2
    rerun = sorted(j.job.page for j in fixed.periods[0].jobs if not j.reused)
    assert "priority-1" in rerun and "priority-2" not in rerun
    kernels.close_kernels()
    assert kernels.idle() == 0
    fresh = run.run_batch([period], out_dir=tmp_path / "fresh", **kw)
    assert fresh.ok and starts[0] == 3
    after = _pages(tmp_path / "fresh" / folder)
    assert _pages(tmp_path / "again" / folder) == after != pages


def test_kernels_of_other_package_code_are_shut_down_not_reused(starts):
    session = kernels.take("code-1")
    session.start()
    kernels.keep([session], "code-1")
    assert kernels.idle() == 1 and kernels.take("code-1") is session
    kernels.keep([session], "code-1")
    other = kernels.take("code-2")  # the package changed: the idle kernel is stale
    assert other is not session and session.km is None and kernels.idle() == 0
    kernels.keep([session], "code-1")  # a run of the old code: not kept
    assert kernels.idle() == 0
