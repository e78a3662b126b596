"""``pprr``: a thin command-line shell over pprr_utils."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..dataset.errors import DataError, ParameterError


def _validate(args: argparse.Namespace) -> int:
    from ..dataset.load import check_dataset, default_data_dir
    from ..dataset.quality import quality_report, summary

    loc = Path(args.dir) if args.dir else default_data_dir()
    ds, problems, _ = check_dataset(loc)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        print(f"{loc}: {len(errors)} problem(s)", file=sys.stderr)
        for p in errors:
            print(str(p), file=sys.stderr)
        return 1
    print(f"{loc}: valid. {summary(ds)}.")
    report = quality_report(ds)
    if args.report:
        print(f"\nData-quality notes ({len(report)}):")
        for r in report.itertuples():
            print(
                f"- [{r.id}] {r.check} at {r.location}: {r.issue}\n    Resolution: {r.resolution}"
            )
    else:
        print(f"{len(report)} data-quality notes (see `pprr validate --report`).")
    return 0


def _fraction(text: str) -> float:
    from ..dataset.rule_options import parse_fraction

    try:
        return parse_fraction(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def _rules(args: argparse.Namespace) -> object:
    from ..dataset.rule_options import rules_with

    return rules_with(amber_tolerance=args.amber_tolerance, stable_band=args.stable_band)


def _rule_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--amber-tolerance",
        type=_fraction,
        metavar="FRACTION",
        help="amber when worse than target by at most this (0.10 or 10%%; default the key's 5%%)",
    )
    p.add_argument(
        "--stable-band",
        type=_fraction,
        metavar="FRACTION",
        help="stable when within this of the previous year-end (default the key's 1%%)",
    )


def _scorecard(args: argparse.Namespace) -> int:
    from ..dataset.load import load_dataset
    from ..dataset.rule_options import mark_rules, rules_from_parameter
    from ..dataset.score import resolve_period, rules_for, scorecard, write_scorecard

    ds = load_dataset(args.data)
    period = resolve_period(ds, args.period)
    base = rules_for(ds)
    rules = rules_from_parameter(_rules(args), base)
    if args.out and Path(args.out).suffix.lower() == ".xlsx":
        from .workbook import write_scorecard_workbook

        path = write_scorecard_workbook(
            ds, period, args.out, public=args.public, rules=rules,
        )  # fmt: skip
        print(f"Scorecard for {period}: workbook written to {path}")
        return 0
    from .extras import mark_illustrative

    source = ds
    if args.public:
        from ..dataset.disclosure import public_dataset

        ds = public_dataset(ds)
    card = mark_illustrative(mark_rules(scorecard(ds, period, rules=rules), rules, base), source)
    if args.out:
        path = write_scorecard(card, Path(args.out))
        print(f"Scorecard for {period}: {len(card)} measures written to {path}")
    else:
        from ..dataset.writing import inert_frame

        inert_frame(card).to_csv(sys.stdout, index=False)
    return 0


def _pack_options(args: argparse.Namespace) -> dict:
    """What ``run`` and ``watch`` both pass on: where, how many kernels, edition, PDF, rules."""
    return {
        "out_dir": args.out,
        "jobs": args.jobs,
        "public": args.public,
        "pdf": not args.no_pdf,
        "rules": _rules(args),
    }


def _run(args: argparse.Namespace) -> int:
    from .portfolios import run_any

    result = run_any(
        args.data,
        args.periods or None,
        force=args.force,
        progress=not args.quiet,
        scheduler=args.scheduler,
        **_pack_options(args),
    )
    print(result.summary())
    return result.exit_code


def _watch(args: argparse.Namespace) -> int:
    from .watch import watch

    print("pprr watch: building, then rebuilding whenever the data or a notebook changes")
    watch(args.periods or None, data=args.data, interval=args.interval, **_pack_options(args))
    print(f"pprr watch: stopped; the last pack built is in {args.out}")
    return 0


def _build(args: argparse.Namespace) -> int:
    from ..ingest.build import build_data

    frames = build_data(Path(args.raw), Path(args.out))
    print(
        f"Wrote {len(frames)} tables to {args.out}: "
        + ", ".join(f"{k} ({len(v)})" for k, v in frames.items())
    )
    return 0


def _to_excel(args: argparse.Namespace) -> int:
    from ..dataset.load import write_excel

    out = write_excel(args.dir, args.out)
    print(f"Wrote {out}")
    return 0


def _synth(args: argparse.Namespace) -> int:
    from ..dataset.synth import write_portfolios

    if args.portfolios < 1 or args.periods < 1:
        raise ParameterError("--portfolios and --periods must each be at least 1")
    out = write_portfolios(args.out, portfolios=args.portfolios, periods=args.periods)
    print(f"Wrote {args.portfolios} illustrative portfolio(s) of {args.periods} period(s) to {out}")
    return 0


def _to_sql(args: argparse.Namespace) -> int:
    from ..dataset.sql import safe_url, write_sql

    names = write_sql(args.dir, args.url)
    print(f"Wrote {len(names)} tables from {args.dir} to {safe_url(args.url)}")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="pprr", description="Portfolio Performance and Resource Reports"
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--debug", action="store_true", help="show the full traceback when something fails"
    )
    sub = p.add_subparsers(dest="command", required=True)
    _add = sub.add_parser
    sub.add_parser = lambda *a, **k: _add(*a, parents=[common], **k)  # type: ignore[method-assign]
    v = sub.add_parser("validate", help="check a dataset (folder of CSVs or .xlsx workbook)")
    v.add_argument("dir", nargs="?", help="data folder or workbook (default: data/)")
    v.add_argument("--report", action="store_true", help="list every data-quality note")
    v.set_defaults(func=_validate)
    s = sub.add_parser(
        "scorecard", help="RAG and direction of travel for every measure of a period"
    )
    s.add_argument("period", help="e.g. '2021/22 Q2' or 2021-22-Q2")
    s.add_argument(
        "--out", help="write CSV, or a workbook (cover, contents, notes, table) if it ends .xlsx"
    )
    s.add_argument("--data", help="data folder or workbook (default: data/)")
    s.add_argument("--public", action="store_true", help="public edition (small counts suppressed)")
    _rule_options(s)
    s.set_defaults(func=_scorecard)
    r = sub.add_parser("run", help="build the report pack for periods (default: all in the data)")
    r.add_argument("periods", nargs="*", help="periods, e.g. '2021/22 Q2' 2023-24")
    r.add_argument("--jobs", type=int, default=1, help="notebooks run in parallel (default 1)")
    r.add_argument("--public", action="store_true", help="public edition with disclosure control")
    r.add_argument("--force", action="store_true", help="rebuild even if nothing changed")
    r.add_argument("--out", default="reports", help="output folder (default reports/)")
    r.add_argument(
        "--data",
        help="data folder, workbook or a folder of portfolio data folders (default: data/)",
    )
    r.add_argument("--quiet", action="store_true", help="no progress bar")
    r.add_argument("--no-pdf", action="store_true", help="skip report.pdf (the pack as one A4 PDF)")
    _rule_options(r)
    r.add_argument(
        "--scheduler",
        help="run the pages on a Dask cluster: tcp://HOST:PORT, or 'local' for a LocalCluster "
        "of --jobs workers (docs/scaling.md)",
    )
    r.set_defaults(func=_run)
    w = sub.add_parser(
        "watch", help="build, then rebuild what changed whenever the data or a notebook is saved"
    )
    w.add_argument("periods", nargs="*", help="periods (default: all in the data)")
    w.add_argument("--data", help="data folder, workbook, database URL or portfolios folder")
    w.add_argument("--out", default="reports", help="output folder (default reports/)")
    w.add_argument("--jobs", type=int, default=1, help="notebooks run in parallel (default 1)")
    w.add_argument("--public", action="store_true", help="public edition with disclosure control")
    w.add_argument("--no-pdf", action="store_true", help="skip report.pdf")
    w.add_argument(
        "--interval", type=float, default=2.0, help="seconds between looks at the data (default 2)"
    )
    _rule_options(w)
    w.set_defaults(func=_watch)
    b = sub.add_parser(
        "build-data", help="re-create data/*.csv from the published tables in data/raw"
    )
    b.add_argument("--raw", default="data/raw")
    b.add_argument("--out", default="data")
    b.set_defaults(func=_build)
    x = sub.add_parser("to-excel", help="write the CSV dataset as one Excel workbook")
    x.add_argument("dir")
    x.add_argument("out")
    x.set_defaults(func=_to_excel)
    q = sub.add_parser("to-sql", help="load a data folder into a database (SQLAlchemy URL)")
    q.add_argument("dir", help="data folder")
    q.add_argument("url", help="e.g. sqlite:///pprr.db or postgresql://user@host/db")
    q.set_defaults(func=_to_sql)
    y = sub.add_parser("synth", help="write illustrative portfolios (for tests and benchmarks)")
    y.add_argument("out", help="folder to write the portfolio data folders into")
    y.add_argument("--portfolios", type=int, default=2, help="how many portfolios (default 2)")
    y.add_argument("--periods", type=int, default=4, help="quarters per portfolio (default 4)")
    y.set_defaults(func=_synth)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run a command; every failure is one sentence on stderr and a non-zero exit code
    (the traceback only with ``--debug``)."""
    from .failures import failure_sentence

    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:  # output piped into e.g. head
        return 0
    except (DataError, ParameterError) as exc:
        if getattr(args, "debug", False):
            raise
        print(f"pprr {args.command}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        if getattr(args, "debug", False):
            raise
        print(
            f"pprr {args.command}: interrupted; the last complete files are unchanged",
            file=sys.stderr,
        )
        return 130
    except Exception as exc:  # noqa: BLE001 - no traceback reaches the user
        if getattr(args, "debug", False):
            raise
        print(f"pprr {args.command}: {failure_sentence(exc)}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
