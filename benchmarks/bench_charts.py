"""Benchmark: the time to render every chart of one priority page (issue 15 item 0).

Opens the report once (dataset and scorecard outside the timing), then renders each
measure chart of the priority, and the finance page's charts, ``REPEAT`` times; prints
the best and median CPU time (process_time: steadier than wall time on a shared machine) per page and the SVG bytes per page.

    .venv/bin/python benchmarks/bench_charts.py [PERIOD] [--data DIR] [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pprr_utils.dataset import finance  # noqa: E402
from pprr_utils.report.context import open_report  # noqa: E402
from pprr_utils.report.finance_charts import variance_chart, waterfall_chart  # noqa: E402
from pprr_utils.report.measure_charts import measure_chart  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("period", nargs="?", default="2021/22 Q2")
    ap.add_argument("--data", default=str(ROOT / "data"))
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()
    rep = open_report(a.period, a.data)
    sc = rep.scorecard
    measure_chart(rep, str(sc["code"].iloc[0]))  # warm imports and caches
    pages: dict[str, list] = {}
    for pr in sorted(sc["priority"].dropna().unique()):
        codes = [str(c) for c in sc.loc[sc["priority"] == pr, "code"]]
        pages[f"priority-{int(pr)}"] = [lambda c=c: measure_chart(rep, c) for c in codes]
    if "finance_cash_limit" in rep.dataset.tables:
        wf = finance.cash_limit_waterfall(rep.dataset, rep.period)
        out = finance.outturn(rep.dataset, rep.period)
        jobs = [lambda: waterfall_chart(wf)]
        if len(out):
            jobs.append(lambda: variance_chart(out))
        pages["finance"] = jobs
    total = []
    for page, jobs in pages.items():
        times, size, drawn = [], 0, 0
        for _ in range(a.repeat):
            t0 = time.process_time()
            charts = [j() for j in jobs]
            times.append(time.process_time() - t0)
            size = sum(len(c.svg) for c in charts)
            drawn = sum(1 for c in charts if c.svg)
        total.append(min(times))
        print(
            f"{page:12s} {len(jobs):3d} charts ({drawn} drawn)  best {min(times):.3f} s  "
            f"median {statistics.median(times):.3f} s  {size / 1024:.0f} KiB SVG"
        )
    print(f"{'all':12s} best {sum(total):.3f} s")


if __name__ == "__main__":
    main()
