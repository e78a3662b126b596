"""Scaling benchmarks, measured side by side in one run and printed as ratios.

    python benchmarks/bench_scale.py [--portfolios 20] [--periods 4] [--jobs 2] [--skip-dask]

1. correction: one Stockport period built in full (forced), then one figure of one priority
   corrected and the batch run again: the rebuild's time as a fraction of the full build
   (only the pages that read the figure are run; goal < 25 %), as two separate runs (each
   starts its kernels) and in one session that keeps them warm (``pprr watch``);
2. many portfolios: ``pprr synth`` portfolios x quarters built locally with ``--jobs`` kernels
   and on a Dask ``LocalCluster`` of ``--jobs`` workers: pages per second each and the ratio
   (goal: Dask within 15 % of local);
3. cached: the same many-portfolio run again as a new ``pprr run`` process (goal < 2 s).

With the correction, the committee PDF step alone, side by side on one warm Chromium: the pack
printed at once (as before the PDF was printed in parts), in parts with none kept (a first
build), and in parts after one page changed (a correction).

One Stockport period against the naive papermill + nbconvert way is ``bench_batch.py``.
Writes ``benchmarks/out/bench_scale.json`` (git-ignored).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pprr_utils.batch.kernels import close_kernels  # noqa: E402
from pprr_utils.batch.plan import plan_periods  # noqa: E402
from pprr_utils.batch.portfolios import run_portfolios  # noqa: E402
from pprr_utils.batch.run import run_batch  # noqa: E402
from pprr_utils.dataset.load import load_dataset  # noqa: E402
from pprr_utils.dataset.synth import write_portfolios  # noqa: E402


def _correct_one_figure(data: Path, period: str, nth: int = 0) -> str:
    """Add 1 to the ``nth`` figure of ``period`` of a priority measure; the page it changes."""
    ds = load_dataset(data)
    fw = next(p for p in plan_periods(ds) if p["period"] == period)["framework"]
    m = ds.tables["measures"]
    m = m[m["framework"] == fw]
    rows = list(csv.reader(io.StringIO((data / "values.csv").read_text(encoding="utf-8"))))
    head = rows[0]
    found = 0
    for row in rows[1:]:
        rec = dict(zip(head, row, strict=True))
        if rec["period"] == period and rec["code"] in set(m["code"]) and rec["value"]:
            if found < nth:
                found += 1
                continue
            row[head.index("value")] = f"{float(rec['value']) + 1:g}"
            prio = int(m.loc[m["code"] == rec["code"], "priority"].iloc[0])
            buf = io.StringIO()
            csv.writer(buf, lineterminator="\n").writerows(rows)
            (data / "values.csv").write_text(buf.getvalue(), encoding="utf-8")
            return f"priority-{prio}"
    raise SystemExit(f"no figure to correct in {period}")


def correction(work: Path, jobs: int) -> dict:
    """A full build then a one-figure correction, twice: as two runs that each start their
    kernels (two ``pprr run`` commands), and in one session that keeps its kernels warm
    (``pprr watch``, or ``run_batch(keep_kernels=True)`` from a notebook), whose full build
    starts them as any first build does."""
    data = work / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("raw"))
    period = plan_periods(load_dataset(data))[-1]["period"]
    result: dict = {"period": period}
    for name, keep, nth in (("separate runs", False, 0), ("one session", True, 1)):
        out = work / f"reports-{keep}"
        kw = {"data": data, "out_dir": out, "jobs": jobs, "progress": False, "keep_kernels": keep}
        t0 = time.perf_counter()
        full = run_batch([period], force=True, **kw)
        t_full = time.perf_counter() - t0
        page = _correct_one_figure(data, period, nth)
        t0 = time.perf_counter()
        fix = run_batch([period], **kw)
        t_fix = time.perf_counter() - t0
        close_kernels()
        rebuilt = sorted(j.job.page for p in fix.periods for j in p.jobs if not j.reused)
        print(
            f"correction, {name} ({period}, {len(full.periods[0].jobs)} pages): full "
            f"{t_full:.2f} s, one figure of {page} {t_fix:.2f} s = {t_fix / t_full:.0%} of the "
            f"full build (rebuilt: {', '.join(rebuilt)}; goal < 25%)"
        )
        result[name] = {"full_s": t_full, "fix_s": t_fix, "ratio": t_fix / t_full,
                        "rebuilt": rebuilt}  # fmt: skip
    result["pdf"] = pdf_step(work / "reports-False" / full.periods[0].slug)
    return result


def pdf_step(pack: Path, rounds: int = 3) -> dict:
    """The committee PDF of one built period (``pack``), side by side, best of ``rounds``,
    on one Chromium kept running: the pack printed at once as one document (as before the
    parts), printed as parts with nothing kept (a first build), and again after one page
    changed (a correction: one part printed, the rest kept)."""
    from pprr_utils.batch.pdf import close_browser, print_pdf
    from pprr_utils.batch.pdf_html import pack_document
    from pprr_utils.batch.pdf_pack import write_pack_pdf
    from pprr_utils.batch.pdf_parts import PARTS_DIR

    manifest = json.loads((pack / ".pprr-manifest.json").read_text(encoding="utf-8"))
    names = [f"{p['page']}.html" for p in manifest["pages"]]
    work = Path(tempfile.mkdtemp(prefix="pprr-bench-pdf-"))
    for n in names:
        shutil.copy2(pack / n, work / n)
    texts = [(work / n).read_text(encoding="utf-8") for n in names]
    kw = {"title": "Benchmark", "edition": "internal"}
    best = {"at once": 1e9, "parts, none kept": 1e9, "parts, one page changed": 1e9}
    try:
        write_pack_pdf(work, names, keep_browser=True, **kw)  # Chromium started and warm
        for _ in range(rounds):
            doc = work / "pack.html"
            t0 = time.perf_counter()
            doc.write_text(pack_document(texts, title="Benchmark", names=names), encoding="utf-8")
            print_pdf(doc, work / "whole.pdf", keep_browser=True, **kw)
            best["at once"] = min(best["at once"], time.perf_counter() - t0)
            shutil.rmtree(work / PARTS_DIR)
            t0 = time.perf_counter()
            write_pack_pdf(work, names, keep_browser=True, **kw)
            best["parts, none kept"] = min(best["parts, none kept"], time.perf_counter() - t0)
            page = work / names[1]
            page.write_text(page.read_text(encoding="utf-8").replace("</h1>", ".</h1>", 1),
                            encoding="utf-8")  # fmt: skip
            t0 = time.perf_counter()
            write_pack_pdf(work, names, keep_browser=True, **kw)
            best["parts, one page changed"] = min(best["parts, one page changed"],
                                                  time.perf_counter() - t0)  # fmt: skip
    finally:
        close_browser()
        shutil.rmtree(work, ignore_errors=True)
    print(
        f"committee PDF of {pack.name} ({len(names)} pages), best of {rounds}, Chromium warm: "
        + ", ".join(f"{k} {v:.2f} s" for k, v in best.items())
    )
    return best


def many(work: Path, portfolios: int, periods: int, jobs: int, dask: bool) -> dict:
    root = write_portfolios(work / "portfolios", portfolios=portfolios, periods=periods)
    result: dict = {"portfolios": portfolios, "periods": periods}
    modes = [("local", None)] + ([("dask", "local")] if dask else [])
    for name, scheduler in modes:
        out = work / f"reports-{name}"
        t0 = time.perf_counter()
        res = run_portfolios(
            root, out_dir=out, jobs=jobs, force=True, progress=False, scheduler=scheduler
        )
        secs = time.perf_counter() - t0
        pages = sum(len(p.jobs) for p in res.periods)
        result[name] = {"s": secs, "pages": pages, "pages_per_s": pages / secs, "ok": res.ok}
        print(
            f"{portfolios} portfolios x {periods} quarters, {name} ({jobs} "
            f"{'workers' if scheduler else 'kernels'}): {secs:.1f} s, {pages} pages, "
            f"{pages / secs:.2f} pages/s{'' if res.ok else ' FAILED'}"
        )
    if dask:
        ratio = result["dask"]["s"] / result["local"]["s"]
        result["dask_over_local"] = ratio
        print(f"dask / local time: {ratio:.2f} (goal <= 1.15)")
    t0 = time.perf_counter()
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "pprr"), "run", "--data", str(root), "--out",
         str(work / "reports-local"), "--quiet"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    cached = time.perf_counter() - t0
    all_cached = proc.returncode == 0 and "built" not in proc.stdout
    result["cached_process_s"] = cached
    print(
        f"cached re-run of all {portfolios * periods} periods as a new process: {cached:.2f} s "
        f"({'all cached' if all_cached else 'NOT all cached'}; goal < 2 s)"
    )
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--portfolios", type=int, default=20)
    ap.add_argument("--periods", type=int, default=4)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--skip-dask", action="store_true")
    ap.add_argument("--skip-correction", action="store_true")
    ap.add_argument("--skip-many", action="store_true", help="only the correction")
    args = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="pprr-bench-scale-"))
    out: dict = {"jobs": args.jobs}
    try:
        if not args.skip_correction:
            out["correction"] = correction(work / "c", args.jobs)
        if not args.skip_many:
            out["many"] = many(
                work / "m", args.portfolios, args.periods, args.jobs, not args.skip_dask
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    dest = ROOT / "benchmarks" / "out"
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "bench_scale.json").write_text(json.dumps(out, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
