"""The sourced tables beside the roster: mandates, neutrality, presence, ties, opinion,
depth, capability by crisis year, and the geography of the theatre."""

from __future__ import annotations

import statistics
from pathlib import Path

import numpy as np
import pytest

from wargame.capability import capability
from wargame.crisis_setup import build_run, forward_shares, theatre
from wargame.depth import depths, wartime_troops
from wargame.errors import WargameError
from wargame.geography import (
    area_km2,
    km_to,
    land_route_km,
    nearest_ground_off_the_border,
    outline_name,
)
from wargame.opinion import ally_defence_support, median_ally_defence_support, willingness
from wargame.posture import (
    DATA_DIR,
    deploys_before_approval,
    mandate_class,
    mandates,
    neutral_policy,
    presence_contributors,
    troops_in,
)
from wargame.roster import check_target, coalition_iso3, load_roster, target_iso3
from wargame.scenario import load_scenario
from wargame.tables import read_table
from wargame.ties import load_ties, tie_profile

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
COPIES = ["deployment_rules.csv", "forward_presence.csv", "attitudes.csv",
          "defence_ties.csv", "public_willingness.csv", "force_facts.csv",
          "eu_defence_finance.csv", "us_enablers.csv", "art427_procedure.csv", "readiness.csv"]


@pytest.mark.skipif(not SHARED.exists(), reason="shared/ is beside the checkout only in sessions")
@pytest.mark.parametrize("name", COPIES)
def test_package_copies_match_the_shared_tables(name):
    assert (DATA_DIR / name).read_bytes() == (SHARED / name).read_bytes()


def test_who_may_reinforce_attacked_soldiers_before_a_mandate():
    """Executive states always may; a prior-approval state only with an emergency
    exception in its law; the project's coding covers every state that needs a mandate."""
    assert deploys_before_approval("FRA") and deploys_before_approval("CZE")
    assert deploys_before_approval("DEU") and deploys_before_approval("GBR")
    assert not deploys_before_approval("HRV") and not deploys_before_approval("ROU")
    coded = {row["iso3"] for row in read_table("urgent_deployment.csv", ("iso3",))}
    needing = {iso3 for iso3, kind in mandates().items() if kind != "executive"}
    assert needing - {"ISL"} <= coded  # Iceland has no forces to send


def test_mandate_classes_follow_the_coded_rules():
    assert mandate_class("yes", "no exception found") == "parliament"
    assert mandate_class("yes", "yes: Art. 92 exempts treaty deployments") == "executive"
    assert mandate_class("no", "n/a") == "executive"
    assert mandate_class("partial", "not found") == "partial"
    assert mandate_class("", "n/a") == "partial"
    table = mandates()
    assert table["DEU"] == "parliament" and table["FRA"] == "executive"
    assert table["TUR"] == "executive" and table["CZE"] == "executive"


def test_neutrality_comes_from_the_rules_table():
    neutral = {iso3 for iso3 in mandates() if neutral_policy(iso3)}
    assert neutral == {"AUT", "IRL", "MLT", "CHE", "CYP"}
    roster = load_roster()
    assert {s.iso3 for s in roster.states.values() if s.neutral} == neutral


def test_presence_joins_the_battlegroup_table_and_the_stationing_ties():
    assert presence_contributors("EST") == ("GBR", "DNK", "FRA", "ISL")
    assert presence_contributors("FIN") == ()
    assert troops_in("LTU")[0] == "DEU"  # framework nation, and its brigade
    assert "FRA" not in troops_in("LTU")  # in 2017's battlegroup, not the latest snapshot's
    assert "GRC" in troops_in("CYP")  # the ELDYK contingent (Treaty of Alliance)


def test_forward_presence_is_shared_with_the_framework_nation_weighted_and_none_for_iceland():
    roster = load_roster()
    shares = forward_shares(("GBR", "DNK", "FRA", "ISL"), roster, 2200)
    assert shares["ISL"] == 0 and shares["GBR"] == 3 * shares["DNK"]
    assert sum(shares.values()) == pytest.approx(2200, abs=2)


def test_the_forward_presence_lever_sets_the_total_even_below_the_sourced_figures():
    """A probe found Latvia's sourced contingents (Denmark 800, Slovakia 152) stationed
    whatever the lever said, 0 included: the lever caps the total."""
    roster = load_roster()
    sourced = {"DNK": 800, "SVK": 152}
    contributors = ("CAN", "DNK", "SVK", "ESP")
    assert sum(forward_shares(contributors, roster, 0, sourced).values()) == 0
    small = forward_shares(contributors, roster, 300, sourced)
    assert sum(small.values()) <= 300 and small["DNK"] > small["SVK"] > 0
    assert small["CAN"] == small["ESP"] == 0  # the sourced figures alone exceed it
    full = forward_shares(contributors, roster, 1700, sourced)
    assert full["DNK"] == 800 and full["SVK"] == 152  # room for them: as sourced


def test_an_attack_over_land_starts_on_the_shared_border_not_from_an_exclave_across_the_sea():
    """Kaliningrad is Russia's ground nearest Oslo, but across the Baltic and Sweden: the
    front to Norway's capital starts on their land border in the north (a probe found a
    782 km front from Kaliningrad). The shipped targets' fronts start on the border already
    and are measured as before."""
    roster = load_roster()
    areas = ("Russia", "Belarus")
    norway = theatre(roster["NOR"], "RUS")
    assert norway.objective_km > 1000
    for iso3 in ("EST", "LVA", "LTU", "POL", "FIN"):
        state = roster[iso3]
        name = outline_name(state.name)
        assert not nearest_ground_off_the_border(name, areas, state.lat, state.lon)
        assert theatre(state, "RUS").objective_km == pytest.approx(
            km_to(areas, state.lat, state.lon))
    assert nearest_ground_off_the_border("Norway", areas, roster["NOR"].lat, roster["NOR"].lon)


def test_ties_read_the_unquoted_row_and_give_each_pair_its_clause():
    assert len(load_ties()) == 116
    aachen = [t for t in load_ties() if t.a_iso3 == "FRA" and t.b_iso3 == "DEU"
              and t.obligation == "mutual_assistance_clause"]
    assert aachen and "embedded in Art.5" in aachen[0].tie  # the comma stays in the text
    assert tie_profile("FRA", "POL").clause == 1.0  # Nancy, 2025
    assert tie_profile("POL", "FRA").clause == 1.0  # a clause binds both ways
    assert tie_profile("GBR", "FIN").clause == 0.5  # a political declaration
    assert tie_profile("GRC", "CYP").stationed and not tie_profile("CYP", "GRC").stationed
    assert tie_profile("ESP", "EST") == tie_profile("ESP", "EST").__class__(0.0, False, False,
                                                                         False)


def test_opinion_reads_only_the_ally_defence_item_latest_year():
    support = ally_defence_support()
    assert support["NLD"] == pytest.approx(0.72)  # 2017, its only figure
    assert support["ITA"] == pytest.approx(0.25)  # 2019 replaces 2015's 40
    assert "FIN" not in support  # asked only whether they would fight for their own country
    assert willingness("FIN") == median_ally_defence_support()


def test_a_winning_answer_without_a_figure_takes_its_answer_groups_median():
    """Pew 2019 as reported gives Türkiye and Lithuania only which answer won: each takes
    the median figure of the states that gave the same answer that year, not the median of
    all (Türkiye a 'should not' majority, Lithuania a 'should' majority)."""
    support = ally_defence_support()
    assert "TUR" not in support and "LTU" not in support
    should_not = [support[iso3] for iso3 in ("ITA", "DEU", "ESP", "FRA", "POL")]
    should = [support[iso3] for iso3 in ("NLD", "USA", "CAN", "GBR")]
    assert willingness("TUR") == pytest.approx(statistics.median(should_not))
    assert willingness("LTU") == pytest.approx(statistics.median(should))
    assert willingness("TUR") < median_ally_defence_support() < willingness("LTU")


def test_depth_table_holds_sourced_wartime_strengths_and_never_lowers_the_active_force():
    table = depths()
    assert table["FIN"].wartime == 280_000 and table["EST"].wartime == 43_700
    assert all(d.low <= d.wartime <= d.high for d in table.values())
    assert wartime_troops("FRA", 200_000) == 200_000  # no row: its active force only
    assert all(row["source"] for row in read_table("force_depth.csv", ("source",)))


def test_capability_grows_with_the_crisis_year_and_nothing_is_bought_today():
    roster = load_roster()
    today = capability(roster, 2025, 1.0, 150.0, 0.2, 265.0)
    assert today.spending_factor == {} and today.european_enablers == 0.0
    later = capability(roster, 2030, 1.0, 150.0, 0.2, 265.0)
    latest = capability(roster, 2035, 1.0, 150.0, 0.2, 265.0)
    assert 0 < later.european_enablers < latest.european_enablers <= 1.0
    assert latest.spending_factor["DEU"] > later.spending_factor["DEU"] > 1.0
    none = capability(roster, 2035, 0.0, 0.0, 0.2, 265.0)
    assert none.european_enablers == 0.0


def test_the_theatre_is_measured_from_the_attackers_territory_or_the_coast():
    roster = load_roster()
    estonia = theatre(roster["EST"], "RUS")
    assert 150 < estonia.objective_km < 190  # Tallinn from Narva's side
    assert 20 < theatre(roster["LTU"], "RUS").objective_km < 40  # Vilnius from Belarus
    cyprus = theatre(roster["CYP"], "expeditionary")
    assert cyprus.landing is not None and cyprus.objective_km > 20
    assert np.all(np.diff(estonia.ground) >= 0)


def test_land_routes_go_round_the_attacker_and_islands_have_none():
    closed = frozenset({"Russia", "Belarus"})
    by_land = land_route_km(("Finland", 60.17, 24.94), ("Estonia", 59.44, 24.75), closed)
    assert by_land > 2000  # round the Baltic, not across the gulf
    assert land_route_km(("Greece", 37.98, 23.73), ("Cyprus", 35.17, 33.36), frozenset()) is None
    assert outline_name("Türkiye") == "Turkey"


def test_land_areas_from_the_shipped_outlines_match_official_figures():
    assert area_km2("Estonia") == pytest.approx(45_300, rel=0.03)
    assert area_km2("Finland") == pytest.approx(338_000, rel=0.05)
    assert area_km2("Türkiye") > area_km2("Poland")


def test_every_state_that_may_be_attacked_has_a_land_area_and_canada_is_refused():
    """The theatre is measured on the target's outline: a target without one would crash
    every run, so such a state must be refused by the input check instead."""
    roster = load_roster()
    assert all(area_km2(roster.states[iso3].name) > 0 for iso3 in target_iso3())
    with pytest.raises(WargameError, match="outside the European outlines"):
        check_target("CAN", "test")
    assert "CAN" in coalition_iso3()  # Canada still helps


def test_forward_presence_keeps_a_sourced_figure_caps_at_deployable_and_counts_the_us_once():
    """Norway's sourced 150 in Lithuania stands; no contributor holds more than it can
    deploy; the US (no agent) takes no share: its troops there are `us_forward_troops`."""
    roster = load_roster()
    shares = forward_shares(("DEU", "LUX", "NOR", "USA"), roster, 3600, {"NOR": 150})
    assert shares["NOR"] == 150
    assert shares["LUX"] == min(round(3450 / 6), roster["LUX"].deployable_troops)
    assert all(shares[iso3] <= roster[iso3].deployable_troops for iso3 in shares)
    # Poland's battlegroup (1,033) is half US: that half is in us_forward_troops, so it is
    # neither a European contingent nor unassigned presence.
    poland = build_run(load_scenario("poland").parameters).crisis
    held = {s.profile.iso3: s.stationed_troops for s in poland.states if s.stationed_troops}
    assert set(held) == {"GBR", "HRV", "ROU"} and sum(held.values()) < 1033 / 2 + 2
    assert poland.forward_unassigned <= 1 and poland.us_forward == 10_000
