"""Scoring rules chosen at run time: from the command line, as a notebook parameter, in words.

``pprr scorecard`` and ``pprr run`` take ``--amber-tolerance`` and ``--stable-band``; the
batch hands the rules to each notebook as one plain parameter, ``rules`` (a dict of the
:class:`~.rating.ScoringRules` fields that differ from the defaults, or None), which
``open_report`` turns back into ``ScoringRules``. A report scored with rules other than the
defaults says so: :func:`rules_note` is the sentence every page prints under its header,
and :func:`mark_rules` adds it to the scorecard as a ``scoring_rules`` column.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .errors import ParameterError
from .rating import DEFAULT_RULES, ScoringRules

if TYPE_CHECKING:
    import pandas as pd

#: the command line's names for the rules' fields
OPTION_FIELDS = {"amber_tolerance": "amber_tolerance", "stable_band": "stable_tolerance"}
RULES_COLUMN = "scoring_rules"
_FIELDS = tuple(f.name for f in dataclasses.fields(ScoringRules))


def parse_fraction(text: str) -> float:
    """``0.10`` or ``10%`` -> 0.1; ValueError with what is expected otherwise.

    >>> parse_fraction("10%"), parse_fraction("0.05")
    (0.1, 0.05)
    """
    raw = str(text).strip()
    try:
        number = float(raw[:-1]) / 100 if raw.endswith("%") else float(raw)
    except ValueError:
        number = math.nan
    if not (math.isfinite(number) and 0 <= number <= 1):
        raise ValueError(f"{text!r}: expected a fraction from 0 to 1 (0.10) or a percentage (10%)")
    return round(number, 12)


def rules_with(
    base: ScoringRules = DEFAULT_RULES,
    *,
    amber_tolerance: float | None = None,
    stable_band: float | None = None,
) -> ScoringRules:
    """``base`` with the tolerances given (None keeps ``base``'s)."""
    chosen = {"amber_tolerance": amber_tolerance, "stable_tolerance": stable_band}
    return dataclasses.replace(base, **{k: v for k, v in chosen.items() if v is not None})


def rules_parameter(rules: ScoringRules | None) -> dict[str, Any] | None:
    """The rules as a notebook parameter: the fields that differ from the defaults, or None."""
    if rules is None or rules == DEFAULT_RULES:
        return None
    out: dict[str, Any] = {}
    for name in _FIELDS:
        value = getattr(rules, name)
        if value != getattr(DEFAULT_RULES, name):
            out[name] = list(value) if isinstance(value, tuple) else value
    return out


def rules_from_parameter(
    value: ScoringRules | Mapping[str, Any] | None, base: ScoringRules = DEFAULT_RULES
) -> ScoringRules:
    """``ScoringRules`` from a notebook's ``rules`` parameter: its settings laid over ``base``
    (the portfolio's rules, ``score.rules_for``; None: ``base`` itself). A ``ScoringRules``
    counts by the fields it sets differently from the defaults.

    Raises ParameterError naming the key and what is accepted for an unknown field or a
    value the rules refuse.
    """
    if value is None:
        return base
    if isinstance(value, ScoringRules):
        value = rules_parameter(value) or {}
    if not isinstance(value, Mapping):
        raise ParameterError(
            f"rules = {value!r}: expected None or a dict of scoring rules, "
            "e.g. {'amber_tolerance': 0.1}"
        )
    unknown = [k for k in value if k not in _FIELDS]
    if unknown:
        raise ParameterError(
            f"rules: unknown setting {unknown[0]!r}; the scoring rules are: {', '.join(_FIELDS)}"
        )
    fields = {k: tuple(v) if k == "comparator_areas" else v for k, v in value.items()}
    try:
        return dataclasses.replace(base, **fields)
    except (TypeError, ValueError) as exc:
        raise ParameterError(f"rules: {exc}") from exc


def _pct(fraction: float) -> str:
    return f"{fraction * 100:.2f}".rstrip("0").rstrip(".") + "%"


def _describe(name: str, value: Any, base: ScoringRules = DEFAULT_RULES) -> str:
    default = getattr(base, name)
    usual = "the published key" if base == DEFAULT_RULES else "the portfolio setting"
    if name == "amber_tolerance":
        return f"amber within {_pct(value)} of target ({usual}: {_pct(default)})"
    if name == "stable_tolerance":
        return f"stable within {_pct(value)} of the previous year-end ({usual}: {_pct(default)})"
    if name == "basis":
        return f"gaps measured as {'points' if value == 'points' else 'a fraction of target'}"
    if name == "comparator_areas":
        return f"comparator areas {', '.join(value)}"
    return f"{name.replace('_', ' ')} {value}"


def rules_note(rules: ScoringRules | None, base: ScoringRules = DEFAULT_RULES) -> str | None:
    """A sentence saying how ``rules`` differ from ``base`` (the portfolio's rules; by default
    the published key); None when they do not.

    >>> rules_note(ScoringRules(amber_tolerance=0.10))
    'Scored with non-default rules: amber within 10% of target (the published key: 5%).'
    """
    if rules is None:
        return None
    changed = [n for n in _FIELDS if getattr(rules, n) != getattr(base, n)]
    if not changed:
        return None
    return (
        "Scored with non-default rules: "
        + "; ".join(_describe(name, getattr(rules, name), base) for name in changed)
        + "."
    )


def mark_rules(
    card: pd.DataFrame, rules: ScoringRules | None, base: ScoringRules = DEFAULT_RULES
) -> pd.DataFrame:
    """``card`` with a ``scoring_rules`` column holding :func:`rules_note` when the rules are
    not the defaults; ``card`` unchanged (no column) for the defaults."""
    text = rules_note(rules, base)
    if text is None:
        return card
    return card.assign(**{RULES_COLUMN: [text] * len(card)})
