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

    # O2 reads only the art427_only cells, of both scenarios.
    (table,) = battery.results[1].tables
    responses = oos.france_2015()
    assert {row[0] for row in table.rows} <= set(responses)
    assert all(row[4] == responses[row[0]] for row in table.rows)

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
        "iso3,response,detail,source_url\nDEU,sent_tornados,x,http://example.org\n")
    monkeypatch.setattr(tables, "DATA_DIR", tmp_path)
    with pytest.raises(WargameError, match="response 'sent_tornados' is not one of"):
        oos.france_2015()
