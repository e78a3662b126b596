"""The contents pages: a period's ``index.html``, the folder's ``index.html``, the nav and footers.

Rendered from ``templates/period_index.html.j2`` and ``templates/reports_index.html.j2``
(autoescaped); the links and titles come from the period's jobs and the manifests.
"""

from __future__ import annotations

import contextlib
import html
import json
from pathlib import Path
from typing import Any

from ..dataset.periods import parse_period
from ..dataset.writing import atomic_write
from .cache import MANIFEST
from .export import render_template
from .plan import Job


def nav_html(jobs: list[Job], titles: dict[str, str], current: str | None) -> str:
    items = ['<li><a href="index.html">Contents</a></li>']
    for j in jobs:
        cur = ' aria-current="page"' if j.page == current else ""
        items.append(
            f'<li><a href="{j.page}.html"{cur}>{html.escape(titles.get(j.page, j.title))}</a></li>'
        )
    return "<ul>" + "".join(items) + "</ul>"


def short_title(job: Job) -> str:
    named = {
        "overview": "Overview",
        "finance": "Finance",
        "outcomes": "Outcomes",
        "quality": "Data quality",
    }
    return named.get(job.page, job.page.replace("priority-", "Priority "))


def edition(public: bool) -> str:
    return "Public edition" if public else "Internal edition"


def period_index(
    plan: dict[str, Any],
    jobs: list[Job],
    titles: dict[str, str],
    *,
    public: bool,
    extra_files: list[tuple[str, str]],
    base: Any = None,
) -> str:
    """The period's contents page: every page, the scorecard and the executed notebooks.

    When the pages were scored with rules other than ``base`` (the portfolio's,
    ``score.rules_for``; None: the published key) through their ``rules`` parameter, it
    says so in the words the pages use.
    """
    from ..dataset.rating import DEFAULT_RULES
    from ..dataset.rule_options import rules_from_parameter, rules_note

    title = f"{plan['title']} ({plan['period']})"
    base = base if base is not None else DEFAULT_RULES
    param = jobs[0].parameters.get("rules") if jobs else None
    scored = rules_note(rules_from_parameter(param, base), base) if param else None
    return render_template(
        "period_index.html.j2",
        title=f"{title}: contents",
        heading=title,
        period=plan["period"],
        portfolio=plan.get("portfolio", ""),
        illustrative=bool(plan.get("illustrative")),
        edition=edition(public) + (f". {scored.rstrip('.')}" if scored else ""),
        pages=[(j.page, titles.get(j.page, j.title)) for j in jobs],
        files=extra_files,
        footer=f"{edition(public)}. Made by pprr.",
    )


def write_top_index(out: Path, *, public: bool) -> Path:
    """``<out>/index.html`` linking every published period (read from their manifests).

    Only published folders count: a folder named as its period's slug, never a hidden
    build, old or failed folder, so a crash inside publishing cannot list a period twice.
    """
    found = []
    for m in out.glob(f"*/{MANIFEST}"):
        with contextlib.suppress(ValueError, OSError, KeyError, TypeError):
            info = json.loads(m.read_text(encoding="utf-8"))
            p = parse_period(info["period"])
            if m.parent.name.startswith(".") or m.parent.name != p.slug:
                continue
            found.append(((p.start, p.quarter or 5), m.parent.name, info))
    found.sort(key=lambda t: t[0], reverse=True)
    named = next((info.get("portfolio") for _, _, info in found if info.get("portfolio")), "")
    page = render_template(
        "reports_index.html.j2",
        title=f"{named}: reports" if named else "Portfolio Performance and Resources Reports",
        portfolio=named,
        illustrative=any(info.get("illustrative") for _, _, info in found),
        edition=edition(public),
        periods=[(slug, info["title"], info["period"]) for _, slug, info in found],
        public_link=not public and (out / "public" / "index.html").is_file(),
        footer=f"{edition(public)}. Made by pprr.",
    )
    return atomic_write(out / "index.html", lambda fh: fh.write(page))


def page_footer(job: Job, public: bool) -> str:
    params = ", ".join(f"{k}={v}" for k, v in job.parameters.items() if k != "data")
    return f"{edition(public)}. Made by pprr from notebooks/{job.notebook} ({params})."
