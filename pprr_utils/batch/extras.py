"""A period's files beside its pages: ``scorecard.csv`` and the committee ``report.pdf``.

Written into the period's build folder before its index and manifest, so they are published
in the same atomic swap as the pages.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..dataset.portfolio import is_illustrative

if TYPE_CHECKING:  # a cached run imports this module and loads no pandas
    import pandas as pd

#: the scorecard column that marks illustrative (synthetic) data, on every row
ILLUSTRATIVE_COLUMN = "illustrative"


def mark_illustrative(card: pd.DataFrame, dataset: Any) -> pd.DataFrame:
    """``card`` with a first column ``illustrative`` holding ``true`` on every row when the
    dataset is synthetic, so the CSV says so wherever it is opened or a row is copied;
    ``card`` unchanged (no column) for real data."""
    if not is_illustrative(dataset):
        return card
    marked = card.copy()
    marked.insert(0, ILLUSTRATIVE_COLUMN, "true")
    return marked


def write_scorecard_csv(
    dataset: Any, period: str, path: Path, *, public: bool = False, rules: Any = None
) -> None:
    """``scorecard.csv`` for the period; the public edition's is made from the suppressed data.

    ``rules`` (a notebook ``rules`` parameter: overrides of the portfolio's scoring rules) score
    it; with rules other than the portfolio's the card has a ``scoring_rules`` column; for
    illustrative data, a first column ``illustrative`` (:func:`mark_illustrative`).
    """
    from ..dataset import disclosure, score
    from ..dataset.rule_options import mark_rules, rules_from_parameter

    source = dataset
    if public:
        dataset = disclosure.public_dataset(dataset)
    base = score.rules_for(dataset)
    scoring = rules_from_parameter(rules, base)
    card = mark_rules(score.scorecard(dataset, period, rules=scoring), scoring, base)
    score.write_scorecard(mark_illustrative(card, source), path)


def period_extras(
    dataset: Any,
    plan: dict[str, Any],
    page_names: list[str],
    build: Path,
    *,
    public: bool,
    pdf: bool,
    rules: Any = None,
    published: Path | None = None,
    keep_browser: bool = False,
    parts: Path | None = None,
    pack: Any = None,
) -> tuple[list[tuple[str, str]], list[str]]:
    """Write the period's scorecard (and, with ``pdf``, its committee PDF) into ``build``:
    ``(files for the index as (name, description), errors)``. The PDF is made only when
    everything before it succeeded; ``published`` (the period's published folder, given when
    no page was rebuilt) lends its PDF unchanged; ``keep_browser``: Chromium is left running
    for the next build of this process (``pdf.print_documents``); ``parts``: where the PDF's
    parts are kept between builds (:func:`.pdf_parts.parts_folder`);
    ``pack``: the period's PackPdf, if its parts were printed ahead (:class:`PrintAhead`)."""
    extra: list[tuple[str, str]] = []
    errors: list[str] = []
    try:
        write_scorecard_csv(
            dataset, plan["period"], build / "scorecard.csv", public=public, rules=rules
        )
        extra.append(("scorecard.csv", "Scorecard (CSV): one row per measure"))
    except Exception as exc:  # noqa: BLE001 - a failed scorecard fails the period, named
        errors.append(f"scorecard.csv: {type(exc).__name__}: {exc}")
    if pdf and not errors:
        from .pdf import PDF_NAME, PdfError

        try:
            old = published / PDF_NAME if published is not None else None
            if old is not None and old.is_file():  # every page carried over: so is the PDF
                shutil.copy2(old, build / PDF_NAME)
            else:
                if pack is None:
                    pack = pack_pdf(plan, build, page_names, public=public, parts=parts)
                pack.write(keep_browser=keep_browser)
            extra.append((PDF_NAME, "The whole report as one A4 PDF, for the committee"))
        except PdfError as exc:
            errors.append(f"{PDF_NAME}: {exc}")
    return extra, errors


def pack_pdf(plan: dict[str, Any], build: Path, page_names: list[str], *, public: bool,
             parts: Path | None) -> Any:  # fmt: skip
    """The period's committee PDF to be made in ``build`` (a :class:`.pdf_pack.PackPdf`)."""
    from .pdf_pack import PackPdf

    return PackPdf(
        build,
        page_names,
        title=plan["title"],
        edition="public" if public else "internal",
        illustrative=bool(plan.get("illustrative")),
        parts=parts,
    )


class PrintAhead:
    """Prints each period's PDF parts while its other pages are made: a page's part is
    printed as soon as the page is, on one thread of its own (one Chromium, one print at a
    time), so the PDF is mostly printed when the last page is done. Each period's
    :class:`.pdf_pack.PackPdf` then finds its parts kept (a part that failed here is
    printed there again, and any error reported there)."""

    def __init__(self, enabled: bool, *, keep_browser: bool) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self.enabled = enabled
        self.keep_browser = keep_browser
        self.packs: dict[str, Any] = {}
        self.futures: dict[str, list[Any]] = {}
        self.pool = ThreadPoolExecutor(1, thread_name_prefix="pprr-pdf") if enabled else None
        self._had_browser = False
        if enabled:
            from .pdf import _KEPT

            self._had_browser = "browser" in _KEPT

    def page_done(self, tag: str, pack: Any, page: str) -> None:
        """The page ``page`` (its file name) of the period ``tag`` is made: print its part."""
        if self.pool is None:
            return
        self.packs.setdefault(tag, pack)
        self.futures.setdefault(tag, []).append(self.pool.submit(_print_ahead, pack, page))

    def wait(self, tag: str) -> Any:
        """Wait for the period's parts printed ahead; its PackPdf (None if none)."""
        from concurrent.futures import wait

        wait(self.futures.pop(tag, []))
        return self.packs.pop(tag, None)

    def close(self, *, interrupted: bool = False) -> None:
        """Stop the thread (dropping what is queued when ``interrupted``); close the browser
        it started unless it is to be kept."""
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=interrupted)
            if not self.keep_browser and not self._had_browser:
                from .pdf import close_browser

                close_browser()


def _print_ahead(pack: Any, page: str) -> None:
    try:
        pack.print_ahead([page])
    except Exception:  # noqa: BLE001, S110 - printed again, and any error named, by PackPdf.write
        pass
