"""Every failure a sentence (issue 13): the command line names the file and what to do,
exits non-zero and shows no traceback unless ``--debug``."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from pprr_utils.batch import cli
from pprr_utils.dataset import writing


def _fails(argv: list[str], capsys, *fragments: str) -> str:
    code = cli.main(argv)
    out = capsys.readouterr()
    assert code != 0, out
    assert "Traceback" not in out.err + out.out
    lines = [line for line in out.err.splitlines() if line.strip()]
    assert lines, out.err
    if argv[0] != "validate":  # validate lists its problems under the data's name
        assert lines[0].startswith(f"pprr {argv[0]}: "), out.err
    for f in fragments:
        assert f in out.err, out.err
    return out.err


def _raise_on_write(monkeypatch, number: int, text: str) -> None:
    def fail(fd):
        raise OSError(number, text)

    monkeypatch.setattr(writing.os, "fsync", fail)


@pytest.mark.parametrize(
    ("number", "text", "advice"),
    [
        (errno.EROFS, "Read-only file system", "read-only file system; choose a writable folder"),
        (errno.ENOSPC, "No space left on device", "the disk is full"),
        (errno.EACCES, "Permission denied", "permission denied; check"),
    ],
)
def test_a_failed_scorecard_write_is_a_sentence_and_keeps_the_old_file(
    number, text, advice, tmp_path: Path, monkeypatch, capsys
) -> None:
    out = tmp_path / "card.csv"
    out.write_text("the previous scorecard\n", encoding="utf-8")
    _raise_on_write(monkeypatch, number, text)
    _fails(["scorecard", "2021/22 Q2", "--out", str(out)], capsys, str(out), advice)
    assert out.read_text(encoding="utf-8") == "the previous scorecard\n"
    assert [p.name for p in tmp_path.iterdir()] == ["card.csv"]


def test_a_read_only_output_folder_for_to_excel(
    data_copy: Path, tmp_path: Path, monkeypatch, capsys
):
    def read_only(*a, **k):
        raise OSError(errno.EROFS, "Read-only file system", k.get("dir"))

    monkeypatch.setattr(writing.tempfile, "mkstemp", read_only)
    out = tmp_path / "o.xlsx"
    _fails(["to-excel", str(data_copy), str(out)], capsys, str(out), "read-only")
    assert not out.exists()


def test_a_read_only_reports_folder_for_run(monkeypatch, capsys, tmp_path: Path) -> None:
    from pprr_utils.batch import run

    def read_only(*a, **k):
        raise OSError(errno.EROFS, "Read-only file system", str(tmp_path / "reports"))

    monkeypatch.setattr(run, "run_batch", read_only)
    _fails(["run", "--out", str(tmp_path / "reports")], capsys, "reports", "read-only")


def test_debug_shows_the_traceback(tmp_path: Path, monkeypatch) -> None:
    _raise_on_write(monkeypatch, errno.ENOSPC, "No space left on device")
    with pytest.raises(OSError):
        cli.main(["scorecard", "2021/22 Q2", "--out", str(tmp_path / "c.csv"), "--debug"])


def test_an_unexpected_error_is_one_line(monkeypatch, capsys) -> None:
    from pprr_utils.dataset import score

    def boom(*a, **k):
        raise OverflowError("int too large to convert")

    monkeypatch.setattr(score, "scorecard", boom)
    _fails(["scorecard", "2021/22 Q2"], capsys, "too large")


def test_a_huge_sequence_number(data_copy: Path, capsys) -> None:
    f = data_copy / "commentary.csv"
    text = f.read_text(encoding="utf-8")
    f.write_text(
        text.replace("2021/22 Q2,CFSE.1,1,", "2021/22 Q2,CFSE.1,99999999999999999999999,", 1),
        encoding="utf-8",
    )
    for argv in (
        ["validate", str(data_copy)],
        ["scorecard", "2021/22 Q2", "--data", str(data_copy)],
    ):
        _fails(argv, capsys, "commentary.csv:2:seq", "at most 9,223,372,036,854,775,807")


def test_an_impossible_period(data_copy: Path, capsys) -> None:
    f = data_copy / "values.csv"
    text = f.read_text(encoding="utf-8")
    f.write_text(text.replace("CFSE.1,2019/20,", "CFSE.1,0999/00,", 1), encoding="utf-8")
    _fails(["validate", str(data_copy)], capsys, "values.csv:2:period", "'0999/00'")
    _fails(["scorecard", "0999/00"], capsys, "0999/00", "from 1900 to 2199")


def test_values_csv_as_a_folder(data_copy: Path, capsys) -> None:
    (data_copy / "values.csv").unlink()
    (data_copy / "values.csv").mkdir()
    for argv in (
        ["validate", str(data_copy)],
        ["scorecard", "2021/22 Q2", "--data", str(data_copy)],
        ["to-excel", str(data_copy), str(data_copy.parent / "o.xlsx")],
    ):
        _fails(argv, capsys, "values.csv", "found a folder")
    assert not (data_copy.parent / "o.xlsx").exists()
