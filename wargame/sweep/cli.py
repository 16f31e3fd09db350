"""`wargame sweep SWEEP.toml`: run a sweep file into a result folder (docs/SWEEPS.md).

Exit status: 0 when every run succeeded, 1 when some runs failed or the sweep stopped
early (the folder is still consistent; `--resume` completes it), 2 for bad input and
permanent problems (one line, nothing written), 130/143 when stopped by SIGINT/SIGTERM
(finished runs written, status "incomplete"). docs/SWEEPS.md, "Exit status".
"""

from __future__ import annotations

import argparse
import math
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from wargame.arguments import folder as folder_argument
from wargame.arguments import positive

if TYPE_CHECKING:
    from wargame.sweep.spec import SweepSpec
from wargame.rules import MAX_RUNS, check_run_count

EXIT_RUNS_FAILED = 1
EXIT_BAD_INPUT = 2


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"expected a finite number >= 0, got {text!r}")
    return value




_ADDRESS = re.compile(r"(?:(?:tcp|tls|ucx|ws|wss)://)?(?:\[[0-9a-fA-F:]+\]|[\w.-]+):\d{1,5}/?")


def _scheduler(text: str) -> str:
    if text == "local" or _ADDRESS.fullmatch(text):
        return text
    raise argparse.ArgumentTypeError(
        f"expected `local` or a scheduler address such as tcp://10.0.0.5:8786, got {text!r}"
    )


def _sweep(args: argparse.Namespace) -> int:
    from wargame.errors import WargameError
    from wargame.sweep.spec import load_sweep

    if args.resume and not args.out:
        raise WargameError("--resume needs --out DIR, the folder of the sweep to complete")
    spec = load_sweep(args.sweep, replications=args.replications, assignments=args.set,
                      posterior=args.posterior)
    return run_spec(spec, args, args.sweep)


def run_spec(spec: SweepSpec, args: argparse.Namespace, source: str) -> int:
    """Run a resolved sweep with the options of `wargame sweep` in `args` (out, workers,
    scheduler, resume, chunk_size, flush_seconds, max_runs, dry_run, quiet, plots); `source`
    names the sweep in a refusal. Also what `wargame reform --runs` runs its sweep with."""
    from wargame.errors import WargameError
    from wargame.folders import check_out_dir, default_out_dir
    from wargame.model_kinds import model_kind

    check_run_count(spec.run_count, args.max_runs, f"{source}: {spec.point_count:,} "
                    f"points x {spec.replications:,} replications")
    cores = os.cpu_count() or 1
    most = max(64, 4 * cores)
    if args.workers and args.workers > most and args.scheduler in (None, "local"):
        raise WargameError(f"--workers {args.workers}: more than {most} processes on {cores} "
                           "cores would only exhaust memory; use at most the core count")
    if args.workers and args.workers > cores and not args.scheduler:
        print(f"wargame: warning: --workers {args.workers} on {cores} cores: the workers share "
              "the cores and the sweep gets no faster", file=sys.stderr)

    from wargame.sweep.startup import import_mesa

    import_mesa()  # before the modules that import the model: see wargame.sweep.startup
    from wargame.sweep.design import design_points
    from wargame.sweep.execute import SweepStart, default_workers, run_sweep

    points = design_points(spec)
    folder = Path(args.out) if args.out else default_out_dir(spec.name)
    check_out_dir(folder)
    args.folder = folder  # for the line printed if a signal stops the sweep
    workers = args.workers or default_workers()
    where = f"Dask at {args.scheduler}" if args.scheduler else f"{workers} worker(s)"
    inert = model_kind(spec.model).inert_inputs(spec.base, spec.levels or spec.ranges)
    if args.dry_run:
        return _dry_run(spec, points, folder, workers, where, inert, args.resume)

    def banner(start: SweepStart) -> None:
        print(f"sweep {spec.name}: {len(points)} points x {spec.replications} replications = "
              f"{start.total} runs on {where} -> {folder}/", flush=True)
        if args.resume:
            print(f"resuming: {start.done} of {start.total} runs verified in {folder}/", flush=True)
        # Warnings go to stderr, where --quiet leaves them.
        for name, reason in inert.items():
            print(f"wargame: note: swept input {name} cannot change anything in this sweep: "
                  f"{reason}", file=sys.stderr, flush=True)
        for line in start.set_aside:
            print(f"wargame: warning: set aside into {folder}/damaged/: {line}; its runs will "
                  "be run again", file=sys.stderr, flush=True)

    state = {"started": False}

    def started(start: SweepStart) -> None:
        state["started"] = True
        banner(start)

    try:
        result = run_sweep(spec, points, folder, workers=workers, scheduler=args.scheduler,
                           resume=args.resume, chunk_size=args.chunk_size,
                           flush_seconds=args.flush_seconds, progress=not args.quiet,
                           on_start=started, plots=args.plots)
    except (WargameError, KeyboardInterrupt):
        raise
    except Exception as exc:  # a dead worker, a lost cluster, a full disk: runs are kept
        if not state["started"]:
            raise WargameError(f"{folder}: cannot start the sweep ({type(exc).__name__}: "
                               f"{exc})") from None
        raise SweepStopped(folder, exc) from exc
    print(f"{result.completed} of {result.total} runs in {folder}/ "
          f"({result.ran} this time, {result.wall_seconds:.1f} s); status {result.status}")
    if result.failed:
        print(f"{result.failed} runs failed (rows with an error in {folder}/runs); first: "
              f"{result.first_error}")
        return EXIT_RUNS_FAILED
    if result.plots_to_draw:  # asked for now, or by the run a stop cut short
        from wargame.figures.standard import render_all
        from wargame.sweep.execute import mark_plots_drawn

        args.drawing = result.total
        figures = render_all(folder)
        mark_plots_drawn(folder)
        args.drawing = None
        print(f"wrote {len(figures)} figure files to {folder}/plots/ "
              f"(open {folder}/plots/index.html)")
    return 0


def _dry_run(spec, points: list, folder: Path, workers: int, where: str,
             inert: dict[str, str], resume: bool) -> int:
    """Say how many runs, how long on this machine and where, and write nothing."""
    from wargame.errors import WargameError
    from wargame.sweep.estimate import duration, estimate
    from wargame.sweep.folder import read_manifest

    total = len(points) * spec.replications
    done = 0
    if resume:
        done = min(total, int(read_manifest(folder).get("completed_runs") or 0))
    elif folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise WargameError(f"{folder}: already exists and is not empty; use --resume to "
                           "complete it, or choose another --out")
    framing = f"scenario {spec.scenario}" if spec.scenario else f"model {spec.model}"
    print(f"dry run of sweep {spec.name}: {len(points):,} points x {spec.replications:,} "
          f"replications = {total:,} runs ({spec.design} design, {framing})")
    if resume:
        print(f"{done:,} runs are already in {folder}/ (checked when the sweep resumes); "
              f"{total - done:,} to run")
    if done < total:
        guess = estimate(points, spec, total - done, workers)
        print(f"time: {duration(guess.wall_seconds)} on {where} (a pilot of "
              f"{guess.pilot_runs} of its runs took {1000 * guess.seconds_per_run:.1f} ms each "
              "here; start-up and writes not included)")
    else:
        print("time: none; every run is there")
    series = "with per-day series (steps/)" if spec.keep_series else "without per-day series"
    print(f"output: {folder}/ (manifest.json, runs/, states/; {series})")
    for name, reason in inert.items():
        print(f"note: swept input {name} cannot change anything in this sweep: {reason}")
    print("nothing was written; drop --dry-run to start the sweep")
    return 0


class SweepStopped(Exception):
    """The backend failed mid-sweep; the folder holds every run finished until then."""

    def __init__(self, folder: Path, cause: Exception) -> None:
        cause_text = " ".join(f"{type(cause).__name__}: {cause}".split())
        super().__init__(
            f"sweep stopped ({cause_text}); finished runs are in {folder}/; "
            f"complete it with --resume --out {folder}"
        )


def _handler(args: argparse.Namespace) -> int:
    return stoppable(_sweep, args)


def stoppable(body: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    """Run a sweep command's `body`: a stop (the signals raise: `wargame.stops`) or a dead
    backend ends in one line and the exit status of docs/SWEEPS.md, "Exit status"."""
    from wargame.stops import exit_status, signal_name

    try:
        return body(args)
    except SweepStopped as exc:
        print(f"wargame: error: {exc}", file=sys.stderr)
        return EXIT_RUNS_FAILED
    except KeyboardInterrupt as exc:
        folder = getattr(args, "folder", None)
        where = (f"; finished runs are in {folder}/: complete it with --resume --out {folder}"
                 if folder is not None and folder.is_dir() else "")
        if getattr(args, "drawing", None):
            where = (f" while drawing the figures; all {args.drawing:,} runs are in {folder}/: "
                     f"--resume --out {folder} draws the figures")
        print(f"wargame: sweep stopped by {signal_name(exc)}{where}", file=sys.stderr)
        return exit_status(exc)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `wargame sweep` to the command line."""
    parser = subparsers.add_parser(
        "sweep",
        help="run a parameter sweep file into a Parquet result folder",
        description="Run every design point x replication of a sweep file (a name: shipped, "
        "or your own in ./configs/sweeps/, found first; or a path) and stream the results to "
        "DIR: manifest.json, runs/, states/ and steps/ (Parquet datasets; docs/SWEEPS.md).",
    )
    parser.add_argument("sweep", help="sweep name (./configs/sweeps/ first, then the shipped "
                        "ones: `wargame/configs/sweeps/`) or a TOML path")
    parser.add_argument("--out", type=folder_argument,
                        help="result folder (default: runs/<sweep>-<timestamp>/)")
    parser.add_argument("--replications", type=positive, metavar="N",
                        help="runs per design point instead of the file's (a smaller sweep "
                        "without a copy of the file)")
    parser.add_argument("--set", action="append", metavar="KEY=VALUE",
                        help="fix an input the design does not vary, over the file's "
                        "[parameters] (see `wargame inputs`; repeatable), e.g. --set "
                        "max_days=60")
    parser.add_argument("--posterior", nargs="?", const="shipped", metavar="FILE",
                        help="run replication r of every design point with parameter set r "
                        "drawn by weight from the calibration's posterior (no FILE: the "
                        "shipped one, docs/CALIBRATION.md; or a CSV/Parquet file of sets), "
                        "so that shares are over the posterior, not its best point alone "
                        "(needs paired_seeds = true; shipped sweeps have it)")
    parser.add_argument("--workers", type=positive,
                        help="worker processes (default: all cores; 1 = serial in this process)")
    parser.add_argument("--resume", action="store_true",
                        help="complete the sweep in --out: run exactly the missing runs")
    parser.add_argument("--scheduler", metavar="ADDRESS", type=_scheduler,
                        help="run on Dask: tcp://host:port of a scheduler, or `local` for a "
                        "LocalCluster of --workers processes (needs wargame[dask])")
    parser.add_argument("--chunk-size", type=positive,
                        help="runs per task (default: about 8 tasks per worker, at most 50)")
    parser.add_argument("--flush-seconds", type=_seconds, default=5.0, metavar="S",
                        help="write finished runs at least every S seconds (default 5): what "
                        "a crash can cost")
    parser.add_argument("--max-runs", type=positive, default=MAX_RUNS, metavar="N",
                        help=f"refuse designs of more than N runs (default {MAX_RUNS:,})")
    parser.add_argument("--dry-run", action="store_true",
                        help="print the run count, an estimate of the time on this machine "
                        "(from a pilot of a few runs) and the output folder; write nothing")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument("--plots", action="store_true",
                        help="draw the standard figures of the result folder when done")
    parser.set_defaults(handler=_handler)
