"""present: escaping, headings, captions and header cells, status/trend text and symbols.

All figures here are ILLUSTRATIVE (synthetic).
"""

from __future__ import annotations

from html.parser import HTMLParser

import pandas as pd
import pytest
from test_context import HOSTILE, illustrative_report

from pprr_utils.report import finance_tables, markup, measures, overview, present, symbols


class Outline(HTMLParser):
    """Collects headings, tables (caption? th?), images (alt?), scripts and external refs."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[int] = []
        self.tags: list[str] = []
        self.tables: list[dict] = []
        self.imgs: list[dict] = []
        self.external: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
            self.headings.append(int(tag[1]))
        if tag == "table":
            self.tables.append({"caption": False, "th": 0, "scoped": 0})
        if tag == "caption" and self.tables:
            self.tables[-1]["caption"] = True
        if tag == "th" and self.tables:
            self.tables[-1]["th"] += 1
            self.tables[-1]["scoped"] += "scope" in a
        if tag == "img":
            self.imgs.append(a)
        for k in ("src", "href"):
            v = a.get(k) or ""
            if v.startswith(("http:", "https:", "//")):
                self.external.append(v)

    def handle_data(self, data):
        self.text.append(data)


def parse(fragment: str) -> Outline:
    p = Outline()
    p.feed(str(fragment))
    return p


def assert_outline(levels: list[int]) -> None:
    """One h1, first; no level skipped on the way down."""
    assert levels.count(1) == 1, levels
    assert levels[0] == 1, levels
    for a, b in zip(levels, levels[1:], strict=False):
        assert b <= a + 1, levels


def priority_page(rep) -> str:
    return "".join(
        [
            present.page_header(rep, page="priority"),
            present.priority_intro(rep),
            present.priority_measures(rep),
            present.measure_sections(rep),
            present.other_commentary(rep),
        ]
    )


def overview_page(rep) -> str:
    return "".join(
        [
            present.page_header(rep),
            present.answers(rep),
            present.exceptions(rep),
            present.portfolio_summary(rep),
            present.finance_headline(rep),
            present.quality_link(rep),
            present.key_to_symbols(rep),
        ]
    )


@pytest.fixture(scope="module")
def rep():
    return illustrative_report("2021/22 Q2", 2)


@pytest.mark.parametrize("page", [priority_page, overview_page])
def test_hostile_text_renders_inert(rep, page):
    out = page(rep)
    assert "<script" not in out
    assert "<b>bold</b>" not in out
    assert "&lt;script&gt;" in out
    p = parse(out)
    assert "script" not in p.tags and "b" not in p.tags
    assert any('<script>alert("x")</script>' in t for t in p.text)  # shown as text


@pytest.mark.parametrize("page", [priority_page, overview_page])
def test_one_h1_and_ordered_headings(rep, page):
    assert_outline(parse(page(rep)).headings)


@pytest.mark.parametrize("page", [priority_page, overview_page])
def test_tables_have_captions_and_scoped_headers(rep, page):
    p = parse(page(rep))
    assert p.tables
    for t in p.tables:
        assert t["caption"] and t["th"] > 0 and t["scoped"] == t["th"], t


@pytest.mark.parametrize("page", [priority_page, overview_page])
def test_nothing_loaded_from_the_internet(rep, page):
    p = parse(page(rep))
    assert p.external == []
    # the priority page has a chart per measure, or says why not (fewer than three figures)
    assert p.imgs or page is overview_page or any("Not charted" in t for t in p.text)
    assert all(i.get("src", "").startswith("data:image/svg+xml;base64,") for i in p.imgs)
    assert all(i.get("alt") for i in p.imgs)


def test_status_and_trend_by_text_and_symbol():
    assert symbols.status_text("red") == "\u2717 Red"
    assert symbols.trend_text("better") == "\u25b2 Getting better"
    for s in ("red", "amber", "green"):
        html = symbols.status_badge(s)
        word = symbols.STATUS[s][1]
        assert word in html and symbols.STATUS[s][0] in html and f"pprr-{s}" in html
    for t in ("better", "stable", "worse"):
        html = symbols.trend_badge(t)
        assert symbols.TREND[t][1] in html and symbols.TREND[t][0] in html
    assert "Not rated" in symbols.status_badge("") and "Not rated" in symbols.trend_badge(None)


def test_measures_table_content(rep):
    rows = measures.scorecard_rows(rep, 2)
    out = measures.measures_table(
        rows, caption="Illustrative", period_label="2021/22 Q2", flag_label="HEADLINE"
    )
    text = "".join(parse(out).text)
    assert "ILL.2" in text and "33 per 10,000 (210)" in text  # the rate in its unit
    assert '<th scope="col">2020/21 actual</th>' in out  # a column per reported year
    assert '<td class="num" data-label="2020/21 actual">30 per 10,000 (200)</td>' in out
    assert "\u2717 Red" in text and "\u25bc Getting worse" in text
    assert "Low" in text and "HEADLINE" in text  # the portfolio's headline flag
    plain = measures.measures_table(rows, caption="Illustrative", period_label="2021/22 Q2")
    assert "HEADLINE" not in "".join(parse(plain).text)  # no flag without a label


def test_rows_are_worked_out_once_and_prior_years_only_when_shown(rep, monkeypatch):
    calls = []
    real = measures._prior_years
    monkeypatch.setattr(
        measures, "_prior_years", lambda *a, **k: calls.append(a[1]) or real(*a, **k)
    )
    assert rep.measure_rows is rep.measure_rows  # cached on the report
    present.exceptions(rep)
    present.measure_sections(rep)
    assert calls == []  # neither shows previous years
    present.priority_measures(rep)
    assert sorted(calls) == sorted(rep.measure_rows.loc[lambda r: r["priority"] == 2, "code"])
    assert "prior_years" not in rep.measure_rows  # the cache is not changed


def test_exceptions_first():
    rows = pd.DataFrame({"code": list("abcd"), "status": ["green", "", "red", "amber"]})
    assert measures.exceptions_first(rows)["code"].tolist() == ["c", "d", "a", "b"]


def test_summary_counts(rep):
    counts = overview.summary_counts(rep.scorecard, rep.priorities)
    total = counts.iloc[-1]
    assert total["priority"] == "All priorities" and total["measures"] == 2
    assert (total["red"], total["amber"], total["green"]) == (1, 1, 0)
    assert (total["better"], total["worse"]) == (1, 1)


def test_key_to_symbols_reproduces_the_report_key():
    text = "".join(parse(present.key_to_symbols()).text)
    for phrase in (
        "performing significantly (>5%) below target",
        "performing slightly (<5%) below target",
        "on track or performing above target",
        "within 1% either side of the previous year-end",
        "less favourable than the previous year-end",
        "more favourable than the previous year-end",
    ):
        assert phrase in text


def test_heading_escapes_and_checks_level():
    assert markup.heading("<x>", 2) == "<h2>&lt;x&gt;</h2>"
    with pytest.raises(ValueError):
        markup.heading("x", 7)


def test_paragraphs_split_and_escape():
    out = markup.paragraphs(["one\n\n<two>", None, ""])
    assert out == "<p>one</p><p>&lt;two&gt;</p>"


def test_format_and_target_text():
    assert measures.figure_with_count(57.3, "percent", count=51, as_at="Q1") == "57.3% (51) Q1"
    assert measures.figure_with_count(2547.0, "count") == "2,547"
    assert measures.figure_with_count("[c]") == "[c]"
    assert measures.target_text({"target_label": "Maximise"}) == "Maximise"
    assert measures.target_text({"target_label": "9.5%"}) == "9.5%"
    assert measures.target_text({"target_label": ""}) == "N/A"  # score: no target row
    assert measures.target_text({"target_label": None}) == "N/A"


def test_finance_headline_without_data_says_nothing(rep):
    # a portfolio without finance data for the period: no section, no "no data" sentence
    assert present.finance_headline(rep) == ""


def test_finance_headline_rows_and_figures():
    frame = pd.DataFrame(
        {
            "period": ["2021/22 Q2"] * 4,
            "item": ["cash_limit", "surplus_deficit", "reserves_balance", "capital_budget"],
            "year": [None, None, None, "2022/23"],
            "label": ["Cash Limit", f"Variance {HOSTILE}", None, "Capital Budget"],
            "value": [1000.0, -10.0, 2.5, 24.0],
            "unit": ["£000", "£000", "£m", "£000"],
            "note": [None] * 4,
        }
    )
    rows = finance_tables.headline_rows(frame)
    # as the finance page prints them: separators, brackets, the unit in its own column
    assert rows["Figure"].tolist() == ["1,000", "(10)", "2.500", "24"]
    assert rows["Unit"].tolist() == ["£000", "£000", "£m", "£000"]
    assert rows["Item"].tolist()[2:] == ["Reserves balance", "Capital Budget (2022/23)"]
    out = markup.table(rows, "Illustrative headline", row_header="Item")
    assert "<script" not in out and "&lt;script&gt;" in out
    said = frame.assign(
        value=[float("nan")] * 4, note=["Illustrative: none this year", *[None] * 3]
    )
    assert finance_tables.headline_rows(said)["Unit"].tolist()[0] == ""
    assert finance_tables.headline_statements(said) == (
        "<p><strong>Cash Limit:</strong> Illustrative: none this year</p>"
    )


def test_table_marks_subtotal_and_total_rows():
    frame = pd.DataFrame({"Line": ["Illustrative A", "Part", "All"], "£000": ["1", "1", "2"]})
    out = markup.table(
        frame, "Illustrative", row_header="Line", row_types=["item", "subtotal", "total"]
    )
    assert out.count("<tr>") == 2  # the header row and the item
    assert '<tr class="pprr-subtotal"><th scope="row" data-label="Line">Part</th>' in out
    assert '<tr class="pprr-total"><th scope="row" data-label="Line">All</th>' in out
    assert "<caption>Illustrative</caption>" in out and "tr.pprr-total" in markup.CSS
    with pytest.raises(ValueError, match="row_types"):
        markup.table(frame, "Illustrative", row_types=["total"])


def test_public_edition_is_announced(rep):
    from dataclasses import replace

    assert "Public edition" in present.page_header(replace(rep, public=True))
    assert "Internal edition" in present.page_header(rep)
