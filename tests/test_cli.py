"""The CLI: a good dataset prints a summary; a bad one prints every problem and exits non-zero."""

import subprocess
import sys

from pprr_utils.batch.cli import main


def test_validate_good_data(capsys):
    assert main(["validate", "data"]) == 0
    out = capsys.readouterr().out
    assert "valid" in out and "data-quality notes" in out


def test_validate_report_lists_notes(capsys):
    assert main(["validate", "data", "--report"]) == 0
    out = capsys.readouterr().out
    assert "CFSE. 64" in out and "Resolution:" in out


def test_validate_bad_data_lists_all_problems(data_copy, capsys):
    f = data_copy / "values.csv"
    f.write_text(
        f.read_text(encoding="utf-8")
        .replace("CFSE.1,2019/20,9.1,", "CFSE.1,2019/20,12,5%,", 1)
        .replace("CFSE.2,", "CFSE.222,", 1),
        encoding="utf-8",
    )
    assert main(["validate", str(data_copy)]) == 1
    err = capsys.readouterr().err
    assert "values.csv:" in err and "problem(s)" in err
    assert "Traceback" not in err


def test_scorecard_unknown_period_is_a_clear_error(capsys):
    assert main(["scorecard", "2030/31 Q1"]) == 2
    err = capsys.readouterr().err
    assert "2021/22 Q2" in err and "2023/24" in err


def test_scorecard_writes_csv(tmp_path, capsys):
    out = tmp_path / "card.csv"
    assert main(["scorecard", "2021-22-Q2", "--out", str(out)]) == 0
    header = out.read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith(
        "code,name,priority,polarity,value,count,as_at,target,target_type,previous,forecast,status,trend,reason"
    )


def test_console_script_entry_point():
    r = subprocess.run(
        [sys.executable, "-m", "pprr_utils.batch.cli", "--help"], capture_output=True, text=True
    )
    assert r.returncode == 0 and "validate" in r.stdout
