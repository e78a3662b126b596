"""The committee PDF (batch/pdf.py): one A4 PDF of the whole pack per period and edition."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from pprr_utils.batch.pdf import PdfError, chromium_path, pack_document, write_pack_pdf

PAGE = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{t}</title>'
    '<style>body{{color:#000}}</style></head><body><nav class="pprr-nav">nav</nav>'
    '<main id="content"><h1>{t}</h1><p>{body}</p></main><footer>f</footer></body></html>'
)


def test_pack_document_joins_the_pages_in_order() -> None:
    pages = [PAGE.format(t="Overview", body="one"), PAGE.format(t="Finance", body="two")]
    doc = pack_document(pages, title="Illustrative <report>")
    assert doc.count('<section class="pprr-pdf-part">') == 2
    assert doc.index("Overview") < doc.index("Finance")
    assert "<title>Illustrative &lt;report&gt;</title>" in doc and doc.count("<title>") == 1
    assert "body{color:#000}" in doc and "@page{size:A4" in doc
    assert "<nav" not in doc.split("<body>")[1]  # only the pages' main content


def test_a_page_without_main_is_a_clear_error() -> None:
    with pytest.raises(PdfError, match="page 2 of the pack has no <main>"):
        pack_document([PAGE.format(t="a", body="b"), "<html></html>"], title="t")
    with pytest.raises(PdfError, match="no pages"):
        pack_document([], title="t")


def test_missing_renderer_is_a_clear_message(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PPRR_CHROMIUM", str(tmp_path / "no-chromium"))
    with pytest.raises(PdfError, match="needs Chromium.*make pdf-deps"):
        chromium_path()
    (tmp_path / "overview.html").write_text(PAGE.format(t="a", body="b"), encoding="utf-8")
    with pytest.raises(PdfError, match="needs Chromium"):
        write_pack_pdf(tmp_path, ["overview.html"], title="t", edition="internal")
    assert not (tmp_path / "report.pdf").exists()


def test_missing_page_is_named(tmp_path: Path) -> None:
    with pytest.raises(PdfError, match="finance.html: the page is missing"):
        write_pack_pdf(tmp_path, ["finance.html"], title="t", edition="internal")


@pytest.mark.browser
def test_small_pack_prints_with_bookmarks_and_tags(tmp_path: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    try:
        chromium_path()
    except PdfError as exc:
        pytest.fail(str(exc))
    for name, title in (("a.html", "Illustrative overview"), ("b.html", "Illustrative finance")):
        (tmp_path / name).write_text(PAGE.format(t=title, body="Red 42"), encoding="utf-8")
    pdf = write_pack_pdf(
        tmp_path, ["a.html", "b.html"], title="Illustrative PPRR", edition="public"
    )
    reader = pypdf.PdfReader(pdf)
    assert len(reader.pages) == 2  # each page of the pack starts a new sheet
    assert [o.title for o in reader.outline if not isinstance(o, list)] == [
        "Illustrative overview",
        "Illustrative finance",
    ]
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged
    text = reader.pages[0].extract_text()
    assert "Illustrative PPRR" in text and "public edition" in text and "Page 1 of 2" in text
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4


STATUS = {"red": "Red", "amber": "Amber", "green": "Green", "": "Not rated"}
TREND = {"better": "Getting better", "worse": "Getting worse", "stable": "Stable"}


def _outline_titles(outline: list) -> list[str]:
    out: list[str] = []
    for item in outline:
        out += _outline_titles(item) if isinstance(item, list) else [item.title]
    return out


@pytest.mark.browser
@pytest.mark.slow
def test_every_period_and_edition_has_its_pdf(report_pack: Path, public_pack: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    folders = [p.parent for p in report_pack.rglob("scorecard.csv")]
    assert len(folders) >= 4, folders  # two periods, two editions
    for folder in folders:
        pdf = folder / "report.pdf"
        assert pdf.is_file(), f"no report.pdf in {folder}"
        reader = pypdf.PdfReader(pdf)
        pages = len(list(folder.glob("*.html"))) - 1  # the pages of the pack, not index.html
        assert pages <= len(reader.pages) <= 120, (folder, len(reader.pages))
        titles = _outline_titles(reader.outline)
        assert any(t.startswith("Priority 1") for t in titles), titles[:10]
        if (folder / "quality.html").is_file():  # the data-quality notes close the pack
            tops = [item.title for item in reader.outline if not isinstance(item, list)]
            assert tops[-1].endswith("data-quality notes"), tops
        assert "/StructTreeRoot" in reader.trailer["/Root"]
        text = " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)
        edition = "public" if "public" in folder.parts else "internal"
        assert f"{edition} edition" in text
        with open(folder / "scorecard.csv", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        for row in rows:
            code = re.escape(row["code"])
            assert re.search(rf"(?<!\w){code}(?!\w)", text), (folder, row["code"])
        words = {STATUS.get(r["status"]) for r in rows} | {TREND.get(r["trend"]) for r in rows}
        for word in words - {None}:
            assert word in text, (folder, word)
        assert "report.pdf" in (folder / "index.html").read_text(encoding="utf-8")
