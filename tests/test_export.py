"""export: code hidden, self-contained, deterministic, phone-readable, errors shown."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import nbformat
import pytest

from pprr_utils.batch.execute import KernelSession, execute_notebook
from pprr_utils.batch.export import (
    ExportError,
    default_forbidden_paths,
    embed_markdown_images,
    export_html,
    page_problems,
    page_title,
    render_page,
)

NB = Path(__file__).resolve().parent / "notebooks"


@pytest.fixture(scope="module")
def executed():
    with KernelSession() as s:
        yield {
            name: execute_notebook(NB / f"{name}.ipynb", {"priority": 3}, session=s).nb
            for name in ("simple", "chart", "broken1")
        } | {"chart_again": execute_notebook(NB / "chart.ipynb", {"priority": 3}, session=s).nb}


def test_code_hidden_outputs_shown(executed) -> None:
    page = export_html(executed["simple"])
    assert "period=2021/22 Q2 priority=3" in page
    assert "<p class='x'>P3</p>" in page or '<p class="x">P3</p>' in page
    assert "print(f" not in page and "HTML(f" not in page  # no source code
    assert "In&nbsp;[" not in page and "Out[" not in page


def test_page_shell(executed) -> None:
    page = export_html(executed["simple"], footer="Internal edition")
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="en">' in page
    assert re.search(r'<meta[^>]*name="viewport"', page)
    assert "<title>Simple fixture</title>" in page
    assert "<main" in page and "Internal edition" in page
    assert (
        export_html(executed["simple"], title="Given <title>").count(
            "<title>Given &lt;title&gt;</title>"
        )
        == 1
    )


def test_self_contained_no_internet_no_scripts(executed) -> None:
    page = export_html(executed["chart"])
    assert "data:image/svg+xml;base64," in page and "data:image/png;base64," in page
    assert page_problems(page, forbidden_paths=default_forbidden_paths()) == []
    assert not re.search(r"<(script|link)\b", page, re.I)
    assert not re.search(r"(src|href)=[\"']?(https?:)?//", page, re.I)
    assert "@import" not in page and "mathjax" not in page.lower()


def test_deterministic_across_runs(executed) -> None:
    a = export_html(executed["chart"])
    b = export_html(executed["chart_again"])
    assert a.encode() == b.encode()
    assert "cell-id=" not in a
    svg = base64.b64decode(re.search(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)", a)[1])
    assert b"<dc:date>" not in svg or b"1970-01-01" in svg


def test_no_machine_paths(executed) -> None:
    for nb in executed.values():
        page = export_html(nb)
        for bad in [*default_forbidden_paths(), "/work/", "/tmp/", "/home/", "/root/"]:
            if bad:
                assert bad not in re.sub(r"data:[^\"']+", "", page), bad


def test_error_page_says_what_failed(executed) -> None:
    page = export_html(executed["broken1"])
    assert 'role="alert"' in page
    assert "This page is incomplete" in page
    assert "cell 3 raised ValueError: no data for priority 3" in page
    assert "Error: ValueError" in page
    assert page_problems(page, forbidden_paths=default_forbidden_paths()) == []


def test_page_failed_before_its_h1_gets_the_title_as_h1() -> None:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("header()")
    cell.outputs = [
        nbformat.v4.new_output(
            "error", ename="ValueError", evalue="no data", traceback=["ValueError: no data"]
        )
    ]
    nb.cells.append(cell)
    page = export_html(nb, title="Priority 1: Best start & more")
    assert page.count("<h1") == 1
    h1 = page.index("<h1>Priority 1: Best start &amp; more</h1>")
    assert h1 < page.index("This page is incomplete")


def test_failed_page_with_its_own_h1_gets_no_second(executed) -> None:
    page = export_html(executed["broken1"], title="Given")
    assert page.count("<h1") == 1 and ">Broken fixture<" in page


def test_remote_resources_refused() -> None:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [
        nbformat.v4.new_output(
            "display_data", data={"text/html": '<img src="https://example.org/a.png" alt="">'}
        )
    ]
    nb.cells.append(cell)
    with pytest.raises(ExportError, match="example.org"):
        export_html(nb)
    assert page_problems('<script src="//cdn.example/x.js"></script>')
    assert page_problems("<style>@import url(https://fonts.example/f.css)</style>")
    assert page_problems('<p onclick="x()">a</p>')
    assert page_problems('<a href="https://example.org">a link is not a load</a>') == []


def test_markdown_images_only_from_the_project(tmp_path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    png = NB.parent.parent / "pyproject.toml"  # a project file, but not an image
    nb.cells.append(
        nbformat.v4.new_markdown_cell(
            f"![outside](/etc/hostname) ![web](https://example.org/x.png) ![nope]({png})"
        )
    )
    embed_markdown_images(nb)
    src = nb.cells[0].source
    assert "/etc/hostname" not in src and "example.org" not in src and "pyproject" not in src
    assert "[image: outside]" in src and "[image: web]" in src


def test_title_and_index_page() -> None:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [
        nbformat.v4.new_output(
            "display_data", data={"text/html": "<h1>Priority 4: Safe &amp; well</h1>"}
        )
    ]
    nb.cells.append(cell)
    assert page_title(nb) == "Priority 4: Safe & well"
    page = render_page("Contents", "<h1>Contents</h1>", footer="f")
    assert '<html lang="en">' in page and "viewport" in page and page_problems(page) == []
