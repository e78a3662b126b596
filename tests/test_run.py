"""run: the batch over fixture notebooks: pages, containment, atomic publish, cache, index."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from pprr_utils.batch import extras, run
from pprr_utils.batch.export import default_forbidden_paths, page_problems
from pprr_utils.dataset.errors import ParameterError
from pprr_utils.dataset.load import Dataset

NB = Path(__file__).resolve().parent / "notebooks"


def _dataset(folder: Path) -> Dataset:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "periods.csv").write_text("period\n2021/22 Q2\n2023/24\n", encoding="utf-8")
    periods = pd.DataFrame(
        {
            "period": ["2021/22 Q2", "2023/24"],
            "framework": ["2021/22", "2024/25"],
            "title": ["Mid-Year Report 2021/22", "Agreement baseline 2024/25"],
        }
    )
    priorities = pd.DataFrame(
        {
            "framework": ["2021/22", "2021/22", "2024/25"],
            "priority": [1, 2, 1],
            "title": ["Best start", "Safe & well", "Thrive"],
        }
    )
    return Dataset({"periods": periods, "priorities": priorities}, str(folder))


@pytest.fixture()
def pack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict:
    nbs = tmp_path / "notebooks"
    nbs.mkdir()
    for name in ("overview", "priority", "outcomes", "finance"):
        shutil.copy(NB / "simple.ipynb", nbs / f"{name}.ipynb")
    monkeypatch.setattr(
        extras,
        "write_scorecard_csv",
        lambda ds, period, path, **_: path.write_text(f"period\n{period}\n"),
    )
    return {
        "data": _dataset(tmp_path / "data"),
        "out_dir": tmp_path / "reports",
        "notebooks_dir": nbs,
        "progress": False,
    }


@pytest.mark.kernel
def test_builds_every_page_and_index(pack: dict) -> None:
    res = run.run_batch(**pack)
    assert res.ok and res.exit_code == 0
    assert [p.status for p in res.periods] == ["built", "built"]
    q2 = pack["out_dir"] / "2021-22-Q2"
    names = {p.relative_to(q2).as_posix() for p in q2.rglob("*") if p.is_file()}
    kept = pack["out_dir"] / ".pprr-cache" / "pdf-parts" / "internal" / "2021-22-Q2"
    parts = sorted(p.name for p in kept.iterdir())  # the PDF's parts, kept beside the reports
    assert len(parts) == 4 and all(n.endswith(".pdf") for n in parts)  # 3 pages, the running
    assert names == {
        "index.html",
        "overview.html",
        "priority-1.html",
        "priority-2.html",
        "scorecard.csv",
        "report.pdf",
        ".pprr-manifest.json",
        "notebooks/overview.ipynb",
        "notebooks/priority-1.ipynb",
        "notebooks/priority-2.ipynb",
    }  # the illustrative dataset has no finance rows: no finance page
    assert "period=2021/22 Q2 priority=2 public=False" in (q2 / "priority-2.html").read_text()
    index = (q2 / "index.html").read_text()
    for href in (
        "overview.html",
        "priority-1.html",
        "priority-2.html",
        "scorecard.csv",
        "report.pdf",
        "notebooks/priority-2.ipynb",
    ):
        assert f'href="{href}"' in index and (q2 / href).is_file()
    top = (pack["out_dir"] / "index.html").read_text()
    assert 'href="2021-22-Q2/index.html"' in top and 'href="2023-24/index.html"' in top
    assert top.index("2023-24") < top.index("2021-22-Q2")  # newest first
    for page in pack["out_dir"].rglob("*.html"):
        text = page.read_text()
        assert page_problems(text, forbidden_paths=default_forbidden_paths()) == [], page
        assert '<html lang="en">' in text


@pytest.mark.kernel
def test_broken_page_contained_and_previous_report_kept(pack: dict) -> None:
    assert run.run_batch(["2021/22 Q2"], **pack).ok
    q2 = pack["out_dir"] / "2021-22-Q2"
    good = (q2 / "priority-1.html").read_bytes()
    shutil.copy(NB / "broken1.ipynb", pack["notebooks_dir"] / "priority.ipynb")
    res = run.run_batch(["2021-22-Q2"], **pack)
    assert not res.ok and res.exit_code == 1
    p = res.periods[0]
    assert p.status == "failed" and len(p.errors) == 2  # both priority pages
    assert (
        "priority.ipynb [priority-1]: cell 3 (In [3]) raised ValueError: no data for "
        "priority 1" in p.errors[0]
    )
    assert (q2 / "priority-1.html").read_bytes() == good  # last good report untouched
    failed = p.failed_folder
    assert failed == pack["out_dir"] / ".failed" / "2021-22-Q2"  # hidden, and said where
    assert str(failed) in res.summary()
    assert failed is not None and (failed / "overview.html").is_file()  # the rest rendered
    assert "This page is incomplete" in (failed / "priority-1.html").read_text()
    assert "2021-22-Q2.failed" not in (pack["out_dir"] / "index.html").read_text()
    assert "FAILED" in res.summary()
    # fixed: published again, the failed build is removed
    shutil.copy(NB / "simple.ipynb", pack["notebooks_dir"] / "priority.ipynb")
    assert run.run_batch(["2021/22 Q2"], **pack).ok and not failed.exists()


@pytest.mark.kernel
def test_cache_skips_without_kernel(pack: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    # others may edit pprr_utils while this runs: pin the code hash (its own test is below)
    monkeypatch.setattr(run, "hash_code", lambda: "code-v1")
    assert run.run_batch(**pack).ok
    before = {p: p.stat().st_mtime_ns for p in pack["out_dir"].rglob("*.html")}

    def no_kernel(*a, **k):
        raise AssertionError("a kernel was started for a cached run")

    with monkeypatch.context() as m:
        m.setattr("pprr_utils.batch.execute.KernelSession.start", no_kernel)
        res = run.run_batch(**pack)  # no kernel: the patched start would fail
    assert [p.status for p in res.periods] == ["cached", "cached"]
    after = {p: p.stat().st_mtime_ns for p in before}
    assert {k: v for k, v in after.items() if "index" not in k.name} == {
        k: v for k, v in before.items() if "index" not in k.name
    }
    # a changed notebook invalidates every period that uses it
    nb = pack["notebooks_dir"] / "finance.ipynb"
    nb.write_text(nb.read_text().replace("Simple fixture", "Finance fixture"))
    res = run.run_batch(["2023/24"], **pack)
    assert [p.status for p in res.periods] == ["built"]
    # so does changed package code, and changed data
    monkeypatch.setattr(run, "hash_code", lambda: "code-v2")
    assert [p.status for p in run.run_batch(["2023/24"], **pack).periods] == ["built"]
    (Path(pack["data"].location) / "periods.csv").write_text("period\n2023/24\n")
    assert [p.status for p in run.run_batch(["2023/24"], **pack).periods] == ["built"]
    assert [p.status for p in run.run_batch(["2023/24"], **pack).periods] == ["cached"]


def test_code_hash_covers_package_sources() -> None:
    files = {p.name for p in run._tree_files(run.PACKAGE_DIR, (".py", ".j2", ".json", ".css"))}
    assert {"run.py", "execute.py", "export.py", "index.html.j2", "pprr.css"} <= files


def _snapshot(out: Path) -> dict:
    """Every published file's bytes, except the manifests (their key hashes the code), the
    committee PDF and its kept parts (Chromium stamps them with the time they were printed)."""
    return {
        p.relative_to(out): p.read_bytes()
        for p in out.rglob("*")
        if p.is_file()
        and not any(n.startswith(".") for n in p.relative_to(out).parts)
        and p.name != "report.pdf"
    }


@pytest.mark.kernel
def test_deterministic_pages_across_forced_runs_and_workers(pack: dict) -> None:
    run.run_batch(**pack)
    first = _snapshot(pack["out_dir"])
    res = run.run_batch(**pack, force=True, jobs=2)
    assert [p.status for p in res.periods] == ["built", "built"]
    second = _snapshot(pack["out_dir"])
    assert first == second


@pytest.mark.kernel
def test_public_edition_separate_folder(pack: dict, tmp_path: Path) -> None:
    res = run.run_batch(["2023/24"], **pack, public=True)
    assert res.ok
    page = (pack["out_dir"] / "public" / "2023-24" / "overview.html").read_text()
    assert "public=True" in page and 'content="public"' in page
    manifest = json.loads((pack["out_dir"] / "public" / "2023-24" / run.MANIFEST).read_text())
    assert manifest["edition"] == "public"
    assert not (pack["out_dir"] / "2023-24").exists()
    cache = pack["out_dir"] / ".pprr-cache" / "pdf-parts" / "public" / "2023-24"
    assert any(cache.glob("*.pdf"))  # the PDF's parts, kept beside the reports
    public = pack["out_dir"] / "public"
    assert not [p for p in public.rglob("*") if "pdf-parts" in p.as_posix()]  # not published


def test_unknown_period_is_a_parameter_error(pack: dict) -> None:
    with pytest.raises(ParameterError, match="2030/31.*2021/22 Q2, 2023/24"):
        run.run_batch(["2030/31"], **pack)
    with pytest.raises(ParameterError, match="not a period"):
        run.run_batch(["Q2"], **pack)


def test_publish_swaps_and_recovers(tmp_path: Path) -> None:
    final, build = tmp_path / "2021-22-Q2", tmp_path / ".2021-22-Q2.build-1"
    final.mkdir()
    (final / "a").write_text("old")
    build.mkdir()
    (build / "a").write_text("new")
    run.publish(build, final)
    assert (final / "a").read_text() == "new" and not build.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["2021-22-Q2"]
    # a run that died between the two renames of the fallback path left the report aside
    aside = tmp_path / ".2021-22-Q2.old-999999999"
    final.rename(aside)
    (aside / run.MANIFEST).write_text("{}")
    run.recover(tmp_path, "2021-22-Q2")
    assert (final / "a").read_text() == "new" and not aside.exists()


def test_recover_all_puts_back_every_period_left_aside(tmp_path: Path) -> None:
    """A crash between the fallback path's two renames left a period aside; the next run
    restores it whichever periods it builds (issue 13: the folder was missing until that
    period was rebuilt), and removes dead runs' builds."""
    from pprr_utils.batch.publish import recover_all

    aside = tmp_path / ".2021-22-Q2.old-999999999"
    aside.mkdir()
    (aside / "overview.html").write_text("last good report")
    (aside / run.MANIFEST).write_text("{}")
    build = tmp_path / ".2023-24.build-999999998"
    build.mkdir()
    (build / "half.html").write_text("half")
    kept = tmp_path / "2022-23"
    kept.mkdir()
    assert recover_all(tmp_path) == ["2021-22-Q2", "2023-24"]
    assert (tmp_path / "2021-22-Q2" / "overview.html").read_text() == "last good report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2021-22-Q2", "2022-23"]


@pytest.mark.kernel
def test_a_cached_run_loads_no_data_and_imports_nothing_heavy(tmp_path: Path) -> None:
    """A re-run with nothing changed answers from the manifests: it neither loads the data
    nor imports pandas, numpy, nbformat or matplotlib (issue 15: a cached re-run of many
    portfolios as a new process in under 2 s, most of which was imports)."""
    import subprocess
    import sys

    from pprr_utils.dataset.synth import write_portfolios

    data = write_portfolios(tmp_path / "portfolios", portfolios=1, periods=1)
    out = tmp_path / "reports"
    first = run.run_batch(
        None, data=data / "illustrative-01", out_dir=out, pdf=False, progress=False
    )
    assert first.ok
    code = (
        "import sys\n"
        "from pprr_utils.batch import cli\n"
        f"rc = cli.main(['run', '--data', {str(data / 'illustrative-01')!r}, '--out', "
        f"{str(out)!r}, '--quiet', '--no-pdf'])\n"
        "heavy = sorted(m for m in ('pandas', 'numpy', 'nbformat', 'matplotlib') "
        "if m in sys.modules)\n"
        "print('HEAVY', heavy, rc)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "cached" in done.stdout and "built" not in done.stdout
    assert "HEAVY [] 0" in done.stdout, done.stdout + done.stderr


@pytest.mark.kernel
@pytest.mark.browser
def test_force_prints_the_pdf_afresh_whatever_was_kept(pack: dict) -> None:
    pypdf = pytest.importorskip("pypdf")

    def texts(pdf: Path) -> list[str]:
        return [" ".join(p.extract_text().split()) for p in pypdf.PdfReader(pdf).pages]

    assert run.run_batch(["2021/22 Q2"], **pack).ok
    pdf = pack["out_dir"] / "2021-22-Q2" / "report.pdf"
    before = texts(pdf)
    kept = sorted((pack["out_dir"] / ".pprr-cache" / "pdf-parts" / "internal").rglob("*.pdf"))
    for f in kept[1:]:  # every kept part made the same file, as a damaged cache might be
        f.write_bytes(kept[0].read_bytes())
    assert run.run_batch(["2021/22 Q2"], **pack, force=True).ok
    assert texts(pdf) == before and len(set(before)) == len(before) == 3  # three pages
