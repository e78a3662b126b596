"""Pages on a Dask cluster (``batch.cluster``): byte-identical to a local run, failures by page."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pprr_utils.batch import run
from pprr_utils.dataset.synth import write_portfolios

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import same_pages  # noqa: E402

pytestmark = [pytest.mark.kernel, pytest.mark.slow]


@pytest.fixture(scope="module")
def portfolio(tmp_path_factory: pytest.TempPathFactory) -> dict:
    tmp = tmp_path_factory.mktemp("cluster")
    data = write_portfolios(tmp / "p", portfolios=1, periods=1) / "illustrative-01"
    local = tmp / "local"
    res = run.run_batch(data=data, out_dir=local, jobs=2, progress=False)
    assert res.ok, res.summary()
    return {"data": data, "local": local}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_local_cluster_builds_byte_identical_pages(portfolio: dict, tmp_path: Path) -> None:
    out = tmp_path / "dask"
    res = run.run_batch(
        data=portfolio["data"], out_dir=out, jobs=2, progress=False, scheduler="local"
    )
    assert res.ok, res.summary()
    assert same_pages.compare(portfolio["local"], out) == []
    assert len(same_pages.pages(out)) >= 7


def test_a_failing_page_is_reported_by_page(portfolio: dict, tmp_path: Path) -> None:
    nbs = tmp_path / "notebooks"
    shutil.copytree(ROOT / "notebooks", nbs)
    # the synthetic portfolio has no finance data (no finance page): break its overview
    shutil.copy(ROOT / "tests" / "notebooks" / "broken1.ipynb", nbs / "overview.ipynb")
    res = run.run_batch(
        data=portfolio["data"],
        out_dir=tmp_path / "out",
        notebooks_dir=nbs,
        jobs=2,
        progress=False,
        scheduler="local",
    )
    assert not res.ok
    (period,) = res.periods
    assert period.status == "failed"
    assert [e.split(":")[0] for e in period.errors] == ["overview.ipynb [overview]"]
    assert not (tmp_path / "out" / period.slug).exists()  # nothing half-published


def test_an_existing_scheduler_with_two_workers(portfolio: dict, tmp_path: Path) -> None:
    port = _free_port()
    dask = str(Path(sys.executable).parent / "dask")
    address = f"tcp://127.0.0.1:{port}"
    procs = [
        subprocess.Popen(
            [dask, "scheduler", "--host", "127.0.0.1", "--port", str(port),
             "--dashboard-address", ":0", "--no-show"],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
    ]  # fmt: skip
    try:
        time.sleep(2)
        for _ in range(2):
            procs.append(
                subprocess.Popen(
                    [dask, "worker", address, "--nthreads", "1", "--host", "127.0.0.1",
                     "--dashboard-address", ":0", "--no-dashboard"],
                    cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                )
            )  # fmt: skip
        from dask.distributed import Client

        with Client(address, timeout="30s") as client:
            client.wait_for_workers(2, timeout=60)
        out = tmp_path / "dask"
        res = run.run_batch(
            data=portfolio["data"], out_dir=out, jobs=2, progress=False, scheduler=address
        )
        assert res.ok, res.summary()
        assert same_pages.compare(portfolio["local"], out) == []
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()


def test_an_unreachable_scheduler_is_a_clean_error(portfolio: dict, tmp_path: Path) -> None:
    from pprr_utils.batch import cli

    code = cli.main(
        ["run", "--data", str(portfolio["data"]), "--out", str(tmp_path), "--force",
         "--quiet", "--scheduler", f"tcp://127.0.0.1:{_free_port()}"]
    )  # fmt: skip
    assert code == 2
