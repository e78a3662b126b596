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
    cache_from: Path | None = None,
) -> tuple[list[tuple[str, str]], list[str]]:
    """Write the period's scorecard (and, with ``pdf``, its committee PDF) into ``build``:
    ``(files for the index as (name, description), errors)``. The PDF is made only when
    everything before it succeeded; ``published`` (the period's published folder, given when
    no page was rebuilt) lends its PDF unchanged; ``cache_from`` (the period's published
    folder) lends the parts of the PDF printed before (:mod:`.pdf_parts`)."""
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
        from .pdf import PDF_NAME, PdfError, write_pack_pdf
        from .pdf_parts import carry_cache

        edition = "public" if public else "internal"
        try:
            old = published / PDF_NAME if published is not None else None
            if old is not None and old.is_file():  # every page carried over: so is the PDF
                shutil.copy2(old, build / PDF_NAME)
                carry_cache(published, build)
            else:
                write_pack_pdf(
                    build,
                    page_names,
                    title=plan["title"],
                    edition=edition,
                    illustrative=bool(plan.get("illustrative")),
                    published=cache_from,
                )
            extra.append((PDF_NAME, "The whole report as one A4 PDF, for the committee"))
        except PdfError as exc:
            errors.append(f"{PDF_NAME}: {exc}")
    return extra, errors
