"""The Python way to run a sweep: a dict shaped like a sweep file in, a result folder out.

What `wargame sweep FILE --out DIR` does, for scripts and notebooks (the analysis
scripts in `analysis/` use it): the same validation, design points, seeds, runner and
folder layout, so a folder made here reads exactly like one made on the command line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from wargame.model_kinds import model_kind
from wargame.rules import MAX_RUNS, check_out_folder, check_run_count
from wargame.sweep.design import design_points
from wargame.sweep.execute import SweepResult, run_sweep
from wargame.sweep.spec import load_sweep, parse_sweep


def sweep(config: dict[str, Any] | str | Path, out: str | Path, *, name: str = "sweep",
          workers: int = 1, resume: bool = False, progress: bool = False,
          max_runs: int = MAX_RUNS) -> SweepResult:
    """Run a sweep into the folder `out` and return its result (status, counts, timing).

    `config` is a dict with the keys of a sweep file (docs/SWEEPS.md) or a sweep file's
    path or name. Bad input raises `WargameError` with one line; dead levers are printed
    as the command line prints them. `workers=1` runs in this process (no start-up cost,
    best for small sweeps). The rules of the command line hold (`wargame.rules`): a design
    above `max_runs` runs and an `out` that is empty, a file or (unless resumed) a folder
    with content are refused before anything is drawn or written.
    """
    if isinstance(config, dict):
        spec = parse_sweep(config, name, f"sweep {name!r}")
    else:
        spec = load_sweep(str(config))
    check_run_count(spec.run_count, max_runs,
                    f"sweep {spec.name!r}: {spec.point_count:,} points x {spec.replications:,} "
                    "replications", "max_runs=N")
    folder = check_out_folder(out, "out", resume)
    inert = model_kind(spec.model).inert_inputs(spec.base, spec.levels or spec.ranges)
    for input_name, reason in inert.items():
        print(f"note: swept input {input_name} cannot change anything in this sweep: {reason}")
    return run_sweep(spec, design_points(spec), folder, workers=workers, resume=resume,
                     progress=progress)
