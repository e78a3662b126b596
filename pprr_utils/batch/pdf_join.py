"""Joining the committee PDF's parts, each printed on its own, into one PDF.

Each part (one page of the pack) is printed by Chromium as a PDF of its own sheets (see
:mod:`.pdf_parts`): tagged, with its headings as bookmarks, its link targets as named
destinations and a link to another part as a ``https://pprr-part.invalid/#id`` address.
:func:`join_parts` makes them one file as if printed at once:

* the sheets in order (pypdf copies them);
* the bookmarks of each part in order, pointing at the same places;
* one ``/Dests`` dictionary of every part's named destinations, and each link to another
  part made an internal link (``/Dest``) to its destination, never a URI;
* one structure tree: a ``/Document`` element holding each part's top-level elements, the
  sheets' ``/StructParents`` and the links' ``/StructParent`` shifted past the parts before,
  and the parts' ``/ParentTree`` number trees (and ``/IDTree`` name trees) joined;
* the catalogue's ``/MarkInfo``, ``/Lang``, ``/ViewerPreferences`` and the document title.

pypdf copies the sheets and what hangs from them; the structure tree it does not join, so
that is done here by hand.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any

#: the address a link to another part of the pack is printed with (never left in the PDF)
PART_LINK = "https://pprr-part.invalid/#"
#: the id at the end of each part (its destination tells on which sheet the part ends)
PART_END = "pprr-part-end"


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


class _Joiner:
    """The writer being filled, part by part."""

    def __init__(self, lang: str) -> None:
        from pypdf import PdfWriter
        from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

        self.writer = PdfWriter()
        self.dests = DictionaryObject()
        self.nums = ArrayObject()
        self.ids: list[tuple[Any, Any]] = []
        self.next_key = 0
        self.document = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/StructElem"),
                NameObject("/S"): NameObject("/Document"),
                NameObject("/Lang"): TextStringObject(lang),
                NameObject("/K"): ArrayObject(),
            }
        )
        self.document_ref = self.writer._add_object(self.document)
        self.root = DictionaryObject({NameObject("/Type"): NameObject("/StructTreeRoot")})
        self.root_ref = self.writer._add_object(self.root)
        self.document[NameObject("/P")] = self.root_ref
        self.catalog_extra: dict[str, Any] = {}
        self.links: list[Any] = []  # annotations linking to another part

    def add(self, reader: Any, sheets: int | None = None) -> None:
        """Append one part's sheets (its first ``sheets``: every one when None), bookmarks,
        destinations and structure."""
        from pypdf.generic import NameObject, NumberObject

        writer = self.writer
        first = len(writer.pages)
        offset = self.next_key
        catalog = reader.trailer["/Root"]
        struct = catalog.get("/StructTreeRoot")
        translated = writer._id_translated.setdefault(id(reader), {"PreventGC": reader})
        top: list[Any] = []
        if struct is not None:
            # references to the part's own root and Document element become the joined ones
            translated[catalog.raw_get("/StructTreeRoot").idnum] = self.root_ref.idnum
            for kid in _kids(struct.get_object()):
                element = kid.get_object()
                if element.get("/S") == "/Document" and hasattr(kid, "idnum"):
                    translated[kid.idnum] = self.document_ref.idnum
                    top += _kids(element)
                else:
                    top.append(kid)
        for page in list(reader.pages)[:sheets]:
            new = writer.add_page(page)
            if "/StructParents" in page:
                new[NameObject("/StructParents")] = NumberObject(page["/StructParents"] + offset)
            for annot in new.get("/Annots") or []:
                annot = annot.get_object()
                if "/StructParent" in annot:
                    annot[NameObject("/StructParent")] = NumberObject(
                        annot["/StructParent"] + offset
                    )
                action = annot.get("/A")
                uri = str(action.get("/URI", "")) if action is not None else ""
                if uri.startswith(PART_LINK):
                    del annot["/A"]
                    annot[NameObject("/Dest")] = NameObject("/" + uri[len(PART_LINK) :])
                    self.links.append(annot)
        for name, dest in (catalog.get("/Dests") or {}).items():
            if name == "/" + PART_END:
                continue
            self.dests[NameObject(name)] = dest.clone(writer) if hasattr(dest, "clone") else dest
        self._outline(reader, reader.outline, first, None)
        if struct is not None:
            struct = struct.get_object()
            for kid in top:
                self.document["/K"].append(kid.clone(writer))
            for key, value in _tree_entries(struct.get("/ParentTree"), "/Nums"):
                self.nums += [NumberObject(int(key) + offset), value.clone(writer)]
            self.ids += [
                (k, v.clone(writer)) for k, v in _tree_entries(struct.get("/IDTree"), "/Names")
            ]
            after = int(struct.get("/ParentTreeNextKey", 0))
            keys = [int(k) for k, _ in _tree_entries(struct.get("/ParentTree"), "/Nums")]
            self.next_key = offset + max([after, *(k + 1 for k in keys)])
        for key in ("/MarkInfo", "/Lang", "/ViewerPreferences"):
            if key in catalog and key not in self.catalog_extra:
                self.catalog_extra[key] = catalog[key]

    def _outline(self, reader: Any, items: list, first: int, parent: Any) -> None:
        from pypdf.generic import Fit

        last = None
        for item in items:
            if isinstance(item, list):
                if last is not None:
                    self._outline(reader, item, first, last)
                continue
            page = reader.get_destination_page_number(item)
            fit = Fit.xyz(item.left, item.top, item.zoom) if item.typ == "/XYZ" else Fit.fit()
            last = self.writer.add_outline_item(
                title=str(item.title),
                page_number=first + page,
                parent=parent,
                fit=fit,
                is_open=bool(item.get("/%is_open%", True)),
            )

    def finish(self, title: str) -> bytes:
        """The joined PDF."""
        from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject

        writer = self.writer
        missing = [a for a in self.links if NameObject(a["/Dest"]) not in self.dests]
        for annot in missing:  # a link to an id no part has: to the first sheet, not a URI
            del annot["/Dest"]
            annot[NameObject("/Dest")] = ArrayObject(
                [writer.pages[0].indirect_reference, NameObject("/Fit")]
            )
        catalog = writer._root_object
        catalog[NameObject("/Dests")] = writer._add_object(self.dests)
        for key, value in self.catalog_extra.items():
            catalog[NameObject(key)] = value.clone(writer) if hasattr(value, "clone") else value
        if self.document["/K"] or self.nums:
            pairs = sorted(zip(self.nums[0::2], self.nums[1::2], strict=True), key=lambda p: p[0])
            nums = ArrayObject([x for pair in pairs for x in pair])
            tree = DictionaryObject(
                {NameObject("/Type"): NameObject("/ParentTree"), NameObject("/Nums"): nums}
            )
            self.root[NameObject("/K")] = self.document_ref
            self.root[NameObject("/ParentTree")] = writer._add_object(tree)
            self.root[NameObject("/ParentTreeNextKey")] = NumberObject(self.next_key)
            if self.ids:
                seen: dict[str, Any] = {}
                for k, v in self.ids:
                    seen.setdefault(str(k), (k, v))
                names = ArrayObject([x for _, pair in sorted(seen.items()) for x in pair])
                self.root[NameObject("/IDTree")] = writer._add_object(
                    DictionaryObject({NameObject("/Names"): names})
                )
            catalog[NameObject("/StructTreeRoot")] = self.root_ref
        writer.add_metadata({"/Title": title})
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()


# a literal string, a hex string (left alone) or an indirect reference (renumbered)
_TOKEN = re.compile(rb"\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]*>|(\d+) (\d+) R\b")
_HEADER = re.compile(rb"\s*(\d+) (\d+) obj\b")
_STREAM = re.compile(rb"\bstream\r?\n")


class _Raw:
    """One part read for a join by bytes: its objects renumbered, few of them parsed."""

    def __init__(self, data: bytes, offset: int) -> None:
        from pypdf import PdfReader

        self.data = data
        self.offset = offset
        self.reader = PdfReader(io.BytesIO(data))
        if getattr(self.reader, "xref_objStm", None) or b"/XRef" in data[-4096:]:
            raise _NotChromium
        self.where = dict(self.reader.xref.get(0, {}))
        self.size = int(self.reader.trailer["/Size"])
        self.special: dict[int, int] = {}  # old number -> new number (not old + offset)
        self.skip: set[int] = set()
        self.changed: dict[int, bytes] = {}

    def num(self, n: int) -> int:
        return self.special.get(n, n + self.offset)

    def renumber(self, text: bytes) -> bytes:
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

    def objects(self) -> Any:
        """Every object kept, as ``(new number, body)``, copied but for its references."""
        starts = sorted(self.where.values())
        after = {s: e for s, e in zip(starts, [*starts[1:], len(self.data)], strict=True)}
        for n, start in sorted(self.where.items()):
            if n in self.skip:
                continue
            if n in self.changed:
                yield self.num(n), self.changed[n]
                continue
            chunk = self.data[start : after[start]]
            m = _HEADER.match(chunk)
            end = chunk.rfind(b"endobj")
            if m is None or end < 0 or int(m.group(1)) != n:
                raise _NotChromium
            body = chunk[m.end() : end]
            s = _STREAM.search(body)
            if s is not None:
                yield self.num(n), self.renumber(body[: s.start()]) + body[s.start() :]
            else:
                yield self.num(n), self.renumber(body)


class _NotChromium(Exception):
    """A part not laid out as Chromium writes PDFs: joined by pypdf instead."""


def _raw_join(parts: Sequence[bytes], sheets: Sequence[int] | None, title: str) -> bytes:
    """The join by bytes (see :func:`join_parts`)."""
    from pypdf.generic import NameObject, NumberObject, TextStringObject

    raws: list[_Raw] = []
    offset = 0
    for data in parts:
        raws.append(_Raw(data, offset))
        offset += raws[-1].size
    new = iter(range(offset, offset + 100))
    pages_n, outlines_n, root_n, doc_n, tree_n, ids_n, dests_n, catalog_n = (
        next(new) for _ in range(8)
    )
    kids: list[bytes] = []
    top: list[bytes] = []
    nums: list[tuple[int, bytes]] = []
    ids: list[tuple[str, bytes, bytes]] = []
    dests: list[bytes] = []
    outline: list[tuple[_Raw, Any, Any]] = []  # part, first item, last item
    open_count = 0
    key_offset = 0
    for i, raw in enumerate(raws):
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
        keep = r.pages if sheets is None else list(r.pages)[: sheets[i]]
        for page in keep:
            n = page.indirect_reference.idnum
            kids.append(b"%d 0 R" % raw.num(n))
            if "/StructParents" in page:
                page[NameObject("/StructParents")] = NumberObject(
                    page["/StructParents"] + key_offset
                )
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
                if name != "/" + PART_END:
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
    for raw in raws:
        for n, body in raw.objects():
            where[n] = out.tell()
            out.write(b"%d 0 obj\n" % n + body.strip(b"\r\n") + b"\nendobj\n")
    for n, body in new_objects:
        where[n] = out.tell()
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    size = offset + 8
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % size)
    for n in range(1, size):
        out.write(b"%010d 00000 n \n" % where[n] if n in where else b"0000000000 65535 f \n")
    info_text = b" /Info %s" % raws[0].ref(info) if info is not None else b""
    out.write(b"trailer\n<</Size %d /Root %d 0 R%s>>\n" % (size, catalog_n, info_text))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    del title  # the parts' own title (the printed document's) is the file's
    return out.getvalue()


def join_parts(
    parts: Sequence[bytes], *, title: str, lang: str = "en", sheets: Sequence[int] | None = None
) -> bytes:
    """One PDF of the ``parts`` (each a PDF Chromium printed), in order: sheets, bookmarks,
    destinations, links between parts and one structure tree (see the module); ``sheets``:
    how many first sheets of each part to keep (every one when None)."""
    from pypdf import PdfReader

    if not parts:
        raise ValueError("no parts to join")
    try:
        return _raw_join(parts, sheets, title)
    except _NotChromium:
        pass
    joiner = _Joiner(lang)
    for i, data in enumerate(parts):
        joiner.add(PdfReader(io.BytesIO(data)), None if sheets is None else sheets[i])
    return joiner.finish(title)
