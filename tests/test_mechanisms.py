"""Each mechanism of the model on its own, against its definition in docs/MODEL.md."""

from __future__ import annotations

import math

import pytest

from wargame.agents import Commitment, Rung
from wargame.governance import rrf_can_deploy, theatre_integration, treaty_bond, us_channel
from wargame.inputs import DEFAULTS as D
from wargame.inputs import InputValues
from wargame.model import CrisisModel
from wargame.outputs import gini, run_outputs, states_frame, steps_frame
from wargame.roster import load_roster


def state(model: CrisisModel, iso3: str):
    return next(s for s in model.state_list if s.iso3 == iso3)


@pytest.fixture(scope="module")
def roster():
    return load_roster()


# --- governance -------------------------------------------------------------------------
def test_treaty_bonds_by_regime(roster):
    fra, gbr, nor, est, cyp, aut = (roster[c] for c in ("FRA", "GBR", "NOR", "EST", "CYP", "AUT"))
    assert treaty_bond(fra, est, "art427_only", 0.5) == 1.0  # Art. 42.7
    assert treaty_bond(gbr, est, "nato_us_led", 0.0) == 1.0  # Art. 5
    assert treaty_bond(gbr, est, "art427_only", 1.0) == 0.0  # only the EU clause
    assert treaty_bond(nor, est, "eu_led_nato", 0.3) == 0.3  # non-EU inclusion
    assert treaty_bond(gbr, cyp, "nato_us_led", 1.0) == 0.0  # Cyprus is outside NATO
    assert treaty_bond(aut, cyp, "nato_us_led", 0.0) == 1.0  # neutral still bound to help


def test_us_channel_and_command_by_regime(roster):
    est, cyp = roster["EST"], roster["CYP"]
    assert us_channel(est, "nato_us_led") == "art5"
    assert us_channel(est, "eu_led_nato") == "cooperation"
    assert us_channel(est, "art427_only") == "bilateral"
    assert us_channel(cyp, "nato_us_led") == "bilateral"
    def regime(governance: str, command: float) -> InputValues:
        return InputValues({**D, "governance": governance, "command_integration": command})

    assert theatre_integration(est, regime("nato_us_led", 0.1)) == D["nato_command_integration"]
    assert theatre_integration(est, regime("art427_only", 0.1)) == 0.1
    assert theatre_integration(cyp, regime("eu_led_nato", 0.3)) == 0.3
    assert not rrf_can_deploy(est, regime("nato_us_led", D["rrf_command_threshold"] - 0.01))
    assert rrf_can_deploy(est, regime("nato_us_led", D["rrf_command_threshold"]))
    assert rrf_can_deploy(est, regime("eu_led_nato", 0.0))
    assert not rrf_can_deploy(roster["NOR"], regime("eu_led_nato", 1.0))  # not an EU member


# --- decisions --------------------------------------------------------------------------
def test_gain_components_move_the_right_way():
    base = CrisisModel(rng=1, target="EST")
    pol = state(base, "POL")
    # Financing lowers the cost of forces, and only of forces.
    funded = CrisisModel(rng=1, target="EST", eu_financing=1.0, eu_fund_bn=1000)
    assert state(funded, "POL").gain_of_level(3) > pol.gain_of_level(3)
    assert state(funded, "POL").gain_of_level(2) == pytest.approx(pol.gain_of_level(2))
    # US commitment pulls against costly steps (free-riding), not against statements.
    covered = CrisisModel(rng=1, target="EST", us_commitment=1.0)
    assert state(covered, "POL").gain_of_level(3) < pol.gain_of_level(3)
    assert state(covered, "POL").gain_of_level(1) == pytest.approx(pol.gain_of_level(1))
    # Threat rises with escalation; a frontline neighbour feels more than a distant state.
    before = pol.gain_of_level(1)
    base.threat_level = 1.0
    assert pol.gain_of_level(1) > before
    assert state(base, "FIN").exposure > state(base, "PRT").exposure


def test_later_deciders_see_earlier_moves_the_same_day():
    model = CrisisModel(rng=1)
    deu = state(model, "DEU")
    share_before = model.peer_share(Commitment.POLITICAL)
    gain_before = state(model, "FRA").gain_of_level(1)
    deu.move_to(Commitment.POLITICAL)
    assert model.peer_share(Commitment.POLITICAL) == pytest.approx(
        share_before + deu.profile.capability_index / model.pool_capability
    )
    assert state(model, "FRA").gain_of_level(1) > gain_before


def test_deliberation_days_gate_each_step_up():
    model = CrisisModel(rng=1)
    fra = state(model, "FRA")
    fra.move_to(Commitment.FINANCIAL)
    assert not fra.can_step_up()
    fra.days_at_level = D["deliberation_forces_days"]  # days at FINANCIAL before FORCES
    assert fra.can_step_up()


def test_neutral_states_never_step_up_to_forces_unless_they_opt_in():
    for opt_in in (False, True):
        model = CrisisModel(rng=1, neutral_opt_in=opt_in)
        for iso3 in ("AUT", "IRL", "MLT", "CYP", "CHE"):
            neutral = state(model, iso3)
            neutral.move_to(Commitment.FINANCIAL)
            neutral.days_at_level = 99
            assert neutral.can_step_up() is opt_in


def test_logit_choice_follows_the_gains():
    """From NONE a state steps up with probability e^g / (1 + e^g), g its gain (no way down)."""
    model = CrisisModel(rng=3)
    fin = state(model, "FIN")
    gain = fin.gain_of_level(Commitment.POLITICAL)
    expected = math.exp(gain) / (1 + math.exp(gain))
    trials, ups = 4000, 0
    for _ in range(trials):
        fin.step()
        if fin.commitment == Commitment.POLITICAL:
            ups += 1
            fin.move_to(Commitment.NONE)
    standard_error = math.sqrt(expected * (1 - expected) / trials)
    assert abs(ups / trials - expected) < 4 * standard_error


# --- deployment, money, events ----------------------------------------------------------
def test_forces_arrive_as_a_scheduled_event_after_their_delay():
    """Troops pledged on day 0 are in theatre at the end of day `deployment_days`."""
    for seed in range(50):  # find a run in which Poland keeps its pledge until arrival
        model = CrisisModel(rng=seed, aggression=0.2)
        pol = state(model, "POL")
        pol.move_to(Commitment.FORCES)
        for _ in range(pol.deployment_days - 1):
            model.step()
            assert pol.deployed_troops == 0
        model.step()
        if pol.commitment == Commitment.FORCES:
            break
    else:
        pytest.fail("Poland withdrew its pledge before arrival in every seed")
    assert pol.deployed_troops == pol.pledged_troops == pol.profile.deployable_troops
    assert model.day_first_forces == pol.deployment_days


def test_withdrawal_cancels_troops_in_transit():
    model = CrisisModel(rng=2, aggression=0.001)
    pol = state(model, "POL")
    pol.move_to(Commitment.FORCES)
    pol.move_to(Commitment.FINANCIAL)
    for _ in range(pol.deployment_days + 1):
        model.step()
    assert pol.deployed_troops == 0 and pol.pledged_troops == 0


def test_command_integration_shortens_deployment():
    slow = CrisisModel(rng=1, governance="art427_only", command_integration=0.0)
    fast = CrisisModel(rng=1, governance="art427_only", command_integration=1.0)
    for a, b in zip(slow.state_list, fast.state_list, strict=True):
        assert b.deployment_days <= a.deployment_days
    assert sum(b.deployment_days for b in fast.state_list) < sum(
        a.deployment_days for a in slow.state_list
    )


def test_eu_fund_reimburses_deployment_costs_until_it_runs_dry():
    model = CrisisModel(rng=1, eu_financing=0.5, eu_fund_bn=1.0)
    fra = state(model, "FRA")
    model.pay(fra, 0.4)
    assert fra.reimbursed_bn == pytest.approx(0.2)
    model.pay(fra, 10.0)
    assert fra.reimbursed_bn == pytest.approx(1.0) and model.eu_fund_remaining_bn == 0.0
    assert model.reimbursement_rate(fra) == 0.0
    model.pay(fra, 1.0, refundable=False)
    assert fra.cost_bn == pytest.approx(11.4) and fra.net_cost_bn == pytest.approx(10.4)
    gbr = state(model, "GBR")  # not an EU member: the EU fund does not pay
    assert not gbr.reimbursable


def test_rapid_reaction_force_arrives_on_its_readiness_day():
    model = CrisisModel(rng=1, command_integration=0.9, rrf_readiness_days=4,
                        rapid_reaction_force=7000, aggression=0.001)
    for _ in range(3):
        model.step()
    assert model.rrf_troops == 0
    model.step()
    assert model.rrf_troops == 7000
    blocked = CrisisModel(rng=1, governance="art427_only", command_integration=0.1)
    assert blocked.rrf_promised == 0


def test_us_reinforcement_scales_with_commitment_and_channel():
    assert CrisisModel(us_commitment=1.0).us_promised == D["us_reinforcement_troops"]
    assert CrisisModel(us_commitment=0.0).us_promised == 0
    bilateral = CrisisModel(us_commitment=1.0, governance="art427_only").us_promised
    assert bilateral == round(D["us_reinforcement_troops"] * D["us_channel_bilateral"])


# --- adversary, combat, outcome ---------------------------------------------------------
def test_escalation_chance_is_nil_when_deterred_and_full_at_three_to_one():
    escalation_chance = CrisisModel(rng=1).adversary.escalation_chance
    assert escalation_chance(D["deter_ratio"]) == 0.0
    assert escalation_chance(1.0) == 0.0
    assert escalation_chance(D["escalate_ratio"]) == D["escalation_probability"]
    assert escalation_chance(10.0) == D["escalation_probability"]
    midway = (D["deter_ratio"] + D["escalate_ratio"]) / 2
    assert 0 < escalation_chance(midway) < D["escalation_probability"]


def test_adversary_stands_down_after_sustained_deterrence():
    model = CrisisModel(rng=1, forward_presence=200_000)  # overwhelming defence from day one
    model.run()
    assert model.outcome == "deterred"
    assert model.day == D["deterrence_days"]
    assert model.adversary.rung == Rung.HYBRID


def test_conventional_attack_takes_territory_at_the_documented_rate():
    model = CrisisModel(rng=1, aggression=0.5, us_commitment=0.0)
    model.adversary.rung = Rung.CONVENTIONAL
    model._update_threat()
    ratio = model.force_ratio
    model._fight()
    assert model.territory_lost == pytest.approx(D["advance_rate"] * math.log(ratio))


def test_overwhelming_attack_defeats_the_target():
    model = CrisisModel(rng=1, aggression=1.0, us_commitment=0.0, target="EST").run()
    assert model.outcome == "defeated"
    assert model.territory_lost >= D["defeat_threshold"]
    outputs = run_outputs(model)
    assert outputs["day_defeat"] == model.day and outputs["max_escalation"] == "CONVENTIONAL"


def test_crisis_window_ends_in_stalemate():
    # Three days are too few to be deterred (that takes deterrence_days of deterrence) or
    # defeated (the attack is hybrid first): the window closes on day 3 in stalemate.
    assert D["deterrence_days"] > 3
    model = CrisisModel(rng=1, max_days=3).run()
    assert model.day == 3 and model.outcome == "stalemate" and model.day_defeat is None
    held = CrisisModel(rng=1, max_days=2, aggression=0.001)
    held.adversary.deterred_days = -100  # keep it from standing down inside the window
    held.run()
    assert held.outcome == "stalemate"


# --- outputs ----------------------------------------------------------------------------
def test_gini_known_values():
    assert gini([1, 1, 1, 1]) == 0.0
    assert gini([0, 0, 0, 1]) == pytest.approx(0.75)
    assert gini([]) == 0.0 and gini([0, 0]) == 0.0


def test_series_cover_every_day_and_every_state():
    model = CrisisModel(rng=5).run()
    steps = steps_frame(model)
    assert list(steps["day"]) == list(range(model.day + 1))
    states = states_frame(model)
    assert len(states) == (model.day + 1) * len(model.state_list)
    assert set(states["commitment"].cat.categories) == {"NONE", "POLITICAL", "FINANCIAL",
                                                        "FORCES"}
    last = states[states["day"] == model.day].set_index("iso3")
    for agent in model.state_list:
        assert last.loc[agent.iso3, "pledged_troops"] == agent.pledged_troops
        assert last.loc[agent.iso3, "commitment"] == agent.commitment.name


def test_same_seed_same_run_and_different_seeds_differ():
    first = steps_frame(CrisisModel(rng=11).run())
    again = steps_frame(CrisisModel(rng=11).run())
    assert first.equals(again)
    others = [steps_frame(CrisisModel(rng=seed).run()) for seed in range(12, 16)]
    assert any(not first.equals(other) for other in others)


def test_the_outcome_is_the_last_thing_that_happens():
    """Troops scheduled to arrive on the day the crisis ends do not arrive after it."""
    endings = ("stands down", "is defeated", "stalemate")
    for seed in range(30):
        model = CrisisModel(rng=seed, forward_presence=1700).run()
        assert any(ending in model.log[-1].text for ending in endings), model.log[-3:]
        assert sum(any(e in entry.text for e in endings) for entry in model.log) == 1
