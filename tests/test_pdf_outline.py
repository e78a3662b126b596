"""The committee PDF's bookmarks keep the spaces of a heading that wraps (batch/pdf_outline)."""

from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter

from pprr_utils.batch.pdf_outline import heading_texts, titled_outline


def _pdf(titles: list[str]) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    parent = writer.add_outline_item(title=titles[0], page_number=0)
    for title in titles[1:]:
        writer.add_outline_item(title=title, page_number=0, parent=parent)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _titles(pdf: bytes) -> list[str]:
    out: list[str] = []

    def walk(items: list) -> None:
        for item in items:
            walk(item) if isinstance(item, list) else out.append(item.title)

    walk(PdfReader(io.BytesIO(pdf)).outline)
    return out


def test_heading_texts_are_the_headings_as_read() -> None:
    doc = '<h1 id="a">Priority 1: <span>every child</span>\n given &amp; kept</h1><p>x</p><h2>A<br>B</h2>'
    assert heading_texts(doc) == ["Priority 1: every child given & kept", "A B"]


def test_a_bookmark_whose_lines_were_joined_gets_its_heading_back() -> None:
    pdf = _pdf(["Priority 1:every childgiven the verybest start", "Key to symbols"])
    fixed = titled_outline(
        pdf, ["Priority 1: every child given the very best start", "Key to symbols", "Other"]
    )
    assert _titles(fixed) == ["Priority 1: every child given the very best start", "Key to symbols"]
    assert fixed.startswith(pdf)  # an incremental update: what Chromium wrote is kept


def test_bookmarks_that_match_no_heading_are_left_alone() -> None:
    pdf = _pdf(["Overview", "A heading not in the page"])
    assert titled_outline(pdf, ["Overview", "Something else"]) == pdf
    assert titled_outline(_pdf(["Only"]), []) == _pdf(["Only"])


def test_a_chromium_style_file_is_updated_by_appending_only_the_changed_bookmarks() -> None:
    pdf = _pdf(["Priority 1:every childgiven", "Key"])
    start = int(pdf[pdf.rindex(b"startxref") + 9 :].split()[0])
    assert pdf[start : start + 4] == b"xref"  # a cross-reference table, as Chromium writes
    fixed = titled_outline(pdf, ["Priority 1: every child given"])
    tail = fixed[len(pdf) :]
    assert fixed.startswith(pdf) and tail.count(b" obj\n") == 1  # one object written again
    assert b"trailer" in tail and b"/Prev" in tail
    reader = PdfReader(io.BytesIO(fixed), strict=True)  # a clean file, strict reading
    assert reader.xref_index == 0  # the update's table starts at object 0, as readers expect
    assert _titles(fixed) == ["Priority 1: every child given", "Key"]


def test_a_file_ending_in_a_cross_reference_stream_is_updated_by_pypdf() -> None:
    once = titled_outline(_pdf(["A:b c", "D:e f"]), ["A: b c"])
    once = _restreamed(once)  # its last cross-reference section now a stream
    twice = titled_outline(once, ["A: b c", "D: e f"])
    assert twice.startswith(once)
    assert _titles(twice) == ["A: b c", "D: e f"]


def _restreamed(pdf: bytes) -> bytes:
    """``pdf`` with an incremental update by pypdf, which ends in a cross-reference stream."""
    writer = PdfWriter(io.BytesIO(pdf), incremental=True)
    writer.add_metadata({"/Subject": "restreamed"})
    out = io.BytesIO()
    writer.write(out)
    data = out.getvalue()
    start = int(data[data.rindex(b"startxref") + 9 :].split()[0])
    assert data[start : start + 4] != b"xref"  # the case under test
    return data
