"""The committee PDF: a period's whole pack (overview, priorities, finance) as one A4 PDF.

The pages' ``<main>`` contents are joined into one HTML document (each page starting on a new
sheet) and printed by headless Chromium, the browser the accessibility tests already use,
through the DevTools protocol over a pipe (``--remote-debugging-pipe``; no network port, no
extra package). Chromium gives what the committee pack needs: bookmarks from the headings
(``generateDocumentOutline``), a tagged, accessible structure (``generateTaggedPDF``),
selectable text, the charts (SVG) as vector graphics, the report title and edition in the
running header and "Page n of N" in the footer. A missing browser raises :class:`PdfError`
with what to install.
"""

from __future__ import annotations

import base64
import html
import json
import os
import re
import select
import shutil
import subprocess
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..dataset.writing import atomic_path
from .pdf_outline import heading_texts, titled_outline

if TYPE_CHECKING:
    from .pdf_parts import PrintLog

DEFAULT_CHROMIUM = "/usr/bin/chromium"
PDF_NAME = "report.pdf"
#: the running header's words for synthetic data (before the edition)
ILLUSTRATIVE = "Illustrative data"

_MAIN = re.compile(r'<main id="content">(.*)</main>', re.S)
_HEAD = re.compile(r"<head>(.*?)</head>", re.S)
_TITLE = re.compile(r"<title>.*?</title>", re.S)

#: the combined document's own rules: room for the running header and footer, a new sheet
#: for each page of the pack
PACK_CSS = """
@page{size:A4;margin:20mm 12mm 18mm 12mm}
.pprr-pdf-part+.pprr-pdf-part{break-before:page}
.pprr-nav{display:none}
"""

_HEADER = (
    "<div style=\"font-family:Arial,'DejaVu Sans',sans-serif;font-size:8pt;color:#383f43;"
    'width:100%;margin:0 12mm;display:flex;justify-content:space-between">'
    "<span>{title}</span><span>{edition}</span></div>"
)
_FOOTER = (
    "<div style=\"font-family:Arial,'DejaVu Sans',sans-serif;font-size:8pt;color:#383f43;"
    'width:100%;margin:0 12mm;text-align:right">Page <span class="pageNumber"></span> of '
    '<span class="totalPages"></span></div>'
)


#: documents loading and printing at once, each in a tab of its own
_AHEAD = 3


class PdfError(RuntimeError):
    """The PDF could not be made; the message says why and what to do."""


def chromium_path() -> str:
    """The Chromium to print with (``PPRR_CHROMIUM``, else ``/usr/bin/chromium`` or the
    first ``chromium``/``chromium-browser`` on PATH); PdfError naming what to install."""
    wanted = os.environ.get("PPRR_CHROMIUM")
    candidates = [wanted] if wanted else [DEFAULT_CHROMIUM, "chromium", "chromium-browser"]
    for c in candidates:
        found = c if Path(c).is_file() else shutil.which(c)
        if found and os.access(found, os.X_OK):
            return found
    where = f"PPRR_CHROMIUM={wanted}" if wanted else f"{DEFAULT_CHROMIUM} or on PATH"
    raise PdfError(
        f"the committee PDF needs Chromium, which was not found ({where}); install it with "
        "`make pdf-deps` (Debian package chromium) or point PPRR_CHROMIUM at it"
    )


def pack_document(
    pages: Sequence[str],
    *,
    title: str,
    lang: str = "en",
    names: Sequence[str] | None = None,
) -> str:
    """One HTML document of the pack: the first page's head (styles), ``title`` as its
    title, and each page's ``<main>`` content in order, each in its own section.

    ``names`` (the pages' file names, as they link to each other): each page's ids are
    made its own (``overview--key-to-symbols``), so a link within a page still lands on
    that page, and a link to another page of the pack (``quality.html``) becomes a link
    within the document, not to a file beside a temporary copy."""
    if not pages:
        raise PdfError("the pack has no pages to print")
    head = _HEAD.search(pages[0])
    head_html = _TITLE.sub("", head.group(1)) if head else '<meta charset="utf-8">'
    stems = [Path(n).stem for n in names] if names is not None else None
    if stems is not None and len(stems) != len(pages):
        raise PdfError(f"{len(pages)} pages but {len(stems)} page names")
    parts = []
    for i, page in enumerate(pages):
        m = _MAIN.search(page)
        if not m:
            raise PdfError(f"page {i + 1} of the pack has no <main> content to print")
        if stems is None:
            parts.append(f'<section class="pprr-pdf-part">{m.group(1)}</section>')
            continue
        body = scope_ids(m.group(1), stems[i], stems)
        parts.append(f'<section class="pprr-pdf-part" id="{_part_id(stems[i])}">{body}</section>')
    return (
        f'<!DOCTYPE html>\n<html lang="{html.escape(lang)}"><head>{head_html}'
        f"<title>{html.escape(title)}</title><style>{PACK_CSS}</style></head>"
        f'<body><main id="content">{"".join(parts)}</main></body></html>\n'
    )


_ID = re.compile(r'(?<=\s)id="([^"]*)"')
_FRAGMENT = re.compile(r'(?<=\s)((?:xlink:)?href)="#([^"]*)"')
_URL_REF = re.compile(r"url\(#([^)\s]*)\)")
_ID_LISTS = re.compile(
    r'(?<=\s)(aria-labelledby|aria-describedby|aria-controls|aria-owns|headers|for|list)="([^"]*)"'
)
# a relative link (not "#x", not "scheme:"): to a page of the pack or to a file beside it
_RELATIVE_LINK = re.compile(r'(?<=\s)href="(?![#/]|[A-Za-z][A-Za-z0-9+.-]*:)([^"#]*)(?:#([^"]*))?"')


def _part_id(stem: str) -> str:
    return f"pprr-page-{stem}"


def scope_ids(body: str, stem: str, stems: Sequence[str]) -> str:
    """``body`` (one page's main content) with every id prefixed ``stem--`` and every
    reference to one (``href="#x"``, ``url(#x)``, ``aria-labelledby``, ``headers``, ...)
    following it. A link to another page of the pack (``stems``) becomes a link within the
    document; a link to any other file beside the page is dropped (the PDF has no files
    beside it), its text kept."""
    pre = f"{stem}--"
    body = _ID.sub(lambda m: f'id="{pre}{m.group(1)}"', body)
    body = _FRAGMENT.sub(lambda m: f'{m.group(1)}="#{pre}{m.group(2)}"', body)
    body = _URL_REF.sub(lambda m: f"url(#{pre}{m.group(1)})", body)
    body = _ID_LISTS.sub(
        lambda m: f'{m.group(1)}="{" ".join(pre + t for t in m.group(2).split())}"', body
    )
    known = {f"{s}.html": s for s in stems}

    def relative(m: re.Match[str]) -> str:
        target, fragment = known.get(m.group(1)), m.group(2)
        if target is None:  # a file beside the page (scorecard.csv): no file in a PDF
            return 'data-pprr-unlinked="' + m.group(1) + '"'
        return f'href="#{f"{target}--{fragment}" if fragment else _part_id(target)}"'

    return _RELATIVE_LINK.sub(relative, body)


class _Browser:
    """Headless Chromium driven by the DevTools protocol over ``--remote-debugging-pipe``."""

    def __init__(self, chromium: str, profile: Path, timeout: float) -> None:
        self.timeout = timeout
        to_chrome_r, self._w = os.pipe()
        self._r, from_chrome_w = os.pipe()
        args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            f"--user-data-dir={profile}",
            "--remote-debugging-pipe",
            "about:blank",
        ]
        # Chromium reads commands on fd 3 and writes replies on fd 4
        shell = f'exec "$0" "$@" 3<&{to_chrome_r} 4>&{from_chrome_w}'
        self.proc = subprocess.Popen(
            ["/bin/bash", "-c", shell, chromium, *args],  # dash takes one-digit fds only
            pass_fds=(to_chrome_r, from_chrome_w),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._buf = b""
        self._id = 0
        self._events: list[dict] = []

    def _message(self, deadline: float) -> dict:
        while b"\0" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise PdfError(f"Chromium did not answer within {self.timeout:.0f} s")
            ready, _, _ = select.select([self._r], [], [], left)
            if ready:
                chunk = os.read(self._r, 1 << 20)
                if not chunk:
                    err = (
                        self.proc.stderr.read().decode(errors="replace") if self.proc.stderr else ""
                    )
                    raise PdfError(f"Chromium stopped unexpectedly: {err.strip()[-500:]}")
                self._buf += chunk
        raw, self._buf = self._buf.split(b"\0", 1)
        return json.loads(raw)

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> int:
        """Send a command; its id, to wait for its answer with :meth:`answer`."""
        self._id += 1
        msg: dict = {"id": self._id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        data = json.dumps(msg).encode() + b"\0"
        while data:
            data = data[os.write(self._w, data) :]
        return self._id

    def answer(self, sent: int, method: str = "") -> dict:
        """The answer to the command ``sent`` (other messages kept for later)."""
        deadline = time.monotonic() + self.timeout
        for i, m in enumerate(self._events):
            if m.get("id") == sent:
                del self._events[i]
                break
        else:
            while True:
                m = self._message(deadline)
                if m.get("id") == sent:
                    break
                self._events.append(m)
        if "error" in m:
            raise PdfError(f"Chromium refused {method}: {m['error'].get('message')}")
        return m.get("result", {})

    def call(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        return self.answer(self.send(method, params, session), method)

    def wait_event(self, method: str, session: str) -> None:
        deadline = time.monotonic() + self.timeout
        while True:
            for i, m in enumerate(self._events):
                if m.get("method") == method and m.get("sessionId") == session:
                    del self._events[i]
                    return
            self._events.append(self._message(deadline))

    def close(self) -> None:
        try:
            self.call("Browser.close")
        except (PdfError, OSError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for fd in (self._r, self._w):
            try:
                os.close(fd)
            except OSError:
                pass


def print_options(title: str, edition: str) -> dict:
    """``Page.printToPDF``'s options for the pack: A4 as the CSS says, backgrounds, the
    running header (``title``, ``edition``) and footer, tags and bookmarks."""
    return {
        "printBackground": True,
        "preferCSSPageSize": True,
        "displayHeaderFooter": True,
        "headerTemplate": _HEADER.format(title=html.escape(title), edition=html.escape(edition)),
        "footerTemplate": _FOOTER,
        "generateTaggedPDF": True,
        "generateDocumentOutline": True,
    }


def print_documents(
    documents: Sequence[tuple[Path, str]],
    options: dict,
    *,
    chromium: str | None = None,
    timeout: float = 120.0,
) -> list[bytes]:
    """Print each HTML file of ``documents`` (path, ``pageRanges``: "" for every sheet) with
    ``options`` in one Chromium session (one browser start, a tab each, ``_AHEAD`` loading
    and printing at once): the PDFs' bytes, in order."""
    exe = chromium or chromium_path()
    out = []
    with tempfile.TemporaryDirectory(prefix="pprr-chromium-") as profile:
        try:
            browser = _Browser(exe, Path(profile), timeout)
        except OSError as exc:
            raise PdfError(f"could not start Chromium ({exe}): {exc}") from exc
        try:
            tabs: list[tuple[str, str]] = []

            def open_tab(document: Path) -> None:
                target_id = browser.call("Target.createTarget", {"url": "about:blank"})["targetId"]
                session = browser.call(
                    "Target.attachToTarget", {"targetId": target_id, "flatten": True}
                )["sessionId"]
                browser.call("Page.enable", session=session)
                url = document.resolve().as_uri()
                browser.call("Page.navigate", {"url": url}, session=session)
                tabs.append((target_id, session))

            pending: list[int] = []  # the ids of the prints under way, in order
            while len(out) < len(documents):
                while len(tabs) < min(len(out) + _AHEAD, len(documents)):
                    open_tab(documents[len(tabs)][0])
                while len(out) + len(pending) < len(tabs):  # _AHEAD print at once
                    i = len(out) + len(pending)
                    browser.wait_event("Page.loadEventFired", tabs[i][1])
                    ranges = documents[i][1]
                    params = {**options, "pageRanges": ranges} if ranges else options
                    pending.append(browser.send("Page.printToPDF", params, session=tabs[i][1]))
                result = browser.answer(pending.pop(0), "Page.printToPDF")
                browser.call("Target.closeTarget", {"targetId": tabs[len(out)][0]})
                out.append(base64.b64decode(result["data"]))
        finally:
            browser.close()
    return out


def print_pdf(
    document: Path,
    target: Path,
    *,
    title: str,
    edition: str,
    chromium: str | None = None,
    timeout: float = 120.0,
) -> Path:
    """Print the HTML file ``document`` to the A4 PDF ``target`` (written atomically), with
    the headings as bookmarks, a tagged structure, ``title`` and ``edition`` in the running
    header and page numbers in the footer."""
    options = print_options(title, edition)
    (data,) = print_documents([(document, "")], options, chromium=chromium, timeout=timeout)
    data = titled_outline(data, heading_texts(document.read_text(encoding="utf-8")))
    with atomic_path(target) as tmp:
        Path(tmp).write_bytes(data)
    return target


def write_pack_pdf(
    folder: Path,
    pages: Sequence[str],
    *,
    title: str,
    edition: str,
    chromium: str | None = None,
    illustrative: bool = False,
    published: Path | None = None,
    log: PrintLog | None = None,
) -> Path:
    """``folder/report.pdf`` from the pack's page files (``pages``: names in ``folder``, in
    the pack's order). Raises PdfError with a clear message when it cannot be made.

    ``illustrative`` (synthetic data, ``portfolio.yml`` ``illustrative: true``): the running
    header of every sheet and the PDF's title say "Illustrative data", so any single printed
    sheet says so.

    Each page is printed as a part of its own and kept in ``folder/.pdf-parts``; a part
    already printed there or in ``published`` (the period's published folder) with the
    same content at the same place is not printed again (:mod:`.pdf_parts`); ``log``
    records what was printed."""
    from .pdf_join import join_parts
    from .pdf_parts import PARTS_DIR, PartCache, make_parts, printed_parts

    texts = []
    for name in pages:
        path = folder / name
        if not path.is_file():
            raise PdfError(f"{name}: the page is missing, so the PDF cannot be made")
        texts.append(path.read_text(encoding="utf-8"))
    if not texts:
        raise PdfError("the pack has no pages to print")
    lang_m = re.search(r'<html lang="([^"]+)"', texts[0])
    lang = lang_m.group(1) if lang_m else "en"
    running = f"{ILLUSTRATIVE}, {edition} edition" if illustrative else f"{edition} edition"
    full_title = f"{title} ({running})"
    parts = make_parts(
        texts, list(pages), title=full_title, lang=lang, css=PACK_CSS, part_id=_part_id
    )
    seed = published / PARTS_DIR if published is not None else None
    cache = PartCache(folder / PARTS_DIR, seed if seed != folder / PARTS_DIR else None)
    exe = chromium or chromium_path()
    printed = printed_parts(parts, print_options(title, running), cache, chromium=exe, log=log)
    data = join_parts(
        [d for d, _ in printed], title=full_title, lang=lang, sheets=[n for _, n in printed]
    )
    target = folder / PDF_NAME
    with atomic_path(target) as tmp:
        Path(tmp).write_bytes(data)
    return target
