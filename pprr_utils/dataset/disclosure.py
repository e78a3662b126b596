"""Statistical disclosure control for the public edition: small counts of children become ``[c]``.

``public_dataset(ds)`` returns a copy of the dataset in which every figure that shows, or lets
a reader work out, a count of 1 to 5 children is suppressed: its ``value`` and ``count`` are
emptied and its ``note`` becomes ``suppressed [c]`` (so the scorer rates nothing from it and
says why). The rules, each with a real example, are in ``docs/disclosure.md``:

1. ``count``      a count of ``low``-``high`` children (the bracketed number, or the figure of a
                  measure counted in children) and the percentage or rate made from it;
2. ``complement`` a percentage from which a count of ``low``-``high`` can be worked out: from its
                  own count (the count may be the numerator or the cohort) or from the cohort
                  printed by a ``cohorts`` measure or by a sibling in one of ``groups``;
3. ``rate``       a rate printed without its count whose count is, given the population the
                  series (or, failing that, the whole dataset) implies, ``low``-``high``;
4. ``secondary``  a part of a ``partitions`` set (percentages that add up to 100) when it is the
                  only other part hiding a suppressed one;
5. ``lineage``    the same figure under another code of the measure's ``series``.

Which measures are related (``cohorts``, ``groups``, ``partitions``) is data: the dataset's
``measure_groups`` table, unless ``DisclosureRules`` names them. The rules run to a fixed point,
so applying them to a public dataset finds nothing more.
Only measures whose ``subject`` is ``children`` are touched; the internal edition is the
dataset as loaded.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import pandas as pd

from .derivation import (
    DEFAULT_RULES,
    DisclosureRules,
    Found,
    Key,
    _fmt,
    _half_unit,
    _meet,
    _per,
    _whole,
    cohorts_of,
    is_suppressed,
    percent_derivable,
    percent_of_cohort,
    relations,
)
from .formats import is_missing as _missing

if TYPE_CHECKING:
    from .load import Dataset

# --------------------------------------------------------------------------- the rules


@dataclass
class _View:
    """The values of children's measures and what is suppressed so far."""

    values: pd.DataFrame  # values columns plus unit and series
    suppressed: Found
    rules: DisclosureRules

    def shown(self) -> pd.DataFrame:
        keys = zip(self.values["code"], self.values["period"], self.values["kind"], strict=True)
        mask = pd.Series([k not in self.suppressed for k in keys], index=self.values.index)
        return self.values[mask.astype(bool)]


def _prepare(ds: Dataset, subject: str = "children") -> pd.DataFrame:
    """The values rows of measures of ``subject`` (the rules' subject: children by default),
    with their unit and series."""
    values = ds.tables["values"]
    measures = ds.tables["measures"]
    if "subject" not in measures:
        return values.iloc[0:0].assign(unit=None, series=None)
    who = subject
    subject = measures["subject"].map(lambda s: "" if _missing(s) else str(s).strip().lower())
    info = measures[subject == who.strip().lower()].drop_duplicates("code").set_index("code")
    v = values[values["code"].isin(info.index)].copy()
    v["unit"] = v["code"].map(info["unit"]) if "unit" in info else None
    series = v["code"].map(info["series"]) if "series" in info else v["code"]
    v["series"] = [c if _missing(s) else s for c, s in zip(v["code"], series, strict=True)]
    return v


def _already(v: pd.DataFrame, rules: DisclosureRules) -> Found:
    return {
        (r.code, r.period, r.kind): ("input", "already suppressed")
        for r in v.itertuples(index=False)
        if is_suppressed(r.note, rules)
    }


def _rule_count(view: _View) -> Found:
    rules, out = view.rules, {}
    for r in view.shown().itertuples(index=False):
        key = (r.code, r.period, r.kind)
        if not _missing(r.count) and rules.small(r.count):
            out[key] = ("count", f"count {_fmt(r.count)}")
        elif r.unit in ("count", "number") and rules.small(r.value):
            out[key] = ("count", f"the figure {_fmt(r.value)} is a count of {rules.subject}")
    return out


def _cohort_counts(
    view: _View,
) -> tuple[dict[tuple[str, str, str], set[int]], dict[tuple[str, str, str], set[int]]]:
    """Cohorts known for a percentage (series, period, kind) from related measures.

    First: printed by a ``cohorts`` measure (certain). Second: consistent with a sibling's
    percentage and count in one of ``groups`` (candidates; used for siblings without a count).
    """
    shown = view.shown()
    printed: dict[tuple[str, str, str], set[int]] = {}
    for cohort_series, parts in view.rules.cohorts:
        rows = shown[(shown["series"] == cohort_series) & shown["unit"].isin(["count", "number"])]
        for r in rows.itertuples(index=False):
            if _whole(r.value) and r.value > 0:
                for part in parts:
                    printed.setdefault((part, r.period, r.kind), set()).add(round(r.value))
    siblings: dict[tuple[str, str, str], set[int]] = {}
    for group in view.rules.groups:
        rows = shown[shown["series"].isin(group) & (shown["unit"] == "percent")]
        for (period, kind), g in rows.groupby(["period", "kind"]):
            found: set[int] = set()
            for r in g.itertuples(index=False):
                if not _missing(r.value) and not _missing(r.count):
                    found |= cohorts_of(r.value, r.count)
            for s in group if found else ():
                siblings.setdefault((s, period, kind), set()).update(found)
    return printed, siblings


def _consistent(value: float, cohort: int) -> bool:
    """True when some whole k out of ``cohort`` rounds to ``value`` percent."""
    v, h = float(value), _half_unit(value)
    k_lo = max(math.ceil((v - h) * cohort / 100 - 1e-9), 0)
    return k_lo <= min(math.floor((v + h) * cohort / 100 + 1e-9), cohort)


def _rule_complement(view: _View) -> Found:
    rules, out = view.rules, {}
    printed, siblings = _cohort_counts(view)
    for r in view.shown().itertuples(index=False):
        if r.unit != "percent" or _missing(r.value):
            continue
        at = (r.series, r.period, r.kind)
        why = None if _missing(r.count) else percent_derivable(r.value, r.count, rules)
        for n in sorted(printed.get(at, ())):
            if not why:
                why = percent_of_cohort(r.value, n, rules)
                why = why and f"{why} (the cohort {n} is printed by a related measure)"
        if _missing(r.count):
            for n in sorted(siblings.get(at, ())):
                if not why and _consistent(r.value, n):
                    why = percent_of_cohort(r.value, n, rules)
                    why = why and f"{why} (the cohort {n} follows from a sibling measure)"
        if why:
            out[(r.code, r.period, r.kind)] = ("complement", why)
    return out


def _populations(shown: pd.DataFrame) -> tuple[dict[str, tuple[float, float]], float]:
    """Per series, the population range its (rate, count) pairs imply; and the largest of all."""
    ranges: dict[str, tuple[float, float]] = {}
    largest = 0.0
    for r in shown.itertuples(index=False):
        per = _per(r.unit)
        if per is None or _missing(r.value) or _missing(r.count) or r.value <= 0 or r.count <= 0:
            continue
        h = _half_unit(r.value)
        lo = r.count * per / (r.value + h)
        hi = r.count * per / (r.value - h) if r.value - h > 0 else math.inf
        a, b = ranges.get(r.series, (math.inf, 0.0))
        ranges[r.series] = (min(a, lo), max(b, hi))
        if math.isfinite(hi):
            largest = max(largest, hi)
    return ranges, largest


def _rule_rate(view: _View) -> Found:
    rules, out = view.rules, {}
    if not rules.rates:
        return out
    shown = view.shown()
    ranges, largest = _populations(shown)
    for r in shown.itertuples(index=False):
        per = _per(r.unit)
        if per is None or _missing(r.value) or not _missing(r.count) or r.value <= 0:
            continue
        h = _half_unit(r.value)
        key = (r.code, r.period, r.kind)
        if r.series in ranges:
            p_lo, p_hi = ranges[r.series]
            hit = _meet(max(r.value - h, 0.0) * p_lo / per, (r.value + h) * p_hi / per, rules)
            if hit is not None:
                out[key] = (
                    "rate",
                    f"{_fmt(r.value)} per {_fmt(per)} of the population its series implies "
                    f"({_fmt(round(p_lo))} to {_fmt(round(p_hi))}) could be {hit}",
                )
        elif largest > 0:
            hi = (r.value + h) * largest / per
            if math.floor(hi + 1e-9) <= rules.high and _meet(1, hi, rules) is not None:
                out[key] = (
                    "rate",
                    f"{_fmt(r.value)} per {_fmt(per)} is at most {_fmt(round(hi, 1))} even of the "
                    f"largest population in the data ({_fmt(round(largest))})",
                )
    return out


def _rule_secondary(view: _View) -> Found:
    out: Found = {}
    v = view.values
    for part in view.rules.partitions:
        rows = v[v["series"].isin(part) & (v["unit"] == "percent")]
        for (period, _kind), g in rows.groupby(["period", "kind"]):
            keys = list(zip(g["code"], g["period"], g["kind"], strict=True))
            hidden = [k for k in keys if k in view.suppressed]
            if len(hidden) != 1 or g["series"].nunique() != len(part):
                continue
            rest = g[pd.Series([k not in view.suppressed for k in keys], index=g.index)]
            if rest.empty or rest["value"].isna().any():
                continue
            smallest = rest.sort_values("value", kind="stable").iloc[0]
            out[(smallest["code"], smallest["period"], smallest["kind"])] = (
                "secondary",
                f"100% less the other parts would reveal the suppressed {hidden[0][0]} {period}",
            )
    return out


def _rule_lineage(view: _View) -> Found:
    series_of = dict(zip(view.values["code"], view.values["series"], strict=True))
    hidden = {(series_of[c], p, k) for (c, p, k) in view.suppressed if c in series_of}
    out: Found = {}
    for r in view.shown().itertuples(index=False):
        if (r.series, r.period, r.kind) in hidden:
            out[(r.code, r.period, r.kind)] = (
                "lineage",
                f"the same figure is suppressed under another code of series {r.series}",
            )
    return out


_RULES = (_rule_count, _rule_complement, _rule_rate, _rule_secondary, _rule_lineage)


# --------------------------------------------------------------------------- public API


def suppressions(ds: Dataset, rules: DisclosureRules = DEFAULT_RULES) -> pd.DataFrame:
    """Every values row the public edition suppresses: code, period, kind, rule, reason.

    The rules are applied again to the result until nothing more is found. For analysts only:
    the reasons show the counts worked out, so never publish this table.
    """
    rules = relations(ds, rules)
    v = _prepare(ds, rules.subject)
    view = _View(v, _already(v, rules), rules)
    while True:
        found: Found = {}
        for rule in _RULES:
            for key, why in rule(view).items():
                if key not in view.suppressed and key not in found:
                    found[key] = why
        if not found:
            break
        view = replace(view, suppressed={**view.suppressed, **found})
    rows = [
        {"code": c, "period": p, "kind": k, "rule": rule, "reason": why}
        for (c, p, k), (rule, why) in view.suppressed.items()
    ]
    return pd.DataFrame(rows, columns=["code", "period", "kind", "rule", "reason"], dtype=object)


def suppress(
    values: pd.DataFrame, keys: Iterable[Key], rules: DisclosureRules = DEFAULT_RULES
) -> pd.DataFrame:
    """A copy of ``values`` with ``value`` and ``count`` emptied and the note set for ``keys``."""
    wanted = set(keys)
    out = values.copy()
    mask = pd.Series(
        [k in wanted for k in zip(out["code"], out["period"], out["kind"], strict=True)],
        index=out.index,
        dtype=bool,
    )
    out.loc[mask, "value"] = math.nan
    out.loc[mask, "count"] = math.nan
    out["note"] = out["note"].astype(object)
    out.loc[mask, "note"] = rules.note
    return out


def rules_for(ds: Any) -> DisclosureRules:
    """The portfolio's disclosure thresholds and symbol (``portfolio.yml`` ``disclosure``);
    the defaults for a dataset without settings."""
    p = getattr(ds, "portfolio", None)
    if p is None:
        return DEFAULT_RULES
    return replace(
        DEFAULT_RULES,
        low=p.disclosure_low,
        high=p.disclosure_high,
        symbol=p.disclosure_symbol,
        subject=p.disclosure_subject,
    )


def public_dataset(ds: Dataset, rules: DisclosureRules | None = None) -> Dataset:
    """A copy of ``ds`` with disclosure control applied to ``values`` (the input is unchanged).
    ``rules``: default the portfolio's (``rules_for``)."""
    from .load import Dataset as _Dataset

    rules = rules if rules is not None else rules_for(ds)

    tables = {name: frame.copy() for name, frame in ds.tables.items()}
    if "values" in tables and "measures" in tables:
        found = suppressions(ds, rules)
        keys = zip(found["code"], found["period"], found["kind"], strict=True)
        tables["values"] = suppress(tables["values"], keys, rules)
    out = _Dataset(
        tables, ds.location, list(getattr(ds, "notes", []) or []), getattr(ds, "portfolio", None)
    )
    out.disclosure_rules = rules  # type: ignore[attr-defined]
    return out


def rules_of(ds: Any) -> DisclosureRules | None:
    """The rules a public dataset was made with (None for the internal edition)."""
    found = getattr(ds, "__dict__", {}).get("disclosure_rules")
    return found if isinstance(found, DisclosureRules) else None


def legend(rules: DisclosureRules = DEFAULT_RULES) -> str:
    """The legend of the symbols the public edition uses, as plain text."""
    span = f"{rules.low} to {rules.high}" if rules.low != rules.high else f"{rules.low}"
    return (
        f"{rules.symbol} confidential: the figure is suppressed to protect {rules.whose} "
        f"privacy, because it is a count of {span} {rules.subject} or would let a reader work one out (from a "
        "percentage and its cohort, a rate, or other figures in the report). Suppressed "
        "figures are not rated, not used for the direction of travel and not charted."
    )
