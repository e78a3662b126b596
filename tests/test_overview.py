"""overview: the answers first (status and trend counts), the measures that need attention
(red and amber, then green but getting worse), the key at the end.

Cases are the real data's (``data/``): the expected counts are worked out from the period's
scorecard here, not typed in.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pprr_utils.report import overview, present
from pprr_utils.report.context import open_report

ROOT = Path(__file__).resolve().parent.parent
PERIODS = ["2021/22 Q2", "2023/24"]


class Headings(HTMLParser):
    """(level, text) of every heading, in page order."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[int, str]] = []
        self._level = 0

    def handle_starttag(self, tag, attrs):
        if re.fullmatch(r"h[1-6]", tag):
            self._level = int(tag[1])
            self.found.append((self._level, ""))

    def handle_endtag(self, tag):
        if re.fullmatch(r"h[1-6]", tag):
            self._level = 0

    def handle_data(self, data):
        if self._level:
            level, text = self.found[-1]
            self.found[-1] = (level, text + data)


def headings(page: str) -> list[tuple[int, str]]:
    p = Headings()
    p.feed(page)
    return p.found


def text_of(fragment: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", str(fragment)).split())


@pytest.fixture(scope="module", params=PERIODS)
def rep(request, dataset):
    return open_report(request.param, dataset)


def notebook_page(report) -> str:
    """The overview as its notebook builds it: each section cell evaluated in order."""
    nb = json.loads((ROOT / "notebooks" / "overview.ipynb").read_text(encoding="utf-8"))
    cells = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    assert (
        cells[1].strip().endswith("context.open_report(period, data, public=public, rules=rules)")
    )
    return "".join(str(eval(src, {"present": present, "report": report})) for src in cells[2:])


def test_answer_counts_are_the_scorecards(rep):
    card = rep.scorecard
    status = card["status"].fillna("").str.lower().value_counts()
    trend = card["trend"].fillna("").str.lower().value_counts()
    want = {k: int(status.get(k, 0)) for k in ("red", "amber", "green")}
    want["status_not_rated"] = len(card) - sum(want.values())
    want |= {k: int(trend.get(k, 0)) for k in ("better", "stable", "worse")}
    want["trend_not_rated"] = len(card) - sum(want[k] for k in ("better", "stable", "worse"))
    got = overview.answer_counts(card)
    assert got == want
    text = text_of(present.answers(rep))
    for word, key in (("Red", "red"), ("Amber", "amber"), ("Green", "green")):
        assert f"{word} {want[key]}" in text  # word (and symbol) beside the count
    assert f"Not rated {want['status_not_rated']}" in text
    assert f"Getting better {want['better']}" in text and f"Stable {want['stable']}" in text
    assert f"Getting worse {want['worse']}" in text
    # the word the priority tables and the key use for no direction of travel
    trend_part = text.split("Are we getting better?")[1]
    assert f"Not rated {want['trend_not_rated']}" in trend_part
    assert "No trend" not in text and "no trend" not in text
    assert f"of the {len(card)} measures reported for {rep.period}" in text


def test_the_answers_carry_symbols_not_colour_alone(rep):
    out = str(present.answers(rep))
    for symbol in ("\u2717", "\u25c6", "\u2713", "\u25b2", "\u25ba", "\u25bc"):
        assert f'<span aria-hidden="true">{symbol}</span>' in out
    assert 'href="#key-to-symbols"' in out


def test_green_but_getting_worse_is_flagged_with_its_reason(dataset):
    rep = open_report("2021/22 Q2", dataset)
    card = rep.scorecard
    worse = card[(card["status"] == "green") & (card["trend"] == "worse")]
    assert len(worse) >= 1  # the real 2021/22 Q2 has one (CFSE.1)
    out = str(present.exceptions(rep))
    section = out.split('id="green-worse"')[1]
    for _, row in worse.iterrows():
        assert f">{row['code']}</th>" in section
        assert text_of(row["trend_reason"]) in text_of(section.replace("&#x27;", "'"))
    # and it is not among the measures off target
    off = out.split('id="off-target"')[1].split('id="green-worse"')[0]
    assert all(f">{c}</th>" not in off for c in worse["code"])


def test_off_target_rows_are_red_then_amber_with_the_status_reason(rep):
    card = rep.scorecard
    off = card[card["status"].isin(["red", "amber"])]
    out = str(present.exceptions(rep))
    section = out.split('id="off-target"')[1].split('id="green-worse"')[0]
    codes = re.findall(r'<th scope="row" data-label="Code">([^<]+)</th>', section)
    assert sorted(codes) == sorted(off["code"])
    ranks = [0 if card.set_index("code").at[c, "status"] == "red" else 1 for c in codes]
    assert ranks == sorted(ranks)
    for reason in off["status_reason"]:
        assert text_of(reason).replace("'", "&#x27;") in text_of(section)


def test_the_page_opens_with_the_answers_and_ends_with_the_key(rep):
    page = notebook_page(rep)
    found = headings(page)
    assert found[0][0] == 1
    assert [t for _, t in found[1:3]] == ["Are we achieving our targets?", "Are we getting better?"]
    assert found[3][1] == "Measures that need attention"
    assert found[-1] == (2, "Key to symbols used in tables")
    assert "Misprints and inconsistencies" not in page  # the notes are on their own page
    assert 'href="quality.html"' in page


def test_no_green_worse_measure_says_so(dataset):
    rep = open_report("2021/22 Q2", dataset)
    card = rep.scorecard.copy()
    card.loc[card["trend"] == "worse", "trend"] = "stable"
    rep._scorecard = card
    rep._measure_rows = None
    assert "No measure on target (green) is getting worse." in text_of(overview.exceptions(rep))


def test_public_overview_says_how_many_are_unrated_because_suppressed(dataset):
    internal = open_report("2023/24", dataset)
    public = open_report("2023/24", dataset, public=True)
    more = (public.scorecard["status"] == "").sum() - (internal.scorecard["status"] == "").sum()
    assert more > 0  # the public edition suppresses some rated figures of 2023/24
    text = str(overview.answers(public))
    assert f"for {more}, a figure this edition suppresses" in text
    assert "suppresses" not in str(overview.answers(internal))


def test_the_variance_chart_is_reconciled_with_the_headline_after_contingency(dataset):
    rep = open_report("2021/22 Q2", dataset)
    html = str(overview.finance_headline(rep))
    # the published headline: deficit 0 after 0.407 £m of contingency; the areas: 407 (£000)
    assert "forecasts before contingency funding: a net deficit of 407 (£000)" in html
    assert "Contingency funding of 0.407 (£m) is allocated to balance the portfolio" in html
    assert "(surplus)/deficit of 0 (£000)" in html


@pytest.mark.parametrize("period", PERIODS)
def test_one_word_for_no_direction_of_travel_on_the_overview_and_in_the_key(period, dataset):
    from pprr_utils.report import symbols

    rep = open_report(period, dataset)
    answers, key = str(present.answers(rep)), str(symbols.key_to_symbols(rep))
    none = str(symbols.trend_badge(None))
    assert none in answers and "Not rated" in none  # the tables' badge, not a word of its own
    meaning = text_of(key).split("Not rated", 1)[1]
    assert "Trend (direction of travel):" in meaning and "Status:" in meaning
