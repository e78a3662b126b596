"""What a printed figure lets a reader work out, for disclosure control (``disclosure``).

The settings (``DisclosureRules``: which counts are small, which measures are related) and
the arithmetic the rules use: whether a percentage and its count or cohort give away a small
count (``percent_derivable``, ``percent_of_cohort``, ``cohorts_of``), the rounding a printed
figure carries, and a rate's "per".
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from .formats import is_missing as _missing

if TYPE_CHECKING:
    from .load import Dataset

Key = tuple[str, str, str]  # (code, period, kind): the key of a values row
Found = dict[Key, tuple[str, str]]  # key -> (rule, reason)

Cohorts = tuple[tuple[str, tuple[str, ...]], ...]  # (cohort series, (part series, ...))
Sets = tuple[tuple[str, ...], ...]  # sets of series


@dataclass(frozen=True)
class DisclosureRules:
    """The settings: counts ``low``-``high`` of children are suppressed and shown as ``symbol``.

    ``low=0`` also treats zeros (and 0% / 100%, whose complement is zero) as disclosive.
    ``cohorts``, ``groups`` and ``partitions`` name the measures (by series) that are related:
    ``cohorts`` as (cohort series, (part series, ...)), a count measure whose figure is the
    denominator of percentage measures; ``groups``, percentages of one cohort printed side by
    side; ``partitions``, percentages that split one cohort and add up to 100. ``None`` (the
    default) takes them from the dataset's ``measure_groups`` table (``relations``); a tuple
    overrides the table.
    """

    low: int = 1
    high: int = 5
    symbol: str = "[c]"
    #: the ``subject`` (``measures.csv``) of the measures whose small counts are suppressed,
    #: and the word the notices use for them: children, adults, people
    subject: str = "children"
    cohorts: Cohorts | None = None
    groups: Sets | None = None
    partitions: Sets | None = None
    rates: bool = True  # rule 3: check rates printed without their count

    def __post_init__(self) -> None:
        if not 0 <= self.low <= self.high:
            raise ValueError(f"low={self.low}, high={self.high}: expected 0 <= low <= high")
        if not self.symbol.strip():
            raise ValueError("symbol: expected a non-empty marker such as [c]")
        if not self.subject.strip():
            raise ValueError("subject: expected a measure subject such as children")

    @property
    def whose(self) -> str:
        """The subject as a possessive: children's, adults', people's."""
        return f"{self.subject}'" if self.subject.endswith("s") else f"{self.subject}'s"

    @property
    def note(self) -> str:
        """The ``note`` a suppressed row carries (the scorer shows it as the reason)."""
        return f"suppressed {self.symbol}"

    def small(self, n: float) -> bool:
        """True when ``n`` is a whole number of children from ``low`` to ``high``."""
        return _whole(n) and self.low <= round(float(n)) <= self.high


DEFAULT_RULES = DisclosureRules()


# --------------------------------------------------------------------------- helpers


def _whole(x: object) -> bool:
    return not _missing(x) and abs(float(x) - round(float(x))) < 1e-9  # type: ignore[arg-type]


def _half_unit(value: float) -> float:
    """Half a unit of the last decimal the figure is printed to (its rounding error)."""
    text = f"{abs(float(value)):.10f}".rstrip("0").rstrip(".")
    decimals = len(text.split(".")[1]) if "." in text else 0
    return 0.5 * 10.0**-decimals + 1e-9


def _per(unit: object) -> float | None:
    """1000 for 'rate per 1,000', etc.; None for other units."""
    text = "" if _missing(unit) else str(unit)
    if not text.startswith("rate per"):
        return None
    try:
        return float(text.removeprefix("rate per").replace(",", "").strip())
    except ValueError:
        return None


def _meet(lo: float, hi: float, rules: DisclosureRules) -> int | None:
    """The smallest whole number in [lo, hi] that is also in [low, high], else None."""
    if not (math.isfinite(lo) or lo < 0):
        return None
    a = max(math.ceil(lo - 1e-9), rules.low)
    b = rules.high if math.isinf(hi) else min(math.floor(hi + 1e-9), rules.high)
    return a if a <= b else None


def _fmt(x: float) -> str:
    return f"{float(x):,.10f}".rstrip("0").rstrip(".")


def is_suppressed(note: object, rules: DisclosureRules = DEFAULT_RULES) -> bool:
    """True when a values ``note`` marks the row as suppressed."""
    return not _missing(note) and str(note).strip() == rules.note


def relations(ds: Dataset, rules: DisclosureRules = DEFAULT_RULES) -> DisclosureRules:
    """``rules`` with any unset ``cohorts``, ``groups``, ``partitions`` from ``measure_groups``.

    The table names measures by code; the rules relate series, so each code stands for its
    series (a relation stated for CFSE.53 holds for CFE.53). Kinds: ``cohort`` (its ``total``
    row is the cohort measure, its ``part`` rows the percentages of it), ``siblings``
    (``groups``) and ``partition`` (``partitions``).
    """
    if rules.cohorts is not None and rules.groups is not None and rules.partitions is not None:
        return rules
    table = ds.tables.get("measure_groups")
    measures = ds.tables.get("measures")
    series_of: dict[str, str] = {}
    if measures is not None and "series" in measures:
        for code, series in zip(measures["code"], measures["series"], strict=True):
            series_of.setdefault(code, code if _missing(series) else series)
    cohorts: list[tuple[str, tuple[str, ...]]] = []
    sets: dict[str, list[tuple[str, ...]]] = {"siblings": [], "partition": []}
    if table is not None and len(table):
        for _, g in table.groupby("group", sort=False):
            kind = g["kind"].iloc[0]
            totals = _series(g.loc[g["role"] == "total", "code"], series_of)
            parts = _series(g.loc[g["role"] != "total", "code"], series_of)
            if kind == "cohort":
                cohorts += [(t, parts) for t in totals]
            elif kind in sets:
                sets[kind].append(parts)
    return replace(
        rules,
        cohorts=tuple(cohorts) if rules.cohorts is None else rules.cohorts,
        groups=tuple(sets["siblings"]) if rules.groups is None else rules.groups,
        partitions=tuple(sets["partition"]) if rules.partitions is None else rules.partitions,
    )


def _series(codes: Iterable[str], series_of: dict[str, str]) -> tuple[str, ...]:
    """The series of ``codes``, in order, each once."""
    return tuple(dict.fromkeys(series_of.get(c, c) for c in codes))


# --------------------------------------------------------------------------- derivations


def percent_derivable(
    value: float, count: float, rules: DisclosureRules = DEFAULT_RULES
) -> str | None:
    """Why ``value``% (``count``) lets a reader work out a small count, or None.

    The count may be the numerator (then the cohort N is any whole number with
    ``100 * count / N`` rounding to ``value``, and N - count is derivable) or the cohort (then
    the numerator k is any whole number with ``100 * k / count`` rounding to ``value``, and k
    and count - k are derivable). Only readings consistent with the printed rounding count.
    """
    v, h = float(value), _half_unit(value)
    if not _whole(count) or float(count) < 0 or v < 0:
        return None
    n = round(float(count))
    # the count is the numerator: N in [100n/(v+h), 100n/(v-h)], N >= n
    if n > 0 and v > 0:
        n_lo = max(math.ceil(100 * n / (v + h) - 1e-9), n)
        n_hi = math.floor(100 * n / (v - h) + 1e-9) if v - h > 0 else math.inf
        if n_lo <= n_hi:
            hit = _meet(n_lo - n, n_hi - n, rules)
            if hit is not None:
                return f"{_fmt(v)}% ({n}) is {n} of {n + hit}, which leaves {hit}"
    # the count is the cohort: k in [(v-h)n/100, (v+h)n/100], 0 <= k <= n
    if n > 0:
        k_lo = max(math.ceil((v - h) * n / 100 - 1e-9), 0)
        k_hi = min(math.floor((v + h) * n / 100 + 1e-9), n)
        if k_lo <= k_hi:
            hit = _meet(k_lo, k_hi, rules)
            if hit is not None:
                return f"{_fmt(v)}% of a cohort of {n} is {hit}"
            hit = _meet(n - k_hi, n - k_lo, rules)
            if hit is not None:
                return f"{_fmt(v)}% of a cohort of {n} is {n - hit}, which leaves {hit}"
    return None


def percent_of_cohort(
    value: float, cohort: int, rules: DisclosureRules = DEFAULT_RULES
) -> str | None:
    """Why ``value``% of a known ``cohort`` gives away a small count (k or cohort - k), or None.

    When no whole k rounds to ``value`` (a misprint), the nearest whole numbers are used.
    """
    v, n, h = float(value), int(cohort), _half_unit(value)
    if n <= 0 or v < 0:
        return None
    k_lo = max(math.ceil((v - h) * n / 100 - 1e-9), 0)
    k_hi = min(math.floor((v + h) * n / 100 + 1e-9), n)
    if k_lo > k_hi:  # inconsistent with the cohort: a reader would take the nearest
        k_lo = min(max(math.floor(v * n / 100), 0), n)
        k_hi = min(max(math.ceil(v * n / 100), 0), n)
    hit = _meet(k_lo, k_hi, rules)
    if hit is not None:
        return f"{_fmt(v)}% of the cohort of {n} is {hit}"
    hit = _meet(n - k_hi, n - k_lo, rules)
    if hit is not None:
        return f"{_fmt(v)}% of the cohort of {n} is {n - hit}, which leaves {hit}"
    return None


def cohorts_of(value: float, count: float, *, limit: int = 25) -> set[int]:
    """The whole-number cohorts a percentage and its count are consistent with (few only)."""
    v, h = float(value), _half_unit(value)
    if not _whole(count) or v < 0:
        return set()
    n = round(float(count))
    out: set[int] = set()
    if n > 0 and v - h > 0:
        lo = max(math.ceil(100 * n / (v + h) - 1e-9), n)
        hi = math.floor(100 * n / (v - h) + 1e-9)
        if lo <= hi and hi - lo < limit:
            out.update(range(lo, hi + 1))
    if n > 0:
        k_lo = max(math.ceil((v - h) * n / 100 - 1e-9), 0)
        k_hi = min(math.floor((v + h) * n / 100 + 1e-9), n)
        if k_lo <= k_hi:
            out.add(n)
    return out
