"""ABC-SMC over the declared parameters, with pyabc (Klinger, Rickert & Hasenauer 2018).

Why ABC: the model has no likelihood to write down, only runs whose statistics should fall
in sourced bands. ABC-SMC keeps a population of parameter sets; each generation proposes
new sets near the last accepted ones, runs the fitted targets' experiments and accepts a
set when its distance (`wargame.calibration.targets.distance`: 0 inside every band) is at
most the generation's threshold, the median distance of the last population. The first
generation accepts every prior draw (threshold infinite: the prior's own sample); the run
stops when the threshold reaches 0 (the accepted sets put every fitted statistic in its
band), after the last generation allowed, or when fewer than `MIN_ACCEPTANCE` of the
proposals are accepted (that generation is dropped: the previous one is the posterior).

Parallel: pyabc's multicore evaluation sampler forks `workers` processes per generation.
Reproducible: the model's seeds derive from --seed and the parameter set
(`wargame.calibration.simulate`); pyabc's proposals come from NumPy's global generator,
seeded for each generation from --seed and the generation's number, so a run on one worker
repeats exactly, and so does one stopped and extended (`wargame.calibration.extend`),
while several workers interleave their proposals in the order they finish (the posterior
then differs between runs by Monte Carlo error only).
"""

from __future__ import annotations

import logging
import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from wargame.calibration.simulate import measure
from wargame.calibration.targets import CalibrationSpec, Target, distance
from wargame.parameter_sets import DISTANCE, GENERATION, WEIGHT
from wargame.sweep.worker import init_worker

#: A generation accepting fewer of its proposals than this stops the run (and is dropped).
MIN_ACCEPTANCE = 0.02


@dataclass(frozen=True)
class Settings:
    """How hard the calibration works: population, generations, seeds, workers, draws."""

    population: int
    generations: int
    seed: int
    workers: int
    #: Runs per experiment, as a multiple of the seeds each target declares.
    scale: float = 1.0
    #: Posterior draws for the posterior predictive fit.
    draws: int = 200
    #: Batches of runs at the best point (each as many seeds as the experiment declares).
    batches: int = 20


@dataclass(frozen=True)
class Generation:
    """One generation of ABC-SMC, as its progress line and the report show it."""

    t: int
    epsilon: float
    accepted: int
    evaluations: int
    seconds: float
    in_bands: float  # weighted share of the accepted sets with distance 0


class FittedTargets:
    """pyabc's model: a parameter set (in ABC's space) -> the fitted targets' statistics."""

    def __init__(self, spec: CalibrationSpec, settings: Settings) -> None:
        self.spec = spec
        self.settings = settings
        self.parent_pid = os.getpid()
        self._worker_ready = False

    def model_values(self, abc_values: dict[str, float]) -> dict[str, Any]:
        return {p.name: p.to_model(float(abc_values[p.name])) for p in self.spec.parameters}

    def __call__(self, parameter: dict[str, float]) -> dict[str, float]:
        if not self._worker_ready and os.getpid() != self.parent_pid:
            # A process pyabc forked: it dies with the calibration and leaves Ctrl-C to it.
            init_worker(self.parent_pid)
            self._worker_ready = True
        values = self.model_values(parameter)
        return measure(self.spec.fitted, values, self.settings.seed,
                       tuple(sorted(values.items())), self.settings.scale)


class BandDistance:
    """pyabc's distance: the fitted targets' band distances, summed (0 inside every band)."""

    def __init__(self, spec: CalibrationSpec) -> None:
        self.targets = spec.fitted

    def __call__(self, x: dict[str, float], x_0: dict[str, float]) -> float:
        return distance(self.targets, x)


def prior_draws(spec: CalibrationSpec, n: int, seed: int) -> list[dict[str, Any]]:
    """`n` parameter sets from the prior, as model values (for the pilot run)."""
    rng = np.random.default_rng(seed)
    return [{p.name: p.to_model(rng.uniform(*p.abc_bounds)) for p in spec.parameters}
            for _ in range(n)]


def seconds_per_set(spec: CalibrationSpec, targets: tuple[Target, ...], settings: Settings,
                    n: int = 3) -> float:
    """Time the experiments of `targets` at `n` prior draws, in this process.

    Also a pilot: a model that fails on these inputs fails here, in the main process, with
    its own message, before any worker starts.
    """
    start = time.perf_counter()
    for i, values in enumerate(prior_draws(spec, n, settings.seed)):
        measure(targets, values, settings.seed, ("pilot", i), settings.scale)
    return (time.perf_counter() - start) / n


def _sampler(workers: int) -> Any:
    from pyabc.sampler import MulticoreEvalParallelSampler, SingleCoreSampler

    if workers == 1:
        return SingleCoreSampler(check_max_eval=True)
    return MulticoreEvalParallelSampler(n_procs=workers, check_max_eval=True)


def run_abc(spec: CalibrationSpec, settings: Settings, db: Path,
            say: Callable[[str], None], *, meta: dict[str, Any] | None = None,
            extend: bool = False) -> tuple[list[Generation], pd.DataFrame]:
    """Run ABC-SMC into the SQLite history `db`; the generations and the last population.

    With `extend`, `db` already holds a run (wargame.calibration.extend): it goes on from
    its last population until `settings.generations` in all, and the generations it had
    are reported with the new ones. Otherwise a new run stores `meta` (how it was begun)
    with its history, so that it can be extended in turn.

    The population is one row per accepted parameter set: the parameters (model values),
    its normalised weight, its distance and its generation.
    """
    import pyabc

    logging.getLogger("ABC").setLevel(logging.WARNING)  # our own progress line instead
    prior = pyabc.Distribution(**{p.name: pyabc.RV("uniform", p.abc_bounds[0],
                                                   p.abc_bounds[1] - p.abc_bounds[0])
                                  for p in spec.parameters})
    model = FittedTargets(spec, settings)
    # A new run's first generation accepts every prior draw; an extended run's next
    # threshold is the median distance of its last population, as it would have been.
    first = "from_sample" if extend else math.inf
    abc = pyabc.ABCSMC(model, prior, BandDistance(spec), population_size=settings.population,
                       sampler=_sampler(settings.workers),
                       eps=pyabc.QuantileEpsilon(initial_epsilon=first, alpha=0.5))
    url = f"sqlite:///{db.resolve()}"
    if extend:
        abc.load(url, abc_id=1)
        generations = [_stored_generation(abc.history, t) for t in range(abc.history.max_t + 1)]
    else:
        observed = {t.name: (t.low + t.high) / 2 for t in spec.fitted}  # unused by distance
        abc.new(url, observed, meta_info={"targets": str(spec.path),
                                          "targets_sha256": spec.sha256, **(meta or {})})
        generations = []
    left = settings.generations - len(generations)
    try:
        if left > 0:
            _run_generations(abc, left, say, settings, generations)
    finally:
        abc.history.done()
        abc.sampler.stop()
    if not generations:
        from wargame.errors import WargameError

        raise WargameError("calibration: not one generation was accepted; nothing to report")
    return generations, _population(abc.history, model, generations[-1].t)


def _run_generations(abc: Any, left: int, say: Callable[[str], None], settings: Settings,
                     generations: list[Generation]) -> None:
    """Run up to `left` more generations, appending each accepted one to `generations`."""
    np.random.seed([settings.seed % 2**32, 0])  # the prior's draws for pyabc's set-up
    t = abc.initialize_components_before_run(
        minimum_epsilon=0.0, max_nr_populations=left, min_acceptance_rate=MIN_ACCEPTANCE,
        max_total_nr_simulations=np.inf, max_walltime=None, min_eps_diff=0.0)
    while True:
        # Each generation proposes from a stream of its own (seed, generation): a run
        # extended from generation t proposes what one run of the same seed would have.
        np.random.seed([settings.seed % 2**32, t + 1])
        start = time.perf_counter()
        result = abc.run_generation(t=t)
        if not result["successful"]:
            say(f"generation {t + 1}: fewer than {MIN_ACCEPTANCE:.0%} of the proposals "
                f"accepted; stopped, generation {t} is the posterior")
            return
        generation = _generation(abc.history, t, float(abc.eps(t)),
                                 int(abc.sampler.nr_evaluations_), time.perf_counter() - start)
        generations.append(generation)
        say(_progress(generation, settings.generations))
        with np.errstate(invalid="ignore"):  # pyabc subtracts the first two infinite
            if abc.check_terminate(t=t, acceptance_rate=result["acceptance_rate"]):
                return
        t += 1


def _generation(history: Any, t: int, epsilon: float, evaluations: int,
                seconds: float) -> Generation:
    weighted = history.get_weighted_distances(t)
    in_bands = float(weighted.loc[weighted["distance"] == 0, "w"].sum() / weighted["w"].sum())
    return Generation(t, epsilon, len(weighted), evaluations, seconds, in_bands)


def _stored_generation(history: Any, t: int) -> Generation:
    """Generation `t` of a stored run, as its history recorded it."""
    row = history.get_all_populations().set_index("t").loc[t]
    return _generation(history, t, float(row["epsilon"]), int(row["samples"]),
                       float(row["wall_time"]))


def _progress(g: Generation, most: int) -> str:
    threshold = "any distance" if math.isinf(g.epsilon) else f"distance <= {g.epsilon:.3g}"
    return (f"generation {g.t + 1}/{most}: accepted {g.accepted} of {g.evaluations} parameter "
            f"sets ({g.accepted / g.evaluations:.0%}) at {threshold}; {g.in_bands:.0%} put "
            f"every fitted target in its band; {g.seconds:.0f} s")


def _population(history: Any, model: FittedTargets, t: int) -> pd.DataFrame:
    particles = history.get_population(t).particles
    rows = [{**model.model_values(p.parameter), WEIGHT: float(p.weight),
             DISTANCE: float(p.distance), GENERATION: t} for p in particles]
    frame = pd.DataFrame(rows)
    frame[WEIGHT] /= frame[WEIGHT].sum()
    return frame
