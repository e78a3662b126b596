"""The committee PDF's parts, printed once and kept, so a rebuild prints only what changed.

A part is one page of the pack (overview, priority-1, ..., quality) printed as a document of
its own (:func:`.pdf_html.make_parts`), without the running header and footer: so its PDF
does not depend on where in the pack it falls, and a part whose page did not change is
never printed again, whatever happened to the pages before it. The running header and
footer ("Page 12 of 78") are printed once for the whole pack, on as many empty sheets as
the parts came to, and laid over the joined sheets (:mod:`.pdf_join`).

The cache (:func:`parts_folder`: ``<out>/.pprr-cache/pdf-parts/<edition>/[<portfolio>/]<slug>/``, beside
the reports, never inside a period's folder, so the public edition's folder is published
without it) holds each PDF under a key of everything it depends on: the document printed, the print
options, Chromium, the code of this module and of the bookmarks' titling, and
:data:`FORMAT`. A missing or damaged file only means printing it again.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .pdf import PdfError, print_documents
from .pdf_html import running_document
from .pdf_join import JoinError, sheet_count
from .pdf_outline import heading_texts, titled_outline

#: the cache folder of a report folder (``pprr run --out``)
CACHE_DIR = ".pprr-cache"
#: what a PDF made on its own keeps its parts in, beside it (``write_pack_pdf`` alone)
PARTS_DIR = ".pdf-parts"
#: changes when what is printed or kept of a part changes (outdates every kept part)
FORMAT = "2"
#: what the log calls the running header and footer's sheets
RUNNING = "running"


def _digest(*items: object) -> str:
    return hashlib.sha256(json.dumps(items, sort_keys=True).encode()).hexdigest()[:32]


def _code() -> str:
    """Hash of the code that makes a part's PDF (this module, the HTML and the titling)."""
    here = Path(__file__).parent
    h = hashlib.sha256()
    for name in ("pdf_parts.py", "pdf_html.py", "pdf_outline.py"):
        h.update((here / name).read_bytes())
    return h.hexdigest()


def _chromium_id(exe: str) -> list:
    try:
        st = os.stat(exe)
    except OSError:
        return [exe]
    return [os.path.realpath(exe), st.st_size, int(st.st_mtime)]


def parts_folder(out_dir: Path, public: bool, *names: str) -> Path:
    """Where the PDF parts of a run into ``out_dir`` (``--out``, never its ``public/``, so
    the public edition is published without them) are kept: ``names`` are the portfolio's
    folder, if any, and the period's slug."""
    return (
        out_dir / CACHE_DIR / "pdf-parts" / ("public" if public else "internal") / "/".join(names)
    )


@dataclass
class PartCache:
    """PDFs by key in ``folder``."""

    folder: Path
    used: set[str] = field(default_factory=set)

    def get(self, key: str) -> bytes | None:
        """The PDF under ``key``; None when missing or damaged."""
        self.used.add(key)
        try:
            data = (self.folder / f"{key}.pdf").read_bytes()
        except OSError:
            return None
        return data if data.startswith(b"%PDF-") and b"%%EOF" in data[-64:] else None

    def put(self, key: str, data: bytes) -> None:
        """Keep ``data`` under ``key`` (written whole, then renamed)."""
        self.used.add(key)
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.folder / f".{key}.tmp"
        tmp.write_bytes(data)
        os.replace(tmp, self.folder / f"{key}.pdf")

    def keep_only(self) -> None:
        """Remove the folder's files that this build did not use."""
        if not self.folder.is_dir():
            return
        for f in self.folder.iterdir():
            if f.stem not in self.used:
                f.unlink(missing_ok=True)


def _print(
    documents: list[tuple[str, str]],
    options: dict,
    *,
    chromium: str,
    keep_browser: bool,
    log: list[list[str]] | None,
) -> list[bytes]:
    """Print ``documents`` (name, HTML) in one Chromium session; their PDFs."""
    if log is not None:
        log.append([name for name, _ in documents])
    with tempfile.TemporaryDirectory(prefix="pprr-pdf-") as tmp:
        paths = []
        for i, (_, text) in enumerate(documents):
            paths.append(Path(tmp) / f"{i}.html")
            paths[-1].write_text(text, encoding="utf-8")
        return print_documents(paths, options, chromium=chromium, keep_browser=keep_browser)


def _usable(data: bytes | None) -> bool:
    """Whether a kept PDF can be joined (a damaged one is printed again)."""
    try:
        return data is not None and sheet_count(data) > 0
    except JoinError:
        return False


def printed_parts(
    parts: Sequence[tuple[str, str]],
    options: dict,
    cache: PartCache,
    *,
    chromium: str,
    keep_browser: bool = False,
    log: list[list[str]] | None = None,
) -> list[bytes]:
    """Each part's PDF (``parts``: (stem, HTML) from :func:`.pdf_html.make_parts`): kept
    from an earlier build, or printed with ``options`` less the running header and footer
    (every changed part in one Chromium session), bookmarks titled, and kept."""
    own = {**options, "displayHeaderFooter": False}
    own.pop("headerTemplate", None)
    own.pop("footerTemplate", None)
    base = _digest(FORMAT, own, _chromium_id(chromium), _code())
    keys = [_digest(base, text) for _, text in parts]
    found: list[bytes | None] = [cache.get(k) for k in keys]
    todo = [i for i, data in enumerate(found) if not _usable(data)]
    if todo:
        datas = _print([parts[i] for i in todo], own, chromium=chromium,
                       keep_browser=keep_browser, log=log)  # fmt: skip
        for i, data in zip(todo, datas, strict=True):
            data = titled_outline(data, heading_texts(parts[i][1]))
            cache.put(keys[i], data)
            found[i] = data
    return [d for d in found if d is not None]


def running_sheets(
    parts: Sequence[bytes],
    options: dict,
    cache: PartCache,
    *,
    chromium: str,
    keep_browser: bool = False,
    log: list[list[str]] | None = None,
) -> bytes:
    """The running header and footer of the pack made of ``parts`` (their PDFs): empty
    sheets, as many as the parts have, printed with ``options``' header and footer and
    nothing else (kept, as the parts are)."""
    sheets = sum(sheet_count(p) for p in parts)
    own = {
        "printBackground": False,
        "preferCSSPageSize": True,
        "displayHeaderFooter": True,
        "headerTemplate": options["headerTemplate"],
        "footerTemplate": options["footerTemplate"],
    }
    key = _digest(FORMAT, RUNNING, own, sheets, _chromium_id(chromium), _code())
    data = cache.get(key)
    if _usable(data) and data is not None and sheet_count(data) == sheets:
        return data
    (data,) = _print([(RUNNING, running_document(sheets))], own, chromium=chromium,
                     keep_browser=keep_browser, log=log)  # fmt: skip
    if sheet_count(data) != sheets:
        raise PdfError(
            f"the running header and footer came to {sheet_count(data)} sheets, not {sheets}"
        )
    cache.put(key, data)
    return data
