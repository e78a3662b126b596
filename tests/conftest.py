"""Shared fixtures: the real dataset (loaded once), paths, and a writable copy of data/."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def dataset():
    from pprr_utils.dataset.load import load_dataset

    return load_dataset(DATA)


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    """A copy of data/ (the CSV files and portfolio.yml) that a test may break."""
    out = tmp_path / "data"
    out.mkdir()
    for f in [*DATA.glob("*.csv"), DATA / "portfolio.yml"]:
        shutil.copy(f, out / f.name)
    return out


@pytest.fixture(scope="session")
def seeds() -> Path:
    if not SEEDS.exists():
        pytest.skip("the seed documents (../shared/seeds) are not beside this checkout")
    return SEEDS


@pytest.fixture(scope="session")
def report_pack(tmp_path_factory) -> Path:
    """The full internal pack for every period of the real data, built once per test session."""
    from pprr_utils.batch.run import run_batch

    out = tmp_path_factory.mktemp("reports")
    result = run_batch(out_dir=out, jobs=2, progress=False)
    assert result.ok, result.summary()
    return out


@pytest.fixture(scope="session")
def public_pack(report_pack: Path) -> Path:
    """The public edition of every period, built beside the internal one (``public/``)."""
    from pprr_utils.batch.run import run_batch

    result = run_batch(out_dir=report_pack, jobs=2, progress=False, public=True)
    assert result.ok, result.summary()
    return report_pack / "public"


#: fixtures that build report pages, so any test using one starts Jupyter kernels
KERNEL_FIXTURES = {
    "report_pack",
    "public_pack",
    "real_pack",
    "built",
    "good_report",
    "session",
    "executed",
}


def pytest_collection_modifyitems(config, items):
    """Mark tests that build pages (through a pack fixture) ``kernel``: ``make test-fast``
    skips them. Tests that start a kernel themselves carry ``@pytest.mark.kernel``."""
    for item in items:
        if KERNEL_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.kernel)


@pytest.fixture
def starts(monkeypatch) -> list[int]:
    """How many kernels were started (each ``KernelSession.start`` that starts one); the
    warm kernels a test kept are shut down after it."""
    count = [0]
    from pprr_utils.batch import execute, kernels

    original = execute.KernelSession.start

    def start(self) -> None:
        count[0] += self.km is None
        original(self)

    monkeypatch.setattr(execute.KernelSession, "start", start)
    yield count
    kernels.close_kernels()
