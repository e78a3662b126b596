"""Raw files (``data/raw/``): ``# key: value`` header lines, then the lines as published."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from ..dataset.errors import DataError, Problem

_HEADER = re.compile(r"^# (\w+):(.*)$")


def read_raw_file(
    path: str | Path, *, required: Iterable[str] = (), expected: str = ""
) -> tuple[dict[str, str], list[tuple[int, str]]]:
    """A raw file's header (key -> value, stripped) and its other lines, numbered in the file.

    The header is the ``# key: value`` lines at the top; the first other line ends it. Lines
    are split at newlines (a carriage return before one is dropped) and kept verbatim; the
    empty string after a final newline is not a line. Raises DataError naming the file when a
    ``required`` key is missing; ``expected`` says what the header should hold.
    """
    path = Path(path)
    texts = path.read_text(encoding="utf-8").split("\n")
    if texts and texts[-1] == "":
        texts.pop()
    meta: dict[str, str] = {}
    lines: list[tuple[int, str]] = []
    for n, text in enumerate(texts, start=1):
        text = text.removesuffix("\r")
        m = None if lines else _HEADER.match(text)
        if m:
            meta[m[1]] = m[2].strip()
        else:
            lines.append((n, text))
    for key in required:
        if key not in meta:
            raise DataError(
                Problem(path.name, 1, None, f"no '# {key}:' line", expected or "a header line")
            )
    return meta, lines
