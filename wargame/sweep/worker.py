"""What a worker does: run a chunk of runs and return their rows as Arrow tables.

A chunk is many runs in one task so that the per-task cost of a process pool or a Dask
scheduler (pickling, a round trip) is paid once per chunk, not once per 2-15 ms run.
Results travel back as Arrow tables (compact to pickle) built against the store's
schemas, and a run that raises becomes a row with its error instead of stopping the chunk.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
import threading
import time
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from wargame.errors import WargameError
from wargame.inputs import DEFAULTS
from wargame.model import CrisisModel
from wargame.outputs import final_state_columns, run_outputs, step_columns
from wargame.scenario import check_inputs
from wargame.sweep.store import RUNS_SCHEMA, STATES_SCHEMA, STEPS_SCHEMA

#: One run: (run_id, point_id, replication, seed, parameters).
Task = tuple[int, int, int, int, dict[str, Any]]


@dataclass
class ChunkResult:
    """The rows of a chunk of runs, the seconds spent running models, and the failures."""

    runs: pa.Table
    states: pa.Table
    steps: pa.Table | None
    model_seconds: float
    failed: int


PR_SET_PDEATHSIG = 1
#: Runs between two garbage collections in a chunk (a model is cyclic garbage once done).
COLLECT_EVERY = 10  # linux/prctl.h


def init_worker(parent_pid: int | None) -> None:
    """Start of a pool worker: die with the sweep, leave Ctrl-C to it, keep the GC cheap.

    On Linux the kernel kills the worker when its parent dies (prctl PR_SET_PDEATHSIG),
    so a sweep killed with SIGKILL or SIGTERM leaves no worker behind; elsewhere a daemon
    thread polls the parent pid. `parent_pid` is the sweep's pid when it started the worker
    itself (fork, spawn), None when a forkserver did (its server dies with the sweep).
    Ctrl-C reaches the whole process group: the worker
    ignores it and the sweep, which handles it, stops the pool.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the sweep's handler, inherited by fork
    armed = False
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            armed = libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
        except (OSError, AttributeError):
            armed = False
    if parent_pid is None:
        parent_pid = os.getppid()
    if os.getppid() != parent_pid:  # the parent died before the death signal was armed
        os._exit(1)
    if not armed:
        def watch() -> None:
            while os.getppid() == parent_pid:
                time.sleep(0.5)
            os._exit(1)

        threading.Thread(target=watch, daemon=True, name="parent-watch").start()
    gc.freeze()  # what the worker inherited is never garbage: do not scan it again


def _append(columns: dict[str, list], run_id: int, values: dict[str, list]) -> None:
    """Add one run's column values (and its run id) to the chunk's columns."""
    count = len(next(iter(values.values())))
    columns["run_id"].extend([run_id] * count)
    for name, column in columns.items():
        if name != "run_id":
            column.extend(values[name])


def run_chunk(tasks: list[Task], keep_series: bool) -> ChunkResult:
    """Run every task of the chunk; failures are recorded with their error and seed."""
    runs: list[dict[str, Any]] = []
    states: dict[str, list] = {name: [] for name in STATES_SCHEMA.names}
    steps: dict[str, list] = {name: [] for name in STEPS_SCHEMA.names}
    failed = 0
    model_seconds = 0.0
    collecting = gc.isenabled()
    gc.disable()  # models are cyclic garbage: collected every few runs (_run_tasks) instead
    try:
        failed, model_seconds = _run_tasks(tasks, keep_series, runs, states, steps)
    finally:
        if collecting:
            gc.enable()
        gc.collect(1)
    return ChunkResult(
        runs=pa.Table.from_pylist(runs, schema=RUNS_SCHEMA),
        states=pa.Table.from_pydict(states, schema=STATES_SCHEMA),
        steps=pa.Table.from_pydict(steps, schema=STEPS_SCHEMA) if keep_series else None,
        model_seconds=model_seconds,
        failed=failed,
    )


def _same(a: Any, b: Any) -> bool:
    """The same value of the same type (0.0 and -0.0 differ), as the model would hold it."""
    return type(a) is type(b) and (a == b if not isinstance(a, float) else repr(a) == repr(b))


def model_inputs(parameters: dict[str, Any]) -> dict[str, Any]:
    """The inputs of a design point that differ from the defaults, checked.

    A point names every input (77); the replications of a point (most of a chunk) share
    it, so the point is checked once here and the model gets only what differs from
    `DEFAULTS`: it builds exactly the same inputs from them, and finds its set-up in the
    per-process cache (wargame.crisis_setup) by a key of those few inputs. A point that
    fails the check is passed whole, so that every one of its runs fails with the
    model's own message, as before.
    """
    try:
        checked = check_inputs(parameters, "CrisisModel")
    except WargameError:
        return parameters
    return {key: value for key, value in checked.items() if not _same(value, DEFAULTS[key])}


def _run_tasks(tasks: list[Task], keep_series: bool, runs: list[dict[str, Any]],
               states: dict[str, list], steps: dict[str, list]) -> tuple[int, float]:
    failed = 0
    model_seconds = 0.0
    inputs: dict[int, dict[str, Any]] = {}  # model_inputs() per point (its dict's id)
    for count, (run_id, point_id, replication, seed, parameters) in enumerate(tasks, 1):
        if count % COLLECT_EVERY == 0:
            gc.collect(1)
        row = {"run_id": run_id, "point_id": point_id, "replication": replication, "seed": seed,
               **parameters}
        start = time.perf_counter()
        try:
            point = inputs.get(id(parameters))
            if point is None:
                point = inputs[id(parameters)] = model_inputs(parameters)
            model = CrisisModel(**point, rng=seed, collect_series=keep_series,
                                keep_log=False).run()  # a sweep stores no event log
            outputs = run_outputs(model)
        except Exception as exc:  # a failing run is data, not the end of the sweep
            model_seconds += time.perf_counter() - start
            failed += 1
            runs.append({**row, "error": f"{type(exc).__name__}: {exc}"})
            continue
        model_seconds += time.perf_counter() - start
        runs.append({**row, **outputs, "error": None})
        _append(states, run_id, final_state_columns(model))
        if keep_series:
            _append(steps, run_id, step_columns(model))
    return failed, model_seconds
