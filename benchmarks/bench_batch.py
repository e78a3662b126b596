"""Time one period's full pack: ``run_batch`` versus the naive papermill + nbconvert CLIs.

    python benchmarks/bench_batch.py [--period "2021/22 Q2"] [--jobs 2] [--notebooks DIR]

1. batch: ``run_batch([period], force=True)`` into a fresh folder (reused kernels, HTML
   exported in-process, ``--jobs`` workers);
2. naive: per page, ``papermill NB OUT -p ...`` then ``jupyter nbconvert --to html
   --no-input OUT``, one after another, as subprocesses from the venv's ``bin``;
3. cached: the same ``run_batch`` again, in-process and as a fresh ``python`` process.

Prints the times and the ratio; writes ``benchmarks/out/bench_batch.json`` (git-ignored).
Notebooks missing from the notebooks folder are stood in for by ``tests/notebooks/simple``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pprr_utils.batch.plan import _data_location, period_jobs, plan_periods  # noqa: E402
from pprr_utils.batch.run import run_batch  # noqa: E402

NAMES = ("overview.ipynb", "priority.ipynb", "finance.ipynb")


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
        print(f"period {period}: {len(jobs)} pages; jobs={args.jobs}")
        out = work / "reports"
        kw = {"data": args.data, "out_dir": out, "notebooks_dir": nb_dir, "progress": False}

        t0 = time.perf_counter()
        res = run_batch([period], force=True, jobs=args.jobs, **kw)
        batch = time.perf_counter() - t0
        print(
            f"batch (run_batch, fresh, force): {batch:6.2f} s  "
            f"({batch / len(jobs):.2f} s/page) -> {res.periods[0].status}"
        )
        for e in res.failures:
            print(f"  {e}")

        t0 = time.perf_counter()
        res2 = run_batch([period], jobs=args.jobs, **kw)
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
        cached_cli = sorted(runs)[1]  # median of three
        print(
            f"cached re-run: {cached:6.2f} s in-process ({res2.periods[0].status}), "
            f"{cached_cli:.2f} s as a new python process (median of 3) "
            f"({'cached' if proc.returncode == 0 else 'NOT cached'})"
        )

        naive = None
        if not args.skip_naive:
            naive = _naive(jobs, nb_dir, work / "naive")
            print(
                f"naive (papermill + nbconvert CLIs): {naive:6.2f} s  "
                f"({naive / len(jobs):.2f} s/page)"
            )
            print(f"ratio naive/batch: {naive / batch:.1f}x (target >= 2x)")
        result = {
            "period": period,
            "pages": len(jobs),
            "jobs": args.jobs,
            "batch_s": round(batch, 3),
            "naive_s": None if naive is None else round(naive, 3),
            "ratio": None if naive is None else round(naive / batch, 2),
            "cached_s": round(cached, 3),
            "cached_process_s": round(cached_cli, 3),
            "stand_in_notebooks": stand_ins,
            "batch_status": res.periods[0].status,
        }
        dest = ROOT / "benchmarks" / "out"
        dest.mkdir(parents=True, exist_ok=True)
        (dest / "bench_batch.json").write_text(json.dumps(result, indent=1) + "\n")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
