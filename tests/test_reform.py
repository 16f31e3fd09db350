"""The reform negotiation: the properties issue 10 requires, on real runs over many seeds.

Many negotiations run as a negotiation sweep (the sweep `wargame reform --runs` writes,
through the common runner into a real folder). Runs of different packages share their
seeds (common random numbers), so comparisons between packages are paired and the counts
below are exact for these seeds, not noisy.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from wargame.api import load_sweep, sweep
from wargame.attitudes import load_attitudes
from wargame.errors import WargameError
from wargame.reform.agents import TERMS
from wargame.reform.inputs import REFORM_INPUTS, check_reform_inputs
from wargame.reform.model import ReformModel
from wargame.reform.result import outputs, rounds_frame
from wargame.reform_cli import sweep_config
from wargame.roster import load_roster

ALLIES = [s.iso3 for s in load_roster().states.values() if s.nato_member]
#: Every veto player: the allies and the EU members outside NATO (EU unanimity).
VETO = [s.iso3 for s in load_roster().states.values() if s.nato_member or s.eu_member]
NON_EU_ALLIES = [s.iso3 for s in load_roster().states.values()
                 if s.nato_member and not s.eu_member]
SEEDS = range(40)


def _hostile_public(iso3: str) -> dict:
    """The opinion table with `iso3`'s public at the extreme against the reform."""
    table = dict(load_attitudes())
    table[iso3] = dataclasses.replace(
        table[iso3], eu_favourable_pct=0.0, support_common_defence_pct=0.0,
        nato_favourable_pct=100.0, us_favourable_pct=100.0)
    return table


def test_the_veto_players_are_the_32_allies_and_the_eu_members_outside_nato():
    model = ReformModel(rng=0)
    assert len(ALLIES) == 32 and len(model.ally_list) == 36 == len(VETO)
    assert {a.iso3 for a in model.ally_list} - set(ALLIES) == {"AUT", "CYP", "IRL", "MLT"}
    assert "USA" in ALLIES and "CHE" not in VETO
    assert sorted(NON_EU_ALLIES) == ["ALB", "CAN", "GBR", "ISL", "MKD", "MNE", "NOR", "TUR",
                                     "USA"]
    assert model.partner.iso3 == "CHE"


@pytest.mark.parametrize("iso3", VETO)
def test_one_public_at_the_extreme_blocks_every_run_and_is_named(iso3):
    """Unanimity: even the most generous package cannot buy a public that rejects it."""
    attitudes = _hostile_public(iso3)
    for seed in range(5):
        model = ReformModel(rng=seed, attitudes=attitudes, inclusiveness=1.0,
                            side_payments_bn=150.0).run()
        out = outputs(model)
        assert not out["adopted"]
        assert iso3 in out["blocking"]
        assert "ratification floor" in out["blocking_reasons"][iso3]


def negotiations(folder: Path, grid: dict, runs: int, base_seed: int,
                 fixed: dict | None = None) -> pd.DataFrame:
    """One row per negotiation of a sweep of the packages of `grid`, paired seeds."""
    sweep(sweep_config(fixed or {}, grid, runs, base_seed), folder, name="reform-batch")
    return load_sweep(folder).runs


def test_a_us_demand_above_the_offer_is_never_adopted_and_the_us_holds_out(tmp_path):
    runs = negotiations(tmp_path / "n", {"us_demand": [1.0, 2.0, 3.0],
                                         "eu_budget_increase": [0.5, 0.9, 1.9]},
                        runs=15, base_seed=7, fixed={"side_payments_bn": 150.0,
                                                     "inclusiveness": 1.0})
    above = runs[runs["us_demand"] > runs["eu_budget_increase"]]
    assert len(above) == 8 * 15
    assert not above["adopted"].any()
    assert above["blocking"].str.split().apply(lambda codes: "USA" in codes).all()
    # The same packages with a demand met are adopted at least sometimes: the test can fail.
    assert runs[runs["us_demand"] <= runs["eu_budget_increase"]]["adopted"].any()


def _adoptions(folder: Path, grid: dict, fixed: dict | None = None) -> pd.Series:
    runs = negotiations(folder, grid, runs=len(SEEDS), base_seed=SEEDS[0], fixed=fixed)
    return runs.groupby(list(grid))["adopted"].sum()


@pytest.mark.slow
def test_agreement_never_falls_with_inclusiveness_paired_seeds(tmp_path):
    # Agreement among the veto players, no treaty (ratification draws aside), the
    # disputes never settled (a settlement draw would differ between voice levels).
    runs = negotiations(tmp_path / "n", {"inclusiveness": [0.0, 0.25, 0.5, 0.75, 1.0]},
                        runs=len(SEEDS), base_seed=SEEDS[0],
                        fixed={"side_payments_bn": 0.0, "treaty_change": False,
                               "linkage_resolution": 0.0})
    counts = runs.groupby("inclusiveness")["agreed"].sum()
    assert counts.is_monotonic_increasing, counts.to_dict()
    assert counts.iloc[-1] > counts.iloc[0], counts.to_dict()  # and the lever acts


@pytest.mark.slow
def test_adoption_never_falls_with_side_payments_paired_seeds(tmp_path):
    counts = _adoptions(tmp_path / "n", {"side_payments_bn": [0.0, 2.0, 5.0, 10.0, 25.0]},
                        fixed={"inclusiveness": 0.0})
    assert counts.is_monotonic_increasing, counts.to_dict()
    assert counts.iloc[-1] > counts.iloc[0], counts.to_dict()


def test_non_eu_allies_say_yes_more_often_with_more_inclusiveness():
    """First-round answers of the non-EU allies, with no money on the table."""
    shares = []
    for inclusiveness in (0.0, 0.5, 1.0):
        yes = []
        for seed in range(30):
            model = ReformModel(rng=seed, inclusiveness=inclusiveness, side_payments_bn=0.0,
                                deadline_rounds=1).run()
            first = rounds_frame(model)
            yes.append(first[first["iso3"].isin(NON_EU_ALLIES)]["position_yes"].mean())
        shares.append(sum(yes) / len(yes))
    assert shares[0] < shares[1] < shares[2], shares


def test_the_same_seed_gives_the_same_negotiation_and_another_seed_another():
    def run(seed):
        model = ReformModel(rng=seed, side_payments_bn=5.0).run()
        return outputs(model), rounds_frame(model)

    (out_a, rounds_a), (out_b, rounds_b) = run(3), run(3)
    assert out_a == out_b
    pd.testing.assert_frame_equal(rounds_a, rounds_b)
    others = [run(seed)[1] for seed in (4, 5)]
    assert any(not r.equals(rounds_a) for r in others)


def test_a_run_ends_adopted_with_no_holdouts_or_blocked_at_the_deadline():
    for seed in range(10):
        model = ReformModel(rng=seed, deadline_rounds=6, side_payments_bn=0.0,
                            eu_budget_increase=2.5, us_demand=0.5).run()
        out = outputs(model)
        if out["adopted"]:
            assert out["blocking"] == [] and 1 <= out["round"] <= 6
        else:
            assert out["round"] is None and model.round == 6 and out["blocking"]
            assert set(out["blocking"]) == set(out["blocking_reasons"])


def test_side_payments_never_exceed_the_budget_and_never_go_to_the_us():
    for budget in (0.0, 3.0, 40.0):
        model = ReformModel(rng=2, side_payments_bn=budget).run()
        out = outputs(model)
        assert out["side_payments_spent_bn"] <= budget + 1e-9
        assert abs(sum(out["payments_bn"].values()) - out["side_payments_spent_bn"]) < 1e-4
        assert "USA" not in out["payments_bn"]


def test_the_cheapest_holdouts_are_paid_first():
    """Nobody is paid in round 1; in round 2 every holdout paid was cheaper than every one
    not paid, and no ally that said yes was paid."""
    model = ReformModel(rng=0, side_payments_bn=1.0, eu_budget_increase=2.0,
                        deadline_rounds=2)
    model.step()
    assert model.proposer.spent_bn == 0.0
    target = model.inputs.payment_target_utility
    holdouts = {a.iso3 for a in model.ally_list if not a.accepts and a.iso3 != "USA"}
    prices = {a.iso3: a.price_bn(target) for a in model.ally_list if a.iso3 in holdouts}
    model.step()
    paid = {a.iso3 for a in model.ally_list if a.received_bn > 0}
    unpaid_priced = [prices[i] for i in prices if i not in paid and prices[i] > 1e-9]
    assert paid and unpaid_priced and paid <= holdouts
    assert max(prices[i] for i in paid) <= min(unpaid_priced)


def test_status_choices_follow_inclusiveness_with_a_reason():
    def choice(inclusiveness, iso3):
        model = ReformModel(rng=0, inclusiveness=inclusiveness).run()
        return outputs(model)["choices"][iso3]

    for iso3, integrated, associated in [("GBR", "structured_cooperation",
                                          "independent_nato_role"),
                                         ("CAN", "structured_cooperation",
                                          "transatlantic_partnership")]:
        high, low = choice(1.0, iso3), choice(0.0, iso3)
        assert (high["choice"], low["choice"]) == (integrated, associated)
        assert "asked" in high["reason"] and "asked" in low["reason"]
    assert set(outputs(ReformModel(rng=0).run())["choices"]) == {*NON_EU_ALLIES, "CYP", "CHE"}


def test_the_uk_integrates_only_when_its_voice_and_its_fee_gap_are_met():
    def uk(**package):
        model = ReformModel(rng=0, **package)
        return outputs(model.run())["choices"]["GBR"], model.fees_paid

    (rich, paid), (poor, unpaid) = uk(inclusiveness=0.8), uk(inclusiveness=0.8,
                                                           side_payments_bn=0.5)
    assert rich["integrated"] and "GBR" in paid and "fee gap paid" in rich["reason"]
    assert not poor["integrated"] and "GBR" not in unpaid and "unpaid" in poor["reason"]
    assert not uk(inclusiveness=0.7)[0]["integrated"]  # voice asked: 0.75


def test_turkey_integrates_only_when_the_dispute_with_greece_and_cyprus_is_settled():
    never = ReformModel(rng=0, inclusiveness=1.0, linkage_resolution=0.0)
    always = next(m for seed in range(50)
                  if all((m := ReformModel(rng=seed, inclusiveness=1.0,
                                           linkage_resolution=0.5)).settled.values()))
    by = {m: {a.iso3: a for a in m.ally_list} for m in (never, always)}
    assert not by[never]["TUR"].status().integrated and by[never]["TUR"].linkage < 0
    assert by[never]["CYP"].linkage < 0  # Türkiye's objection stands too: Berlin Plus
    assert by[always]["TUR"].status().integrated and by[always]["TUR"].linkage == 0.0
    assert "GRC and CYP object" in by[never]["TUR"].status().reason


def test_rounds_have_one_row_per_round_and_ally_with_every_term():
    model = ReformModel(rng=1, side_payments_bn=0.0, eu_budget_increase=2.5).run()
    frame = rounds_frame(model)
    assert len(frame) == model.round * len(VETO)
    assert frame.groupby("round")["iso3"].nunique().eq(len(VETO)).all()
    for column in ("position_yes", *TERMS, "utility", "payment_round_bn", "received_bn"):
        assert column in frame.columns
    total = frame[list(TERMS)].sum(axis=1)
    assert (total - frame["utility"]).abs().max() < 1e-9


def test_missing_survey_figures_are_filled_by_the_declared_fallbacks_and_named():
    model = ReformModel(rng=0)
    by_iso3 = {a.iso3: a for a in model.ally_list}
    assert by_iso3["BEL"].public.imputed  # no survey figure at all for Belgium
    assert "nato_favourable_pct" not in by_iso3["POL"].public.imputed
    low = ReformModel(rng=0, fallback_eu_favourable_pct=46.0)
    high = ReformModel(rng=0, fallback_eu_favourable_pct=87.0)
    support = {m: {a.iso3: a.public.reform_support for a in m.ally_list} for m in (low, high)}
    assert support[high]["BEL"] > support[low]["BEL"]
    assert support[high]["POL"] == support[low]["POL"]  # Poland's EU figure is sourced


def test_inputs_are_checked_with_one_line():
    with pytest.raises(WargameError, match="inclusiveness = 1.5 is not allowed"):
        check_reform_inputs({"inclusiveness": 1.5}, "test")
    with pytest.raises(WargameError, match="unknown reform input 'inclusivenes'.*inclusiveness"):
        ReformModel(inclusivenes=0.5)
    for item in REFORM_INPUTS.values():
        assert item.reason and item.label
        if not item.numeric:
            continue
        assert item.low <= item.default <= item.high
        if item.role == "uncertainty":
            assert item.low < item.high, item.name


def _ally(model: ReformModel, iso3: str):
    return next(a for a in model.ally_list if a.iso3 == iso3)


def test_each_answer_says_why_red_line_payments_mood_or_terms():
    """The reason of a move is read from what decided it (docs/REFORM.md §3.3, §3.4)."""
    model = ReformModel(rng=0, us_demand=3.0)
    model.shocks = np.zeros(len(model.ally_list))  # no mood: the utility decides
    usa, italy = (_ally(model, iso3) for iso3 in ("USA", "ITA"))
    for ally in (usa, italy):
        ally.step()
    assert not usa.accepts
    assert usa.answer().reason() == "red line: US demand of 3 points of GDP above the 1.5 offered"
    assert not italy.accepts and italy.utility < 0
    assert italy.answer().reason() == (f"largest cost fiscal {italy.fiscal:+.2f}, "
                                   f"largest gain security {italy.security:+.2f}")
    assert italy.package_value == pytest.approx(sum(italy.terms().values()))
    price = italy.price_bn(1.0)
    italy.receive(price)
    italy.step()
    assert italy.accepts
    assert italy.answer().reason() == (f"side payments of EUR {price:.2f} bn ({italy.money:+.2f}) "
                                   f"tip the balance against fiscal {italy.fiscal:+.2f}")
    spain = _ally(model, "ESP")  # not an initiator: its utility is negative
    model.shocks[spain.index] = 5.0
    spain.step()
    assert spain.accepts and spain.utility < 0
    assert spain.answer().reason() == "its mood (+5.00) outweighs the utility"
    assert [e.text.split(":")[0] for e in model.log[1:]] == [
        "Italy says yes (utility +1.00)", f"Spain says yes (utility {spain.utility:+.2f})"]


def test_the_log_names_every_answer_and_its_reason_without_changing_the_run():
    # Recording reasons does not change a run: the same outcome as without the log's words.
    model = ReformModel(rng=1).run()
    again = ReformModel(rng=1, record_rounds=False).run()
    assert model.adopted_round == again.adopted_round is not None
    assert model.proposer.spent_bn == again.proposer.spent_bn
    blocked = ReformModel(rng=1, side_payments_bn=0.0, eu_budget_increase=2.5).run()
    assert blocked.holdouts()
    for run in (model, blocked):
        answers = [e for e in run.log if " says " in e.text]
        assert all("): " in e.text for e in answers)  # "(utility +0.52): <reason>"
        first = {e.iso3 for e in answers if e.round == 1}
        assert first == set(VETO)  # round 1: every veto player's first answer, yes or no
        last = {}
        for e in answers:
            last[e.iso3] = " says yes " in e.text
        assert last == {a.iso3: a.accepts for a in run.ally_list}
