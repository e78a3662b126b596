"""Re-create ``data/*.csv`` from ``data/raw/``: the published tables, imported by code.

``pprr build-data`` runs this. The raw files are the tables exactly as published (checked
against the seed documents by the tests); everything in ``data/*.csv`` is derived from them,
so the path from a published table to the dataset can be re-run and reviewed.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd

from ..dataset.errors import DataError, Problem
from ..dataset.schema import CORE_TABLES, Table, all_tables
from .importer import Imported, import_table, link_series, read_corrections, read_raw_table
from .raw import read_raw_file


def _raw_lines(path: Path) -> tuple[dict[str, str], list[str]]:
    """A raw text file's ``# key: value`` header and its non-blank lines."""
    meta, lines = read_raw_file(path)
    return meta, [text for _, text in lines if text.strip()]


def import_measures(raw_dir: Path) -> Imported:
    """Import every raw measures table, in document order, then link series across frameworks."""
    corrections = read_corrections(raw_dir / "measures" / "corrections.csv")
    tables = [read_raw_table(p) for p in sorted((raw_dir / "measures").glob("*.tsv"))]
    tables.sort(key=lambda t: (t.meta["framework"], int(t.meta["lines"].split("-")[0])))
    out = Imported()
    new_codes: dict[tuple[str, int], int] = {}
    for rt in tables:
        out.extend(import_table(rt, corrections=corrections, new_codes=new_codes))
    link_series(out.measures, out.findings)
    _check_imported(out)
    return out


def _target_scale(out: Imported, factor: float = 10.0) -> None:
    """A numerical target ten times larger (or smaller) than every figure of its measure."""
    figures: dict[str, list[float]] = {}
    for v in out.values:
        if v["value"] is not None and v["value"] > 0:
            figures.setdefault(v["code"], []).append(v["value"])
    for t in out.targets:
        vals = figures.get(t["code"])
        if t["type"] != "numerical" or not vals or not t["value"]:
            continue
        if t["value"] >= factor * max(vals) or t["value"] * factor <= min(vals):
            shown = ", ".join(f"{x:g}" for x in vals)
            out.findings.append(
                {
                    "check": "target-scale",
                    "location": f"{t['source']} {t['code']}",
                    "issue": f"The {t['year']} target for {t['code']} ({t['value']:g}) is at least "
                    f"{factor:g} times away from every figure printed for it ({shown}): "
                    "possibly a misprint (a misplaced decimal point)",
                    "resolution": "Kept as printed and rated against it as printed; read this "
                    "measure's status with care until the target is confirmed.",
                }
            )


def _check_imported(out: Imported) -> None:
    """Cross-table checks the import can make: clashing codes, repeated counts in a series."""
    seen: dict[tuple[str, str], dict] = {}
    for m in out.measures:
        key = (m["framework"], m["code"])
        if key in seen and seen[key]["name"] != m["name"]:
            raise DataError(
                Problem(
                    m["source"],
                    None,
                    "code",
                    f"{m['code']} printed for both '{seen[key]['name']}' and '{m['name']}'",
                    "expected one measure per code (add a code correction to "
                    "data/raw/measures/corrections.csv)",
                )
            )
        seen[key] = m
    _target_scale(out)
    series = {m["code"]: m["series"] for m in out.measures}
    by_count: dict[tuple[str, float], list[dict]] = {}
    for v in out.values:
        if v["count"] is not None and v["value"] is not None and v["count"] >= 100:
            by_count.setdefault((series[v["code"]], v["count"]), []).append(v)
    for (s, count), vs in by_count.items():
        distinct = {(v["period"], v["value"]) for v in vs}
        if len({p for p, _ in distinct}) > 1 and len({val for _, val in distinct}) > 1:
            desc = "; ".join(
                f"{v['code']} {v['period']} {v['value']:g} ({v['count']:g})" for v in vs
            )
            out.findings.append(
                {
                    "check": "repeated-count",
                    "location": f"series {s}",
                    "issue": f"The same number ({count:g}) is printed for different years with different rates: {desc}",
                    "resolution": "Kept as printed; one of the two is probably a copy error in the source, "
                    "so treat the trend between these years with care.",
                }
            )


def import_priorities(raw_dir: Path) -> list[dict]:
    rows: list[dict] = []
    for path in sorted((raw_dir / "priorities").glob("*.txt")):
        meta, lines = _raw_lines(path)
        fw = meta["framework"]
        source = meta["source"].split(",")[0] + ", Priority headings"
        programmes: list[str] = []
        current: dict | None = None
        expect_delivery = False
        for line in lines:
            if line.startswith("Key delivery programmes"):
                programmes = line.split("\t")[1:]
                continue
            m = re.match(r"Priority (\d+): (.+)$", line)
            if m:
                current = {
                    "framework": fw,
                    "priority": int(m[1]),
                    "title": m[2].strip(),
                    "delivered_by": None,
                    "programmes": None,
                    "source": source,
                }
                rows.append(current)
                continue
            if line.strip() == "Delivered by:":
                expect_delivery = True
                continue
            d = re.match(
                r"This (?:priority|ambition) will be delivered (?:through|by) (?:the )?(.+?)\.?$",
                line,
            )
            if current is not None and (d or expect_delivery):
                current["delivered_by"] = d[1] if d else line.strip()
                expect_delivery = False
        for r in rows:
            if r["framework"] == fw and programmes and r["priority"] <= len(programmes):
                r["programmes"] = programmes[r["priority"] - 1].strip()
    return rows


def import_measure_groups(raw_dir: Path, measures: list[dict]) -> list[dict]:
    """Related measures (``data/raw/measures/groups.csv``), checked against the measures.

    Each row names a measure by ``code`` and the start of its printed name (``name_starts``),
    so a measure renumbered by the import (``NEW-...`` codes follow print order) is caught
    here instead of silently relating the wrong measures. A cohort group has one ``total``
    and at least one ``part``; siblings and partitions have two or more parts and no total.
    Each row's ``source`` is the table its measure is printed in.
    """
    path = raw_dir / "measures" / "groups.csv"
    if not path.exists():
        return []
    fname = f"raw/measures/{path.name}"
    by_code: dict[str, dict] = {}
    for m in measures:
        by_code.setdefault(m["code"], m)
    rows: list[dict] = []
    kinds: dict[str, tuple[str, int]] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        for line, r in enumerate(csv.DictReader(fh), start=2):
            r = {k: (v or "").strip() for k, v in r.items()}

            def bad(column: str, found: str, expected: str, line: int = line) -> DataError:
                return DataError(Problem(fname, line, column, found, expected))

            m = by_code.get(r["code"])
            if m is None:
                raise bad("code", f"{r['code']!r}", "the code of a measure in measures.csv")
            if not _squash(m["name"]).startswith(_squash(r["name_starts"])):
                raise bad(
                    "name_starts",
                    f"{r['code']} is '{m['name']}'",
                    f"a measure whose name starts '{r['name_starts']}' (was it renumbered?)",
                )
            if r["kind"] not in ("cohort", "siblings", "partition"):
                raise bad("kind", f"{r['kind']!r}", "cohort, siblings or partition")
            total_ok = r["role"] == "part" or (r["role"] == "total" and r["kind"] == "cohort")
            if not total_ok:
                raise bad("role", f"{r['role']!r}", "part, or total in a cohort group")
            if not r["reason"]:
                raise bad("reason", "empty cell", "the reason the measures are related")
            first = kinds.setdefault(r["group"], (r["kind"], line))
            if first[0] != r["kind"]:
                raise bad("kind", r["kind"], f"{first[0]}, as line {first[1]} of {r['group']}")
            keep = ("group", "kind", "code", "role", "reason")
            rows.append({**{k: r[k] for k in keep}, "source": m["source"]})
    for group, (kind, line) in kinds.items():
        roles = [r["role"] for r in rows if r["group"] == group]
        want = (1, 1) if kind == "cohort" else (0, 2)
        if roles.count("total") != want[0] or roles.count("part") < want[1]:
            raise DataError(
                Problem(
                    fname,
                    line,
                    "role",
                    f"group {group}: {roles.count('total')} total, {roles.count('part')} parts",
                    "a cohort: one total and one or more parts; siblings or a partition: "
                    "two or more parts",
                )
            )
    return rows


def _squash(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def import_comparators(raw_dir: Path) -> list[dict]:
    rows = []
    with open(raw_dir / "comparators.csv", encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            derived = not r["value"]
            value = float(r["stockport"]) - float(r["difference"]) if derived else float(r["value"])
            rows.append(
                {
                    "code": r["code"] or None,
                    "subject": r["subject"],
                    "period": r["period"],
                    "area": r["area"],
                    "value": round(value, 6),
                    "derived": derived,
                    "quote": r["quote"],
                    "source": r["source"],
                }
            )
    return rows


def import_cypp(raw_dir: Path, measures: list[dict]) -> tuple[list[dict], list[dict]]:
    """The Plan's ambitions and suggested measures, each matched to a 2024/25 measure name."""
    meta, lines = _raw_lines(raw_dir / "plans" / "cypp-ambitions.txt")
    ambitions: dict[int, dict] = {}
    current = None
    for line in lines:
        m = re.match(r"Ambition (\d+) [-–] (.+)$", line)
        if m:
            current = ambitions.setdefault(
                int(m[1]),
                {
                    "ambition": int(m[1]),
                    "title": m[2].strip(),
                    "delivered_through": None,
                    "source": meta["source"],
                },
            )
            continue
        d = re.match(r"This ambition will be delivered through (?:the )?(.+?)\.?$", line)
        if d and current is not None:
            current["delivered_through"] = d[1]
    meta2, lines2 = _raw_lines(raw_dir / "plans" / "cypp-measures.txt")
    rows: list[dict] = []
    current_amb = None
    names = [(m["code"], m["name"]) for m in measures if m["framework"] == "2024/25"]
    for line in lines2:
        m = re.match(r"Ambition (\d+) [-–] (.+)$", line)
        if m:
            current_amb = int(m[1])
            seq = 0
            continue
        if line.startswith("- ") and current_amb is not None:
            seq += 1
            text = line[2:].strip()
            rows.append(
                {
                    "ambition": current_amb,
                    "seq": seq,
                    "measure": text,
                    "code": match_measure(text, names),
                    "source": meta2["source"],
                }
            )
    with open(raw_dir / "plans" / "cypp-codes.csv", encoding="utf-8", newline="") as fh:
        overrides = {
            (int(r["ambition"]), int(r["seq"])): r["code"] or None for r in csv.DictReader(fh)
        }
    for r in rows:
        if (r["ambition"], r["seq"]) in overrides:
            r["code"] = overrides[(r["ambition"], r["seq"])]
    return list(ambitions.values()), rows


def _words(text: str) -> set[str]:
    text = text.lower().replace("children in care", "looked after children")
    for long, short in (
        ("eligible for free school meals (fsm)", "fsm"),
        ("eligible for free school meals", "fsm"),
        ("in receipt of sen support", "sen support"),
        ("children in need", "cin"),
        ("education, health and care plans (ehcp)", "ehcp"),
        ("attainment 8", "attainment8"),
    ):
        text = text.replace(long, short)
    text = re.sub(r"\((number|conceptions[^)]*)\)", " ", text)
    stop = {
        "the",
        "of",
        "in",
        "at",
        "and",
        "a",
        "to",
        "who",
        "are",
        "for",
        "by",
        "with",
        "within",
        "percentage",
        "children",
        "number",
        "rate",
        "their",
        "on",
        "or",
        "end",
        "is",
    }
    return {w for w in re.findall(r"[a-z0-9]+", text) if w not in stop}


def match_measure(text: str, names: list[tuple[str, str]], threshold: float = 0.6) -> str | None:
    """The code whose name shares the most words with ``text`` (Jaccard >= threshold), if any."""
    want = _words(text)
    best, score = None, 0.0
    for code, name in names:
        have = _words(name)
        if not want or not have:
            continue
        j = len(want & have) / len(want | have)
        if j > score:
            best, score = code, j
    return best if score >= threshold else None


def _frame(rows: list[dict], spec: Table) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=spec.column_names)
    return df


def _fmt_float(x: object) -> object:
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, float):
        if x != x:  # NaN
            return ""
        return (
            repr(round(x, 6)).removesuffix(".0")
            if x == int(x)
            else f"{round(x, 6):g}"
            if abs(x) < 1e6
            else repr(x)
        )
    return x


def write_table(df: pd.DataFrame, path: Path) -> None:
    """Write a table as CSV: plain numbers (``7.2`` not ``7.2000001``), empty for missing."""
    out = df.copy()
    for c in out.columns:
        out[c] = [("" if v is None else _fmt_float(v)) for v in out[c].tolist()]
    out.to_csv(path, index=False, lineterminator="\n")


def note_id(finding: dict) -> str:
    """A stable id for a quality note, from what it says (new notes do not renumber old ones)."""
    import hashlib

    text = "|".join(finding[k] for k in ("check", "location", "issue"))
    return "Q" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:6]


def build_dataset(raw_dir: Path, out_dir: Path) -> dict[str, pd.DataFrame]:
    """Import everything under ``raw_dir`` and write the tidy CSVs to ``out_dir``."""
    from . import build_finance

    imported = import_measures(raw_dir)
    ambitions, cypp = import_cypp(raw_dir, imported.measures)
    tables: dict[str, list[dict] | pd.DataFrame] = {
        "priorities": import_priorities(raw_dir),
        "measures": imported.measures,
        "measure_groups": import_measure_groups(raw_dir, imported.measures),
        "values": imported.values,
        "targets": imported.targets,
        "commentary": imported.commentary,
        "comparators": import_comparators(raw_dir),
        "periods": list(
            csv.DictReader(open(raw_dir / "periods.csv", encoding="utf-8", newline=""))
        ),
        "outcomes": ambitions,
        "outcome_measures": cypp,
    }
    findings = list(imported.findings)
    findings.append(
        {
            "check": "icons-lost",
            "location": "001_ee574e58cbe5f422.txt (all measures tables)",
            "issue": "The Status and Trend columns were printed as icons, lost in the copy (only 'N/A' survives)",
            "resolution": "Status and trend are recomputed by pprr's scorer from the published key; see docs/methodology.md.",
        }
    )
    findings.append(
        {
            "check": "italics-lost",
            "location": "001_ee574e58cbe5f422.txt (Key to symbols)",
            "issue": "Provisional or forecast figures were marked by italics, lost in the copy",
            "resolution": "Figures are recorded as actuals unless a column is headed Forecast; the as-at marker is kept.",
        }
    )
    finance_tables, finance_findings = build_finance.build_finance_and_plans(raw_dir)
    findings += finance_findings
    tables["quality_notes"] = [
        {"id": note_id(f), **{k: f[k] for k in ("check", "location", "issue", "resolution")}}
        for f in findings
    ]
    out_dir.mkdir(parents=True, exist_ok=True)
    frames: dict[str, pd.DataFrame] = {}
    specs = {t.name: t for t in all_tables()}
    for name, rows in list(tables.items()) + list(finance_tables.items()):
        spec = specs.get(name)
        df = rows if isinstance(rows, pd.DataFrame) else _frame(rows, spec)
        if spec is not None:
            df = df[spec.column_names]
        frames[name] = df
        write_table(df, out_dir / f"{name}.csv")
    return frames


__all__ = [
    "build_dataset",
    "import_measure_groups",
    "import_measures",
    "match_measure",
    "CORE_TABLES",
]
