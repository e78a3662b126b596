"""Time one period's full pack: ``run_batch`` versus the naive papermill + nbconvert CLIs.

    python benchmarks/bench_batch.py [--period "2021/22 Q2"] [--jobs 2] [--notebooks DIR]

In ``--rounds`` paired rounds (default 3), one after the other on the same machine state:

1. batch: ``run_batch([period], force=True, pdf=False)`` into a fresh folder (reused
   kernels, HTML exported in-process, ``--jobs`` workers): the same HTML pages the naive
   way makes;
2. naive: per page, ``papermill NB OUT -p ...`` then ``jupyter nbconvert --to html
   --no-input OUT``, one after another, as subprocesses from the venv's ``bin``.

Prints each round, the min and median of each and the ratios (goal >= 8x). Then, apart:
the batch with the committee PDF (which the naive way does not make), and a cached re-run,
in-process and as a fresh ``python`` process. Writes ``benchmarks/out/bench_batch.json``
(git-ignored).
Notebooks missing from the notebooks folder are stood in for by ``tests/notebooks/simple``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pprr_utils.batch.plan import _data_location, period_jobs, plan_periods  # noqa: E402
from pprr_utils.batch.run import run_batch  # noqa: E402

NAMES = (
    "overview.ipynb",
    "priority.ipynb",
    "outcomes.ipynb",
    "finance.ipynb",
    "quality.ipynb",
)


def _notebooks(src: Path, work: Path) -> tuple[Path, list[str]]:
    """The notebooks folder to use, with stand-ins for any page notebook not written yet."""
    missing = [n for n in NAMES if not (src / n).is_file()]
    if not missing:
        return src, []
    dst = work / "notebooks"
    dst.mkdir(parents=True)
    for n in NAMES:
        shutil.copy(src / n if n not in missing else ROOT / "tests/notebooks/simple.ipynb", dst / n)
    return dst, missing


def _naive(jobs: list, nb_dir: Path, out: Path) -> float:
    bindir = Path(sys.executable).parent
    out.mkdir(parents=True)
    t0 = time.perf_counter()
    for job in jobs:
        target = out / f"{job.page}.ipynb"
        cmd = [
            str(bindir / "papermill"),
            str(nb_dir / job.notebook),
            str(target),
            "--no-progress-bar",
        ]
        for key, value in job.parameters.items():
            cmd += ["-p", key, str(value)]
        subprocess.run(cmd, cwd=ROOT, check=False, capture_output=True)
        subprocess.run(
            [str(bindir / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(target)],
            cwd=ROOT,
            check=False,
            capture_output=True,
        )
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--period", default=None, help="default: 2021/22 Q2, else the first")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--notebooks", default=str(ROOT / "notebooks"))
    ap.add_argument("--data", default=None, help="data folder or workbook (default: data/)")
    ap.add_argument("--skip-naive", action="store_true")
    ap.add_argument("--rounds", type=int, default=3, help="paired rounds (default 3)")
    args = ap.parse_args(argv)

    location, _ = _data_location(args.data)
    from pprr_utils.dataset.load import load_dataset

    plans = plan_periods(load_dataset(location))
    labels = [p["period"] for p in plans]
    period = args.period or ("2021/22 Q2" if "2021/22 Q2" in labels else labels[0])
    plan = next(p for p in plans if p["period"] == period)
    jobs = period_jobs(plan, data_param=None if args.data is None else str(location), public=False)

    work = Path(tempfile.mkdtemp(prefix="pprr-bench-"))
    try:
        nb_dir, stand_ins = _notebooks(Path(args.notebooks).resolve(), work)
        if stand_ins:
            print(f"note: stand-in notebooks for {', '.join(stand_ins)} (not written yet)")
        print(f"period {period}: {len(jobs)} pages; jobs={args.jobs}; {args.rounds} paired rounds")
        kw = {"data": args.data, "notebooks_dir": nb_dir, "progress": False}
        batch_s, naive_s = [], []
        for i in range(args.rounds):  # paired: batch then naive, on the same machine state
            out = work / f"reports-{i}"
            t0 = time.perf_counter()
            res = run_batch([period], force=True, jobs=args.jobs, out_dir=out, pdf=False, **kw)
            batch_s.append(time.perf_counter() - t0)
            status = res.periods[0].status
            for e in res.failures:
                print(f"  {e}")
            line = f"round {i + 1}: pprr batch {batch_s[-1]:6.2f} s ({status})"
            if not args.skip_naive:
                naive_s.append(_naive(jobs, nb_dir, work / f"naive-{i}"))
                line += f", naive {naive_s[-1]:6.2f} s, ratio {naive_s[-1] / batch_s[-1]:.1f}x"
            print(line, flush=True)

        def stats(xs: list[float]) -> tuple[float, float]:
            return min(xs), statistics.median(xs)

        bmin, bmed = stats(batch_s)
        print(f"pprr batch (HTML pages, fresh, force): min {bmin:.2f} s, median {bmed:.2f} s")
        result = {"period": period, "pages": len(jobs), "jobs": args.jobs,
                  "batch_s": batch_s, "naive_s": naive_s}  # fmt: skip
        if naive_s:
            nmin, nmed = stats(naive_s)
            print(f"naive (papermill + nbconvert CLIs): min {nmin:.2f} s, median {nmed:.2f} s")
            print(
                f"ratio naive/pprr: {nmin / bmin:.1f}x on the minima, {nmed / bmed:.1f}x on the "
                "medians (goal >= 8x)"
            )
            result["ratio_min"], result["ratio_median"] = nmin / bmin, nmed / bmed

        # the committee PDF is pprr's alone (the naive way makes none): its cost, apart
        out = work / "reports-pdf"
        t0 = time.perf_counter()
        run_batch([period], force=True, jobs=args.jobs, out_dir=out, pdf=True, **kw)
        with_pdf = time.perf_counter() - t0
        print(f"pprr batch with the committee PDF: {with_pdf:.2f} s")
        result["with_pdf_s"] = with_pdf

        t0 = time.perf_counter()
        res2 = run_batch([period], jobs=args.jobs, out_dir=out, pdf=True, **kw)
        cached = time.perf_counter() - t0
        code = (
            f"import sys; sys.path.insert(0, {str(ROOT)!r}); "
            f"from pprr_utils.batch.run import run_batch; "
            f"r = run_batch([{period!r}], data={args.data!r}, out_dir={str(out)!r}, "
            f"notebooks_dir={str(nb_dir)!r}, progress=False); "
            f"sys.exit(0 if r.periods[0].status == 'cached' else 3)"
        )
        runs = []
        for _ in range(3):
            t0 = time.perf_counter()
            proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=False)
            runs.append(time.perf_counter() - t0)
        cached_cli = statistics.median(runs)
        print(
            f"cached re-run: {cached:6.2f} s in-process ({res2.periods[0].status}), "
            f"{cached_cli:.2f} s as a new python process (median of 3) "
            f"({'cached' if proc.returncode == 0 else 'NOT cached'})"
        )
        result.update(cached_s=cached, cached_process_s=cached_cli, stand_in_notebooks=stand_ins)
        dest = ROOT / "benchmarks" / "out"
        dest.mkdir(parents=True, exist_ok=True)
        (dest / "bench_batch.json").write_text(json.dumps(result, indent=1) + "\n")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
