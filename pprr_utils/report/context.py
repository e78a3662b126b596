"""The first call in every notebook: load the data, check the parameters, build a ``Report``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..dataset import score
from ..dataset.errors import ParameterError
from ..dataset.formats import is_blank
from ..dataset.load import Dataset, load_dataset  # noqa: F401 - re-exported
from ..dataset.periods import Period, parse_period
from ..dataset.portfolio import is_illustrative
from ..dataset.rating import DEFAULT_RULES, ScoringRules
from ..dataset.rule_options import rules_from_parameter, rules_note
from . import warm


@dataclass
class Report:
    """Everything one notebook page needs: the data, the period, the priority and the edition."""

    dataset: Dataset
    period: str
    framework: str
    period_info: dict[str, Any]
    priority: int | None = None
    priority_info: dict[str, Any] | None = None
    public: bool = False
    rules: ScoringRules = DEFAULT_RULES
    _scorecard: pd.DataFrame | None = field(default=None, repr=False)
    _measure_rows: pd.DataFrame | None = field(default=None, repr=False)

    @property
    def scorecard(self) -> pd.DataFrame:
        """The period's scorecard (``score.scorecard``), computed once."""
        if self._scorecard is None:
            self._scorecard = score.scorecard(self.dataset, self.period, rules=self.rules)
        return self._scorecard

    @property
    def rules_note(self) -> str | None:
        """The sentence every page prints when the rules are not the published key's."""
        return rules_note(self.rules, score.rules_for(self.dataset))

    @property
    def measure_rows(self) -> pd.DataFrame:
        """The scorecard with each measure's ``headline`` flag and ``section``, in the framework's
        measure order (the rows of the pages' tables), computed once."""
        if self._measure_rows is None:
            sc = self.scorecard.copy()
            meas = self.measures.set_index("code")
            for col in ("headline", "section"):
                sc[col] = sc["code"].map(meas[col])
            order = {c: i for i, c in enumerate(self.measures["code"])}
            sc = sc.assign(_o=sc["code"].map(order)).sort_values("_o", kind="stable")
            self._measure_rows = sc.drop(columns="_o").reset_index(drop=True)
        return self._measure_rows

    @property
    def title(self) -> str:
        """The report's own title for the period (e.g. 'Mid-Year Report 2021/22')."""
        return str(self.period_info.get("title") or f"Report for {self.period}")

    @property
    def priorities(self) -> pd.DataFrame:
        """The framework's priorities, in number order."""
        pr = self.dataset.tables["priorities"]
        return pr[pr["framework"] == self.framework].sort_values("priority").reset_index(drop=True)

    @property
    def measures(self) -> pd.DataFrame:
        """The framework's measures (all priorities)."""
        m = self.dataset.tables["measures"]
        return m[m["framework"] == self.framework].reset_index(drop=True)

    @property
    def illustrative(self) -> bool:
        """True when the dataset is synthetic (``portfolio.is_illustrative``)."""
        return is_illustrative(self.dataset)

    @property
    def portfolio_name(self) -> str:
        """The portfolio every page reports on (``portfolio.yml`` ``portfolio``)."""
        p = self.dataset.portfolio
        return p.portfolio if p is not None else "Portfolio"

    @property
    def council(self) -> str:
        """The council (``portfolio.yml`` ``council``); empty for a dataset made in code."""
        p = self.dataset.portfolio
        return p.council if p is not None else ""

    @property
    def headline_flag(self) -> Any:
        """The portfolio's headline-measure flag (label and meaning), or None."""
        p = self.dataset.portfolio
        return p.headline_flag if p is not None else None

    @property
    def edition_label(self) -> str:
        """``Internal edition`` / ``Public edition`` (or the portfolio's own labels)."""
        p = self.dataset.portfolio
        if p is None:
            return "Public edition" if self.public else "Internal edition"
        return p.public_edition if self.public else p.internal_edition

    def measure(self, code: str) -> dict[str, Any]:
        """One measure of the framework as a dict."""
        m = self.measures
        rows = m[m["code"] == code]
        if rows.empty:
            raise ParameterError(f"measure {code!r} is not in the {self.framework} framework")
        return rows.iloc[0].to_dict()

    def series_codes(self, code: str) -> list[str]:
        """Every code (any framework) sharing this measure's ``series`` lineage; own code first
        (the lookup ``score`` rates the previous year-end with)."""
        measures = self.dataset.tables["measures"]
        return score._series_codes(measures, code, self.measure(code)["series"])

    def history(self, code: str, *, upto: bool = True) -> pd.DataFrame:
        """The measure's values across periods, following its series across frameworks.

        One row per period (this framework's code wins a clash; an actual beats a forecast),
        ordered by period; with ``upto`` only periods up to the report's period.
        """
        codes = self.series_codes(code)
        v = self.dataset.tables["values"]
        v = v[v["code"].isin(codes)].copy()
        v["_own"] = v["code"].map({c: i for i, c in enumerate(codes)})
        v["_kind"] = (v["kind"] != "actual").astype(int)
        order = sorted(set(v["period"]) | {self.period}, key=parse_period)
        v["_key"] = v["period"].map({p: i for i, p in enumerate(order)})
        if upto:
            v = v[v["_key"] <= order.index(self.period)]
        v = v.sort_values(["_key", "_own", "_kind"]).drop_duplicates("period", keep="first")
        return v.drop(columns=["_own", "_kind", "_key"]).reset_index(drop=True)

    def comparators(self, code: str) -> pd.DataFrame:
        """Comparator figures quoted for the measure (or its series), up to the report period."""
        c = self.dataset.tables["comparators"]
        c = c[c["code"].isin(self.series_codes(code))]
        own = parse_period(self.period)
        keep = c["period"].map(lambda p: parse_period(p) <= own).astype(bool)
        return c[keep].reset_index(drop=True)

    def target(self, code: str) -> dict[str, Any] | None:
        """The measure's target as the scorecard rates it, or None.

        The year is the scorecard row's ``target_year`` (``score.measure_years``: an
        academic-year measure's is the year before the report's), so a chart and the table
        show the same target. The dict is the ``targets`` row for that year plus ``label``
        (the scorecard's ``target_label``).
        """
        sc = self.scorecard
        found = sc[sc["code"] == code]
        if found.empty:
            return None
        row = found.iloc[0]
        t = self.dataset.tables["targets"]
        rows = t[(t["code"] == code) & (t["year"] == row["target_year"])]
        if rows.empty:
            return None
        return {**rows.iloc[0].to_dict(), "label": row["target_label"]}

    def commentary(self, code: str | None = None) -> pd.DataFrame:
        """The period's commentary paragraphs (for one measure when ``code`` is given), in order."""
        c = self.dataset.tables["commentary"]
        c = c[c["period"] == self.period]
        if code is not None:
            c = c[c["code"] == code]
        return c.sort_values(["code", "seq"]).reset_index(drop=True)


def _resolve_priority(ds: Dataset, framework: str, period: str, priority: object) -> int | None:
    if is_blank(priority):
        return None
    pr = ds.tables["priorities"]
    held = sorted(int(p) for p in pr.loc[pr["framework"] == framework, "priority"])
    listing = ", ".join(str(p) for p in held) or "none"
    try:
        number = int(str(priority).strip().removeprefix("Priority").strip())
    except ValueError:
        number = None
    if number is None or number not in held:
        raise ParameterError(
            f"unknown priority {priority!r} for {period} (framework {framework}); "
            f"its priorities are: {listing}"
        )
    return number


def public_dataset(ds: Dataset) -> Dataset:
    """The dataset with statistical disclosure control applied (``disclosure.public_dataset``).

    Raises ParameterError when disclosure control is not available: a public edition is
    never produced with unsuppressed figures.
    """
    try:
        from ..dataset import disclosure  # type: ignore[attr-defined]
    except ImportError:
        disclosure = None
    fn = getattr(disclosure, "public_dataset", None)
    if not callable(fn):
        raise ParameterError(
            "public=True needs statistical disclosure control (pprr_utils.dataset.disclosure."
            "public_dataset), which is not available; run the internal edition (public=False)"
        )
    return fn(ds)


def open_report(
    period: str | Period | None = None,
    data: str | Path | Dataset | None = None,
    priority: int | str | None = None,
    public: bool = False,
    rules: ScoringRules | dict[str, Any] | None = None,
) -> Report:
    """Load the dataset, resolve the period (None: the latest) and check the priority.

    Raises ``ParameterError`` naming what the data holds when the period or priority is unknown.
    With ``public`` the dataset first goes through ``public_dataset`` (disclosure control).
    ``rules`` are the scoring rules (``ScoringRules``, or a dict of the fields that differ from
    the defaults, as the batch passes them; None: the defaults).
    """
    key = None
    if isinstance(data, Dataset):
        ds = public_dataset(data) if public else data
    else:  # loaded once per kernel while the files are unchanged (``warm``)
        ds, key = warm.dataset_for(
            None if is_blank(data) else data, public=public, make_public=public_dataset
        )
    scoring = rules_from_parameter(rules, score.rules_for(ds))
    if is_blank(period):
        label = score.latest_period(ds)
    else:
        label = score.resolve_period(ds, str(period))
    periods = ds.tables["periods"]
    info = periods[periods["period"] == label].iloc[0].to_dict()
    framework = str(info["framework"])
    number = _resolve_priority(ds, framework, label, priority)
    pinfo = None
    if number is not None:
        pr = ds.tables["priorities"]
        row = pr[(pr["framework"] == framework) & (pr["priority"] == number)].iloc[0].to_dict()
        progs = row.get("programmes")
        row["programmes"] = [] if is_blank(progs) else [p.strip() for p in str(progs).split("|")]
        row["programmes"] = [p for p in row["programmes"] if p]
        pinfo = row
    report = Report(ds, label, framework, info, number, pinfo, bool(public), scoring)
    if key is not None and scoring == score.rules_for(ds):
        report._scorecard = warm.scorecard_for(
            key, label, lambda: score.scorecard(ds, label, rules=scoring)
        )
    return report
