"""Import a measures table copied from a published report (tab-separated) into tidy rows.

A raw table file holds the table's lines exactly as published, after ``# key: value``
comment lines saying where it came from (``source``, ``lines``, ``framework``, ``priority``,
``section``, ``year_basis``, ``period``). ``import_table`` turns it into rows for
``measures``, ``values``, ``targets`` and ``commentary`` and a list of findings: every
misprint or inconsistency noticed, with how it was resolved.
"""

from __future__ import annotations

import re

from .code_rules import CodeRule, of_kind, read_code_rules
from .corrections import Correction, normalise_code, read_corrections
from .measure_rows import Imported, PrintedRow, measure_rows
from .measures_header import parse_header
from .measures_raw import RawTable, clean_paragraphs, finding, read_raw_table, split_cells
from .series_lineage import link_series

__all__ = [
    "CodeRule",
    "Correction",
    "Imported",
    "RawTable",
    "import_table",
    "link_series",
    "normalise_code",
    "read_code_rules",
    "read_corrections",
    "read_raw_table",
]

_SECTION = re.compile(r"^(partnership|contextual|council) measures?\b", re.IGNORECASE)
_LABEL = re.compile(r"\(([ivx]+|[a-d])\)")


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
    code_rules: list[CodeRule] = (),
    new_codes: dict[tuple[str, int], int] | None = None,
) -> Imported:
    """Turn one raw published table into tidy rows plus findings.

    ``corrections`` (corrections.csv) fix single printed rows; the misprint rules among
    ``code_rules`` (code_rules.csv) fix misprinted code prefixes.
    """
    out = Imported()
    meta = rt.meta
    framework, priority = meta["framework"], int(meta["priority"])
    period = meta["period"]
    source = f"{meta['source']}"
    new_codes = new_codes if new_codes is not None else {}
    misprints = of_kind(code_rules, "misprint")
    cols, start = parse_header(rt, out.findings)
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
        cells = split_cells(line)
        nonempty = [c for c in cells if c]
        if not nonempty:
            continue
        if len(nonempty) == 1 and cells[0] and _SECTION.match(cells[0]):
            category = _SECTION.match(cells[0]).group(1).lower()
            continue
        if len(nonempty) == 1 and cells[0] == "GMS":
            gms_next = True
            out.findings.append(
                finding(
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
            for text in clean_paragraphs(nonempty[0]):
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
        code, gms, changes = normalise_code(printed, misprints)
        gms = gms or gms_next
        gms_next = False
        if "spacing" in changes:
            out.findings.append(
                finding(
                    "code-spacing",
                    rt,
                    n,
                    f"PI code printed '{printed}'",
                    f"Normalised to {code}; printed form kept in printed_code.",
                )
            )
        for change in (c for c in changes if c.startswith("prefix ")):
            out.findings.append(
                finding(
                    "code-prefix",
                    rt,
                    n,
                    f"PI code printed '{printed}' ({change.removeprefix('prefix ')})",
                    f"Normalised to {code}; printed form kept in printed_code.",
                )
            )
        row_fixes = [c for c in corrections if c.matches(framework, printed, name)]
        for c in row_fixes:
            if c.field == "code":
                out.findings.append(
                    finding(
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
                    finding(
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
                finding(
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
                    finding("label-misprint", rt, n, note, f"Read by position as part of {mcode}.")
                )
            out.extend(
                measure_rows(
                    PrintedRow(
                        table=rt,
                        line=n,
                        columns=cols,
                        cells=dcells,
                        code=mcode,
                        printed_code=printed,
                        name=mname,
                        category=category,
                        frequency=freq_cell,
                        polarity=pol_cell,
                        gms=gms,
                        corrections=row_fixes,
                    )
                )
            )
            since_comment.append(mcode)
            if category is None:
                uncategorised.append(mcode)
    if uncategorised:
        out.findings.append(
            finding(
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
