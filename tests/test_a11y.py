"""Accessibility (WCAG 2.2 AA via axe-core in Debian's headless Chromium) and no-internet checks.

Fixture pages are named for the behaviour they exercise: ``tests/a11y/good.html`` passes, and
each bad page (good.html with one defect, ``DEFECTS``) fails with a message naming the page,
the rule and the element. Then
every HTML page of the real report packs, built by ``run_batch`` into a temporary folder, is
checked by the same rules. The browser tools come from ``make a11y-deps``; without them the
browser tests fail (set ``PPRR_A11Y_ALLOW_SKIP=1`` to skip them instead, with the reason).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from a11y.check import (
    BrowserCheckUnavailable,
    Violation,
    _browser_setup,
    browser_check,
    check_pages,
    format_violations,
    static_check,
)

GOOD = Path(__file__).resolve().parent / "a11y" / "good.html"

# Each bad fixture page is good.html with one defect, named for the behaviour it exercises:
# page name -> (text in good.html, what replaces it).
DEFECTS: dict[str, tuple[str, str]] = {
    "missing_alt.html": (
        '<img alt="Illustrative line chart: the figure rises from 10 in 2019/20 to 40 in 2021/22 Q2."',
        "<img",
    ),
    "low_contrast.html": (
        "<p>Commentary on the illustrative measure.</p>",
        '<p style="color:#b0b0b0">This commentary is pale grey on white.</p>',
    ),
    "two_h1.html": ("<h2>Performance measures</h2>", "<h1>Performance measures</h1>"),
    "skipped_heading.html": ("<h2>Performance measures</h2>", "<h3>Performance measures</h3>"),
    "table_no_caption.html": (
        "<table><caption>Illustrative measures, 2021/22 Q2</caption>",
        "<table>",
    ),
    "external_script.html": (
        "</head>",
        '<script src="https://cdn.example.com/chart-library.js"></script>\n</head>',
    ),
}

# fixture page -> the (source, rule) pairs it must fail; the static rules run without a browser
EXPECTED: dict[str, set[tuple[str, str]]] = {
    "good.html": set(),
    "missing_alt.html": {("static", "img-alt"), ("axe", "image-alt")},
    "low_contrast.html": {("axe", "color-contrast")},
    "two_h1.html": {("static", "one-h1")},
    "skipped_heading.html": {("static", "heading-order")},
    "table_no_caption.html": {("static", "table-caption")},
    "external_script.html": {("static", "remote-resource"), ("browser", "network-request")},
}
# the element each bad page's message must point at
ELEMENT: dict[str, str] = {
    "missing_alt.html": "<img",
    "low_contrast.html": "color:#b0b0b0",
    "two_h1.html": "<h1>",
    "skipped_heading.html": "<h3>",
    "table_no_caption.html": "<table>",
    "external_script.html": "https://cdn.example.com/chart-library.js",
}


def _require_browser() -> None:
    """Fail (or, with PPRR_A11Y_ALLOW_SKIP=1, skip) when the browser tools are missing."""
    try:
        _browser_setup()
    except BrowserCheckUnavailable as exc:
        if os.environ.get("PPRR_A11Y_ALLOW_SKIP") == "1":
            pytest.skip(f"PPRR_A11Y_ALLOW_SKIP=1 and {exc}")
        pytest.fail(str(exc))


@pytest.fixture(scope="module")
def fixtures(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture pages: good.html as it is, and each defect applied to a copy of it."""
    good = GOOD.read_text(encoding="utf-8")
    folder = tmp_path_factory.mktemp("a11y")
    (folder / "good.html").write_text(good, encoding="utf-8")
    for name, (old, new) in DEFECTS.items():
        assert good.count(old) == 1, f"{name}: {old!r} must occur once in good.html"
        (folder / name).write_text(good.replace(old, new), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def fixture_results(fixtures: Path) -> dict[str, list[Violation]]:
    """Every fixture page checked in one browser run, by page name."""
    _require_browser()
    pages = sorted(fixtures / name for name in EXPECTED)
    found = check_pages(pages)
    return {name: [v for v in found if Path(v.page).name == name] for name in EXPECTED}


def test_every_fixture_page_is_listed() -> None:
    assert {"good.html", *DEFECTS} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_static_rules_on_fixture(name: str, fixtures: Path) -> None:
    page = fixtures / name
    got = {(v.source, v.rule) for v in static_check(page.read_text(encoding="utf-8"), name)}
    assert got == {r for r in EXPECTED[name] if r[0] == "static"}


@pytest.mark.browser
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_page_in_browser(name: str, fixture_results: dict[str, list[Violation]]) -> None:
    found = fixture_results[name]
    assert {(v.source, v.rule) for v in found} == EXPECTED[name], format_violations(found)
    for v in found:
        message = str(v)
        assert name in message and v.rule in message
    if name in ELEMENT:
        assert any(ELEMENT[name] in str(v) for v in found), format_violations(found)


@pytest.mark.browser
def test_browser_messages_are_clear(fixture_results: dict[str, list[Violation]]) -> None:
    (contrast,) = fixture_results["low_contrast.html"]
    assert contrast.impact == "serious"
    assert "low_contrast.html: [axe:color-contrast]" in str(contrast)
    assert "2.16" in contrast.message and "4.5:1" in contrast.message
    (alt,) = [v for v in fixture_results["missing_alt.html"] if v.source == "axe"]
    assert "base64,..." in alt.element  # the embedded image is not dumped into the message


def test_browser_check_without_pages_starts_nothing() -> None:
    assert browser_check([]) == []


# -- the static rules, case by case ------------------------------------------------------


def _page(body: str, *, lang: str = ' lang="en"') -> str:
    return f"<!DOCTYPE html><html{lang}><head><title>t</title></head><body>{body}</body></html>"


def _rules(body: str, **kwargs: str) -> list[str]:
    return [v.rule for v in static_check(_page(body, **kwargs), "p.html")]


def test_clean_minimal_page() -> None:
    assert _rules("<h1>Report</h1><h2>A</h2><h3>B</h3><h2>C</h2>") == []


def test_page_language() -> None:
    assert _rules("<h1>Report</h1>", lang="") == ["html-lang"]
    assert _rules("<h1>Report</h1>", lang=' lang=""') == ["html-lang"]


def test_heading_outline() -> None:
    assert _rules("<h2>Starts low</h2><h1>Report</h1>") == ["heading-order"]
    assert _rules("<h1>Report</h1><h2>A</h2><h4>D</h4>") == ["heading-order"]
    assert _rules("<p>no heading</p>") == ["one-h1"]
    assert _rules("<h1>Report</h1><h2> </h2>") == ["heading-empty"]
    # a heading whose text is an image's alt is not empty
    assert _rules('<h1><img alt="Stockport Council report"></h1>') == []


@pytest.mark.parametrize(
    "alt",
    [
        'alt=""',
        'alt="image"',
        'alt="Chart"',
        'alt="chart 2"',
        'alt="fig_1.png"',
        'alt="trend-CFSE.63.svg"',
        "",
    ],
)
def test_img_alt_must_describe(alt: str) -> None:
    assert _rules(f'<h1>Report</h1><img {alt} src="data:image/png;base64,AAAA">') == ["img-alt"]


def test_img_alt_description_passes() -> None:
    body = '<h1>Report</h1><img alt="Chart: 91.6% in 2021/22 Q2, up from 46% in 2019/20.">'
    assert _rules(body) == []


def test_tables() -> None:
    good = '<table><caption>Measures</caption><tr><th scope="col">A</th></tr></table>'
    assert _rules(f"<h1>R</h1>{good}") == []
    assert _rules('<h1>R</h1><table><tr><th scope="col">A</th></tr></table>') == ["table-caption"]
    assert _rules(
        "<h1>R</h1><table><caption> </caption><tr><th scope='col'>A</th></tr></table>"
    ) == ["table-caption"]
    late = '<table><tr><th scope="col">A</th></tr><caption>Late</caption></table>'
    assert _rules(f"<h1>R</h1>{late}") == ["table-caption"]
    assert _rules("<h1>R</h1><table><caption>M</caption><tr><td>1</td></tr></table>") == [
        "table-headers"
    ]
    assert _rules(
        "<h1>R</h1><table><caption>M</caption><tr><th>A</th><th scope=x>B</th></tr></table>"
    ) == ["th-scope", "th-scope"]
    assert _rules('<h1>R</h1><table role="presentation"><tr><td>layout</td></tr></table>') == []


@pytest.mark.parametrize(
    "markup",
    [
        '<script src="https://cdn.example.com/x.js"></script>',
        '<link rel="stylesheet" href="http://fonts.example.com/a.css">',
        '<img alt="A real description" src="//cdn.example.com/a.png">',
        '<img alt="A real description" srcset="a.png 1x, https://cdn.example.com/a2.png 2x">',
        "<style>@import 'https://fonts.example.com/font.css';</style>",
        '<style>body{background:url("https://example.com/bg.png")}</style>',
        '<p style="background-image:url(https://example.com/bg.png)">x</p>',
        '<iframe title="map" src="https://maps.example.com/"></iframe>',
        '<svg><use href="https://example.com/sprite.svg#a"/></svg>',
        '<meta http-equiv="refresh" content="0; url=https://example.com/">',
    ],
)
def test_remote_resources(markup: str) -> None:
    assert _rules(f"<h1>Report</h1>{markup}") == ["remote-resource"]


def test_links_and_embedded_data_are_not_loads() -> None:
    body = (
        '<h1>Report</h1><a href="https://www.stockport.gov.uk/">council</a>'
        '<img alt="A real description" src="data:image/svg+xml;base64,AAAA">'
    )
    assert _rules(body) == []


def test_status_needs_text_not_colour_alone() -> None:
    bare = '<h1>R</h1><span class="pprr-tag pprr-red"><span aria-hidden="true">✗</span></span>'
    assert _rules(bare) == ["status-text"]
    worded = (
        '<h1>R</h1><span class="pprr-tag pprr-red"><span aria-hidden="true">✗</span> Red</span>'
    )
    assert _rules(worded) == []


# -- the real report packs ----------------------------------------------------------------


@pytest.fixture(scope="module")
def real_pack(report_pack: Path, public_pack: Path) -> Path:
    """Both editions of every period, built once per session by the batch (conftest.py):
    the internal packs in ``report_pack`` and the public ones under its ``public/``."""
    assert public_pack.parent == report_pack
    return report_pack


@pytest.mark.kernel
@pytest.mark.browser
def test_real_pages_are_accessible_and_offline(real_pack) -> None:
    """Every page the batch made, both editions, in one browser (a failed period's partial
    build is checked too, so a failure elsewhere does not hide an accessibility fault)."""
    _require_browser()
    out = real_pack
    pages = sorted(out.rglob("*.html"))
    content = [p for p in pages if p.name != "index.html" and ".failed" not in p.parent.name]
    assert len(content) >= 8, f"too few report pages to check under {out}: {pages}"
    found = check_pages(pages)
    assert not found, "\n" + format_violations(
        [
            Violation(str(Path(v.page).relative_to(out)), v.rule, v.message, v.element, v.source)
            for v in found
        ]
    )
