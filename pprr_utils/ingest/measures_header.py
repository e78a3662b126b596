"""The header of a measures table: what each column holds (code, name, frequency, polarity,
an actual, in-year or forecast figure, a target, status or trend) and for which period.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..dataset.errors import DataError, Problem
from ..dataset.periods import Period, parse_period
from .measures_raw import RawTable, finding

_YEAR = re.compile(r"^(\d{3,4})/(\d{2})$")


@dataclass
class HeaderColumn:
    """A column of the table: its index, its role and (for figures) the period it is for."""

    index: int
    role: str  # code|name|frequency|polarity|actual|inyear|forecast|target|status|trend
    period: str | None = None
    label: str = ""


def parse_header(rt: RawTable, findings: list[dict]) -> tuple[list[HeaderColumn], int]:
    """The table's columns and the index of its first line after the header.

    The header is the row starting 'PI Code' and, when the next line starts with a tab and
    names Actual, Target or a quarter, that line too. A year printed wrongly is read from the
    next actual column (the years run consecutively) and recorded in ``findings``.
    """
    idx = next((i for i, (_, ln) in enumerate(rt.lines) if ln.startswith("PI Code")), None)
    if idx is None:
        raise DataError(
            Problem(rt.path, None, None, "no header row", "expected a row starting 'PI Code'")
        )
    n, head = rt.lines[idx]
    top = [c.strip() for c in head.split("\t")]
    sub: list[str] = []
    has_sub = False
    if idx + 1 < len(rt.lines):
        nxt = rt.lines[idx + 1][1]
        if nxt.startswith("\t") and re.search(r"Actual|Target|Q[1-4]", nxt):
            sub = [c.strip() for c in nxt.split("\t")]
            has_sub = True
    width = max(len(top), len(sub))
    top += [""] * (width - len(top))
    sub += [""] * (width - len(sub))
    labels = [" ".join(x for x in (a, b) if x) for a, b in zip(top, sub, strict=True)]
    cols: list[HeaderColumn] = []
    group: Period | None = None
    years: list[tuple[int, Period | None, str]] = []
    for i, lab in enumerate(labels):
        low = lab.lower()
        if i == 0:
            cols.append(HeaderColumn(i, "code", label=lab))
        elif low in ("pi name", "short name"):
            cols.append(HeaderColumn(i, "name", label=lab))
        elif low == "reported":
            cols.append(HeaderColumn(i, "frequency", label=lab))
        elif low.startswith("good perf"):
            cols.append(HeaderColumn(i, "polarity", label=lab))
        elif low in ("status", "trend"):
            cols.append(HeaderColumn(i, low, label=lab))
        elif lab:
            m = re.match(r"^(\S+)\s*(Actual|Target|Q([1-4])(?: Forecast)?)?$", lab)
            ystr = m.group(1) if m else ""
            rest = (m.group(2) or "") if m else lab
            period: Period | None = None
            if _YEAR.match(ystr):
                try:
                    period = parse_period(ystr)
                except ValueError:
                    period = None
            elif ystr in ("Target", "Q2") or ystr.startswith("Q"):
                rest, ystr = lab, ""
            if ystr and period is None:
                years.append((i, None, lab))
            if period is not None:
                group = period
            if rest.startswith("Actual"):
                cols.append(HeaderColumn(i, "actual", period.label if period else None, lab))
                if period is not None:
                    years.append((i, period, lab))
            elif rest.startswith("Target"):
                p = period or group
                cols.append(HeaderColumn(i, "target", p.label if p else None, lab))
            elif rest.startswith("Q"):
                q = int(re.search(r"Q([1-4])", rest).group(1))
                p = period or group
                role = "forecast" if "Forecast" in rest else "inyear"
                cols.append(HeaderColumn(i, role, Period(p.start, q).label if p else None, lab))
            else:
                raise DataError(
                    Problem(
                        rt.path,
                        n,
                        lab,
                        f"header {lab!r}",
                        "expected PI Code, a name, "
                        "Reported, Good Performance, '<year> Actual', 'Q<n>', Target, Status or Trend",
                    )
                )
    # Misprinted years: infer from the next actual column (years run consecutively).
    for c in cols:
        if c.role == "actual" and c.period is None:
            after = [x for x in cols if x.role == "actual" and x.period and x.index > c.index]
            if not after:
                raise DataError(
                    Problem(
                        rt.path,
                        n,
                        c.label,
                        f"header {c.label!r}",
                        "expected a year such as 2021/22",
                    )
                )
            nxt = parse_period(after[0].period)
            c.period = nxt.shift(c.index - after[0].index).label
            findings.append(
                finding(
                    "header-year",
                    rt,
                    n,
                    f"Column header printed '{c.label}'",
                    f"Read as {c.period} Actual: the actual columns run in consecutive years.",
                )
            )
    return cols, idx + (2 if has_sub else 1)
