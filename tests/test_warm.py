"""The per-kernel dataset cache (``report.warm``): same results as a fresh load, never stale."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pprr_utils.dataset.load import load_dataset
from pprr_utils.report import context, warm

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    dst = tmp_path / "data"
    shutil.copytree(DATA, dst, ignore=shutil.ignore_patterns("raw"))
    warm.clear()
    yield dst
    warm.clear()


def test_cached_dataset_equals_a_fresh_load(data_copy: Path) -> None:
    fresh = load_dataset(data_copy)
    first, key = warm.dataset_for(data_copy)
    second, key2 = warm.dataset_for(data_copy)
    assert key == key2
    for name, frame in fresh.tables.items():
        assert first.tables[name].equals(frame), name
        assert second.tables[name].equals(frame), name
        assert first.tables[name] is not second.tables[name]  # each page gets its own copy


def test_a_page_changing_its_tables_does_not_reach_the_next_page(data_copy: Path) -> None:
    ds, _ = warm.dataset_for(data_copy)
    ds.tables["values"].loc[:, "value"] = -1.0
    again, _ = warm.dataset_for(data_copy)
    assert not (again.tables["values"]["value"] == -1.0).all()


def test_a_changed_file_is_reloaded(data_copy: Path) -> None:
    before, key = warm.dataset_for(data_copy)
    values = data_copy / "values.csv"
    lines = values.read_text(encoding="utf-8").splitlines(keepends=True)
    row = before.tables["values"].dropna(subset=["value"]).iloc[0]
    # change one figure: the first value row that has one
    idx = next(
        i
        for i, line in enumerate(lines[1:], 1)
        if line.startswith(f"{row['code']},{row['period']},")
    )
    lines[idx] = lines[idx].replace(f",{row['value']:g},", ",9.25,", 1)  # a plausible figure
    assert ",9.25," in lines[idx]
    values.write_text("".join(lines), encoding="utf-8")
    after, key2 = warm.dataset_for(data_copy)
    assert key2 != key
    assert after.tables["values"].equals(load_dataset(data_copy).tables["values"])
    assert not after.tables["values"].equals(before.tables["values"])


def test_open_report_scorecard_is_the_same_from_the_cache(data_copy: Path) -> None:
    period = "2021/22 Q2"
    first = context.open_report(period, data_copy)
    second = context.open_report(period, data_copy, 2)
    fresh = context.open_report(period, load_dataset(data_copy))  # a Dataset: no cache
    assert first.scorecard.equals(fresh.scorecard)
    assert second.scorecard.equals(fresh.scorecard)
    assert first.scorecard is not second.scorecard
