"""`wargame reform`: one negotiation (summary.json, rounds.parquet) or many (runs.parquet).

Registered through wargame.cli.COMMAND_MODULES. Mesa and pandas are imported inside the
handler so that `wargame --help` stays fast. Bad input is one line and exit 2.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from wargame.errors import WargameError

MAX_RUNS = 100_000


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
        grid[name] = [REFORM_INPUTS[name].parse(v, "--grid") for v in text.split(",")]
    return grid


def _list_inputs() -> int:
    from wargame.reform.inputs import REFORM_INPUTS

    width = max(len(n) for n in REFORM_INPUTS)
    for i in REFORM_INPUTS.values():
        print(f"{i.name:<{width}}  {i.role:<11}  {i.default:>7g}  "
              f"[{i.low:g}, {i.high:g}]".ljust(width + 40) + f" {i.unit:<14} {i.label}")
    print("reasons and sources: docs/REFORM.md, section 4")
    return 0


def _reform(args: argparse.Namespace) -> int:
    if args.list_inputs:
        return _list_inputs()
    from wargame.folders import default_out_dir
    from wargame.reform.files import check_out_dir
    from wargame.reform.inputs import parse_reform_assignments
    from wargame.single_run import new_seed

    fixed = parse_reform_assignments(args.set or [])
    grid = _grid(args.grid or [])
    if not 1 <= args.runs <= MAX_RUNS:
        raise WargameError(f"--runs {args.runs} is not allowed; expected 1 to {MAX_RUNS:,}")
    if args.seed is not None and args.seed < 0:
        raise WargameError(f"--seed {args.seed} is not allowed; expected a non-negative integer")
    clash = sorted(set(fixed) & set(grid))
    if clash:
        raise WargameError(f"{', '.join(clash)} both --set and --grid; choose one")
    batch = args.runs > 1 or bool(grid)
    out_dir = Path(args.out) if args.out else default_out_dir(
        "reform-batch" if batch else "reform")
    check_out_dir(out_dir)
    seed = args.seed if args.seed is not None else new_seed()
    if batch:
        _batch(fixed, grid, args.runs, seed, out_dir)
    else:
        _single(fixed, seed, out_dir)
    if args.seed is None:
        print(f"repeat with --seed {seed}")
    return 0


def _single(fixed: dict[str, Any], seed: int, out_dir: Path) -> None:
    from wargame import __version__
    from wargame.reform.files import write_single
    from wargame.reform.model import ReformModel
    from wargame.reform.report import describe
    from wargame.reform.result import outputs, rounds_frame

    model = ReformModel(rng=seed, **fixed).run()
    summary = {
        "model": "reform",
        "wargame_version": __version__,
        "seed": seed,
        "inputs": model.inputs.as_dict(),
        "outputs": outputs(model),
        "events": [{"round": e.round, "iso3": e.iso3, "text": e.text} for e in model.log],
    }
    write_single(out_dir, summary, rounds_frame(model))
    print(describe(summary))
    print(f"wrote {out_dir}/ (summary.json, rounds.parquet)")


def _batch(fixed: dict[str, Any], grid: dict[str, list[Any]], runs: int, seed: int,
           out_dir: Path) -> None:
    from wargame import __version__
    from wargame.reform.batch import run_batch
    from wargame.reform.files import BATCH_KIND, write_batch
    from wargame.reform.inputs import REFORM_DEFAULTS
    from wargame.reform.report import describe_batch

    frame = run_batch(grid, runs, seed, fixed)
    manifest = {
        "kind": BATCH_KIND,
        "wargame_version": __version__,
        "base_seed": seed,
        "runs_per_point": runs,
        "swept": list(grid),
        "grid": grid,
        "inputs": {**REFORM_DEFAULTS, **fixed},
        "n_runs": len(frame),
        "seeds": "base_seed + replication at every point (common random numbers)",
    }
    write_batch(out_dir, manifest, frame)
    print(describe_batch(frame, list(grid)))
    print(f"wrote {out_dir}/ (manifest.json, runs.parquet); "
          f"figures: wargame plot reform-adoption {out_dir}")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `reform` subcommand."""
    reform = subparsers.add_parser(
        "reform",
        help="negotiate NATO under EU leadership (Art. 12): one run, or many with --runs",
        description="Run the Art. 12 reform negotiation: the 32 allies decide month by month "
        "on the EU's package; unanimity adopts it. One run writes summary.json and "
        "rounds.parquet (one row per round and ally); --runs N (with optional --grid) writes "
        "manifest.json and runs.parquet (one row per run) for `wargame plot reform-*`.",
    )
    reform.add_argument("--seed", type=int,
                        help="random seed; with --runs, the first of the seeds every point uses")
    reform.add_argument("--set", action="append", metavar="NAME=VALUE",
                        help="set a reform input, e.g. --set inclusiveness=0.8 (repeatable; "
                        "see --list-inputs)")
    reform.add_argument("--runs", type=int, default=1,
                        help="replications per package (default 1: a single run)")
    reform.add_argument("--grid", action="append", metavar="NAME=V1,V2,...",
                        help="vary an input over these values, all combinations (repeatable)")
    reform.add_argument("--out", help="result folder (default: runs/reform-<timestamp>/)")
    reform.add_argument("--list-inputs", action="store_true",
                        help="list the reform inputs (levers, uncertainties, settings) and exit")
    reform.set_defaults(handler=_reform)
