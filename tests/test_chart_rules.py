"""The charts' rules (issue 12 item 5): a chart only where it adds something, comparable
figures only, a caption that states the table's trend, no label over a point, an honest
waterfall axis. The rules are checked over every measure of every period of the real
data and the illustrative example portfolio.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text

from pprr_utils.dataset import finance
from pprr_utils.dataset.formats import figure
from pprr_utils.dataset.load import load_dataset
from pprr_utils.dataset.periods import parse_period
from pprr_utils.report import finance_charts, measure_charts
from pprr_utils.report.context import open_report

REPO = Path(__file__).resolve().parents[1]
PORTFOLIOS = {"real": REPO / "data", "westbury": REPO / "examples" / "westbury"}


@pytest.fixture(scope="module", params=sorted(PORTFOLIOS))
def reports(request) -> list:
    ds = load_dataset(PORTFOLIOS[request.param])
    return [open_report(p, ds) for p in ds.tables["periods"]["period"]]


def _every_measure(reports):
    for rep in reports:
        for _, row in rep.scorecard.iterrows():
            yield rep, row


# ---------------------------------------------------------------- a chart only for 3+ figures


@pytest.mark.parametrize("n", [0, 1, 2, 3, 4])
def test_no_chart_under_three_comparable_figures(n):
    pts = [(f"{2018 + i}/{19 + i}", 10.0 + i) for i in range(n)]
    c = measure_charts.trend_chart(pts, name="ILL count", unit="count", polarity="high")
    if n < 3:
        assert c.svg == b"" and c.description.startswith("Not charted")
        assert "<img" not in c.to_html()
    else:
        assert c.svg.startswith(b"<?xml") and f"{n} year-end figures" in c.description


@pytest.mark.slow
def test_real_pages_draw_no_chart_of_fewer_than_three_figures(reports):
    for rep, row in _every_measure(reports):
        c = measure_charts.measure_chart(rep, row["code"])
        pts, _, _ = measure_charts.comparable_points(rep.history(row["code"]), row)
        assert bool(c.svg) == (len(pts) >= measure_charts.MIN_POINTS), (rep.period, row["code"])


# ---------------------------------------------------------------- part-year not beside full years


@pytest.mark.slow
def test_part_year_figures_are_never_plotted_beside_full_years(reports):
    """Every plotted point is a year-end figure, or the scorecard's forecast year-end (last,
    and marked as a forecast); a part-year figure never is."""
    for rep, row in _every_measure(reports):
        pts, _, notes = measure_charts.comparable_points(rep.history(row["code"]), row)
        for i, (period, value, kind) in enumerate(pts):
            assert parse_period(period).quarter is None, (rep.period, row["code"], period)
            if kind != "actual":
                assert i == len(pts) - 1 and period in notes
                assert value == pytest.approx(row["forecast"])


def test_half_year_count_is_plotted_as_its_forecast_year_end():
    """CFSE.64, 997 assessments in Q1-Q2 2021/22: the chart plots the forecast year-end
    (1,994, marked as a forecast and explained), not the half-year count beside full years."""
    rep = open_report("2021/22 Q2", REPO / "data")
    row = rep.scorecard.set_index("code").loc["CFSE.64"]
    assert row["value"] == 997 and row["aggregation"] == "cumulative"
    c = measure_charts.measure_chart(rep, "CFSE.64")
    d = c.description
    assert "2021/22 forecast year-end 1,994 (997 in Q1-Q2, scaled to a full year)" in d
    assert "; 997" not in d and "2021/22 Q2 997" not in d
    svg = c.svg.decode()
    assert "forecast" in svg and ">997<" not in svg


def _covers_part_year(as_at, year_basis) -> bool:
    """The test's own reading of an ``as_at`` marker on a year's figure: a quarter or month
    before the year's last (Q4, March; August for an academic year) is part of the year."""
    marker = "" if as_at is None or as_at != as_at else str(as_at).strip()
    if not marker:
        return False
    last = "aug" if year_basis == "academic" else "mar"
    return not (re.fullmatch(r"(Q1-)?Q4", marker) or marker.lower().startswith(last))


@pytest.mark.slow
def test_a_figure_as_at_part_of_its_year_is_never_a_year_end_point(reports):
    """values.csv's ``as_at`` (Q3, Dec'23...) marks a year's figure that covers part of the
    year: it is never plotted as a year-end figure; the latest one is plotted as the
    scorecard's forecast year-end (hollow) or left out with a sentence saying so."""
    checked = 0
    for rep, row in _every_measure(reports):
        h = rep.history(row["code"])
        marks = dict(zip(h["period"], h["as_at"], strict=True))
        pts, left_out, _ = measure_charts.comparable_points(h, row)
        for period, _, kind in pts:
            if kind == "actual":
                assert not _covers_part_year(marks.get(period), row["year_basis"]), (
                    rep.period,
                    row["code"],
                    period,
                    marks.get(period),
                )
        for period, mark in marks.items():
            per = parse_period(str(period))
            if per.quarter is None and per <= parse_period(row["value_period"]):
                if _covers_part_year(mark, row["year_basis"]):
                    checked += 1
                    assert any(p == per.label and k == "forecast" for p, _, k in pts) or any(
                        per.label in s for s in left_out
                    ), (rep.period, row["code"], period, pts, left_out)
        d = measure_charts.measure_chart(rep, row["code"]).description
        year_ends = (
            d.split("year-end figures: ", 1)[1].split(". ")[0] if "year-end figures: " in d else ""
        )
        for period, value in zip(h["period"], h["value"], strict=True):
            if _covers_part_year(marks[period], row["year_basis"]):  # not called a year-end
                assert f"{period} {figure(value, row['unit'], short=True)}" not in year_ends, (
                    rep.period,
                    row["code"],
                    d,
                )
    if any(rep.period == "2023/24" and "CFE.1" in set(rep.scorecard["code"]) for rep in reports):
        assert checked >= 16


def test_a_year_end_reports_figure_as_at_dec_is_its_forecast_year_end():
    """CFE.1 in the 2023/24 (year-end) report is 5.3% as at Dec'23: plotted hollow as the
    scorecard's forecast year-end, said so, not one of five year-end figures."""
    rep = open_report("2023/24", REPO / "data")
    c = measure_charts.measure_chart(rep, "CFE.1")
    d = c.description
    assert "year-end figures" not in d
    assert "2023/24 forecast year-end 5.3% (the latest figure, as at Dec'23, " in d
    assert "forecast" in c.svg.decode()  # the x label under the hollow point
    misprint = measure_charts.measure_chart(rep, "CFE.28").description
    assert "year-end figures" not in misprint and "as at Dec'22" in misprint


def test_a_part_year_count_without_a_forecast_is_left_out():
    """A cumulative count as at Dec'23 in a year-end report has no honest year-end forecast
    (the scorecard's is the part-year count itself): it is left out, with a sentence; an
    older year's part-year figure is left out too, its marker named."""
    import pandas as pd

    history = pd.DataFrame(
        {
            "period": ["2019/20", "2020/21", "2021/22", "2022/23", "2023/24"],
            "value": [100.0, 110.0, 60.0, 120.0, 90.0],
            "as_at": [None, None, "Q2", None, "Dec'23"],
            "kind": ["actual"] * 5,
        }
    )
    row = {
        "value_period": "2023/24",
        "previous_period": "2022/23",
        "unit": "count",
        "aggregation": "cumulative",
        "year_basis": "financial",
        "value": 90.0,
        "as_at": "Dec'23",
        "forecast": 90.0,
        "forecast_method": "outturn",
    }
    pts, left_out, notes = measure_charts.comparable_points(history, row)
    assert [p for p, _, _ in pts] == ["2019/20", "2020/21", "2022/23"] and not notes
    text = " ".join(left_out)
    assert "2021/22 60 (as at Q2)" in text
    assert "The 2023/24 figure, 90 (as at Dec'23), covers part of the year" in text
    snapshot = dict(row, unit="percent", aggregation="snapshot")
    pts, _, notes = measure_charts.comparable_points(history, snapshot)
    assert pts[-1] == ("2023/24", 90.0, "forecast") and "as at Dec'23" in notes["2023/24"]


# ---------------------------------------------------------------- caption agrees with the trend

_WORDS = {
    "better": ("getting worse", "(worse)", "deterioration", "stable:"),
    "worse": ("getting better", "(better)", "improvement", "stable:"),
    "stable": ("getting better", "getting worse", "(better)", "(worse)"),
}


@pytest.mark.slow
def test_caption_states_the_scorecards_trend_for_every_measure(reports):
    """Property over real data: a drawn chart's caption carries the scorecard's trend sentence
    (the forecast year-end against the previous year-end) and no word that contradicts it."""
    checked = 0
    for rep, row in _every_measure(reports):
        c = measure_charts.measure_chart(rep, row["code"])
        if not c.svg:
            continue
        d = c.description.lower()
        if row["trend_reason"]:
            assert row["trend_reason"].lower() in d, (rep.period, row["code"])
        for word in _WORDS.get(row["trend"], ()):
            assert word not in d, (rep.period, row["code"], word, c.description)
        checked += 1
    assert checked >= 5


# ---------------------------------------------------------------- no label over a point


def _capture(monkeypatch, module) -> list:
    figs: list = []
    monkeypatch.setattr(module, "render", lambda fig: figs.append(fig) or b"<svg/>")
    return figs


def _overlaps(fig) -> list[str]:
    """Texts of the figure whose box holds a plotted marker (marker radius included)."""
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    ax = fig.axes[0]
    texts = [t for t in [*fig.texts, *ax.texts] if isinstance(t, Text) and t.get_text()]
    if ax.axison:
        texts += [t for t in ax.get_xticklabels() + ax.get_yticklabels() if t.get_text()]
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in texts]
    found = []
    for line in ax.lines:
        if line.get_marker() in (None, "None", "none", ""):
            continue
        r = line.get_markersize() * fig.dpi / 72 / 2
        xy = ax.transData.transform(line.get_xydata())
        for x, y in xy:
            for text, b in boxes:
                if b.x0 - r < x < b.x1 + r and b.y0 - r < y < b.y1 + r:
                    found.append(text)
    return found


@pytest.mark.slow
def test_no_text_sits_over_a_data_point(reports, monkeypatch):
    figs = _capture(monkeypatch, measure_charts)
    for rep, row in _every_measure(reports):
        measure_charts.measure_chart(rep, row["code"])
        if figs:
            fig = figs.pop()
            assert not _overlaps(fig), (rep.period, row["code"], _overlaps(fig))


def _outside(fig) -> list[str]:
    """Texts of the figure (key, labels, titles, tick labels) whose drawn box reaches past
    the figure's edge, where the image cuts them off."""
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    ax = fig.axes[0]
    texts = [*fig.texts, *ax.texts, ax.title, ax._left_title, ax.xaxis.label, ax.yaxis.label]
    if ax.axison:  # the tick labels drawn: those of ticks within the axis' limits
        for axis, (lo, hi) in ((ax.xaxis, ax.get_xlim()), (ax.yaxis, ax.get_ylim())):
            lo, hi = sorted((lo, hi))
            ticks = [t for t in axis.get_major_ticks() if lo <= t.get_loc() <= hi]
            texts += [t.label1 for t in ticks]
    found = []
    for t in texts:
        if not t.get_visible() or not t.get_text().strip():
            continue
        b = t.get_window_extent(renderer)
        if (
            b.x0 < -0.5
            or b.y0 < -0.5
            or b.x1 > fig.bbox.width + 0.5
            or b.y1 > fig.bbox.height + 0.5
        ):
            found.append(t.get_text())
    return found


@pytest.mark.slow
def test_no_chart_text_lies_outside_the_figure(reports, monkeypatch):
    """Every trend chart of the real data: the key ("Target 2024/25: 20%"), the tick labels,
    the unit and the latest value are drawn inside the image, none cut at its edge."""
    figs = _capture(monkeypatch, measure_charts)
    drawn = 0
    for rep, row in _every_measure(reports):
        measure_charts.measure_chart(rep, row["code"])
        if figs:
            fig = figs.pop()
            drawn += 1
            assert not _outside(fig), (rep.period, row["code"], _outside(fig))
    assert drawn >= 5


def test_a_wide_key_is_reflowed_to_fit(monkeypatch):
    """Labels too wide for two columns side by side go one to a line; a label wider than
    the figure wraps."""
    figs = _capture(monkeypatch, measure_charts)
    measure_charts.trend_chart(
        [("2019/20", 1.0), ("2020/21", 2.0), ("2021/22", 3.0)],
        2.0,
        comparators=[
            {
                "area": "ILL statistical neighbours of the council, an average",
                "period": "2021/22",
                "value": 2.5,
            }
        ],
        name="ILL",
        unit="percent",
        target_label="Target 2024/25: 20%",
    )
    assert len(figs) == 1 and not _outside(figs[0])


@pytest.mark.slow
def test_no_finance_chart_text_lies_outside_the_figure(monkeypatch):
    """Every finance chart of every period (the waterfalls' titles, "From 2023/24 Budget at
    Q4 to 2024/25 Budget", and the variance bars), drawn inside the image."""
    from pprr_utils.report.present_finance import finance_page

    figs = _capture(monkeypatch, finance_charts)
    for path in PORTFOLIOS.values():
        ds = load_dataset(path)
        for period in ds.tables["periods"]["period"]:
            finance_page(open_report(period, ds))
            while figs:
                fig = figs.pop()
                assert not _outside(fig), (path.name, period, _outside(fig))


def test_chart_text_is_at_least_twelve_points_on_a_narrow_figure():
    """12 pt on a 4.8 in figure: shown 340 px wide on a 375 px phone, 11.8 CSS px."""
    c = measure_charts.trend_chart(
        [("2019/20", 1.0), ("2020/21", 2.0), ("2021/22", 3.0)], 2.0, name="ILL", unit="count"
    )
    svg = c.svg.decode()
    width = float(re.search(r'viewBox="0 0 ([\d.]+) ', svg).group(1))
    sizes = [float(s) for s in re.findall(r"font-size: ([\d.]+)px", svg)]
    assert sizes and min(sizes) * 340 / width >= 11


# ---------------------------------------------------------------- an honest waterfall axis


def _waterfalls():
    ds = load_dataset(REPO / "data")
    for p in ds.tables["periods"]["period"]:
        wf = finance.cash_limit_waterfall(ds, p)
        if len(wf):
            yield p, wf
    yield (
        "zero-based",
        [("ILL open", 100.0, "total"), ("ILL cut", -40.0, "change"), ("ILL close", 60.0, "total")],
    )


@pytest.mark.parametrize("name,steps", list(_waterfalls()), ids=lambda v: str(v)[:12])
def test_waterfall_axis_starts_at_zero_or_says_it_is_broken(name, steps, monkeypatch):
    figs = _capture(monkeypatch, finance_charts)
    c = finance_charts.waterfall_chart(steps, title=f"ILL {name}")
    ax = figs.pop().axes[0]
    lo, hi = ax.get_xlim()
    if lo > 0:
        assert "axis broken" in ax.get_xlabel() and "not zero" in ax.get_xlabel()
        assert "The axis is broken" in c.description
        assert any(t.get_text() == "//" for t in ax.texts)  # the break mark on the axis
    else:
        assert lo <= 0 <= hi and "broken" not in c.description
    if name == "zero-based":
        assert lo <= 0


def test_waterfall_value_labels_fit_inside_the_figure(monkeypatch):
    figs = _capture(monkeypatch, finance_charts)
    for _, steps in _waterfalls():
        finance_charts.waterfall_chart(steps)
        fig = figs.pop()
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        width = fig.get_size_inches()[0] * fig.dpi
        for t in fig.axes[0].texts:
            box = t.get_window_extent(canvas.get_renderer())
            assert box.x0 >= -1 and box.x1 <= width + 1, t.get_text()


# ---------------------------------------------------------------- old comparators say how old


def test_old_comparators_name_their_period():
    c = measure_charts.trend_chart(
        [("2019/20", 50.0), ("2020/21", 55.0), ("2021/22", 60.0)],
        comparators=[{"area": "ILL England", "period": "2019/20", "value": 53.0}],
        name="ILL",
        unit="percent",
    )
    assert "ILL England 2019/20 53% (older than the latest figure)" in c.description
    assert "ILL England 2019/20" in c.svg.decode()  # in the key, not just "ILL England"


# ---------------------------------------------------------------- readable on a phone (browser)

CHART_TEXT_SCRIPT = REPO / "tests" / "a11y" / "chart_text_check.mjs"


@pytest.mark.browser
def test_chart_text_is_at_least_11_css_px_at_375_px(report_pack):
    """Every chart of every page, shown on a 375 px wide screen: its smallest text is 11 CSS
    px or more (the SVG's font-size scaled by the image's shown width)."""
    import json
    import os
    import subprocess

    from a11y.check import BrowserCheckUnavailable, _browser_setup

    try:
        node, chromium = _browser_setup()
    except BrowserCheckUnavailable as exc:
        if os.environ.get("PPRR_A11Y_ALLOW_SKIP") == "1":
            pytest.skip(str(exc))
        pytest.fail(str(exc))
    pages = sorted(
        p
        for p in report_pack.rglob("*.html")
        if "notebooks" not in p.parts and not any(x.startswith(".") for x in p.parts)
    )
    proc = subprocess.run(
        [node, str(CHART_TEXT_SCRIPT), "--width", "375", *map(str, pages)],
        capture_output=True,
        text=True,
        timeout=600,
        env=dict(os.environ, PPRR_CHROMIUM=chromium),
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    charts = json.loads(proc.stdout)["charts"]
    assert len(charts) >= 20
    small = [(c["page"], c["alt"], round(c["minPx"], 1)) for c in charts if c["minPx"] < 11]
    assert not small, small


def test_the_line_is_broken_at_a_year_without_a_figure(monkeypatch):
    drawn = []
    real = measure_charts._draw

    def spy(pts, comps, target, **kw):
        fig = real(pts, comps, target, **kw)
        ax = fig.axes[0]
        lines = [ln for ln in ax.get_lines() if ln.get_linestyle() == "-" and ln.axes is ax]
        lines = [ln for ln in lines if ln.get_transform() == ax.transData]  # not the axis line
        drawn.extend(list(map(float, ln.get_xdata())) for ln in lines)
        return fig

    monkeypatch.setattr(measure_charts, "_draw", spy)
    pts = [("2018/19", 4.0), ("2019/20", 5.0), ("2021/22", 6.0), ("2022/23", 7.0)]
    c = measure_charts.trend_chart(pts, name="ILL rate", unit="percent", polarity="high")
    assert drawn == [[0.0, 1.0], [3.0, 4.0]]  # 2020/21 keeps its place, with no line across it
    assert "No figure for 2020/21: the line is broken there." in c.description
    drawn.clear()
    whole = measure_charts.trend_chart(
        pts[:2] + [("2020/21", 5.5)], name="ILL rate", unit="percent"
    )
    assert drawn == [[0.0, 1.0, 2.0]] and "No figure" not in whole.description


def test_the_line_into_a_forecast_is_dashed(monkeypatch):
    """Only actual figures are joined by a solid line: the segment from the last actual to
    the forecast year-end (hollow) is dashed; a missing year still breaks the line."""
    drawn: dict[str, list] = {"-": [], "--": []}
    real = measure_charts._draw

    def spy(pts, comps, target, **kw):
        fig = real(pts, comps, target, **kw)
        ax = fig.axes[0]
        for ln in ax.get_lines():
            data_line = ln.get_transform() == ax.transData and ln.get_marker() in ("None", None)
            if data_line and ln.get_linestyle() in drawn:
                drawn[ln.get_linestyle()].append(list(map(float, ln.get_xdata())))
        return fig

    monkeypatch.setattr(measure_charts, "_draw", spy)
    pts = [("2019/20", 4.0, "actual"), ("2020/21", 5.0, "actual"), ("2021/22", 6.0, "forecast")]
    frame = measure_charts.pd.DataFrame(pts, columns=["period", "value", "kind"])
    measure_charts.trend_chart(frame, 5.5, name="ILL rate", unit="percent")
    assert drawn == {"-": [[0.0, 1.0]], "--": [[1.0, 2.0]]}
    drawn.update({"-": [], "--": []})
    gap = frame.assign(period=["2018/19", "2019/20", "2021/22"])
    measure_charts.trend_chart(gap, name="ILL rate", unit="percent")
    assert drawn == {"-": [[0.0, 1.0]], "--": []}


@pytest.mark.slow
def test_no_y_tick_label_touches_an_x_label(reports, monkeypatch):
    """A y tick label at the foot of the axis ("25" beside "2019/20", 2023/24
    NEW-2024-25-3-01) is left out rather than drawn against the year labels."""
    figs = _capture(monkeypatch, measure_charts)
    for rep, row in _every_measure(reports):
        measure_charts.measure_chart(rep, row["code"])
        if not figs:
            continue
        fig = figs.pop()
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        renderer = canvas.get_renderer()
        texts = fig.axes[0].texts
        ys = [t.get_window_extent(renderer) for t in texts if t.get_gid() == "ytick"]
        xs = [
            t.get_window_extent(renderer) for t in texts if re.match(r"\d{4}/\d{2}", t.get_text())
        ]
        for y in ys:
            for x in xs:
                apart = y.x1 + 2 < x.x0 or x.x1 + 2 < y.x0 or y.y1 + 2 < x.y0 or x.y1 + 2 < y.y0
                assert apart, (rep.period, row["code"])


@pytest.mark.parametrize(
    ("value", "unit", "figures", "shown"),
    [
        (1413.333, "count", (), 1413.0),  # a count: always whole
        (1412.5, "count", (), 1413.0),  # halves away from zero
        (36.6667, "number", (18.0, 30.0), 37.0),  # no unit stated, whole figures
        (18.3, "number", (18.3, 17.0), 18.3),  # no unit stated, a figure with decimals
        (36.6667, None, (18.0,), 37.0),
        (19.34, "percent", (19.0,), 19.34),  # a percentage is never rounded
        (2.6, "rate per 1,000", (2.0,), 2.6),
    ],
)
def test_a_forecast_of_a_count_is_shown_whole(value, unit, figures, shown):
    from pprr_utils.report.measure_points import forecast_figure, shown_forecast

    assert shown_forecast(value, unit, figures) == pytest.approx(shown)
    assert forecast_figure(value, unit, figures) == figure(shown, unit)
