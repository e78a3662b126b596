"""Scoring speed: the scorecard of every period of 1,000 measures x 100 periods (issue 15).

    .venv/bin/python benchmarks/bench_score.py [--measures 1000] [--periods 100]

Generates an ILLUSTRATIVE portfolio by code (``pprr synth``'s generator: 10 priorities of
``measures / 10`` measures, ``periods`` quarters of figures each, so ``measures x periods``
value rows) and loads it once. Then, side by side in ``--rounds`` paired rounds (best of
each printed):

1. every period scored together (``score.scorecards``): scorecard rows per second, one
   scorecard row being one measure rated in one period (goal: at least 100,000 rows/s);
2. one period at a time (``score.scorecard`` per period, as a page asks for its own), with
   the first period's time against the last's: scoring a period costs the same whatever the
   number of periods in the data (it used to scan the whole values table per measure).

The two give the same rows (checked here on every period).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pprr_utils.dataset.load import load_dataset  # noqa: E402
from pprr_utils.dataset.score import scorecard, scorecards  # noqa: E402
from pprr_utils.dataset.synth import write_portfolio  # noqa: E402

GOAL = 100_000


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--measures", type=int, default=1000)
    ap.add_argument("--periods", type=int, default=100)
    ap.add_argument("--rounds", type=int, default=3)
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
    scorecards(ds, periods[:2])  # warm: the tables' key indexes are built once per table
    together, alone, times = [], [], []
    for _ in range(args.rounds):
        t0 = time.perf_counter()
        cards = scorecards(ds, periods)
        together.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        each, times = [], []
        for period in periods:
            t = time.perf_counter()
            each.append(scorecard(ds, period))
            times.append(time.perf_counter() - t)
        alone.append(time.perf_counter() - t0)
    rows = len(cards)
    if rows != sum(len(c) for c in each):
        raise SystemExit("scorecards and scorecard per period gave different numbers of rows")
    for period, card in zip(periods, each, strict=True):
        part = cards[cards["period"] == period].drop(columns="period").reset_index(drop=True)
        pd.testing.assert_frame_equal(part, card, check_exact=True)
    values = len(ds.tables["values"])
    rate, rate_alone = rows / min(together), rows / min(alone)
    print(
        f"illustrative data: {args.measures:,} measures x {len(periods)} periods "
        f"({values:,} value rows), loaded in {load_s:.1f} s; best of {args.rounds} rounds"
    )
    print(
        f"every period together (scorecards): {rows:,} rows in {min(together):.2f} s: "
        f"{rate:,.0f} rows/s (goal >= {GOAL:,}: {'met' if rate >= GOAL else 'NOT met'})"
    )
    print(
        f"one period at a time (scorecard): {min(alone):.2f} s: {rate_alone:,.0f} rows/s; "
        f"together is {min(alone) / min(together):.1f}x faster"
    )
    print(
        f"one period: first {times[0]:.3f} s, last {times[-1]:.3f} s, median "
        f"{sorted(times)[len(times) // 2]:.3f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
