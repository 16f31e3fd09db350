"""Figures that cannot mislead (issue 20, item 1): paired seeds in every shipped sweep, each
distinct run counted once, only the figures a design supports, PRIM shown only with a
held-out check, and a screening noise floor that is never 0.

Real sweeps through `wargame.sweep` (small and short), real result folders, the command
line in this process (`run_main`).
"""

from __future__ import annotations

import tomllib
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from conftest import REPO, run_main
from statsmodels.stats.proportion import proportion_confint

from wargame.figure_kinds import KINDS, fits, kinds_for
from wargame.figures import discovery, map, response, screening
from wargame.figures.load import Unsupported, load_results
from wargame.figures.standard import render_kind, render_kinds
from wargame.figures.units import runs_at_levels, share_table
from wargame.sweep.api import sweep
from wargame.sweep.spec import DESIGNS

SHORT = {"scenario": "baltic", "base_seed": 3, "days": 30, "paired_seeds": True}


def run(tmp_path, name: str, **config) -> object:
    done = sweep({**SHORT, **config}, tmp_path / name, name=name, workers=1)
    assert done.status == "complete"
    return load_results(tmp_path / name)


@pytest.fixture(scope="module")
def two_stage(tmp_path_factory):
    """Today's NATO and the two-stage run, crossed with two reform packages: the reference
    arm's 2 cells x 3 paired seeds are 3 distinct runs."""
    return run(tmp_path_factory.mktemp("safe"), "two_stage", replications=3, design={
        "kind": "grid", "levels": {"governance": ["nato_us_led", "reform"],
                                   "inclusiveness": [0.0, 1.0]}})


@pytest.fixture(scope="module")
def paired_grid(tmp_path_factory):
    """US commitment x EU financing on paired seeds."""
    return run(tmp_path_factory.mktemp("safe"), "paired", replications=4, design={
        "kind": "grid", "levels": {"us_commitment": [0.0, 1.0], "eu_financing": [0.0, 0.75]}})


@pytest.fixture(scope="module")
def morris(tmp_path_factory):
    """The Baltic scenario as shipped (its attack defeats Estonia in some runs, not all)."""
    return run(tmp_path_factory.mktemp("safe"), "morris", replications=4, days=60, design={
        "kind": "morris", "trajectories": 3, "levels": 4,
        "ranges": {"threat_weight": [1.5, 6.0], "us_commitment": [0.0, 1.0]}})


# --- paired seeds ---------------------------------------------------------------------------
@pytest.mark.parametrize("path", sorted((REPO / "wargame" / "configs" / "sweeps").glob("*.toml")),
                         ids=lambda p: p.stem)
def test_every_shipped_sweep_uses_paired_seeds(path):
    assert tomllib.loads(path.read_text()).get("paired_seeds") is True


def test_figures_say_the_seeds_are_paired(paired_grid):
    assert "paired seeds" in paired_grid.describe()
    table = response.response_table(paired_grid, "defeated", "us_commitment")
    # pooled over EU financing: each point has 2 x 4 runs of 4 seeds: between 4 and 8
    # independent runs' worth, never 8 unless the two runs of a seed were independent
    assert table["n_runs"].tolist() == [8, 8]
    assert all(4 <= n <= 8 for n in table["n"])


def test_runs_of_one_seed_count_as_one_where_they_are_identical():
    """A share pooled over a lever that does not act: every seed's runs are the same run,
    so n is the number of seeds, and the interval is Wilson's at that n."""
    seeds = np.repeat(np.arange(40), 3)  # 40 seeds, 3 identical runs each
    hits = np.repeat((np.arange(40) % 4 == 0).astype(float), 3)
    table = share_table(pd.DataFrame({"seed": seeds, "hit": hits}), [], "hit")
    assert table[["runs", "seeds", "n", "p"]].iloc[0].tolist() == [120, 40, 40.0, 0.25]
    low, high = proportion_confint(10, 40, method="wilson")
    assert (table["lo"].iloc[0], table["hi"].iloc[0]) == pytest.approx((low, high))
    # one run per seed: n is the runs, as with independent seeds
    alone = share_table(pd.DataFrame({"seed": np.arange(40), "hit": hits[::3]}), [], "hit")
    assert alone["n"].iloc[0] == 40.0
    # runs of a seed that differ (the lever acts) count for more than one
    mixed = share_table(pd.DataFrame({"seed": seeds, "hit": np.tile([1.0, 0.0, 0.0], 40)}),
                        [], "hit")
    assert 40 < mixed["n"].iloc[0] <= 120


# --- each distinct run once -----------------------------------------------------------------
def test_a_repeated_reference_arm_is_counted_once(two_stage):
    runs = two_stage.runs
    assert len(runs) == 12
    counted = runs_at_levels(two_stage, ["governance"])
    assert (counted["governance"] == "nato_us_led").sum() == 3  # not 6
    assert (counted["governance"] == "reform").sum() == 6  # two packages x 3 seeds
    # split by the package too, each cell keeps its own copy of the reference runs
    cells = runs_at_levels(two_stage, ["governance", "inclusiveness"])
    assert cells.groupby(["governance", "inclusiveness"]).size().tolist() == [3, 3, 3, 3]
    # pooled over the package, today's NATO has 3 runs behind it in every figure
    by_state = map.commitment_by_state(two_stage, "governance")
    assert set(by_state.loc[by_state["governance"] == "nato_us_led", "n_runs"]) == {3}


def test_a_figure_counts_a_repeated_run_once_and_says_why(two_stage, tmp_path):
    (figure,) = render_kind("response", two_stage, tmp_path, x="inclusiveness",
                            by="governance")
    table = pd.read_csv(tmp_path / "response.csv")
    reference = table[(table["governance"] == "nato_us_led") & (table["metric"] == "defeated")]
    assert reference["n"].tolist() == [3, 3]
    assert "n counts seeds" in figure.caption


# --- the figures a design supports ----------------------------------------------------------
def test_the_design_rule_knows_every_design():
    assert tuple(__import__("wargame.figure_kinds", fromlist=["x"]).DESIGNS) == DESIGNS
    assert kinds_for("crisis", "morris") == ("screening",)
    assert "phase" not in kinds_for("crisis", "sobol")
    assert "sensitivity" in kinds_for("crisis", "sobol")
    assert fits("phase", "grid") == "" and "screening" in fits("phase", "morris")
    assert all(KINDS[k].designs for k in KINDS)


def test_a_morris_sweep_draws_no_phase_plot(morris, tmp_path):
    figures, skipped = render_kinds(morris, tmp_path)
    assert {f.kind for f in figures} == {"screening"} and not skipped
    with pytest.raises(Unsupported, match="morris design"):
        render_kind("phase", morris, tmp_path)
    done = run_main("plot", "phase", str(morris.path), "--out", str(tmp_path / "p"))
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1
    assert "phase is drawn from grid or lhs designs" in done.stderr
    assert not (tmp_path / "p" / "phase.png").exists()


# --- PRIM with a held-out check -------------------------------------------------------------
def test_prim_on_outcomes_that_are_noise_confirms_nothing(paired_grid):
    """The same runs with their outcomes shuffled across the design: PRIM still finds
    boxes, and the held-out check refuses every one of them."""
    shuffled = paired_grid.runs.copy()
    rng = np.random.default_rng(1)
    shuffled["outcome"] = rng.choice(["defeated", "deterred"], size=len(shuffled), p=[0.3, 0.7])
    noise = replace(paired_grid, runs=shuffled, _cache={})
    big = replace(noise, runs=pd.concat([shuffled.assign(
        seed=shuffled["seed"] + k, run_id=shuffled["run_id"] + 1000 * k,
        outcome=rng.choice(["defeated", "deterred"], size=len(shuffled), p=[0.3, 0.7]))
        for k in range(12)], ignore_index=True), _cache={})
    trajectory, _ = discovery.prim_boxes(big, "defeated")
    chosen = trajectory[trajectory["choice"] != ""]
    assert not chosen["holds"].any()
    assert "NOT CONFIRMED" in discovery.rule_text(chosen.iloc[0])
    with pytest.raises(Unsupported, match="too few"):
        discovery.prim_boxes(noise, "defeated")  # 16 runs: too few to hold half out


def test_a_held_out_half_keeps_each_seed_whole(paired_grid):
    held = discovery.held_out(paired_grid.runs)
    by_seed = pd.Series(held).groupby(paired_grid.runs["seed"].to_numpy()).nunique()
    assert (by_seed == 1).all() and 0 < held.sum() < len(held)


# --- the screening's noise floor ------------------------------------------------------------
def test_the_screening_noise_floor_is_binomial_and_never_zero(morris):
    table = screening.screening_table(morris, "defeated")
    share = (morris.runs["outcome"] == "defeated").mean()
    per_point = morris.runs.groupby("point_id").size().median()
    step = 4 / (2 * 3)  # levels / (2 (levels - 1))
    expected = np.sqrt(2 / np.pi) * np.sqrt(2) * np.sqrt(share * (1 - share) / per_point) \
        * 100 / step
    assert 0 < share < 1
    assert table["noise_mu_star"].iloc[0] == pytest.approx(expected)
