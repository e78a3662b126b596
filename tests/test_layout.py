"""Pages that fit every screen and A4 paper, checked in Chromium (WCAG 1.4.10 reflow).

Every page of both editions of the real pack, and of the illustrative portfolio
(examples/westbury, whose priority tables mix school and financial years), is rendered at
320, 768 and 1280 px by ``tests/a11y/layout_check.mjs``: no page may scroll sideways and no
element may stick out of its container (a table scrolling inside its box counts). Below
800 px a measures table is one card per measure, its code, name, status and trend first.
Each page is also printed to A4 and the PDF's text must hold every table column header and
every status word of the page.
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from a11y.check import REPO_ROOT, BrowserCheckUnavailable, _browser_setup

LAYOUT_SCRIPT = REPO_ROOT / "tests" / "a11y" / "layout_check.mjs"
WIDTHS = (320, 768, 1280)
STATUS_WORDS = ("Red", "Amber", "Green", "Not rated", "Getting better", "Getting worse", "Stable")


def _run_layout(pages: list[Path], pdf_dir: Path) -> dict:
    try:
        node, chromium = _browser_setup()
    except BrowserCheckUnavailable as exc:
        if os.environ.get("PPRR_A11Y_ALLOW_SKIP") == "1":
            pytest.skip(f"PPRR_A11Y_ALLOW_SKIP=1 and {exc}")
        pytest.fail(str(exc))
    proc = subprocess.run(
        [node, str(LAYOUT_SCRIPT), "--pdf-dir", str(pdf_dir), *map(str, pages)],
        capture_output=True,
        text=True,
        timeout=900,
        env=dict(os.environ, PPRR_CHROMIUM=chromium),
        cwd=REPO_ROOT,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)


def _pages(pack: Path) -> list[Path]:
    return sorted(
        p
        for p in pack.rglob("*.html")
        if "notebooks" not in p.parts and ".failed" not in p.parent.name
    )


@pytest.fixture(scope="module")
def example_pack(tmp_path_factory) -> Path:
    """The illustrative portfolio's pages (no sections, no finance; mixed school years)."""
    from pprr_utils.batch.run import run_batch

    out = tmp_path_factory.mktemp("westbury")
    result = run_batch(
        data=REPO_ROOT / "examples" / "westbury", out_dir=out, progress=False, pdf=False
    )
    assert result.ok, result.summary()
    return out


@pytest.fixture(scope="module")
def layout(report_pack: Path, public_pack: Path, example_pack: Path, tmp_path_factory) -> dict:
    pages = _pages(report_pack)
    assert len(pages) >= 20, pages
    examples = _pages(example_pack)
    assert any(p.name.startswith("priority-") for p in examples), examples
    # a PDF per page, in a folder per period and edition so names do not collide
    out = tmp_path_factory.mktemp("layout")
    result = {"pages": []}
    by_folder: dict[Path, list[Path]] = {}
    for p in pages + examples:
        by_folder.setdefault(p.parent, []).append(p)
    for i, (_folder, group) in enumerate(sorted(by_folder.items())):
        result["pages"] += _run_layout(group, out / str(i))["pages"]
    result["root"] = os.path.commonpath([str(report_pack), str(example_pack)])
    return result


def _visible_text(page: Path) -> str:
    s = re.sub(r"<(style|script)\b.*?</\1>", " ", page.read_text(encoding="utf-8"), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", s)).split())


def _column_headers(page: Path) -> set[str]:
    text = page.read_text(encoding="utf-8")
    heads = set()
    for thead in re.findall(r"<thead>(.*?)</thead>", text, re.S):
        for cell in re.findall(r"<th\b[^>]*>(.*?)</th>", thead, re.S):
            cell = re.sub(r'<(\w+)[^>]*aria-hidden="true"[^>]*>.*?</\1>', "", cell, flags=re.S)
            words = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", cell)).split())
            if words:
                heads.add(words)
    return heads


@pytest.mark.browser
@pytest.mark.slow
def test_no_page_scrolls_sideways_or_clips_a_table(layout: dict) -> None:
    problems = []
    for page in layout["pages"]:
        name = os.path.relpath(page["path"], layout["root"])
        problems += [f"{name}: {e}" for e in page["errors"]]
        assert [w["width"] for w in page["widths"]] == list(WIDTHS) or page["errors"]
        for w in page["widths"]:
            if w["scrollWidth"] > w["innerWidth"]:
                problems.append(
                    f"{name} at {w['width']} px: the page scrolls sideways "
                    f"(scrollWidth {w['scrollWidth']})"
                )
            for o in w["overflow"]:
                problems.append(
                    f"{name} at {w['width']} px: {o['element']} reaches {o['right']} px, "
                    f"past its container {o['container']} ({o['containerRight']} px)"
                )
    assert not problems, "\n".join(problems)


@pytest.mark.browser
@pytest.mark.slow
def test_a4_print_keeps_every_column_and_status(layout: dict) -> None:
    pypdf = pytest.importorskip("pypdf")
    missing = []
    for page in layout["pages"]:
        path = Path(page["path"])
        assert page["pdf"] and Path(page["pdf"]).is_file(), page
        reader = pypdf.PdfReader(page["pdf"])
        box = reader.pages[0].mediabox
        assert (round(float(box.width)), round(float(box.height))) == (595, 842), path  # A4
        printed = " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)
        flat = printed.replace(" ", "")
        wanted = _column_headers(path) | {w for w in STATUS_WORDS if w in _visible_text(path)}
        for word in sorted(wanted):
            # a header may wrap inside its cell: compare without spaces
            if word.replace(" ", "") not in flat:
                missing.append(f"{os.path.relpath(path, layout['root'])}: {word!r}")
    assert not missing, "not on the A4 print:\n" + "\n".join(missing)


@pytest.mark.browser
@pytest.mark.slow
def test_measures_tables_are_cards_with_code_name_status_and_trend_first(layout: dict) -> None:
    wrong = []
    priority_pages = [p for p in layout["pages"] if Path(p["path"]).name.startswith("priority-")]
    assert priority_pages
    for page in priority_pages:
        name = os.path.relpath(page["path"], layout["root"])
        text = Path(page["path"]).read_text(encoding="utf-8")
        measures = len(re.findall(r'<th\b[^>]*scope="row"[^>]*><a href="#measure-', text))
        for w in page["widths"]:
            if w["width"] >= 800:
                if w["cards"]:
                    wrong.append(f"{name} at {w['width']} px: cards on a wide screen")
                continue
            if len(w["cards"]) != measures:
                wrong.append(
                    f"{name} at {w['width']} px: {len(w['cards'])} cards, {measures} measures"
                )
            for card in w["cards"]:
                first = [label.split(" ")[0] for label in card["labels"][:4]]
                if first != ["Code", "Measure", "Status", "Trend"]:
                    wrong.append(f"{name} at {w['width']} px: {card['code']} shows {first} first")
    assert not wrong, "\n".join(wrong)
