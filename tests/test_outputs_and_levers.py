"""The output registry is what every writer writes, and each dead-lever rule finds its lever.

The frames come from real runs; the lever rules are checked both ways: a rule names its
input when the fixed settings kill it, stays silent when they do not, and an input it
names really changes nothing in the model.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from wargame.inputs import DEFAULTS
from wargame.levers import inert_inputs
from wargame.model import CrisisModel
from wargame.output_registry import LEVELS, OUTPUTS, names
from wargame.outputs import (
    final_state_columns,
    final_states,
    run_outputs,
    states_frame,
    steps_frame,
)
from wargame.scenario import load_scenario
from wargame.single_run import summary, write_run
from wargame.sweep.store import RUNS_SCHEMA, STATES_SCHEMA, STEPS_SCHEMA

BALTIC = {**DEFAULTS, **load_scenario("baltic").parameters}


@pytest.fixture(scope="module")
def model() -> CrisisModel:
    return CrisisModel(**BALTIC, rng=4).run()


def test_every_writer_writes_exactly_the_registry_columns(model, tmp_path):
    assert list(run_outputs(model)) == list(names("run"))
    assert list(final_state_columns(model)) == list(names("state"))
    assert list(final_states(model).columns) == list(names("state"))
    assert list(steps_frame(model).columns) == list(names("day"))
    assert list(states_frame(model).columns) == list(names("day_state"))
    scenario = load_scenario("baltic")
    write_run(model, scenario, 4, tmp_path / "run")
    written = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert list(written["outputs"]) == list(names("run"))
    assert list(written["states"][0]) == list(names("state"))
    assert written == json.loads(json.dumps(summary(model, scenario, 4)))
    assert list(pd.read_parquet(tmp_path / "run" / "steps.parquet").columns) == list(names("day"))
    assert list(pd.read_parquet(tmp_path / "run" / "states.parquet").columns) == list(
        names("day_state"))


def test_sweep_schemas_are_the_registry_columns():
    assert STATES_SCHEMA.names == ["run_id", *names("state")]
    assert STEPS_SCHEMA.names == ["run_id", *names("day")]
    assert RUNS_SCHEMA.names[-len(names("run")) - 1:] == [*names("run"), "error"]


def test_every_output_has_a_label_and_names_are_unique_per_level():
    assert set(LEVELS) == {o.level for o in OUTPUTS}
    for level in LEVELS:
        assert len(set(names(level))) == len(names(level)), level
    for o in OUTPUTS:
        assert o.label and (o.unit or o.name == "name"), o.name


def _outputs(parameters: dict, seed: int) -> pd.Series:
    return pd.Series(run_outputs(CrisisModel(**parameters, rng=seed,
                                             collect_series=False).run()))


@pytest.mark.parametrize("fixed, swept, name", [
    ({"target": "NOR"}, {"rapid_reaction_force": [0, 30_000]}, "rapid_reaction_force"),
    ({"rapid_reaction_force": 0}, {"rrf_readiness_days": [1, 60]}, "rrf_readiness_days"),
    ({}, {"non_eu_inclusion": [0.0, 1.0]}, "non_eu_inclusion"),
    ({"target": "NOR"}, {"eu_financing": [0.0, 1.0]}, "eu_financing"),
    ({"eu_financing": 0.0}, {"eu_fund_bn": [0.0, 100.0]}, "eu_fund_bn"),
    ({"rapid_reaction_force": 0}, {"command_integration": [0.0, 0.4]}, "command_integration"),
])
def test_a_rule_names_a_dead_input_that_indeed_changes_nothing(fixed, swept, name):
    base = {**BALTIC, **fixed}
    assert name in inert_inputs(base, swept)
    low, high = swept[name]
    for seed in (1, 2, 3):
        assert _outputs({**base, name: low}, seed).equals(_outputs({**base, name: high}, seed))


@pytest.mark.parametrize("fixed, swept", [
    ({}, {"rapid_reaction_force": [0, 30_000]}),
    ({}, {"command_integration": [0.0, 0.4]}),
    ({}, {"rapid_reaction_force": [0, 30_000], "governance": ["nato_us_led", "eu_led_nato"]}),
    ({"governance": "eu_led_nato"}, {"non_eu_inclusion": [0.0, 1.0]}),
    ({}, {"eu_financing": [0.0, 1.0]}),
    ({}, {"command_integration": [0.0, 0.7]}),
    ({"governance": "art427_only"}, {"command_integration": [0.0, 0.4]}),
])
def test_a_rule_leaves_a_live_input_alone(fixed, swept):
    assert inert_inputs({**BALTIC, **fixed}, swept) == {}


def test_neutral_opt_in_is_live_while_neutral_states_can_help():
    assert inert_inputs(BALTIC, {"neutral_opt_in": [False, True]}) == {}
