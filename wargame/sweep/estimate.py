"""How long a sweep will take on this machine, from a short pilot that writes nothing.

`wargame sweep FILE --dry-run` runs a few of the sweep's own runs in this process, spread
evenly over its design (so that short and long runs are both sampled: a deterred Baltic run
ends in days, a stalemate runs the whole window), and scales their mean time by the runs
left and the workers. The pilot uses the sweep's worker code (`run_chunk`), so it pays the
same per-run cost of building outputs and Arrow rows, but not the start of a pool or the
writes: the estimate is a floor on a quiet machine and says so.
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
#: Share of ideal parallel speed a process pool reaches here (docs/benchmarks.md: 0.89-0.94).
PARALLEL_EFFICIENCY = 0.9


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
        tasks.append((int(run_id), point_id, replication, seed, points[point_id]))
    return tasks


def estimate(points: list[dict[str, Any]], spec: SweepSpec, runs: int, workers: int) -> Estimate:
    """Time a pilot of the sweep's runs and project the wall time of `runs` on `workers`."""
    timed = 0
    spent = 0.0
    for task in pilot_tasks(points, spec, PILOT_RUNS):
        start = time.perf_counter()
        run_chunk([task], spec.keep_series)
        spent += time.perf_counter() - start
        timed += 1
        if spent > PILOT_SECONDS:
            break
    return Estimate(timed, spent / timed, runs, workers)


def duration(seconds: float) -> str:
    """'about 40 s', 'about 12 min', 'about 3.2 h': the precision an estimate deserves."""
    if seconds < 90:
        return f"about {max(1, round(seconds))} s"
    if seconds < 90 * 60:
        return f"about {round(seconds / 60)} min"
    return f"about {seconds / 3600:.1f} h"
