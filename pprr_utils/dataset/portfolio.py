"""The portfolio as data: who reports, what the pages are called, and the portfolio's rules.

Every council and portfolio differ in name, comparator areas, headline-measure flag, scoring
tolerances and disclosure thresholds. They live in the data folder's ``portfolio.yml`` (in
a workbook: a ``portfolio`` sheet of ``key``/``value`` rows, nested keys written with dots,
``scoring.amber_tolerance``), never in code. ``read_portfolio`` reads and checks it; every
problem names the file, the line (or sheet row), the key, what was found and what was
expected.

```yaml
council: Anytown Borough Council
portfolio: Adult Social Care
comparator_areas: [England, South West, Similar authorities]
headline_flag: {label: HL, meaning: A Council Plan headline measure}
scoring: {amber_tolerance: 0.05, stable_tolerance: 0.01}
disclosure: {low: 1, high: 5, symbol: "[c]", subject: adults}
```
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import DataError, Problem

FILE = "portfolio.yml"
SHEET = "portfolio"

#: key -> (kind, required, what is expected); nested keys are written with dots
KEYS: dict[str, tuple[str, bool, str]] = {
    "council": ("text", True, "the council's name, e.g. Anytown Borough Council"),
    "portfolio": ("text", True, "the portfolio's name, used in every page's title"),
    "contact": ("text", False, "who to contact about the report (an email or a team)"),
    "illustrative": ("bool", False, "true when the figures are synthetic (every page says so)"),
    "editions.internal": ("text", False, "the internal edition's label"),
    "editions.public": ("text", False, "the public edition's label"),
    "comparator_areas": ("list", False, "a list of the areas comparator figures are quoted for"),
    "headline_flag.label": ("text", False, "the short label of headline measures, e.g. HL"),
    "headline_flag.meaning": ("text", False, "what the headline flag means, for the key"),
    "scoring.amber_tolerance": ("fraction", False, "a fraction from 0 to 1, e.g. 0.05 for 5%"),
    "scoring.stable_tolerance": ("fraction", False, "a fraction from 0 to 1, e.g. 0.01 for 1%"),
    "disclosure.low": ("count", False, "a whole number of at least 0"),
    "disclosure.high": ("count", False, "a whole number of at least disclosure.low"),
    "disclosure.symbol": ("text", False, "the symbol shown for a suppressed figure, e.g. [c]"),
    "disclosure.subject": (
        "text",
        False,
        "the measures' subject (measures.csv) whose small counts are suppressed, e.g. children",
    ),
    "outcomes.title": ("text", False, "the outcomes framework's name (outcomes.csv's page)"),
    "outcomes.frameworks": ("list", False, "the frameworks whose reports show the outcomes page"),
}


@dataclass(frozen=True)
class HeadlineFlag:
    """The flag some measures carry (``headline_flag``): its label and its meaning."""

    label: str
    meaning: str


@dataclass(frozen=True)
class Portfolio:
    """A portfolio's settings (``portfolio.yml``)."""

    council: str
    portfolio: str
    contact: str | None = None
    illustrative: bool = False
    internal_edition: str = "Internal edition"
    public_edition: str = "Public edition"
    comparator_areas: tuple[str, ...] = ()
    headline_flag: HeadlineFlag | None = None
    amber_tolerance: float = 0.05
    stable_tolerance: float = 0.01
    disclosure_low: int = 1
    disclosure_high: int = 5
    disclosure_symbol: str = "[c]"
    disclosure_subject: str = "children"
    outcomes_title: str = "Outcomes framework"
    outcomes_frameworks: tuple[str, ...] = ()  # empty: every framework
    source: str = FILE
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


def _flatten(node: yaml.Node, prefix: str = "") -> dict[str, tuple[Any, int]]:
    """``{dotted.key: (python value, line)}`` from a composed YAML mapping node."""
    out: dict[str, tuple[Any, int]] = {}
    for key_node, value_node in node.value:
        key = f"{prefix}{key_node.value}"
        line = key_node.start_mark.line + 1
        if isinstance(value_node, yaml.MappingNode) and any(k.startswith(key + ".") for k in KEYS):
            out.update(_flatten(value_node, key + "."))
            continue
        out[key] = (yaml.safe_load(yaml.serialize(value_node)), line)
    return out


def _convert(key: str, value: Any, where: tuple[str, int | None], problems: list[Problem]) -> Any:
    kind, _, expected = KEYS[key]
    file, line = where

    def bad(found: str) -> None:
        problems.append(Problem(file, line, key, found, f"expected {expected}"))

    if value is None or (isinstance(value, str) and not value.strip()):
        bad("an empty value")
        return None
    if kind == "text":
        if isinstance(value, (dict, list)):
            bad(f"found {type(value).__name__} {value!r}")
            return None
        return str(value).strip()
    if kind == "bool":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("true", "yes", "1"):
            return True
        if text in ("false", "no", "0"):
            return False
        bad(f"found {value!r}")
        return None
    if kind == "list":
        items = value if isinstance(value, list) else str(value).split(";")
        names = [str(v).strip() for v in items if str(v).strip()]
        if not names:
            bad(f"found {value!r}")
            return None
        return tuple(names)
    try:
        number = float(str(value).strip().rstrip("%")) / (100 if str(value).endswith("%") else 1)
    except ValueError:
        bad(f"found {value!r}")
        return None
    if not math.isfinite(number):
        bad(f"found {value!r}")
        return None
    if kind == "fraction":
        if not 0 <= number <= 1:
            bad(f"found {value!r}")
            return None
        return number
    if number != int(number) or number < 0:
        bad(f"found {value!r}")
        return None
    return int(number)


def portfolio_from_items(
    items: dict[str, tuple[Any, int | None]], *, file: str = FILE
) -> Portfolio:
    """A ``Portfolio`` from ``{dotted key: (value, line or row)}``; DataError lists every problem."""
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    for key, (value, line) in items.items():
        if key not in KEYS:
            problems.append(
                Problem(
                    file,
                    line,
                    key,
                    f"unknown key {key!r}",
                    "expected one of: " + ", ".join(KEYS),
                )
            )
            continue
        values[key] = _convert(key, value, (file, line), problems)
    for key, (_, required, expected) in KEYS.items():
        if required and key not in items:
            problems.append(Problem(file, None, key, "key missing", f"expected {expected}"))
    low, high = values.get("disclosure.low"), values.get("disclosure.high")
    if low is not None and high is not None and low > high:
        problems.append(
            Problem(
                file,
                items["disclosure.high"][1],
                "disclosure.high",
                f"found {high}, below disclosure.low {low}",
                "expected disclosure.low <= disclosure.high",
            )
        )
    label, meaning = values.get("headline_flag.label"), values.get("headline_flag.meaning")
    if (label is None) != (meaning is None):
        missing = "headline_flag.meaning" if meaning is None else "headline_flag.label"
        problems.append(
            Problem(file, None, missing, "key missing", "expected both a label and a meaning")
        )
    if problems:
        raise DataError(problems, f"{file}: the portfolio's settings are not valid")
    settings = {
        "contact": values.get("contact"),
        "illustrative": values.get("illustrative"),
        "internal_edition": values.get("editions.internal"),
        "public_edition": values.get("editions.public"),
        "comparator_areas": values.get("comparator_areas"),
        "amber_tolerance": values.get("scoring.amber_tolerance"),
        "stable_tolerance": values.get("scoring.stable_tolerance"),
        "disclosure_low": low,
        "disclosure_high": high,
        "disclosure_symbol": values.get("disclosure.symbol"),
        "disclosure_subject": values.get("disclosure.subject"),
        "outcomes_title": values.get("outcomes.title"),
        "outcomes_frameworks": values.get("outcomes.frameworks"),
    }
    return Portfolio(
        council=values["council"],
        portfolio=values["portfolio"],
        headline_flag=HeadlineFlag(label, meaning) if label else None,
        source=file,
        **{k: v for k, v in settings.items() if v is not None},
    )


def read_portfolio_file(path: str | Path) -> Portfolio:
    """Read and check a ``portfolio.yml``."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(
            [Problem(path.name, None, None, "a file that is not UTF-8", "expected UTF-8 text")]
        ) from exc
    try:
        node = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = min(mark.line + 1, max(len(text.splitlines()), 1)) if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise DataError(
            [
                Problem(
                    path.name,
                    line,
                    None,
                    f"found invalid YAML ({problem})",
                    "expected key: value lines",
                )
            ]
        ) from exc
    if not isinstance(node, yaml.MappingNode):
        raise DataError(
            [
                Problem(
                    path.name,
                    1,
                    None,
                    "found no key: value lines",
                    "expected council: and portfolio: at least",
                )
            ]
        )
    return portfolio_from_items(_flatten(node), file=path.name)


def portfolio_from_sheet(frame: Any, *, file: str = f"{SHEET} sheet") -> Portfolio:
    """A ``Portfolio`` from a workbook's ``portfolio`` sheet: ``key``/``value`` columns."""
    cols = [str(c).strip().lower() for c in frame.columns]
    if cols[:2] != ["key", "value"]:
        raise DataError(
            [
                Problem(
                    file, 1, None, f"found columns {list(frame.columns)!r}", "expected key, value"
                )
            ]
        )
    items: dict[str, tuple[Any, int | None]] = {}
    for i, (key, value) in enumerate(zip(frame.iloc[:, 0], frame.iloc[:, 1], strict=True)):
        k = str(key).strip()
        if k:
            items[k] = (value, i + 2)
    return portfolio_from_items(items, file=file)


def read_portfolio(location: str | Path) -> Portfolio:
    """The settings of the dataset at ``location``: ``portfolio.yml`` in a folder, the
    ``portfolio`` sheet in a workbook. DataError (naming the file) when missing or invalid."""
    loc = Path(location)
    if loc.suffix.lower() in (".xlsx", ".xlsm"):
        import pandas as pd

        try:
            sheet = pd.read_excel(loc, sheet_name=SHEET, dtype=str, keep_default_na=False)
        except ValueError as exc:  # no such sheet
            raise DataError(
                [
                    Problem(
                        loc.name,
                        None,
                        None,
                        f"no sheet named {SHEET!r}",
                        "expected a portfolio sheet of key/value rows (council, portfolio, ...)",
                    )
                ]
            ) from exc
        return portfolio_from_sheet(sheet, file=f"{loc.name}[{SHEET}]")
    path = loc / FILE
    if not path.is_file():
        raise DataError(
            [
                Problem(
                    FILE,
                    None,
                    None,
                    "file missing",
                    "expected portfolio.yml with the council's and the portfolio's names "
                    "(council: ..., portfolio: ...; see data/README.md)",
                )
            ]
        )
    return read_portfolio_file(path)


def portfolio_rows(path: str | Path) -> list[tuple[str, str]]:
    """``portfolio.yml`` as the ``key``/``value`` rows of a workbook's portfolio sheet."""
    node = yaml.compose(Path(path).read_text(encoding="utf-8"))
    rows = []
    for key, (value, _) in _flatten(node).items():
        if isinstance(value, list):
            value = "; ".join(str(v) for v in value)
        elif isinstance(value, bool):
            value = "true" if value else "false"
        rows.append((key, "" if value is None else str(value)))
    return rows


def is_illustrative(dataset: Any) -> bool:
    """True when a dataset's figures are synthetic: its ``portfolio.yml`` says
    ``illustrative: true`` or, for a dataset made in code, its location says 'illustrative'.
    The pages, the committee PDF, ``scorecard.csv`` and the workbook all judge by this."""
    about = getattr(dataset, "portfolio", None)
    if about is not None and about.illustrative:
        return True
    return "illustrative" in str(getattr(dataset, "location", "")).lower()
