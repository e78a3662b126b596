"""What a published notebook says of where its data came from (issue 13: the absolute
``--data`` path appeared in every published notebook; a database password could too)."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from pprr_utils.batch.execute import load_notebook
from pprr_utils.batch.parameters import parameterize, published, shown_data

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("/srv/council/performance/cfe-2024", "cfe-2024"),
        ("/srv/council/performance/cfe.xlsx", "cfe.xlsx"),
        ("/srv/council/data/", "data"),
        ("C:\\Users\\jsmith\\Documents\\pprr data", "pprr data"),
        ("examples/westbury", "examples/westbury"),  # relative to the project: kept
        ("postgresql://pprr:s3cret@db.example/pprr", "postgresql://pprr:***@db.example/pprr"),
        ("sqlite:///perf.db", "sqlite:///perf.db"),
        (None, None),
    ],
)
def test_shown_data(given: str | None, shown: str | None) -> None:
    assert shown_data(given) == shown


def test_published_notebook_names_no_machine_path_or_password() -> None:
    for data, secret in (
        ("/srv/council-data/performance/cfe", "/srv/council-data"),
        ("postgresql://pprr:s3cret@db.example/pprr", "s3cret"),
    ):
        nb = parameterize(
            load_notebook(NOTEBOOKS / "overview.ipynb"),
            {"period": "2021/22 Q2", "data": data},
            name="overview.ipynb",
        )
        assert secret in nbformat.writes(nb)  # what ran had the real location
        out = published(nb)
        text = nbformat.writes(out)
        assert secret not in text
        assert json.loads(text)["metadata"]["papermill"]["parameters"]["data"] == shown_data(data)
        injected = [c for c in out.cells if "injected-parameters" in c.metadata.get("tags", [])]
        assert f'data = "{shown_data(data)}"' in injected[0].source
        assert 'period = "2021/22 Q2"' in injected[0].source  # the rest untouched
        assert secret in nbformat.writes(nb)  # the executed notebook itself is not changed


def test_published_leaves_a_notebook_without_a_machine_path_as_it_is() -> None:
    nb = parameterize(
        load_notebook(NOTEBOOKS / "overview.ipynb"),
        {"period": "2021/22 Q2", "data": "examples/westbury"},
        name="overview.ipynb",
    )
    assert published(nb) is nb
