"""The posture tables (mandates, forward presence, opinion) and the land areas."""

from __future__ import annotations

from pathlib import Path

import pytest

from wargame.errors import WargameError
from wargame.geography import area_km2
from wargame.posture import DATA_DIR, mandate_class, postures, presence_contributors
from wargame.roster import check_target, coalition_iso3, load_roster, target_iso3

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.mark.skipif(not SHARED.exists(), reason="shared/ is beside the checkout only in sessions")
@pytest.mark.parametrize("name", ["deployment_rules.csv", "forward_presence.csv",
                                  "attitudes.csv"])
def test_package_copies_match_the_shared_tables(name):
    assert (DATA_DIR / name).read_bytes() == (SHARED / name).read_bytes()


def test_mandate_classes_follow_the_coded_rules():
    assert mandate_class("yes", "no exception found") == "parliament"
    assert mandate_class("yes", "yes: Art. 92 exempts treaty deployments") == "executive"
    assert mandate_class("no", "n/a") == "executive"
    assert mandate_class("partial", "not found") == "partial"
    assert mandate_class("", "n/a") == "partial"
    table = postures()
    assert table["DEU"].mandate == "parliament" and table["FRA"].mandate == "executive"
    assert table["TUR"].mandate == "executive" and table["CZE"].mandate == "executive"


def test_public_support_is_sourced_where_surveyed_and_the_median_elsewhere():
    table = postures()
    assert table["TUR"].nato_support == pytest.approx(0.42)
    assert table["POL"].nato_support == pytest.approx(0.81)
    assert table["AUT"].nato_support == pytest.approx(0.63)  # no survey: the median


def test_estonia_battlegroup_has_its_framework_nation_first():
    assert presence_contributors("EST") == ("GBR", "DNK", "FRA", "ISL")
    assert presence_contributors("FIN") == ()


def test_land_areas_from_the_shipped_outlines_match_official_figures():
    assert area_km2("Estonia") == pytest.approx(45_300, rel=0.03)
    assert area_km2("Finland") == pytest.approx(338_000, rel=0.05)
    assert area_km2("Türkiye") > area_km2("Poland")


def test_every_state_that_may_be_attacked_has_a_land_area_and_canada_is_refused():
    """The front is scaled on the target's area: a target without an outline would crash
    every run, so such a state must be refused by the input check instead."""
    roster = load_roster()
    assert all(area_km2(roster.states[iso3].name) > 0 for iso3 in target_iso3())
    with pytest.raises(WargameError, match="outside the European outlines"):
        check_target("CAN", "test")
    assert "CAN" in coalition_iso3()  # Canada still helps
