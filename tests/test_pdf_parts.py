"""The committee PDF printed part by part, kept and joined (batch/pdf_parts.py, pdf_html.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pprr_utils.batch.pdf_html import make_part, running_document
from pprr_utils.batch.pdf_join import PART_LINK
from pprr_utils.batch.pdf_pack import write_pack_pdf
from pprr_utils.batch.pdf_parts import PARTS_DIR, RUNNING

PAGE = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{t}</title></head>'
    '<body><main id="content"><h1>{t}</h1>{body}<h2 id="key">Key of {t}</h2>'
    '<p><a href="#key">own key</a> {links}</p></main></body></html>'
)
NAMES = ["a.html", "b.html", "c.html"]


def _write(folder: Path, b_sheets: int = 3, alpha: str = "Alpha") -> None:
    """Three illustrative pages: B runs to ``b_sheets`` sheets; each links to the others'
    keys and starts."""
    filler = "".join(f"<p>Paragraph {i} " + "word " * 60 + "</p>" for i in range(12 * b_sheets))
    for name, title, body in (
        ("a.html", "Part A", f"<p>{alpha}</p>"),
        ("b.html", "Part B", filler),
        ("c.html", "Part C", "<p>Gamma</p>"),
    ):
        links = " ".join(
            f'<a href="{other}#key">key of {other}</a> <a href="{other}">{other}</a>'
            for other in NAMES
            if other != name
        )
        page = PAGE.format(t=title, body=body, links=links)
        (folder / name).write_text(page, encoding="utf-8")


def test_a_part_prints_links_to_other_parts_as_marked_addresses_and_names_its_ids() -> None:
    texts = [PAGE.format(t=n, body="", links=f'<a href="{o}#key">k</a>') for n, o in
             (("a", "b.html"), ("b", "a.html"))]  # fmt: skip
    a = make_part(texts[0], "a.html", ["a.html", "b.html"], title="t")
    assert f'href="{PART_LINK}b--key"' in a and 'href="#a--key"' in a  # own link stays
    hidden = a[a.index('<nav style="display:none"') :]
    assert '<a href="#a--key"></a>' in hidden  # its ids are named destinations, for others
    assert '<a href="#pprr-page-a"></a>' in hidden  # and its start
    assert "break-after" not in a and ".html" not in a.replace("<html", "")
    assert a.count("<main") == 1 and "<title>t</title>" in a


def test_the_running_document_has_one_sheet_a_page_of_the_pack() -> None:
    doc = running_document(5)
    assert doc.count("break-after:page") == 5 and "@page{size:A4" in doc


def _footer_numbers(reader) -> list[tuple[int, int]]:
    out = []
    for page in reader.pages:
        m = re.search(r"Page (\d+) of (\d+)", page.extract_text())
        assert m, page.extract_text()
        out.append((int(m.group(1)), int(m.group(2))))
    return out


def _check_joined(pypdf, pdf: Path) -> None:
    """Page numbers, running header, outline, links between parts, one structure tree."""
    reader = pypdf.PdfReader(pdf, strict=True)
    n = len(reader.pages)
    assert _footer_numbers(reader) == [(i + 1, n) for i in range(n)]
    assert all("Parts" in p.extract_text() for p in reader.pages)  # the running header
    titles = [(o.title, reader.get_destination_page_number(o)) for o in reader.outline
              if not isinstance(o, list)]  # fmt: skip
    assert [t for t, _ in titles] == ["Part A", "Part B", "Part C"]
    b_text = [i for i, p in enumerate(reader.pages) if "Paragraph 0" in p.extract_text()]
    c_text = [i for i, p in enumerate(reader.pages) if "Gamma" in p.extract_text()]
    assert [p for _, p in titles] == [0, b_text[0], c_text[0]]
    root = reader.trailer["/Root"]
    dests = root["/Dests"]
    uris, internal = [], []
    for i, page in enumerate(reader.pages):
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if "/A" in annot:
                uris.append(annot["/A"].get("/URI"))
            else:
                target = dests[annot["/Dest"]][0].get_object()
                internal.append((i, str(annot["/Dest"]), reader.get_page_number(target)))
    assert uris == []
    # each part: its own key, and the other two parts' keys and starts
    assert len(internal) == 15
    assert (0, "/c--key", c_text[-1]) in internal
    assert (c_text[-1], "/pprr-page-b", b_text[0]) in internal
    struct = root["/StructTreeRoot"]
    document = struct["/K"]
    assert document["/S"] == "/Document" and len(document["/K"]) >= 3
    keys = set(struct["/ParentTree"]["/Nums"][0::2])
    owners = [p["/StructParents"] for p in reader.pages] + [
        a.get_object()["/StructParent"] for p in reader.pages for a in p.get("/Annots") or []
    ]
    assert len(owners) == len(set(owners)) and set(owners) <= keys
    assert int(struct["/ParentTreeNextKey"]) > max(keys)
    assert root["/MarkInfo"]["/Marked"] and root["/Lang"] == "en"
    for page in reader.pages:  # the running header and footer: a pagination artifact
        content = page.get_contents().get_data()
        assert content.rstrip().endswith(b"/Artifact <</Type /Pagination>> BDC q "
                                         b"/PprrRunning Do Q EMC")  # fmt: skip


@pytest.mark.browser
@pytest.mark.slow
def test_a_joined_pack_keeps_page_numbers_outline_links_and_one_structure_tree(
    tmp_path: Path,
) -> None:
    pypdf = pytest.importorskip("pypdf")
    _write(tmp_path)
    log: list[list[str]] = []
    pdf = write_pack_pdf(tmp_path, NAMES, title="Parts", edition="internal", log=log)
    _check_joined(pypdf, pdf)
    assert log == [["a", "b", "c"], [RUNNING]]
    assert len(pypdf.PdfReader(pdf).pages) >= 5  # A, B on 3 sheets or more, C
    kept = sorted(p.name for p in (tmp_path / PARTS_DIR).iterdir())
    assert len(kept) == 4 and all(k.endswith(".pdf") for k in kept)  # 3 parts, the running


@pytest.mark.browser
@pytest.mark.slow
def test_a_rebuild_prints_again_only_the_changed_part(tmp_path: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    _write(tmp_path)
    kept = tmp_path / "kept"
    write_pack_pdf(tmp_path, NAMES, title="Parts", edition="internal", parts=kept)
    assert not (tmp_path / PARTS_DIR).exists()  # kept where it was told, not beside the PDF
    _write(tmp_path, alpha="Alpha corrected")
    log: list[list[str]] = []
    pdf = write_pack_pdf(tmp_path, NAMES, title="Parts", edition="internal", parts=kept, log=log)
    assert log == [["a"]]  # one part printed; the running header and footer kept
    assert "Alpha corrected" in pypdf.PdfReader(pdf).pages[0].extract_text()
    _check_joined(pypdf, pdf)
    assert len(list(kept.iterdir())) == 4  # only what this PDF is made of
    log = []
    write_pack_pdf(tmp_path, NAMES, title="Parts", edition="internal", parts=kept, log=log)
    assert log == []  # nothing changed: nothing printed
    for f in kept.glob("*.pdf"):
        f.write_bytes(b"%PDF-1.4 damaged %%EOF")
    log = []
    _check_joined(pypdf, write_pack_pdf(tmp_path, NAMES, title="Parts", edition="internal",
                                        parts=kept, log=log))  # fmt: skip
    assert log == [["a", "b", "c"], [RUNNING]]  # a damaged part: printed again


@pytest.mark.browser
@pytest.mark.slow
def test_a_part_that_grows_moves_no_other_part_and_renumbers_every_sheet(tmp_path: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    _write(tmp_path, b_sheets=2)
    before = len(pypdf.PdfReader(write_pack_pdf(tmp_path, NAMES, title="Parts", edition="x"))
                 .pages)  # fmt: skip
    _write(tmp_path, b_sheets=4)  # B now runs to more sheets: C starts later, N is larger
    log: list[list[str]] = []
    pdf = write_pack_pdf(tmp_path, NAMES, title="Parts", edition="x", log=log)
    assert len(pypdf.PdfReader(pdf).pages) > before
    assert log == [["b"], [RUNNING]]  # A and C are kept; the footers say the new total
    _check_joined(pypdf, pdf)


@pytest.mark.browser
@pytest.mark.slow
def test_parts_that_cannot_be_joined_by_bytes_are_printed_as_one_document(
    tmp_path: Path, monkeypatch
) -> None:
    pypdf = pytest.importorskip("pypdf")
    from pprr_utils.batch import pdf_pack
    from pprr_utils.batch.pdf_join import JoinError

    def refuse(*args, **kwargs):
        raise JoinError("not as Chromium writes them")

    monkeypatch.setattr(pdf_pack, "join_parts", refuse)
    _write(tmp_path)
    pdf = write_pack_pdf(tmp_path, NAMES, title="Parts", edition="internal")
    reader = pypdf.PdfReader(pdf)
    n = len(reader.pages)
    assert _footer_numbers(reader) == [(i + 1, n) for i in range(n)]
    assert [o.title for o in reader.outline if not isinstance(o, list)] == [
        "Part A", "Part B", "Part C"
    ]  # fmt: skip
