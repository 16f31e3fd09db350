"""`wargame calibrate`: ABC-SMC against the declared targets, then the fit on all of them.

The result folder is built as DIR.partial and renamed to DIR only when everything is
written, so a folder named DIR is always a finished calibration; an interrupted one
leaves DIR.partial (its abc.db can be read with pyabc) and nothing that looks complete.
`--extend DIR.partial --out DIR` finishes it; `--extend DIR --generations N --out NEW`
runs a finished one for more generations (wargame.calibration.extend).
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import time
from pathlib import Path
from typing import Any

from wargame.arguments import folder as folder_argument
from wargame.arguments import positive
from wargame.arguments import seed as seed_argument
from wargame.calibration.extend import DB_FILE, RECORD_FILE, STARTED_FILE, write_started
from wargame.errors import WargameError
from wargame.stops import stop_on_signals

REPORT_FILE = "CALIBRATION.md"
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
                        f"generations, a fifth of the seeds: checks the machinery in about five "
                        "minutes on two cores; not a calibration to quote")
    parser.add_argument("--out", type=folder_argument, metavar="DIR",
                        help="result folder, new or empty (default: runs/calibration-<time>/; "
                        "with --extend DIR.partial, DIR)")
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
    parser.add_argument("--seed", type=seed_argument, metavar="S",
                        help=f"seed of the proposals and of every run (default "
                        f"{DEFAULTS['seed']}); with --workers 1 a calibration repeats exactly")
    parser.add_argument("--extend", type=folder_argument, metavar="FOLDER",
                        help="go on from the last generation of the calibration in FOLDER, "
                        "with its population and seed: DIR.partial of an interrupted run "
                        "finishes it (into DIR, to the generations it asked for); a "
                        "finished FOLDER runs on to --generations in all, into a new --out")
    parser.add_argument("--targets", metavar="FILE",
                        help="targets and calibrated parameters, TOML (default: the "
                        "package's wargame/data/calibration.toml)")
    parser.set_defaults(handler=_calibrate)


def _settings(args: argparse.Namespace, extended: Any = None) -> Any:
    from wargame.calibration.smc import Settings

    if extended is not None:
        _keep_begun_with(args, extended)
    quick = args.quick or bool(extended and extended.begun_with["quick"])
    chosen = {**DEFAULTS, **(QUICK if quick else {})}
    if extended is not None:
        begun = extended.begun_with
        chosen.update(population=begun["population"], seed=begun["seed"],
                      scale=begun["seed_scale"])
    for name in ("population", "generations", "draws", "seed"):
        if getattr(args, name) is not None:
            chosen[name] = getattr(args, name)
    if chosen["population"] < 10:
        raise WargameError(f"--population {chosen['population']}: use at least 10 parameter "
                           "sets (the proposal kernel is fitted to them)")
    cores = os.cpu_count() or 1
    workers = args.workers or cores
    if workers > max(64, 4 * cores):
        raise WargameError(f"--workers {workers}: far more processes than the {cores} cores")
    return Settings(chosen["population"], chosen["generations"], chosen["seed"], workers,
                    chosen["scale"], chosen["draws"], chosen["batches"])


def _keep_begun_with(args: argparse.Namespace, extended: Any) -> None:
    """An extension keeps the population, seed and seeds of the run it extends."""
    begun = extended.begun_with
    for option, name, given in (("--population", "population", args.population),
                                ("--seed", "seed", args.seed)):
        if given is not None and given != begun[name]:
            raise WargameError(f"{option} {given}: the calibration in {extended.folder} ran "
                               f"with {begun[name]}, and an extension keeps it")
    if args.quick and not begun["quick"]:
        raise WargameError(f"--quick: the calibration in {extended.folder} is a full one, "
                           "and an extension keeps its settings")


def _command(args: argparse.Namespace, out: Path, settings: Any, quick: bool,
             extend: bool = False) -> str:
    """This command as typed (`extend`), or the one uninterrupted command that gives the
    same calibration: each generation proposes from a stream of its own."""
    words = ["wargame", "calibrate", *(["--quick"] if quick else [])]
    if extend:
        words += ["--extend", args.extend]
    words += ["--out", str(out), "--population", str(settings.population), "--generations",
              str(settings.generations), "--draws", str(settings.draws), "--seed",
              str(settings.seed), "--workers", str(settings.workers)]
    if args.targets:
        words += ["--targets", args.targets]
    return shlex.join(words)


def _out_folders(args: argparse.Namespace, extended: Any) -> tuple[Path, Path, bool]:
    """DIR, its staging DIR.partial, and whether the run goes on in that staging (an
    interrupted calibration extended into its own --out)."""
    from wargame.folders import check_out_dir, default_out_dir

    if args.out:
        out = Path(args.out)
    elif extended is not None and extended.folder.suffix == ".partial":
        out = extended.folder.with_suffix("")  # an interrupted run finishes where it began
    else:
        out = default_out_dir("calibration")
    check_out_dir(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        named = "--out " if args.out else "the folder --extend finishes into, "
        raise WargameError(f"{named}{out}: already exists and is not empty; choose another "
                           "--out")
    staging = out.with_name(out.name + ".partial")
    in_place = extended is not None and extended.folder.resolve() == staging.resolve()
    if extended is not None and not in_place and (
            out.resolve().is_relative_to(extended.folder.resolve())):
        raise WargameError(f"--out {out}: inside the folder --extend reads ({extended.folder})"
                           "; choose another")
    if staging.exists() and not in_place:
        _lock(staging).release()  # a calibration still running there is named as such
        raise WargameError(f"{staging}: an unfinished calibration is there; "
                           f"{_how_to_go_on(staging, out, args.targets)}")
    return out, staging, in_place


def _how_to_go_on(staging: Path, out: Path, targets: str | None) -> str:
    """What to type to finish an interrupted calibration: an extension checks that it
    calibrates against the same targets file, so one of the user's own is named again."""
    from wargame.calibration.extend import stored_generations

    if stored_generations(staging) == 0:
        return f"it finished no generation: remove {staging} and start again"
    words = ["wargame", "calibrate", "--extend", str(staging), "--out", str(out),
             *(["--targets", targets] if targets else [])]
    return f"finish it with: {shlex.join(words)}"


def _extended(args: argparse.Namespace, spec: Any) -> Any:
    """The run `--extend` names, checked; None without --extend."""
    from wargame.calibration.extend import read_extended

    if not args.extend:
        return None
    extended = read_extended(Path(args.extend), spec.sha256)
    stored = extended.generations
    if args.generations is None and extended.unfinished and extended.asked:
        args.generations = extended.asked  # finish it as it was asked
    elif args.generations is None:
        raise WargameError(f"--extend {extended.folder}: it has run {stored} generation(s); "
                           f"say how many in all with --generations (more than {stored})")
    elif args.generations <= stored and not extended.unfinished:
        raise WargameError(f"--generations {args.generations}: the calibration in "
                           f"{extended.folder} has run {stored} already; ask for more")
    return extended


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
    extended = _extended(args, spec)
    settings = _settings(args, extended)
    out, staging, in_place = _out_folders(args, extended)
    quick = args.quick or bool(extended and extended.begun_with["quick"])
    command = _command(args, out, settings, quick)
    commands_run = [*(extended.commands_run if extended else ()),
                    _command(args, out, settings, quick, extend=extended is not None)]
    done = extended.generations if extended else 0
    say(f"calibrating {len(spec.parameters)} uncertainties against {len(spec.fitted)} fitted "
        f"targets ({len(spec.held_back)} held back) from {spec.path}")
    if extended:
        say(f"extending {extended.folder}: {done} generation(s) stored, "
            f"{max(0, settings.generations - done)} more to run")
    _expected_time(seconds_per_set(spec, spec.fitted, settings),
                   seconds_per_set(spec, spec.targets, settings, n=1), settings, done)

    from wargame.sweep.folder import LOCK

    started = time.perf_counter()
    if not in_place:
        staging.mkdir(parents=True)
    lock = _lock(staging)
    if extended and not in_place:
        shutil.copy2(extended.folder / DB_FILE, staging / DB_FILE)
    write_started(staging, commands_run, settings.generations)
    try:
        with stop_on_signals():  # SIGTERM stops as Ctrl-C does (exit 143), workers too
            begun = {"population": settings.population, "seed": settings.seed,
                     "seed_scale": settings.scale, "quick": quick, "command": command}
            generations, population = run_abc(spec, settings, staging / DB_FILE, say,
                                              meta=begun, extend=extended is not None)
            abc_seconds = time.perf_counter() - started
            write_posterior(population, staging, spec)
            best = best_point(spec, densest_sets(population, spec, CANDIDATES), settings, say)
            draws = posterior_draws(staging, settings.draws, settings.seed)
            fits = fit(spec, draws, best, settings, say)
            seconds = {"abc": abc_seconds, "fit": time.perf_counter() - started - abc_seconds}
            seconds["total"] = seconds["abc"] + seconds["fit"]
            record = summary(spec, settings, command, generations, population, best, fits,
                             seconds, _provenance(), quick, _extension(extended, commands_run))
            (staging / RECORD_FILE).write_text(json.dumps(record, indent=2) + "\n", "utf-8")
            (staging / REPORT_FILE).write_text(markdown(record), "utf-8")
            (staging / STARTED_FILE).unlink()
    except BaseException:
        say(f"calibration stopped; what it had is in {staging}/ (not a finished result); "
            f"{_how_to_go_on(staging, out, args.targets)}")
        raise
    if out.exists():
        out.rmdir()  # empty, checked above
    (staging / LOCK).unlink()  # a finished folder holds no lock file; the lock is still ours
    staging.rename(out)
    lock.release()
    _print_fit(record)
    say(f"wrote {out}/ ({DB_FILE}, posterior.parquet, {RECORD_FILE}, {REPORT_FILE}) in "
        f"{duration(seconds['total'])}")
    return 0


def _lock(staging: Path) -> Any:
    """Hold `staging` for this process: two calibrations writing one ABC-SMC history (two
    `--extend DIR.partial` at once) would interleave generations into a posterior of
    neither. The OS drops the lock when the process ends, however it ends."""
    from wargame.sweep.folder import FolderLock

    return FolderLock(staging).acquire()


def _extension(extended: Any, commands_run: list[str]) -> dict[str, Any] | None:
    """How an extended calibration was run: the commands in turn, and what it went on from."""
    if extended is None:
        return None
    return {"folder": str(extended.folder.resolve()), "generations": extended.generations,
            "commands_run": commands_run}


def say(line: str) -> None:
    """A progress line, at once (a calibration runs for minutes)."""
    print(line, flush=True)


def _expected_time(per_set: float, per_draw: float, settings: Any, done: int = 0) -> None:
    from wargame.calibration.fit import CANDIDATES
    from wargame.calibration.report import duration

    left = max(0, settings.generations - done)
    first = settings.population if done == 0 and left else 0  # the prior's, all accepted
    sets = first + (left - (1 if first else 0)) * settings.population / ASSUMED_ACCEPTANCE
    abc = per_set * sets / settings.workers
    tables = (per_set * CANDIDATES * settings.batches
              + per_draw * (settings.draws + settings.batches)) / settings.workers
    say(f"expected time: about {duration(abc + tables)} at this machine's speed now "
        f"({per_set:.2f} s per parameter set; ~{sets:,.0f} sets if the {left} generation(s) "
        f"left all run and each later one accepts {ASSUMED_ACCEPTANCE:.0%}, on "
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

