"""CrisisModel works unchanged with Mesa's own batch_run (the anchor analysts know), and the
rows it gives say what they mean: model totals and per-state values under different names,
the run's outcome, states by iso3 and levels by name."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import wargame
from wargame.agents import Commitment, Rung
from wargame.errors import WargameError
from wargame.model import STATE_REPORTERS, STEP_SERIES, CrisisModel
from wargame.outcomes import OUTCOME_NAMES
from wargame.roster import coalition_iso3
from wargame.scenario import load_scenario

SCRIPT = """
import json, mesa
from wargame.model import CrisisModel
rows = mesa.batch_run(CrisisModel, {"us_commitment": [0.0, 1.0], "target": "CYP",
                                   "adversary": "expeditionary"},
                      number_processes=1, rng=[1, 2], max_steps=1000, display_progress=False)
print(json.dumps(rows))
"""


def test_mesa_batch_run_gives_one_honest_row_per_run_and_state():
    # In a subprocess: batch_run forces the 'spawn' start method for its whole process.
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout.strip().splitlines()[-1])
    helpers = set(coalition_iso3()) - {"CYP"}
    runs: dict[tuple[float, int], list[dict]] = {}
    for row in rows:
        runs.setdefault((row["us_commitment"], row["rng"]), []).append(row)
    assert set(runs) == {(0.0, 1), (0.0, 2), (1.0, 1), (1.0, 2)}

    # Model and agent reporters never share a name, so neither overwrites the other.
    assert not set(STATE_REPORTERS) & {*STEP_SERIES, "outcome"}
    expected = {"RunId", "iteration", "Step", "us_commitment", "target", "adversary", "rng",
                "AgentID",
                *STEP_SERIES, "outcome", *STATE_REPORTERS}
    for run_rows in runs.values():
        # One row per helping state, identified by iso3, on the crisis' last day.
        assert sorted(row["iso3"] for row in run_rows) == sorted(helpers)
        first = run_rows[0]
        assert all(set(row) == expected for row in run_rows)
        assert first["outcome"] in OUTCOME_NAMES
        assert first["escalation"] in {rung.name for rung in Rung}
        assert {row["state_commitment"] for row in run_rows} <= {c.name for c in Commitment}
        # The run's totals are the totals, not the last state's values.
        assert first["pledged_troops"] == sum(row["state_pledged_troops"] for row in run_rows)
        deployed = sum(row["state_deployed_troops"] for row in run_rows)
        assert abs(first["deployed_troops"] - deployed) <= len(run_rows) / 2  # each rounded
        assert first["n_forces"] == sum(row["state_commitment"] == "FORCES" for row in run_rows)
        assert all(isinstance(row["state_deployed_troops"], int) for row in run_rows)
        assert 0.0 <= first["territory_lost"] <= 1.0 and first["day"] >= 1


FROM_SCENARIO = """
import functools, json, mesa
from wargame.model import CrisisModel
rows = mesa.batch_run(functools.partial(CrisisModel.from_scenario, "baltic"),
                      {"us_commitment": [0.0, 0.5]}, number_processes=1, rng=[1, 2, 3],
                      max_steps=1000, display_progress=False)
print(json.dumps(rows))
"""


def test_batch_run_from_a_scenario_gives_the_runs_wargame_run_gives():
    """The entry points agree: batch_run over `CrisisModel.from_scenario("baltic")` is the
    Baltic scenario run by run, as `wargame.run` runs it, not the registry's defaults."""
    result = subprocess.run([sys.executable, "-c", FROM_SCENARIO], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout.strip().splitlines()[-1])
    runs = {(row["us_commitment"], row["rng"]): row for row in rows}
    assert set(runs) == {(u, seed) for u in (0.0, 0.5) for seed in (1, 2, 3)}
    for (us_commitment, seed), row in runs.items():
        alone = wargame.run("baltic", seed=seed, us_commitment=us_commitment)
        assert (row["outcome"], row["day"]) == (alone.outcome, alone.model.day)
        assert row["pledged_troops"] == alone.steps["pledged_troops"].iloc[-1]


def test_from_scenario_is_the_scenario_and_checks_its_overrides():
    baltic = load_scenario("baltic").parameters
    model = CrisisModel.from_scenario("baltic", rng=1, us_commitment=0.25)
    assert model.inputs.as_dict() == {**baltic, "us_commitment": 0.25}
    bare = CrisisModel(rng=1).inputs.as_dict()
    assert any(bare[name] != value for name, value in baltic.items())  # why it exists
    with pytest.raises(WargameError, match="CrisisModel.from_scenario.*us_comitment"):
        CrisisModel.from_scenario("baltic", us_comitment=0.25)
    with pytest.raises(WargameError, match="unknown scenario 'atlantis'"):
        CrisisModel.from_scenario("atlantis")
