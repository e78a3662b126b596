"""The layers drawn in docs/architecture.md, checked on the source tree.

``dataset`` (loading, validation, scoring, finance, disclosure) <- ``report`` (pages) <-
``batch`` (execution, export, publishing, CLI); ``ingest`` (build time only) reads the
published tables into the dataset and is imported by nothing that runs for a report.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "pprr_utils"
LAYERS = ("dataset", "report", "batch", "ingest")
# what each layer may import (besides itself)
ALLOWED = {
    "dataset": set(),
    "report": {"dataset"},
    "batch": {"dataset", "report"},
    "ingest": {"dataset"},
}
MAX_LINES = 500


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imports(path: Path, *, top_level_only: bool) -> set[str]:
    """pprr_utils modules imported by the file (relative imports resolved)."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found: set[str] = set()
    modules = _modules()
    for node in nodes:
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("pprr_utils"):
                continue
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                found.add(sub if sub in modules else target)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("pprr_utils")}
    return found


def _layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in LAYERS else None


def test_every_module_is_in_a_layer():
    loose = [m for m in _modules() if m != "pprr_utils" and _layer(m) is None]
    assert loose == [], f"modules outside the layers {LAYERS}: {loose}"


def test_layers_import_only_the_layers_below():
    wrong = []
    for name, path in _modules().items():
        layer = _layer(name)
        if layer is None:
            continue
        for target in _imports(path, top_level_only=False):
            other = _layer(target)
            if other is None or other == layer or other in ALLOWED[layer]:
                continue
            if name == "pprr_utils.batch.cli" and other == "ingest":
                continue  # `pprr build-data`, imported inside that command only
            wrong.append(f"{name} imports {target}")
    assert wrong == []


def test_no_import_cycles():
    graph = {n: _imports(p, top_level_only=True) for n, p in _modules().items()}
    cycles = []

    def visit(node, stack, done):
        if node in stack:
            cycles.append(" -> ".join([*stack[stack.index(node) :], node]))
            return
        if node in done:
            return
        for nxt in sorted(graph.get(node, ())):
            if nxt in graph and nxt != node and not nxt.startswith(node + "."):
                visit(nxt, [*stack, node], done)
        done.add(node)

    done: set[str] = set()
    for n in sorted(graph):
        visit(n, [], done)
    assert cycles == []


@pytest.mark.parametrize("name", sorted(_modules()))
def test_no_module_over_500_lines(name):
    lines = len(_modules()[name].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{name} has {lines} lines; split it by job"


def test_a_report_run_never_imports_the_ingest_layer():
    code = (
        "import sys\n"
        "import pprr_utils, pprr_utils.batch.run, pprr_utils.batch.cli\n"
        "import pprr_utils.report.context, pprr_utils.report.present\n"
        "import pprr_utils.report.present_finance\n"
        "print(sorted(m for m in sys.modules if m.startswith('pprr_utils.ingest')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
