"""The committee PDF of a period: its pack's pages printed as parts, joined, written.

Each page is printed as a part of its own, kept in the period's ``.pdf-parts`` and joined,
and the running header and footer are printed once for the whole and laid over every sheet
(:mod:`.pdf_parts`, :mod:`.pdf_join`): a part already printed (kept from an earlier build)
is not printed again, so a rebuild after a correction prints only the
pages that changed. A part depends on its page alone, so the batch prints each part as soon
as its page is made, while the kernels make the next (:class:`PackPdf`, ``batch/run.py``);
:func:`write_pack_pdf` does it all at once.
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path

from ..dataset.writing import atomic_path
from .pdf import (
    ILLUSTRATIVE,
    PDF_NAME,
    PdfError,
    browser_session,
    chromium_path,
    print_options,
    print_pdf,
)
from .pdf_html import make_part, pack_document, page_lang
from .pdf_join import JoinError, join_parts
from .pdf_parts import PARTS_DIR, PartCache, printed_parts, running_sheets

#: one print at a time: the kept Chromium is one per process, its protocol one conversation
_PRINTING = threading.RLock()


def printing() -> threading.RLock:
    """The lock held while the kept Chromium is in use (one print at a time)."""
    return _PRINTING


class PackPdf:
    """The committee PDF of the pack in ``folder`` (``pages``: its page files, in order).

    ``illustrative`` (synthetic data, ``portfolio.yml`` ``illustrative: true``): the running
    header of every sheet and the PDF's title say "Illustrative data", so any single printed
    sheet says so. ``parts``: the folder its parts are kept in (default ``folder/.pdf-parts``;
    the batch keeps them beside the reports, :func:`.pdf_parts.parts_folder`).
    ``log`` gets one list of what was printed (part stems, ``"running"``) per print."""

    def __init__(
        self,
        folder: Path,
        pages: Sequence[str],
        *,
        title: str,
        edition: str,
        chromium: str | None = None,
        illustrative: bool = False,
        parts: Path | None = None,
        log: list[list[str]] | None = None,
    ) -> None:
        self.folder = folder
        self.pages = list(pages)
        self.title = title
        self.running = (
            f"{ILLUSTRATIVE}, {edition} edition" if illustrative else f"{edition} edition"
        )
        self.full_title = f"{title} ({self.running})"
        self.options = print_options(title, self.running)
        self.chromium = chromium
        self.log = log
        self.cache = PartCache(parts if parts is not None else folder / PARTS_DIR)

    def _text(self, name: str) -> str:
        path = self.folder / name
        try:
            return path.read_text(encoding="utf-8")
        except OSError:
            raise PdfError(f"{name}: the page is missing, so the PDF cannot be made") from None

    def _parts(self, names: Sequence[str], keep_browser: bool) -> list[bytes]:
        exe = self.chromium or chromium_path()
        parts = [(n.rsplit(".", 1)[0], make_part(self._text(n), n, self.pages,
                  title=self.full_title)) for n in names]  # fmt: skip
        with _PRINTING:
            return printed_parts(parts, self.options, self.cache, chromium=exe,
                                 keep_browser=keep_browser, log=self.log)  # fmt: skip

    def print_ahead(self, names: Sequence[str], *, keep_browser: bool = True) -> None:
        """Print (and keep) the parts of the pages ``names`` now, before the pack is whole:
        :meth:`write` then finds them kept."""
        self._parts(names, keep_browser)

    def write(self, *, keep_browser: bool = False) -> Path:
        """``folder/report.pdf``, written atomically; PdfError with a clear message when it
        cannot be made. ``keep_browser``: as for ``pdf.print_documents``."""
        if not self.pages:
            raise PdfError("the pack has no pages to print")
        exe = self.chromium or chromium_path()
        # one Chromium for the parts and the running sheets, used by one print at a time
        with _PRINTING, browser_session(keep_browser):
            printed = self._parts(self.pages, True)
            stamp = running_sheets(printed, self.options, self.cache, chromium=exe,
                                   keep_browser=True, log=self.log)  # fmt: skip
            try:
                data = join_parts(printed, running=stamp)
            except JoinError:  # parts not laid out as Chromium writes PDFs: printed at once
                return self._whole(exe)
        self.cache.keep_only()
        target = self.folder / PDF_NAME
        with atomic_path(target) as tmp:
            Path(tmp).write_bytes(data)
        return target

    def _whole(self, exe: str) -> Path:
        texts = [self._text(n) for n in self.pages]
        document = pack_document(
            texts, title=self.full_title, lang=page_lang(texts[0]), names=self.pages
        )
        with tempfile.TemporaryDirectory(prefix="pprr-pdf-") as tmp:
            source = Path(tmp) / "pack.html"
            source.write_text(document, encoding="utf-8")
            return print_pdf(source, self.folder / PDF_NAME, title=self.title,
                             edition=self.running, chromium=exe, keep_browser=True)  # fmt: skip


def write_pack_pdf(
    folder: Path,
    pages: Sequence[str],
    *,
    title: str,
    edition: str,
    chromium: str | None = None,
    illustrative: bool = False,
    keep_browser: bool = False,
    parts: Path | None = None,
    log: list[list[str]] | None = None,
) -> Path:
    """``folder/report.pdf`` from the pack's page files (``pages``: names in ``folder``, in
    the pack's order), as :class:`PackPdf` makes it. Raises PdfError with a clear message
    when it cannot be made."""
    pack = PackPdf(folder, pages, title=title, edition=edition, chromium=chromium,
                   illustrative=illustrative, parts=parts, log=log)  # fmt: skip
    return pack.write(keep_browser=keep_browser)
