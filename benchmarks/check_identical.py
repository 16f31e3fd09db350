"""Prove an optimisation changed no result: save every output of ~1,300 runs, compare later.

A speed-up of the model or the sweep worker must leave every run bit for bit as it was.
This script runs a fixed battery (every shipped scenario x 4 governance values, `reform`
two-stage runs included, several seeds and inputs per pair) three ways: directly
(`CrisisModel(...).run()` with series: per-run outputs, per-state rows, the event log,
the per-day model series and the per-state ledger, the final state of every agent and of
both random generators), and through the sweep worker (`run_chunk`) with and without
series (its Arrow tables). Floats are kept by their bits (`float.hex`), so 0.0 and -0.0 or
a last-bit difference count as changes.

    .venv/bin/python benchmarks/check_identical.py --save /tmp/baseline.pkl    # before
    .venv/bin/python benchmarks/check_identical.py --against /tmp/baseline.pkl # after

Exit status 1 and the first differences are printed if anything changed. Keep the saved
file outside the repository (it is generated).
"""

from __future__ import annotations

import argparse
import hashlib
import math
import pickle
import sys
from pathlib import Path
from typing import Any

from wargame.model import CrisisModel
from wargame.outputs import final_state_columns, run_outputs
from wargame.scenario import list_scenarios
from wargame.sweep.worker import run_chunk

GOVERNANCE = ("nato_us_led", "art427_only", "eu_led_nato", "reform")
#: Inputs varied across the runs of a (scenario, governance) pair, cycled with the seeds:
#: levers, the roster-derived inputs (a different roster), capability bought before the
#: crisis, the size of the attack, the start rung, warning and the window.
VARIATIONS: tuple[dict[str, Any], ...] = (
    {},
    {"us_commitment": 0.0},
    {"us_commitment": 1.0, "eu_financing": 0.75},
    {"eu_financing": 0.0, "eu_fund_bn": 0.0},
    {"base_deployable_share": 0.15, "fiscal_debt_reference_pct": 45.0},
    {"start_rung": "CONVENTIONAL", "attack_troops": 150_000},
    {"neutral_opt_in": True, "rapid_reaction_force": 20_000, "command_integration": 0.9},
    {"forward_presence": 0, "ops_budget_share": 0.05, "max_days": 60},
    {"attack_troops": 20_000, "combat_noise": 0.0, "reversal_cost": 2.0},
    {"us_commitment": -0.0, "eu_financing": 1.0, "deployment_cost_factor": 6.0},
    {"crisis_year": 2032, "hague_path": 1.0, "warning_days": 30, "max_days": 200},
)
RUNS_PER_PAIR = 22  # x 4 governance values x 6 scenarios = 528 designs, each run directly
#                     and twice by the worker
BASE_SEED = 7


def _bits(value: Any) -> Any:
    """A value with every float replaced by its exact bits, recursively."""
    if isinstance(value, float):
        return ("float", value.hex()) if not math.isnan(value) else ("float", "nan")
    if isinstance(value, dict):
        return {key: _bits(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_bits(item) for item in value)
    return value


def _random_state(model: CrisisModel) -> str:
    """A digest of both generators' states: the same draws were taken, no more, no fewer."""
    state = (model.random.getstate(), model.rng.bit_generator.state)
    return hashlib.sha256(repr(state).encode()).hexdigest()


STATE_FIELDS = ("iso3", "commitment", "peak_commitment", "days_at_level", "tiers",
                "pledged_troops", "deployed_troops", "arrived_troops", "losses", "cost_bn",
                "reimbursed_bn", "aid_paid", "resolve", "bound", "exposure", "quality",
                "engaged", "mandate_ends", "readiness_days", "tier_troops", "budget_bn",
                "horizon_cost_bn")
MODEL_FIELDS = ("day", "outcome", "territory_lost", "peak_territory_lost", "advance_km",
                "moved_km", "defender_losses", "victim_losses", "forward_losses", "rrf_losses",
                "adversary_losses", "victim_troops", "reservists_to_come", "forward_troops",
                "rrf_troops", "us_troops", "eu_fund_remaining_bn", "defence_effective",
                "defence_timely", "defence_gap", "punishment", "interoperability",
                "attribution_day", "invoked", "day_invoked", "day_armed_attack", "rrf_day",
                "peak_pledged", "peak_deployed")


def direct(parameters: dict[str, Any], seed: int) -> dict[str, Any]:
    """Everything one run with series shows: outputs, rows, log, series, agents, draws."""
    model = CrisisModel(**parameters, rng=seed).run()
    adversary = model.adversary
    return _bits({
        "outputs": run_outputs(model),
        "states": final_state_columns(model),
        "log": [(e.day, e.iso3, e.text) for e in model.log],
        "series": {name: list(values)
                   for name, values in model.datacollector.model_vars.items()},
        "ledger": list(model.state_ledger),
        "agents": [[getattr(s, name) for name in STATE_FIELDS] for s in model.state_list],
        "model": [getattr(model, name) for name in MODEL_FIELDS],
        "adversary": [adversary.rung, adversary.troops, adversary.reserve, adversary.losses,
                      adversary.to_land, adversary.committed_total, adversary.attacking,
                      adversary.stood_down, adversary.resolve, adversary.aim_km],
        "us": [model.us.promised, model.us.troops, model.us.arrived, model.us.losses],
        "inputs": model.inputs.as_dict(),
        "stage_inputs": model.stage_inputs.as_dict(),
        "random": _random_state(model),
    })


def designs() -> list[tuple[str, str, int, dict[str, Any]]]:
    """(scenario, governance, seed, parameters) of every run of the battery."""
    found = []
    for scenario in list_scenarios():
        scenario_name = scenario.name
        for g, governance in enumerate(GOVERNANCE):
            for i in range(RUNS_PER_PAIR):
                seed = BASE_SEED + 1000 * g + i
                variation = VARIATIONS[i % len(VARIATIONS)]
                parameters = {**scenario.parameters, "governance": governance, **variation}
                found.append((scenario_name, governance, seed, parameters))
    return found


def worker(runs: list[tuple[str, str, int, dict[str, Any]]], keep_series: bool) -> dict:
    """The worker's tables for every run, chunked by (scenario, governance) as a sweep would."""
    tables: dict[str, Any] = {}
    for start in range(0, len(runs), RUNS_PER_PAIR):
        chunk = runs[start:start + RUNS_PER_PAIR]
        tasks = [(start + n, start // RUNS_PER_PAIR, n, seed, parameters)
                 for n, (_, _, seed, parameters) in enumerate(chunk)]
        result = run_chunk(tasks, keep_series)
        assert result.failed == 0, result.runs.column("error").to_pylist()
        tables[f"chunk {start // RUNS_PER_PAIR}"] = _bits({
            "runs": result.runs.to_pylist(),
            "states": result.states.to_pydict(),
            "steps": result.steps.to_pydict() if result.steps is not None else None,
        })
    return tables


def collect() -> dict[str, Any]:
    runs = designs()
    found: dict[str, Any] = {}
    for scenario_name, governance, seed, parameters in runs:
        found[f"direct {scenario_name} {governance} seed {seed}"] = direct(parameters, seed)
    for keep_series in (False, True):
        for name, tables in worker(runs, keep_series).items():
            found[f"worker series={keep_series} {name}"] = tables
    return found


def first_difference(old: Any, new: Any, where: str) -> str | None:
    """Where two saved values first differ, in words, or None if identical."""
    if type(old) is not type(new):
        return f"{where}: type {type(old).__name__} -> {type(new).__name__}"
    if isinstance(old, dict):
        if list(old) != list(new):
            return f"{where}: keys {sorted(set(old) ^ set(new)) or 'reordered'}"
        for key in old:
            found = first_difference(old[key], new[key], f"{where}.{key}")
            if found:
                return found
        return None
    if isinstance(old, list | tuple):
        if len(old) != len(new):
            return f"{where}: length {len(old)} -> {len(new)}"
        for i, (a, b) in enumerate(zip(old, new, strict=True)):
            found = first_difference(a, b, f"{where}[{i}]")
            if found:
                return found
        return None
    return None if old == new else f"{where}: {old!r} -> {new!r}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--save", type=Path, help="write every result to this file")
    group.add_argument("--against", type=Path, help="compare with a file written by --save")
    args = parser.parse_args()
    found = collect()
    runs = len(designs())
    if args.save:
        args.save.write_bytes(pickle.dumps(found))
        print(f"saved {runs} runs x 3 (direct, worker, worker with series) to {args.save}")
        return
    saved = pickle.loads(args.against.read_bytes())
    differences = [d for key in sorted(set(saved) | set(found))
                   if (d := first_difference(saved.get(key), found.get(key), key))]
    if differences:
        print(f"{len(differences)} of {len(saved)} records differ; first ones:")
        for line in differences[:10]:
            print(f"  {line}")
        sys.exit(1)
    print(f"identical: {runs} runs x 3 (direct with log and series, worker with and "
          f"without series), {len(saved)} records, bit for bit")


if __name__ == "__main__":
    main()
