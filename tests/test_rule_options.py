"""Scoring rules chosen at run time: the CLI options, the notebooks' ``rules`` parameter, and the
note a report scored with non-default rules prints on every page and in its scorecard."""

from __future__ import annotations

import doctest
import io
from contextlib import redirect_stdout
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

import pprr_utils.dataset.rule_options as ro
import pprr_utils.dataset.shortfall as sf
from pprr_utils.batch.cli import main
from pprr_utils.batch.execute import load_notebook
from pprr_utils.batch.parameters import check_parameters
from pprr_utils.batch.plan import period_jobs, plan_periods
from pprr_utils.dataset.errors import ParameterError
from pprr_utils.dataset.rating import DEFAULT_RULES, ScoringRules
from pprr_utils.dataset.score import rules_for, scorecard
from pprr_utils.report.context import open_report
from pprr_utils.report.page import page_header

ROOT = Path(__file__).resolve().parent.parent
TEN = ScoringRules(amber_tolerance=0.10)


@pytest.mark.parametrize("module", [ro, sf])
def test_doctests(module):
    assert doctest.testmod(module).failed == 0


@pytest.mark.parametrize(("text", "want"), [("0.1", 0.1), ("10%", 0.1), ("0", 0.0), ("1", 1.0)])
def test_parse_fraction(text, want):
    assert ro.parse_fraction(text) == want


@pytest.mark.parametrize("text", ["1.5", "-0.1", "ten", "nan", "150%", ""])
def test_parse_fraction_refuses(text):
    with pytest.raises(ValueError, match="expected a fraction from 0 to 1"):
        ro.parse_fraction(text)


def test_rules_round_trip_as_a_notebook_parameter():
    assert ro.rules_parameter(DEFAULT_RULES) is None and ro.rules_parameter(None) is None
    assert ro.rules_from_parameter(None) == DEFAULT_RULES
    for rules in (TEN, ScoringRules(stable_tolerance=0.02, comparator_areas=("England",))):
        param = ro.rules_parameter(rules)
        assert ro.rules_from_parameter(param) == rules
    assert ro.rules_parameter(TEN) == {"amber_tolerance": 0.1}
    assert ro.rules_with(amber_tolerance=0.1) == TEN
    assert ro.rules_with(stable_band=0.02).stable_tolerance == 0.02


@pytest.mark.parametrize(
    ("value", "match"),
    [
        ({"amber": 0.1}, "unknown setting 'amber'"),
        ({"amber_tolerance": -1}, "amber_tolerance -1"),
        ({"basis": "cubits"}, "basis 'cubits'"),
        ("0.1", "expected None or a dict"),
    ],
)
def test_bad_rules_parameter_is_a_clear_error(value, match):
    with pytest.raises(ParameterError, match=match):
        ro.rules_from_parameter(value)


def _cli_card(*args: str) -> pd.DataFrame:
    buf = io.StringIO()
    with redirect_stdout(buf):
        assert main(["scorecard", "2023/24", *args]) == 0
    return pd.read_csv(io.StringIO(buf.getvalue()), keep_default_na=False)


@pytest.mark.slow  # runs the CLI four times (each loads the data)
def test_cli_amber_tolerance_changes_exactly_what_the_api_does(dataset):
    default, ten = scorecard(dataset, "2023/24"), scorecard(dataset, "2023/24", rules=TEN)
    moved = set(default.loc[default["status"] != ten["status"], "code"])
    assert len(moved) == 4  # red -> amber, as the issue found from Python
    assert set(default.loc[default["code"].isin(moved), "status"]) == {"red"}
    cli_default = _cli_card()
    cli_ten = _cli_card("--amber-tolerance", "0.10")
    assert list(cli_ten["status"]) == list(ten["status"])
    assert list(cli_default["status"]) == list(default["status"])
    assert set(cli_default.loc[cli_default["status"] != cli_ten["status"], "code"]) == moved
    # the card says how it was scored; the default card has no such column
    assert "scoring_rules" not in cli_default.columns
    base = rules_for(dataset)
    assert set(cli_ten["scoring_rules"]) == {
        ro.rules_note(replace(base, amber_tolerance=0.1), base)
    }
    assert "10%" in ro.rules_note(TEN)
    # the same from a percentage
    assert list(_cli_card("--amber-tolerance", "10%")["status"]) == list(ten["status"])


@pytest.mark.slow
def test_cli_stable_band_changes_trends(dataset):
    wide = ScoringRules(stable_tolerance=0.2)
    want = scorecard(dataset, "2023/24", rules=wide)
    got = _cli_card("--stable-band", "0.2")
    assert list(got["trend"]) == list(want["trend"])
    assert (got["trend"] != scorecard(dataset, "2023/24")["trend"]).any()


def test_cli_bad_tolerance_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["scorecard", "2023/24", "--amber-tolerance", "5"])
    assert exc.value.code == 2
    assert "expected a fraction from 0 to 1" in capsys.readouterr().err


def test_report_with_rules_notes_them_under_the_header(dataset):
    plain = open_report("2023/24", dataset)
    ruled = open_report("2023/24", dataset, rules={"amber_tolerance": 0.1})
    # the override is laid over the portfolio's rules (data/portfolio.yml)
    assert plain.rules_note is None
    assert ruled.rules == replace(rules_for(dataset), amber_tolerance=0.1)
    assert "non-default rules" not in page_header(plain)
    for page in ("overview", "finance"):
        assert ruled.rules_note in page_header(ruled, page=page)
        assert "amber within 10% of target" in ruled.rules_note
    assert list(ruled.scorecard["status"]) == list(
        scorecard(dataset, "2023/24", rules=ruled.rules)["status"]
    )


def test_batch_passes_rules_to_every_notebook(dataset):
    plan = plan_periods(dataset)[0]
    assert all(
        "rules" not in j.parameters for j in period_jobs(plan, data_param=None, public=False)
    )
    jobs = period_jobs(plan, data_param=None, public=True, rules={"amber_tolerance": 0.1})
    for job in jobs:
        assert job.parameters["rules"] == {"amber_tolerance": 0.1}
        nb = load_notebook(ROOT / "notebooks" / job.notebook)
        assert check_parameters(nb, job.parameters, name=job.notebook)["rules"] == {
            "amber_tolerance": 0.1
        }


@pytest.mark.kernel
def test_pack_built_with_rules_says_so_on_every_page(tmp_path, dataset):
    from pprr_utils.batch.run import run_batch

    result = run_batch(["2021/22 Q2"], out_dir=tmp_path, rules=TEN, progress=False, jobs=2)
    assert result.ok, result.summary()
    folder = result.periods[0].folder
    base = rules_for(dataset)
    note = ro.rules_note(replace(base, amber_tolerance=0.1), base)  # over the portfolio's
    pages = sorted(folder.glob("*.html"))
    assert len(pages) >= 7
    for page in pages:
        assert note.rstrip(".") in page.read_text(encoding="utf-8"), page.name
    card = pd.read_csv(folder / "scorecard.csv", keep_default_na=False)
    assert set(card["scoring_rules"]) == {note}
    want = scorecard(dataset, "2021/22 Q2", rules=TEN)
    assert list(card["status"]) == list(want["status"])
