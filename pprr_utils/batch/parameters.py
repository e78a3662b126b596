"""A notebook's declared parameters, checked, and injected exactly as papermill injects them.

The parameters a notebook accepts are the top-level assignments in its cell tagged
``parameters``; their types are the annotations or the literal defaults' types. Values are
checked against them before anything runs, with messages that name the notebook, the
parameter and what it accepts. ``papermill.inspect_notebook`` is not used: it drops an
annotated assignment such as ``label: str | None = None`` and keeps defaults as written.
"""

from __future__ import annotations

import ast
import copy
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from nbformat import NotebookNode

from ..dataset.errors import ParameterError

INJECTED_TAG = "injected-parameters"
PARAMETERS_TAG = "parameters"

_SIMPLE = (str, int, float, bool, type(None))
_TYPES: dict[str, tuple[type, ...]] = {
    "str": (str,),
    "int": (int,),
    "float": (int, float),
    "bool": (bool,),
    "None": (type(None),),
    "list": (list,),
    "dict": (dict,),
    "Path": (str,),
}


@dataclass(frozen=True)
class DeclaredParameter:
    """A name assigned in a notebook's ``parameters`` cell, with what it accepts."""

    name: str
    accepts: tuple[type, ...] | None  # None: any simple value
    default: str  # the default as written in the cell
    annotation: str | None = None

    def describe(self) -> str:
        what = (
            "any value"
            if self.accepts is None
            else " or ".join(
                sorted({"None" if t is type(None) else t.__name__ for t in self.accepts})
            )
        )
        return f"{what} (default {self.default})"


def _annotation_types(text: str) -> tuple[type, ...] | None:
    parts = [p.strip() for p in re.split(r"\|", text)]
    m = re.fullmatch(r"(?:typing\.)?Optional\[(.+)\]", text.strip())
    if m:
        parts = [m.group(1).strip(), "None"]
    out: list[type] = []
    for part in parts:
        base = part.split("[", 1)[0].strip().rsplit(".", 1)[-1]
        if base not in _TYPES:
            return None
        out.extend(_TYPES[base])
    return tuple(dict.fromkeys(out))


def _default_types(node: ast.expr) -> tuple[type, ...] | None:
    try:
        value = ast.literal_eval(node)
    except (ValueError, SyntaxError, TypeError):
        return None
    if value is None:
        return None
    if isinstance(value, bool):
        return (bool,)
    if isinstance(value, float):
        return (int, float)
    if isinstance(value, _SIMPLE + (list, dict)):
        return (type(value),)
    return None


def parameters_cell_index(nb: NotebookNode) -> int:
    """Index of the first cell tagged ``parameters``, or -1."""
    for i, cell in enumerate(nb.cells):
        if PARAMETERS_TAG in cell.get("metadata", {}).get("tags", []):
            return i
    return -1


def declared_parameters(nb: NotebookNode) -> dict[str, DeclaredParameter]:
    """The parameters a notebook declares: top-level assignments in its ``parameters`` cell.

    The type a parameter accepts is its annotation (``priority: int = 1``) or else the type
    of its literal default (``priority = 1`` accepts int); a ``None`` default accepts any.
    """
    idx = parameters_cell_index(nb)
    if idx < 0:
        return {}
    source = nb.cells[idx].source
    lines = [ln for ln in source.splitlines() if not ln.lstrip().startswith(("%", "!"))]
    try:
        tree = ast.parse("\n".join(lines))
    except SyntaxError as exc:
        raise ParameterError(f"the parameters cell does not parse: {exc}") from exc
    found: dict[str, DeclaredParameter] = {}
    for stmt in tree.body:
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            ann = ast.unparse(stmt.annotation)
            accepts = _annotation_types(ann)
            default = ast.unparse(stmt.value) if stmt.value is not None else "unset"
            found[stmt.target.id] = DeclaredParameter(stmt.target.id, accepts, default, ann)
        elif isinstance(stmt, ast.Assign):
            for target in stmt.targets:
                if isinstance(target, ast.Name):
                    found[target.id] = DeclaredParameter(
                        target.id, _default_types(stmt.value), ast.unparse(stmt.value)
                    )
    return found


def _plain(value: Any) -> Any:
    """Numpy scalars to Python; anything else unchanged."""
    item = getattr(value, "item", None)
    if item is not None and type(value).__module__ == "numpy":
        return item()
    return value


def _is_safe_value(value: Any) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, _SIMPLE):
        return True
    if isinstance(value, list):
        return all(_is_safe_value(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _is_safe_value(v) for k, v in value.items())
    return False


def check_parameters(
    nb: NotebookNode, parameters: Mapping[str, Any], *, name: str = "notebook"
) -> dict[str, Any]:
    """Check ``parameters`` against what ``nb`` declares; return them as plain Python values.

    Raises ParameterError naming the notebook, the parameter and what it accepts when a name
    is not declared, a value has the wrong type, or a value is not a plain literal.
    """
    declared = declared_parameters(nb)
    out: dict[str, Any] = {}
    for key, raw in parameters.items():
        value = _plain(raw)
        if key not in declared:
            known = ", ".join(sorted(declared)) or "none (no cell tagged 'parameters')"
            raise ParameterError(
                f"{name}: unknown parameter {key!r} = {value!r}; the notebook declares: {known}"
            )
        spec = declared[key]
        if not _is_safe_value(value):
            raise ParameterError(
                f"{name}: parameter {key!r} = {value!r} is not a plain value; "
                f"expected {spec.describe()}"
            )
        ok = spec.accepts is None or (
            isinstance(value, spec.accepts)
            and not (isinstance(value, bool) and bool not in spec.accepts)
        )
        if not ok:
            raise ParameterError(
                f"{name}: parameter {key!r} = {value!r} ({type(value).__name__}) has the wrong "
                f"type; {key} accepts {spec.describe()}"
            )
        out[key] = value
    return out


def _verify_injected(source: str, parameters: Mapping[str, Any], name: str) -> None:
    """Defence in depth: the injected cell must assign exactly the given values, nothing else."""
    tree = ast.parse(source)
    seen: dict[str, Any] = {}
    for stmt in tree.body:
        if not (
            isinstance(stmt, ast.Assign)
            and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Name)
        ):
            raise ParameterError(f"{name}: injected parameters are not plain assignments")
        seen[stmt.targets[0].id] = ast.literal_eval(stmt.value)
    if seen != dict(parameters):
        raise ParameterError(f"{name}: injected parameters do not round-trip: {seen!r}")


def parameterize(
    nb: NotebookNode, parameters: Mapping[str, Any] | None = None, *, name: str = "notebook"
) -> NotebookNode:
    """A copy of ``nb`` with checked parameters injected exactly as papermill injects them.

    Uses ``papermill.parameterize.parameterize_notebook``; the injected cell gets the fixed
    id ``injected-parameters`` (papermill's is random) and ``metadata.papermill`` keeps only
    the parameters, so the result is deterministic.
    """
    from papermill.parameterize import parameterize_notebook

    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        cell.metadata.setdefault("tags", [])  # as papermill's loader does
    params = check_parameters(nb, parameters or {}, name=name)
    nb.metadata["papermill"] = {}
    if params:
        nb = parameterize_notebook(nb, params)
        for cell in nb.cells:
            if INJECTED_TAG in cell.metadata.get("tags", []):
                _verify_injected(cell.source, params, name)
                cell["id"] = INJECTED_TAG
    nb.metadata["papermill"] = {"parameters": params}
    _fix_ids(nb)
    return nb


def _fix_ids(nb: NotebookNode) -> None:
    """Give cells without an id a deterministic one (nbformat would make random ids)."""
    if (nb.nbformat, nb.nbformat_minor) < (4, 5):
        return
    used = {c.get("id") for c in nb.cells}
    for i, cell in enumerate(nb.cells):
        if not cell.get("id"):
            new = f"cell-{i}"
            while new in used:
                new += "x"
            cell["id"] = new
            used.add(new)


def shown_data(value: Any) -> Any:
    """How a page's ``data`` parameter is published: a database URL without its password,
    an absolute folder or workbook path as its last name only (where the data lived on the
    machine that built the pack is not the reader's business); anything else unchanged."""
    if not isinstance(value, str):
        return value
    from ..dataset.locations import is_url, safe_url

    if is_url(value):
        return safe_url(value)
    if value.startswith("/") or re.match(r"[A-Za-z]:[\\/]", value) or value.startswith("\\\\"):
        return re.split(r"[\\/]", value.rstrip("\\/"))[-1] or value
    return value


def published(nb: NotebookNode) -> NotebookNode:
    """A copy of an executed notebook fit to publish: its injected ``data`` parameter (the
    cell and ``metadata.papermill``) as :func:`shown_data` gives it."""
    params = dict(nb.metadata.get("papermill", {}).get("parameters", {}))
    if "data" not in params or shown_data(params["data"]) == params["data"]:
        return nb
    from papermill.translators import PythonTranslator

    shown = shown_data(params["data"])
    out = copy.deepcopy(nb)
    out.metadata["papermill"]["parameters"]["data"] = shown
    for cell in out.cells:
        if INJECTED_TAG in cell.metadata.get("tags", []):
            cell.source = "\n".join(
                f"data = {PythonTranslator.translate(shown)}  # where it was read is not published"
                if line.startswith("data = ")
                else line
                for line in cell.source.split("\n")
            )
    return out
