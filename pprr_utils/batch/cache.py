"""What a period's pack depends on, hashed: a pack whose inputs are unchanged is not rebuilt.

The key of a period hashes its data files, the ``pprr_utils`` sources, templates and styles,
the tool versions, its notebooks, its plan and its pages' parameters; it is stored in the
period's ``.pprr-manifest.json`` and compared on the next run. The periods plan is kept in
``<out>/.pprr-plan.json`` while the data and code are unchanged, so a cached run does not
load the data.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any

from .plan import Job, plan_periods

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # the whole pprr_utils package
MANIFEST = ".pprr-manifest.json"
PLAN_CACHE = ".pprr-plan.json"
CACHE_VERSION = 1
_VERSIONED = (
    "papermill",
    "nbclient",
    "nbconvert",
    "nbformat",
    "ipykernel",
    "matplotlib",
    "pandas",
    "numpy",
    "seaborn",
)


def _hash_files(root: Path, files: list[Path], h: Any) -> None:
    for f in sorted(files):
        h.update(f.relative_to(root).as_posix().encode() + b"\0")
        h.update(hashlib.sha256(f.read_bytes()).digest())


def _tree_files(root: Path, suffixes: tuple[str, ...] | None = None) -> list[Path]:
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith((".", "__pycache__"))]
        for name in filenames:
            if name.startswith(".") or name.endswith((".pyc", "~")):
                continue
            if suffixes is None or name.endswith(suffixes):
                out.append(Path(dirpath) / name)
    return out


def hash_data(location: Path) -> str:
    """Hash of every file in the data folder (or of the workbook, or of a database's tables)."""
    from ..dataset.locations import is_url

    if is_url(location):
        from ..dataset.sql import fingerprint

        return fingerprint(str(location))
    h = hashlib.sha256()
    if location.is_dir():
        _hash_files(location, _tree_files(location), h)
    else:
        h.update(location.read_bytes())
    return h.hexdigest()


@functools.lru_cache(maxsize=1)
def hash_code() -> str:
    """Hash of the package sources, templates and styles, and of the tool versions (once per
    process: a run of many portfolios asks for it once each)."""
    from importlib.metadata import PackageNotFoundError, version

    h = hashlib.sha256(f"v{CACHE_VERSION} {sys.version_info[:3]}".encode())
    _hash_files(PACKAGE_DIR, _tree_files(PACKAGE_DIR, (".py", ".j2", ".json", ".css")), h)
    for dist in _VERSIONED:
        try:
            h.update(f"{dist}={version(dist)}".encode())
        except PackageNotFoundError:
            h.update(f"{dist}=none".encode())
    return h.hexdigest()


def hash_notebook(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "missing"


def period_key(
    plan: dict[str, Any], jobs: list[Job], stamp: dict[str, Any], *, public: bool
) -> str:
    payload = {
        "inputs": stamp,
        "plan": plan,
        "jobs": [[j.page, j.notebook, j.parameters] for j in jobs],
        "public": public,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def _is_cached(folder: Path, key: str) -> bool:
    try:
        info = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return info.get("key") == key and all((folder / f).is_file() for f in info.get("files", []))


def is_cached(folder: Path, key: str) -> bool:
    try:
        info = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return info.get("key") == key and all((folder / f).is_file() for f in info.get("files", []))


def write_json(path: Path, obj: Any) -> None:
    """``obj`` as JSON at ``path``, written atomically."""
    from ..dataset.writing import atomic_write

    text = json.dumps(obj, indent=1, sort_keys=True) + "\n"
    atomic_write(path, lambda fh: fh.write(text))


def load_plan(
    out: Path, data_hash: str, code_hash: str, location: Path, dataset: Any
) -> tuple[list[dict[str, Any]], Any]:
    """The periods plan, from the plan cache when data and code are unchanged."""
    cache = out / PLAN_CACHE
    stamp = {"data": data_hash, "code": code_hash}
    if dataset is None and cache.is_file():
        with contextlib.suppress(ValueError, OSError):
            saved = json.loads(cache.read_text(encoding="utf-8"))
            if saved.get("inputs") == stamp:
                return saved["periods"], None
    if dataset is None:
        from ..dataset.load import load_dataset

        dataset = load_dataset(location)
    plans = plan_periods(dataset)
    out.mkdir(parents=True, exist_ok=True)
    write_json(cache, {"inputs": stamp, "periods": plans})
    return plans, dataset


def manifest(
    key: str,
    page_keys: dict[str, str],
    plan: dict[str, Any],
    jobs: list[Job],
    titles: dict[str, str],
    files: list[str],
    *,
    public: bool,
) -> dict[str, Any]:
    """A published period's manifest: its keys, pages (parameters as published:
    ``parameters.shown_data``, no machine path or password) and files."""
    from .parameters import shown_data

    return {
        "key": key,
        "page_keys": page_keys,
        "period": plan["period"],
        "title": plan["title"],
        "portfolio": plan.get("portfolio", ""),
        "illustrative": bool(plan.get("illustrative")),
        "edition": "public" if public else "internal",
        "pages": [
            {
                "page": j.page,
                "title": titles.get(j.page, j.title),
                "notebook": j.notebook,
                "parameters": {
                    k: shown_data(v) if k == "data" else v for k, v in j.parameters.items()
                },
            }
            for j in jobs
        ],
        "files": files,
    }
