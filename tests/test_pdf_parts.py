"""The committee PDF printed part by part and joined (batch/pdf_parts.py, batch/pdf_join.py)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from pprr_utils.batch.pdf import PACK_CSS, _part_id, write_pack_pdf
from pprr_utils.batch.pdf_join import PART_END, PART_LINK
from pprr_utils.batch.pdf_parts import PARTS_DIR, PrintLog, make_parts

PAGE = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{t}</title></head>'
    '<body><main id="content"><h1>{t}</h1>{body}<h2 id="key">Key of {t}</h2>'
    '<p><a href="#key">own key</a> {links}</p></main></body></html>'
)
NAMES = ["a.html", "b.html", "c.html"]


def _write(folder: Path, b_sheets: int = 3) -> None:
    """Three pages: B runs to ``b_sheets`` sheets; each links to the others' keys."""
    filler = "".join(f"<p>Paragraph {i} " + "word " * 60 + "</p>" for i in range(12 * b_sheets))
    for name, title, body in (
        ("a.html", "Part A", "<p>Alpha</p>"),
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


def test_a_link_to_another_part_is_printed_as_a_marked_address_and_its_target_linked() -> None:
    texts = [PAGE.format(t=n, body="", links=f'<a href="{o}#key">k</a>') for n, o in
             (("a", "b.html"), ("b", "a.html"))]  # fmt: skip
    parts = make_parts(texts, ["a.html", "b.html"], title="t", lang="en", css=PACK_CSS,
                       part_id=_part_id)  # fmt: skip
    a, b = (p.document(2, 1) for p in parts)
    assert f'href="{PART_LINK}b--key"' in a and 'href="#a--key"' in a  # own link stays
    assert '<a href="#a--key"></a>' in a  # b links to a's key: a names it as a destination
    assert f'id="{PART_END}"' in a and f'<a href="#{PART_END}"></a>' in a
    assert a.count("break-after:page;height:1px") == 2  # two empty sheets before
    assert a.count("break-before:page;height:1px") == 1  # one after
    assert ".html" not in a.replace("<html", "")


def _footer_numbers(reader) -> list[tuple[int, int]]:
    out = []
    for page in reader.pages:
        m = re.search(r"Page (\d+) of (\d+)", page.extract_text())
        assert m, page.extract_text()
        out.append((int(m.group(1)), int(m.group(2))))
    return out


def _check_joined(pypdf, pdf: Path) -> None:
    """Page numbers, outline, links between parts and one structure tree."""
    reader = pypdf.PdfReader(pdf, strict=True)
    n = len(reader.pages)
    assert _footer_numbers(reader) == [(i + 1, n) for i in range(n)]
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
    assert ("/" + PART_END) not in dests
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


@pytest.mark.browser
@pytest.mark.slow
def test_a_joined_pack_keeps_page_numbers_outline_links_and_one_structure_tree(
    tmp_path: Path,
) -> None:
    pypdf = pytest.importorskip("pypdf")
    _write(tmp_path)
    log = PrintLog()
    pdf = write_pack_pdf(tmp_path, NAMES, title="Parts", edition="internal", log=log)
    _check_joined(pypdf, pdf)
    assert sorted(log.sessions[-1]) == ["a", "b", "c"]
    assert len(pypdf.PdfReader(pdf).pages) >= 5  # A, B on 3 sheets or more, C


@pytest.mark.browser
@pytest.mark.slow
def test_a_rebuild_prints_again_only_the_changed_part(tmp_path: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    _write(tmp_path)
    write_pack_pdf(tmp_path, NAMES, title="Parts", edition="internal")
    published = tmp_path / "published"
    published.mkdir()
    shutil.move(tmp_path / PARTS_DIR, published / PARTS_DIR)  # carried over by the next build
    page = tmp_path / "a.html"
    page.write_text(page.read_text().replace("Alpha", "Alpha corrected"), encoding="utf-8")
    log = PrintLog()
    pdf = write_pack_pdf(tmp_path, NAMES, title="Parts", edition="internal", published=published,
                         log=log)  # fmt: skip
    assert log.sessions == [["a"]]  # one Chromium session, one part
    assert "Alpha corrected" in pypdf.PdfReader(pdf).pages[0].extract_text()
    _check_joined(pypdf, pdf)
    log = PrintLog()
    write_pack_pdf(tmp_path, NAMES, title="Parts", edition="internal", log=log)
    assert log.sessions == []  # nothing changed: nothing printed
    (tmp_path / PARTS_DIR / "sheets.json").write_text("{", encoding="utf-8")  # damaged
    for f in (tmp_path / PARTS_DIR).glob("*.pdf"):
        f.write_bytes(b"not a PDF")
    log = PrintLog()
    _check_joined(pypdf, write_pack_pdf(tmp_path, NAMES, title="Parts", edition="internal",
                                        log=log))  # fmt: skip
    assert sorted(log.sessions[-1]) == ["a", "b", "c"]  # a damaged cache: printed again


@pytest.mark.browser
@pytest.mark.slow
def test_a_part_that_grows_moves_the_parts_after_it(tmp_path: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    _write(tmp_path, b_sheets=2)
    before = len(pypdf.PdfReader(write_pack_pdf(tmp_path, NAMES, title="P", edition="x")).pages)
    _write(tmp_path, b_sheets=4)  # B now runs to more sheets: C starts later, N is larger
    log = PrintLog()
    pdf = write_pack_pdf(tmp_path, NAMES, title="P", edition="x", log=log)
    assert len(pypdf.PdfReader(pdf).pages) > before
    assert "b" in log.sessions[0] and "c" in log.sessions[-1]
    _check_joined(pypdf, pdf)


@pytest.mark.browser
@pytest.mark.slow
def test_parts_not_laid_out_as_chromium_writes_are_joined_by_pypdf(
    tmp_path: Path, monkeypatch
) -> None:
    pypdf = pytest.importorskip("pypdf")
    from pprr_utils.batch import pdf_join

    def refuse(*args, **kwargs):
        raise pdf_join._NotChromium

    monkeypatch.setattr(pdf_join, "_raw_join", refuse)
    _write(tmp_path)
    _check_joined(pypdf, write_pack_pdf(tmp_path, NAMES, title="Parts", edition="internal"))
