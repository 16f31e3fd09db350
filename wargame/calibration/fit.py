"""How well the calibrated model meets every target, fitted and held back.

Two views, both over fresh seeds that the fit never saw:

- the posterior predictive: each of `draws` posterior draws runs every target's experiment
  with its declared seeds; the 95% interval over the draws holds both the parameters'
  uncertainty and the runs' noise, and the share of draws inside a band says how robustly
  the posterior meets it;
- the best point: `batches` batches of the declared seeds each; the interval over
  batches is the runs' noise alone.

The best point is chosen, not assumed: of the densest accepted sets
(`wargame.calibration.posterior.densest_sets`), the one whose fitted targets, rerun on
fresh seeds, lie nearest their bands. In ten dimensions a few hundred accepted sets make a
rough density, and a set accepted once may have been lucky with its seeds; the rerun makes
the calibrated point one that meets the fitted targets reliably.
"""

from __future__ import annotations

import math
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np

from wargame.calibration.simulate import measure
from wargame.calibration.smc import Settings
from wargame.calibration.targets import CalibrationSpec, Target, distance
from wargame.sweep.worker import init_worker

Task = tuple[tuple[Target, ...], dict[str, Any], int, Any, float]
#: Candidates for the best point; each is rerun in the batches the fit reports the best
#: point in (`Settings.batches`: 20, 4 with --quick), as fewer let a 20-seed target's
#: noise choose.
CANDIDATES = 12


@dataclass(frozen=True)
class TargetFit:
    """A target's statistic over the posterior draws and over batches at the best point."""

    target: Target
    draws: tuple[float, ...]
    batches: tuple[float, ...]

    @staticmethod
    def _interval(values: tuple[float, ...]) -> tuple[float, float, float]:
        """Median and 95% interval; an undefined value (no run defeated) counts as the
        highest, as it does in the distance."""
        finite = np.array([v if not math.isnan(v) else math.inf for v in values])
        return tuple(float(np.quantile(finite, q, method="inverted_cdf"))
                     for q in (0.5, 0.025, 0.975))  # type: ignore[return-value]

    @property
    def predictive(self) -> tuple[float, float, float]:
        return self._interval(self.draws)

    @property
    def share_in_band(self) -> float:
        return float(np.mean([self.target.holds(v) for v in self.draws]))

    @property
    def at_best(self) -> tuple[float, float, float]:
        return self._interval(self.batches)

    @property
    def holds_at_best(self) -> bool:
        return self.target.holds(self.at_best[0])


def _evaluate(task: Task) -> dict[str, float]:
    targets, values, seed, key, scale = task
    return measure(targets, values, seed, key, scale)


def _evaluate_all(tasks: list[Task], workers: int) -> list[dict[str, float]]:
    if workers == 1:
        return [_evaluate(task) for task in tasks]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=init_worker,
                             initargs=(os.getpid(),)) as pool:
        return list(pool.map(_evaluate, tasks, chunksize=max(1, len(tasks) // (8 * workers))))


def best_point(spec: CalibrationSpec, candidates: list[dict[str, Any]], settings: Settings,
               say: Callable[[str], None]) -> dict[str, Any]:
    """The candidate whose fitted targets, rerun in batches, lie nearest their bands (the
    mean distance over batches); on a tie, the earlier (denser) one."""
    batches = settings.batches
    say(f"best point: rerunning the {len(candidates)} densest accepted sets in "
        f"{batches} batches each")
    tasks: list[Task] = [(spec.fitted, values, settings.seed, ("candidate", i, k),
                          settings.scale)
                         for i, values in enumerate(candidates) for k in range(batches)]
    results = _evaluate_all(tasks, settings.workers)
    mean_distance = [float(np.mean([distance(spec.fitted, r) for r in
                                    results[i * batches:(i + 1) * batches]]))
                     for i in range(len(candidates))]
    return candidates[int(np.argmin(mean_distance))]


def fit(spec: CalibrationSpec, draws: list[dict[str, Any]], best: dict[str, Any],
        settings: Settings, say: Callable[[str], None]) -> list[TargetFit]:
    """Every target's fit: over `draws` of the posterior, and in batches at `best`."""
    targets = spec.targets
    tasks: list[Task] = [(targets, values, settings.seed, ("draw", i), settings.scale)
                         for i, values in enumerate(draws)]
    tasks += [(targets, best, settings.seed, ("best point", k), settings.scale)
              for k in range(settings.batches)]
    say(f"fit: every target at {len(draws)} posterior draws and in {settings.batches} "
        f"batches at the best point, on {settings.workers} worker(s)")
    results = _evaluate_all(tasks, settings.workers)
    on_draws, at_best = results[:len(draws)], results[len(draws):]
    return [TargetFit(t, tuple(r[t.name] for r in on_draws), tuple(r[t.name] for r in at_best))
            for t in targets]
