"""Status and trend symbols: the badges (symbol, word and colour, never colour alone), their
plain-text forms and the report's key to them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..dataset.formats import is_blank
from .markup import Html, esc, heading, join, region

if TYPE_CHECKING:
    from .context import Report

#: status -> (symbol, word, meaning as in the report's key)
STATUS: dict[str, tuple[str, str, str]] = {
    "red": ("\u2717", "Red", "Indicator is performing significantly (>5%) below target"),
    "amber": ("\u25c6", "Amber", "Indicator is performing slightly (<5%) below target"),
    "green": ("\u2713", "Green", "Indicator is on track or performing above target"),
}
#: trend -> (symbol, word, meaning as in the report's key)
TREND: dict[str, tuple[str, str, str]] = {
    "worse": (
        "\u25bc",
        "Getting worse",
        "The forecast year-end position for this indicator is less favourable than the "
        "previous year-end",
    ),
    "stable": (
        "\u25ba",
        "Stable",
        "The forecast year-end position for this indicator is within 1% either side of the "
        "previous year-end",
    ),
    "better": (
        "\u25b2",
        "Getting better",
        "The forecast year-end position for this indicator is more favourable than the "
        "previous year-end",
    ),
}
NOT_RATED = ("\u2013", "Not rated")
#: what "Not rated" means, as a status and as a trend (the key's row for both)
NOT_RATED_MEANING = (
    "Status: no target, a contextual measure, or no data for the period: the reason is "
    "given beside it. Trend (direction of travel): no figure to compare with the previous "
    "year-end, figures not comparable, a contextual measure or no polarity"
)
_TREND_CLASS = {"better": "green", "stable": "none", "worse": "red"}


def rating(value: object) -> str:
    """A status or trend as its lower-case word (``red``, ``better``); '' when blank."""
    return "" if is_blank(value) else str(value).strip().lower()


def status_badge(status: object) -> Html:
    """'✗ Red' / '◆ Amber' / '✓ Green' / '– Not rated' as a coloured tag (text + symbol)."""
    s = rating(status)
    symbol, word = STATUS[s][:2] if s in STATUS else NOT_RATED
    cls = s if s in STATUS else "none"
    return Html(
        f'<span class="pprr-tag pprr-{cls}"><span aria-hidden="true">{symbol}</span> {word}</span>'
    )


def trend_badge(trend: object) -> Html:
    """'▲ Getting better' / '► Stable' / '▼ Getting worse' / '– Not rated' as a tag."""
    t = rating(trend)
    symbol, word = TREND[t][:2] if t in TREND else NOT_RATED
    cls = _TREND_CLASS.get(t, "none")
    return Html(
        f'<span class="pprr-tag pprr-{cls}"><span aria-hidden="true">{symbol}</span> {word}</span>'
    )


def status_text(status: object) -> str:
    """Plain text form, e.g. '✗ Red' (for CSV or alt text)."""
    s = rating(status)
    symbol, word = STATUS[s][:2] if s in STATUS else NOT_RATED
    return f"{symbol} {word}"


def trend_text(trend: object) -> str:
    """Plain text form, e.g. '▲ Getting better'."""
    t = rating(trend)
    symbol, word = TREND[t][:2] if t in TREND else NOT_RATED
    return f"{symbol} {word}"


def _percent(fraction: float) -> str:
    return f"{fraction * 100:g}%"


def key_meanings(report: Report | None = None) -> dict[str, str]:
    """What each status and trend means, with the portfolio's own tolerances (the published
    key's 5% and 1% unless ``portfolio.yml`` sets others)."""
    meanings = {k: v[2] for k, v in {**STATUS, **TREND}.items()}
    if report is None:
        return meanings
    from ..dataset.score import rules_for

    rules = rules_for(report.dataset)
    if rules.basis != "relative":
        return meanings
    amber, stable = _percent(rules.amber_tolerance), _percent(rules.stable_tolerance)
    meanings["red"] = meanings["red"].replace("(>5%)", f"(>{amber})")
    meanings["amber"] = meanings["amber"].replace("(<5%)", f"(<{amber})")
    meanings["stable"] = meanings["stable"].replace("within 1%", f"within {stable}")
    return meanings


def key_to_symbols(report: Report | None = None, *, level: int = 2) -> Html:
    """The report's 'Key to symbols used in tables', with symbols, words and colours; with
    the portfolio's tolerances and its headline flag (``report.headline_flag``) if any."""
    meaning = key_meanings(report)
    rows = [
        f'<tr><th scope="row">{status_badge(k)}</th><td>{esc(meaning[k])}</td></tr>'
        for k in ("red", "amber", "green")
    ]
    rows += [
        f'<tr><th scope="row">{trend_badge(k)}</th><td>{esc(meaning[k])}</td></tr>'
        for k in ("worse", "stable", "better")
    ]
    rows.append(
        f'<tr><th scope="row">{status_badge(None)}</th><td>{esc(NOT_RATED_MEANING)}</td></tr>'
    )
    flag = report.headline_flag if report is not None else None
    if flag is not None:
        rows.append(
            f'<tr><th scope="row"><span class="pprr-flag">{esc(flag.label)}</span></th>'
            f"<td>{esc(flag.meaning)}</td></tr>"
        )
    rows.append('<tr><th scope="row">(forecast)</th><td>Provisional or forecast figure</td></tr>')
    caption = "Key to symbols used in tables"
    return join(
        heading(caption, level, anchor="key-to-symbols"),
        region(
            f'<table class="pprr-table pprr-key"><caption>{esc(caption)}</caption><thead><tr>'
            '<th scope="col">Symbol</th><th scope="col">Meaning</th></tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>",
            caption,
        ),
    )
