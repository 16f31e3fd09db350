"""`wargame reform` as a user runs it, the attitude table's checks, and the link to the crisis.

Many negotiations (`--runs`, `--grid`) are a negotiation sweep: the folder is checked as
`wargame sweep` writes it (manifest.json, runs/, states/), read back with
`wargame.load_sweep`.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from wargame.api import load_sweep
from wargame.attitudes import DATA_FILE, read_attitudes
from wargame.errors import WargameError
from wargame.model import CrisisModel
from wargame.reform.link import crisis_overrides, phase_in
from wargame.reform.model import ReformModel
from wargame.reform.result import outputs

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "attitudes.csv"


def test_one_run_writes_summary_and_rounds_and_repeats_exactly(cli, tmp_path):
    first = cli("reform", "--seed", "1", "--out", str(tmp_path / "a"))
    assert first.returncode == 0, first.stderr
    assert "reform (seed 1):" in first.stdout and "status choices" in first.stdout
    summary = json.loads((tmp_path / "a" / "summary.json").read_text())
    out = summary["outputs"]
    assert summary["seed"] == 1 and summary["inputs"]["deadline_rounds"] == 24
    assert isinstance(out["adopted"], bool) and isinstance(out["blocking"], list)
    assert {"round", "side_payments_spent_bn", "choices"} <= set(out)
    assert {"GBR", "TUR", "NOR", "CAN", "ISL", "ALB", "MNE", "MKD", "USA", "CYP", "CHE"} == set(
        out["choices"])
    assert all(c["reason"] for c in out["choices"].values())
    link = crisis_overrides(out, summary["inputs"])  # works from the file as written
    assert link.inputs["governance"] == ("eu_led_nato" if out["adopted"] else "nato_us_led")
    rounds = pd.read_parquet(tmp_path / "a" / "rounds.parquet")
    assert rounds["iso3"].nunique() == 36 and {"position_yes", "utility"} <= set(rounds)
    again = cli("reform", "--seed", "1", "--out", str(tmp_path / "b"))
    assert again.returncode == 0
    assert (tmp_path / "a" / "summary.json").read_bytes() == (
        tmp_path / "b" / "summary.json").read_bytes()


def test_a_blocked_run_names_its_holdouts(cli, tmp_path):
    result = cli("reform", "--seed", "2", "--set", "us_demand=2.5", "--out", str(tmp_path / "r"))
    assert result.returncode == 0, result.stderr
    assert "BLOCKED" in result.stdout and "USA: US demand" in result.stdout
    out = json.loads((tmp_path / "r" / "summary.json").read_text())["outputs"]
    assert out["adopted"] is False and out["round"] is None and "USA" in out["blocking"]


@pytest.mark.parametrize("args, message", [
    (["--set", "inclusiveness=2"], "inclusiveness = 2 is not allowed"),
    (["--set", "inclusivenes=0.2"], "did you mean inclusiveness"),
    (["--set", "inclusiveness"], "not of the form name=value"),
    (["--runs", "0"], "--runs 0 is not allowed"),
    (["--seed", "-1"], "expected a whole number in [0, 2^63 - 1], got -1"),
    (["--grid", "side_payments_bn=1,x"], "side_payments_bn = x is not allowed"),
    (["--grid", "inclusiveness=0", "--set", "inclusiveness=1"], "both --set and --grid"),
    (["--seed", "x"], "invalid int value"),
    # the seed range of `wargame run` and `sweep`, with one run and with many
    (["--seed", str(2**63)], "expected a whole number in [0, 2^63 - 1]"),
    (["--seed", "99999999999999999999", "--runs", "2"], "expected a whole number in [0, 2^63"),
    (["--seed", str(2**64), "--runs", "2"], "expected a whole number in [0, 2^63 - 1]"),
    (["--grid", "inclusiveness=0,0"], "the level 0 appears twice"),
    (["--grid", "inclusiveness=0.5,1,0.50"], "the level 0.5 appears twice"),
    (["--runs", "100", "--grid", "deadline_rounds=1,2,3", "--max-runs", "250"],
     "300 runs, above the limit of 250"),
    (["--runs", "2", "--resume"], "--resume needs --out DIR and the --seed"),
    (["--resume"], "--resume is for many negotiations"),
])
def test_bad_input_is_one_line_and_exit_2(cli, tmp_path, args, message):
    result = cli("reform", *args, "--out", str(tmp_path / "r"))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and message in result.stderr, result.stderr
    assert not (tmp_path / "r").exists()


def test_a_non_empty_out_folder_is_refused(cli, tmp_path):
    (tmp_path / "r").mkdir()
    (tmp_path / "r" / "keep.txt").write_text("mine")
    result = cli("reform", "--seed", "1", "--out", str(tmp_path / "r"))
    assert result.returncode == 2 and "not empty" in result.stderr
    assert [p.name for p in (tmp_path / "r").iterdir()] == ["keep.txt"]


def test_an_empty_out_name_is_refused(cli, tmp_path):
    for extra in ([], ["--runs", "2"]):
        result = cli("reform", "--seed", "1", "--out", "", *extra, cwd=tmp_path)
        assert result.returncode == 2 and "expected a folder, got an empty name" in result.stderr
        assert result.stderr.count("\n") == 1 and list(tmp_path.iterdir()) == []


def test_many_runs_are_a_negotiation_sweep_with_shared_seeds(cli, tmp_path):
    result = cli("reform", "--seed", "5", "--runs", "4", "--grid", "inclusiveness=0,1",
                 "--set", "side_payments_bn=0", "--out", str(tmp_path / "b"))
    assert result.returncode == 0, result.stderr
    assert "inclusiveness=0:" in result.stdout and "Wilson" in result.stdout
    assert "8 of 8 runs" in result.stdout and "status complete" in result.stdout
    assert sorted(p.name for p in (tmp_path / "b").iterdir()) == [
        ".lock", "manifest.json", "runs", "states"]
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text())
    assert manifest["model"] == "negotiation" and manifest["spec"]["model"] == "negotiation"
    assert manifest["swept"] == ["inclusiveness"] and manifest["base_seed"] == 5
    assert manifest["spec"]["base"]["side_payments_bn"] == 0
    assert manifest["status"] == "complete" and manifest["total_runs"] == 8
    data = load_sweep(tmp_path / "b")
    runs = data.runs
    assert len(runs) == 8 and set(runs["outcome"]) <= {"adopted", "blocked"}
    assert (runs["adopted"] == (runs["outcome"] == "adopted")).all()
    seeds = [point.sort_values("replication")["seed"].tolist()
             for _, point in runs.groupby("inclusiveness")]
    assert seeds[0] == seeds[1] and len(set(seeds[0])) == 4  # paired: the same 4 seeds
    assert len(data.states) == 8 * 37 and set(data.states["iso3"]) >= {"USA", "CHE", "GBR"}
    # each row is the negotiation `wargame reform --seed SEED` replays
    row = runs.iloc[3]
    one = cli("reform", "--seed", str(row["seed"]), "--set", "side_payments_bn=0",
              "--set", f"inclusiveness={row['inclusiveness']}", "--out", str(tmp_path / "one"))
    assert one.returncode == 0, one.stderr
    summary = json.loads((tmp_path / "one" / "summary.json").read_text())
    assert summary["outputs"]["adopted"] == row["adopted"]
    assert " ".join(summary["outputs"]["blocking"]) == row["blocking"]


def test_the_shipped_attitude_table_is_the_sourced_one():
    if not SHARED.exists():
        pytest.skip("the sourced table sits beside the checkout only in sessions")
    assert DATA_FILE.read_bytes() == SHARED.read_bytes()


@pytest.mark.parametrize("edit, message", [
    (lambda t: t.replace("FRA,France,54", "FRA,France,154"), "row 11 (FRA), column "
                                                               "nato_favourable_pct"),
    (lambda t: t.replace("FRA,France,54", "FRA,France,lots"), "'lots' is not a number"),
    (lambda t: t.replace("eu_favourable_pct", "eu_fav"), "missing required column"),
    (lambda t: t + t.splitlines()[1] + "\n", "duplicate"),
])
def test_a_broken_attitude_table_is_one_line(tmp_path, edit, message):
    path = tmp_path / "attitudes.csv"
    shutil.copy(DATA_FILE, path)
    path.write_text(edit(path.read_text("utf-8")), "utf-8")
    with pytest.raises(WargameError, match=re.escape(message)):
        read_attitudes(path)


def _first(**package) -> ReformModel:
    """The first seed whose negotiation with `package` is adopted (ratified)."""
    return next(m for seed in range(200)
                if (m := ReformModel(rng=seed, **package).run()).adopted)


def test_an_adopted_reform_sets_the_crisis_stage_with_the_us_counted_once():
    model = _first(inclusiveness=1.0, side_payments_bn=150.0)
    out = outputs(model)
    link = crisis_overrides(out, model.inputs.as_dict(),
                            {"us_commitment": 0.8, "crisis_year": 2035})
    assert link.applied == ("treaty_change", "european_saceur", "merged_sg", "declaration")
    assert link.inputs["governance"] == "eu_led_nato"
    # The agreed commitment, and the package's channel that passes all of it (its
    # us_cooperation_share, 1 by default): the cut counts once, at any commitment.
    agreed = 0.8 * (1 - model.us_cut)
    assert link.us_agreed == pytest.approx(agreed)
    assert link.inputs["us_commitment"] == pytest.approx(agreed)
    assert link.inputs["us_channel_cooperation"] == model.inputs.us_cooperation_share == 1.0
    assert set(link.bonds) == {"GBR", "TUR", "NOR", "CAN", "ISL", "ALB", "MNE", "MKD", "CHE"}
    assert link.bonds["GBR"] == model.inputs.integrated_bond
    assert link.bonds["CHE"] == model.inputs.partner_bond
    assert len(link.spending_factor) == 23 and min(link.spending_factor.values()) > 1.0
    crisis = CrisisModel(**link.inputs, rng=1, collect_series=False).run()  # today's model
    assert crisis.outcome is not None


def test_each_element_in_force_acts_through_its_named_mechanisms():
    model = _first(treaty_change=False)
    out = outputs(model)
    given = {"crisis_year": 2035, "command_integration": 0.2, "no_plan_days": 10,
             "rrf_command_delay_days": 5, "rrf_readiness_days": 10, "attribution_days": 10,
             "deliberation_financial_days": 2}
    link = crisis_overrides(out, model.inputs.as_dict(), given)
    p = model.inputs
    assert link.applied == ("european_saceur", "merged_sg", "declaration")
    assert link.inputs["governance"] == "nato_us_led"  # no treaty: today's NATO, Art. 5
    assert link.inputs["command_integration"] == p.saceur_command_integration
    assert link.inputs["no_plan_days"] == round(10 * (1 - p.saceur_planning_cut))
    assert link.inputs["rrf_readiness_days"] == round(10 * (1 - p.saceur_readiness_cut))
    assert link.inputs["attribution_days"] == round(10 * (1 - p.political_lead_speedup))
    early = crisis_overrides(out, model.inputs.as_dict(), {**given, "crisis_year": 2025})
    assert early.applied == () and early.inputs == {"governance": "nato_us_led",
                                                    "us_commitment": 0.5}


def test_a_blocked_reform_falls_back_to_todays_arrangement():
    model = ReformModel(rng=1, us_demand=3.0).run()
    link = crisis_overrides(outputs(model), model.inputs.as_dict(), {"us_commitment": 0.3})
    assert link.inputs == {"governance": "nato_us_led", "us_commitment": 0.3}
    assert link.bonds == {} and link.spending_factor == {}


def test_low_inclusiveness_gives_non_eu_allies_the_associated_bond():
    model = _first(inclusiveness=0.0, side_payments_bn=150.0)
    link = crisis_overrides(outputs(model), model.inputs.as_dict())
    assert link.bonds["GBR"] == model.inputs.associated_bond
    assert {link.bonds[i] for i in link.bonds if i != "CHE"} == {model.inputs.associated_bond}


def test_the_budget_rise_phases_in_from_adoption_to_the_target_year():
    assert phase_in(12, 2035, 2027) == 0.0  # agreed in 2027: nothing yet
    assert phase_in(0, 2036, 2031) == pytest.approx(0.5)
    assert phase_in(6, 2035, 2040) == 1.0


def test_plot_draws_the_reform_figures_with_intervals(cli, tmp_path):
    """Every reform kind registers and draws from a negotiation sweep folder."""
    folder = tmp_path / "batch"
    made = cli("reform", "--seed", "0", "--runs", "6", "--grid", "inclusiveness=0,1",
               "--grid", "side_payments_bn=0,20", "--set", "eu_budget_increase=2",
               "--set", "treaty_change=false", "--out", str(folder))
    assert made.returncode == 0, made.stderr
    drawn = cli("plot", "all", str(folder))
    assert drawn.returncode == 0, drawn.stderr
    plots = folder / "plots"
    for kind in ("reform-adoption", "reform-blockers", "reform-map", "reform-price"):
        assert (plots / f"{kind}.png").stat().st_size > 0, kind
    adoption = pd.read_csv(plots / "reform-adoption.csv")
    assert len(adoption) == 4 and adoption["n"].eq(6).all()
    assert ((adoption["low"] <= adoption["p"]) & (adoption["p"] <= adoption["high"])).all()
    blockers = pd.read_csv(plots / "reform-blockers.csv")
    assert blockers["n"].eq(24).all() and blockers["share"].is_monotonic_decreasing
    assert "reform-adoption" in (plots / "index.html").read_text()
    assert len(pd.read_csv(plots / "reform-map.csv")) == 32  # the allies' capitals
    for kind in ("reform-adoption", "reform-blockers", "reform-map", "reform-price"):
        one = cli("plot", kind, str(folder), "--out", str(tmp_path / kind))
        assert one.returncode == 0, one.stderr
        assert (tmp_path / kind / f"{kind}.png").stat().st_size > 5_000, kind
    wrong = cli("plot", "reform-adoption", str(folder), "--x", "us_demand")
    assert wrong.returncode == 2 and "was not swept" in wrong.stderr
    crisis = cli("plot", "phase", str(folder))
    assert crisis.returncode == 2 and "phase draws crisis sweeps" in crisis.stderr


def test_many_runs_resume_like_any_sweep(cli, tmp_path):
    """A batch cut short before its commit (its runs part missing) is set aside and run
    again by `wargame reform --resume`; the rows are those of the first run."""
    options = ["--seed", "9", "--runs", "5", "--grid", "inclusiveness=0,1", "--workers", "1",
               "--out", str(tmp_path / "b")]
    assert cli("reform", *options).returncode == 0
    before = pd.read_parquet(tmp_path / "b" / "runs").sort_values("run_id", ignore_index=True)
    for part in (tmp_path / "b" / "runs").glob("part-*.parquet"):
        part.unlink()
    other = cli("reform", *options, "--set", "side_payments_bn=0", "--resume")
    assert other.returncode == 2 and "holds a different sweep" in other.stderr
    resumed = cli("reform", *options, "--resume")
    assert resumed.returncode == 0, resumed.stderr
    assert "resuming: 0 of 10 runs verified" in resumed.stdout
    assert "set aside" in resumed.stderr
    after = pd.read_parquet(tmp_path / "b" / "runs").sort_values("run_id", ignore_index=True)
    pd.testing.assert_frame_equal(before, after)
