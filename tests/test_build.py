"""data/*.csv is exactly what the import makes of data/raw/: re-running the build changes nothing."""

import filecmp
import shutil
from pathlib import Path

import pytest

from pprr_utils.dataset.errors import DataError
from pprr_utils.ingest.build import build_dataset, import_measure_groups, match_measure

ROOT = Path(__file__).resolve().parent.parent


def test_rebuild_reproduces_committed_data(tmp_path):
    frames = build_dataset(ROOT / "data" / "raw", tmp_path)
    assert frames
    for name in frames:
        committed = ROOT / "data" / f"{name}.csv"
        assert committed.exists(), f"{name}.csv is built but not in data/"
        assert filecmp.cmp(committed, tmp_path / f"{name}.csv", shallow=False), (
            f"data/{name}.csv differs from what `pprr build-data` makes of data/raw/"
        )


def test_every_row_names_its_source(dataset):
    for name, df in dataset.tables.items():
        if "source" in df.columns:
            assert df["source"].map(bool).all(), name
            assert df["source"].str.contains(r"\d{3}_[0-9a-f]+\.txt|ILLUSTRATIVE").all(), name


def test_plan_measures_matched_by_name():
    names = [
        (
            "CFE.33",
            "Percentage of children within Year 6 who are recorded as overweight or very overweight",
        )
    ]
    assert (
        match_measure(
            "Percentage of children within Year 6 who are recorded as overweight or very overweight",
            names,
        )
        == "CFE.33"
    )
    assert match_measure("CAMHS waiting list", names) is None


def test_plan_ambitions(dataset):
    a = dataset.outcomes
    assert list(a["ambition"]) == [1, 2, 3, 4, 5, 6, 7]
    m = dataset.outcome_measures.set_index(["ambition", "seq"])
    assert m.loc[(4, 1), "code"] == "CFE.63"
    assert m.loc[(3, 2), "code"] == "CFE.12(iii)"
    assert m.loc[(7, 7), "code"] == "CFE.29"


def test_quality_note_ids_are_stable_and_unique(dataset):
    from pprr_utils.ingest.build import note_id

    notes = dataset.quality_notes
    assert notes["id"].is_unique
    first = notes.iloc[0]
    assert note_id(first.to_dict()) == first["id"]


def _groups(tmp_path: Path, edit) -> Path:
    """A copy of raw/measures/groups.csv with ``edit`` applied to its text."""
    raw = tmp_path / "raw"
    (raw / "measures").mkdir(parents=True)
    src = ROOT / "data" / "raw" / "measures" / "groups.csv"
    text = src.read_text(encoding="utf-8")
    (raw / "measures" / "groups.csv").write_text(edit(text), encoding="utf-8")
    return raw


def test_measure_groups_are_checked_against_the_measures(dataset, tmp_path):
    measures = dataset.measures.to_dict("records")
    rows = import_measure_groups(_groups(tmp_path / "ok", lambda t: t), measures)
    assert {r["code"] for r in rows} <= set(dataset.measures["code"])
    assert all(r["reason"] and "_" in r["source"] for r in rows)
    # a NEW- code renumbered by the import (or a typo) names another measure: caught
    swapped = _groups(tmp_path / "swap", lambda t: t.replace("6-04(ii),", "6-04(iii),", 1))
    with pytest.raises(DataError, match=r"groups.csv:7:name_starts.*renumbered"):
        import_measure_groups(swapped, measures)
    with pytest.raises(DataError, match=r"groups.csv:2:code: 'CFSE.520'"):
        import_measure_groups(
            _groups(tmp_path / "c", lambda t: t.replace("CFSE.52,", "CFSE.520,", 1)), measures
        )
    # a cohort needs its total
    no_total = _groups(tmp_path / "t", lambda t: t.replace(",total,", ",part,"))
    with pytest.raises(DataError, match=r"group care-leavers: 0 total, 4 parts"):
        import_measure_groups(no_total, measures)
    shutil.rmtree(tmp_path / "ok" / "raw" / "measures")
    assert import_measure_groups(tmp_path / "ok" / "raw", measures) == []


def test_quality_notes_written_by_hand_are_data(dataset, tmp_path):
    from pprr_utils.ingest.build import import_quality_notes

    raw = ROOT / "data" / "raw"
    hand = import_quality_notes(raw)
    assert [n["check"] for n in hand] == ["icons-lost", "italics-lost"]
    notes = dataset.quality_notes.set_index("check")
    assert notes.loc["icons-lost", "location"] == hand[0]["location"]
    assert import_quality_notes(tmp_path) == []  # absent: none
    (tmp_path / "quality_notes.csv").write_text(
        "check,location,issue,resolution\nicons-lost,somewhere,,kept\n", encoding="utf-8"
    )
    with pytest.raises(DataError, match=r"quality_notes.csv:2:issue: an empty cell"):
        import_quality_notes(tmp_path)


def _minimal_raw(tmp_path: Path) -> Path:
    """A raw folder with only what a portfolio has: one measures table, its priorities,
    its period (the six required columns) and portfolio.yml."""
    raw = tmp_path / "raw"
    (raw / "measures").mkdir(parents=True)
    (raw / "priorities").mkdir()
    src = ROOT / "data" / "raw"
    shutil.copy(src / "measures" / "2024-25-p1-start-well.tsv", raw / "measures")
    shutil.copy(src / "priorities" / "2024-25.txt", raw / "priorities")
    (raw / "periods.csv").write_text(
        "period,framework,title,kind,target_year,previous\n"
        "2023/24,2024/25,Agreement 2024/25,baseline,2024/25,2022/23\n",
        encoding="utf-8",
    )
    (raw / "portfolio.yml").write_text(
        "council: Illustrative Council\nportfolio: Illustrative Services\n", encoding="utf-8"
    )
    return raw


def test_build_from_only_what_a_portfolio_has(tmp_path, capsys):
    from pprr_utils.batch.cli import main
    from pprr_utils.ingest.build import build_data

    raw, out = _minimal_raw(tmp_path), tmp_path / "out"
    frames = build_data(raw, out)
    assert "Copied" in capsys.readouterr().out
    assert (out / "portfolio.yml").read_text(encoding="utf-8").startswith("council: Illustrative")
    assert len(frames["measures"]) == 6 and set(frames["measures"]["priority"]) == {1}
    for optional in ("comparators", "measure_groups", "outcomes", "outcome_measures"):
        assert frames[optional].empty, optional
    assert frames["quality_notes"].empty  # no Stockport notes in another portfolio's data
    assert not any(name.startswith(("finance_", "business_case")) for name in frames)
    assert main(["validate", str(out)]) == 0
    assert "valid" in capsys.readouterr().out


def test_build_says_when_portfolio_yml_is_missing(tmp_path, capsys):
    from pprr_utils.batch.cli import main

    raw, out = _minimal_raw(tmp_path), tmp_path / "out"
    (raw / "portfolio.yml").unlink()
    assert main(["build-data", "--raw", str(raw), "--out", str(out)]) == 0
    assert f"write {out / 'portfolio.yml'}" in capsys.readouterr().out
    assert main(["validate", str(out)]) == 1  # a problem found, listed
    assert "portfolio.yml: file missing" in capsys.readouterr().err


@pytest.mark.parametrize(
    "remove, where",
    [
        ("measures/2024-25-p1-start-well.tsv", r"measures/\*.tsv: no such file"),
        ("priorities/2024-25.txt", r"priorities/\*.txt: no such file"),
        ("periods.csv", r"periods.csv: file missing"),
    ],
)
def test_build_names_a_missing_required_input(tmp_path, remove, where):
    raw = _minimal_raw(tmp_path)
    (raw / remove).unlink()
    with pytest.raises(DataError, match=where):
        build_dataset(raw, tmp_path / "out")
