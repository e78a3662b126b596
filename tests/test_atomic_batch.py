"""Every batch write is atomic and leaves nothing behind (issue 13): the reports index lists
published folders only, failed builds are hidden, kernels' scratch folders are removed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pprr_utils.batch import scratch
from pprr_utils.batch.cache import MANIFEST
from pprr_utils.batch.contents import write_top_index
from pprr_utils.dataset.writing import atomic_write


def _period_folder(out: Path, name: str, period: str, title: str) -> None:
    folder = out / name
    folder.mkdir(parents=True)
    info = {"period": period, "title": title, "key": "k", "files": []}
    (folder / MANIFEST).write_text(json.dumps(info), encoding="utf-8")


def test_index_lists_published_folders_only(tmp_path: Path) -> None:
    """After a crash inside publishing: the build, old and failed folders are never linked."""
    _period_folder(tmp_path, "2021-22-Q2", "2021/22 Q2", "Published")
    _period_folder(tmp_path, ".2021-22-Q2.build-4242", "2021/22 Q2", "Half built")
    _period_folder(tmp_path, ".2021-22-Q2.old-4242", "2021/22 Q2", "Old one")
    _period_folder(tmp_path, ".failed/2021-22-Q2", "2021/22 Q2", "Failed")
    _period_folder(tmp_path, "copy-of-q2", "2021/22 Q2", "A copy")
    page = write_top_index(tmp_path, public=False).read_text(encoding="utf-8")
    assert page.count("2021/22 Q2") == 1, page
    assert "Published" in page
    for other in ("Half built", "Old one", "Failed", "A copy", ".build-", ".old-"):
        assert other not in page


def test_a_failed_index_write_keeps_the_previous_index(tmp_path: Path, monkeypatch) -> None:
    _period_folder(tmp_path, "2021-22-Q2", "2021/22 Q2", "Published")
    before = write_top_index(tmp_path, public=False).read_bytes()
    from pprr_utils.batch import contents

    def full(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(contents, "render_template", lambda *a, **k: "x" * 10)
    monkeypatch.setattr(contents, "atomic_write", lambda p, w: atomic_write(p, full))
    with pytest.raises(OSError):
        write_top_index(tmp_path, public=False)
    assert (tmp_path / "index.html").read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".index")] == []


def test_scratch_folders_of_dead_runs_are_swept() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    dead = scratch._root() / f"run-{int(proc.stdout)}"
    (dead / "pprr-kernel-x").mkdir(parents=True)
    mine = scratch.run_dir()
    assert dead in scratch.sweep()
    assert not dead.exists() and mine.exists()
    scratch.clean()
    assert not mine.exists()


@pytest.mark.kernel
def test_a_kernel_keeps_its_files_in_the_run_folder() -> None:
    from pprr_utils.batch.execute import KernelSession

    with KernelSession() as session:
        assert Path(session._sockets).parent == scratch.run_dir()
    scratch.clean()
    assert not (scratch._root() / f"run-{__import__('os').getpid()}").exists()
