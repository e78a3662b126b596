"""The committee PDF printed part by part, each part's PDF kept, so a rebuild prints again
only the pages of the pack that changed.

A part is one page of the pack (overview, priority-1, ..., quality). It is printed in a
document of its own: the pack's head and styles, its ``<main>`` content (ids scoped as in
the whole pack, :func:`.pdf.scope_ids`), and empty sheets before and after it, so that
Chromium numbers its sheets as in the whole pack ("Page 12 of 78"); ``pageRanges`` asks for
the part's sheets and the empty ones after it (those are left out when joining). A link to
another part is printed as a ``PART_LINK`` address that :mod:`.pdf_join` makes an internal
link; the ids other parts link to are linked from a hidden list, so Chromium writes them as
named destinations. The first empty sheet after the part carries a destination too
(``PART_END``): the sheets before it are the part's (a marker inside the part could itself
start a sheet when the part fills its last one).

The cache (``.pdf-parts/`` in the period's folder, carried from the published folder into
each build) holds each part's PDF under a key of everything it depends on: the document
printed (its content, the empty sheets before and after), the print options (running
header and footer), Chromium, the code of this module and of the bookmarks' titling, and
:data:`FORMAT`. ``sheets.json`` records how many sheets
each part's content came to, so a later build knows where each part starts; when a part
printed comes to another number of sheets, the parts after it (and, the total having
changed, every part) are printed again. A missing or damaged cache only means printing.
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import os
import re
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .pdf_join import PART_END, PART_LINK

#: the cache folder in a period's folder
PARTS_DIR = ".pdf-parts"
_SHEETS = "sheets.json"
#: changes when what is printed or kept of a part changes (outdates every cached part)
FORMAT = "1"

_HREF = re.compile(r'(?<=\s)href="#([^"]*)"')
_BEFORE = '<div style="break-after:page;height:1px"></div>'
_AFTER = '<div style="break-before:page;height:1px"></div>'
#: a link to another part is internal in the joined PDF: no address printed after it
_NO_ADDRESS = f'main a[href^="{PART_LINK}"]::after{{content:none!important}}'


@dataclass
class Part:
    """One page of the pack, ready to be printed at any place in it."""

    stem: str
    head: str  # everything of the document before the part's sheets
    body: str  # the part's section
    tail: str  # the hidden links to its ids other parts link to, and the end
    content: str = ""  # key of what it prints (without the empty sheets)

    def document(self, before: int, after: int) -> str:
        """The HTML printed: ``before`` empty sheets, the part, ``after`` empty sheets."""
        pads = _AFTER.replace("<div ", f'<div id="{PART_END}" ', 1) + _AFTER * (after - 1)
        return self.head + _BEFORE * before + self.body + (pads if after else "") + self.tail


def make_parts(
    texts: Sequence[str], names: Sequence[str], *, title: str, lang: str, css: str, part_id
) -> list[Part]:
    """The parts of the pack from its pages' HTML (``texts``, file ``names``); ``css`` the
    pack's own rules, ``part_id(stem)`` the id of a part's section (see :mod:`.pdf`)."""
    from .pdf import _HEAD, _MAIN, _TITLE, PdfError, scope_ids

    head = _HEAD.search(texts[0])
    head_html = _TITLE.sub("", head.group(1)) if head else '<meta charset="utf-8">'
    stems = [Path(n).stem for n in names]
    bodies = []
    for i, page in enumerate(texts):
        m = _MAIN.search(page)
        if not m:
            raise PdfError(f"page {i + 1} of the pack has no <main> content to print")
        bodies.append(scope_ids(m.group(1), stems[i], stems))

    def owner(target: str) -> str | None:
        for s in stems:
            if target == part_id(s) or target.startswith(f"{s}--"):
                return s
        return None

    linked: dict[str, set[str]] = {s: set() for s in stems}
    for stem, body in zip(stems, bodies, strict=True):
        for target in _HREF.findall(body):
            who = owner(target)
            if who is not None and who != stem:
                linked[who].add(target)
    start = (
        f'<!DOCTYPE html>\n<html lang="{html.escape(lang)}"><head>{head_html}'
        f"<title>{html.escape(title)}</title><style>{css}{_NO_ADDRESS}</style></head><body>"
    )
    parts = []
    for stem, body in zip(stems, bodies, strict=True):

        def outward(m: re.Match[str], stem: str = stem) -> str:
            who = owner(m.group(1))
            if who is None or who == stem:
                return m.group(0)
            return f'href="{PART_LINK}{m.group(1)}"'

        body = _HREF.sub(outward, body)
        section = (
            f'<main id="content"><section class="pprr-pdf-part" id="{part_id(stem)}">'
            f"{body}</section></main>"
        )
        targets = [*sorted(linked[stem]), PART_END]
        hidden = "".join(f'<a href="#{html.escape(t)}"></a>' for t in targets)
        tail = f'<nav style="display:none" aria-hidden="true">{hidden}</nav></body></html>\n'
        parts.append(Part(stem, start, section, tail))
    return parts


def _digest(*items: object) -> str:
    return hashlib.sha256(json.dumps(items, sort_keys=True).encode()).hexdigest()


def _code() -> str:
    """Hash of the code that makes a part's PDF (this module and the bookmarks' titling)."""
    here = Path(__file__).parent
    h = hashlib.sha256()
    for name in ("pdf_parts.py", "pdf_outline.py"):
        h.update((here / name).read_bytes())
    return h.hexdigest()


def _chromium_id(exe: str) -> list:
    try:
        st = os.stat(exe)
    except OSError:
        return [exe]
    return [os.path.realpath(exe), st.st_size, int(st.st_mtime)]


@dataclass
class PartCache:
    """Part PDFs by key in ``folder`` (read also from ``seed``, the published folder's)."""

    folder: Path
    seed: Path | None = None
    sheets: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for where in (self.seed, self.folder):
            if where is None:
                continue
            try:
                found = json.loads((where / _SHEETS).read_text(encoding="utf-8"))
                self.sheets.update({k: int(v) for k, v in found.items()})
            except (OSError, ValueError, TypeError, AttributeError):
                pass

    def get(self, key: str) -> bytes | None:
        """The part PDF under ``key``, copied into the folder; None when missing or damaged."""
        for where in (self.folder, self.seed):
            if where is None:
                continue
            try:
                data = (where / f"{key}.pdf").read_bytes()
            except OSError:
                continue
            if data.startswith(b"%PDF-") and b"%%EOF" in data[-64:]:
                if where != self.folder:
                    self.put(key, data)
                return data
        return None

    def put(self, key: str, data: bytes) -> None:
        """Keep ``data`` under ``key``."""
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.folder / f".{key}.tmp"
        tmp.write_bytes(data)
        os.replace(tmp, self.folder / f"{key}.pdf")

    def keep_only(self, keys: set[str], contents: set[str]) -> None:
        """Remove the folder's other PDFs; write the sheet counts of ``contents``."""
        if not self.folder.is_dir():
            return
        for f in self.folder.iterdir():
            if f.suffix == ".pdf" and f.stem not in keys:
                f.unlink(missing_ok=True)
        kept = {k: v for k, v in sorted(self.sheets.items()) if k in contents}
        (self.folder / _SHEETS).write_text(json.dumps(kept, indent=0), encoding="utf-8")


@dataclass
class PrintLog:
    """What a build printed: the stems of the parts, one list per Chromium session."""

    sessions: list[list[str]] = field(default_factory=list)


def _sheets(data: bytes) -> tuple[int, int | None]:
    """A printed part's number of sheets, and how many come before the first empty sheet
    after the part (None when that sheet is not among them)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    dest = (reader.trailer["/Root"].get("/Dests") or {}).get("/" + PART_END)
    end = None
    if dest is not None:
        end = reader.get_page_number(dest.get_object()[0].get_object())
    return len(reader.pages), (end if end is not None and end >= 0 else None)


def printed_parts(
    parts: Sequence[Part],
    options: dict,
    cache: PartCache,
    *,
    chromium: str,
    log: PrintLog | None = None,
) -> list[tuple[bytes, int]]:
    """Each part's PDF and its number of sheets, from the cache or printed (the changed
    parts in one Chromium session per round; see the module)."""
    from pypdf.errors import PdfReadError

    from .pdf import PdfError, print_documents
    from .pdf_outline import heading_texts, titled_outline

    base = _digest(FORMAT, options, _chromium_id(chromium), _code())
    for p in parts:
        p.content = _digest(base, p.head, p.body, p.tail)
    known = cache.sheets
    # a part not printed before: as many sheets as it last came to
    counts = [known.get(p.content) or known.get(f"stem:{p.stem}") or 1 for p in parts]
    # parts whose end may fall beyond the sheets asked for (never printed: unknown)
    wide = {i for i, p in enumerate(parts) if counts[i] == 1 and p.content not in known}
    for _round in range(2 * len(parts) + 2):
        firsts = [1 + sum(counts[:i]) for i in range(len(parts))]
        total = sum(counts)
        keys = [_digest(p.content, f, total) for p, f in zip(parts, firsts, strict=True)]
        found: list[tuple[bytes, int] | None] = []
        for i, (p, key) in enumerate(zip(parts, keys, strict=True)):
            data = cache.get(key) if known.get(p.content) == counts[i] else None
            try:
                ok = data is not None and _sheets(data)[0] >= counts[i]
            except (PdfReadError, ValueError, KeyError, IndexError, OSError):
                ok = False  # damaged: printed again
            found.append((data, counts[i]) if ok and data is not None else None)
        todo = [i for i, f in enumerate(found) if f is None]
        if todo:
            with tempfile.TemporaryDirectory(prefix="pprr-pdf-") as tmp:
                docs = []
                for i in todo:
                    after = total - firsts[i] - counts[i] + 1
                    path = Path(tmp) / f"{i}.html"
                    path.write_text(parts[i].document(firsts[i] - 1, after), encoding="utf-8")
                    last = firsts[i] + (10**5 if i in wide else counts[i])  # one sheet more
                    docs.append((path, f"{firsts[i]}-{last}"))
                if log is not None:
                    log.sessions.append([parts[i].stem for i in todo])
                datas = print_documents(docs, options, chromium=chromium)
            for i, data in zip(todo, datas, strict=True):
                printed, end = _sheets(data)
                if total - firsts[i] - counts[i] + 1 == 0:  # the last part: no sheet after it
                    end = printed if i in wide or printed <= counts[i] else None
                if end is None:  # longer than the sheets asked for: ask for every sheet
                    wide.add(i)
                    found[i] = (data, printed + 1)
                    continue
                wide.discard(i)
                data = titled_outline(data, heading_texts(parts[i].body))
                known[parts[i].content] = known[f"stem:{parts[i].stem}"] = end
                cache.put(keys[i], data)
                found[i] = (data, end)
        actual = [f[1] for f in found if f is not None]
        if actual == counts and not wide:
            stems = {f"stem:{p.stem}" for p in parts}
            cache.keep_only(set(keys), {p.content for p in parts} | stems)
            return [f for f in found if f is not None]
        counts = actual
    raise PdfError("the parts' sheet counts did not settle")


def carry_cache(published: Path, build: Path) -> None:
    """Copy the published folder's part cache into the build (a report carried over whole)."""
    src = published / PARTS_DIR
    if src.is_dir() and not (build / PARTS_DIR).exists():
        shutil.copytree(src, build / PARTS_DIR)
