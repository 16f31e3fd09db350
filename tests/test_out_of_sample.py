"""O1-O2: the out-of-sample comparisons are measured on real runs, reported and never judged.

The reserved records (Ukraine Support Tracker, the responses to France in 2015) must stay
out of the model and the calibration: only `wargame.validation.out_of_sample` reads them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats as scipy_stats

from wargame.validation import out_of_sample as oos
from wargame.validation import stats
from wargame.validation.battery import validate
from wargame.validation.experiments import Settings
from wargame.validation.records import REPORTED
from wargame.validation.report import summary_line, text_report, write_reports

PACKAGE = Path(__file__).resolve().parent.parent / "wargame"


def tiny(checks: tuple[str, ...]) -> Settings:
    return Settings(("baltic", "cyprus"), checks=checks, seeds=10, u_levels=(0.0, 1.0),
                    progress=False)


def test_rank_correlation_and_separation_come_out_as_scipy_gives():
    order = np.arange(12.0)
    same = stats.rank_correlation(order, order ** 2)
    assert same.n == 12 and (same.value, same.low, same.high) == pytest.approx((1.0, 1.0, 1.0))
    assert stats.rank_correlation(order, -order).value == -1.0
    noisy = np.random.default_rng(3).normal(size=12)
    rho = stats.rank_correlation(order, noisy)
    assert rho.value == pytest.approx(scipy_stats.spearmanr(order, noisy).statistic)
    assert rho.low <= rho.value <= rho.high
    # A state with no reference figure (NaN) drops out of both sides.
    assert stats.rank_correlation(np.r_[order, 5.0], np.r_[order, np.nan]).n == 12

    perfect = stats.separation(order, order >= 6)
    assert (perfect.value, perfect.low, perfect.high) == pytest.approx((1.0, 1.0, 1.0))
    mixed = stats.separation(np.array([1.0, 2.0, 3.0, 4.0]), np.array([True, False, True, False]))
    assert mixed.value == pytest.approx(1 / 4)  # pairs (1>2? no)(1>4? no)(3>2 yes)(3>4 no)
    assert np.isnan(stats.separation(order, np.ones(12, bool)).value)  # one group only

    # Gains over a baseline, on the same states: none over itself, all over its reverse.
    tie = stats.rank_correlation_gain(noisy, noisy, order)
    assert (tie.value, tie.low, tie.high) == (0.0, 0.0, 0.0)
    assert stats.rank_correlation_gain(order, -order, order).value == pytest.approx(2.0)
    flip = stats.separation_gain(order, -order, order >= 6)
    assert (flip.value, flip.low, flip.high) == pytest.approx((1.0, 1.0, 1.0))
    constant = stats.rank_correlation(order, np.r_[np.zeros(11), 1.0])  # a one-state flag
    assert np.isfinite(constant.low) and np.isfinite(constant.high)


def test_the_comparisons_are_measured_on_the_runs_and_never_judged(tmp_path):
    battery = validate(tiny(("O1", "O2")), tmp_path, lambda text: None)
    assert [r.status for r in battery.results] == [REPORTED, REPORTED]
    assert battery.holds and "reported, not judged: O1, O2" in summary_line(battery)
    assert summary_line(battery).startswith("no check judged")

    # O1 by hand: Baltic's lever grid only (Cyprus is attacked from the sea, not by Russia).
    runs = pd.read_parquet(tmp_path / "sweeps" / "levers-baltic" / "runs")
    rows = pd.read_parquet(tmp_path / "sweeps" / "levers-baltic" / "states")
    armed = set(runs.loc[runs["armed_attack"].astype(bool), "run_id"])
    rows = rows[rows["run_id"].isin(armed)]
    share = (rows["cost_bn"] / rows["gdp_eur_bn"]).groupby(rows["iso3"]).mean()
    aid = {iso3: a.military_pct_gdp for iso3, a in oos.ukraine_aid().items()}
    shared = [iso3 for iso3 in share.index if iso3 in aid]
    expected = scipy_stats.spearmanr(share[shared], [aid[i] for i in shared]).statistic
    o1 = battery.results[0].findings[0]
    assert o1.estimate.value == pytest.approx(expected) and o1.estimate.n == len(shared)
    assert "baltic" in o1.note and "cyprus" not in o1.note

    # O2 by hand: P(forces) over armed attacks in the art427_only cells, each scenario's
    # helpers first, then the mean over the scenarios in which a state helps.
    responses = oos.france_2015()
    per_scenario = []
    for name in ("baltic", "cyprus"):
        runs = pd.read_parquet(tmp_path / "sweeps" / f"levers-{name}" / "runs")
        rows = pd.read_parquet(tmp_path / "sweeps" / f"levers-{name}" / "states")
        chosen = runs.loc[runs["armed_attack"].astype(bool)
                          & (runs["governance"] == "art427_only"), "run_id"]
        rows = rows[rows["run_id"].isin(set(chosen))]
        target = "EST" if name == "baltic" else "CYP"
        assert target not in set(rows["iso3"])  # the victim never helps itself
        per_scenario.append((rows["peak_commitment"] == "FORCES").groupby(rows["iso3"]).mean())
    forces = pd.concat(per_scenario, axis=1).mean(axis=1)
    members = [iso3 for iso3 in forces.index if iso3 in responses]
    sent = [responses[iso3].sent_forces for iso3 in members]
    senders, others = forces[members][sent], forces[members][[not x for x in sent]]
    wins = sum((a > b) + 0.5 * (a == b) for a in senders for b in others)
    o2 = battery.results[1].findings[0]
    assert o2.estimate.value == pytest.approx(wins / (len(senders) * len(others)))
    (table,) = battery.results[1].tables
    assert {row[0] for row in table.rows} == set(members)
    assert all(row[4] == responses[row[0]].response for row in table.rows)
    # Each comparison is set beside one-line baselines and the model's gain over the best.
    for result in battery.results:
        subjects = [f.subject for f in result.findings]
        assert any(s.startswith("baseline: ") for s in subjects)
        assert subjects[-1].startswith("model minus best baseline")

    json_path, md_path = write_reports(battery, tmp_path)
    data = json.loads(json_path.read_text())
    assert {f["status"] for c in data["checks"] for f in c["findings"]} == {REPORTED}
    assert "| O1 | Out of sample: aid to Ukraine | reported |" in md_path.read_text()
    assert "rho " in text_report(battery)


def test_the_reserved_records_are_read_by_the_comparisons_alone():
    """Never an input or a target: no module but the comparisons names the folder."""
    readers = {path.relative_to(PACKAGE).as_posix() for path in PACKAGE.rglob("*.py")
               if re.search(r"out_of_sample[/\"']", path.read_text(encoding="utf-8"))}
    assert readers == {"validation/out_of_sample.py"}


def test_a_response_outside_the_vocabulary_is_one_clear_error(tmp_path, monkeypatch):
    from wargame import tables
    from wargame.errors import WargameError

    folder = tmp_path / oos.FOLDER
    folder.mkdir()
    (folder / "art427_2015_responses.csv").write_text(
        "iso3,response,detail,source_url,framed_as_art427\n"
        "DEU,sent_tornados,x,http://example.org,yes\n")
    monkeypatch.setattr(tables, "DATA_DIR", tmp_path)
    with pytest.raises(WargameError, match="response 'sent_tornados' is not one of"):
        oos.france_2015()


def test_every_unit_of_a_finding_has_a_format():
    from wargame.validation.records import UNITS
    from wargame.validation.report import VALUE_FORMATS

    assert set(UNITS) == set(VALUE_FORMATS)
