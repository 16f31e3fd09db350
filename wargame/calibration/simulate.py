"""Run the targets' experiments at one parameter set and measure each target.

Targets that share an experiment share its runs (the two reliability shares of the
Baltic case come from the same runs). The seeds of an evaluation are a pure function of
the calibration's seed and a key (the parameter set, or the index of a posterior draw):
every parameter set gets fresh seeds, as ABC needs a stochastic model's noise, yet the
same set always gives the same runs, in any process and any order. Within an evaluation,
every cell of an experiment's grid runs seeds of its own: a target pools the cells into one
statistic, and seeds shared by every cell (common random numbers) would make each crisis
count once per cell, so that one or two seeds decided a whole grid's statistic.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable
from typing import Any

import numpy as np

from wargame.calibration.statistics import Runs
from wargame.calibration.targets import Experiment, Target
from wargame.model import CrisisModel
from wargame.outputs import final_state_columns, run_outputs

#: Fewest runs per cell, whatever the scale (--quick).
MIN_SEEDS = 4


def scaled(seeds: int, scale: float) -> int:
    """The runs per cell of an experiment at `scale` (1 = as declared)."""
    return max(MIN_SEEDS, math.ceil(seeds * scale)) if scale != 1 else seeds


def seeds_for(base_seed: int, key: Any, count: int) -> list[int]:
    """`count` model seeds drawn from (base_seed, key): reproducible, distinct per key."""
    digest = hashlib.blake2b(repr(key).encode(), digest_size=8).digest()
    sequence = np.random.SeedSequence([base_seed, int.from_bytes(digest, "little")])
    return [int(s) >> 1 for s in sequence.generate_state(count, dtype=np.uint64)]


def _state_columns(model: CrisisModel) -> dict[str, list]:
    """Per-state results of a run, with each helper's peak commitment and treaty bond.

    Model v3 reports both among its per-state outputs; v2 keeps them on its agents only.
    """
    columns = final_state_columns(model)
    if "peak_commitment" not in columns:
        columns["peak_commitment"] = [s.peak_commitment.name for s in model.state_list]
    if "bound" not in columns:
        columns["bound"] = [s.bound for s in model.state_list]
    return columns


def run_experiment(experiment: Experiment, values: dict[str, Any], base_seed: int, key: Any,
                   count: int, needs_states: bool) -> Runs:
    """Every cell of `experiment` at the calibrated `values`, `count` runs a cell, each cell
    on its own seeds drawn from (base_seed, key, the cell's index)."""
    runs = Runs()
    for index, cell in enumerate(experiment.cells):
        inputs = {**dict(cell), **values}
        for seed in seeds_for(base_seed, (key, index), count):
            model = CrisisModel(**inputs, rng=seed, collect_series=False, keep_log=False).run()
            runs.outputs.append(run_outputs(model))
            if needs_states:
                runs.states.append(_state_columns(model))
    return runs


def simulate(targets: Iterable[Target], values: dict[str, Any], base_seed: int, key: Any,
             scale: float = 1.0) -> dict[Experiment, Runs]:
    """The runs of every experiment of `targets` at `values`, each experiment run once."""
    by_experiment: dict[Experiment, bool] = {}
    for target in targets:
        needs = by_experiment.get(target.experiment, False)
        by_experiment[target.experiment] = needs or target.measure.needs_states
    return {experiment: run_experiment(experiment, values, base_seed, key,
                                       scaled(experiment.seeds, scale), needs_states)
            for experiment, needs_states in by_experiment.items()}


def measure(targets: Iterable[Target], values: dict[str, Any], base_seed: int, key: Any,
            scale: float = 1.0) -> dict[str, float]:
    """Each target's statistic at `values`: {target name: value}."""
    targets = tuple(targets)
    runs = simulate(targets, values, base_seed, key, scale)
    return {t.name: t.measure.compute(runs[t.experiment]) for t in targets}
