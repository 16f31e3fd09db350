"""The statistical properties the model must show (docs/MODEL.md §2), each over 50 seeds.

Comparisons use common random numbers (the same 50 seeds on both sides) and a one-sided
tolerance of two standard errors of the paired difference: "never lower on average" is
a claim about means, so a difference inside sampling noise is not a violation, while a
real reversal of direction fails the test.
"""

from __future__ import annotations

import json
import math
import statistics

import pytest

from wargame.model import CrisisModel
from wargame.outputs import run_outputs, states_frame
from wargame.scenario import load_scenario

SEEDS = range(50)


def outputs(scenario: str, **overrides) -> list[dict]:
    parameters = {**load_scenario(scenario).parameters, **overrides}
    return [
        run_outputs(CrisisModel(**parameters, rng=seed, collect_series=False).run())
        for seed in SEEDS
    ]


def assert_not_lower(low: list[float], high: list[float], what: str) -> None:
    """mean(high) >= mean(low), up to two standard errors of the paired difference."""
    differences = [h - lo for h, lo in zip(high, low, strict=True)]
    mean = statistics.fmean(differences)
    error = statistics.stdev(differences) / math.sqrt(len(differences)) if len(
        differences) > 1 else 0.0
    assert mean >= -2 * error, f"{what}: mean fell by {-mean:.3g} (2 s.e. = {2 * error:.3g})"


def test_same_configuration_and_seed_give_identical_results_across_processes(cli, tmp_path):
    result = cli("run", "cyprus", "--seed", "17", "--out", str(tmp_path / "run"))
    assert result.returncode == 0, result.stderr
    from_subprocess = json.loads((tmp_path / "run" / "summary.json").read_text())["outputs"]
    parameters = load_scenario("cyprus").parameters
    in_process = run_outputs(CrisisModel(**parameters, rng=17).run())
    in_process = {k: None if isinstance(v, float) and math.isnan(v) else v
                  for k, v in in_process.items()}
    assert from_subprocess == in_process


@pytest.mark.parametrize("scenario", ["baltic", "cyprus", "poland"])
def test_more_eu_financing_never_lowers_mean_pledges(scenario):
    for low, high in [(0.0, 0.5), (0.5, 1.0)]:
        assert_not_lower(
            [r["peak_pledged_troops"] for r in outputs(scenario, eu_financing=low)],
            [r["peak_pledged_troops"] for r in outputs(scenario, eu_financing=high)],
            f"{scenario} pledges, eu_financing {low} -> {high}",
        )


@pytest.mark.parametrize("scenario", ["baltic", "cyprus"])
def test_more_command_integration_never_delays_mean_first_deployment(scenario):
    def first_forces(runs: list[dict]) -> list[float]:
        # A run with no forces at all counts as help that came at the window's end.
        return [r["day_first_forces"] if not math.isnan(r["day_first_forces"]) else r["days"]
                for r in runs]

    low = outputs(scenario, governance="art427_only", command_integration=0.0)
    high = outputs(scenario, governance="art427_only", command_integration=1.0)
    # "Not later" is "not lower" for minus the day.
    assert_not_lower([-d for d in first_forces(low)], [-d for d in first_forces(high)],
                     f"{scenario} first deployment")
    assert statistics.fmean(first_forces(high)) < statistics.fmean(first_forces(low))


def neutral_force_days(opt_in: bool) -> int:
    days = 0
    for seed in range(20):
        parameters = {**load_scenario("baltic").parameters, "neutral_opt_in": opt_in,
                      "aggression": 0.06}
        model = CrisisModel(**parameters, rng=seed).run()
        states = states_frame(model)
        neutral = states["iso3"].isin(["AUT", "IRL", "MLT", "CYP", "CHE"])
        days += int((neutral & (states["commitment"] == "FORCES")).sum())
    return days


def test_neutral_states_never_send_forces_unless_they_opt_in():
    assert neutral_force_days(opt_in=False) == 0
    assert neutral_force_days(opt_in=True) > 0  # the check can see forces when they happen


@pytest.mark.parametrize("scenario", ["baltic", "finland", "poland"])
def test_free_riding_pledges_at_full_us_commitment_not_above_those_at_none(scenario):
    at_zero = [r["peak_pledged_troops"] for r in outputs(scenario, us_commitment=0.0)]
    at_one = [r["peak_pledged_troops"] for r in outputs(scenario, us_commitment=1.0)]
    assert_not_lower(at_one, at_zero, f"{scenario} pledges, u 1 -> 0")


RESOURCES = [
    ("us_commitment", 0.0, 1.0, {}),
    ("eu_financing", 0.0, 1.0, {}),
    ("eu_fund_bn", 0.0, 50.0, {}),
    ("command_integration", 0.0, 1.0, {"governance": "art427_only"}),
    ("rapid_reaction_force", 0, 20_000, {"command_integration": 0.6}),
    ("forward_presence", 0, 10_000, {}),
]


@pytest.mark.parametrize("scenario", ["baltic", "cyprus"])
@pytest.mark.parametrize(("resource", "low", "high", "context"), RESOURCES,
                         ids=[r[0] for r in RESOURCES])
def test_more_of_a_defending_resource_never_makes_deterrence_harder(
    scenario, resource, low, high, context
):
    deterred_low = [r["outcome"] == "deterred" for r in outputs(scenario, **context,
                                                                **{resource: low})]
    deterred_high = [r["outcome"] == "deterred" for r in outputs(scenario, **context,
                                                                 **{resource: high})]
    assert_not_lower([float(x) for x in deterred_low], [float(x) for x in deterred_high],
                     f"{scenario} P(deterred), {resource} {low} -> {high}")
