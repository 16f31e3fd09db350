"""`wargame reform`: one negotiation, printed, or many as a negotiation sweep.

- One negotiation (`--seed N [--set ...]`): summary.json and rounds.parquet (one row per
  round and ally), written all at once or not at all, and its account in words.
- Many (`--runs N` and/or `--grid NAME=V1,V2,...`): a thin front to the common sweep
  runner. The options become a sweep spec (model = "negotiation", a grid over the --grid
  inputs, N paired replications from base seed --seed) that `wargame sweep` runs
  (wargame.sweep.cli.run_spec): the same seed range, --out rules, run cap (--max-runs),
  progress bar, --resume and result folder as any sweep, for `wargame plot`, `export`,
  `compare` and `wargame.load_sweep` (docs/SWEEPS.md, docs/REFORM.md §3.7).

Registered through wargame.cli.COMMAND_MODULES. Mesa and pandas are imported inside the
handler so that `wargame --help` stays fast. Bad input is one line and exit 2.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from wargame.arguments import folder as folder_argument
from wargame.arguments import positive
from wargame.arguments import seed as seed_argument
from wargame.errors import WargameError

#: The sweep's name: in its manifest, its captions and its default folder runs/reform-batch-*.
SWEEP_NAME = "reform-batch"


def _grid(items: list[str]) -> dict[str, list[Any]]:
    """Parse repeated --grid NAME=V1,V2,... into {name: [checked values]}."""
    from wargame.reform.inputs import REFORM_INPUTS, unknown_reform_input

    grid: dict[str, list[Any]] = {}
    for item in items:
        name, sep, text = item.partition("=")
        name = name.strip()
        if not sep or not name or not text.strip():
            raise WargameError(f"--grid: {item!r} is not of the form name=v1,v2,...")
        if name not in REFORM_INPUTS:
            raise unknown_reform_input(name, "--grid")
        if name in grid:
            raise WargameError(f"--grid: {name} is given twice")
        values = [REFORM_INPUTS[name].parse(v, "--grid") for v in text.split(",")]
        repeated = sorted({v for v in values if values.count(v) > 1})
        if repeated:
            raise WargameError(f"--grid {item}: the level {repeated[0]:g} appears twice; "
                               "each level once (--runs sets the replications)")
        grid[name] = values
    return grid


def _list_inputs() -> int:
    from wargame.reform.inputs import REFORM_INPUTS, default_text, range_text

    width = max(len(n) for n in REFORM_INPUTS)
    for i in REFORM_INPUTS.values():
        print(f"{i.name:<{width}}  {i.role:<11}  {default_text(i):>7}  "
              f"{range_text(i)}".ljust(width + 40) + f" {i.unit:<14} {i.label}")
    print("reasons and sources: docs/REFORM.md, section 4")
    return 0


def _reform(args: argparse.Namespace) -> int:
    if args.list_inputs:
        return _list_inputs()
    from wargame.folders import check_out_dir, default_out_dir
    from wargame.reform.inputs import parse_reform_assignments
    from wargame.single_run import new_seed

    fixed = parse_reform_assignments(args.set or [])
    grid = _grid(args.grid or [])
    if args.runs is not None and args.runs < 1:
        raise WargameError(f"--runs {args.runs} is not allowed; expected a whole number >= 1")
    clash = sorted(set(fixed) & set(grid))
    if clash:
        raise WargameError(f"{', '.join(clash)} both --set and --grid; choose one")
    if args.runs is not None or grid:
        return _sweep(args, fixed, grid)
    for option in ("resume", "plots"):
        if getattr(args, option):
            raise WargameError(f"--{option} is for many negotiations: add --runs N")
    out_dir = Path(args.out) if args.out else default_out_dir("reform")
    check_out_dir(out_dir)
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        raise WargameError(f"--out {out_dir}: already exists and is not empty; choose another")
    seed = args.seed if args.seed is not None else new_seed()
    _single(fixed, seed, out_dir)
    if args.seed is None:
        print(f"repeat with --seed {seed}")
    return 0


def _single(fixed: dict[str, Any], seed: int, out_dir: Path) -> None:
    from wargame import __version__
    from wargame.reform.model import ReformModel
    from wargame.reform.result import outputs, rounds_frame
    from wargame.reform_report import describe

    model = ReformModel(rng=seed, **fixed).run()
    summary = {
        "model": "reform",
        "wargame_version": __version__,
        "seed": seed,
        "inputs": model.inputs.as_dict(),
        "outputs": outputs(model),
        "events": [{"round": e.round, "iso3": e.iso3, "text": e.text} for e in model.log],
    }
    rounds = rounds_frame(model)
    try:
        _write_single(out_dir, summary, rounds)
    except OSError as exc:
        raise WargameError(f"--out {out_dir}: cannot write the result folder "
                           f"({exc.strerror or exc}); nothing was written") from None
    print(describe(summary))
    print(f"wrote {out_dir}/ (summary.json, rounds.parquet)")


def _write_single(out_dir: Path, summary: dict[str, Any], rounds: Any) -> None:
    """summary.json and rounds.parquet, written into a hidden staging sibling that is renamed
    into place, as `wargame run` does: a crash never leaves a folder that looks complete."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    umask = os.umask(0)
    os.umask(umask)
    try:
        staging.chmod(0o777 & ~umask)  # mkdtemp's 0700 would hide results from colleagues
        (staging / "summary.json").write_text(
            json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        rounds.to_parquet(staging / "rounds.parquet", index=False)
        if out_dir.exists():  # an empty folder the user named: replace it
            out_dir.rmdir()
        os.replace(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def sweep_config(fixed: dict[str, Any], grid: dict[str, list[Any]], runs: int,
                 seed: int) -> dict[str, Any]:
    """The sweep file `wargame reform --runs RUNS --seed SEED --grid ... --set ...` stands
    for, as the dict a sweep file holds: every package gets the same seeds (paired)."""
    return {
        "description": "wargame reform --runs: the negotiation over a grid of packages",
        "model": "negotiation",
        "replications": runs,
        "base_seed": seed,
        "paired_seeds": True,
        "parameters": fixed,
        "design": {"kind": "grid", "levels": grid},
    }


def _sweep(args: argparse.Namespace, fixed: dict[str, Any],
           grid: dict[str, list[Any]]) -> int:
    from wargame.single_run import new_seed
    from wargame.sweep.cli import run_spec, stoppable
    from wargame.sweep.spec import parse_sweep

    if args.resume and (not args.out or args.seed is None):
        raise WargameError("--resume needs --out DIR and the --seed of the negotiations to "
                           "complete (the manifest's base_seed), with their --runs, --grid "
                           "and --set")
    seed = args.seed if args.seed is not None else new_seed()
    spec = parse_sweep(sweep_config(fixed, grid, args.runs or 1, seed), SWEEP_NAME,
                       "wargame reform")

    def run(args: argparse.Namespace) -> int:
        status = run_spec(spec, args, "wargame reform")
        if status == 0:
            _report(args.folder, list(grid))
            if args.seed is None:
                print(f"repeat with --seed {seed}")
        return status

    return stoppable(run, args)


def _report(folder: Path, swept: list[str]) -> None:
    from wargame.api import load_sweep
    from wargame.reform_report import describe_batch

    print(describe_batch(load_sweep(folder).runs, swept))
    print(f"figures: wargame plot all {folder}; tables: wargame export {folder}")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `reform` subcommand."""
    from wargame.sweep.cli import MAX_RUNS

    reform = subparsers.add_parser(
        "reform",
        help="negotiate NATO under EU leadership (Art. 12): one run, or many with --runs",
        description="Run the Art. 12 reform negotiation: the 32 allies decide month by month "
        "on the EU's package; unanimity adopts it. One run writes summary.json and "
        "rounds.parquet (one row per round and ally); --runs N (with optional --grid) runs "
        "a negotiation sweep (model = \"negotiation\", docs/SWEEPS.md) into a result folder "
        "for `wargame plot reform-*`, `export`, `compare` and `wargame.load_sweep`.",
    )
    reform.add_argument("--seed", type=seed_argument,
                        help="random seed; with --runs, the base seed of the sweep (each "
                        "package's replication r has the same run seed)")
    reform.add_argument("--set", action="append", metavar="NAME=VALUE",
                        help="set a reform input, e.g. --set inclusiveness=0.8 (repeatable; "
                        "see --list-inputs)")
    reform.add_argument("--runs", type=int,
                        help="replications per package: a negotiation sweep (default: one "
                        "negotiation; 1 with --grid)")
    reform.add_argument("--grid", action="append", metavar="NAME=V1,V2,...",
                        help="vary an input over these values, all combinations (repeatable)")
    reform.add_argument("--out", type=folder_argument,
                        help="result folder (default: runs/reform-<timestamp>/, with --runs "
                        f"runs/{SWEEP_NAME}-<timestamp>/)")
    reform.add_argument("--resume", action="store_true",
                        help="complete the negotiation sweep in --out (same --seed, --runs, "
                        "--grid and --set)")
    reform.add_argument("--workers", type=positive,
                        help="with --runs: worker processes (default: all cores)")
    reform.add_argument("--max-runs", type=positive, default=MAX_RUNS, metavar="N",
                        help=f"with --runs: refuse more than N negotiations (default "
                        f"{MAX_RUNS:,})")
    reform.add_argument("--quiet", action="store_true", help="no progress bar")
    reform.add_argument("--plots", action="store_true",
                        help="with --runs: draw the reform figures when done")
    reform.add_argument("--list-inputs", action="store_true",
                        help="list the reform inputs (levers, uncertainties, settings) and exit")
    # What `wargame sweep` also reads from its options (wargame.sweep.cli.run_spec).
    reform.set_defaults(handler=_reform, scheduler=None, chunk_size=None, flush_seconds=5.0,
                        dry_run=False)

