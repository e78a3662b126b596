"""The committee PDF's bookmarks, titled as the headings read.

Chromium makes the PDF's bookmarks (its outline) from the headings, but joins the lines of
a heading that wraps without a space ("every child given the verybest start in life").
:func:`titled_outline` puts each heading's own text back: a bookmark whose title equals a
heading's text but for white space takes that text. The change is written as an
incremental update (pypdf), so the pages, the tags and the links Chromium wrote are kept
byte for byte.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Iterable

_HEADING = re.compile(r"<(h[1-6])\b[^>]*>(.*?)</\1>", re.S | re.I)
_TAGS = re.compile(r"<[^>]+>")
_BREAK = re.compile(r"<br\b[^>]*>", re.I)


def _squeezed(text: str) -> str:
    return "".join(text.split())


def heading_texts(document: str) -> list[str]:
    """The text of each heading of an HTML document, in order (white space collapsed)."""
    out = []
    for m in _HEADING.finditer(document):
        inner = _TAGS.sub("", _BREAK.sub(" ", m.group(2)))
        out.append(" ".join(html.unescape(inner).split()))
    return out


def titled_outline(pdf: bytes, headings: Iterable[str]) -> bytes:
    """``pdf`` with each bookmark titled by the heading it was made from (see the module);
    unchanged when no bookmark needs it."""
    from pypdf import PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    wanted: dict[str, str] = {}
    for text in headings:
        wanted.setdefault(_squeezed(text), text)
    writer = PdfWriter(io.BytesIO(pdf), incremental=True)
    outlines = writer.root_object.get("/Outlines")
    if outlines is None:
        return pdf
    changed = False
    todo = [outlines.get_object().get("/First")]
    while todo:
        ref = todo.pop()
        if ref is None:
            continue
        item = ref.get_object()
        title = str(item.get("/Title", ""))
        text = wanted.get(_squeezed(title))
        if text is not None and text != title:
            item[NameObject("/Title")] = TextStringObject(text)
            changed = True
        todo += [item.get("/Next"), item.get("/First")]
    if not changed:
        return pdf
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
