"""Printing HTML to PDF with headless Chromium, for the committee PDF (:mod:`.pdf_pack`).

The pack's HTML (:mod:`.pdf_html`) is printed by headless Chromium, the browser the
accessibility tests already use,
through the DevTools protocol over a pipe (``--remote-debugging-pipe``; no network port, no
extra package). Chromium gives what the committee pack needs: bookmarks from the headings
(``generateDocumentOutline``), a tagged, accessible structure (``generateTaggedPDF``),
selectable text, the charts (SVG) as vector graphics, the report title and edition in the
running header and "Page n of N" in the footer. A missing browser raises :class:`PdfError`
with what to install.
"""

from __future__ import annotations

import atexit
import base64
import html
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..dataset.writing import atomic_path
from .pdf_outline import heading_texts, titled_outline

DEFAULT_CHROMIUM = "/usr/bin/chromium"
PDF_NAME = "report.pdf"
#: the running header's words for synthetic data (before the edition)
ILLUSTRATIVE = "Illustrative data"

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


class _Browser:
    """Headless Chromium driven by the DevTools protocol over ``--remote-debugging-pipe``."""

    def __init__(self, chromium: str, profile: Path, timeout: float) -> None:
        self.exe = chromium
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
                    said = err.strip()[-500:] or "it printed no error"
                    raise PdfError(
                        f"Chromium ({self.exe}) stopped unexpectedly: {said}; is it a working "
                        "Chromium? `make pdf-deps` installs one, PPRR_CHROMIUM picks another"
                    )
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

    def wait_event(self, method: str, session: str, **params: Any) -> None:
        """Wait for the event ``method`` of ``session`` whose parameters include ``params``."""
        deadline = time.monotonic() + self.timeout

        def wanted(m: dict) -> bool:
            if m.get("method") != method or m.get("sessionId") != session:
                return False
            got = m.get("params", {})
            return all(got.get(k) == v for k, v in params.items())

        while True:
            for i, m in enumerate(self._events):
                if wanted(m):
                    del self._events[i]
                    return
            self._events.append(self._message(deadline))

    def forget(self, session: str) -> None:
        """Drop the events kept of ``session`` (a tab closed)."""
        self._events = [m for m in self._events if m.get("sessionId") != session]

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


#: a browser kept running between prints of one process (``keep_browser``): ``pprr watch``
_KEPT: dict[str, Any] = {}


@contextmanager
def _browser(exe: str, timeout: float, keep: bool) -> Iterator[_Browser]:
    """A Chromium to print with: a new one, closed after, or (``keep``) the one kept
    running from an earlier print of this process, started and kept if there is none."""
    kept = _KEPT.get("browser")
    if keep and kept is not None and kept.proc.poll() is None and _KEPT.get("exe") == exe:
        kept.timeout = timeout
        try:
            yield kept
        except BaseException:
            close_browser()  # in an unknown state: the next print starts a new one
            raise
        return
    if keep:
        close_browser()  # a browser that died, or another Chromium
    profile = tempfile.TemporaryDirectory(prefix="pprr-chromium-")
    try:
        browser = _Browser(exe, Path(profile.name), timeout)
    except OSError as exc:
        profile.cleanup()
        raise PdfError(f"could not start Chromium ({exe}): {exc}") from exc
    if keep:
        _KEPT.update(browser=browser, profile=profile, exe=exe)
    try:
        yield browser
    except BaseException:
        if keep:
            close_browser()
        raise
    finally:
        if not keep:
            browser.close()
            profile.cleanup()


def close_browser() -> None:
    """Close the kept browser, if any (``pprr watch`` when it ends; also at exit)."""
    browser, profile = _KEPT.pop("browser", None), _KEPT.pop("profile", None)
    _KEPT.pop("exe", None)
    if browser is not None:
        browser.close()
    if profile is not None:
        profile.cleanup()


atexit.register(close_browser)


def start_browser(chromium: str | None = None, timeout: float = 120.0) -> None:
    """Start the kept Chromium now, if none is running, and wait until it answers (``pprr
    watch`` on a pack already built: its first rebuild's PDF does not wait for it)."""
    with _browser(chromium or chromium_path(), timeout, True) as browser:
        browser.call("Browser.getVersion")


@contextmanager
def browser_session(keep: bool) -> Iterator[None]:
    """Within the block, prints share one Chromium (pass them ``keep_browser=True``); it is
    closed after, unless ``keep`` or it was kept running before the block."""
    had = "browser" in _KEPT
    try:
        yield
    finally:
        if not keep and not had:
            close_browser()


def print_options(title: str, edition: str) -> dict:
    """``Page.printToPDF``'s options for the whole pack: A4 as the CSS says, backgrounds,
    the running header (``title``, ``edition``) and footer, tags and bookmarks."""
    return {
        "printBackground": True,
        "preferCSSPageSize": True,
        "displayHeaderFooter": True,
        "headerTemplate": _HEADER.format(title=html.escape(title), edition=html.escape(edition)),
        "footerTemplate": _FOOTER,
        "generateTaggedPDF": True,
        "generateDocumentOutline": True,
    }


#: documents loading and printing at once, each in a tab of its own
AHEAD = 2


def print_documents(
    documents: Sequence[Path],
    options: dict,
    *,
    chromium: str | None = None,
    timeout: float = 120.0,
    keep_browser: bool = False,
) -> list[bytes]:
    """Print each HTML file of ``documents`` with ``options`` in one Chromium, on
    :data:`AHEAD` tabs loading and printing at once (each loads the next document when its
    print is done): the PDFs' bytes, in order.
    ``keep_browser``: leave Chromium running for the next print of this process
    (``close_browser`` ends it)."""
    exe = chromium or chromium_path()
    out: list[bytes | None] = [None] * len(documents)
    with _browser(exe, timeout, keep_browser) as browser:
        tabs: list[tuple[str, str]] = []
        for _ in range(min(AHEAD, len(documents))):
            target_id = browser.call("Target.createTarget", {"url": "about:blank"})["targetId"]
            session = browser.call(
                "Target.attachToTarget", {"targetId": target_id, "flatten": True}
            )["sessionId"]
            browser.call("Page.enable", session=session)
            browser.call("Page.setLifecycleEventsEnabled", {"enabled": True}, session=session)
            tabs.append((target_id, session))

        def load(tab: int, document: int) -> None:
            url = documents[document].resolve().as_uri()
            sent = browser.call("Page.navigate", {"url": url}, session=tabs[tab][1])
            if sent.get("errorText"):
                raise PdfError(f"Chromium could not open {documents[document].name}: "
                               f"{sent['errorText']}")  # fmt: skip
            loading[tab] = (document, sent.get("loaderId"))

        try:
            # each tab loads a document, prints it, then loads the next one not yet taken
            loading: dict[int, tuple[int, str | None]] = {}  # tab -> (document, its loader)
            printing: dict[int, tuple[int, int]] = {}  # tab -> (document, command id)
            queue = list(range(len(documents)))
            for t in range(len(tabs)):
                load(t, queue.pop(0))
            while loading or printing:
                for t, (i, loader) in list(loading.items()):
                    browser.wait_event("Page.lifecycleEvent", tabs[t][1], name="load",
                                       loaderId=loader)  # fmt: skip
                    printing[t] = (i, browser.send("Page.printToPDF", options, session=tabs[t][1]))
                    del loading[t]
                t = min(printing, key=lambda k: printing[k][1])  # the first sent
                i, sent = printing.pop(t)
                out[i] = base64.b64decode(browser.answer(sent, "Page.printToPDF")["data"])
                if queue:
                    load(t, queue.pop(0))
        finally:
            for target_id, session in tabs:
                try:
                    browser.call("Target.closeTarget", {"targetId": target_id})
                except (PdfError, OSError):
                    pass
                browser.forget(session)
    return [d for d in out if d is not None]


def print_pdf(
    document: Path,
    target: Path,
    *,
    title: str,
    edition: str,
    chromium: str | None = None,
    timeout: float = 120.0,
    keep_browser: bool = False,
) -> Path:
    """Print the HTML file ``document`` to the A4 PDF ``target`` (written atomically), with
    the headings as bookmarks, a tagged structure, ``title`` and ``edition`` in the running
    header and page numbers in the footer. ``keep_browser``: as for ``print_documents``."""
    (data,) = print_documents(
        [document],
        print_options(title, edition),
        chromium=chromium,
        timeout=timeout,
        keep_browser=keep_browser,
    )
    data = titled_outline(data, heading_texts(document.read_text(encoding="utf-8")))
    with atomic_path(target) as tmp:
        Path(tmp).write_bytes(data)
    return target
