"""The batch on the real data: every page of every period, checked for content, not just files."""

import html
import re

import pandas as pd
import pytest

PERIODS = {"2021-22-Q2": 5, "2023-24": 6}


def _text(path) -> str:
    t = path.read_text(encoding="utf-8")
    t = re.sub(r"<style.*?</style>", "", t, flags=re.S)
    t = re.sub(r"<[^>]+>", " ", t)
    return html.unescape(re.sub(r"\s+", " ", t))


def _row(page_text: str, code: str) -> str:
    """The text of a measures-table row, from its code to the next code cell (or the
    commentary row under it, or the key after the last table)."""
    m = re.search(
        rf"\b{re.escape(code)} (.{{0,900}}?)"
        r"(?=\b(?:CFSE?|CSFE|NEW-)[\w.()-]* [A-Z%]|Commentary on |Key to symbols|$)",
        page_text,
    )
    assert m, code
    return m.group(1)


def test_every_period_has_its_pages(report_pack):
    for slug, n_priorities in PERIODS.items():
        folder = report_pack / slug
        pages = {p.name for p in folder.glob("*.html")}
        want = {"index.html", "overview.html", "finance.html", "quality.html"} | {
            f"priority-{i}.html" for i in range(1, n_priorities + 1)
        }
        if slug == "2023-24":  # the Children and Young People Plan goes with 2024/25
            want.add("outcomes.html")
        assert pages == want, slug
        assert (folder / "scorecard.csv").exists()
        assert len(list((folder / "notebooks").glob("*.ipynb"))) == len(want) - 1
    index = (report_pack / "index.html").read_text(encoding="utf-8")
    for slug in PERIODS:
        assert f'href="{slug}/index.html"' in index


def test_no_error_text_in_any_page(report_pack):
    for page in report_pack.glob("*/*.html"):
        text = page.read_text(encoding="utf-8")
        assert 'role="alert"' not in text, page
        assert "Traceback" not in text and "Error:" not in _text(page), page


def test_scorecard_csv_matches_the_published_figures(report_pack):
    card = pd.read_csv(report_pack / "2021-22-Q2" / "scorecard.csv").set_index("code")
    assert len(card) == 25
    # CFSE.1 mothers smoking at delivery: 8.2% (47) as at Q1 against a 9.5% target, low is good;
    # 7.1% the previous year-end.
    assert card.loc["CFSE.1", "value"] == 8.2 and card.loc["CFSE.1", "target"] == 9.5
    assert card.loc["CFSE.1", "status"] == "green" and card.loc["CFSE.1", "trend"] == "worse"
    # CFSE.29 care leavers in EET: 57.3% (51) against 70%: more than 5% short.
    assert card.loc["CFSE.29", "status"] == "red"
    # CFSE.63 EHCPs within 20 weeks: 91.6% against 50%, up from 61.8%.
    assert card.loc["CFSE.63", "status"] == "green" and card.loc["CFSE.63", "trend"] == "better"
    # contextual measures are never rated
    assert pd.isna(card.loc["CFSE.45", "status"]) and pd.isna(card.loc["CFSE.64", "trend"])


def test_priority_page_shows_figures_statuses_and_commentary(report_pack):
    text = _text(report_pack / "2021-22-Q2" / "priority-4.html")
    assert "Priority 4: Children and families with special educational needs" in text
    row = _row(text, "CFSE.63")
    assert "91.6%" in row and "50%" in row and "Green" in row and "Getting better" in row
    assert "30.8 per 1,000 (2,547)" in _row(text, "CFSE.62")  # the rate with the number of plans
    assert "The backlog has now been cleared" in text  # commentary printed under CFSE.63
    assert "Key to symbols" in text


def test_baseline_priority_page(report_pack):
    text = _text(report_pack / "2023-24" / "priority-6.html")
    row = _row(text, "CFE.29")
    assert "53.7% (79)" in row and "70%" in row and "Red" in row
    assert "Aspire" in text


def test_overview_counts_agree_with_the_scorecard(report_pack):
    for slug in PERIODS:
        card = pd.read_csv(report_pack / slug / "scorecard.csv")
        counts = card["status"].value_counts()
        text = _text(report_pack / slug / "overview.html")
        summary = re.search(r"(\d+) measures: (\d+) red, (\d+) amber, (\d+) green", text)
        assert summary, slug
        assert [int(x) for x in summary.groups()] == [
            len(card),
            counts.get("red", 0),
            counts.get("amber", 0),
            counts.get("green", 0),
        ]


def test_finance_pages_show_the_published_totals(report_pack):
    q2 = _text(report_pack / "2021-22-Q2" / "finance.html")
    for figure in ["44,395", "44,802", "407", "2,652", "1,376", "1,276", "(0.618)", "(1.780)"]:
        assert figure in q2, figure
    base = _text(report_pack / "2023-24" / "finance.html")
    for figure in ["62,052", "32,367", "45,642", "(15,957)", "53,952", "8,100", "1,252"]:
        assert figure in base, figure


@pytest.mark.parametrize("slug", list(PERIODS))
def test_pages_are_self_contained_and_leak_no_paths(report_pack, slug):
    for page in (report_pack / slug).glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"""(?:src|href)\s*=\s*["']?https?:""", text), page
        assert "<script" not in text, page
        assert not re.search(r"/(?:work|tmp|root|home)/", text), page
        assert '<html lang="en"' in text


def test_the_built_overview_opens_with_the_answers_and_ends_with_the_key(report_pack):
    for slug in PERIODS:
        page = (report_pack / slug / "overview.html").read_text(encoding="utf-8")
        main = page.split('<main id="content">')[1]
        h2 = re.findall(r"<h2[^>]*>(.*?)</h2>", main)
        assert h2[:3] == [
            "Are we achieving our targets?",
            "Are we getting better?",
            "Measures that need attention",
        ], slug
        assert h2[-1] == "Key to symbols used in tables", slug
        assert main.index("<h1") < main.index("Are we achieving our targets?")
        assert 'href="quality.html"' in main


def test_the_quality_page_lists_the_periods_notes_only(report_pack, dataset):
    from pprr_utils.dataset.quality import period_notes

    for slug, period in (("2021-22-Q2", "2021/22 Q2"), ("2023-24", "2023/24")):
        page = (report_pack / slug / "quality.html").read_text(encoding="utf-8")
        listed = re.findall(r'<th\b[^>]*data-label="Id"[^>]*>([^<]+)</th>', page)
        assert listed == period_notes(dataset, period)["id"].tolist(), slug
