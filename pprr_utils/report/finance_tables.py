"""The finance page's building blocks: finance figures as printed, ``money_table`` (a finance
table through ``markup.table``: row labels, subtotal and total rows marked in words and by their
row's class), the reconciliation's check badges and sentences, and the summary box
(``headline_block``) that the overview also shows."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import pandas as pd

from ..dataset import finance, formats
from ..dataset.formats import is_blank, is_missing, money
from ..dataset.load import Dataset
from .context import Report
from .markup import Html, esc, join, table

#: reconciliation status -> (symbol, css class of the symbols' tags, meaning)
CHECK_STATUS: dict[str, tuple[str, str, str]] = {
    "ok": ("\u2713", "green", "the printed figure equals the figure computed from its rows"),
    "rounding": (
        "\u2248",
        "none",
        "the difference is within the rounding of the printed figures",
    ),
    "mismatch": (
        "\u2717",
        "red",
        "the printed figure differs from its rows by more than rounding can explain",
    ),
}
_ROW_WORD = {"subtotal": "subtotal", "total": "total"}


# ---------------------------------------------------------------- helpers


def has_finance(report: Report) -> bool:
    """True when the data has finance rows for the report's period."""
    return report.period in finance.finance_periods(report.dataset)


def period_view(report: Report, view: Callable[[Dataset, str], pd.DataFrame]) -> pd.DataFrame:
    """``view(dataset, period)`` for the report's period; empty when the period has no
    finance data (a section then renders nothing)."""
    if not has_finance(report):
        return pd.DataFrame()
    return view(report.dataset, report.period)


def first_value(frame: pd.DataFrame, column: str, default: str = "") -> str:
    """The column's first non-blank value as text (e.g. the year or previous report)."""
    found = frame[column].dropna()
    return str(found.iloc[0]) if len(found) else default


def quarter(period: str) -> str:
    """The quarter of an in-year period (``Q2`` of ``2021/22 Q2``); a year-end as it is."""
    return period.split()[-1] if " " in period else period


def precise(value: object, unit: object = "£000") -> str:
    """Like ``formats.money``, with up to two more decimals when the printed precision would
    hide a difference (computed values and differences in the reconciliation)."""
    if is_missing(value):
        return ""
    v = float(value)  # type: ignore[arg-type]
    u = None if is_blank(unit) else str(unit)
    base = formats.MONEY_DECIMALS.get(u or "", 0)
    for decimals in (base, base + 1, base + 2):
        if abs(v - round(v, decimals)) < 1e-9:
            break
    return formats.format_money(v, decimals)


def percent(value: object) -> str:
    """A percentage as printed, two decimals, negatives in brackets: '0.92%', '(31.93%)'."""
    text = formats.money(value, "%")
    if not text:
        return ""
    return text[:-1] + "%)" if text.endswith(")") else text + "%"


def unit_of(frame: pd.DataFrame, default: str = "£000") -> str:
    """The frame's unit (its first row's ``unit``), ``default`` when it names none."""
    if "unit" in frame and len(frame) and not is_blank(frame["unit"].iloc[0]):
        return str(frame["unit"].iloc[0])
    return default


def row_label(text: object, row_type: object = "item") -> str:
    """Escaped row label; subtotal and total rows in bold and named as such in words."""
    label = esc(text)
    kind = _ROW_WORD.get(str(row_type))
    if kind is None:
        return label
    if "total" not in str(text).lower():
        label += f" ({kind})"
    return f"<strong>{label}</strong>"


def money_table(
    frame: pd.DataFrame,
    caption: str,
    *,
    label: tuple[str, str],
    money: Mapping[str, str],
    unit: str,
    text: Mapping[str, str] | None = None,
    raw: Mapping[str, Sequence[str]] | None = None,
    before: Mapping[str, str] | None = None,
) -> Html:
    """A finance table through ``markup.table``: ``label`` (column, header) is the row header
    (subtotal and total rows marked in words and, from ``row_type``, by their row's class),
    ``money`` maps columns to headers shown as printed in ``unit``, ``text`` adds escaped text
    columns, ``raw`` adds ready-made HTML columns (header -> cells), and ``before`` text columns
    go before the row header."""
    rt = frame["row_type"] if "row_type" in frame else pd.Series(["item"] * len(frame))
    out: dict[str, list] = {}
    for col, head in (before or {}).items():
        out[head] = frame[col].tolist()
    out[label[1]] = [row_label(t, r) for t, r in zip(frame[label[0]], rt, strict=True)]
    for col, head in (text or {}).items():
        out[head] = frame[col].tolist()
    for col, head in money.items():
        out[head] = [formats.money(v, unit) for v in frame[col]]
    for head, cells in (raw or {}).items():
        out[head] = list(cells)
    shown = pd.DataFrame(out, columns=list(out))
    return table(
        shown,
        caption,
        row_header=label[1],
        numeric=list(money.values()),
        raw=[label[1], *(raw or {})],
        row_types=rt.tolist(),
    )


def check_badge(status: object) -> Html:
    """'✓ ok' / '≈ rounding' / '✗ mismatch' as a tag: symbol and word, never colour alone."""
    s = "" if is_blank(status) else str(status)
    symbol, cls, _ = CHECK_STATUS.get(s, ("\u2013", "none", ""))
    word = s or "not checked"
    return Html(
        f'<span class="pprr-tag pprr-{cls}"><span aria-hidden="true">{symbol}</span> '
        f"{esc(word)}</span>"
    )


def check_sentence(what: str, status: object, printed: str, computed: str) -> Html:
    """One line saying whether ``what`` adds up."""
    s = "" if is_blank(status) else str(status)
    verdict = {
        "ok": "they do",
        "rounding": "they do, within rounding",
        "mismatch": "they do NOT: the printed figure is shown unchanged",
    }.get(s, "not checked")
    return Html(
        f"<p>Check: {esc(what)}: printed {esc(printed)}, computed {esc(computed)}; "
        f"{esc(verdict)} {check_badge(s)}</p>"
    )


def illustrative(report: Report, caption: str) -> str:
    """``caption``, marked "(illustrative data)" when the report's data is synthetic."""
    return caption + (" (illustrative data)" if report.illustrative else "")


def printed_statement(report: Report, item: str) -> str | None:
    """The statement the summary box prints instead of ``item``'s figure (e.g. no savings
    programme), or None."""
    h = finance.headline(report.dataset, report.period)
    rows = h[(h["item"] == item) & h["note"].notna()]
    return None if rows.empty else str(rows["note"].iloc[0])


# ---------------------------------------------------------------- the summary box


def headline_block(report: Report, caption: str) -> Html:
    """The summary box as printed: its figures (``headline_rows``: each in its unit, surpluses
    in brackets) in a table captioned ``caption``, then its printed statements; '' when the
    period has no finance headline. The overview and the finance page both show it."""
    if report.period not in finance.finance_periods(report.dataset):
        return Html("")
    h = finance.headline(report.dataset, report.period)
    figs = h[h["value"].notna()]
    parts = []
    if len(figs):
        parts.append(table(headline_rows(figs), caption, row_header="Item", numeric=["Figure"]))
    parts.append(headline_statements(h))
    return join(*parts)


def headline_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Display rows for the ``finance_headline`` table: Item (as printed, with its year),
    Figure (as the finance page prints it: ``44,395``, ``(10)``, ``2.652``; a statement
    printed instead of a figure as it is) and Unit (£000, £m, %)."""
    items, figures, units = [], [], []
    for _, r in frame.iterrows():
        label = r.get("label")
        item = str(label) if not is_blank(label) else str(r["item"]).replace("_", " ").capitalize()
        if not is_blank(r.get("year")) and str(r.get("year")) not in item:
            item += f" ({r['year']})"
        items.append(item)
        unit = None if is_blank(r.get("unit")) else str(r.get("unit"))
        fig = money(r.get("value"), unit)
        figures.append(fig if fig else ("" if is_blank(r.get("note")) else str(r.get("note"))))
        units.append(unit if fig and unit else "")
    return pd.DataFrame({"Item": items, "Figure": figures, "Unit": units})


def headline_statements(frame: pd.DataFrame) -> Html:
    """The summary box's statements printed instead of a figure (e.g. no savings programme),
    each as a paragraph: label in bold, then the statement."""
    if "note" not in frame:
        return Html("")
    rows = frame[frame["value"].isna() & frame["note"].notna()]
    return Html(
        "".join(
            f"<p><strong>{esc(r['label'])}:</strong> {esc(r['note'])}</p>"
            for _, r in rows.iterrows()
        )
    )
