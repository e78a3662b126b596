"""Bad input: each malformed dataset in tests/bad_input gives its clear error, never a traceback,
and never touches the last good report.

The corpus is built by code from data/ (tests/bad_input/corpus.py), one defect per case.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bad_input.corpus import CASES, Case, copy_data

from pprr_utils.batch import cli
from pprr_utils.dataset.errors import DataError, ParameterError
from pprr_utils.dataset.load import load_dataset

NB = Path(__file__).resolve().parent / "notebooks"


def _case_id(case: Case) -> str:
    return case.name


def _problem_lines(err: DataError) -> list[str]:
    return [str(p) for p in err.problems]


def _location(case: Case) -> str:
    parts = [case.file] + ([str(case.row)] if case.row is not None else [])
    parts += [case.column] if case.column else []
    return ":".join(parts) + ":"


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_load_raises_a_data_error(case: Case, tmp_path: Path) -> None:
    """Every case is refused with a DataError naming the file (no other exception)."""
    location = case.build(tmp_path / case.name)
    with pytest.raises(DataError) as err:
        load_dataset(location)
    assert any(line.startswith(case.file) for line in _problem_lines(err.value)), err.value


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_error_names_row_column_found_and_expected(case: Case, tmp_path: Path) -> None:
    """``file:row:column: found ..., expected ...`` with the case's own words."""
    location = case.build(tmp_path / case.name)
    with pytest.raises(DataError) as err:
        load_dataset(location)
    lines = [line for line in _problem_lines(err.value) if line.startswith(_location(case))]
    assert lines, f"no problem at {_location(case)} in:\n{err.value}"
    line = lines[0]
    assert case.found in line and case.expected in line, line
    assert re.fullmatch(re.escape(_location(case)) + r" .+, expected .+", line), line


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_pprr_validate_exits_non_zero_without_traceback(
    case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    location = case.build(tmp_path / case.name)
    code = cli.main(["validate", str(location)])
    out = capsys.readouterr()
    assert code != 0
    assert "Traceback" not in out.err + out.out
    assert case.file in out.err


@pytest.fixture(scope="module")
def good_report(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A good pack for 2021/22 Q2 built from a copy of data/ (fixture notebooks, for speed)."""
    from pprr_utils.batch.run import run_batch

    root = tmp_path_factory.mktemp("batch")
    nbs = root / "notebooks"
    nbs.mkdir()
    for name in ("overview", "priority", "outcomes", "finance", "quality"):
        shutil.copy(NB / "simple.ipynb", nbs / f"{name}.ipynb")
    args = {"out_dir": root / "reports", "notebooks_dir": nbs, "progress": False}
    res = run_batch(["2021/22 Q2"], data=copy_data(root / "good"), **args)
    assert res.ok, res.summary()
    return {"root": root, "args": args, "snapshot": _snapshot(root / "reports")}


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


@pytest.mark.kernel
@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_bad_data_never_touches_the_last_good_report(case: Case, good_report: dict) -> None:
    from pprr_utils.batch.run import run_batch

    location = case.build(good_report["root"] / "bad" / case.name)
    try:
        res = run_batch(["2021/22 Q2"], data=location, force=True, **good_report["args"])
    except (DataError, ParameterError):
        pass
    else:
        assert not res.ok, f"{case.name}: the batch accepted bad data"
    after = _snapshot(good_report["root"] / "reports")
    assert after.keys() == good_report["snapshot"].keys()
    for name, content in good_report["snapshot"].items():
        assert after[name] == content, f"{case.name} changed {name}"
    assert (good_report["root"] / "reports" / "2021-22-Q2" / "overview.html").is_file()
