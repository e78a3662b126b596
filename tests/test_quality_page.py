"""The data-quality page: only the notes that touch the period's figures; the public edition
leaves out a note quoting a figure it suppresses; the batch plans the page last.

Cases are the real data's notes (``data/quality_notes.csv``), named by their id.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from pprr_utils.batch.pages import SELECTORS
from pprr_utils.batch.plan import NOTEBOOKS, period_jobs, plan_periods
from pprr_utils.dataset import quality
from pprr_utils.dataset.load import Dataset
from pprr_utils.report import present
from pprr_utils.report import quality as quality_page
from pprr_utils.report.context import open_report


def _ids(ds, period: str) -> set[str]:
    return set(quality.period_notes(ds, period)["id"])


def _name(ds, code: str) -> str:
    m = ds.tables["measures"]
    return str(m[m["code"] == code]["name"].iloc[0])


def _note(ds, ident: str) -> dict:
    q = ds.tables["quality_notes"]
    return q[q["id"] == ident].iloc[0].to_dict()


def test_only_notes_touching_the_period_are_listed(dataset):
    q2, base = _ids(dataset, "2021/22 Q2"), _ids(dataset, "2023/24")
    every = set(dataset.tables["quality_notes"]["id"])
    imported = {i for i in q2 | base if not i.startswith("V")}
    assert imported <= every and len(q2 - imported) == 0
    assert len(q2) < len(every) and len(base & every) < len(every)  # not the whole list
    # CFSE.50 2019/20 (a 2021/22 measure; 2019/20 is a year its table shows)
    assert "Qbe4dcb" in q2 and "Qbe4dcb" not in base
    # CFE.55 2023/24 (a 2024/25 measure): only the 2023/24 report shows it
    assert "Q9295cf" in base and "Q9295cf" not in q2
    # a finance note on the 2021/22 mid-year's outturn table, and one on 2023/24's budget
    assert "Q08a194" in q2 and "Q08a194" not in base
    assert "Q87eccf" in base and "Q87eccf" not in q2
    # a note on the whole 2021/22 document (icons lost) goes with the 2021/22 report
    assert "Qb4c62a" in q2 and "Qb4c62a" not in base
    # a series note naming both reports' figures (CFSE.2 2020/21; CFE.2 2021/22) is on both
    assert "Q4f734b" in q2 and "Q4f734b" in base
    # validation's rounding notes are on 2023/24 budget rows only
    v = quality.period_notes(dataset, "2023/24")
    assert v["id"].str.match(r"V\d+$").sum() == len(dataset.notes)
    assert not quality.period_notes(dataset, "2021/22 Q2")["id"].str.match(r"V\d+$").any()


def test_every_listed_note_names_the_periods_measures_or_sits_at_its_sources(dataset):
    for period in ("2021/22 Q2", "2023/24"):
        figures = quality.period_figures(dataset, period)
        pattern = re.compile(
            "|".join(re.escape(c) for c in sorted(figures.all_codes, key=len, reverse=True))
        )
        for note in quality.period_notes(dataset, period).to_dict("records"):
            if str(note["id"]).startswith("V"):
                continue
            text = " ".join(str(note[c]) for c in ("location", "issue", "resolution"))
            named = set(pattern.findall(text))
            doc = str(note["location"]).split(", ")[0].split(" (")[0]
            assert named & figures.codes or doc in figures.documents, (period, note["id"])


def test_a_named_year_the_pack_does_not_show_leaves_the_note_out(dataset):
    note = {**_note(dataset, "Q9295cf")}
    figures = quality.period_figures(dataset, "2023/24")
    assert quality.touches(note, figures)
    note["issue"] = note["issue"].replace("2023/24", "2030/31")
    assert not quality.touches(note, figures)


def test_public_edition_leaves_out_notes_quoting_suppressed_figures(dataset):
    internal = open_report("2023/24", dataset)
    public = open_report("2023/24", dataset, public=True)
    quoted = _note(dataset, "Q86d896")["issue"]  # '(a)100% (7) ... (iii)57.1% (4) ...'
    assert "57.1% (4)" in quoted
    assert "57.1% (4)" in str(present.quality_notes(internal)).replace("&#x27;", "'")
    shown, left_out = (
        present.quality_notes(public),
        quality.withheld(public.dataset, quality.period_notes(public.dataset, "2023/24")),
    )
    assert "57.1% (4)" not in str(shown).replace("&#x27;", "'")
    assert left_out.sum() >= 1 and f"{int(left_out.sum())} notes quote figures" in shown
    # a note quoting no figure stays (a missing polarity: CFE.20), named by its measure
    assert "No &#x27;Good Performance&#x27; printed for CFE.20 &#x27;Persistent" in str(shown)


@pytest.mark.parametrize("period", ["2021/22 Q2", "2023/24"])
def test_the_public_page_says_what_a_note_is_about_in_plain_words(period, dataset):
    internal = str(present.quality_notes(open_report(period, dataset)))
    rep = open_report(period, dataset, public=True)
    public = str(present.quality_notes(rep))
    # the internal edition keeps what analysts use: ids, check names, raw files and lines
    assert "data/raw/measures/" in internal and 'data-label="Check"' in internal
    for internal_only in ("data/raw/", ".tsv", ".csv", "_ee574e58", "_04eb1c54"):
        assert internal_only not in public, internal_only
    assert not re.search(r"\b(?:line|row) \d", public)
    for jargon in ("code-spacing", "no-polarity", "printed_code", "approx=true", '"Id"'):
        assert jargon not in public, jargon
    notes, _ = quality_page.period_notes(rep)
    assert public.count('<th scope="row" data-label="About">') == len(notes)
    assert all(quality_page.plain_about(rep, n) for n in notes.to_dict("records"))


def test_a_public_note_is_about_its_measure_and_the_table_it_is_on(dataset):
    rep = open_report("2023/24", dataset, public=True)
    about = quality_page.plain_about(rep, _note(dataset, "Qb79811"))
    assert about == "Priority 2 Attendance and Inclusion: CFE.20 Persistent absentees"
    # a code printed with a space is named by the resolution's code
    spaced = quality_page.plain_about(rep, _note(dataset, "Qd05f2a"))
    assert spaced.endswith(": CFSE.64 " + _name(dataset, "CFSE.64")), spaced
    # a note on another report's table says which report
    older = quality_page.plain_about(rep, _note(dataset, "Q8ecf67"))
    assert "(Portfolio Performance and Resources Mid-Year Report 2021/22)" in older
    # a validation note on a finance row: the published table the row was read from
    v = quality.period_notes(dataset, "2023/24")
    first = v[v["id"] == "V001"].iloc[0].to_dict()
    assert (
        quality_page.plain_about(rep, first) == "3.2 Revenue Budget (cash limit budget by service)"
    )


def test_plain_text_keeps_what_was_found_and_drops_where_the_data_keeps_it():
    plain = quality_page.plain_text
    assert (
        plain("Normalised to CFSE.64; printed form kept in printed_code.", resolution=True)
        == "Normalised to CFSE.64; printed form kept."
    )
    assert plain("summary_saving left empty; note kept as printed", resolution=True) == (
        "note kept as printed"
    )
    assert plain("Total: non_employee printed 1 but 2 [finance_budget.csv row 19]") == (
        "Total: non employee printed 1 but 2"
    )
    assert plain("above the 'Total' row (line 497) and (lines 482-483) it") == (
        "above the 'Total' row and it"
    )


def test_the_page_and_the_overview_link(dataset):
    rep = open_report("2021/22 Q2", dataset)
    page = str(present.page_header(rep, page="quality")) + str(present.quality_notes(rep))
    assert "<h1>Children, Families and Education: data-quality notes</h1>" in page
    listed = quality.period_notes(dataset, "2021/22 Q2")
    assert page.count('<th scope="row" data-label="Id">') == len(listed)
    link = str(present.quality_link(rep))
    assert f"{len(listed)} data-quality notes" in link and 'href="quality.html"' in link


def test_the_plan_puts_the_page_last_and_only_with_notes(dataset):
    plans = {p["period"]: p for p in plan_periods(dataset)}
    assert all(p["quality"] for p in plans.values())
    jobs = period_jobs(plans["2021/22 Q2"], data_param=None, public=False)
    assert jobs[-1].page == "quality" and jobs[-1].notebook == "quality.ipynb"
    assert "quality.ipynb" in NOTEBOOKS and "quality.ipynb" in SELECTORS
    # without notes on the period (none recorded): no page
    tables = dict(dataset.tables)
    tables["quality_notes"] = tables["quality_notes"].iloc[0:0]
    bare = Dataset(tables, dataset.location)
    assert not any(p["quality"] for p in plan_periods(bare))


def test_the_page_reads_what_decides_its_notes(dataset):
    plan = next(p for p in plan_periods(dataset) if p["period"] == "2023/24")
    job = period_jobs(plan, data_param=None, public=False)[-1]
    chosen = SELECTORS[job.notebook](dataset, job, plan["framework"], False)
    for name in ("quality_notes", "validation_notes", "measure_codes", "values", "commentary"):
        assert name in chosen and isinstance(chosen[name], pd.DataFrame), name
    assert any(n.startswith("finance_") for n in chosen)


@pytest.mark.parametrize("period", ["2021/22 Q2", "2023/24"])
def test_notes_are_escaped(period, dataset):
    tables = dict(dataset.tables)
    q = tables["quality_notes"].copy()
    q.loc[q.index[-1], "resolution"] = "<script>x</script>"
    tables["quality_notes"] = q
    ds = Dataset(tables, dataset.location)
    out = str(present.quality_notes(open_report(period, ds)))
    assert "<script>" not in out


def test_the_overview_says_nothing_of_notes_a_portfolio_does_not_keep(dataset):
    tables = dict(dataset.tables)
    tables["quality_notes"] = tables["quality_notes"].iloc[0:0]  # no quality_notes.csv
    bare = open_report("2021/22 Q2", Dataset(tables, dataset.location, [], dataset.portfolio))
    assert str(present.quality_link(bare)) == ""
    tables["quality_notes"] = (
        dataset.tables["quality_notes"]
        .iloc[0:1]
        .assign(location="elsewhere.txt, a table no page reads", issue="ZZZ.1 1999/00 misprinted")
    )  # notes kept, none on this period: the overview says so
    other = open_report("2021/22 Q2", Dataset(tables, dataset.location, [], dataset.portfolio))
    assert "No data-quality note touches this period" in str(present.quality_link(other))
