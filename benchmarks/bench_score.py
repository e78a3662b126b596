"""Scoring speed: the scorecard of every period of 1,000 measures x 100 periods (issue 15).

    .venv/bin/python benchmarks/bench_score.py [--measures 1000] [--periods 100]

Generates an ILLUSTRATIVE portfolio by code (``pprr synth``'s generator: 10 priorities of
``measures / 10`` measures, ``periods`` quarters of figures each, so ``measures x periods``
value rows), loads it once, then scores every period (``score.scorecard``) and prints
scorecard rows per second, one scorecard row being one measure rated in one period (goal:
at least 100,000 rows/s), and the scoring of the first period alone, against the last, as
a ratio: scoring a period costs the same whatever the number of periods in the data
(it used to scan the whole values table per measure).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pprr_utils.dataset.load import load_dataset  # noqa: E402
from pprr_utils.dataset.score import scorecard  # noqa: E402
from pprr_utils.dataset.synth import write_portfolio  # noqa: E402

GOAL = 100_000


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--measures", type=int, default=1000)
    ap.add_argument("--periods", type=int, default=100)
    args = ap.parse_args(argv)
    priorities = 10
    with tempfile.TemporaryDirectory(prefix="pprr-bench-score-") as tmp:
        folder = write_portfolio(
            Path(tmp) / "illustrative-01",
            1,
            args.periods,
            priorities=priorities,
            measures=args.measures // priorities,
            first_year=2024 - -(-args.periods // 4),  # the last quarter in the past
        )
        t0 = time.perf_counter()
        ds = load_dataset(folder)
        load_s = time.perf_counter() - t0
        periods = list(ds.tables["periods"]["period"])
        rows, times = 0, []
        t0 = time.perf_counter()
        for period in periods:
            t = time.perf_counter()
            rows += len(scorecard(ds, period))
            times.append(time.perf_counter() - t)
        total = time.perf_counter() - t0
    values = len(ds.tables["values"])
    rate = rows / total
    print(
        f"illustrative data: {args.measures:,} measures x {len(periods)} periods "
        f"({values:,} value rows), loaded in {load_s:.1f} s"
    )
    print(
        f"scored {rows:,} scorecard rows in {total:.2f} s: {rate:,.0f} rows/s "
        f"(goal >= {GOAL:,}: {'met' if rate >= GOAL else 'NOT met'})"
    )
    print(
        f"one period: first {times[0]:.3f} s, last {times[-1]:.3f} s, median "
        f"{sorted(times)[len(times) // 2]:.3f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
