"""`wargame sweep SWEEP.toml`: run a sweep file into a result folder (docs/SWEEPS.md).

Exit status: 0 when every run succeeded, 1 when some runs failed or the sweep stopped
early (the folder is still consistent; `--resume` completes it), 2 for bad input.
"""

from __future__ import annotations

import argparse
from pathlib import Path

EXIT_RUNS_FAILED = 1


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected at least 1, got {value}")
    return value


def _sweep(args: argparse.Namespace) -> int:
    from wargame.errors import WargameError
    from wargame.folders import default_out_dir
    from wargame.levers import inert_inputs
    from wargame.sweep.design import design_points
    from wargame.sweep.execute import default_workers, run_sweep
    from wargame.sweep.spec import load_sweep

    if args.resume and not args.out:
        raise WargameError("--resume needs --out DIR, the folder of the sweep to complete")
    spec = load_sweep(args.sweep)
    points = design_points(spec)
    folder = Path(args.out) if args.out else default_out_dir(spec.name)
    workers = args.workers or default_workers()
    total = len(points) * spec.replications
    where = f"Dask at {args.scheduler}" if args.scheduler else f"{workers} worker(s)"
    print(f"sweep {spec.name}: {len(points)} points x {spec.replications} replications = "
          f"{total} runs on {where} -> {folder}/", flush=True)
    for name, reason in inert_inputs(spec.base, spec.levels or spec.ranges).items():
        print(f"note: swept input {name} cannot change anything in this sweep: {reason}",
              flush=True)
    try:
        result = run_sweep(spec, points, folder, workers=workers, scheduler=args.scheduler,
                           resume=args.resume, chunk_size=args.chunk_size,
                           flush_seconds=args.flush_seconds, progress=not args.quiet)
    except WargameError:
        raise
    except Exception as exc:  # a dead worker or a lost cluster: finished runs are written
        raise SweepStopped(folder, exc) from exc
    print(f"{result.completed} of {result.total} runs in {folder}/ "
          f"({result.ran} this time, {result.wall_seconds:.1f} s); status {result.status}")
    if result.failed:
        print(f"{result.failed} runs failed (rows with an error in {folder}/runs); first: "
              f"{result.first_error}")
        return EXIT_RUNS_FAILED
    if args.plots:
        from wargame.figures.standard import render_all

        figures = render_all(folder)
        print(f"wrote {len(figures)} figure files to {folder}/plots/ "
              f"(open {folder}/plots/index.html)")
    return 0


class SweepStopped(Exception):
    """The backend failed mid-sweep; the folder holds every run finished until then."""

    def __init__(self, folder: Path, cause: Exception) -> None:
        super().__init__(
            f"sweep stopped ({type(cause).__name__}: {cause}); finished runs are in {folder}/; "
            f"complete it with --resume --out {folder}"
        )


def _handler(args: argparse.Namespace) -> int:
    import sys

    try:
        return _sweep(args)
    except SweepStopped as exc:
        print(f"wargame: error: {exc}", file=sys.stderr)
        return EXIT_RUNS_FAILED


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `wargame sweep` to the command line."""
    parser = subparsers.add_parser(
        "sweep",
        help="run a parameter sweep file into a Parquet result folder",
        description="Run every design point x replication of a sweep file (configs/sweeps/) "
        "and stream the results to DIR: manifest.json, runs/, states/ and steps/ (Parquet "
        "datasets; docs/SWEEPS.md).",
    )
    parser.add_argument("sweep", help="sweep file (TOML path) or name in configs/sweeps")
    parser.add_argument("--out", help="result folder (default: runs/<sweep>-<timestamp>/)")
    parser.add_argument("--workers", type=_positive,
                        help="worker processes (default: all cores; 1 = serial in this process)")
    parser.add_argument("--resume", action="store_true",
                        help="complete the sweep in --out: run exactly the missing runs")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="run on Dask: tcp://host:port of a scheduler, or `local` for a "
                        "LocalCluster of --workers processes (needs wargame[dask])")
    parser.add_argument("--chunk-size", type=_positive,
                        help="runs per task (default: about 8 tasks per worker, at most 50)")
    parser.add_argument("--flush-seconds", type=float, default=5.0, metavar="S",
                        help="write finished runs at least every S seconds (default 5): what "
                        "a crash can cost")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument("--plots", action="store_true",
                        help="draw the standard figures of the result folder when done")
    parser.set_defaults(handler=_handler)
