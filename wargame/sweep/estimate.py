"""How long a sweep will take on this machine, from a short pilot that writes nothing.

`wargame sweep FILE --dry-run` runs a few of the sweep's own runs in this process, spread
evenly over its design (so that short and long runs are both sampled: a deterred Baltic run
ends in days, a stalemate runs the whole window), and scales their mean time by the runs
left and the workers. The pilot uses the sweep's worker code (`run_chunk`), so it pays the
same per-run cost of building outputs and Arrow rows, but not the start of a pool or the
writes (the printed line says so); its chunks are smaller than a sweep's, so it errs on
the long side: 13 s projected for the 12,000-run headline sweep, which took 11.5 s with
start-up and writes on a quiet 2-core machine (2 December 2026).

A worker builds each design point's setup once and reuses it for the point's other
replications (`wargame.crisis_setup`), and the pilot's runs are nearly all of different
points. So each pilot run is timed twice: once building its point's setup, once reusing
it (the same run again), and the two are weighted by the share of a sweep's runs that
build a setup (`setup_share`). Timing only first runs overestimated the 12,000-run
headline sweep twofold.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from wargame.sweep.design import run_seed
from wargame.sweep.spec import SweepSpec
from wargame.sweep.worker import Task, run_chunk

#: A pilot stops after this many seconds or runs, whichever comes first.
PILOT_SECONDS = 2.0
PILOT_RUNS = 60
#: Pilot runs timed together: a worker's chunk pays its Arrow tables once for all its runs,
#: so runs timed one by one would each carry it (measured 2 December: 1.2 ms a chunk, more
#: than half of a Baltic run).
PILOT_CHUNK = 10
#: Share of ideal parallel speed a process pool reaches here (docs/benchmarks.md: 0.81-0.94
#: in the passes measured; the later, faster model spends relatively more in the parent).
PARALLEL_EFFICIENCY = 0.85


@dataclass(frozen=True)
class Estimate:
    """A pilot's result: runs timed, their mean seconds, and the projected wall time."""

    pilot_runs: int
    seconds_per_run: float
    runs: int
    workers: int

    @property
    def wall_seconds(self) -> float:
        lanes = 1.0 if self.workers == 1 else self.workers * PARALLEL_EFFICIENCY
        return self.seconds_per_run * self.runs / lanes


def pilot_tasks(points: list[dict[str, Any]], spec: SweepSpec, count: int) -> list[Task]:
    """`count` runs spread evenly over the design (every point equally likely to be hit)."""
    total = len(points) * spec.replications
    tasks = []
    for run_id in np.unique(np.linspace(0, total - 1, num=min(count, total)).round().astype(int)):
        point_id, replication = divmod(int(run_id), spec.replications)
        seed = run_seed(spec.base_seed, point_id, replication)
        tasks.append((int(run_id), point_id, replication, seed,
                      spec.run_parameters(points[point_id], replication)))
    return tasks


def setup_share(points: int, runs: int, workers: int) -> float:
    """Share of a sweep's runs that build their point's setup: each worker builds each point
    it meets once (at most, with its cache), and a run of a point seen before reuses it."""
    return min(1.0, points * workers / runs) if runs else 1.0


def _seconds(tasks: list[Task], keep_series: bool, model: str) -> float:
    start = time.perf_counter()
    run_chunk(tasks, keep_series, model)
    return time.perf_counter() - start


def estimate(points: list[dict[str, Any]], spec: SweepSpec, runs: int, workers: int) -> Estimate:
    """Time a pilot of the sweep's runs and project the wall time of `runs` on `workers`."""
    # Over the posterior, every run has its own parameter set, so its own setup.
    share = 1.0 if spec.posterior_draws else setup_share(len(points), runs, workers)
    timed = 0
    spent = 0.0
    started = time.perf_counter()
    tasks = pilot_tasks(points, spec, PILOT_RUNS)
    # untimed: first-use costs a sweep's workers pay once
    run_chunk(tasks[:1], spec.keep_series, spec.model)
    for start in range(0, len(tasks), PILOT_CHUNK):
        chunk = tasks[start:start + PILOT_CHUNK]
        building = _seconds(chunk, spec.keep_series, spec.model)
        # the same runs, their setups now cached
        reusing = _seconds(chunk, spec.keep_series, spec.model)
        spent += reusing + max(0.0, building - reusing) * share
        timed += len(chunk)
        if time.perf_counter() - started > PILOT_SECONDS:
            break
    return Estimate(timed, spent / timed, runs, workers)


def duration(seconds: float) -> str:
    """'about 40 s', 'about 12 min', 'about 3.2 h': the precision an estimate deserves."""
    if seconds < 90:
        return f"about {max(1, round(seconds))} s"
    if seconds < 90 * 60:
        return f"about {round(seconds / 60)} min"
    return f"about {seconds / 3600:.1f} h"
