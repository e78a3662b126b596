"""Figures as text: the one place that decides how a number is shown.

``figure`` is a measure's figure in its unit: ``57.3%``, ``30.8 per 1,000``, ``2,547``
(``short=True`` drops the "per 1,000" where the unit is said elsewhere, e.g. a chart axis).
``money`` is a finance figure as the report prints it: ``44,395``, ``(2,681)``, ``2.652``.
"""

from __future__ import annotations

import math
import sys

#: decimals a finance figure is printed with, by unit (£000: whole thousands)
MONEY_DECIMALS = {"£000": 0, "£m": 3, "%": 2}


def _is_na(value: object) -> bool:
    """True for ``pd.NA`` (which exists only once pandas is imported: a value cannot be it
    before, so this module need not import pandas)."""
    pd = sys.modules.get("pandas")
    return pd is not None and value is pd.NA


def is_missing(value: object) -> bool:
    """True for None, NaN, ``pd.NA`` and anything else that is not a number's value."""
    if type(value) is float:  # the common case, answered without a conversion
        return value != value
    if value is None or _is_na(value):
        return True
    try:
        return math.isnan(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def is_blank(value: object) -> bool:
    """True for None, NaN, ``pd.NA`` and a string that is empty or only whitespace (a text
    cell with nothing in it); ``is_missing`` is the test for a number."""
    if isinstance(value, str):
        return not value.strip()
    return value is None or _is_na(value) or (isinstance(value, float) and math.isnan(value))


def number(value: float) -> str:
    """Up to two decimals, trailing zeros dropped, thousands separated: ``2,547``, ``0.07``."""
    text = f"{float(value):,.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def figure(value: object, unit: str | None = None, *, short: bool = False, blank: str = "") -> str:
    """A measure's figure in its unit: ``57.3%``, ``30.8 per 1,000`` (``30.8`` when
    ``short``), ``2,547``; ``blank`` for a missing value."""
    if is_missing(value):
        return blank
    text = number(float(value))  # type: ignore[arg-type]
    if unit == "percent":
        return f"{text}%"
    if unit and unit.startswith("rate per ") and not short:
        return f"{text} {unit.removeprefix('rate ')}"
    return text


def format_money(value: float, decimals: int = 0) -> str:
    """Format as the report does: thousands separated, negatives (surpluses) in brackets."""
    text = f"{abs(value):,.{decimals}f}"
    return f"({text})" if round(value, decimals) < 0 else text


def money(value: object, unit: str | None = "£000") -> str:
    """A finance figure as printed in ``unit`` (£000 whole, £m to 3 places, % to 2),
    thousands separated, negatives in brackets; '' for a missing value."""
    if is_missing(value):
        return ""
    return format_money(float(value), MONEY_DECIMALS.get(unit or "", 0))  # type: ignore[arg-type]
