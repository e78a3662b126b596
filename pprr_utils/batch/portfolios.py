"""Many portfolios in one run: a folder of portfolio data folders is one batch.

``pprr run --data portfolios/ --out reports/`` builds every portfolio x period into
``reports/<portfolio-slug>/<period-slug>/``, each portfolio with its own index of periods and
``reports/index.html`` linking the portfolios. A data folder is recognised by its
``portfolio.yml`` or ``measures.csv``; a folder that is itself a data folder is one portfolio
and keeps the single-portfolio layout (``run_batch``). All pages of all portfolios share one
pool of kernels, so a kernel starts once per worker, not once per portfolio.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

from ..dataset.errors import ParameterError
from .contents import edition, write_top_index
from .export import render_template
from .pdf_parts import parts_folder
from .run import BatchResult, PeriodResult, PeriodTask, _build, period_tasks

MARKERS = ("portfolio.yml", "measures.csv")


def is_data_folder(path: Path) -> bool:
    """True when ``path`` is one portfolio's data folder (it has a portfolio.yml or measures.csv)."""
    return path.is_dir() and any((path / m).is_file() for m in MARKERS)


def portfolio_folders(path: Path) -> list[Path]:
    """The portfolio data folders directly in ``path``, by name; [] when ``path`` is itself
    a data folder, a workbook or not a folder."""
    if not path.is_dir() or is_data_folder(path):
        return []
    return sorted((p for p in path.iterdir() if is_data_folder(p)), key=lambda p: p.name)


def portfolio_slug(folder: Path) -> str:
    """The folder name as a URL-safe slug (lower case, runs of other characters as '-')."""
    slug = re.sub(r"[^a-z0-9]+", "-", folder.name.lower()).strip("-")
    return slug or "portfolio"


def _portfolio_title(folder: Path) -> str:
    """'Council: portfolio' from the folder's portfolio.yml, else the folder name."""
    from ..dataset.portfolio import read_portfolio_file

    f = folder / "portfolio.yml"
    if f.is_file():
        try:
            p = read_portfolio_file(f)
            return f"{p.council}: {p.portfolio}"
        except Exception:  # noqa: BLE001 - a bad portfolio.yml is reported by the load
            pass
    return folder.name


def write_portfolios_index(
    out: Path, entries: list[tuple[str, str, int]], *, public: bool, illustrative: bool = False
) -> Path:
    """``<out>/index.html`` linking each portfolio's index: (slug, title, number of periods);
    ``illustrative``: some portfolio's data is illustrative (the page says so)."""
    from ..dataset.writing import atomic_write

    page = render_template(
        "reports_index.html.j2",
        title="Portfolio Performance and Resources Reports: portfolios",
        portfolio="",
        illustrative=illustrative,
        edition=edition(public),
        periods=[(slug, title, f"{n} period{'s' if n != 1 else ''}") for slug, title, n in entries],
        public_link=not public and (out / "public" / "index.html").is_file(),
        footer=f"{edition(public)}. Made by pprr.",
    )
    return atomic_write(out / "index.html", lambda fh: fh.write(page))


def run_portfolios(
    root: str | Path,
    periods: list[str] | tuple[str, ...] | None = None,
    *,
    out_dir: str | Path = "reports",
    jobs: int = 1,
    notebooks_dir: str | Path = "notebooks",
    public: bool = False,
    force: bool = False,
    progress: bool = True,
    scheduler: str | None = None,
    pdf: bool = True,
    rules: Any = None,
    keep_kernels: bool = False,
) -> BatchResult:
    """Build every period of every portfolio data folder in ``root`` (see the module docstring).
    ``pdf``, ``rules`` and ``keep_kernels`` as for ``run.run_batch`` (rules laid over each
    portfolio's own).

    Raises ParameterError when ``root`` holds no portfolio data folder, and DataError (naming
    the folder) when one portfolio's data is invalid.
    """
    t_start = time.perf_counter()
    root = Path(root)
    folders = portfolio_folders(root)
    if not folders:
        raise ParameterError(
            f"data: {str(root)!r} holds no portfolio data folder; expected folders that each "
            f"have a {' or '.join(MARKERS)}"
        )
    out = Path(out_dir).resolve() / ("public" if public else "")
    nb_dir = Path(notebooks_dir).resolve()
    slugs = [portfolio_slug(f) for f in folders]
    if len(set(slugs)) != len(slugs):
        raise ParameterError(f"data: portfolio folder names clash as slugs: {slugs}")
    from ..dataset.rule_options import rules_from_parameter, rules_parameter

    options = {"pdf": pdf, "rules": rules_parameter(rules_from_parameter(rules))}
    results: list[PeriodResult] = []
    todo: list[PeriodTask] = []
    order: dict[tuple[str, str], int] = {}
    counts: dict[str, int] = {}
    illustrative = False
    for folder, slug in zip(folders, slugs, strict=True):
        parts = parts_folder(Path(out_dir).resolve(), public, slug)
        cached, tasks, chosen = period_tasks(
            periods, folder.resolve(), out / slug, nb_dir, public=public, force=force,
            parts=parts, **options,
        )  # fmt: skip
        results += cached
        todo += tasks
        counts[slug] = len(chosen)
        illustrative = illustrative or any(plan.get("illustrative") for plan in chosen)
        for plan in chosen:
            order[(str(out / slug), plan["period"])] = len(order)
    if todo:
        results += _build(
            todo,
            nb_dir,
            public=public,
            workers=jobs,
            progress=progress,
            force=force,
            scheduler=scheduler,
            keep_kernels=keep_kernels,
        )
    for r in results:
        r.portfolio = r.folder.parent.name
    results.sort(key=lambda r: order.get((str(r.folder.parent), r.period), 0))
    entries = []
    for folder, slug in zip(folders, slugs, strict=True):
        write_top_index(out / slug, public=public)
        if public and (out.parent / slug / "index.html").is_file():
            write_top_index(out.parent / slug, public=False)
        entries.append((slug, _portfolio_title(folder), counts[slug]))
    write_portfolios_index(out, entries, public=public, illustrative=illustrative)
    if public and (out.parent / "index.html").is_file():  # link the public edition
        write_portfolios_index(out.parent, entries, public=False, illustrative=illustrative)
    return BatchResult(out, results, time.perf_counter() - t_start)


def run_any(data: Any, periods: Any = None, **kwargs: Any) -> BatchResult:
    """``run_portfolios`` when ``data`` is a folder of portfolio folders, else ``run_batch``."""
    from .run import run_batch

    if isinstance(data, (str, Path)) and portfolio_folders(Path(data)):
        return run_portfolios(data, periods, **kwargs)
    return run_batch(periods, data=data, **kwargs)
