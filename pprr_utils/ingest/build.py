"""Re-create ``data/*.csv`` from ``data/raw/``: the published tables, imported by code.

``pprr build-data`` runs this. The raw files are the tables exactly as published (checked
against the seed documents by the tests); everything in ``data/*.csv`` is derived from them,
so the path from a published table to the dataset can be re-run and reviewed.

Required in the raw folder: the measures tables (``measures/*.tsv``), ``periods.csv`` and the
priority headings (``priorities/*.txt``). Everything else is optional and, when absent, an
empty table: ``measures/corrections.csv``, ``measures/code_rules.csv``,
``measures/groups.csv``, ``comparators.csv``, ``quality_notes.csv``, ``plans/`` and
``finance/``. ``portfolio.yml``, when present, is copied to the output.
"""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pandas as pd

from ..dataset.errors import DataError, Problem
from ..dataset.schema import CORE_TABLES, Table, all_tables
from ..dataset.writing import atomic_path
from .code_rules import of_kind, read_code_rules
from .importer import Imported, import_table, link_series, read_corrections, read_raw_table
from .outcomes import import_cypp, match_measure, raw_lines
from .raw_csv import raw_name, read_rows


def _required(raw_dir: Path, pattern: str, expected: str) -> list[Path]:
    """The files of ``raw_dir`` matching ``pattern``; a DataError when there are none."""
    paths = sorted(Path(raw_dir).glob(pattern))
    if not paths:
        raise DataError(Problem(f"{raw_dir}/{pattern}", None, None, "no such file", expected))
    return paths


def _first_line(rt) -> int:
    """The first line number in a table's ``# lines:`` comment (0 when there is none)."""
    m = re.match(r"\s*(\d+)", rt.meta.get("lines", ""))
    return int(m[1]) if m else 0


def import_measures(raw_dir: Path) -> Imported:
    """Import every raw measures table, in document order, then link series across frameworks.

    ``measures/corrections.csv`` (fixes to single printed rows) and ``measures/code_rules.csv``
    (misprinted code prefixes; lineages between code prefixes) are read when present.
    """
    paths = _required(
        raw_dir, "measures/*.tsv", "expected at least one measures table (data/raw/README.md)"
    )
    corrections = read_corrections(raw_dir / "measures" / "corrections.csv")
    rules = read_code_rules(raw_dir / "measures" / "code_rules.csv")
    tables = [read_raw_table(p) for p in paths]
    tables.sort(key=lambda t: (t.meta["framework"], _first_line(t)))
    out = Imported()
    new_codes: dict[tuple[str, int], int] = {}
    for rt in tables:
        out.extend(import_table(rt, corrections=corrections, code_rules=rules, new_codes=new_codes))
    link_series(out.measures, out.findings, of_kind(rules, "lineage"))
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
    """The priorities and their headings (``priorities/*.txt``, at least one file)."""
    rows: list[dict] = []
    paths = _required(raw_dir, "priorities/*.txt", "expected the priority headings of a framework")
    for path in paths:
        meta, lines = raw_lines(path, ("source", "framework"))
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
    """Comparator figures (``comparators.csv``, optional); a blank ``value`` is derived from
    the portfolio's own figure (``stockport``) less the printed ``difference``."""
    path = Path(raw_dir) / "comparators.csv"
    cols = ("code", "subject", "period", "area", "value", "stockport", "difference", "quote")
    rows = []
    for line, r in read_rows(path, (*cols, "source"), required=("subject", "period", "area")):
        derived = not r["value"]
        try:
            value = float(r["stockport"]) - float(r["difference"]) if derived else float(r["value"])
        except ValueError as exc:
            column = "value" if not derived else "stockport, difference"
            raise DataError(
                Problem(
                    raw_name(path),
                    line,
                    column,
                    f"{r['value'] if not derived else (r['stockport'], r['difference'])!r}",
                    "expected a number (or a blank value with the own figure and the difference)",
                )
            ) from exc
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


def import_periods(raw_dir: Path) -> list[dict]:
    """The periods (``periods.csv``, required) as written, one dict per row."""
    path = Path(raw_dir) / "periods.csv"
    if not path.exists():
        raise DataError(
            Problem(
                raw_name(path),
                None,
                None,
                "file missing",
                "expected periods.csv: period, framework, title, kind, target_year, previous",
            )
        )
    cols = ("period", "framework", "title", "kind", "target_year", "previous")
    return [r for _, r in read_rows(path, cols, required=("period", "framework", "kind"))]


def import_quality_notes(raw_dir: Path) -> list[dict]:
    """Notes on the sources written by hand (``quality_notes.csv``, optional): what the
    import cannot see, such as formatting lost when the documents were copied."""
    cols = ("check", "location", "issue", "resolution")
    path = Path(raw_dir) / "quality_notes.csv"
    return [{k: r[k] for k in cols} for _, r in read_rows(path, cols, required=cols)]


def copy_portfolio(raw_dir: Path, out_dir: Path) -> None:
    """Copy ``raw_dir/portfolio.yml`` (the portfolio's settings) to ``out_dir`` if it exists."""
    src = Path(raw_dir) / "portfolio.yml"
    if src.exists():
        with atomic_path(Path(out_dir) / "portfolio.yml") as tmp:
            shutil.copyfile(src, tmp)


def portfolio_note(raw_dir: Path, out_dir: Path) -> str:
    """What a build from ``raw_dir`` into ``out_dir`` did about ``portfolio.yml``."""
    src, dst = Path(raw_dir) / "portfolio.yml", Path(out_dir) / "portfolio.yml"
    if src.exists():
        return f"Copied {src} to {dst}."
    if dst.exists():
        return f"No portfolio.yml in {raw_dir}: {dst} kept as it is."
    return (
        f"No portfolio.yml in {raw_dir}: write {dst} (council, portfolio and the other "
        "settings in data/README.md) before `pprr validate` or `pprr run`."
    )


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
    with atomic_path(path) as tmp:
        out.to_csv(tmp, index=False, lineterminator="\n")


def note_id(finding: dict) -> str:
    """A stable id for a quality note, from what it says (new notes do not renumber old ones)."""
    import hashlib

    text = "|".join(finding[k] for k in ("check", "location", "issue"))
    return "Q" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:6]


def build_dataset(raw_dir: Path, out_dir: Path) -> dict[str, pd.DataFrame]:
    """Import everything under ``raw_dir`` and write the tidy CSVs to ``out_dir``.

    Optional inputs that are absent give empty tables; ``portfolio.yml`` is copied when the
    raw folder has one (``copy_portfolio``).
    """
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
        "periods": import_periods(raw_dir),
        "outcomes": ambitions,
        "outcome_measures": cypp,
    }
    findings = list(imported.findings)
    findings += import_quality_notes(raw_dir)
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
    copy_portfolio(raw_dir, out_dir)
    return frames


def build_data(raw_dir: Path, out_dir: Path) -> dict[str, pd.DataFrame]:
    """What ``pprr build-data`` runs: ``build_dataset``, then says what became of
    portfolio.yml (copied, kept, or still to be written)."""
    frames = build_dataset(Path(raw_dir), Path(out_dir))
    print(portfolio_note(Path(raw_dir), Path(out_dir)))
    return frames


__all__ = [
    "build_data",
    "build_dataset",
    "copy_portfolio",
    "portfolio_note",
    "import_measure_groups",
    "import_measures",
    "match_measure",
    "CORE_TABLES",
]
