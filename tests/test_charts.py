"""charts: deterministic SVG, descriptions generated from the data, palette contrast.

All figures here are ILLUSTRATIVE (synthetic).
"""

from __future__ import annotations

import subprocess
import sys
from html.parser import HTMLParser

import pandas as pd
import pytest

from pprr_utils.report import charts, finance_charts, measure_charts

SERIES = pd.DataFrame(
    {
        "period": ["2019/20", "2021/22 Q2", "2020/21"],  # out of order on purpose
        "value": [46.0, 91.6, 61.8],
        "kind": ["actual", "forecast", "actual"],
    }
)
COMPARATORS = pd.DataFrame(
    {"area": ["England", "North West"], "period": ["2020/21", "2020/21"], "value": [58.0, 55.5]}
)


def _trend(**kw) -> charts.Chart:
    args = dict(
        name="ILL.9 Illustrative timeliness", unit="percent", polarity="high", illustrative=True
    )
    args.update(kw)
    return measure_charts.trend_chart(SERIES, 50.0, COMPARATORS, **args)


def _luminance(hex_colour: str) -> float:
    h = hex_colour.lstrip("#")
    rgb = [int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    hi, lo = sorted([_luminance(a), _luminance(b)], reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_trend_chart_bytes_are_deterministic():
    assert _trend().svg == _trend().svg


def test_a_kernel_that_remembers_charts_draws_each_once(monkeypatch):
    drawn = []
    original = measure_charts._draw

    def draw(*args, **kw):
        drawn.append(args)
        return original(*args, **kw)

    monkeypatch.setattr(measure_charts, "_draw", draw)
    monkeypatch.setattr(measure_charts, "_DRAWN", type(measure_charts._DRAWN)())
    fresh = _trend().svg
    monkeypatch.setenv("PPRR_REMEMBER_CHARTS", "1")
    first = _trend().svg
    other = _trend(title="Another title").svg  # other inputs: drawn, not served
    again = _trend().svg
    assert first == fresh == again and other != first
    assert len(drawn) == 3  # the plain call, then once each for the two charts
    monkeypatch.delenv("PPRR_REMEMBER_CHARTS")
    _trend()
    assert len(drawn) == 4  # not remembered outside the batch's kernels


@pytest.mark.slow
def test_chart_bytes_identical_across_processes():
    code = (
        "import sys, hashlib; sys.path.insert(0, 'tests');"
        "import test_charts as t; print(hashlib.sha256(t._trend().svg).hexdigest())"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout.strip()
        for _ in range(2)
    ]
    assert runs[0] == runs[1] and len(runs[0]) == 64


def test_svg_has_no_date_or_random_ids():
    svg = _trend().svg.decode()
    assert "<dc:date>" not in svg
    assert svg.lstrip().startswith("<?xml")


def test_description_mentions_values_direction_target_and_comparators():
    c = _trend()
    d = c.description
    for text in ("46%", "61.8%", "91.6%", "2019/20", "2021/22 Q2", "forecast"):
        assert text in d
    assert "higher than 61.8% in 2020/21 (better)" in d  # the latest against the one before
    assert "Dashed line: Target 50%." in d
    assert "England 2020/21 58%" in d and "North West 2020/21 55.5%" in d
    assert d.startswith("Illustrative data.")
    assert "91.6%" in c.alt and "target 50%" in c.alt
    assert "image" not in d.lower()


def test_low_polarity_reads_as_deterioration():
    c = measure_charts.trend_chart(
        [("2019/20", 5.0), ("2020/21", 3.0), ("2021/22", 4.0)],
        2.0,
        name="ILL low",
        unit="rate per 1,000",
        polarity="low",
    )
    assert "higher than 3 in 2020/21 (worse)" in c.description
    assert "Target 2" in c.description and "Lower is better." in c.description


def test_empty_series_gives_text_not_image():
    c = measure_charts.trend_chart([], name="ILL none")
    assert c.svg == b"" and "Not charted: no comparable figures" in c.description
    assert "<img" not in c.to_html() and "Not charted" in c.to_html()


class _Fig(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_html_figure_carries_alt_and_caption_escaped():
    c = _trend(name='ILL <script>alert("x")</script>')
    html = c._repr_html_()
    p = _Fig()
    p.feed(html)
    names = [t for t, _ in p.tags]
    assert names == ["figure", "img", "figcaption"]
    img = p.tags[1][1]
    assert img["src"].startswith("data:image/svg+xml;base64,")
    assert '<script>alert("x")</script>' in img["alt"]  # unescaped by the parser: it was text
    assert "<script" not in html


def test_waterfall_description():
    steps = [
        ("Illustrative opening budget", 1000.0, "total"),
        ("Growth", 25.0, "change"),
        ("Transfer out", -65.0, "change"),
        ("Illustrative closing budget", 960.0, "total"),
    ]
    c = finance_charts.waterfall_chart(steps, illustrative=True)
    assert c.svg and c.svg == finance_charts.waterfall_chart(steps, illustrative=True).svg
    d = c.description
    assert "1,000" in d and "960" in d and "(65)" in d and "Growth 25" in d
    assert "not zero" in d  # the axis is zoomed because the changes are small


def test_waterfall_reads_finance_frames():
    frame = pd.DataFrame(
        {
            "label": ["Illustrative previous", "Change", "Illustrative current"],
            "kind": ["start", "decrease", "end"],
            "value": [100.0, -7.0, 93.0],
        }
    )
    c = finance_charts.waterfall_chart(frame)
    assert "Illustrative previous 100" in c.description and "Change (7)" in c.description


def test_variance_description():
    c = finance_charts.variance_chart(
        pd.DataFrame({"area": ["Area A", "Area B"], "variance": [136.0, -114.0]}),
        illustrative=True,
    )
    assert "Area A 136 deficit" in c.description and "Area B (114) surplus" in c.description
    assert "Net 22" in c.description


def test_finance_charts_print_money_as_formats_money():
    """£000 whole (a -0.4 rounds to 0, not brackets), £m to 3 places, % to 2."""
    c = finance_charts.variance_chart([("Area A", -0.4), ("Area B", 2.0)], illustrative=True)
    assert "Area A 0 surplus" in c.description
    c = finance_charts.variance_chart([("Area A", -1.2345)], unit="%", illustrative=True)
    assert "Area A (1.23) surplus" in c.description
    c = finance_charts.variance_chart([("Area A", 0.6184)], unit="£m", illustrative=True)
    assert "Area A 0.618 deficit" in c.description


@pytest.mark.parametrize("colour", charts.PALETTE)
def test_palette_meets_non_text_contrast_on_white(colour):
    assert contrast(colour, "#FFFFFF") >= 3.0


def test_text_labels_meet_text_contrast():
    for colour in charts.PALETTE:
        assert contrast(charts.text_colour(colour), "#FFFFFF") >= 4.5
    assert charts.contrast_ratio("#000000") == pytest.approx(21.0)


def test_style_is_afcharts_with_offline_font():
    style = charts.house_style()
    assert style["font.sans-serif"] == ["DejaVu Sans"]
    assert style["svg.hashsalt"] == "pprr"
    assert not style["axes.spines.top"] and style["axes.grid.axis"] == "y"
    assert contrast(charts.TEXT_COLOUR, "#FFFFFF") >= 4.5


def test_measure_chart_shows_the_target_the_scorecard_rates_against(dataset, monkeypatch):
    """An academic-year measure's target year is the year before the report's (as the
    scorecard has it): the chart draws that target, not none (real data, 2023/24). The
    measure has two comparable figures, so it is charted only when two are allowed."""
    from pprr_utils.report.context import open_report

    rep = open_report("2023/24", dataset)
    row = rep.scorecard.set_index("code").loc["CFE.12(i)"]
    assert row["year_basis"] == "academic" and row["target"] == 78.0
    assert not measure_charts.measure_chart(rep, "CFE.12(i)").svg
    monkeypatch.setattr(measure_charts, "MIN_POINTS", 2)
    c = measure_charts.measure_chart(rep, "CFE.12(i)")
    assert c.svg and "Target 2023/24: 78%" in c.description and "target 2023/24: 78%" in c.alt
