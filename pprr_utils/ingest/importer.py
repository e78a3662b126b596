"""Import a measures table copied from a published report (tab-separated) into tidy rows.

A raw table file holds the table's lines exactly as published, after ``# key: value``
comment lines saying where it came from (``source``, ``lines``, ``framework``, ``priority``,
``section``, ``year_basis``, ``period``). ``import_table`` turns it into rows for
``measures``, ``values``, ``targets`` and ``commentary`` and a list of findings: every
misprint or inconsistency noticed, with how it was resolved.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..dataset.errors import DataError, Problem
from ..dataset.periods import Period, parse_period
from .parse import CellError, parse_cell, parse_target
from .raw import read_raw_file

_YEAR = re.compile(r"^(\d{3,4})/(\d{2})$")
_SECTION = re.compile(r"^(partnership|contextual|council) measures?\b", re.IGNORECASE)
_LABEL = re.compile(r"\(([ivx]+|[a-d])\)")
_ROMAN = ["i", "ii", "iii", "iv", "v", "vi"]
_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "june": 6, "jul": 7,
    "july": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip


@dataclass
class RawTable:
    """A published table: its metadata comments and its lines (numbered as in the file)."""

    path: str
    meta: dict[str, str]
    lines: list[tuple[int, str]]

    @property
    def source(self) -> str:
        return self.meta["source"]


@dataclass
class Imported:
    measures: list[dict] = field(default_factory=list)
    values: list[dict] = field(default_factory=list)
    targets: list[dict] = field(default_factory=list)
    commentary: list[dict] = field(default_factory=list)
    findings: list[dict] = field(default_factory=list)

    def extend(self, other: Imported) -> None:
        for name in ("measures", "values", "targets", "commentary", "findings"):
            getattr(self, name).extend(getattr(other, name))


@dataclass(frozen=True)
class Correction:
    framework: str
    printed_code: str
    name_starts: str
    field: str
    value: str
    reason: str

    def matches(self, framework: str, printed_code: str, name: str) -> bool:
        return (
            self.framework == framework
            and self.printed_code.strip() == printed_code.strip()
            and name.startswith(self.name_starts)
        )


def read_raw_table(path: str | Path) -> RawTable:
    """Read a raw table file: ``# key: value`` comments, then the published lines."""
    meta, lines = read_raw_file(
        path,
        required=("source", "framework", "priority", "year_basis", "period"),
        expected="expected comment lines "
        "naming source, framework, priority, year_basis and period before the table",
    )
    return RawTable(Path(path).name, meta, lines)


def normalise_code(printed: str) -> tuple[str, bool, list[str]]:
    """``CFSE. 64`` -> ``CFSE.64``; drops ``GMS``/``New measure`` markers; fixes ``CSFE``.

    Returns (code, gms flag, what was changed). An empty code means none was printed.
    """
    changes = []
    gms = bool(re.search(r"\bGMS\b", printed))
    s = re.sub(r"\band GMS indicator\b|\bGMS\b|\bNew measure\b", "", printed)
    if re.search(r"\S\s+\S", s.strip()):
        changes.append("spacing")
    s = re.sub(r"\s+", "", s)
    if s.startswith("CSFE."):
        s = "CFSE." + s[5:]
        changes.append("prefix")
    return s, gms, changes


def _cells(line: str) -> list[str]:
    cells = [c.strip() for c in line.split("\t")]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _clean_paragraphs(text: str) -> list[str]:
    parts = re.split(r"</p>\s*<p>", text)
    out = []
    for p in parts:
        p = re.sub(r"<[^>]+>", "", p)
        p = html.unescape(p).strip()
        if p:
            out.append(p)
    return out


@dataclass
class _Column:
    index: int
    role: str  # code|name|frequency|polarity|actual|inyear|forecast|target|status|trend
    period: str | None = None
    label: str = ""


def _parse_header(rt: RawTable, findings: list[dict]) -> tuple[list[_Column], int]:
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
    cols: list[_Column] = []
    group: Period | None = None
    years: list[tuple[int, Period | None, str]] = []
    for i, lab in enumerate(labels):
        low = lab.lower()
        if i == 0:
            cols.append(_Column(i, "code", label=lab))
        elif low in ("pi name", "short name"):
            cols.append(_Column(i, "name", label=lab))
        elif low == "reported":
            cols.append(_Column(i, "frequency", label=lab))
        elif low.startswith("good perf"):
            cols.append(_Column(i, "polarity", label=lab))
        elif low in ("status", "trend"):
            cols.append(_Column(i, low, label=lab))
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
                cols.append(_Column(i, "actual", period.label if period else None, lab))
                if period is not None:
                    years.append((i, period, lab))
            elif rest.startswith("Target"):
                p = period or group
                cols.append(_Column(i, "target", p.label if p else None, lab))
            elif rest.startswith("Q"):
                q = int(re.search(r"Q([1-4])", rest).group(1))
                p = period or group
                role = "forecast" if "Forecast" in rest else "inyear"
                cols.append(_Column(i, role, Period(p.start, q).label if p else None, lab))
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
                _finding(
                    "header-year",
                    rt,
                    n,
                    f"Column header printed '{c.label}'",
                    f"Read as {c.period} Actual: the actual columns run in consecutive years.",
                )
            )
    return cols, idx + (2 if has_sub else 1)


def _finding(check: str, rt: RawTable, line: int | None, issue: str, resolution: str) -> dict:
    where = f"{rt.meta['source']} (data/raw/measures/{rt.path}" + (
        f" line {line})" if line else ")"
    )
    return {"check": check, "location": where, "issue": issue, "resolution": resolution}


def _infer_unit(name: str, hints: list[str | None]) -> str:
    """The unit most figures are printed in; failing a majority, the one the name states."""
    explicit = [h for h in hints if h]
    if explicit and len(explicit) * 2 > len(hints):
        return max(set(explicit), key=explicit.count)
    low = name.lower()
    for pat, unit in (
        (r"per 100,?000", "rate per 100,000"),
        (r"per 10,?000", "rate per 10,000"),
        (r"per 1,?000", "rate per 1,000"),
    ):
        if re.search(pat, low):
            return unit
    if "score" in low or "attainment 8" in low:
        return "score"
    if low.startswith(("percentage", "%")) or "percentage" in low:
        return "percent"
    if low.startswith("number"):
        return "count"
    return "number"


def _as_at_outside(as_at: str | None, period: str) -> bool:
    if not as_at:
        return False
    m = re.match(r"([A-Za-z]+)'(\d{2})$", as_at)
    if not m or m.group(1).lower() not in _MONTHS:
        return False
    month, year = _MONTHS[m.group(1).lower()], 2000 + int(m.group(2))
    p = parse_period(period)
    start, end = (p.start, 4), (p.start + 1, 3)
    return not (start <= (year, month) <= end)


def _split_composite(
    name: str, cells: dict[int, str]
) -> list[tuple[str, str, dict[int, str], list[str]]] | None:
    """A row printing several sub-measures '(i) ... (ii) ...' in one cell set, or None."""
    if not any(_LABEL.match(v or "") for v in cells.values()):
        return None
    parts = _LABEL.split(name)
    stem = parts[0].strip(" :-")
    stem = re.sub(r"\s*-\s*Number \(percentage\) of young people:?$", "", stem).strip(" :-")
    subs = [(parts[i], parts[i + 1].strip()) for i in range(1, len(parts) - 1, 2)]
    out = []
    for k, (label, subname) in enumerate(subs):
        sub_cells: dict[int, str] = {}
        notes: list[str] = []
        for ci, v in cells.items():
            if not _LABEL.match(v or ""):
                sub_cells[ci] = v
                continue
            pieces = _LABEL.split(v)
            pairs = [(pieces[j], pieces[j + 1].strip()) for j in range(1, len(pieces) - 1, 2)]
            if k < len(pairs):
                got, text = pairs[k]
                if got != label:
                    notes.append(f"'({got})' printed for '({label})' in '{v}'")
                sub_cells[ci] = text
        out.append((label, f"{stem}: ({label}) {subname}", sub_cells, notes))
    return out


def import_table(
    rt: RawTable,
    *,
    corrections: list[Correction] = (),
    new_codes: dict[tuple[str, int], int] | None = None,
) -> Imported:
    """Turn one raw published table into tidy rows plus findings."""
    out = Imported()
    meta = rt.meta
    framework, priority = meta["framework"], int(meta["priority"])
    period, basis = meta["period"], meta["year_basis"]
    source = f"{meta['source']}"
    new_codes = new_codes if new_codes is not None else {}
    cols, start = _parse_header(rt, out.findings)
    by_role = {c.role: c for c in cols if c.role in ("code", "name", "frequency", "polarity")}
    category: str | None = None
    for _, line in rt.lines[:start]:
        head = line.split("\t")[0].strip()
        if _SECTION.match(head):
            category = _SECTION.match(head).group(1).lower()
    gms_next = False
    since_comment: list[str] = []
    uncategorised: list[str] = []
    seq: dict[str, int] = {}
    for n, line in rt.lines[start:]:
        cells = _cells(line)
        nonempty = [c for c in cells if c]
        if not nonempty:
            continue
        if len(nonempty) == 1 and cells[0] and _SECTION.match(cells[0]):
            category = _SECTION.match(cells[0]).group(1).lower()
            continue
        if len(nonempty) == 1 and cells[0] == "GMS":
            gms_next = True
            out.findings.append(
                _finding(
                    "gms-row",
                    rt,
                    n,
                    "A row printed only 'GMS' (the bold that marks "
                    "GMS measures was lost in the copy)",
                    "The measure on the next row is flagged as a GMS measure.",
                )
            )
            continue
        if len(nonempty) == 1:
            # a paragraph: commentary on the measures since the last paragraph
            for text in _clean_paragraphs(nonempty[0]):
                for code in since_comment:
                    seq[code] = seq.get(code, 0) + 1
                    out.commentary.append(
                        {
                            "period": period,
                            "code": code,
                            "seq": seq[code],
                            "text": text,
                            "source": source,
                        }
                    )
            if since_comment:
                since_comment = []
            continue
        printed = cells[0] if cells else ""
        name = cells[by_role["name"].index] if len(cells) > by_role["name"].index else ""
        code, gms, changes = normalise_code(printed)
        gms = gms or gms_next
        gms_next = False
        if "spacing" in changes:
            out.findings.append(
                _finding(
                    "code-spacing",
                    rt,
                    n,
                    f"PI code printed '{printed}'",
                    f"Normalised to {code}; printed form kept in printed_code.",
                )
            )
        if "prefix" in changes:
            out.findings.append(
                _finding(
                    "code-prefix",
                    rt,
                    n,
                    f"PI code printed '{printed}' (CSFE for CFSE)",
                    f"Normalised to {code}; printed form kept in printed_code.",
                )
            )
        row_fixes = [c for c in corrections if c.matches(framework, printed, name)]
        for c in row_fixes:
            if c.field == "code":
                out.findings.append(
                    _finding(
                        "duplicate-code",
                        rt,
                        n,
                        f"PI code {code} printed for '{name}'",
                        f"Coded {c.value}: {c.reason}",
                    )
                )
                code = c.value
        if not code:
            key = (framework, priority)
            new_codes[key] = new_codes.get(key, 0) + 1
            code = f"NEW-{framework.replace('/', '-')}-{priority}-{new_codes[key]:02d}"
            if not re.search(r"New measure", printed):
                out.findings.append(
                    _finding(
                        "no-code",
                        rt,
                        n,
                        f"'{name}' is printed without a PI code",
                        f"Given the stable code {code} (the rule for new measures).",
                    )
                )
        freq_cell = (
            cells[by_role["frequency"].index]
            if "frequency" in by_role and len(cells) > by_role["frequency"].index
            else ""
        )
        pol_cell = (
            cells[by_role["polarity"].index] if len(cells) > by_role["polarity"].index else ""
        )
        data_cells = {
            c.index: (cells[c.index] if c.index < len(cells) else "")
            for c in cols
            if c.role in ("actual", "inyear", "forecast", "target", "status", "trend")
        }
        subs = _split_composite(name, data_cells)
        entries = (
            [(code, name, data_cells, [])]
            if subs is None
            else [(f"{code}({label})", subname, sc, notes) for label, subname, sc, notes in subs]
        )
        if subs is not None:
            out.findings.append(
                _finding(
                    "composite-row",
                    rt,
                    n,
                    f"One row prints {len(subs)} measures ('{name[:60]}...')",
                    "Split into one measure per lettered part: "
                    + ", ".join(e[0] for e in entries)
                    + ".",
                )
            )
        for mcode, mname, dcells, notes in entries:
            for note in notes:
                out.findings.append(
                    _finding("label-misprint", rt, n, note, f"Read by position as part of {mcode}.")
                )
            out.extend(
                _measure_rows(
                    rt,
                    n,
                    cols,
                    dcells,
                    mcode,
                    printed,
                    mname,
                    framework,
                    priority,
                    category,
                    freq_cell,
                    pol_cell,
                    basis,
                    period,
                    gms,
                    source,
                    row_fixes,
                )
            )
            since_comment.append(mcode)
            if category is None:
                uncategorised.append(mcode)
    if uncategorised:
        out.findings.append(
            _finding(
                "no-category",
                rt,
                None,
                "No measure category (Council / Partnership / Contextual) is printed for "
                + ", ".join(uncategorised),
                "Measures with a polarity are taken as partnership measures, the category printed for "
                "every other such measure of the portfolio; measures without one as contextual.",
            )
        )
    return out


def _measure_rows(
    rt,
    n,
    cols,
    dcells,
    code,
    printed,
    name,
    framework,
    priority,
    category,
    freq_cell,
    pol_cell,
    basis,
    period,
    gms,
    source,
    fixes,
) -> Imported:
    out = Imported()
    polarity = {"high": "high", "low": "low", "contextual": "none", "": None}.get(pol_cell.lower())
    if pol_cell and polarity is None:
        raise DataError(
            Problem(
                rt.path,
                n,
                "Good Performance",
                f"found {pol_cell!r}",
                "expected High, Low or Contextual",
            )
        )
    fix = {c.field: c for c in fixes}
    if "polarity" in fix:
        polarity = fix["polarity"].value
        out.findings.append(
            _finding(
                "no-polarity",
                rt,
                n,
                f"No 'Good Performance' printed for {code} '{name}'",
                f"Taken as {polarity}: {fix['polarity'].reason}",
            )
        )
    if polarity is None:
        raise DataError(
            Problem(
                rt.path,
                n,
                "Good Performance",
                "an empty cell",
                f"expected High, Low or Contextual for {code} (or a correction in corrections.csv)",
            )
        )
    cat = "contextual" if polarity == "none" else (category or "partnership")
    freq = {
        "annually": "annually",
        "annual": "annually",
        "quarterly": "quarterly",
        "termly": "termly",
        "monthly": "monthly",
        "": None,
    }.get(freq_cell.lower(), "?")
    if freq == "?":
        raise DataError(
            Problem(
                rt.path,
                n,
                "Reported",
                f"found {freq_cell!r}",
                "expected Annually, Quarterly, Termly or Monthly",
            )
        )
    hints: list[str | None] = []
    parsed: list[tuple[_Column, object]] = []
    for c in cols:
        text = dcells.get(c.index, "")
        if c.role in ("status", "trend"):
            continue
        try:
            cell = parse_target(text) if c.role == "target" else parse_cell(text)
        except CellError as exc:
            raise DataError(Problem(rt.path, n, c.label, f"found {text!r}", exc.expected)) from exc
        parsed.append((c, cell))
        if c.role != "target" and getattr(cell, "value", None) is not None:
            hints.append(cell.unit)
    unit = _infer_unit(name, hints)
    aggregation = "snapshot"
    for c, cell in parsed:
        if c.role == "target":
            t = cell
            if c.period is None:
                raise DataError(
                    Problem(
                        rt.path,
                        n,
                        c.label,
                        "a target column with no year",
                        "expected a year in the header",
                    )
                )
            out.targets.append(
                {
                    "code": code,
                    "year": c.period,
                    "type": t.type,
                    "value": t.value,
                    "direction": t.direction,
                    "comparator": None,
                    "note": t.note,
                    "source": source,
                }
            )
            continue
        if not cell.text.strip():
            continue  # nothing printed
        note = cell.note
        value, count = cell.value, cell.count
        if count is not None and value is not None and count != int(count) and value == int(value):
            out.findings.append(
                _finding(
                    "value-count-swap",
                    rt,
                    n,
                    f"{code} {c.period} printed '{cell.text}': the bracketed figure is not a whole number but the first is",
                    f"Read as rate {count:g} with number {value:g} (the other rows print the rate first).",
                )
            )
            value, count = count, value
        if count is not None and count != int(count):
            raise DataError(
                Problem(
                    rt.path,
                    n,
                    c.label,
                    f"count {count:g} in {cell.text!r}",
                    "expected a whole number in brackets",
                )
            )
        if cell.as_at and cell.text.count(cell.as_at) == 0:
            out.findings.append(
                _finding(
                    "as-at-format",
                    rt,
                    n,
                    f"{code} as-at printed in '{cell.text}'",
                    f"Read as {cell.as_at}.",
                )
            )
        if (
            value is not None
            and cell.unit is None
            and unit == "percent"
            and any(hints)
            and unit in hints
        ):
            out.findings.append(
                _finding(
                    "missing-unit",
                    rt,
                    n,
                    f"{code} {c.period} printed '{cell.text}' without a % sign",
                    "Read as a percentage like the measure's other figures.",
                )
            )
        if value is not None and cell.unit and cell.unit != unit:
            note = f"Not comparable: printed as {cell.text}, a {cell.unit} figure, where the measure's other figures are {unit}s"
            out.findings.append(
                _finding(
                    "unit-conflict",
                    rt,
                    n,
                    f"{code} {c.period} printed '{cell.text}' while its other figures are in {unit}",
                    "Kept as printed with a note, and not used for rating or trend.",
                )
            )
        if value is not None and c.role == "actual" and _as_at_outside(cell.as_at, c.period):
            out.findings.append(
                _finding(
                    "as-at-outside-year",
                    rt,
                    n,
                    f"{code}: the {c.period} column prints a figure as at {cell.as_at}",
                    "Kept as printed: the as-at marker says which data the figure is.",
                )
            )
        if cell.as_at and "-" in cell.as_at:
            aggregation = "cumulative"
        period_label = c.period
        kind = "forecast" if c.role == "forecast" else "actual"
        if period_label is None:
            raise DataError(
                Problem(
                    rt.path,
                    n,
                    c.label,
                    "a value column with no year",
                    "expected a year in the header",
                )
            )
        out.values.append(
            {
                "code": code,
                "period": period_label,
                "value": value,
                "count": count,
                "as_at": cell.as_at,
                "kind": kind,
                "note": note,
                "source": source,
            }
        )
    if name.lower().startswith("number") and unit == "percent":
        out.findings.append(
            _finding(
                "name-unit",
                rt,
                n,
                f"{code} is named '{name}' but its figures are percentages",
                "Unit taken from the figures: percent.",
            )
        )
    out.measures.append(
        {
            "framework": framework,
            "code": code,
            "printed_code": printed or None,
            "series": fix["series"].value if "series" in fix else code,
            "name": name,
            "priority": priority,
            "section": rt.meta.get("section"),
            "category": cat,
            "polarity": polarity,
            "frequency": freq,
            "unit": unit,
            "year_basis": rt.meta["year_basis"],
            "aggregation": aggregation,
            "gms": gms,
            "subject": "children",
            "source": source,
        }
    )
    if "series" in fix:
        out.findings.append(
            _finding(
                "lineage",
                rt,
                n,
                f"{code} has no code in common with its continuation",
                f"Series {fix['series'].value}: {fix['series'].reason}",
            )
        )
    return out


def link_series(measures: list[dict], findings: list[dict]) -> None:
    """Give a 2021/22 ``CFSE.n`` measure the series of the later ``CFE.n`` with the same number.

    Where the frameworks print different polarities for one series, the later one is used
    for both and the conflict is recorded.
    """
    latest = {}
    for m in measures:
        key = re.sub(r"^CF(S)?E\.", "", m["code"]) if re.match(r"^CFS?E\.", m["code"]) else None
        if key and m["code"].startswith("CFE."):
            latest[key] = m
    by_series: dict[str, list[dict]] = {}
    for m in measures:
        if m["code"].startswith("CFSE."):
            key = m["code"][5:]
            if key in latest:
                m["series"] = latest[key]["code"]
        by_series.setdefault(m["series"], []).append(m)
    for ms in by_series.values():
        if len(ms) < 2:
            continue
        ms.sort(key=lambda m: m["framework"])
        last = ms[-1]
        for m in ms[:-1]:
            if m["polarity"] != last["polarity"]:
                findings.append(
                    {
                        "check": "polarity-conflict",
                        "location": f"{m['source']} {m['code']}",
                        "issue": f"{m['code']} ({m['framework']}) is printed with good performance '{m['polarity']}' but the same measure {last['code']} ({last['framework']}) is '{last['polarity']}'",
                        "resolution": f"Taken as '{last['polarity']}' in both frameworks (the later document; '{m['polarity']}' contradicts the measure's name).",
                    }
                )
                m["polarity"] = last["polarity"]


def read_corrections(path: str | Path) -> list[Correction]:
    import csv

    with open(path, encoding="utf-8", newline="") as fh:
        return [Correction(**{k: (v or "") for k, v in row.items()}) for row in csv.DictReader(fh)]
