"""The outcomes framework a portfolio may add (``data/raw/plans/cypp-*``): its ambitions and
the measures suggested for each, matched by name to the portfolio's measures.

Stockport's Children and Young People Plan is one such framework. Every file is optional:
without ``cypp-ambitions.txt`` there are no ambitions, without ``cypp-measures.txt`` no
suggested measures, without ``cypp-codes.csv`` no codes set by hand.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..dataset.errors import DataError, Problem
from .raw import read_raw_file
from .raw_csv import read_rows


def raw_lines(
    path: Path, required: tuple[str, ...] = ("source",)
) -> tuple[dict[str, str], list[str]]:
    """A raw text file's ``# key: value`` header and its non-blank lines.

    Raises DataError naming the file when a ``required`` header line is missing.
    """
    expected = "expected header lines " + ", ".join(f"'# {k}:'" for k in required)
    meta, lines = read_raw_file(path, required=required, expected=expected)
    return meta, [text for _, text in lines if text.strip()]


def _ambitions(path: Path) -> list[dict]:
    """The ambitions (number, title, what delivers it) of ``cypp-ambitions.txt``."""
    if not path.exists():
        return []
    meta, lines = raw_lines(path)
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
    return list(ambitions.values())


def _overrides(path: Path) -> dict[tuple[int, int], str | None]:
    """(ambition, seq) -> the code set by hand in ``cypp-codes.csv`` (None: no measure)."""
    out: dict[tuple[int, int], str | None] = {}
    for line, r in read_rows(path, ("ambition", "seq", "code"), required=("ambition", "seq")):
        try:
            key = (int(r["ambition"]), int(r["seq"]))
        except ValueError as exc:
            raise DataError(
                Problem(
                    "raw/plans/cypp-codes.csv",
                    line,
                    "ambition" if not r["ambition"].isdigit() else "seq",
                    f"{r['ambition']!r}, {r['seq']!r}",
                    "expected whole numbers",
                )
            ) from exc
        out[key] = r["code"] or None
    return out


def import_cypp(raw_dir: Path, measures: list[dict]) -> tuple[list[dict], list[dict]]:
    """The framework's ambitions and suggested measures, each matched to a measure by name.

    Suggested measures are matched with the measures of the framework named by the
    ``# framework:`` line of ``cypp-measures.txt``, or else of the latest framework.
    """
    plans = Path(raw_dir) / "plans"
    ambitions = _ambitions(plans / "cypp-ambitions.txt")
    rows: list[dict] = []
    path = plans / "cypp-measures.txt"
    if path.exists():
        meta, lines = raw_lines(path)
        frameworks = sorted({m["framework"] for m in measures})
        framework = meta.get("framework") or (frameworks[-1] if frameworks else None)
        names = [(m["code"], m["name"]) for m in measures if m["framework"] == framework]
        current_amb = None
        seq = 0
        for line in lines:
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
                        "source": meta["source"],
                    }
                )
    overrides = _overrides(plans / "cypp-codes.csv")
    for r in rows:
        if (r["ambition"], r["seq"]) in overrides:
            r["code"] = overrides[(r["ambition"], r["seq"])]
    return ambitions, rows


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
