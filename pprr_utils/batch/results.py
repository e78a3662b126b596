"""What a batch run returns: each page's, each period's and the whole run's result."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .plan import Job


@dataclass
class JobResult:
    """How one page went; ``error`` names the notebook, cell and error when it failed."""

    job: Job
    error: str | None = None
    seconds: float = 0.0
    title: str = ""
    reused: bool = False  # carried over from the published period: its inputs are unchanged

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class PeriodResult:
    """One period's outcome: ``built`` (published), ``cached`` (skipped) or ``failed``."""

    period: str
    slug: str
    status: str
    folder: Path
    jobs: list[JobResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    failed_folder: Path | None = None
    portfolio: str = ""  # the portfolio's folder name in a run over many portfolios

    @property
    def ok(self) -> bool:
        return self.status != "failed"


@dataclass
class PeriodTask:
    """A period to build: its plan, pages, period key, where it goes and the data it reads."""

    plan: dict[str, Any]
    jobs: list[Job]
    key: str
    out: Path
    stamp: dict[str, Any]
    portfolio: str = ""  # portfolio.yml's text, part of every page's key
    pdf: bool = True  # also write the committee PDF (report.pdf)
    rules: dict[str, Any] | None = None  # scoring-rule overrides given to every page
    dataset: Any = None
    page_keys: dict[str, str] = field(default_factory=dict)
    parts: Path | None = None  # where its PDF's parts are kept between builds

    @property
    def tag(self) -> str:
        return str(self.out / self.plan["slug"])


@dataclass
class BatchResult:
    """The batch's outcome; ``exit_code`` is 0 only when every period is built or cached."""

    out_dir: Path
    periods: list[PeriodResult]
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return all(p.ok for p in self.periods)

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1

    @property
    def failures(self) -> list[str]:
        return [f"{p.period}: {e}" for p in self.periods for e in p.errors]

    def summary(self) -> str:
        """Plain-text report of what was built, skipped and failed."""
        lines = []
        for p in self.periods:
            name = f"{p.portfolio}: {p.period}" if p.portfolio else p.period
            ran = [j.job.page for j in p.jobs if not j.reused]
            kept = len(p.jobs) - len(ran)
            done = f" (pages run: {', '.join(ran) or 'none'}; {kept} carried over)" if kept else ""
            lines.append(f"{name}: {p.status} -> {p.folder}{done}")
            for e in p.errors:
                lines.append(f"  FAILED {e}")
            if p.failed_folder is not None:
                lines.append(
                    f"  the partial build is in {p.failed_folder}; "
                    f"the last complete report (if any) is unchanged"
                )
        lines.append(
            f"{'ok' if self.ok else 'FAILED'} in {self.seconds:.1f} s; "
            f"index: {self.out_dir / 'index.html'}"
        )
        return "\n".join(lines)
