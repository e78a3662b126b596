"""A measures table as published (``data/raw/measures``): its ``# key: value`` comments and
its lines, the cells of a line, paragraphs of commentary, and where a finding was made.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

from .raw import read_raw_file


@dataclass
class RawTable:
    """A published table: its metadata comments and its lines (numbered as in the file)."""

    path: str
    meta: dict[str, str]
    lines: list[tuple[int, str]]

    @property
    def source(self) -> str:
        return self.meta["source"]


def read_raw_table(path: str | Path) -> RawTable:
    """Read a raw table file: ``# key: value`` comments, then the published lines."""
    meta, lines = read_raw_file(
        path,
        required=("source", "framework", "priority", "year_basis", "period"),
        expected="expected comment lines "
        "naming source, framework, priority, year_basis and period before the table",
    )
    return RawTable(Path(path).name, meta, lines)


def finding(check: str, rt: RawTable, line: int | None, issue: str, resolution: str) -> dict:
    """A quality finding located at ``line`` of the raw table (the whole table when None)."""
    where = f"{rt.meta['source']} (data/raw/measures/{rt.path}" + (
        f" line {line})" if line else ")"
    )
    return {"check": check, "location": where, "issue": issue, "resolution": resolution}


def split_cells(line: str) -> list[str]:
    """The tab-separated cells of a line, stripped, without the empty cells at its end."""
    cells = [c.strip() for c in line.split("\t")]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def clean_paragraphs(text: str) -> list[str]:
    """The paragraphs of a commentary cell as plain text (HTML tags dropped, entities read)."""
    parts = re.split(r"</p>\s*<p>", text)
    out = []
    for p in parts:
        p = re.sub(r"<[^>]+>", "", p)
        p = html.unescape(p).strip()
        if p:
            out.append(p)
    return out
