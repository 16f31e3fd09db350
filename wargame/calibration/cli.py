"""`wargame calibrate`: ABC-SMC against the declared targets, then the fit on all of them.

The result folder is built as DIR.partial and renamed to DIR only when everything is
written, so a folder named DIR is always a finished calibration; an interrupted one
leaves DIR.partial (its abc.db can be read with pyabc) and nothing that looks complete.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import signal
import time
from pathlib import Path
from typing import Any

from wargame.arguments import folder as folder_argument
from wargame.arguments import positive
from wargame.arguments import seed as seed_argument
from wargame.errors import WargameError

REPORT_FILE, RECORD_FILE, DB_FILE = "CALIBRATION.md", "calibration.json", "abc.db"
DEFAULTS = {"population": 300, "generations": 8, "seed": 1, "scale": 1.0, "draws": 200,
            "batches": 20}
#: --quick: a tiny population, two generations, a fifth of the seeds (a test, not a fit).
QUICK = {"population": 16, "generations": 2, "scale": 0.2, "draws": 8, "batches": 4}
#: Acceptance assumed for the expected time of generations after the first.
ASSUMED_ACCEPTANCE = 0.35


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `calibrate` subcommand."""
    parser = subparsers.add_parser(
        "calibrate",
        help="fit the behavioural and combat uncertainties to sourced targets (ABC-SMC)",
        description="Calibrate the uncertainties declared in the targets file by ABC-SMC "
        "(pyabc) against its fitted targets, then report the fit on the fitted and the "
        "held-back targets over posterior draws and at the best point. Writes DIR/abc.db, "
        "DIR/posterior.parquet, DIR/calibration.json and DIR/CALIBRATION.md (the report of "
        "docs/CALIBRATION.md).",
    )
    parser.add_argument("--quick", action="store_true",
                        help=f"population {QUICK['population']}, {QUICK['generations']} "
                        f"generations, a fifth of the seeds: checks the machinery in about a "
                        "minute; not a calibration to quote")
    parser.add_argument("--out", type=folder_argument, metavar="DIR",
                        help="result folder, new or empty (default: runs/calibration-<time>/)")
    parser.add_argument("--workers", type=positive, metavar="N",
                        help="processes running the model (default: the number of cores)")
    parser.add_argument("--population", type=positive, metavar="N",
                        help=f"parameter sets accepted per generation (default "
                        f"{DEFAULTS['population']}; --quick {QUICK['population']})")
    parser.add_argument("--generations", type=positive, metavar="N",
                        help=f"most generations of ABC-SMC (default {DEFAULTS['generations']}; "
                        f"--quick {QUICK['generations']})")
    parser.add_argument("--draws", type=positive, metavar="N",
                        help=f"posterior draws for the fit tables (default {DEFAULTS['draws']}; "
                        f"--quick {QUICK['draws']})")
    parser.add_argument("--seed", type=seed_argument, default=DEFAULTS["seed"], metavar="S",
                        help=f"seed of the proposals and of every run (default "
                        f"{DEFAULTS['seed']}); with --workers 1 a calibration repeats exactly")
    parser.add_argument("--targets", metavar="FILE",
                        help="targets and calibrated parameters, TOML (default: the "
                        "package's wargame/data/calibration.toml)")
    parser.set_defaults(handler=_calibrate)


def _settings(args: argparse.Namespace) -> Any:
    from wargame.calibration.smc import Settings

    chosen = {**DEFAULTS, **(QUICK if args.quick else {})}
    for name in ("population", "generations", "draws"):
        if getattr(args, name) is not None:
            chosen[name] = getattr(args, name)
    if chosen["population"] < 10:
        raise WargameError(f"--population {chosen['population']}: use at least 10 parameter "
                           "sets (the proposal kernel is fitted to them)")
    cores = os.cpu_count() or 1
    workers = args.workers or cores
    if workers > max(64, 4 * cores):
        raise WargameError(f"--workers {workers}: far more processes than the {cores} cores")
    return Settings(chosen["population"], chosen["generations"], args.seed, workers,
                    chosen["scale"], chosen["draws"], chosen["batches"])


def _command(args: argparse.Namespace, out: Path, settings: Any) -> str:
    words = ["wargame", "calibrate", *(["--quick"] if args.quick else [])]
    words += ["--out", str(out), "--population", str(settings.population), "--generations",
              str(settings.generations), "--draws", str(settings.draws), "--seed",
              str(settings.seed), "--workers", str(settings.workers)]
    if args.targets:
        words += ["--targets", args.targets]
    return shlex.join(words)


def _out_folders(args: argparse.Namespace) -> tuple[Path, Path]:
    from wargame.folders import check_out_dir, default_out_dir

    out = Path(args.out) if args.out else default_out_dir("calibration")
    check_out_dir(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise WargameError(f"--out {out}: already exists and is not empty; choose another")
    staging = out.with_name(out.name + ".partial")
    if staging.exists():
        raise WargameError(f"{staging}: an unfinished calibration is there; remove it or "
                           "choose another --out")
    return out, staging


def _provenance() -> dict[str, Any]:
    from importlib.metadata import version

    from wargame import __version__
    from wargame.sweep.manifest import git_commit

    return {"wargame_version": __version__, "pyabc_version": version("pyabc"),
            "git_commit": git_commit()}


def _calibrate(args: argparse.Namespace) -> int:
    from wargame.calibration.fit import CANDIDATES, best_point, fit
    from wargame.calibration.posterior import densest_sets, posterior_draws, write_posterior
    from wargame.calibration.report import duration, markdown, summary
    from wargame.calibration.smc import run_abc, seconds_per_set
    from wargame.calibration.targets import load_spec

    spec = load_spec(args.targets)
    settings = _settings(args)
    out, staging = _out_folders(args)
    say(f"calibrating {len(spec.parameters)} uncertainties against {len(spec.fitted)} fitted "
        f"targets ({len(spec.held_back)} held back) from {spec.path}")
    _expected_time(seconds_per_set(spec, spec.fitted, settings),
                   seconds_per_set(spec, spec.targets, settings, n=1), settings)

    started = time.perf_counter()
    staging.mkdir(parents=True)
    previous = signal.signal(signal.SIGTERM, _interrupt)  # stop as Ctrl-C does, workers too
    try:
        generations, population = run_abc(spec, settings, staging / DB_FILE, say)
        abc_seconds = time.perf_counter() - started
        write_posterior(population, staging, spec)
        best = best_point(spec, densest_sets(population, spec, CANDIDATES), settings, say)
        draws = posterior_draws(staging, settings.draws, settings.seed)
        fits = fit(spec, draws, best, settings, say)
        seconds = {"abc": abc_seconds, "fit": time.perf_counter() - started - abc_seconds}
        seconds["total"] = seconds["abc"] + seconds["fit"]
        record = summary(spec, settings, _command(args, out, settings), generations,
                         population, best, fits, seconds, _provenance(), args.quick)
        (staging / RECORD_FILE).write_text(json.dumps(record, indent=2) + "\n", "utf-8")
        (staging / REPORT_FILE).write_text(markdown(record), "utf-8")
    except BaseException:
        say(f"calibration stopped; what it had is in {staging}/ (not a finished result)")
        raise
    finally:
        signal.signal(signal.SIGTERM, previous)
    if out.exists():
        out.rmdir()  # empty, checked above
    staging.rename(out)
    _print_fit(record)
    say(f"wrote {out}/ ({DB_FILE}, posterior.parquet, {RECORD_FILE}, {REPORT_FILE}) in "
        f"{duration(seconds['total'])}")
    return 0


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt(signal.Signals(signum).name)


def say(line: str) -> None:
    """A progress line, at once (a calibration runs for minutes)."""
    print(line, flush=True)


def _expected_time(per_set: float, per_draw: float, settings: Any) -> None:
    from wargame.calibration.fit import CANDIDATES, CHOICE_BATCHES
    from wargame.calibration.report import duration

    later = (settings.generations - 1) * settings.population / ASSUMED_ACCEPTANCE
    sets = settings.population + later
    abc = per_set * sets / settings.workers
    tables = (per_set * CANDIDATES * CHOICE_BATCHES
              + per_draw * (settings.draws + settings.batches)) / settings.workers
    say(f"expected time: about {duration(abc + tables)} at this machine's speed now "
        f"({per_set:.2f} s per parameter set; ~{sets:,.0f} sets if all {settings.generations} "
        f"generations run and each later one accepts {ASSUMED_ACCEPTANCE:.0%}, on "
        f"{settings.workers} worker(s); {duration(tables)} for the best point and the fit "
        "tables); ABC stops earlier once every accepted set meets the bands")


def _print_fit(record: dict[str, Any]) -> None:
    from wargame.calibration.report import fmt

    say(f"{'target':<28} {'role':<9} {'band':>10}  {'posterior predictive':>26} "
        f"{'in band':>7}  {'best point':>9}")
    for t in record["targets"]:
        p = t["predictive"]
        interval = f"{fmt(p['median'])} [{fmt(p['low'])}, {fmt(p['high'])}]"
        say(f"{t['name']:<28} {t['role']:<9} {t['band']:>10}  {interval:>26} "
            f"{t['share_of_draws_in_band']:>7.0%}  {fmt(t['best_point']['median']):>9}")
    best = ", ".join(f"{name} = {fmt(value)}" for name, value in record["best_point"].items())
    say(f"best point: {best}")

