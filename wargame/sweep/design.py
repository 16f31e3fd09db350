"""Design points and per-run seeds: what each run of a sweep is, decided before any run.

The points depend only on the spec (the samplers are seeded with `base_seed`), and each
run's seed only on (base seed, point, replication) through `numpy.random.SeedSequence`, so
a sweep gives the same rows whatever the worker count, order, backend or resumption.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from wargame.input_record import Input
from wargame.model_kinds import model_kind
from wargame.sweep.spec import SweepSpec


def salib_problem(spec: SweepSpec) -> dict[str, Any]:
    """The SALib problem dict of a sampled design (names, bounds, num_vars)."""
    return {
        "num_vars": len(spec.ranges),
        "names": list(spec.ranges),
        "bounds": [list(bounds) for bounds in spec.ranges.values()],
    }


def morris_sample(problem: dict[str, Any], trajectories: int, levels: int,
                  seed: int) -> np.ndarray:
    """The Morris design matrix, scaled to the ranges, before integers are rounded.

    One call for the sweep and for the screening figure, which needs the unrounded
    matrix to tell SALib's analyzer which input each step moved.
    """
    from SALib.sample import morris

    return morris.sample(problem, trajectories, num_levels=levels, seed=seed)


def _unit_samples(spec: SweepSpec) -> np.ndarray:
    """Samples scaled to the ranges: Latin hypercube, Saltelli (sobol) or Morris."""
    if spec.design == "morris":
        return morris_sample(salib_problem(spec), spec.samples, spec.morris_levels,
                             spec.base_seed)
    if spec.design == "lhs":
        from scipy.stats import qmc

        sampler = qmc.LatinHypercube(d=len(spec.ranges), seed=spec.base_seed)
        lows, highs = zip(*spec.ranges.values(), strict=True)
        return qmc.scale(sampler.random(spec.samples), lows, highs)
    from SALib.sample import sobol

    return sobol.sample(
        salib_problem(spec), spec.samples, calc_second_order=spec.second_order,
        seed=spec.base_seed,
    )


def _typed(item: Input, value: Any) -> Any:
    """A sampled float as the input's type (integers are rounded), kept inside its range.

    Samplers scale the unit interval by floating-point arithmetic, so a point at the top
    of a range can come out one unit in the last place above it (0.005000000000000001);
    clipping to the input's own bounds keeps every design point a value the model accepts.
    """
    number = min(float(item.high), max(float(item.low), float(value)))
    if item.kind is int:
        return int(round(number))
    return number


def design_points(spec: SweepSpec) -> list[dict[str, Any]]:
    """Every design point as the full parameter dict of its runs, in point_id order."""
    if spec.design == "grid":
        names = list(spec.levels)
        combos = itertools.product(*spec.levels.values())
        return [{**spec.base, **dict(zip(names, combo, strict=True))} for combo in combos]
    items = [model_kind(spec.model).inputs[name] for name in spec.ranges]
    return [
        {**spec.base, **{i.name: _typed(i, v) for i, v in zip(items, row, strict=True)}}
        for row in _unit_samples(spec)
    ]


def run_seed(base_seed: int, point_id: int, replication: int) -> int:
    """The seed of one run: independent streams for every (point, replication) pair."""
    sequence = np.random.SeedSequence(base_seed, spawn_key=(point_id, replication))
    return int(sequence.generate_state(1, np.uint64)[0] >> np.uint64(1))  # fits int64
