"""docs/api.md: every example is run (as a doctest) against the real data.

The examples are the ```python blocks; a block that calls ``run_batch`` starts Jupyter
kernels, so it runs only with the kernel tests. All blocks share one namespace, in order.
"""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parent.parent / "docs" / "api.md"
FLAGS = doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS


def _blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL)


def _run(blocks: list[str]) -> doctest.TestResults:
    parser, runner = doctest.DocTestParser(), doctest.DocTestRunner(optionflags=FLAGS)
    globs: dict[str, object] = {}
    for i, block in enumerate(blocks):
        test = parser.get_doctest(block, globs, f"api.md block {i + 1}", str(DOC), 0)
        runner.run(test, clear_globs=False)
        globs = test.globs
    return runner.summarize(verbose=False)


def test_doc_has_an_example_for_each_api_name():
    text = DOC.read_text(encoding="utf-8")
    for name in (
        "load_dataset",
        "scorecard",
        "history",
        "open_report",
        "run_batch",
        "ScoringRules",
    ):
        assert f"## `{name}(" in text
        assert any(f"pp.{name}(" in b for b in _blocks()), name


def test_api_examples_run():
    blocks = [b for b in _blocks() if "run_batch(" not in b]
    result = _run(blocks)
    assert result.attempted >= 20 and result.failed == 0


@pytest.mark.kernel
def test_api_batch_example_runs():
    result = _run([_blocks()[0]] + [b for b in _blocks() if "run_batch(" in b])
    assert result.attempted >= 4 and result.failed == 0
