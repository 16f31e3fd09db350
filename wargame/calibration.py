"""Calibration of the decision rule to alliance reliability (docs/CALIBRATION.md).

The targets are the literature's rates at which allies honour commitments, read for the
status-quo Baltic case: treaty-bound states that send forces (40-75%) and that give money
and materiel or more (60-95%). Leeds, Long & Mitchell (2000, J. Conflict Resolution
44(5)) find about 75% of alliance commitments honoured; Berkemeier & Fuhrmann (2018,
Research & Politics) about 50% in wars. The two political hurdles of the costly steps
(`barrier_financial`, `barrier_forces`) are fitted on a grid by the squared distance of
the simulated shares to the middles of the bands; every other input keeps its default.
Per-state Ukraine Support Tracker figures are deliberately not used: they are the
out-of-sample check.
"""

from __future__ import annotations

import itertools
import statistics
from dataclasses import dataclass
from typing import Any

from tqdm import tqdm

from wargame.agents import Commitment
from wargame.model import CrisisModel
from wargame.scenario import load_scenario

#: Target bands: (low, high) share of treaty-bound states reaching the level.
TARGETS = {"forces": (0.40, 0.75), "money_or_more": (0.60, 0.95)}
#: The grid searched, in units of utility.
GRID = {
    "barrier_financial": (0.0, 0.25, 0.5, 0.75, 1.0, 1.5),
    "barrier_forces": (0.0, 0.5, 1.0, 1.5, 2.0, 3.0),
}
SCENARIO = "baltic"


@dataclass(frozen=True)
class Fit:
    """The simulated reliability at one grid point and its distance to the targets."""

    values: dict[str, float]
    forces: float
    money_or_more: float
    turkiye_forces: float

    @property
    def distance(self) -> float:
        """Squared distance to the middles of the two target bands."""
        middles = {name: (low + high) / 2 for name, (low, high) in TARGETS.items()}
        return ((self.forces - middles["forces"]) ** 2
                + (self.money_or_more - middles["money_or_more"]) ** 2)

    @property
    def in_bands(self) -> bool:
        low_f, high_f = TARGETS["forces"]
        low_m, high_m = TARGETS["money_or_more"]
        return low_f <= self.forces <= high_f and low_m <= self.money_or_more <= high_m


def reliability(values: dict[str, Any], seeds: range) -> Fit:
    """Mean shares of treaty-bound states reaching FORCES and FINANCIAL, over `seeds`."""
    parameters = {**load_scenario(SCENARIO).parameters, **values}
    forces, money, turkiye = [], [], []
    for seed in seeds:
        model = CrisisModel(**parameters, rng=seed, collect_series=False).run()
        bound = [s for s in model.state_list if s.bound > 0]
        forces.append(statistics.fmean(s.peak_commitment >= Commitment.FORCES for s in bound))
        money.append(statistics.fmean(s.peak_commitment >= Commitment.FINANCIAL for s in bound))
        turkiye.extend(s.peak_commitment >= Commitment.FORCES
                       for s in model.state_list if s.iso3 == "TUR")
    return Fit(dict(values), statistics.fmean(forces), statistics.fmean(money),
               statistics.fmean(turkiye))


def calibrate(seeds: range, progress: bool = True) -> list[Fit]:
    """Every grid point's fit, best first."""
    points = [dict(zip(GRID, combo, strict=True)) for combo in itertools.product(*GRID.values())]
    fits = [reliability(point, seeds)
            for point in tqdm(points, unit="point", disable=not progress, leave=False)]
    return sorted(fits, key=lambda fit: fit.distance)
