"""Are two report packs the same? ``python scripts/same_pages.py BEFORE AFTER``.

Compares every published page (``*.html``), ``scorecard.csv`` and ``report.pdf`` text under
two report folders (as written by ``pprr run --out``) byte for byte, and lists each file that
differs or exists on one side only. Exit 0 when identical, 1 otherwise. Used to show that a
refactor leaves every page as it was: build the pack before and after, then compare.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

KINDS = ("*.html", "*.csv")


def pages(root: Path) -> dict[str, str]:
    out = {}
    for pattern in KINDS:
        for p in root.rglob(pattern):
            rel = p.relative_to(root)
            if any(part.startswith(".") for part in rel.parts):
                continue  # build and old folders
            out[rel.as_posix()] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def compare(before: Path, after: Path) -> list[str]:
    a, b = pages(before), pages(after)
    lines = [f"only in {before}: {k}" for k in sorted(a.keys() - b.keys())]
    lines += [f"only in {after}: {k}" for k in sorted(b.keys() - a.keys())]
    lines += [f"differs: {k}" for k in sorted(a.keys() & b.keys()) if a[k] != b[k]]
    return lines


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        return 2
    before, after = Path(args[0]), Path(args[1])
    for d in (before, after):
        if not d.is_dir():
            print(f"same_pages: {d} is not a folder", file=sys.stderr)
            return 2
    diffs = compare(before, after)
    n = len(pages(before))
    if diffs:
        print("\n".join(diffs))
        print(f"{len(diffs)} difference(s) among {n} files")
        return 1
    print(f"identical: {n} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
