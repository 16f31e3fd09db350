"""The shipped data table, its validation and the derived quantities."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from wargame.errors import WargameError
from wargame.roster import (
    DATA_FILE,
    fiscal_space,
    haversine_km,
    load_roster,
    read_table,
)

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "states.csv"


def test_shipped_table_has_the_documented_roster():
    roster = load_roster()
    assert len(roster.states) == 39
    assert sum(s.eu_member for s in roster.states.values()) == 27
    assert sum(s.nato_member for s in roster.states.values()) == 32
    assert {s.iso3 for s in roster.states.values() if s.neutral} == {"AUT", "IRL", "MLT", "CYP",
                                                                     "CHE"}
    # Figures copied from the sourced table (SIPRI, IISS, IMF).
    assert roster["POL"].defence_exp_usd_bn == pytest.approx(38.001)
    assert roster["RUS"].active_troops == 1_134_000
    assert roster["EST"].border_with_russia_or_belarus
    assert len(roster.coalition_candidates()) == 36


@pytest.mark.skipif(not SHARED.exists(), reason="shared/ is beside the checkout only in sessions")
def test_package_copy_matches_the_shared_table():
    assert DATA_FILE.read_bytes() == SHARED.read_bytes()


def test_derived_quantities_follow_their_definitions():
    roster = load_roster()
    assert fiscal_space(40, 60.0) == 1.0
    assert fiscal_space(120, 60.0) == pytest.approx(0.5)
    assert roster["GRC"].fiscal_space == pytest.approx(1 / (1 + (154.8 - 60) / 60))
    # Paris-Berlin is about 880 km on the great circle.
    assert haversine_km(48.8566, 2.3522, 52.52, 13.405) == pytest.approx(878, abs=5)
    low, high = 0.05, 0.20  # half to double the default base share of 0.10
    for state in roster.coalition_candidates():
        if state.active_troops:
            assert low <= state.deployable_share <= high
    assert roster["ISL"].deployable_troops == 0
    candidates = roster.coalition_candidates()
    assert sum(s.capability_index for s in candidates) == pytest.approx(1.0)
    assert max(candidates, key=lambda s: s.capability_index).iso3 in {"FRA", "DEU", "TUR"}


def _broken_copy(tmp_path: Path, edit) -> Path:
    path = tmp_path / "states.csv"
    shutil.copy(DATA_FILE, path)
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    fields = list(rows[0])
    rows, fields = edit(rows, fields)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return path


def _set(row_index: int, column: str, value: str):
    def edit(rows, fields):
        rows[row_index][column] = value
        return rows, fields

    return edit


def _drop_column(column: str):
    def edit(rows, fields):
        for row in rows:
            row.pop(column)
        return rows, [f for f in fields if f != column]

    return edit


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (_set(2, "gdp_usd_bn", "lots"), "row 4 (BGR), column gdp_usd_bn: 'lots' is not a number"),
        (_set(0, "capital_lat", "95"), "row 2 (AUT), column capital_lat: 95 is outside"),
        (_set(1, "eu_member", "yes"), "row 3 (BEL), column eu_member: 'yes' is not a flag"),
        (_set(3, "iso3", "AUT"), "row 5 (AUT), column iso3: duplicate of row 2"),
        (_set(3, "iso3", "hr"), "column iso3: 'hr' is not an ISO 3166-1 alpha-3 code"),
        (_set(5, "active_personnel_k", "-3"), "row 7 (CZE), column active_personnel_k: -3"),
        (_drop_column("gov_debt_pct_gdp"), "missing required column(s): gov_debt_pct_gdp"),
    ],
)
def test_a_broken_table_is_refused_with_file_row_and_column(tmp_path, edit, expected):
    path = _broken_copy(tmp_path, edit)
    with pytest.raises(WargameError) as error:
        read_table(path)
    message = str(error.value)
    assert str(path) in message and expected in message
    assert "\n" not in message


def test_missing_table_is_one_line(tmp_path):
    with pytest.raises(WargameError, match="state table not found"):
        read_table(tmp_path / "nope.csv")


def test_roster_inputs_change_the_derived_figures_and_the_run():
    """No cache may hide a changed input: the derived roster and a run follow it."""
    from wargame.model import CrisisModel

    default = load_roster()
    wider = load_roster(base_deployable_share=0.2, fiscal_debt_reference_pct=90.0)
    assert wider["FRA"].deployable_troops > default["FRA"].deployable_troops
    assert wider["GRC"].fiscal_space == pytest.approx(1 / (1 + (154.8 - 90) / 90))
    assert load_roster() == default  # the default derivation is untouched
    model = CrisisModel(rng=3, base_deployable_share=0.2)
    fra = next(s for s in model.state_list if s.iso3 == "FRA")
    assert fra.profile.deployable_troops == wider["FRA"].deployable_troops
