"""The committee PDF (batch/pdf.py, pdf_html.py, pdf_pack.py): one A4 PDF of the whole pack per
period and edition."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from pprr_utils.batch.pdf import PdfError, chromium_path
from pprr_utils.batch.pdf_html import pack_document
from pprr_utils.batch.pdf_pack import write_pack_pdf

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


LINKED = (
    '<!DOCTYPE html><html lang="en"><head><title>{t}</title></head><body>'
    '<main id="content"><h1 id="top">{t}</h1><a href="#key">key</a>'
    '<table aria-describedby="key"><th id="h1">x</th><td headers="h1">1</td></table>'
    '<svg><clipPath id="c1"></clipPath><g clip-path="url(#c1)"></g></svg>'
    '<a href="b.html">the other page</a> <a href="b.html#key">its key</a> '
    '<a href="scorecard.csv">the scorecard</a> <a href="https://example.org/x">web</a>'
    '<p id="key">Key</p></main></body></html>'
)


def test_each_page_keeps_its_own_ids_and_links_stay_inside_the_pdf() -> None:
    doc = pack_document(
        [LINKED.format(t="A"), LINKED.format(t="B")], title="t", names=["a.html", "b.html"]
    )
    ids = re.findall(r'\sid="([^"]*)"', doc)
    assert len(ids) == len(set(ids))  # no page's "key" shadows another's
    for ref in re.findall(r'href="#([^"]*)"', doc) + re.findall(r"url\(#([^)]*)\)", doc):
        assert ref in ids, ref  # every link lands on an element of the document
    assert 'href="#a--key"' in doc and 'href="#b--key"' in doc  # each to its own page's key
    assert 'aria-describedby="a--key"' in doc and 'headers="b--h1"' in doc
    assert doc.count('href="#pprr-page-b"') == 2 and doc.count('href="#b--key"') == 3
    assert ".html" not in doc.replace("<html", "")  # no link to a file beside a temp copy
    assert 'href="scorecard.csv"' not in doc and ">the scorecard<" in doc  # text kept
    assert 'href="https://example.org/x"' in doc


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
    long = "Illustrative finance: " + "every child given the very best start in life " * 4
    for name, title in (("a.html", "Illustrative overview"), ("b.html", long.strip())):
        (tmp_path / name).write_text(PAGE.format(t=title, body="Red 42"), encoding="utf-8")
    pdf = write_pack_pdf(
        tmp_path, ["a.html", "b.html"], title="Illustrative PPRR", edition="public"
    )
    reader = pypdf.PdfReader(pdf)
    assert len(reader.pages) == 2  # each page of the pack starts a new sheet
    assert [o.title for o in reader.outline if not isinstance(o, list)] == [
        "Illustrative overview",
        long.strip(),  # a heading that wraps keeps the spaces between its lines
    ]
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged
    text = reader.pages[0].extract_text()
    assert "Illustrative PPRR" in text and "public edition" in text and "Page 1 of 2" in text
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4
    assert _link_uris(reader) == []  # the pages link to nothing outside the PDF


@pytest.mark.browser
@pytest.mark.parametrize("illustrative", [True, False])
def test_illustrative_data_is_in_every_sheets_running_header(
    tmp_path: Path, illustrative: bool
) -> None:
    pypdf = pytest.importorskip("pypdf")
    names = ["a.html", "b.html", "c.html"]
    for name in names:  # the pages themselves never say "illustrative"
        (tmp_path / name).write_text(PAGE.format(t="Overview", body="Red 42"), encoding="utf-8")
    pdf = write_pack_pdf(
        tmp_path, names, title="Schools PPRR", edition="internal", illustrative=illustrative
    )
    reader = pypdf.PdfReader(pdf)
    assert len(reader.pages) == 3
    for page in reader.pages:
        text = page.extract_text()
        assert ("Illustrative data, internal edition" in text) is illustrative, text
        assert "Schools PPRR" in text and "internal edition" in text
    title = reader.metadata.title
    assert title == (
        "Schools PPRR (Illustrative data, internal edition)"
        if illustrative
        else "Schools PPRR (internal edition)"
    )


def _link_uris(reader) -> list[str]:
    """The addresses of the PDF's links to outside it (a file or web page)."""
    out = []
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action is not None and "/URI" in action:
                out.append(str(action["/URI"]))
    return out


@pytest.mark.browser
def test_a_link_to_another_page_of_the_pack_lands_inside_the_pdf(tmp_path: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    for name, title in (("a.html", "Illustrative A"), ("b.html", "Illustrative B")):
        (tmp_path / name).write_text(LINKED.format(t=title), encoding="utf-8")
    reader = pypdf.PdfReader(
        write_pack_pdf(tmp_path, ["a.html", "b.html"], title="t", edition="public")
    )
    assert _link_uris(reader) == ["https://example.org/x", "https://example.org/x"]
    internal = [
        a.get_object() for p in reader.pages for a in p.get("/Annots") or []
        if "/Dest" in a.get_object() or a.get_object().get("/A", {}).get("/S") == "/GoTo"
    ]  # fmt: skip
    assert len(internal) >= 6  # #key, b.html, b.html#key on each page


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
        assert not [u for u in _link_uris(reader) if not u.startswith("https://")], folder
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


@pytest.mark.browser
def test_a_kept_browser_prints_again_without_starting(tmp_path: Path, monkeypatch) -> None:
    """``keep_browser`` (``pprr watch``): the second print uses the Chromium the first one
    left running, and the files are the same as from a new browser."""
    import shutil

    from pprr_utils.batch import pdf
    from pprr_utils.batch.pdf_parts import PARTS_DIR

    started = []
    original = pdf._Browser.__init__

    def init(self, *args, **kwargs) -> None:
        started.append(1)
        original(self, *args, **kwargs)

    monkeypatch.setattr(pdf._Browser, "__init__", init)
    page = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>t</title></head>'
        '<body><main id="content"><h1>Illustrative page</h1><p>Text.</p></main></body></html>'
    )
    (tmp_path / "a.html").write_text(page, encoding="utf-8")
    try:
        kw = {"title": "Illustrative pack", "edition": "internal edition"}
        fresh = write_pack_pdf(tmp_path, ["a.html"], **kw).read_bytes()
        assert len(started) == 1 and "browser" not in pdf._KEPT
        for _ in range(2):  # the parts kept from the last print are removed: printed again
            shutil.rmtree(tmp_path / PARTS_DIR)
            kept = write_pack_pdf(tmp_path, ["a.html"], keep_browser=True, **kw).read_bytes()
        assert len(started) == 2  # the second kept print started no browser
        assert pdf._KEPT["browser"].proc.poll() is None
        assert _page_texts(kept) == _page_texts(fresh)
    finally:
        pdf.close_browser()
    assert "browser" not in pdf._KEPT


def _page_texts(data: bytes) -> list[str]:
    import io

    import pypdf

    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]


@pytest.mark.browser
def test_a_document_chromium_cannot_open_is_named(tmp_path: Path) -> None:
    from pprr_utils.batch.pdf import print_documents, print_options

    with pytest.raises(PdfError, match="could not open missing.html"):
        print_documents([tmp_path / "missing.html"], print_options("t", "internal edition"))


def test_a_program_that_is_not_chromium_is_a_clear_message(tmp_path: Path) -> None:
    from pprr_utils.batch.pdf import print_documents, print_options

    page = tmp_path / "a.html"
    page.write_text(PAGE.format(t="a", body="b"), encoding="utf-8")
    with pytest.raises(PdfError, match=r"\(/bin/false\) stopped unexpectedly.*make pdf-deps"):
        print_documents([page], print_options("t", "internal edition"), chromium="/bin/false")
