"""Tables that reflow: every body cell carries its column header (report/reflow.py)."""

from __future__ import annotations

import pandas as pd

from pprr_utils.report.markup import CSS, table
from pprr_utils.report.reflow import REFLOW_CSS, column_labels, label_cells


def test_every_body_cell_gets_its_column_header() -> None:
    frame = pd.DataFrame({"Code": ["A.1"], "Measure": ["Pupils <5"], "Status": ["Red"]})
    out = table(frame, "Measures", row_header="Code")
    assert '<th scope="row" data-label="Code">A.1</th>' in out
    assert '<td data-label="Measure">Pupils &lt;5</td>' in out
    assert '<td data-label="Status">Red</td>' in out
    assert "data-label" not in out.split("<tbody>")[0]  # header cells are left alone


def test_labels_are_the_visible_words_of_the_last_header_row() -> None:
    html = (
        '<table><thead><tr><td></td><th scope="colgroup" colspan="2">Status</th></tr>'
        '<tr><th scope="col">Priority</th><th scope="col"><span aria-hidden="true">✗</span> '
        'Red</th><th scope="col" colspan="2">A &amp; B</th></tr></thead>'
        '<tbody><tr><th scope="row">1</th><td>2</td><td colspan="2">3</td></tr></tbody></table>'
    )
    assert column_labels(html) == ["Priority", "Red", "A & B", "A & B"]
    out = label_cells(html)
    assert '<td data-label="Red">2</td>' in out
    assert '<td colspan="2" data-label="A &amp; B">3</td>' in out


def test_table_without_head_or_body_is_unchanged() -> None:
    html = "<table><tr><td>1</td></tr></table>"
    assert label_cells(html) == html


def test_text_is_unchanged() -> None:
    frame = pd.DataFrame({"Code": ["A.1", "B.2"], "Value": [1, 2]})
    out = table(frame, "T", row_header="Code")
    import re

    assert re.sub(r' data-label="[^"]*"', "", out).count("A.1") == out.count("A.1")


def test_cards_and_print_rules_are_in_the_page_stylesheet() -> None:
    assert REFLOW_CSS in CSS
    assert "content:attr(data-label)" in REFLOW_CSS
    assert "print-color-adjust:exact" in REFLOW_CSS
    assert "@media screen and (max-width:" in REFLOW_CSS


def test_a_header_repeated_under_two_groups_names_its_group() -> None:
    html = (
        '<table><thead><tr><td></td><th scope="colgroup" colspan="2">Status (RAG)</th>'
        '<th scope="colgroup" colspan="2">Trend</th></tr><tr><th scope="col">Priority</th>'
        '<th scope="col">Red</th><th scope="col">Not rated</th><th scope="col">Better</th>'
        '<th scope="col">Not rated</th></tr></thead><tbody><tr><th scope="row">1</th>'
        "<td>2</td><td>0</td><td>3</td><td>1</td></tr></tbody></table>"
    )
    assert column_labels(html) == [
        "Priority",
        "Red",
        "Status (RAG): Not rated",
        "Better",
        "Trend: Not rated",
    ]
    assert '<td data-label="Trend: Not rated">1</td>' in label_cells(html)
