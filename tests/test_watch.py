"""``pprr watch``: a saved correction rebuilds the pages that read it on the warm kernels;
data saved half-edited is reported and the watch goes on."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import pytest

from pprr_utils.batch import kernels
from pprr_utils.batch.watch import fingerprint, watch

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "westbury"
NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def _wait_for(lines: list[str], words: str, count: int, timeout: float = 120.0) -> None:
    end = time.monotonic() + timeout
    while sum(words in line for line in lines) < count:
        assert time.monotonic() < end, f"no {count} x {words!r} in {lines}"
        time.sleep(0.1)


def test_the_fingerprint_follows_the_data_and_the_notebooks(tmp_path: Path) -> None:
    data = shutil.copytree(EXAMPLE, tmp_path / "data")
    notebooks = shutil.copytree(NOTEBOOKS, tmp_path / "notebooks")
    first = fingerprint(data, notebooks)
    assert fingerprint(data, notebooks) == first
    (data / "values.csv").write_text((data / "values.csv").read_text() + "\n")
    second = fingerprint(data, notebooks)
    assert second != first
    (notebooks / "overview.ipynb").write_text((notebooks / "overview.ipynb").read_text() + " ")
    assert fingerprint(data, notebooks) != second
    assert fingerprint(tmp_path / "gone", notebooks)  # a missing folder: no error


@pytest.mark.kernel
@pytest.mark.slow
def test_a_saved_correction_rebuilds_its_pages_on_warm_kernels(tmp_path, starts):
    data = shutil.copytree(EXAMPLE, tmp_path / "data")
    lines: list[str] = []
    stop = threading.Event()
    kw = {"data": data, "out_dir": tmp_path / "reports", "pdf": False, "jobs": 1}
    loop = threading.Thread(
        target=watch,
        args=(["2024/25 Q3"],),
        kwargs={
            **kw,
            "notebooks_dir": NOTEBOOKS,
            "interval": 0.2,
            "stop": stop,
            "say": lines.append,
        },
    )
    loop.start()
    try:
        _wait_for(lines, "watching for changes", 1)
        assert any("2024/25 Q3: built; pages run: overview" in line for line in lines)
        values = data / "values.csv"
        good = values.read_text(encoding="utf-8")
        values.write_text(good.replace("\n", "\nnot,a,row\n", 1), encoding="utf-8")
        _wait_for(lines, "not built: ", 1)  # reported, and the watch goes on
        rows = good.splitlines()
        head = rows[0].split(",")
        at = next(i for i, r in enumerate(rows) if r.startswith("WB.1,2024/25 Q3,"))
        cells = rows[at].split(",")
        cells[head.index("value")] = str(float(cells[head.index("value")]) + 1)
        rows[at] = ",".join(cells)
        values.write_text("\n".join(rows) + "\n", encoding="utf-8")
        _wait_for(lines, "watching for changes", 2)
    finally:
        stop.set()
        loop.join(timeout=60)
    rebuilt = [line for line in lines if "2024/25 Q3: built" in line][-1]
    assert "priority-1" in rebuilt and "priority-2" not in rebuilt
    assert "carried over" in rebuilt and "; 0 carried over" not in rebuilt
    assert starts[0] == 1  # the second build ran on the kernel the first one started
    assert kernels.idle() == 0  # shut down when the watch ended
    assert not loop.is_alive()


@pytest.mark.kernel
@pytest.mark.slow
def _watch_built_pack(kw: dict, on_watching) -> list[str]:
    """Run a watch of 2024/25 Q3 on the pack ``kw`` built until it watches for changes
    (``on_watching()`` called then), stop it; what it said."""
    lines: list[str] = []
    stop = threading.Event()

    def say(line: str) -> None:
        lines.append(line)
        if "watching for changes" in line:
            on_watching()

    loop = threading.Thread(
        target=watch,
        args=(["2024/25 Q3"],),
        kwargs={**kw, "notebooks_dir": NOTEBOOKS, "interval": 0.2, "stop": stop, "say": say},
    )
    loop.start()
    try:
        _wait_for(lines, "watching for changes", 1)
    finally:
        stop.set()
        loop.join(timeout=60)
    return lines


def test_a_watch_on_a_built_pack_says_nothing_changed_and_warms_its_kernels(tmp_path, starts):
    from pprr_utils.batch.run import run_batch

    data = shutil.copytree(EXAMPLE, tmp_path / "data")
    kw = {"data": data, "out_dir": tmp_path / "reports", "pdf": False, "jobs": 1}
    assert run_batch(["2024/25 Q3"], progress=False, **kw).ok
    assert starts[0] == 1 and kernels.idle() == 0
    seen: list[int] = []
    lines = _watch_built_pack(kw, lambda: seen.append(kernels.idle()))
    assert lines[0] == "nothing changed since the last build"
    assert seen == [1] and starts[0] == 2  # a kernel ready for the first correction
    assert kernels.idle() == 0 and not (tmp_path / "reports" / ".failed").exists()


@pytest.mark.browser
@pytest.mark.kernel
def test_a_watch_on_a_built_pack_starts_chromium_for_the_first_correction(tmp_path):
    from pprr_utils.batch import pdf
    from pprr_utils.batch.run import run_batch

    data = shutil.copytree(EXAMPLE, tmp_path / "data")
    kw = {"data": data, "out_dir": tmp_path / "reports", "jobs": 1}
    assert run_batch(["2024/25 Q3"], progress=False, **kw).ok
    assert "browser" not in pdf._KEPT  # a plain run closes its Chromium
    running: list[bool] = []
    lines = _watch_built_pack(
        kw,
        lambda: running.append("browser" in pdf._KEPT and pdf._KEPT["browser"].proc.poll() is None),
    )
    assert lines[0] == "nothing changed since the last build"
    assert running == [True]  # Chromium ready before the first correction is saved
    assert "browser" not in pdf._KEPT  # and closed when the watch stops
