"""The scorecard's statuses, trends and their reasons, a column at a time.

The words are those of ``rating.rate`` and ``rating.travel`` ("8.2% is better than the 9.5%
target (low is good)"), assembled from columns of text: each figure is formatted once per
distinct value (``score_frame.figures``) and the rows are grouped by the sentence that
applies to them. ``tests/score_reference.py`` keeps the same rules written one measure at a
time; a property test holds the two equal.
"""

from __future__ import annotations

import numpy as np

from .rating import POLARITY_WORDS, ScoringRules, _gap_text, _pct
from .score_columns import NAN, Array, concat, figures, per_value
from .score_frame import shortfall


def _words(polarity: Array) -> Array:
    return per_value(polarity, lambda p: POLARITY_WORDS.get(p, ""))


def _gaps(gap: Array, unit: Array, rules: ScoringRules) -> Array:
    """``rating._gap_text`` of each gap: ``5.2%`` or ``1.5 percentage points``."""
    if rules.basis == "relative":
        return per_value(gap, _pct)
    word = per_value(unit, lambda u: " percentage points" if u == "percent" else " points")
    return figures(np.abs(gap), "", "no value") + word


def _tolerances(tolerance: float, unit: Array, rules: ScoringRules) -> Array:
    return per_value(unit, lambda u: _gap_text(tolerance, rules.basis, u))


def rate_rows(
    value: Array,
    target: Array,
    polarity: Array,
    unit: Array,
    value_text: Array,
    target_text: Array,
    context: Array,
    rules: ScoringRules,
) -> tuple[Array, Array]:
    """``rating.rate`` of each row: (status, reason)."""
    n = len(value)
    result = np.full(n, "", dtype=object)
    reason = np.empty(n, dtype=object)
    rated = (polarity == "high") | (polarity == "low")
    reason[~rated] = "not rated: no polarity (neither high nor low is good)"
    no_value = rated & np.isnan(value)
    reason[no_value] = "not rated: no figure"
    no_target = rated & ~no_value & np.isnan(target)
    reason[no_target] = "not rated: no target figure"
    ok = rated & ~no_value & ~no_target
    infinite = ok & ~(np.isfinite(value) & np.isfinite(target))
    reason[infinite] = "not rated: the figure or target is not a finite number"
    ok &= ~infinite
    gap = np.full(n, NAN)
    gap[ok] = shortfall(value[ok], target[ok], polarity[ok], rules)
    tol = rules.amber_tolerance if rules.basis == "relative" else rules.amber_points
    result[ok & (gap <= 0)] = "green"
    result[ok & (gap > 0) & (gap <= tol)] = "amber"
    result[ok & (gap > tol)] = "red"
    if not ok.any():
        return result, reason
    # one sentence shape, "<figure> <verb> <target> (<notes>)", its parts chosen by row
    gap, result_ok = gap[ok], result[ok]
    zero = (gap > 0) & np.isinf(gap) & (target[ok] == 0)
    worse = (gap > 0) & ~zero
    verb = np.full(len(gap), " is worse than ", dtype=object)
    verb[gap == 0] = " meets "
    verb[gap < 0] = " is better than "
    notes = np.full(len(gap), "", dtype=object)
    notes[zero] = "a target of zero allows no shortfall; "
    if worse.any():
        unit_ok = unit[ok]
        how = np.where(result_ok[worse] == "amber", "within the ", "more than the ")
        tolerance = _tolerances(tol, unit_ok[worse], rules)
        notes[worse] = concat(how.astype(object), tolerance, " amber tolerance; ")
        verb[worse] = concat(" is ", _gaps(gap[worse], unit_ok[worse], rules), " worse than ")
    context_ok = context[ok]
    words = np.where(context_ok != "", context_ok + "; ", "").astype(object)
    words = words + _words(polarity[ok])
    reason[ok] = concat(value_text[ok], verb, target_text[ok], " (", notes, words, ")")
    return result, reason


def travel_rows(
    current: Array,
    previous: Array,
    polarity: Array,
    unit: Array,
    suffix: Array,
    previous_label: Array,
    current_text: Array,
    show_polarity: Array,
    rules: ScoringRules,
) -> tuple[Array, Array]:
    """``rating.travel`` of each row: (trend, reason)."""
    n = len(current)
    result = np.full(n, "", dtype=object)
    reason = np.empty(n, dtype=object)
    rated = (polarity == "high") | (polarity == "low")
    reason[~rated] = "no trend: no polarity"
    no_current = rated & np.isnan(current)
    reason[no_current] = "no trend: no current or forecast figure"
    no_previous = rated & ~no_current & np.isnan(previous)
    reason[no_previous] = ("no trend: no figure for " + previous_label)[no_previous]
    ok = rated & ~no_current & ~no_previous
    gap = np.full(n, NAN)
    gap[ok] = shortfall(current[ok], previous[ok], polarity[ok], rules)
    tol = rules.stable_tolerance if rules.basis == "relative" else rules.stable_points
    stable = ok & (np.abs(gap) <= tol)
    worse = ok & ~stable & (gap > 0)
    better = ok & ~stable & ~worse
    result[stable], result[worse], result[better] = "stable", "worse", "better"
    if not ok.any():
        return result, reason
    shown = figures(previous[ok], suffix[ok], "no value")
    label, current_ok, stable_ok, result_ok = (
        previous_label[ok],
        current_text[ok],
        stable[ok],
        result[ok],
    )
    text = np.empty(len(shown), dtype=object)
    if stable_ok.any():
        within = _tolerances(tol, unit[ok][stable_ok], rules)
        st = stable_ok
        text[st] = concat(
            "stable: ", current_ok[st], " is within ", within, " of ", shown[st], " in ", label[st]
        )
    moved = ~stable_ok
    if moved.any():
        said = np.where(show_polarity[ok][moved], " (" + _words(polarity[ok][moved]) + ")", "")
        word = result_ok[moved]
        text[moved] = concat(
            "getting ", word, ": ", current_ok[moved], " is ", word, " than ", shown[moved],
            " in ", label[moved], said.astype(object),
        )  # fmt: skip
    reason[ok] = text
    return result, reason


def sentence(text: str) -> str:
    """``text`` as a sentence: a capital first letter and one full stop."""
    text = text.strip().rstrip(".")
    return text[:1].upper() + text[1:] + "." if text else ""


def sentences(column: Array) -> Array:
    """``sentence`` of each text (its steps inline: one pass, no call per text)."""
    out = np.empty(len(column), dtype=object)
    out[:] = [
        (t[:1].upper() + t[1:] + ".") if t else ""
        for t in (c.strip().rstrip(".") for c in column.tolist())
    ]
    return out


def reasons(
    status_reason: Array,
    trend_reason: Array,
    with_trend: Array,
    note: Array,
    with_note: Array,
) -> tuple[Array, Array, Array]:
    """``(reason, status sentence, trend sentence)``: the reason column is the status's
    reason, the trend's unless it repeats it, then the figure's note unless already said,
    each a sentence."""
    said = sentences(status_reason)
    trend = sentences(trend_reason)
    out = said.copy()
    add_trend = np.array(
        [w and t not in s for s, t, w in zip(status_reason, trend_reason, with_trend, strict=True)],
        dtype=bool,
    )
    out[add_trend] = concat(out[add_trend], " ", trend[add_trend])
    if with_note.any():
        for i in np.flatnonzero(with_note).tolist():
            parts = status_reason[i] + (" " + trend_reason[i] if add_trend[i] else "")
            if note[i] not in parts:
                out[i] = out[i] + " " + sentence(f"note: {note[i]}")
    return out, said, trend
