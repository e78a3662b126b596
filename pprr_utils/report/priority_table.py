"""The priority page's measures table, shaped like the published one.

One column per reported year (``2019/20 actual``, ``2020/21 actual``), then the figure the
measure is rated on (``2021/22 Q2``), the forecast year-end, the target, status and trend;
rows in the data's (printed) order under their category (``Partnership measures``); a
measure's commentary in a full-width row directly under it. A paragraph printed after a run
of measures is keyed in ``commentary.csv`` to each measure of the run (data/README.md): it
is shown once, after the last of them, where the document prints it (:func:`commentary_blocks`).

The figures are formatted here (``figure_with_count``, ``figure_as_at``, ``target_text``) so
the overview and outcomes pages show them the same way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..dataset.formats import figure, is_blank, is_missing
from ..dataset.periods import parse_period
from ..dataset.vocabulary import POLARITY
from .markup import Html, esc, region, slug
from .measure_points import forecast_base, forecast_figure
from .page import suppressed_text
from .symbols import STATUS, rating, status_badge, trend_badge

# ---------------------------------------------------------------- figures


def figure_with_count(
    value: object,
    unit: str | None = None,
    *,
    count: object = None,
    as_at: object = None,
    as_at_words: bool = False,
) -> str:
    """A table's figure: ``formats.figure`` in its unit, then the count it is of in brackets
    and its as-at marker (``57.3% (51) Q1``, ``30.8 per 1,000 (2,547)``); with
    ``as_at_words`` the marker reads as one (``57.3% (51) as at Q1``, a range ``997 for
    Q1-Q2``), so it is never taken for a year. Text values (e.g. ``[c]``) pass through."""
    if is_blank(value):
        return ""
    text = figure(value, unit) if isinstance(value, int | float) else str(value)
    if not is_blank(count):
        text += f" ({figure(count) if isinstance(count, int | float) else count})"
    if not is_blank(as_at):
        marker = str(as_at).strip()
        if as_at_words:
            marker = f"for {marker}" if any(d in marker for d in "-\u2013") else f"as at {marker}"
        text += f" {marker}"
    return text


def figure_as_at(value: object, unit: str | None, *, count: object, as_at: object) -> str:
    """``figure_with_count`` with the as-at marker in words: ``123 per 100,000 (34) as at Q2``."""
    return figure_with_count(value, unit, count=count, as_at=as_at, as_at_words=True)


def target_text(row: Mapping[str, Any]) -> str:
    """A target as printed: the scorecard's ``target_label`` (a number, 'Maximise'/'Minimise'/
    'Maintain', a comparator average, a printed note) or 'N/A' when there is none."""
    label = row.get("target_label")
    text = "N/A" if is_blank(label) else str(label)
    if not is_blank(row.get("ambition")):
        text += f"; ambition {row.get('ambition')}"
    return text


def year_periods(value_period: str) -> list[str]:
    """The periods the published table prints a measure's figures for: the two year-ends
    before the year of the figure it is rated on, then that figure's own period
    (``2021/22 Q2`` -> 2019/20, 2020/21, 2021/22 Q2; ``2023/24`` -> 2021/22, 2022/23, 2023/24)."""
    own = parse_period(value_period)
    year = own.year_end()
    return [year.shift(-2).label, year.shift(-1).label, own.label]


def period_columns(rows: pd.DataFrame, default: str) -> list[str]:
    """A table's year columns: every row's :func:`year_periods`, in time order (rows rated on
    different years, e.g. academic-year measures beside financial-year ones, add columns)."""
    found: set[str] = set()
    for p in rows.get("value_period", pd.Series(dtype=object)).tolist() or [default]:
        found.update(year_periods(default if is_blank(p) else str(p)))
    return sorted(found, key=parse_period)


def period_heading(period: str) -> str:
    """A year column's header: ``2020/21 actual`` for a year-end, ``2021/22 Q2`` in-year."""
    return period if parse_period(period).quarter else f"{period} actual"


# ---------------------------------------------------------------- commentary


@dataclass(frozen=True)
class Commentary:
    """Paragraphs printed together after the measures ``codes`` (one code: its own)."""

    codes: tuple[str, ...]
    texts: tuple[str, ...]

    @property
    def lead(self) -> str:
        """'Commentary on CFSE.42', '... on CFSE.25 and CFSE.26', '... on the 6 measures
        from CFSE.45 to CFSE.52'."""
        names = list(self.codes)
        if len(names) > 2:
            return f"Commentary on the {len(names)} measures from {names[0]} to {names[-1]}"
        return "Commentary on " + " and ".join(names)


def commentary_blocks(comm: pd.DataFrame, codes: Sequence[str]) -> dict[str, list[Commentary]]:
    """Where each paragraph of ``comm`` (``code``, ``seq``, ``text``) is shown in a table whose
    rows are ``codes`` (printed order): code -> the blocks shown directly under its row.

    A paragraph keyed to one measure is shown under it. The same paragraph keyed to a run of
    measures is one paragraph printed after the run (data/README.md, commentary): it is shown
    once, under the last measure of the run. A run is measures adjacent in ``codes``; the same
    text keyed to measures apart is shown after each run. Paragraphs shown under the same row
    for the same measures form one block, in ``seq`` order."""
    position = {c: i for i, c in enumerate(codes)}
    comm = comm[comm["code"].isin(position)]
    if comm.empty:
        return {}
    # each distinct text: its measures, in printed order, split into runs of adjacent rows
    placed: list[tuple[int, tuple[str, ...], float, int, str]] = []
    for order, (text, group) in enumerate(comm.groupby("text", sort=False)):
        where = sorted({position[c] for c in group["code"]})
        seq = float(pd.to_numeric(group["seq"], errors="coerce").min())
        runs: list[list[int]] = [[where[0]]]
        for i in where[1:]:
            if i == runs[-1][-1] + 1:
                runs[-1].append(i)
            else:
                runs.append([i])
        for run in runs:
            placed.append((run[-1], tuple(codes[i] for i in run), seq, order, str(text)))
    placed.sort(key=lambda p: (p[0], p[2], p[3]))
    out: dict[str, list[Commentary]] = {}
    for anchor, run_codes, _seq, _order, text in placed:
        blocks = out.setdefault(codes[anchor], [])
        if blocks and blocks[-1].codes == run_codes:
            blocks[-1] = Commentary(run_codes, (*blocks[-1].texts, text))
        else:
            blocks.append(Commentary(run_codes, (text,)))
    return out


def _commentary_row(block: Commentary, ncols: int) -> str:
    paras = "".join(f"<p>{esc(t)}</p>" for t in block.texts)
    return (
        f'<tr class="pprr-commentary"><td colspan="{ncols}" data-label="">'
        f'<p class="pprr-commentary-lead">{esc(block.lead)}</p>{paras}</td></tr>'
    )


# ---------------------------------------------------------------- the table

#: a category as the published table heads its rows
CATEGORY_HEADING = {
    "council": "Council measures",
    "partnership": "Partnership measures",
    "contextual": "Contextual measures",
}


def _target_cell(r: Mapping[str, Any], one_target: str) -> str:
    """``target_text``, saying which year the target is for when the table's rows are rated
    against different years and the label does not say it already."""
    label = r.get("target_label")
    year = "" if is_blank(r.get("target_year")) else str(r.get("target_year"))
    rated = rating(r.get("target_type")) not in ("", "none")
    if one_target or not rated or is_blank(label) or not year or year in str(label):
        return target_text(r)
    return target_text({**r, "target_label": f"{label} (for {year})"})


def _figure_cell(r: Mapping[str, Any], period: str, report: Any) -> str:
    """The row's figure for a year column: the rated figure in its own period, a year-end
    actual before it, or the note printed instead ('Not yet available', ``[c]``)."""
    unit = r.get("unit")
    own = str(r.get("value_period") or "")
    if period == own:
        if is_missing(r.get("value")) and not is_blank(r.get("note")):
            return suppressed_text(r.get("note"), report)
        return figure_as_at(r.get("value"), unit, count=r.get("count"), as_at=r.get("as_at"))
    prior = r.get("prior_years")
    return str(prior.get(period, "")) if isinstance(prior, Mapping) else ""


def measures_table(
    rows: pd.DataFrame,
    *,
    caption: str,
    period_label: str = "",
    show_forecast: bool | None = None,
    flag_label: str | None = None,
    commentary: Mapping[str, Sequence[Commentary]] | None = None,
    detail_links: bool = False,
    report: Any = None,
) -> Html:
    """The measures table as published: code, name, good performance, one column per year
    (:func:`period_columns`, from each row's ``value_period``; ``period_label`` when a row
    has none; a year with no figure in any row is left out), the forecast year-end, target,
    status, trend.

    ``rows`` are scorecard rows in printed order (plus ``prior_years``, a mapping period ->
    figure text, ``headline``, ``unit``); rows are grouped under their ``category``
    (``Partnership measures``) when the table has more than one, or any row has one.
    ``flag_label`` marks headline measures; ``commentary`` (:func:`commentary_blocks`) adds
    full-width rows under the measures; ``detail_links`` links each code to its
    ``#measure-<code>`` section. The forecast column appears when ``show_forecast`` (None:
    whenever a forecast is present)."""
    if rows.empty:
        return Html(f"<p>{esc(caption)}: no measures.</p>")
    given = rows["value_period"] if "value_period" in rows else pd.Series([None] * len(rows))
    default = period_label or next((str(v) for v in given if not is_blank(v)), "")
    rows = rows.assign(value_period=[default if is_blank(v) else str(v) for v in given])
    figures = {
        p: [_figure_cell(r, p, report) for _, r in rows.iterrows()]
        for p in period_columns(rows, default)
    }
    rated = set(rows["value_period"])
    # a year no row has a figure or note for is left out (a rated year always stays)
    years = [p for p, cells in figures.items() if p in rated or any(cells)]
    has_forecast = "forecast" in rows and rows["forecast"].notna().any()
    if show_forecast is not None:
        has_forecast = has_forecast and show_forecast
    target_years = {str(y) for y in rows.get("target_year", pd.Series(dtype=object)).dropna()}
    one_target = next(iter(target_years)) if len(target_years) == 1 else ""
    heads = ["Code", "Measure", "Good performance", *map(period_heading, years)]
    heads += ["Forecast year-end"] if has_forecast else []
    heads += [f"Target {one_target}".strip(), "Status", "Trend"]
    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in heads)
    blocks = commentary or {}
    groups: list[tuple[str, list[str]]] = []
    for n, (_, r) in enumerate(rows.iterrows()):
        code = str(r.get("code"))
        cat = "" if is_blank(r.get("category")) else str(r.get("category"))
        name = esc(r.get("name"))
        if flag_label and r.get("headline") is True:
            name += f' <span class="pprr-flag">{esc(flag_label)}</span>'
        status = str(status_badge(r.get("status")))
        if rating(r.get("status")) not in STATUS and not is_blank(r.get("reason")):
            status += f'<span class="pprr-reason">{esc(r.get("reason"))}</span>'
        label = esc(code)
        if detail_links:
            label = f'<a href="#measure-{esc(slug(code))}">{label}</a>'
        cells = [
            f'<th scope="row">{label}</th>',
            f"<td>{name}</td>",
            f"<td>{esc(POLARITY.get(rating(r.get('polarity')), r.get('polarity')))}</td>",
        ]
        cells += [f'<td class="num">{esc(figures[p][n])}</td>' for p in years]
        if has_forecast:
            fc = r.get("forecast")
            if r.get("forecast_method") == "outturn":  # a completed year's figure is used
                year = r["value_period"]
                cells.append(f"<td>{esc(f'No forecast: the {year} year-end is used')}</td>")
            else:
                cells.append(
                    f'<td class="num">{esc(forecast_figure(fc, r.get("unit"), forecast_base(r)))}'
                    " (forecast)</td>"
                    if isinstance(fc, int | float) and not is_missing(fc)
                    else "<td></td>"
                )
        cells += [
            f'<td class="num">{esc(_target_cell(r, one_target))}</td>',
            f"<td>{status}</td>",
            f"<td>{trend_badge(r.get('trend'))}</td>",
        ]
        mine = blocks.get(code, [])
        cls = ' class="pprr-commented"' if mine else ""
        html_rows = [f"<tr{cls}>" + "".join(cells) + "</tr>"]
        html_rows += [_commentary_row(b, len(heads)) for b in mine]
        if not groups or groups[-1][0] != cat:
            groups.append((cat, []))
        groups[-1][1].extend(html_rows)
    grouped = len(groups) > 1 or any(cat for cat, _ in groups)
    bodies = []
    for cat, body in groups:
        top = ""
        if grouped:
            words = CATEGORY_HEADING.get(cat.lower(), f"{cat.capitalize()} measures" if cat else "")
            top = (
                f'<tr class="pprr-group"><th scope="rowgroup" colspan="{len(heads)}" '
                f'data-label="">{esc(words or "Other measures")}</th></tr>'
            )
        bodies.append(f"<tbody>{top}{''.join(body)}</tbody>")
    return region(
        f'<table class="pprr-table pprr-measures"><caption>{esc(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead>{''.join(bodies)}</table>",
        caption,
    )
