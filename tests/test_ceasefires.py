"""The ceasefire reference class, its fit, and the default it checks (MODEL.md §3.10)."""

from __future__ import annotations

import pytest

import wargame.tables as tables
from wargame import ceasefires
from wargame.ceasefires import (
    CHI2_1_95,
    War,
    fitted_ceasefire_rate,
    likelihood_interval,
    log_likelihood,
    reference_wars,
)
from wargame.errors import WargameError
from wargame.inputs import INPUTS


def test_one_frozen_war_is_fitted_by_the_inverse_of_its_length():
    # log L of one wait t is log r - 2 log(1 + r t): its maximum is at r = 1 / t.
    assert fitted_ceasefire_rate((War("one", 40, True),)) == pytest.approx(1 / 40, rel=1e-9)


def test_a_war_still_unfrozen_lowers_the_fitted_rate():
    frozen = (War("a", 10, True), War("b", 30, True))
    with_open_war = (*frozen, War("c", 1000, False))
    assert fitted_ceasefire_rate(with_open_war) < 0.6 * fitted_ceasefire_rate(frozen)


def test_the_fit_is_the_maximum_and_the_interval_its_likelihood_ratio_bounds():
    wars = reference_wars()
    best = fitted_ceasefire_rate(wars)
    for step in (0.9, 1.1):
        assert log_likelihood(best, wars) > log_likelihood(best * step, wars)
    low, high = likelihood_interval(wars)
    assert low < best < high
    for bound in (low, high):
        drop = 2 * (log_likelihood(best, wars) - log_likelihood(bound, wars))
        assert drop == pytest.approx(CHI2_1_95, abs=1e-6)


def test_the_assumed_default_and_range_agree_with_the_reference_class():
    low, high = likelihood_interval(reference_wars())
    rate = INPUTS["ceasefire_rate"]
    assert low <= rate.default <= high
    assert rate.low < low * 1.5 and rate.high > high / 2  # the range spans most of it
    fit = fitted_ceasefire_rate(reference_wars())
    assert f"{fit:.3f}" in rate.reason and f"{low:.3f}-{high:.2f}" in rate.reason


def test_the_class_follows_its_rule():
    rows = tables.read_table(ceasefires.FILE, ("war", "in_class", "source", "notes"))
    assert all(row["source"] for row in rows)
    left_out = [row for row in rows if row["in_class"] == "no"]
    assert left_out and all("left out" in row["notes"] for row in left_out)
    assert len(reference_wars()) == len(rows) - len(left_out) >= 5
    assert [w.name for w in reference_wars() if not w.frozen] == ["ukraine_2022"]


@pytest.mark.parametrize(("row", "message"), [
    ("x,A,B,2020-01-10,2020-01-01,,yes,src,", "ends on or before it starts"),
    ("x,A,B,2020-01-01,,,yes,src,", "exactly one of ceasefire and observed_until"),
    ("x,A,B,2020-01-01,2020-02-01,2020-03-01,yes,src,", "exactly one of"),
    ("x,A,B,1 May 2020,2020-02-01,,yes,src,", "is not a date"),
    ("x,A,B,2020-01-01,2020-02-01,,maybe,src,", "in_class must be yes or no"),
    ("x,A,B,2020-01-01,,2020-02-01,yes,src,", "no war of the class has a ceasefire"),
])
def test_a_bad_row_is_one_clear_line(tmp_path, monkeypatch, row, message):
    header = (tables.DATA_DIR / ceasefires.FILE).read_text(encoding="utf-8").splitlines()[0]
    (tmp_path / ceasefires.FILE).write_text(f"{header}\n{row}\n", encoding="utf-8")
    monkeypatch.setattr(tables, "DATA_DIR", tmp_path)
    ceasefires.coded_wars.cache_clear()
    try:
        with pytest.raises(WargameError, match=message) as error:
            ceasefires.reference_wars()
        assert "\n" not in str(error.value) and ceasefires.FILE in str(error.value)
    finally:
        ceasefires.coded_wars.cache_clear()
