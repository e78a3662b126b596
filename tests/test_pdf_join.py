"""Joining the committee PDF's parts by bytes (batch/pdf_join.py), on PDFs made here by pypdf
(classic cross-reference tables, as Chromium writes them); with Chromium's own PDFs in
test_pdf_parts.py."""

from __future__ import annotations

import io

import pytest

pypdf = pytest.importorskip("pypdf")

from pprr_utils.batch.pdf_join import JoinError, join_parts, sheet_count  # noqa: E402
from pprr_utils.batch.pdf_outline import _appended  # noqa: E402


def _pdf(sheets: int, *, label: str = "") -> bytes:
    """A PDF of ``sheets`` A4 sheets, each with one line of text (``label`` and its number)."""
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = pypdf.PdfWriter()
    font = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica"),
    }))  # fmt: skip
    for i in range(sheets):
        page = writer.add_blank_page(595, 842)
        stream = DecodedStreamObject()
        stream.set_data(f"BT /F1 12 Tf 72 720 Td ({label} sheet {i + 1}) Tj ET".encode())
        page[NameObject("/Contents")] = writer._add_object(stream)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
        )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_sheet_count_reads_the_page_tree_by_bytes() -> None:
    for n in (1, 3, 7):
        assert sheet_count(_pdf(n)) == n


def test_sheet_count_follows_an_incremental_update() -> None:
    data = _pdf(3)
    reader = pypdf.PdfReader(io.BytesIO(data))
    pages = reader.trailer["/Root"].raw_get("/Pages")
    changed = [(pages.idnum, pages.generation, pages.get_object())]
    updated = _appended(data, reader, changed)  # the page tree written again after the file
    assert len(updated) > len(data) and updated.count(b"startxref") == 2
    assert sheet_count(updated) == 3


@pytest.mark.parametrize(
    "damaged",
    [b"", b"not a PDF", b"%PDF-1.4\n%%EOF", b"%PDF-1.4\nxref\n0 1\nstartxref\n9\n%%EOF\n"],
)
def test_a_damaged_pdf_cannot_be_counted(damaged: bytes) -> None:
    with pytest.raises(JoinError):
        sheet_count(damaged)


def test_parts_join_in_order_with_the_running_sheets_laid_over_each() -> None:
    joined = join_parts([_pdf(2, label="A"), _pdf(3, label="B")], running=_pdf(5, label="Run"))
    reader = pypdf.PdfReader(io.BytesIO(joined), strict=True)
    assert len(reader.pages) == 5 and sheet_count(joined) == 5
    texts = [" ".join(p.extract_text().split()) for p in reader.pages]
    expected = ["A sheet 1", "A sheet 2", "B sheet 1", "B sheet 2", "B sheet 3"]
    for i, (text, own) in enumerate(zip(texts, expected, strict=True)):
        assert own in text and f"Run sheet {i + 1}" in text, text  # its own running sheet
    for page in reader.pages:
        content = page.get_contents().get_data()
        assert content.startswith(b"q") and content.rstrip().endswith(b"EMC")
        assert b"/Artifact <</Type /Pagination>> BDC" in content
        assert "/PprrRunning" in page["/Resources"]["/XObject"]


def test_parts_join_without_running_sheets() -> None:
    joined = join_parts([_pdf(1, label="A"), _pdf(1, label="B")])
    reader = pypdf.PdfReader(io.BytesIO(joined), strict=True)
    assert ["A sheet 1", "B sheet 1"] == [" ".join(p.extract_text().split()) for p in reader.pages]


def test_running_sheets_of_another_count_are_refused() -> None:
    with pytest.raises(JoinError, match="4 running sheets for 3 sheets"):
        join_parts([_pdf(3)], running=_pdf(4))


def test_no_parts_is_an_error() -> None:
    with pytest.raises(ValueError, match="no parts"):
        join_parts([])
