"""Regenerate the fixture notebooks: ``python tests/notebooks/make_fixtures.py``."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent

PARAMS = (
    'period = "2021/22 Q2"  # the reporting period\n'
    "data = None\npriority = 1\npublic = False\n"
)


def _nb(*cells: tuple[str, str, list[str]]) -> nbformat.NotebookNode:
    nb = new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"
    }
    nb.metadata["language_info"] = {"name": "python"}
    for i, (kind, source, tags) in enumerate(cells):
        cell = new_markdown_cell(source) if kind == "md" else new_code_cell(source)
        cell["id"] = f"c{i}"
        if tags:
            cell.metadata["tags"] = tags
        nb.cells.append(cell)
    return nb


FIXTURES = {
    # parameters cell, markdown, text and HTML output: the ordinary case
    "simple": _nb(
        ("md", "# Simple fixture", []),
        ("code", PARAMS, ["parameters"]),
        ("code", 'print(f"period={period} priority={priority} public={public}")', []),
        ("code", 'from IPython.display import HTML\n\nHTML(f"<p class=\'x\'>P{priority}</p>")', []),
    ),
    # no cell tagged parameters: papermill injects at the top
    "no_parameters": _nb(
        ("md", "# No parameters", []),
        ("code", "x = 1\nprint(x)", []),
    ),
    # annotated parameters of several types
    "typed_parameters": _nb(
        ("code", 'period: str = "2021/22 Q2"\npriority: int = 1\nratio: float = 0.5\n'
                 "public: bool = False\nlabel: str | None = None\nitems = [1, 2]\n",
         ["parameters"]),
        ("code", "print(period, priority, ratio, public, label, items)", []),
    ),
    # fails in its third cell; the fourth never runs
    "broken1": _nb(
        ("md", "# Broken fixture", []),
        ("code", PARAMS, ["parameters"]),
        ("code", 'raise ValueError(f"no data for priority {priority}")', []),
        ("code", 'print("unreachable")', []),
    ),
    # sets state that must not leak into the next notebook on the same kernel
    "leak_set": _nb(
        ("code", "import os\n\nimport matplotlib\n\nleaked_variable = 42\nos.chdir('/')\n"
                 "matplotlib.rcParams['lines.linewidth'] = 9.0", []),
    ),
    # checks nothing leaked from leak_set
    "leak_check": _nb(
        ("code", "import os\n\nimport matplotlib\n\n"
                 "assert 'leaked_variable' not in globals(), 'leaked_variable leaked'\n"
                 "assert os.path.exists('pyproject.toml'), os.getcwd()\n"
                 "assert matplotlib.rcParams['lines.linewidth'] != 9.0, 'rcParams leaked'\n"
                 "print('clean')", []),
    ),
    # a matplotlib chart (SVG and PNG) and a local markdown image: determinism of export
    "chart": _nb(
        ("md", "# Chart fixture\n\nA line chart.", []),
        ("code", PARAMS, ["parameters"]),
        ("code", "import matplotlib.pyplot as plt\n"
                 "from matplotlib_inline.backend_inline import set_matplotlib_formats\n\n"
                 "set_matplotlib_formats('svg')\n"
                 "fig, ax = plt.subplots(figsize=(3, 2))\n"
                 "ax.plot([1, 2, 3], [2, 1, priority])\nax.set_title('Trend')\nplt.show()", []),
        ("code", "set_matplotlib_formats('png')\n"
                 "fig, ax = plt.subplots(figsize=(3, 2))\nax.bar(['a', 'b'], [1, 2])\nplt.show()",
         []),
        ("code", "import os\nimport warnings\n\n"
                 "warnings.warn('a warning from ' + os.getcwd(), stacklevel=1)",
         []),
    ),
}


def main() -> None:
    for name, nb in FIXTURES.items():
        nbformat.write(nb, str(HERE / f"{name}.ipynb"))


if __name__ == "__main__":
    main()
