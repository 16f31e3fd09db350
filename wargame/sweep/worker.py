"""What a worker does: run a chunk of runs and return their rows as Arrow tables.

A chunk is many runs in one task so that the per-task cost of a process pool or a Dask
scheduler (pickling, a round trip) is paid once per chunk, not once per 2-15 ms run.
Results travel back as Arrow tables (compact to pickle) built against the store's
schemas, and a run that raises becomes a row with its error instead of stopping the chunk.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from wargame.model import STEP_SERIES, CrisisModel
from wargame.outputs import RUNGS, burdens_bn, run_outputs
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


def _state_rows(model: CrisisModel, run_id: int, columns: dict[str, list]) -> None:
    """Final per-state results (as wargame.outputs.final_states, without a DataFrame per run)."""
    burdens = burdens_bn(model)
    for s in model.state_list:
        columns["run_id"].append(run_id)
        columns["iso3"].append(s.iso3)
        columns["commitment"].append(s.commitment.name)
        columns["pledged_troops"].append(s.pledged_troops)
        columns["deployed_troops"].append(s.deployed_troops)
        columns["cost_bn"].append(s.cost_bn)
        columns["burden_bn"].append(burdens[s.iso3])
        columns["gdp_eur_bn"].append(s.profile.gdp_eur_bn)


def _step_rows(model: CrisisModel, run_id: int, columns: dict[str, list]) -> None:
    """Per-day series (as wargame.outputs.steps_frame, straight from the collector's lists)."""
    series = model.datacollector.model_vars
    columns["run_id"].extend([run_id] * len(series["day"]))
    for name in STEP_SERIES:
        values = series[name]
        columns[name].extend([RUNGS[c] for c in values] if name == "escalation" else values)


def run_chunk(tasks: list[Task], keep_series: bool) -> ChunkResult:
    """Run every task of the chunk; failures are recorded with their error and seed."""
    runs: list[dict[str, Any]] = []
    states: dict[str, list] = {name: [] for name in STATES_SCHEMA.names}
    steps: dict[str, list] = {name: [] for name in STEPS_SCHEMA.names}
    failed = 0
    model_seconds = 0.0
    for run_id, point_id, replication, seed, parameters in tasks:
        row = {"run_id": run_id, "point_id": point_id, "replication": replication, "seed": seed,
               **parameters}
        start = time.perf_counter()
        try:
            model = CrisisModel(**parameters, rng=seed, collect_series=keep_series).run()
            outputs = run_outputs(model)
        except Exception as exc:  # a failing run is data, not the end of the sweep
            model_seconds += time.perf_counter() - start
            failed += 1
            runs.append({**row, "error": f"{type(exc).__name__}: {exc}"})
            continue
        model_seconds += time.perf_counter() - start
        runs.append({**row, **outputs, "error": None})
        _state_rows(model, run_id, states)
        if keep_series:
            _step_rows(model, run_id, steps)
    return ChunkResult(
        runs=pa.Table.from_pylist(runs, schema=RUNS_SCHEMA),
        states=pa.Table.from_pydict(states, schema=STATES_SCHEMA),
        steps=pa.Table.from_pydict(steps, schema=STEPS_SCHEMA) if keep_series else None,
        model_seconds=model_seconds,
        failed=failed,
    )
