"""The committee PDF's bookmarks, titled as the headings read.

Chromium makes the PDF's bookmarks (its outline) from the headings, but joins the lines of
a heading that wraps without a space ("every child given the verybest start in life").
:func:`titled_outline` puts each heading's own text back: a bookmark whose title equals a
heading's text but for white space takes that text. pypdf reads the bookmarks; the
changed ones are appended as an incremental update (new objects, a cross-reference table
and a trailer after the file), so the pages, tags and links Chromium wrote are kept byte
for byte and a long PDF is not parsed and written again (that took 1.3 s for 84 pages).
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Iterable
from typing import Any

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
    from pypdf import PdfReader
    from pypdf.generic import NameObject, TextStringObject

    wanted: dict[str, str] = {}
    for text in headings:
        wanted.setdefault(_squeezed(text), text)
    reader = PdfReader(io.BytesIO(pdf))
    outlines = reader.trailer["/Root"].get("/Outlines")
    if outlines is None:
        return pdf
    changed = []  # (object number, generation, the item with its new title)
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
            changed.append((ref.idnum, ref.generation, item))
        todo += [item.get("/Next"), item.get("/First")]
    if not changed:
        return pdf
    return _appended(pdf, reader, changed)


def _appended(pdf: bytes, reader: Any, changed: list[tuple[int, int, Any]]) -> bytes:
    """``pdf`` with the ``changed`` objects written again in an incremental update (a new
    body, cross-reference table and trailer after ``%%EOF``, as PDF 7.5.6 describes), so
    every byte Chromium wrote stays. A file whose last cross-reference section is a stream
    (not what Chromium writes) is updated by pypdf's incremental writer instead."""
    prev = int(pdf[pdf.rindex(b"startxref") + 9 :].split()[0])
    if not pdf[prev : prev + 4] == b"xref":
        return _rewritten_by_pypdf(pdf, changed)
    out = io.BytesIO()
    out.write(pdf if pdf.endswith(b"\n") else pdf + b"\n")
    offsets = []
    for num, gen, item in sorted(changed, key=lambda c: c[0]):
        offsets.append((num, gen, out.tell()))
        out.write(f"{num} {gen} obj\n".encode())
        item.write_to_stream(out)
        out.write(b"\nendobj\n")
    start = out.tell()
    out.write(b"xref\n0 1\n0000000000 65535 f \n")  # the free list's head, as in the first
    for num, gen, offset in offsets:  # one subsection per object: "num 1", then its entry
        out.write(f"{num} 1\n{offset:010d} {gen:05d} n \n".encode())
    trailer = reader.trailer
    info = trailer.get("/Info")
    root = trailer.raw_get("/Root")
    fields = f"/Size {int(trailer['/Size'])} /Root {root.idnum} {root.generation} R"
    if info is not None:
        ref = trailer.raw_get("/Info")
        fields += f" /Info {ref.idnum} {ref.generation} R"
    out.write(f"trailer\n<<{fields} /Prev {prev}>>\nstartxref\n{start}\n%%EOF\n".encode())
    return out.getvalue()


def _rewritten_by_pypdf(pdf: bytes, changed: list[tuple[int, int, Any]]) -> bytes:
    from pypdf import PdfWriter
    from pypdf.generic import NameObject

    writer = PdfWriter(io.BytesIO(pdf), incremental=True)
    for num, _gen, item in changed:
        target = writer.get_object(num)
        target[NameObject("/Title")] = item["/Title"]
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
