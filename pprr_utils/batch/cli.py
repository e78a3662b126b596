"""``pprr``: a thin command-line shell over pprr_utils."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..dataset.errors import DataError, ParameterError


def _validate(args: argparse.Namespace) -> int:
    from ..dataset.load import read_tables
    from ..dataset.quality import quality_report, summary
    from ..dataset.validate import validate_tables

    location = Path(args.dir) if args.dir else None
    from ..dataset.load import Dataset, default_data_dir

    loc = location or default_data_dir()
    tables, problems, name = read_tables(loc)
    if not [p for p in problems if p.severity == "error"]:
        problems += validate_tables(
            tables, xlsx=loc.name if loc.suffix.lower() == ".xlsx" else None
        )
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        print(f"{loc}: {len(errors)} problem(s)", file=sys.stderr)
        for p in errors:
            print(str(p), file=sys.stderr)
        return 1
    ds = Dataset(tables, name, [p for p in problems if p.severity != "error"])  # read once
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


def _scorecard(args: argparse.Namespace) -> int:
    from ..dataset.load import load_dataset
    from ..dataset.score import resolve_period, scorecard, write_scorecard

    ds = load_dataset(args.data)
    period = resolve_period(ds, args.period)
    card = scorecard(ds, period)
    if args.out:
        path = write_scorecard(card, Path(args.out))
        print(f"Scorecard for {period}: {len(card)} measures written to {path}")
    else:
        from ..dataset.writing import inert_frame

        inert_frame(card).to_csv(sys.stdout, index=False)
    return 0


def _run(args: argparse.Namespace) -> int:
    from .run import run_batch

    result = run_batch(
        args.periods or None,
        data=args.data,
        out_dir=args.out,
        jobs=args.jobs,
        public=args.public,
        force=args.force,
        progress=not args.quiet,
    )
    print(result.summary())
    return result.exit_code


def _build(args: argparse.Namespace) -> int:
    from ..ingest.build import build_dataset

    frames = build_dataset(Path(args.raw), Path(args.out))
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
    s.add_argument("--out", help="write CSV, or Excel if the name ends .xlsx")
    s.add_argument("--data", help="data folder or workbook (default: data/)")
    s.set_defaults(func=_scorecard)
    r = sub.add_parser("run", help="build the report pack for periods (default: all in the data)")
    r.add_argument("periods", nargs="*", help="periods, e.g. '2021/22 Q2' 2023-24")
    r.add_argument("--jobs", type=int, default=1, help="notebooks run in parallel (default 1)")
    r.add_argument("--public", action="store_true", help="public edition with disclosure control")
    r.add_argument("--force", action="store_true", help="rebuild even if nothing changed")
    r.add_argument("--out", default="reports", help="output folder (default reports/)")
    r.add_argument("--data", help="data folder or workbook (default: data/)")
    r.add_argument("--quiet", action="store_true", help="no progress bar")
    r.set_defaults(func=_run)
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
