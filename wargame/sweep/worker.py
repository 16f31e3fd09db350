"""What a worker does: run a chunk of runs and return their rows as Arrow tables.

A chunk is many runs in one task so that the per-task cost of a process pool or a Dask
scheduler (pickling, a round trip) is paid once per chunk, not once per 2-15 ms run.
Each run is one replication of the sweep's model kind (`wargame.model_kinds`: the crisis
or the negotiation), run by the kind's own module. Results travel back as Arrow tables
(compact to pickle) built against the kind's schemas, and a run that raises becomes a row
with its error instead of stopping the chunk.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
import threading
import time
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import pyarrow as pa

from wargame.model_kinds import model_kind
from wargame.sweep.schemas import schemas

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
    Ctrl-C and `kill -TERM -PGID` reach the whole process group: the worker ignores both
    (killed while it wrote its result, it would leave half a message) and the sweep, which
    handles them, ends its workers itself (`wargame.sweep.pool`).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
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


def run_chunk(tasks: list[Task], keep_series: bool, model: str = "crisis") -> ChunkResult:
    """Run every task of the chunk as replications of model kind `model`; failures are
    recorded with their error and seed."""
    schema = schemas(model)
    runs: list[dict[str, Any]] = []
    states: dict[str, list] = {name: [] for name in schema["states"].names}
    steps: dict[str, list] = {name: [] for name in schema["steps"].names}
    failed = 0
    model_seconds = 0.0
    collecting = gc.isenabled()
    gc.disable()  # models are cyclic garbage: collected every few runs (_run_tasks) instead
    try:
        failed, model_seconds = _run_tasks(tasks, keep_series, model_kind(model).runner(),
                                           runs, states, steps)
    finally:
        if collecting:
            gc.enable()
        gc.collect(1)
    return ChunkResult(
        runs=pa.Table.from_pylist(runs, schema=schema["runs"]),
        states=pa.Table.from_pydict(states, schema=schema["states"]),
        steps=pa.Table.from_pydict(steps, schema=schema["steps"]) if keep_series else None,
        model_seconds=model_seconds,
        failed=failed,
    )


def _run_tasks(tasks: list[Task], keep_series: bool, kind: ModuleType,
               runs: list[dict[str, Any]], states: dict[str, list],
               steps: dict[str, list]) -> tuple[int, float]:
    failed = 0
    model_seconds = 0.0
    inputs: dict[int, dict[str, Any]] = {}  # kind.prepare() per point (its dict's id)
    for count, (run_id, point_id, replication, seed, parameters) in enumerate(tasks, 1):
        if count % COLLECT_EVERY == 0:
            gc.collect(1)
        row = {"run_id": run_id, "point_id": point_id, "replication": replication, "seed": seed,
               **parameters}
        start = time.perf_counter()
        try:
            point = inputs.get(id(parameters))
            if point is None:
                point = inputs[id(parameters)] = kind.prepare(parameters)
            result = kind.replicate(point, seed, keep_series)
        except Exception as exc:  # a failing run is data, not the end of the sweep
            model_seconds += time.perf_counter() - start
            failed += 1
            runs.append({**row, "error": f"{type(exc).__name__}: {exc}"})
            continue
        model_seconds += time.perf_counter() - start
        runs.append({**row, **result.outputs, "error": None})
        _append(states, run_id, result.states)
        if keep_series:
            _append(steps, run_id, result.steps)
    return failed, model_seconds
