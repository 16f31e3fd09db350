"""The statistical properties the model must show (docs/MODEL.md §2), over paired seeds.

Comparisons use common random numbers (the same seeds on both sides) and two standard
errors of the paired difference: "never lower on average" fails on a real reversal, not on
noise, and where a lever must act the test also asks for a minimum effect, so a lever that
does nothing fails it (a "never lowers" check alone passes a dead lever). The full battery
over every scenario and regime is `wargame validate` (docs/VALIDATION.md).
"""

from __future__ import annotations

import json
import math
import statistics

import pytest

from wargame.model import CrisisModel
from wargame.outputs import run_outputs
from wargame.scenario import load_scenario

SEEDS = range(60)


def outputs(scenario: str, seeds: range = SEEDS, **overrides) -> list[dict]:
    parameters = {**load_scenario(scenario).parameters, **overrides}
    return [run_outputs(CrisisModel(**parameters, rng=seed, collect_series=False,
                                    keep_log=False).run()) for seed in seeds]


def paired_mean(low: list[float], high: list[float]) -> tuple[float, float]:
    """Mean of high - low and two standard errors of it."""
    differences = [h - lo for h, lo in zip(high, low, strict=True)]
    mean = statistics.fmean(differences)
    error = statistics.stdev(differences) / math.sqrt(len(differences))
    return mean, 2 * error


def assert_not_lower(low: list[float], high: list[float], what: str) -> None:
    mean, two_se = paired_mean(low, high)
    assert mean >= -two_se, f"{what}: mean fell by {-mean:.3g} (2 s.e. = {two_se:.3g})"


def assert_raises_by(low: list[float], high: list[float], minimum: float, what: str) -> None:
    """mean(high) - mean(low) > 2 s.e. and at least `minimum`: a lever that must act, acts."""
    mean, two_se = paired_mean(low, high)
    assert mean > two_se and mean >= minimum, (
        f"{what}: rose by {mean:.3g} (2 s.e. {two_se:.3g}, minimum {minimum:.3g})")


def test_same_configuration_and_seed_give_identical_results_across_processes(cli, tmp_path):
    result = cli("run", "cyprus", "--seed", "17", "--out", str(tmp_path / "run"))
    assert result.returncode == 0, result.stderr
    from_subprocess = json.loads((tmp_path / "run" / "summary.json").read_text())["outputs"]
    in_process = run_outputs(CrisisModel(**load_scenario("cyprus").parameters, rng=17).run())
    in_process = {k: None if isinstance(v, float) and math.isnan(v) else v
                  for k, v in in_process.items()}
    assert from_subprocess == in_process


@pytest.mark.slow
def test_eu_financing_sustains_forces_in_a_long_war_and_never_lowers_pledges():
    """Finland's war lasts months: money keeps allied forces in theatre (at least 2,000
    more troops on day 60 on average) and never lowers what states pledge."""
    unfunded = outputs("finland", eu_financing=0.0, eu_fund_bn=150.0)
    funded = outputs("finland", eu_financing=1.0, eu_fund_bn=150.0)
    assert_raises_by([r["troops_sustained_day_60"] for r in unfunded],
                     [r["troops_sustained_day_60"] for r in funded], 2000,
                     "troops sustained on day 60, eu_financing 0 -> 1")
    assert_not_lower([r["peak_pledged_troops"] for r in unfunded],
                     [r["peak_pledged_troops"] for r in funded], "pledges, financing 0 -> 1")


@pytest.mark.slow
def test_command_integration_brings_first_forces_sooner_under_the_eu_clause():
    """Over the seeds in which forces arrive under both commands (a war lost before any
    arrival has no first-forces day: counting it as the window's last day let one such
    seed, 170 days, outweigh fifty-nine that saved 1-6 days each)."""
    low = [r["day_first_forces"]
           for r in outputs("poland", governance="art427_only", command_integration=0.0)]
    high = [r["day_first_forces"]
            for r in outputs("poland", governance="art427_only", command_integration=1.0)]
    pairs = [(lo, hi) for lo, hi in zip(low, high, strict=True)
             if not (math.isnan(lo) or math.isnan(hi))]
    assert len(pairs) >= 50, f"forces arrived under both commands in {len(pairs)} seeds"
    assert_raises_by([-lo for lo, _ in pairs], [-hi for _, hi in pairs], 1.0, "days saved")


def test_neutral_states_never_send_forces_unless_they_opt_in():
    neutral = {"AUT", "IRL", "MLT", "CHE"}
    for opt_in in (False, True):
        sent = 0
        for seed in range(20):
            model = CrisisModel(**{**load_scenario("poland").parameters,
                                   "neutral_opt_in": opt_in}, rng=seed,
                                collect_series=False, keep_log=False).run()
            sent += sum(s.peak_commitment == 3 for s in model.state_list if s.iso3 in neutral)
        assert (sent > 0) is opt_in  # the check can see forces when they happen


@pytest.mark.slow
@pytest.mark.parametrize("scenario", ["baltic", "poland"])
def test_when_the_us_steps_back_europe_does_more_in_a_war_the_victim_survives(scenario):
    """Olson & Zeckhauser, and need: with less US cover Europeans pledge more troops, in
    the runs the victim is not defeated in under either commitment (a run lost early
    cannot show what Europe would have sent)."""
    at_zero = outputs(scenario, us_commitment=0.0)
    at_one = outputs(scenario, us_commitment=1.0)
    kept = [(a, b) for a, b in zip(at_zero, at_one, strict=True)
            if a["outcome"] != "defeated" and b["outcome"] != "defeated"]
    assert len(kept) >= 20
    assert_raises_by([b["peak_pledged_troops"] for _, b in kept],
                     [a["peak_pledged_troops"] for a, _ in kept], 1.0,
                     f"{scenario} pledges, u 1 -> 0")


RESOURCES = [
    ("us_commitment", 0.0, 1.0, {}),
    ("forward_presence", 0, 10_000, {}),
    ("rapid_reaction_force", 0, 25_000, {"command_integration": 0.8}),
    ("eu_financing", 0.0, 1.0, {}),
    ("command_integration", 0.0, 1.0, {"governance": "art427_only"}),
]


@pytest.mark.slow
@pytest.mark.parametrize(("resource", "low", "high", "context"), RESOURCES,
                         ids=[r[0] for r in RESOURCES])
def test_more_of_a_defending_resource_never_makes_defeat_more_likely(resource, low, high,
                                                                     context):
    def defeated(value) -> list[float]:
        return [float(r["outcome"] == "defeated")
                for r in outputs("baltic", **{**context, resource: value})]

    assert_not_lower(defeated(high), defeated(low), f"P(defeated), {resource} {low} -> {high}")


@pytest.mark.slow
@pytest.mark.parametrize(("resource", "low", "high"), [("us_commitment", 0.0, 1.0),
                                                      ("forward_presence", 0, 10_000)])
def test_the_us_and_troops_in_place_lower_defeat_by_at_least_five_points(resource, low, high):
    lost_low = [float(r["outcome"] == "defeated")
                for r in outputs("baltic", range(150), **{resource: low})]
    lost_high = [float(r["outcome"] == "defeated")
                 for r in outputs("baltic", range(150), **{resource: high})]
    assert_raises_by(lost_high, lost_low, 0.05, f"P(defeated) saved by {resource}")


def test_rand_a_fait_accompli_in_days_and_seven_brigades_stop_it():
    """RAND RR-1253-A: Russia's 22 manoeuvre battalions (about 33,000 troops with support)
    reach Tallinn in 36-60 hours unopposed; about seven brigades in place prevent it."""
    rand = {"start_rung": "CONVENTIONAL", "us_commitment": 0.0, "rapid_reaction_force": 0,
            "limited_aim_probability": 0.0, "attack_troops": 33_000}
    alone = outputs("baltic", range(30), forward_presence=0, **rand)
    assert sum(r["day_capital_falls"] <= 3 for r in alone) >= 24
    brigades = outputs("baltic", range(30), forward_presence=35_000, **rand)
    assert sum(r["outcome"] == "defeated" for r in brigades) <= 3


@pytest.mark.parametrize("scenario", ["baltic", "cyprus", "finland", "poland", "lithuania"])
def test_no_run_ends_deterred_while_territory_is_held(scenario):
    runs = outputs(scenario, range(40))
    assert all(r["territory_lost"] == 0.0 for r in runs if r["outcome"] == "deterred")
    assert any(r["outcome"] != "deterred" for r in runs)  # the check sees other endings
