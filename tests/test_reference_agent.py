"""The fast decision rule equals the readable one (tests/reference_agent.py), run by run.

Every shipped scenario under every governance regime, 20 seeds each: the per-run outputs,
the per-day series and the per-day, per-state ledger must be identical, value for value.
A change to the rule in one place and not the other fails here.
"""

from __future__ import annotations

import math

import pytest
from reference_agent import ReferenceCrisisModel

from wargame.governance import REGIMES
from wargame.model import CrisisModel
from wargame.outputs import run_outputs
from wargame.scenario import list_scenarios, load_scenario

SEEDS = range(20)


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b


@pytest.mark.parametrize("governance", sorted(REGIMES))
@pytest.mark.parametrize("scenario", [s.name for s in list_scenarios()])
def test_fast_and_readable_rules_give_identical_runs(scenario, governance):
    parameters = {**load_scenario(scenario).parameters, "governance": governance}
    for seed in SEEDS:
        fast = CrisisModel(**parameters, rng=seed).run()
        readable = ReferenceCrisisModel(**parameters, rng=seed).run()
        a, b = run_outputs(fast), run_outputs(readable)
        assert all(_same(a[k], b[k]) for k in a), (scenario, governance, seed)
        assert fast.state_ledger == readable.state_ledger, (scenario, governance, seed)
        assert fast.datacollector.model_vars == readable.datacollector.model_vars


def test_the_oracle_can_tell_a_different_rule():
    """A reference rule with a one-character change must differ somewhere: the check
    compares something that moves."""

    class Lazier(ReferenceCrisisModel.state_agent):
        def can_step_up(self) -> bool:
            return self.days_at_level >= 1 and super().can_step_up()

    class LazierModel(ReferenceCrisisModel):
        state_agent = Lazier

    parameters = load_scenario("baltic").parameters
    assert any(CrisisModel(**parameters, rng=seed).run().state_ledger
               != LazierModel(**parameters, rng=seed).run().state_ledger for seed in SEEDS)
