"""The statistical properties the model must show (docs/MODEL.md §2), each over 50 seeds.

Comparisons use common random numbers (the same 50 seeds on both sides) and a one-sided
tolerance of two standard errors of the paired difference: "never lower on average" is
a claim about means, so a difference inside sampling noise is not a violation, while a
real reversal of direction fails the test.
"""

from __future__ import annotations

import collections
import json
import math
import statistics

import pytest

from wargame.agents import Commitment
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
    window = load_scenario(scenario).parameters["max_days"]

    def first_forces(runs: list[dict]) -> list[float]:
        # A run with no forces at all counts as help that never came within the window.
        return [r["day_first_forces"] if not math.isnan(r["day_first_forces"]) else window
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


@pytest.mark.parametrize("scenario", ["baltic", "cyprus"])
def test_free_riding_pledges_at_full_us_commitment_not_above_those_at_none(scenario):
    """In the crises that open below war. In the war cases (Finland, Poland) US help keeps
    the victim standing, so the war and its pledges last longer: peak pledges then measure
    survival, not free-riding, which tests/test_mechanisms.py checks in the utility."""
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


# --- the required properties of model version 2 (docs/MODEL.md, docs/CALIBRATION.md) --------
def models(scenario: str, seeds: range = SEEDS, **overrides) -> list[CrisisModel]:
    parameters = {**load_scenario(scenario).parameters, **overrides}
    return [CrisisModel(**parameters, rng=seed, collect_series=False).run() for seed in seeds]


def assert_significantly_higher(low: list[float], high: list[float], what: str) -> None:
    """mean(high) > mean(low) by more than two standard errors of the paired difference."""
    differences = [h - lo for h, lo in zip(high, low, strict=True)]
    mean = statistics.fmean(differences)
    error = statistics.stdev(differences) / math.sqrt(len(differences))
    assert mean > 2 * error, f"{what}: rose by {mean:.3g} only (2 s.e. = {2 * error:.3g})"


def test_p1_us_commitment_lowers_defeat_and_territory_held_in_the_baltic_case():
    seeds = range(200)  # defeat is rare: enough runs for a two-standard-error test
    at_zero = models("baltic", seeds, us_commitment=0.0)
    at_one = models("baltic", seeds, us_commitment=1.0)
    assert_significantly_higher([float(m.outcome == "defeated") for m in at_one],
                                [float(m.outcome == "defeated") for m in at_zero],
                                "P(defeated), u 1 -> 0")
    assert_significantly_higher([m.territory_lost for m in at_one],
                                [m.territory_lost for m in at_zero], "territory held, u 1 -> 0")


def test_p2_eu_financing_sustains_forces_in_a_long_attritional_war():
    """Finland's war with a fund of SAFE's size (EUR 150 bn): more financing, more troops
    sustained on day 60 and fewer defeats."""
    unfunded = [run_outputs(m) for m in models("finland", eu_financing=0.0, eu_fund_bn=150)]
    funded = [run_outputs(m) for m in models("finland", eu_financing=1.0, eu_fund_bn=150)]
    assert_significantly_higher([r["troops_sustained_day_60"] for r in unfunded],
                                [r["troops_sustained_day_60"] for r in funded],
                                "troops sustained on day 60, eu_financing 0 -> 1")
    assert_significantly_higher([float(r["outcome"] != "defeated") for r in unfunded],
                                [float(r["outcome"] != "defeated") for r in funded],
                                "P(not defeated), eu_financing 0 -> 1")


def test_p3_timing_differs_by_run_and_no_outcome_day_dominates():
    runs = models("baltic", seeds=range(100))
    first = [m.day_first_forces for m in runs if m.day_first_forces is not None]
    assert len(first) >= 30
    quartiles = statistics.quantiles(first, n=4)
    assert quartiles[2] - quartiles[0] >= 3
    busiest = max(collections.Counter(m.day for m in runs).values())
    assert busiest <= 0.30 * len(runs)


def test_p4_posture_framework_nation_turkiye_frontline_and_iceland():
    runs = models("baltic", seeds=range(100))
    pledged = collections.Counter()
    for model in runs:
        for state in model.state_list:
            if not state.profile.border_with_russia_or_belarus:
                pledged[state.iso3] += state.pledged_troops
    assert "GBR" in [iso3 for iso3, _ in pledged.most_common(3)]  # Estonia's eFP framework
    turkiye = [next(s for s in m.state_list if s.iso3 == "TUR") for m in runs]
    assert statistics.fmean(s.peak_commitment == Commitment.FORCES for s in turkiye) <= 0.2
    for model in runs:
        for state in model.state_list:
            if state.profile.border_with_russia_or_belarus:  # frontline helpers
                assert state.pledged_troops <= 0.5 * state.profile.deployable_troops
            if state.iso3 == "ISL":
                assert state.pledged_troops == 0 and state.peak_commitment < Commitment.FORCES


def test_p5_reliability_lies_in_the_literature_bands():
    runs = models("baltic", seeds=range(100))
    forces = statistics.fmean(statistics.fmean(s.peak_commitment >= Commitment.FORCES
                                               for s in m.state_list if s.bound > 0)
                              for m in runs)
    money = statistics.fmean(statistics.fmean(s.peak_commitment >= Commitment.FINANCIAL
                                              for s in m.state_list if s.bound > 0)
                             for m in runs)
    assert 0.40 <= forces <= 0.75 and 0.60 <= money <= 0.95, (forces, money)


def test_p6_rand_fait_accompli_in_days_and_seven_brigades_stop_it():
    """RAND RR-1253-A: 36-60 hours to Tallinn unopposed; about seven brigades prevent it."""
    alone = models("baltic", start_rung="CONVENTIONAL", forward_presence=0, us_commitment=0.0,
                   rapid_reaction_force=0)
    assert all(m.outcome == "defeated" and m.day_defeat in (2, 3) for m in alone)
    brigades = models("baltic", start_rung="CONVENTIONAL", forward_presence=35_000,
                      us_commitment=0.0, rapid_reaction_force=0)
    assert sum(m.outcome == "defeated" for m in brigades) < 0.5 * len(brigades)


@pytest.mark.parametrize("scenario", ["baltic", "cyprus", "finland", "poland", "eu_led_nato"])
def test_p7_no_run_ends_deterred_while_territory_is_held(scenario):
    runs = models(scenario)
    assert all(m.territory_lost == 0.0 for m in runs if m.outcome == "deterred")
    assert any(m.outcome != "deterred" for m in models(scenario, us_commitment=0.0,
                                                        aggression=0.3))  # can fail
