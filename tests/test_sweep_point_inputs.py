"""A crisis sweep checks a design point once and gives the model only its non-default inputs
(`wargame.crisis_replication.prepare`, which the worker calls once per point).

The model must build exactly the inputs it would have built from the whole point, so
every output is the same; a point that fails the check still fails each of its runs with
the model's own message.
"""

from __future__ import annotations

import math

from wargame.crisis_replication import prepare as model_inputs
from wargame.inputs import DEFAULTS
from wargame.model import CrisisModel
from wargame.outputs import final_state_columns, run_outputs
from wargame.scenario import load_scenario
from wargame.sweep.worker import run_chunk


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or repr(a) == repr(b)
    return a == b and type(a) is type(b)


def test_only_inputs_that_differ_from_the_defaults_are_passed() -> None:
    point = {**DEFAULTS, "us_commitment": 0.0, "forward_presence": 2200,
             "eu_financing": DEFAULTS["eu_financing"]}
    assert model_inputs(point) == {"us_commitment": 0.0, "forward_presence": 2200}
    # -0.0 is not the default 0.0 of the model, and an int where a float is due is converted
    assert model_inputs({"eu_financing": -0.0}) == {"eu_financing": -0.0}
    assert type(model_inputs({"us_commitment": 1})["us_commitment"]) is float


def test_the_model_builds_the_same_run_from_the_non_default_inputs() -> None:
    point = dict(load_scenario("baltic").parameters, us_commitment=0.25, eu_financing=0.75)
    for seed in range(12):
        whole = CrisisModel(**point, rng=seed, collect_series=False).run()
        short = CrisisModel(**model_inputs(point), rng=seed, collect_series=False).run()
        assert whole.inputs.as_dict() == short.inputs.as_dict()
        a, b = run_outputs(whole), run_outputs(short)
        assert a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
        assert final_state_columns(whole) == final_state_columns(short)


def test_a_point_that_fails_the_check_fails_each_run_with_the_models_message() -> None:
    point = {**DEFAULTS, "us_commitment": 7.0}
    assert model_inputs(point) is point
    result = run_chunk([(0, 0, 0, 1, point), (1, 0, 1, 2, point)], keep_series=False)
    errors = result.runs.column("error").to_pylist()
    assert result.failed == 2
    assert all(e.startswith("WargameError: CrisisModel: us_commitment = 7.0") for e in errors)
