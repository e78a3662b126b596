"""Accessibility and self-containment checks of report pages (WCAG 2.2 AA, no internet loads).

Two layers, both run by :func:`check_pages`:

* **browser** -- ``tests/a11y/axe_check.mjs`` opens every page as ``file://`` in Debian's
  headless Chromium (playwright-core, one browser for all pages), runs axe-core's WCAG 2.0,
  2.1 and 2.2 A/AA rules, and blocks and reports any request that is not ``file:``/``data:``.
  Installed by ``make a11y-deps`` (Debian ``chromium``, ``npm ci``).
* **static** -- what axe cannot see or does not enforce: exactly one ``h1``; headings that
  start at ``h1`` and never skip a level; every ``img`` with a real text alternative (not
  empty, not "image"/"chart", not a file name); every table with a caption and ``th`` header
  cells that carry ``scope``; ``<html lang>``; no ``http(s)://`` or ``//`` resource reference
  (attributes and CSS; found by ``pprr_utils.batch.export.remote_loads``, the batch's own
  shareability check); RAG/trend tags (``pprr-tag``) that say their meaning in text, not by
  colour alone.

``python tests/a11y/check.py reports/`` checks every page under a folder and exits 1 on a
violation.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from pprr_utils.batch.export import remote_loads

REPO_ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = REPO_ROOT / "tests" / "a11y" / "axe_check.mjs"
NODE_MODULES = REPO_ROOT / "node_modules"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")

_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_HEADING = re.compile(r"^h([1-6])$")
_FILE_NAME = re.compile(
    r"^[\w.\- ]+\.(?:png|jpe?g|gif|svg|webp|bmp|tiff?|avif|ico)$", re.IGNORECASE
)
_GENERIC_ALT = re.compile(
    r"^(?:an?\s+)?(?:image|img|picture|photo|graphic|chart|graph|plot|figure|diagram|icon)"
    r"(?:\s*\d+)?\.?$",
    re.IGNORECASE,
)
_DATA_URI = re.compile(r"(data:[^,\"'\s]*,)[^\"'\s>]*", re.IGNORECASE)
_SCOPES = frozenset({"col", "row", "colgroup", "rowgroup"})


class BrowserCheckUnavailable(RuntimeError):
    """The browser check cannot run here (no node, Chromium or npm packages)."""


@dataclass(frozen=True)
class Violation:
    """One failed rule on one page: which page, which rule, what and where."""

    page: str
    rule: str
    message: str
    element: str = ""
    source: str = "static"  # static | axe | browser
    impact: str | None = None

    def __str__(self) -> str:
        where = f" -- element: {self.element}" if self.element else ""
        return f"{self.page}: [{self.source}:{self.rule}] {self.message}{where}"


def _short(value: str, limit: int = 80) -> str:
    """An attribute value fit for a message: data URIs and long text cut."""
    if value.lower().startswith("data:"):
        return value.split(",", 1)[0] + ",..."
    return value if len(value) <= limit else value[: limit - 3] + "..."


def _describe(tag: str, attrs: dict[str, str | None], line: int) -> str:
    """``<tag a="v"> (line N)`` with the attributes that identify the element."""
    keep = ("id", "class", "src", "href", "alt", "scope", "lang", "srcset", "data", "poster")
    shown = " ".join(
        f'{k}="{_short(v or "")}"' if v is not None else k for k, v in attrs.items() if k in keep
    )
    return f"<{tag}{' ' + shown if shown else ''}> (line {line})"


@dataclass
class _Open:
    """An element being parsed whose text is collected (heading, caption, tag, table)."""

    kind: str
    tag: str
    desc: str
    text: str = ""
    depth: int = 0  # how many elements were open around it
    captions: int = 0
    first_child: str | None = None
    th: int = 0
    presentation: bool = False


class _PageParser(HTMLParser):
    """Collects what the static rules need in one pass over the page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, aria-hidden) of open elements
        self.collect: list[_Open] = []  # open headings, captions, pprr tags
        self.tables: list[_Open] = []
        self.html_lang: str | None = None
        self.saw_html = False
        self.headings: list[tuple[int, str, str]] = []  # (level, text, element)
        self.images: list[tuple[dict[str, str | None], str]] = []
        self.tables_done: list[_Open] = []
        self.bad_th: list[str] = []
        self.status_tags: list[tuple[str, str]] = []  # (text, element)
        self.in_style = False

    # -- helpers -------------------------------------------------------------------------
    def _hidden(self) -> bool:
        return any(h for _, h in self.stack)

    # -- HTMLParser ----------------------------------------------------------------------
    def handle_starttag(self, tag: str, attr_list: list[tuple[str, str | None]]) -> None:
        attrs = dict(attr_list)
        line = self.getpos()[0]
        desc = _describe(tag, attrs, line)
        if tag == "html":
            self.saw_html = True
            self.html_lang = attrs.get("lang")
        elif tag == "img":
            self.images.append((attrs, desc))
            if self.collect and not self._hidden():
                for c in self.collect:
                    c.text += " " + (attrs.get("alt") or "")
        elif tag == "style":
            self.in_style = True
        depth = len(self.stack)
        if self.tables and tag in (
            "caption",
            "tr",
            "thead",
            "tbody",
            "tfoot",
            "colgroup",
            "th",
            "td",
        ):
            table = self.tables[-1]
            if table.first_child is None:
                table.first_child = tag
            if tag == "caption":
                table.captions += 1
                self.collect.append(_Open("caption", tag, desc, depth=depth))
            elif tag == "th":
                table.th += 1
                if (attrs.get("scope") or "").strip().lower() not in _SCOPES:
                    self.bad_th.append(desc)
        if tag == "table":
            role = (attrs.get("role") or "").lower()
            self.tables.append(
                _Open(
                    "table", tag, desc, depth=depth, presentation=role in ("presentation", "none")
                )
            )
        if _HEADING.match(tag):
            self.collect.append(_Open("heading", tag, desc, depth=depth))
        classes = (attrs.get("class") or "").split()
        if "pprr-tag" in classes:
            self.collect.append(_Open("status", tag, desc, depth=depth))
        if tag not in _VOID:
            hidden = (attrs.get("aria-hidden") or "").lower() == "true"
            self.stack.append((tag, hidden))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self.in_style = False
        if tag not in (t for t, _ in self.stack):
            return  # a stray end tag
        while self.stack:
            t, _ = self.stack.pop()
            if t == tag:
                break
        depth = len(self.stack)
        while self.collect and self.collect[-1].depth >= depth:
            self._finish(self.collect.pop())
        while self.tables and self.tables[-1].depth >= depth:
            self.tables_done.append(self.tables.pop())

    def _finish(self, c: _Open) -> None:
        text = " ".join(c.text.split())
        if c.kind == "heading":
            self.headings.append((int(c.tag[1]), text, c.desc))
        elif c.kind == "caption" and self.tables:
            self.tables[-1].text = text
        elif c.kind == "status":
            self.status_tags.append((text, c.desc))

    def handle_data(self, data: str) -> None:
        if self.in_style:
            return
        if self.collect and not self._hidden():
            for c in self.collect:
                c.text += data


def static_check(page_html: str, page: str = "page") -> list[Violation]:
    """The rules beyond axe for one page's HTML; ``page`` names it in the messages."""
    p = _PageParser()
    p.feed(page_html)
    p.close()
    out: list[Violation] = []

    def add(rule: str, message: str, element: str = "") -> None:
        out.append(Violation(page, rule, message, element))

    if not p.saw_html or not (p.html_lang or "").strip():
        add(
            "html-lang",
            'the page has no language: <html> needs a lang attribute (e.g. lang="en")',
            "<html>",
        )
    h1 = [h for h in p.headings if h[0] == 1]
    if len(h1) != 1:
        found = "; ".join(f"{e} {t!r}" for _, t, e in h1) or "none"
        add("one-h1", f"the page must have exactly one h1; found {len(h1)}", found)
    previous = 0
    for level, text, element in p.headings:
        if level > previous + 1:
            was = f"h{previous}" if previous else "the start of the page"
            add(
                "heading-order",
                f"heading level skips from {was} to h{level} ({text!r}); use h{previous + 1}",
                element,
            )
        if not text:
            add("heading-empty", f"h{level} has no text", element)
        previous = level
    for attrs, element in p.images:
        alt = attrs.get("alt")
        if alt is None:
            add("img-alt", "image has no alt attribute: describe what it shows", element)
        elif not alt.strip():
            add("img-alt", "image has an empty alt: describe what it shows", element)
        elif _GENERIC_ALT.match(alt.strip()):
            add("img-alt", f"image alt {alt!r} is not a description of what it shows", element)
        elif _FILE_NAME.match(alt.strip()):
            add("img-alt", f"image alt {alt!r} is a file name, not a description", element)
    for table in p.tables_done:
        if table.presentation:
            continue
        if table.captions == 0:
            add("table-caption", "table has no <caption>", table.desc)
        elif table.first_child != "caption":
            add("table-caption", "the <caption> must be the table's first child", table.desc)
        elif not table.text:
            add("table-caption", "table caption is empty", table.desc)
        if table.th == 0:
            add("table-headers", "table has no <th> header cells", table.desc)
    for element in p.bad_th:
        add(
            "th-scope", 'header cell has no scope ("col", "row", "colgroup" or "rowgroup")', element
        )
    for load in remote_loads(page_html):  # the batch's own check (export.page_problems)
        element = (
            "<style>"
            if load.attribute is None
            else _describe(load.tag, dict(load.attrs), load.line)
        )
        add(
            "remote-resource",
            f"the page loads {_short(load.url, 120)} from the internet; embed it instead",
            element,
        )
    for text, element in p.status_tags:
        if not re.search(r"[A-Za-z]", text):
            add(
                "status-text",
                "status/trend tag is shown by colour or symbol alone: it needs "
                "its meaning in text (e.g. 'Red', 'Getting better')",
                element,
            )
    return out


def _browser_setup() -> tuple[str, str]:
    """``(node, chromium)`` or BrowserCheckUnavailable saying what is missing."""
    node = shutil.which("node")
    chromium = os.environ.get("PPRR_CHROMIUM", DEFAULT_CHROMIUM)
    missing = []
    if node is None:
        missing.append("node (Node.js) is not on PATH")
    if not Path(chromium).exists():
        missing.append(f"Chromium is not at {chromium}")
    for pkg in ("axe-core", "playwright-core"):
        if not (NODE_MODULES / pkg / "package.json").exists():
            missing.append(f"the npm package {pkg} is not in {NODE_MODULES}")
    if missing:
        raise BrowserCheckUnavailable(
            "the browser accessibility check cannot run: "
            + "; ".join(missing)
            + ". Install them with: make a11y-deps"
        )
    return node, chromium  # type: ignore[return-value]


def browser_check(paths: Sequence[str | Path], *, timeout: float = 600.0) -> list[Violation]:
    """axe-core's WCAG A/AA rules and blocked network requests, one Chromium for all pages."""
    if not paths:
        return []
    node, chromium = _browser_setup()
    env = dict(os.environ, PPRR_CHROMIUM=chromium)
    proc = subprocess.run(
        [node, str(AXE_SCRIPT), *(str(Path(p).resolve()) for p in paths)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        cwd=REPO_ROOT,
        check=False,
    )
    if proc.returncode != 0:
        raise BrowserCheckUnavailable(
            f"the browser check failed (exit {proc.returncode}): {proc.stderr.strip()[-2000:]}"
        )
    report = json.loads(proc.stdout)
    names = {str(Path(p).resolve()): str(p) for p in paths}
    out: list[Violation] = []
    for page in report["pages"]:
        name = names.get(page["path"], page["path"])
        for rule in page["violations"]:
            for node_ in rule["nodes"]:
                lines = [x.strip() for x in node_["summary"].splitlines() if x.strip()]
                detail = " ".join(lines[:2])  # "Fix any of the following:" and the first reason
                snippet = _DATA_URI.sub(r"\1...", node_["html"])
                out.append(
                    Violation(
                        name,
                        rule["id"],
                        f"{rule['help']} ({', '.join(rule['tags'])}). {detail}",
                        f"{node_['target']} {snippet}",
                        "axe",
                        rule["impact"],
                    )
                )
        for url in page["requests"]:
            out.append(
                Violation(
                    name,
                    "network-request",
                    f"the page tried to load {url} "
                    "(blocked): a shared page must not load anything from the "
                    "internet",
                    "",
                    "browser",
                )
            )
        for error in page["errors"]:
            out.append(Violation(name, "page-error", error, "", "browser"))
    return out


def expand_pages(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, folders as every ``*.html`` below them (sorted)."""
    pages: list[Path] = []
    for p in map(Path, paths):
        pages += sorted(p.rglob("*.html")) if p.is_dir() else [p]
    return pages


def check_pages(paths: Iterable[str | Path], *, browser: bool = True) -> list[Violation]:
    """Every rule (static, and with ``browser`` axe-core in Chromium) on pages or folders.

    Raises BrowserCheckUnavailable when ``browser`` and the browser tools are not installed.
    """
    pages = expand_pages(paths)
    out: list[Violation] = []
    for page in pages:
        out += static_check(page.read_text(encoding="utf-8"), str(page))
    if browser:
        out += browser_check(pages)
    return sorted(out, key=lambda v: (v.page, v.source, v.rule))


def format_violations(violations: Sequence[Violation]) -> str:
    """One line per violation, and a count."""
    if not violations:
        return "no accessibility violations"
    pages = len({v.page for v in violations})
    lines = [str(v) for v in violations]
    return "\n".join(lines + [f"{len(violations)} violation(s) on {pages} page(s)"])


def main(argv: Sequence[str] | None = None) -> int:
    """``python tests/a11y/check.py [--static] PATH...``: 0 clean, 1 violations, 2 cannot run."""
    args = list(sys.argv[1:] if argv is None else argv)
    browser = "--static" not in args
    args = [a for a in args if a != "--static"]
    if not args:
        print("usage: python tests/a11y/check.py [--static] PAGE_OR_FOLDER...", file=sys.stderr)
        return 2
    try:
        found = check_pages(args, browser=browser)
    except BrowserCheckUnavailable as exc:
        print(exc, file=sys.stderr)
        return 2
    print(format_violations(found))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
