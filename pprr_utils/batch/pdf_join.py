"""Joining the committee PDF's parts, each printed on its own, into one PDF.

Each part (one page of the pack) is printed by Chromium as a PDF of its own sheets, without
the running header and footer (see :mod:`.pdf_parts`): tagged, with its headings as
bookmarks, its link targets as named destinations and a link to another part as a
``https://pprr-part.invalid/#id`` address. :func:`join_parts` makes them one file as if
printed at once:

* the sheets in order, each with the running header and footer of its place laid over it
  (a sheet of the ``running`` PDF, drawn as a form XObject marked as a pagination artifact,
  so it is not part of the structure a screen reader reads);
* the bookmarks of each part in order, pointing at the same places;
* one ``/Dests`` dictionary of every part's named destinations, and each link to another
  part made an internal link (``/Dest``) to its destination, never a URI;
* one structure tree: a ``/Document`` element holding each part's top-level elements, the
  sheets' ``/StructParents`` and the links' ``/StructParent`` shifted past the parts before,
  and the parts' ``/ParentTree`` number trees (and ``/IDTree`` name trees) joined;
* the catalogue's ``/MarkInfo``, ``/Lang``, ``/ViewerPreferences`` and the document title.

The join works on the files' bytes: each part's objects are copied as they are, renumbered,
and only the few that change are parsed (with pypdf) and written again. That is what makes
it fast (a 78-sheet pack in about 0.3 s), and why it asks for PDFs laid out as
Chromium writes them (classic cross-reference tables, as many incremental updates as
:mod:`.pdf_outline` adds, no object streams); any other raises :class:`JoinError`, and the
pack is then printed at once instead. pypdf itself joins sheets and bookmarks but not
structure trees, which a tagged, accessible PDF needs.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any

#: the address a link to another part of the pack is printed with (never left in the PDF)
PART_LINK = "https://pprr-part.invalid/#"
#: the running header and footer's form XObject, as each sheet's resources name it
_RUNNING = b"/PprrRunning"


def _tree_entries(node: Any, key: str) -> list[tuple[Any, Any]]:
    """Every (key, value) of a number tree (``key`` ``/Nums``) or name tree (``/Names``)."""
    out: list[tuple[Any, Any]] = []
    todo = [node]
    while todo:
        item = todo.pop(0)
        if item is None:
            continue
        item = item.get_object()
        flat = item.get(key)
        if flat is not None:
            flat = flat.get_object()
            out += [(flat[i], flat[i + 1]) for i in range(0, len(flat) - 1, 2)]
        todo += list(item.get("/Kids") or [])
    return out


def _kids(element: Any) -> list[Any]:
    """The children (``/K``) of a structure element, as a list (references kept)."""
    from pypdf.generic import ArrayObject

    if "/K" not in element:
        return []
    raw = element.raw_get("/K")
    kids = raw.get_object()
    return list(kids) if isinstance(kids, ArrayObject) else [raw]


# a literal string, a hex string (left alone) or an indirect reference (renumbered)
_TOKEN = re.compile(rb"\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]*>|(\d+) (\d+) R\b")
_HEADER = re.compile(rb"\s*(\d+) (\d+) obj\b")
_STREAM = re.compile(rb"\bstream\r?\n")


_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
_SUBSECTION = re.compile(rb"(\d+) (\d+)\r?\n")
_ROOT = re.compile(rb"/Root (\d+) 0 R")
_PREV = re.compile(rb"/Prev (\d+)")
_PAGES = re.compile(rb"/Pages (\d+) 0 R")
_COUNT = re.compile(rb"/Count (\d+)")
_LENGTH = re.compile(rb"/Length (\d+)(?: (\d+) R)?")


def _offsets(data: bytes) -> tuple[dict[int, int], bytes]:
    """Where each object of ``data`` is (its latest version, through every incremental
    update), and the last trailer: read from the classic cross-reference tables."""
    m = _STARTXREF.search(data[-64:])
    if m is None:
        raise JoinError("no startxref at the end")
    where: dict[int, int] = {}
    table: int | None = int(m.group(1))
    last = b""
    seen: set[int] = set()
    while table is not None and table not in seen:
        seen.add(table)
        if data[table : table + 4] != b"xref":
            raise JoinError("no classic cross-reference table")
        pos = data.index(b"\n", table) + 1
        while True:
            sub = _SUBSECTION.match(data, pos)
            if sub is None:
                break
            first, count = int(sub.group(1)), int(sub.group(2))
            pos = sub.end()
            for i in range(count):
                entry = data[pos : pos + 20]
                if entry[17:18] == b"n":
                    where.setdefault(first + i, int(entry[:10]))
                pos += 20
        trailer = data[pos : data.index(b">>", pos) + 2]
        last = last or trailer
        prev = _PREV.search(trailer)
        table = int(prev.group(1)) if prev else None
    return where, last


def sheet_count(data: bytes) -> int:
    """How many sheets the PDF ``data`` has, read from its page tree's root by bytes (a PDF
    laid out as Chromium writes them: classic cross-reference tables); JoinError for any
    other PDF, or a damaged one."""
    try:
        where, trailer = _offsets(data)

        def obj(n: int) -> bytes:
            start = where[n]
            if not _HEADER.match(data, start):
                raise JoinError(f"object {n} is not where the cross-reference table says")
            return data[start : data.index(b"endobj", start)]

        root = obj(int(_ROOT.search(trailer).group(1)))  # type: ignore[union-attr]
        pages = obj(int(_PAGES.search(root).group(1)))  # type: ignore[union-attr]
        return int(_COUNT.search(pages).group(1))  # type: ignore[union-attr]
    except (AttributeError, ValueError, IndexError, KeyError) as exc:
        raise JoinError(f"the PDF's sheets cannot be counted: {exc}") from exc


class _Raw:
    """One part read for a join by bytes: its objects renumbered, few of them parsed."""

    def __init__(self, data: bytes, offset: int) -> None:
        from pypdf import PdfReader

        self.data = data
        self.offset = offset
        self.reader = PdfReader(io.BytesIO(data))
        if getattr(self.reader, "xref_objStm", None) or b"/XRef" in data[-4096:]:
            raise JoinError("the PDF has object streams")
        self.where = dict(self.reader.xref.get(0, {}))
        self.size = int(self.reader.trailer["/Size"])
        self.special: dict[int, int] = {}  # old number -> new number (not old + offset)
        self.skip: set[int] = set()
        self.changed: dict[int, bytes] = {}

    def num(self, n: int) -> int:
        return self.special.get(n, n + self.offset)

    def renumber(self, text: bytes) -> bytes:
        if b" R" not in text:
            return text

        def one(m: re.Match[bytes]) -> bytes:
            if m.group(1) is None:
                return m.group(0)
            return b"%d %s R" % (self.num(int(m.group(1))), m.group(2))

        return _TOKEN.sub(one, text)

    def text(self, obj: Any) -> bytes:
        """``obj`` (a pypdf object of this part) written, its references renumbered."""
        out = io.BytesIO()
        obj.write_to_stream(out)
        return self.renumber(out.getvalue())

    def ref(self, ref: Any) -> bytes:
        return b"%d 0 R" % self.num(ref.idnum)

    def body(self, n: int) -> tuple[bytes, bytes]:
        """Object ``n`` as it is in the file: its text before any stream (references
        renumbered) and its stream (``stream ... endstream``, or empty)."""
        data = self.data
        start = self.where[n]
        m = _HEADER.match(data, start)
        if m is None or int(m.group(1)) != n:
            raise JoinError(f"object {n} is not where the cross-reference table says")
        end = data.find(b"endobj", m.end())
        s = _STREAM.search(data, m.end(), end) if end >= 0 else None
        if s is None:
            if end < 0:
                raise JoinError(f"object {n} has no end")
            return self.renumber(data[m.end() : end]), b""
        text = data[m.end() : s.start()]
        length = _LENGTH.search(text)
        if length is None:
            raise JoinError(f"stream {n} has no length")
        size = int(length.group(1))
        if length.group(2) is not None:  # an indirect length
            size = int(self.reader.get_object(size))
        close = data.find(b"endstream", s.end() + size)
        if close < 0:
            raise JoinError(f"stream {n} has no end")
        return self.renumber(text), data[s.start() : close + len(b"endstream")]

    def objects(self) -> Any:
        """Every object kept, as ``(new number, body)``, copied but for its references."""
        for n in sorted(self.where):
            if n in self.skip:
                continue
            if n in self.changed:
                yield self.num(n), self.changed[n]
                continue
            text, stream = self.body(n)
            yield self.num(n), text + stream


class JoinError(Exception):
    """A PDF not laid out as Chromium writes PDFs: it cannot be joined by bytes."""


def _running_forms(raw: _Raw, count: int) -> list[int]:
    """The sheets of the running header and footer PDF (``raw``) as form XObjects, in
    place of their content streams: their numbers in the joined file, one a sheet."""
    from pypdf.generic import ArrayObject, DictionaryObject

    r = raw.reader
    if len(r.pages) != count:
        raise JoinError(f"{len(r.pages)} running sheets for {count} sheets")
    raw.skip.add(r.trailer.raw_get("/Root").idnum)
    if "/Info" in r.trailer:
        raw.skip.add(r.trailer.raw_get("/Info").idnum)
    todo = [r.trailer["/Root"].raw_get("/Pages")]
    while todo:  # its page tree and pages: only their contents and resources are kept
        ref = todo.pop()
        raw.skip.add(ref.idnum)
        todo += list(ref.get_object().get("/Kids") or [])
    forms = []
    for page in r.pages:
        contents = page.raw_get("/Contents")
        if isinstance(contents.get_object(), ArrayObject) or not hasattr(contents, "idnum"):
            raise JoinError("a running sheet's contents are not one stream")
        text, stream = raw.body(contents.idnum)
        if not text.lstrip().startswith(b"<<") or not stream:
            raise JoinError("a running sheet's contents are not a stream")
        resources = page.get("/Resources") or DictionaryObject()
        box = page.mediabox
        form = (
            b"<</Type /XObject /Subtype /Form /BBox [%s] /Resources %s "
            % (b" ".join(b"%g" % float(v) for v in box), raw.text(resources))
        ) + text.lstrip()[2:]
        raw.changed[contents.idnum] = form + stream
        forms.append(raw.num(contents.idnum))
    return forms


def join_parts(parts: Sequence[bytes], *, running: bytes | None = None) -> bytes:
    """One PDF of the ``parts`` (each a PDF Chromium printed), in order: sheets, bookmarks,
    destinations, links between parts and one structure tree, and ``running`` (a PDF of as
    many sheets, the running header and footer) laid over the sheets (see the module).
    Raises JoinError for a PDF not laid out as Chromium writes them."""
    from pypdf.errors import PdfReadError
    from pypdf.generic import (
        ArrayObject,
        DictionaryObject,
        IndirectObject,
        NameObject,
        NumberObject,
        TextStringObject,
    )

    if not parts:
        raise ValueError("no parts to join")
    raws: list[_Raw] = []
    offset = 0
    try:
        for data in [*parts, *([running] if running is not None else [])]:
            raws.append(_Raw(data, offset))
            offset += raws[-1].size
    except PdfReadError as exc:
        raise JoinError(f"a part cannot be read: {exc}") from exc
    stamp = raws.pop() if running is not None else None
    new = iter(range(offset, offset + 100))
    pages_n, outlines_n, root_n, doc_n, tree_n, ids_n, dests_n, catalog_n, open_n, close_n = (
        next(new) for _ in range(10)
    )
    total = sum(len(raw.reader.pages) for raw in raws)
    forms = _running_forms(stamp, total) if stamp is not None else []
    kids: list[bytes] = []
    top: list[bytes] = []
    nums: list[tuple[int, bytes]] = []
    ids: list[tuple[str, bytes, bytes]] = []
    dests: list[bytes] = []
    outline: list[tuple[_Raw, Any, Any]] = []  # part, first item, last item
    open_count = 0
    key_offset = 0
    for raw in raws:
        r = raw.reader
        catalog = r.trailer["/Root"]
        raw.skip.add(r.trailer.raw_get("/Root").idnum)
        todo = [catalog.raw_get("/Pages")]
        while todo:  # the page tree's nodes: every page hangs from the joined one
            node_ref = todo.pop()
            node = node_ref.get_object()
            if node.get("/Type") == "/Pages":
                raw.skip.add(node_ref.idnum)
                raw.special[node_ref.idnum] = pages_n
                todo += list(node.get("/Kids") or [])
        for page in r.pages:
            n = page.indirect_reference.idnum
            kids.append(b"%d 0 R" % raw.num(n))
            if "/StructParents" in page:
                page[NameObject("/StructParents")] = NumberObject(
                    page["/StructParents"] + key_offset
                )
            if forms:  # the running header and footer: drawn last, on the page as it was
                form = forms[len(kids) - 1]
                placeholder = raw.size + len(kids)  # not a number of the part's own
                raw.special[placeholder] = form
                resources = DictionaryObject(page.get("/Resources") or {})
                xobjects = DictionaryObject(resources.get("/XObject") or {})
                xobjects[NameObject(_RUNNING.decode())] = IndirectObject(placeholder, 0, r)
                resources[NameObject("/XObject")] = xobjects
                page[NameObject("/Resources")] = resources
                contents = page.raw_get("/Contents")
                streams = list(contents.get_object()) if isinstance(
                    contents.get_object(), ArrayObject) else [contents]  # fmt: skip
                page[NameObject("/Contents")] = ArrayObject(
                    [IndirectObject(raw.size + total + 1, 0, r), *streams,
                     IndirectObject(raw.size + total + 2, 0, r)]
                )  # fmt: skip
                raw.special[raw.size + total + 1] = open_n
                raw.special[raw.size + total + 2] = close_n
            raw.changed[n] = raw.text(page)
            for annot_ref in page.get("/Annots") or []:
                annot = annot_ref.get_object()
                if "/StructParent" in annot:
                    annot[NameObject("/StructParent")] = NumberObject(
                        annot["/StructParent"] + key_offset
                    )
                action = annot.get("/A")
                uri = str(action.get("/URI", "")) if action is not None else ""
                if uri.startswith(PART_LINK):
                    del annot["/A"]
                    annot[NameObject("/Dest")] = NameObject("/" + uri[len(PART_LINK) :])
                raw.changed[annot_ref.idnum] = raw.text(annot)
        found = catalog.get("/Dests")
        if found is not None:
            if hasattr(catalog.raw_get("/Dests"), "idnum"):
                raw.skip.add(catalog.raw_get("/Dests").idnum)
            for name in found:
                dests.append(raw.text(NameObject(name)) + b" " + raw.text(found.raw_get(name)))
        struct_ref = catalog.raw_get("/StructTreeRoot") if "/StructTreeRoot" in catalog else None
        if struct_ref is not None:
            struct = struct_ref.get_object()
            raw.skip.add(struct_ref.idnum)
            raw.special[struct_ref.idnum] = root_n
            for kid in _kids(struct):
                element = kid.get_object()
                if element.get("/S") == "/Document" and hasattr(kid, "idnum"):
                    raw.skip.add(kid.idnum)
                    raw.special[kid.idnum] = doc_n
                    top += [raw.text(k) for k in _kids(element)]
                else:
                    top.append(raw.text(kid))
            for key in ("/ParentTree", "/IDTree"):
                node = struct.raw_get(key) if key in struct else None
                todo = [node] if node is not None else []
                while todo:
                    ref = todo.pop()
                    if hasattr(ref, "idnum"):
                        raw.skip.add(ref.idnum)
                    todo += list(ref.get_object().get("/Kids") or [])
            entries = _tree_entries(struct.get("/ParentTree"), "/Nums")
            for k, v in entries:
                nums.append((int(k) + key_offset, raw.text(v)))
            for k, v in _tree_entries(struct.get("/IDTree"), "/Names"):
                ids.append((str(k), raw.text(k), raw.text(v)))
            after = int(struct.get("/ParentTreeNextKey", 0))
            key_offset += max([after, *(int(k) + 1 for k, _ in entries)])
        if "/Outlines" in catalog:
            out_ref = catalog.raw_get("/Outlines")
            raw.skip.add(out_ref.idnum)
            raw.special[out_ref.idnum] = outlines_n
            item = out_ref.get_object()
            if item.get("/First") is not None:
                outline.append((raw, item.raw_get("/First"), item.raw_get("/Last")))
                open_count += int(item.get("/Count", 0))
    for (ra, _, last), (rb, first, _) in zip(outline, outline[1:], strict=False):
        a_item, b_item = last.get_object(), first.get_object()  # chained across parts
        ra.changed[last.idnum] = b"<</Next %s " % rb.ref(first) + ra.text(a_item)[2:]
        rb.changed[first.idnum] = b"<</Prev %s " % ra.ref(last) + rb.text(b_item)[2:]
    first_cat = raws[0].reader.trailer["/Root"]
    extra = b"".join(
        b"%s %s " % (k.encode(), raws[0].text(first_cat[k]))
        for k in ("/MarkInfo", "/ViewerPreferences", "/Lang")
        if k in first_cat
    )
    info = raws[0].reader.trailer.raw_get("/Info") if "/Info" in raws[0].reader.trailer else None
    new_objects = [
        (pages_n, b"<</Type /Pages /Count %d /Kids [%s]>>" % (len(kids), b" ".join(kids))),
        (dests_n, b"<<%s>>" % b" ".join(dests)),
        (catalog_n, b"<</Type /Catalog /Pages %d 0 R /Dests %d 0 R %s" % (pages_n, dests_n, extra)
         + (b"/Outlines %d 0 R " % outlines_n if outline else b"")
         + (b"/StructTreeRoot %d 0 R" % root_n if top or nums else b"") + b">>"),
    ]  # fmt: skip
    if forms:  # the page as it was in a saved graphics state, then the running header/footer
        draw = b"Q\n/Artifact <</Type /Pagination>> BDC q %s Do Q EMC\n" % _RUNNING
        new_objects += [
            (open_n, b"<</Length 2>>\nstream\nq\nendstream"),
            (close_n, b"<</Length %d>>\nstream\n%s\nendstream" % (len(draw), draw)),
        ]
    if outline:
        first_item = outline[0][0].ref(outline[0][1])
        last_item = outline[-1][0].ref(outline[-1][2])
        new_objects.append(
            (outlines_n, b"<</Type /Outlines /First %s /Last %s /Count %d>>"
             % (first_item, last_item, open_count))
        )  # fmt: skip
    if top or nums:
        lang = raws[0].text(TextStringObject(str(first_cat.get("/Lang", "en"))))
        nums_text = b" ".join(b"%d %s" % (k, v) for k, v in sorted(nums, key=lambda e: e[0]))
        new_objects += [
            (root_n, b"<</Type /StructTreeRoot /K %d 0 R /ParentTree %d 0 R "
             b"/ParentTreeNextKey %d%s>>" % (doc_n, tree_n, key_offset,
                                            b" /IDTree %d 0 R" % ids_n if ids else b"")),
            (doc_n, b"<</Type /StructElem /S /Document /Lang %s /P %d 0 R /K [%s]>>"
             % (lang, root_n, b" ".join(top))),
            (tree_n, b"<</Type /ParentTree /Nums [%s]>>" % nums_text),
        ]  # fmt: skip
        if ids:
            unique = {k: (kt, v) for k, kt, v in reversed(ids)}  # the first of equal ids
            names = b" ".join(b"%s %s" % unique[k] for k in sorted(unique))
            new_objects.append((ids_n, b"<</Names [%s]>>" % names))
    out = io.BytesIO()
    out.write(raws[0].data[: raws[0].data.index(b"\n") + 1] + b"%\xd3\xeb\xe9\xe1\n")
    where: dict[int, int] = {}
    for raw in [*raws, *([stamp] if stamp is not None else [])]:
        for n, body in raw.objects():
            where[n] = out.tell()
            out.write(b"%d 0 obj\n" % n + body.strip(b"\r\n") + b"\nendobj\n")
    for n, body in new_objects:
        where[n] = out.tell()
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    size = offset + 10
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % size)
    for n in range(1, size):
        out.write(b"%010d 00000 n \n" % where[n] if n in where else b"0000000000 65535 f \n")
    info_text = b" /Info %s" % raws[0].ref(info) if info is not None else b""
    out.write(b"trailer\n<</Size %d /Root %d 0 R%s>>\n" % (size, catalog_n, info_text))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()
