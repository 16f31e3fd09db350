"""Each mechanism of the model on its own, against its definition in docs/MODEL.md."""

from __future__ import annotations

import math
import pickle
import random

import pytest

from wargame.agents import Commitment, Rung, StateAgent
from wargame.crisis_setup import CACHE_SIZE, cached_sets, clear_cache, setup_for
from wargame.errors import WargameError
from wargame.governance import rrf_arrival_day, theatre_integration, treaty_bond, us_channel
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
    # The RRF's readiness grows continuously with the command that leads it.
    ready, delay = D["rrf_readiness_days"], D["rrf_command_delay_days"]
    assert rrf_arrival_day(est, regime("art427_only", 0.0), 0.0) == ready + delay
    assert rrf_arrival_day(est, regime("art427_only", 1.0), 1.0) == ready
    assert rrf_arrival_day(est, regime("eu_led_nato", 0.0), 0.8) == ready + round(delay * 0.2)
    assert rrf_arrival_day(roster["NOR"], regime("eu_led_nato", 1.0), 1.0) is None


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


def test_money_and_forces_wait_for_the_attack_to_be_recognised_and_the_mandate():
    model = CrisisModel(rng=1)
    fra, deu = state(model, "FRA"), state(model, "DEU")
    assert model.attribution_day >= 1 and not model.invoked
    fra.move_to(Commitment.POLITICAL)
    fra.days_at_level = 99
    assert not fra.can_step_up()  # a hybrid attack not yet recognised as armed aggression
    model.invoked = True
    assert fra.can_step_up()
    # A forces pledge waits for the mandate: longer where parliament approves first.
    fra.move_to(Commitment.FINANCIAL)
    assert not fra.can_step_up()
    fra.days_at_level = fra._deliberation[Commitment.FINANCIAL]
    assert fra.can_step_up()
    means = {"FRA": D["mandate_days_executive"], "DEU": D["mandate_days_parliament"]}
    for agent in (fra, deu):
        mandate, mean = agent._deliberation[Commitment.FINANCIAL], means[agent.iso3]
        spread = D["mandate_spread"]
        assert (1 - spread) * mean - 1 <= mandate <= (1 + spread) * mean + 1


def test_mandate_delays_differ_by_state_and_run():
    first = [s._deliberation[2] for s in CrisisModel(rng=1).state_list]
    second = [s._deliberation[2] for s in CrisisModel(rng=2).state_list]
    assert len(set(first)) > 3 and first != second


def test_neutral_states_never_step_up_to_forces_unless_they_opt_in():
    for opt_in in (False, True):
        model = CrisisModel(rng=1, neutral_opt_in=opt_in)
        model.invoked = True
        for iso3 in ("AUT", "IRL", "MLT", "CYP", "CHE"):
            neutral = state(model, iso3)
            neutral.move_to(Commitment.FINANCIAL)
            neutral.days_at_level = 99
            assert neutral.can_step_up() is opt_in


def test_a_state_steps_up_exactly_when_its_gain_with_resolve_is_positive():
    """The threshold rule: persistent resolve makes the choice a logit of the utility."""
    for seed in range(20):
        model = CrisisModel(rng=seed)
        fin = state(model, "FIN")
        expected = fin.gain_of_level(Commitment.POLITICAL) > 0
        fin.step()
        assert (fin.commitment == Commitment.POLITICAL) is expected
    # Resolve is logistic with scale resolve_scale: about half the governments are above 0.
    resolves = [s.resolve for seed in range(40) for s in CrisisModel(rng=seed).state_list]
    assert 0.4 < sum(r > 0 for r in resolves) / len(resolves) < 0.6


def test_iceland_has_no_forces_to_pledge_and_frontline_states_keep_most_at_home(roster):
    model = CrisisModel(rng=1)
    assert not state(model, "ISL").may_send_forces and sum(state(model, "ISL").tier_troops) == 0
    pol = state(model, "POL")
    assert sum(pol.tier_troops) == pytest.approx(
        D["frontline_share_abroad"] * roster["POL"].deployable_troops, abs=3)


def test_efp_contributors_in_the_target_are_tripwired():
    model = CrisisModel(rng=1, forward_presence=2200)
    assert {s.iso3 for s in model.state_list if s.tripwired} == {"GBR", "FRA", "DNK", "ISL"}
    assert not any(s.tripwired for s in CrisisModel(rng=1, forward_presence=0).state_list)


# --- deployment, money, events ----------------------------------------------------------
def test_force_tiers_arrive_as_scheduled_events_after_their_delays():
    """Each readiness tier is in theatre at the end of its own arrival day."""
    model = CrisisModel(rng=4, aggression=0.001)
    pol = state(model, "POL")
    pol.move_to(Commitment.FORCES)
    assert pol.tiers == 1 and pol.pledged_troops == pol.tier_troops[0]
    first = pol.arrival_days[0]
    for _ in range(first - 1):
        model.step()
    assert pol.deployed_troops == 0 or not model.running
    model.step()
    if model.running and pol.commitment == Commitment.FORCES:
        assert pol.deployed_troops >= pol.tier_troops[0] - 1
    assert pol.arrival_days[0] < pol.arrival_days[1] < pol.arrival_days[2]


def test_withdrawal_cancels_troops_in_transit():
    model = CrisisModel(rng=2, aggression=0.001)
    pol = state(model, "POL")
    pol.move_to(Commitment.FORCES)
    pol.move_to(Commitment.FINANCIAL)
    pol.may_send_forces = False  # it will not pledge again
    assert pol.pledged_troops == 0
    for _ in range(pol.arrival_days[0] + 1):
        model.step()
    assert pol.deployed_troops == 0 and pol.pledged_troops == 0


def test_a_state_over_its_budget_cuts_its_package():
    model = CrisisModel(rng=2, aggression=0.001)
    ita = state(model, "ITA")
    ita.move_to(Commitment.FORCES)
    ita.raise_tier()
    assert ita.tiers == 2
    model.pay(ita, ita.budget_bn * 2, refundable=False)
    ita.step()
    assert ita.tiers == 1 and ita.pledged_troops == ita.tier_troops[0]


def test_command_integration_shortens_deployment():
    slow = CrisisModel(rng=1, governance="art427_only", command_integration=0.0)
    fast = CrisisModel(rng=1, governance="art427_only", command_integration=1.0)
    assert sum(sum(b.arrival_days) for b in fast.state_list) < sum(
        sum(a.arrival_days) for a in slow.state_list)


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
    """It leaves when Art. 42.7 is invoked and is in place its readiness days later."""
    model = CrisisModel(rng=1, governance="art427_only", command_integration=1.0,
                        rrf_readiness_days=4, rapid_reaction_force=7000, aggression=0.001,
                        deterrence_days=14)
    assert not model.invoked and model.rrf_troops == 0
    model._invoke()  # the attack is recognised on day 0
    for _ in range(3):
        model.step()
    assert model.rrf_troops == 0
    model.step()
    assert model.rrf_troops == 7000
    assert CrisisModel(rng=1, target="NOR").rrf_promised == 0  # not an EU member


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
    patience = model.adversary.deterrence_days  # drawn per run around deterrence_days
    assert model.day == patience
    assert D["deterrence_days"] // 2 <= patience <= D["deterrence_days"] * 3 // 2
    assert model.adversary.rung == Rung.HYBRID


def test_conventional_attack_takes_territory_at_the_documented_rate():
    model = CrisisModel(rng=1, aggression=0.5, us_commitment=0.0, start_rung="CONVENTIONAL",
                        combat_noise=0.0)
    attack, defence = model.adversary.power, model.defence_effective
    troops_before = model.adversary.troops
    model._fight()
    ratio = attack / (D["defence_multiplier"] * defence)
    assert model.territory_lost == pytest.approx(D["advance_rate"] * math.log(ratio))
    # Lanchester square law: the attacker loses rate/ratio of its troops, the defender rate*ratio.
    assert model.adversary.losses == pytest.approx(
        min(0.5, D["daily_loss_rate"] / ratio) * troops_before)
    finland = CrisisModel(rng=1, target="FIN")
    assert 0.3 < finland.front_scale < 0.45  # a larger country: the front takes less a day


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
    endings = ("stands down", "is defeated", "withdraws from the territory", "front freezes",
               "unresolved")
    for seed in range(30):
        model = CrisisModel(rng=seed, forward_presence=1700).run()
        assert any(ending in model.log[-1].text for ending in endings), model.log[-3:]
        assert sum(any(e in entry.text for e in endings) for entry in model.log) == 1


# --- the per-process setup cache (wargame.crisis_setup) ---------------------------------
def _fingerprint(model: CrisisModel) -> tuple:
    """A run's outputs, event log and per-state ledger, floats by their bits."""
    def bits(value):
        return value.hex() if isinstance(value, float) and not math.isnan(value) else value

    outputs = tuple((k, bits(v)) for k, v in run_outputs(model).items())
    ledger = tuple(tuple(bits(v) for v in row) for row in model.state_ledger)
    return outputs, tuple(model.log), ledger


@pytest.mark.parametrize("inputs", [
    {},
    {"target": "FIN", "start_rung": "CONVENTIONAL", "aggression": 0.3},
    {"governance": "reform"},
    {"base_deployable_share": 0.15, "us_commitment": 1.0, "neutral_opt_in": True},
])
def test_a_cached_setup_gives_the_run_a_fresh_build_gives(inputs):
    """A cache hit runs exactly as a run built from scratch: same outputs, log and rows."""
    fresh = []
    for seed in range(3):  # each built from scratch
        clear_cache()
        fresh.append(_fingerprint(CrisisModel(**inputs, rng=seed).run()))
    assert cached_sets() == 1
    for seed in range(3):  # the cache holds the set now: every run below is a hit
        clear_cache()
        CrisisModel(**inputs, rng=99).run()
        assert _fingerprint(CrisisModel(**inputs, rng=seed).run()) == fresh[seed]


def test_a_run_cannot_change_what_the_next_run_starts_from():
    clear_cache()
    model = CrisisModel(rng=1)
    setup = setup_for({})
    assert model.inputs is setup.inputs and model._setup is setup.crisis
    with pytest.raises(AttributeError):
        model.inputs.us_commitment = 1.0
    with pytest.raises(AttributeError):
        setup.crisis.us_reach = 1.0  # frozen record
    with pytest.raises(AttributeError):
        setup.crisis.states[0].bound = 0.0
    assert isinstance(setup.crisis.states, tuple)
    assert all(isinstance(s.tier_utility, tuple) and isinstance(s.tier_troops, tuple)
               for s in setup.crisis.states)
    with pytest.raises(TypeError):  # the roster every run of the process shares
        model.roster.states["EST"] = model.roster.states["FIN"]
    assert pickle.loads(pickle.dumps(model.roster)).states == model.roster.states  # still travels
    before = _fingerprint(CrisisModel(rng=2).run())
    model.run()  # a run moves its agents and money, never the shared setup
    assert _fingerprint(CrisisModel(rng=2).run()) == before


def test_the_cache_is_bounded_and_tells_apart_equal_looking_inputs():
    clear_cache()
    for i in range(CACHE_SIZE + 6):
        setup_for({"us_commitment": i / 100})
    assert cached_sets() == CACHE_SIZE
    assert setup_for({"us_commitment": 0.0}) is not setup_for({"us_commitment": -0.0})
    assert setup_for({"neutral_opt_in": True}).inputs.neutral_opt_in is True
    with pytest.raises(WargameError, match="us_commitment"):
        CrisisModel(us_commitment=2.0)
    with pytest.raises(WargameError, match="us_commitment"):  # a failure is never kept
        CrisisModel(us_commitment=2.0)
    assert cached_sets() == CACHE_SIZE


def test_the_daily_order_is_what_random_shuffle_gives():
    """The inlined shuffle takes the same draws as `random.Random.shuffle`, in the same order."""
    model = CrisisModel(rng=5)
    order = []
    original = StateAgent.step
    try:
        StateAgent.step = lambda state: order.append(state.iso3)
        check = random.Random()
        check.setstate(model.random.getstate())
        model.step()
    finally:
        StateAgent.step = original
    expected = [s.iso3 for s in model.state_list]
    check.shuffle(expected)
    assert order == expected


def test_without_the_event_log_a_run_is_the_same_run():
    kept, skipped = CrisisModel(rng=8).run(), CrisisModel(rng=8, keep_log=False).run()
    assert kept.log and not skipped.log
    assert repr(run_outputs(kept)) == repr(run_outputs(skipped))
    assert kept.random.getstate() == skipped.random.getstate()
