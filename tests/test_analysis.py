"""Tests of wargame/figures/: every aggregation on small real sweeps made by `wargame sweep`, every
figure kind rendered from a real result folder, and bad folders answered in one line.

The sweeps are tiny (short crises, few replications) so the module runs in well under a
minute; the numbers are checked against direct counts of the runs table.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import run_main
from scipy import stats

from wargame.errors import WargameError
from wargame.figure_kinds import kinds_for
from wargame.figures import (
    burden,
    compare,
    costs,
    discovery,
    map,
    phase,
    response,
    screening,
    sensitivity,
    timecourse,
)
from wargame.figures.load import Results, Unsupported, load_results
from wargame.figures.standard import render_all
from wargame.figures.stats import clustered_mean_ci, mean_ci, newcombe_difference, wilson
from wargame.outcomes import OUTCOME_NAMES
from wargame.output_registry import names

GRID = """
description = "analysis test grid"
scenario = "baltic"
replications = 10
base_seed = 7
days = 60
keep_series = true
{parameters}
[design]
kind = "grid"

[design.levels]
us_commitment = [0.0, 0.5, 1.0]
eu_financing = [0.0, 0.75]
governance = ["nato_us_led", "art427_only"]
"""

SOBOL = """
description = "analysis test sobol"
scenario = "baltic"
replications = 2
base_seed = 11
days = 60

[design]
kind = "sobol"
samples = 8
second_order = false

[design.ranges]
us_commitment = [0.0, 1.0]
eu_financing = [0.0, 1.0]
command_integration = [0.0, 1.0]
"""


MORRIS = """
description = "analysis test morris"
scenario = "baltic"
replications = 4
base_seed = 5
days = 40

[parameters]
attack_troops = 150000  # defeats happen, so P(defeated) varies within and across points

[design]
kind = "morris"
trajectories = 4
levels = 4

[design.ranges]
threat_weight = [1.5, 6.0]
barrier_forces = [0.0, 6.0]
us_commitment = [0.0, 1.0]
"""


def wargame(*args: str) -> subprocess.CompletedProcess:
    """The command line through `main()` in this process (tests/conftest.py)."""
    return run_main(*args)


def run_sweep(tmp: Path, name: str, text: str, *flags: str) -> Path:
    spec = tmp / f"{name}.toml"
    spec.write_text(text)
    out = tmp / name
    done = wargame("sweep", str(spec), "--out", str(out), "--workers", "1", "--quiet", *flags)
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="session")
def sweeps(tmp_path_factory) -> dict[str, Path]:
    """Three real sweeps: a grid with series (plotted by --plots), the same grid with a
    larger rapid-reaction force (for compare), and a small Sobol design."""
    tmp = tmp_path_factory.mktemp("analysis")
    return {
        "grid": run_sweep(tmp, "grid", GRID.format(parameters=""), "--plots"),
        "grid_rrf": run_sweep(
            tmp, "grid_rrf", GRID.format(parameters="[parameters]\nrapid_reaction_force = 30000\n")
        ),
        "sobol": run_sweep(tmp, "sobol", SOBOL),
        "morris": run_sweep(tmp, "morris", MORRIS),
    }


@pytest.fixture(scope="session")
def grid(sweeps):
    return load_results(sweeps["grid"])


# --- statistics ---------------------------------------------------------------------------
def hand_written_wilson(count: float, n: float) -> tuple[float, float]:
    """The Wilson interval as wargame computed it before using SciPy's."""
    z = stats.norm.ppf(0.975)
    p = count / n
    denom = 1 + z**2 / n
    centre = (p + z**2 / (2 * n)) / denom
    half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
    return (0.0 if count == 0 else max(centre - half, 0.0),
            1.0 if count == n else min(centre + half, 1.0))


def hand_written_newcombe(k_a: int, n_a: int, k_b: int, n_b: int) -> tuple[float, float]:
    """Newcombe's method 10 for p_b - p_a from two hand-written Wilson intervals."""
    p_a, p_b = k_a / n_a, k_b / n_b
    (l_a, u_a), (l_b, u_b) = hand_written_wilson(k_a, n_a), hand_written_wilson(k_b, n_b)
    diff = p_b - p_a
    return (diff - np.sqrt((p_b - l_b) ** 2 + (u_a - p_a) ** 2),
            diff + np.sqrt((u_b - p_b) ** 2 + (p_a - l_a) ** 2))


def test_a_clustered_mean_is_the_plain_t_interval_with_one_run_per_seed():
    values = np.array([3.0, 7.0, 1.0, 9.0, 4.0])
    assert clustered_mean_ci(values, np.arange(5)) == pytest.approx(mean_ci(values))
    # Two seeds of two identical runs each are two units, not four: the mean is the runs'
    # mean and the interval the one of two values (each seed's runs weigh by their count).
    n, mean, low, high = clustered_mean_ci(np.array([2.0, 2.0, 6.0, 6.0]),
                                           np.array([1, 1, 2, 2]))
    assert (n, mean) == (2, 4.0)
    assert (low, high) == pytest.approx(mean_ci(np.array([2.0, 6.0]))[2:])
    # Unequal clusters: every run weighs the same in the mean (per seed it would be 4.5).
    n, mean, low, high = clustered_mean_ci(np.array([0.0, 0.0, 0.0, 9.0]),
                                           np.array([1, 1, 1, 2]))
    assert (n, mean) == (2, 2.25) and low < mean < high


def test_library_intervals_agree_with_the_hand_written_ones():
    """SciPy's Wilson and statsmodels' Newcombe give what the hand-written code gave."""
    cases = [(k, n) for n in (1, 2, 5, 10, 37, 200) for k in range(n + 1)]
    low, high = wilson([k for k, _ in cases], [n for _, n in cases])
    expected = np.array([hand_written_wilson(k, n) for k, n in cases])
    assert np.column_stack([low, high]).ravel() == pytest.approx(expected.ravel(), abs=1e-12)
    assert np.isnan(wilson(0, 0)).all()  # no runs: no interval
    for (k_a, n_a), (k_b, n_b) in zip(cases[::7], cases[3::11], strict=False):
        diff, low, high, _ = newcombe_difference(k_a, n_a, k_b, n_b)
        assert diff == pytest.approx(k_b / n_b - k_a / n_a)
        assert (low, high) == pytest.approx(hand_written_newcombe(k_a, n_a, k_b, n_b), abs=1e-9)


def test_wilson_and_newcombe_match_published_values():
    low, high = wilson(0, 10)
    assert low == 0 and float(high) == pytest.approx(0.2775, abs=1e-4)
    # Newcombe (1998), Stat Med 17:873, example (a): 56/70 vs 48/80, method 10.
    diff, low, high, _ = newcombe_difference(48, 80, 56, 70)
    assert diff == pytest.approx(0.2)
    assert (low, high) == pytest.approx((0.0524, 0.3339), abs=1e-4)


# --- aggregations ---------------------------------------------------------------------------
def test_loader_counts_runs_and_reads_the_design(grid):
    assert len(grid.runs) == 3 * 2 * 2 * 10 and grid.n_failed == 0
    assert grid.swept == ["us_commitment", "eu_financing", "governance"]
    assert grid.numeric_swept == ["us_commitment", "eu_financing"]
    assert grid.has_steps and set(grid.states["run_id"]) == set(grid.runs["run_id"])


def test_phase_probabilities_sum_to_one_and_match_counts(grid):
    table = phase.outcome_probabilities(grid, "us_commitment", "eu_financing", "governance")
    assert len(table) == 3 * 2 * 2 * len(OUTCOME_NAMES)  # every outcome in every cell, zeros too
    assert (table["n_runs"] == 10).all()
    per_cell = table.groupby(["governance", "us_commitment", "eu_financing"])
    assert np.allclose(per_cell["p"].sum(), 1.0)
    assert per_cell["count"].sum().sum() == len(grid.runs)
    assert ((table["lo"] <= table["p"]) & (table["p"] <= table["hi"])).all()
    assert ((table["lo"] >= 0) & (table["hi"] <= 1)).all()
    runs = grid.runs
    cell = runs[(runs.governance == "art427_only") & (runs.us_commitment == 0.0)
                & (runs.eu_financing == 0.0)]
    row = table[(table.governance == "art427_only") & (table.us_commitment == 0.0)
                & (table.eu_financing == 0.0) & (table.outcome == "defeated")].iloc[0]
    assert row["count"] == (cell.outcome == "defeated").sum()
    low, high = wilson(row["count"], 10)
    assert (row["lo"], row["hi"]) == pytest.approx((float(low), float(high)))
    # Example run ids lead from a cell back to single runs (wargame viz --sweep --run).
    for _, cell_row in table.iterrows():
        ids = [int(i) for i in cell_row["example_run_ids"].split()]
        assert len(ids) == min(5, cell_row["count"])
        chosen = runs.set_index("run_id").loc[ids]
        assert (chosen["outcome"] == cell_row["outcome"]).all()
        assert (chosen["governance"] == cell_row["governance"]).all()
        assert (chosen["us_commitment"] == cell_row["us_commitment"]).all()


def test_response_means_use_t_intervals_over_defined_values(grid):
    table = response.response_table(grid, "day_first_forces", "us_commitment", "governance")
    assert len(table) == 3 * 2 and (table["n_runs"] == 20).all()
    runs = grid.runs
    values = runs[(runs.governance == "nato_us_led") & (runs.us_commitment == 0.0)][
        "day_first_forces"].dropna()
    row = table[(table.governance == "nato_us_led") & (table.us_commitment == 0.0)].iloc[0]
    assert len(values) > 0 and row["n"] == len(values)
    assert row["estimate"] == pytest.approx(values.mean())
    if len(values) > 1 and values.std() > 0:
        low, high = stats.t.interval(0.95, len(values) - 1, values.mean(), stats.sem(values))
        assert (row["lo"], row["hi"]) == pytest.approx((low, high))
    share = response.response_table(grid, "deterred", "eu_financing")
    assert share["estimate"].tolist() == pytest.approx(
        runs.groupby("eu_financing")["outcome"].apply(lambda s: (s == "deterred").mean()).tolist())


def test_costs_are_means_over_the_runs_that_end_in_each_outcome(grid):
    table = costs.costs_table(grid, "governance")
    runs = grid.runs
    deterred = table[table.outcome == "deterred"]
    assert len(deterred) and (deterred["mean"] == 0).all()  # stood down before any attack
    victim = table[table.side == "victim_losses"]
    assert victim.groupby("governance")["runs"].sum().to_dict() == runs.groupby(
        "governance").size().to_dict()  # every run, once
    checked = 0
    for (regime, outcome), part in runs.groupby(["governance", "outcome"]):
        rows = table[(table.governance == regime) & (table.outcome == outcome)].set_index("side")
        allied = part["allied_losses"] + part["us_losses"]
        assert rows.loc["victim_losses", "mean"] == pytest.approx(part["victim_losses"].mean())
        assert rows.loc["allied_troops_lost", "mean"] == pytest.approx(allied.mean())
        assert rows.loc["adversary_losses", "mean"] == pytest.approx(
            part["adversary_losses"].mean())
        values = part["victim_losses"].astype(float)
        if len(values) > 1 and values.std() > 0:  # independent seeds: a run is a unit
            low, high = stats.t.interval(0.95, len(values) - 1, values.mean(), stats.sem(values))
            assert (rows.loc["victim_losses", "lo"], rows.loc["victim_losses", "hi"]) == \
                pytest.approx((low, high))
            checked += 1
    assert checked > 0


def test_burden_shares_sum_to_one_per_group(grid):
    table = burden.burden_shares(grid, "governance")
    for _, part in table.groupby("governance"):
        assert part["gdp_share"].sum() == pytest.approx(1.0)
        assert part["burden_share"].sum() == pytest.approx(1.0)
        if part["n_pledge_share"].max() > 0:
            assert part["pledge_share"].sum() == pytest.approx(1.0)
    assert (table["burden_share_lo"] <= table["burden_share"] + 1e-12).all()


def test_time_course_bands_and_escalation_shares(grid):
    bands = timecourse.series_bands(grid, "pledged_troops", "governance")
    assert ((bands["q10"] <= bands["median"]) & (bands["median"] <= bands["q90"])).all()
    assert (bands["n_runs"] == 60).all()
    # Nothing is pledged on day 0 but the troops stationed in the target, which are there
    first = grid.steps[grid.steps["day"] == 0]
    assert (first["pledged_troops"] == first["deployed_troops"]).all()
    assert (first["pledged_troops"] > 0).all()  # the Baltic scenario's forward presence
    shares = timecourse.escalation_shares(grid, "governance")
    assert np.allclose(shares.groupby(["governance", "day"])["share"].sum(), 1.0)
    last = shares[shares["day"] == shares["day"].max()]
    assert last["state"].str.startswith("ended: ").all()  # every run has ended by then


def test_commitment_by_state_is_a_level_between_none_and_forces(grid):
    table = map.commitment_by_state(grid, "governance")
    assert table["mean_level"].between(0, 3).all()
    assert (table["n_runs"] == 60).all()
    assert table["lat"].notna().all() and table["share_forces"].between(0, 1).all()


def test_sensitivity_variance_shares_for_grid_and_sobol_for_sobol(grid, sweeps):
    table = sensitivity.variance_share_table(grid, "defeated").set_index("parameter")
    assert set(table.index) == {"us_commitment", "eu_financing", "governance"}
    # η²: variance of the level means (weighted by runs) over the total variance, checked
    # against pandas on the runs table; the design points' share bounds every input's.
    runs = grid.runs.assign(y=(grid.runs["outcome"] == "defeated").astype(float))
    total = ((runs["y"] - runs["y"].mean()) ** 2).sum()
    for name in table.index:
        means = runs.groupby(name)["y"].transform("mean")
        assert table.loc[name, "S1"] == pytest.approx(
            ((means - runs["y"].mean()) ** 2).sum() / total)
    points = runs.groupby("point_id")["y"].transform("mean")
    assert table["points_share"].iloc[0] == pytest.approx(
        ((points - runs["y"].mean()) ** 2).sum() / total)
    assert (table["S1"] <= table["points_share"] + 1e-12).all()
    assert ((table["S1_lo"] <= table["S1"]) & (table["S1"] <= table["S1_hi"])).all()
    # A U-shaped effect, which a linear regression scores at zero (no correlation), is
    # found in full: defeat exactly at the ends of US commitment.
    u_shaped = runs.assign(outcome=np.where(runs["us_commitment"].isin([0.0, 1.0]),
                                            "defeated", "deterred"))
    assert np.corrcoef(u_shaped["outcome"] == "defeated", runs["us_commitment"])[0, 1] == \
        pytest.approx(0, abs=1e-12)
    u_table = sensitivity.variance_share_table(
        Results(grid.path, grid.manifest, u_shaped, 0), "defeated").set_index("parameter")
    assert u_table.loc["us_commitment", "S1"] == pytest.approx(1.0)
    assert u_table.loc[["eu_financing", "governance"], "S1"].to_numpy() == pytest.approx(0)
    with pytest.raises(Unsupported, match="screening"):
        sensitivity.variance_share_table(load_results(sweeps["morris"]), "defeated")
    with pytest.raises(Unsupported):
        sensitivity.sobol_table(grid, "defeated")
    sobol = load_results(sweeps["sobol"])
    table = sensitivity.sobol_table(sobol, "peak_deployed_troops")
    assert set(table["parameter"]) == {"us_commitment", "eu_financing", "command_integration"}
    assert (table["n_points"] == 8 * (3 + 2)).all()
    assert ((table["S1_lo"] <= table["S1"]) & (table["ST"] <= table["ST_hi"])).all()


def test_screening_mu_star_is_the_mean_absolute_elementary_effect(sweeps, grid):
    results = load_results(sweeps["morris"])
    table = screening.screening_table(results, "defeated").set_index("parameter")
    assert set(table.index) == {"threat_weight", "barrier_forces", "us_commitment"}
    assert (table["n_points"] == 4 * (3 + 1)).all() and (table["n_runs"] == 16 * 4).all()
    # By hand: along each trajectory one input moves per step; its effect is the change
    # in the point's P(defeated) (percentage points) per move across the whole range.
    points = results.manifest["points"]
    ranges = results.manifest["spec"]["ranges"]
    y = 100 * results.runs.groupby("point_id")["outcome"].apply(lambda o: (o == "defeated").mean())
    effects: dict[str, list[float]] = {name: [] for name in ranges}
    for start in range(0, len(points), 4):
        for a in range(start, start + 3):
            before, after = points[a]["parameters"], points[a + 1]["parameters"]
            (name,) = [n for n in ranges if before[n] != after[n]]
            low, high = ranges[name]
            effects[name].append((y[a + 1] - y[a]) / ((after[name] - before[name]) / (high - low)))
    for name, values in effects.items():
        assert table.loc[name, "mu_star"] == pytest.approx(np.mean(np.abs(values)))
        assert table.loc[name, "mu"] == pytest.approx(np.mean(values))
    assert ((table["mu_star_lo"] <= table["mu_star"]) & (table["mu_star"] <= table["mu_star_hi"])
            ).all()
    assert (table["noise_mu_star"] > 0).all()
    with pytest.raises(Unsupported, match="morris"):
        screening.screening_table(grid, "defeated")


@pytest.mark.slow
def test_screening_figure_and_csv_for_a_morris_sweep(sweeps, tmp_path):
    paths = render_all(sweeps["morris"], tmp_path)
    record = json.loads((tmp_path / "figures.json").read_text())
    entry = next(e for e in record["figures"] if e["kind"] == "screening")
    assert "mu*" in entry["caption"] and "95%" in entry["caption"]
    assert tmp_path / "screening.png" in paths
    assert (tmp_path / "screening.png").stat().st_size > 5_000
    table = pd.read_csv(tmp_path / "screening.csv")
    assert set(table["metric"]) == {"defeated", "day_first_forces"}
    # Points that are not the sampler's (an edited manifest) are refused: the folder's runs
    # are no longer those of its manifest's design (wargame.sweep.own_runs).
    moved = tmp_path / "moved"
    shutil.copytree(sweeps["morris"], moved, ignore=shutil.ignore_patterns("plots"))
    manifest = json.loads((moved / "manifest.json").read_text())
    manifest["points"][1]["parameters"]["threat_weight"] += 0.01
    (moved / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(WargameError, match="not a part of this sweep .*threat_weight"):
        load_results(moved)
    # A grid cannot be screened: one line, exit 2.
    assert "drawn from morris designs" in one_line_error("plot", "screening", str(sweeps["grid"]),
                                                     "--out", str(tmp_path / "g"))


def test_prim_trajectory_starts_at_the_base_rate(grid):
    trajectory, limits = discovery.prim_boxes(grid, "defeated")
    held = discovery.held_out(grid.runs)
    defeated = grid.runs["outcome"] == "defeated"
    assert trajectory["coverage"].iloc[0] == pytest.approx(1.0)
    assert trajectory["density"].iloc[0] == pytest.approx(defeated[~held].mean())
    # the whole box on the held-out half: every held-out run, at its base rate
    assert trajectory["test_n"].iloc[0] == held.sum()
    assert trajectory["test_density"].iloc[0] == pytest.approx(defeated[held].mean())
    assert not trajectory["holds"].iloc[0]  # the whole space restricts nothing
    assert trajectory["coverage"].is_monotonic_decreasing
    assert "densest" in trajectory["choice"].iloc[-1]
    text = discovery.rule_text(trajectory.iloc[-1])
    assert "→ defeated in" in text and "covering" in text
    assert set(limits["parameter"]) == set(grid.swept)


def test_compare_differences_and_significance(grid, sweeps):
    other = load_results(sweeps["grid_rrf"])
    table = compare.outcome_differences(grid, other)
    overall = table[table["parameter"] == compare.ALL_RUNS]
    assert len(overall) == len(OUTCOME_NAMES) and (overall["n_a"] == 120).all()
    assert np.allclose(overall["diff"], overall["p_b"] - overall["p_a"])
    assert ((table["lo"] <= table["diff"]) & (table["diff"] <= table["hi"])).all()
    assert (table["significant"] == ((table["lo"] > 0) | (table["hi"] < 0))).all()
    assert len(table) == len(OUTCOME_NAMES) * (1 + 3 + 2 + 2)
    # Same design and base seed: every run of A has its partner in B, and the fixed input
    # that differs is named.
    assert table["paired"].all() and (table["n_a"] == table["n_b"]).all()
    assert compare.differing_inputs(grid, other) == [
        "EU rapid-reaction force (rapid_reaction_force): A = 5,000, B = 30,000"]
    pairs = compare.pair_runs(grid, other)
    assert (grid.runs["seed"].to_numpy()[pairs["a"]] == other.runs["seed"].to_numpy()[pairs["b"]]
            ).all()
    # Sweeps with other seeds are independent samples (Newcombe, not paired).
    sobol = load_results(sweeps["sobol"])
    assert compare.pair_runs(grid, sobol) is None
    lines = compare.differing_inputs(grid, sobol)
    assert [line.split(":")[0] for line in lines] == [
        "EU command integration (command_integration)", "Governance regime (governance)"]
    assert "A swept over art427_only, nato_us_led; B = nato_us_led" in lines[1]


def test_paired_difference_is_newcombes_paired_interval_and_mcnemar():
    # Uncorrelated pairs (phi = 0): the paired interval is the independent one.
    a = np.array([1] * 5 + [1] * 5 + [0] * 5 + [0] * 5, bool)
    b = np.array([1] * 5 + [0] * 5 + [1] * 5 + [0] * 5, bool)
    diff, low, high, p_value = compare.paired_difference(a, b)
    assert (diff, low, high) == pytest.approx(newcombe_difference(10, 20, 10, 20)[:3])
    assert p_value == pytest.approx(1.0)
    # Positively correlated pairs: narrower than treating them as independent samples;
    # McNemar's exact test uses the discordant pairs only (8 of 9 went B's way).
    a = np.array([1] * 30 + [1] * 1 + [0] * 8 + [0] * 61, bool)
    b = np.array([1] * 30 + [0] * 1 + [1] * 8 + [0] * 61, bool)
    diff, low, high, p_value = compare.paired_difference(a, b)
    _, ind_low, ind_high, _ = newcombe_difference(31, 100, 38, 100)
    assert diff == pytest.approx(0.07) and low < diff < high
    assert high - low < ind_high - ind_low
    assert p_value == pytest.approx(stats.binomtest(8, 9).pvalue)


# --- figures --------------------------------------------------------------------------------
def test_sweep_plots_writes_every_kind_and_an_index(sweeps):
    plots = sweeps["grid"] / "plots"
    record = json.loads((plots / "figures.json").read_text())
    not_drawn = {"reform-crisis"}
    assert {e["kind"] for e in record["figures"]} == set(kinds_for("crisis", "grid")) - not_drawn
    assert list(record["skipped"]) == ["reform-crisis"]
    assert "governance = reform" in record["skipped"]["reform-crisis"]
    for entry in record["figures"]:
        for name in entry["files"]:
            assert (plots / name).stat().st_size > 5_000, name
    page = (plots / "index.html").read_text()
    assert page.count("<img") == len(record["figures"])


@pytest.mark.slow
def test_render_all_on_sobol_draws_only_its_indices(sweeps, tmp_path):
    paths = render_all(sweeps["sobol"], tmp_path)
    assert all(p.stat().st_size > 0 for p in paths)
    record = json.loads((tmp_path / "figures.json").read_text())
    # a Sobol design draws its indices only (wargame.figure_kinds.fits)
    assert {e["kind"] for e in record["figures"]} == {"sensitivity"}
    sobol_caption = next(e for e in record["figures"] if e["kind"] == "sensitivity")["caption"]
    assert "Sobol indices estimated with SALib" in sobol_caption


def test_plot_one_kind_and_compare_from_the_command_line(sweeps, tmp_path):
    done = wargame("plot", "phase", str(sweeps["grid"]), "--out", str(tmp_path / "p"),
                   "--x", "eu_financing", "--y", "us_commitment")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "p" / "phase.png").stat().st_size > 5_000
    done = wargame("compare", str(sweeps["grid"]), str(sweeps["grid_rrf"]), "--out",
                   str(tmp_path / "c"))
    assert done.returncode == 0, done.stderr
    assert "B − A" in done.stdout and "all runs" in done.stdout
    assert "inputs that differ between A and B:\n  EU rapid-reaction force" in done.stdout
    assert "runs paired: 120 runs" in done.stdout
    caption = json.loads((tmp_path / "c" / "figures.json").read_text())["figures"][0]["caption"]
    assert "rapid_reaction_force" in caption and "paired" in caption
    assert (tmp_path / "c" / "compare.png").stat().st_size > 5_000


# --- bad folders ----------------------------------------------------------------------------
def one_line_error(*args: str) -> str:
    done = wargame(*args)
    assert done.returncode == 2, done.stdout + done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr
    return lines[0]


def test_bad_folders_give_one_line(sweeps, tmp_path):
    assert "no such result folder" in one_line_error("plot", "phase", str(tmp_path / "none"))
    (tmp_path / "empty").mkdir()
    assert "no manifest.json" in one_line_error("plot", "all", str(tmp_path / "empty"))
    no_runs = tmp_path / "no_runs"
    (no_runs / "runs").mkdir(parents=True)
    shutil.copy(sweeps["grid"] / "manifest.json", no_runs)
    assert "no runs" in one_line_error("compare", str(sweeps["grid"]), str(no_runs))
    message = one_line_error("plot", "phase", str(sweeps["grid"]), "--x", "attack_troops")
    assert "'attack_troops' was not swept" in message
    assert "does not take --y" in one_line_error("plot", "map", str(sweeps["grid"]), "--y",
                                                 "eu_financing")


def test_failed_runs_are_excluded_and_counted(sweeps, tmp_path):
    """A folder with failed rows in the documented format (error set, outputs null)."""
    folder = tmp_path / "with_failures"
    shutil.copytree(sweeps["grid"], folder, ignore=shutil.ignore_patterns("plots", "steps"))
    part = sorted((folder / "runs").glob("part-*.parquet"))[0]  # 3 of its runs failed:
    runs = pd.read_parquet(part)  # the folder's own runs (wargame.sweep.own_runs)
    outputs = list(names("run"))  # every per-run output of the registry, as a failed run
    runs = runs.astype(dict.fromkeys(outputs, object))  # leaves them: null (a bool too)
    runs.loc[runs.index[:3], outputs] = None
    runs.loc[runs.index[:3], "error"] = "RuntimeError: test"
    runs.to_parquet(part, index=False)
    results = load_results(folder)
    assert results.n_failed == 3 and len(results.runs) == 117
    assert "3 failed runs excluded" in results.describe()
    table = phase.outcome_probabilities(results, "us_commitment", "eu_financing")
    assert table["count"].sum() == 117
    with pytest.raises(WargameError, match="per-day series"):
        results.steps  # noqa: B018 (the property raises)
