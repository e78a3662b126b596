"""The committee PDF's HTML: the pack's pages as one document, or each as a part of it.

Each page's ``<main>`` content goes in a section of its own that starts a new sheet; each
page's ids are made its own (``overview--key-to-symbols``) so a link within a page still
lands on that page, and a link to another page of the pack becomes a link within the PDF.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from pathlib import Path

from .pdf import PdfError
from .pdf_join import PART_LINK

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
    head_html = _head(pages[0])
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
        parts.append(f'<section class="pprr-pdf-part" id="{part_id(stems[i])}">{body}</section>')
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


def _head(page: str) -> str:
    """The page's ``<head>`` content without its title (its styles, its meta)."""
    head = _HEAD.search(page)
    return _TITLE.sub("", head.group(1)) if head else '<meta charset="utf-8">'


def page_lang(page: str) -> str:
    """The page's language (``<html lang>``), English when it says none."""
    found = re.search(r'<html lang="([^"]+)"', page)
    return found.group(1) if found else "en"


def part_id(stem: str) -> str:
    """The id of the section of the page ``stem`` (a link to the page lands on it)."""
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
        return f'href="#{f"{target}--{fragment}" if fragment else part_id(target)}"'

    return _RELATIVE_LINK.sub(relative, body)


_HREF = re.compile(r'(?<=\s)href="#([^"]*)"')
#: a link to another part is internal in the joined PDF: no address printed after it
_NO_ADDRESS = f'main a[href^="{PART_LINK}"]::after{{content:none!important}}'


def make_part(text: str, name: str, names: Sequence[str], *, title: str) -> str:
    """The page ``text`` (file ``name``, one of the pack's ``names``) as an HTML document of
    its own, to be printed on its own and joined (:mod:`.pdf_join`): its head and styles,
    ``title``, and its section as in :func:`pack_document`. A link to another page is
    printed as a :data:`PART_LINK` address, which the join makes an internal link; every id
    of the page is linked from a hidden list, so Chromium writes each as a named destination
    that a link from another page can land on. It depends on no other page, so it can be
    printed as soon as its page is made."""
    stems = [Path(n).stem for n in names]
    stem = Path(name).stem
    m = _MAIN.search(text)
    if not m:
        raise PdfError(f"{name}: the page has no <main> content to print")
    head_html = _head(text)
    lang = page_lang(text)
    body = scope_ids(m.group(1), stem, stems)

    def outward(m: re.Match[str]) -> str:
        target = m.group(1)
        for other in stems:
            if other != stem and (target == part_id(other) or target.startswith(f"{other}--")):
                return f'href="{PART_LINK}{target}"'
        return m.group(0)

    body = _HREF.sub(outward, body)
    ids = [part_id(stem), *_ID.findall(body)]
    hidden = "".join(f'<a href="#{t}"></a>' for t in dict.fromkeys(ids))
    return (
        f'<!DOCTYPE html>\n<html lang="{html.escape(lang)}"><head>{head_html}'
        f"<title>{html.escape(title)}</title><style>{PACK_CSS}{_NO_ADDRESS}</style></head><body>"
        f'<main id="content"><section class="pprr-pdf-part" id="{part_id(stem)}">{body}'
        f'</section></main><nav style="display:none" aria-hidden="true">{hidden}</nav>'
        "</body></html>\n"
    )


def running_document(sheets: int) -> str:
    """An HTML document of ``sheets`` empty sheets of the pack's size and margins: printed
    with the running header and footer, it is laid over the joined parts' sheets."""
    sheet = '<div style="break-after:page;height:1px"></div>'
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>running</title>'
        f"<style>{PACK_CSS}</style></head><body>{sheet * sheets}</body></html>\n"
    )
