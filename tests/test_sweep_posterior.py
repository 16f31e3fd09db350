"""Sweeps over the calibration's posterior (`posterior` in a sweep file, `--posterior`).

Replication r of every design point runs with parameter set r drawn by weight: the runs
stored must be the runs `CrisisModel` gives with that set, pairing must hold across points,
a resumed folder must keep its runs, and a draw that would fight a value set by hand is
refused in one line. Real sweeps into real Parquet folders; short crises.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from conftest import run_cli

from wargame.calibration.posterior import SHIPPED_POSTERIOR, read_posterior
from wargame.errors import WargameError
from wargame.figures.compare import differing_inputs
from wargame.figures.load import load_results
from wargame.figures.provenance import conditions
from wargame.figures.style import input_name
from wargame.inputs import DEFAULTS
from wargame.model import CrisisModel
from wargame.outputs import run_outputs
from wargame.sweep.design import design_points
from wargame.sweep.execute import run_sweep
from wargame.sweep.spec import load_sweep
from wargame.viz.launch import from_sweep

SWEEP = """
scenario = "baltic"
replications = {reps}
base_seed = 5
days = 30
posterior = "draws.csv"
{parameters}

[design]
kind = "grid"

[design.levels]
us_commitment = [0.0, 1.0]
"""

#: Two parameter sets far apart, the second drawn three times as often as the first.
DRAWS = "resolve_scale,war_aversion,weight\n0.6,1.0,1\n1.9,7.5,3\n"


def sweep_file(tmp_path: Path, reps: int = 8, parameters: str = "",
               draws: str = DRAWS) -> Path:
    (tmp_path / "draws.csv").write_text(draws)
    path = tmp_path / "posterior.toml"
    paired = "" if "paired_seeds" in parameters else "paired_seeds = true\n"
    path.write_text(paired + SWEEP.format(reps=reps, parameters=parameters))
    return path


def test_each_replication_runs_its_draw_in_every_point_as_the_model_would(tmp_path):
    spec = load_sweep(str(sweep_file(tmp_path)))
    assert len(spec.posterior_draws) == 8
    assert {d["resolve_scale"] for d in spec.posterior_draws} == {0.6, 1.9}
    run_sweep(spec, design_points(spec), tmp_path / "out", workers=2, progress=False)
    runs = pd.read_parquet(tmp_path / "out" / "runs").sort_values("run_id")
    drawn = pd.DataFrame(list(spec.posterior_draws))
    for name in ("resolve_scale", "war_aversion"):
        by_replication = runs.pivot(index="replication", columns="point_id", values=name)
        # Paired: the same set in both points of a replication, and it is that one's draw.
        assert (by_replication[0] == by_replication[1]).all()
        assert by_replication[0].tolist() == drawn[name].tolist()
    run = runs.iloc[11]
    point = design_points(spec)[int(run["point_id"])]
    model = CrisisModel(**{**point, **spec.posterior_draws[int(run["replication"])]},
                        rng=int(run["seed"])).run()
    expected = run_outputs(model)
    assert run["outcome"] == expected["outcome"]
    assert run["defender_losses"] == expected["defender_losses"]
    assert run["peak_deployed_troops"] == expected["peak_deployed_troops"]


def test_the_shipped_posterior_is_the_same_sweep_by_name_or_by_path():
    by_name = load_sweep("headline", replications=3, posterior="shipped")
    by_path = load_sweep("headline", replications=3, posterior=str(SHIPPED_POSTERIOR))
    assert by_path.posterior_file == "shipped"
    assert by_path.to_dict() == by_name.to_dict()  # so --resume finds the same sweep


def test_draws_follow_the_weights_and_the_seed():
    weights = read_posterior(SHIPPED_POSTERIOR)
    spec = load_sweep("headline", replications=400, posterior="shipped")
    again = load_sweep("headline", replications=400, posterior="shipped")
    assert spec.posterior_draws == again.posterior_draws  # the base seed decides them
    assert spec.posterior_file == "shipped"
    # The heaviest accepted set is drawn about as often as its weight says.
    heaviest = weights.loc[weights["weight"].idxmax()]
    hits = sum(d["resolve_scale"] == heaviest["resolve_scale"] for d in spec.posterior_draws)
    assert abs(hits / 400 - heaviest["weight"]) < 4 * (heaviest["weight"] / 400) ** 0.5 + 0.01


def test_a_resumed_posterior_sweep_keeps_its_runs_and_runs_the_missing_ones(tmp_path):
    path = sweep_file(tmp_path, reps=6)
    out = tmp_path / "out"
    first = run_cli("sweep", str(path), "--out", str(out), "--workers", "1", "--quiet",
                    "--chunk-size", "3", "--flush-seconds", "0")
    assert first.returncode == 0, first.stderr
    complete = pd.read_parquet(out / "runs").sort_values("run_id").reset_index(drop=True)
    parts = sorted((out / "runs").glob("part-*.parquet"))
    assert len(parts) > 1
    lost = parts[-1].name  # a batch lost whole: its runs must be run again, with their draws
    for dataset in ("runs", "states"):
        (out / dataset / lost).unlink()
    manifest = json.loads((out / "manifest.json").read_text())
    manifest.update(status="incomplete", completed_runs=len(pd.read_parquet(out / "runs")))
    (out / "manifest.json").write_text(json.dumps(manifest))
    resumed = run_cli("sweep", str(path), "--out", str(out), "--resume", "--quiet")
    assert resumed.returncode == 0, resumed.stderr
    assert "set aside" not in resumed.stderr, resumed.stderr
    assert not (out / "damaged").exists()
    again = pd.read_parquet(out / "runs").sort_values("run_id").reset_index(drop=True)
    pd.testing.assert_frame_equal(again, complete)


def test_resume_refuses_the_folder_of_other_draws(tmp_path):
    path = sweep_file(tmp_path, reps=2)
    out = tmp_path / "out"
    assert run_cli("sweep", str(path), "--out", str(out), "--quiet").returncode == 0
    (tmp_path / "draws.csv").write_text("resolve_scale,weight\n1.0,1\n")
    done = run_cli("sweep", str(path), "--out", str(out), "--resume", "--quiet")
    assert done.returncode == 2 and "holds a different sweep" in done.stderr, done.stderr


@pytest.mark.parametrize(("parameters", "draws", "message"), [
    ("[parameters]\nresolve_scale = 1.2", DRAWS,
     "'resolve_scale' is drawn from the posterior and fixed in [parameters]"),
    ("", "resolve_scale,weight\n1.2,1\nhigh,1\n",
     "posterior draws.csv row 2: resolve_scale = 'high' is not allowed"),
    ("", "resolve_scale,colour\n1.2,red\n", "column 'colour' is not an input"),
    ("", "resolve_scale,weight\n1.2,-1\n", "row 1: weight -1 is not a finite number >= 0"),
    ("", "resolve_scale,weight\n1.2,inf\n", "row 1: weight inf is not a finite number"),
    ("", "resolve_scale,weight\n1.2,1\n1.3,heavy\n", "row 2: weight 'heavy' is not a finite"),
    ("", "resolve_scale,weight\n1.2,0\n", "weights must be >= 0, not all 0"),
    ("", "weight\n1\n", "no draws (expected rows and at least one input column)"),
    ("", "resolve_scale\n", "no draws"),
    ("", "target,weight\nIRL,1\n", "column 'target' is a setting, not an uncertainty"),
    ("", "max_days,weight\n60,1\n", "column 'max_days' is a setting, not an uncertainty"),
    ("", "us_commitment,weight\n0.5,1\n", "column 'us_commitment' is a lever"),
    ("paired_seeds = false", DRAWS, "posterior needs paired_seeds = true"),
])
def test_bad_posteriors_are_one_line_and_write_nothing(tmp_path, parameters, draws, message):
    out = tmp_path / "out"
    done = run_cli("sweep", str(sweep_file(tmp_path, parameters=parameters, draws=draws)),
                   "--out", str(out))
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and message in done.stderr, done.stderr
    assert not out.exists()


def test_a_swept_input_or_another_model_kind_cannot_take_draws(tmp_path):
    path = sweep_file(tmp_path)
    path.write_text(path.read_text().replace("us_commitment = [0.0, 1.0]",
                                             "resolve_scale = [1.0, 1.5]"))
    with pytest.raises(WargameError, match="drawn from the posterior and swept in"):
        load_sweep(str(path))
    with pytest.raises(WargameError, match="a posterior draws crisis uncertainties"):
        load_sweep("negotiation", posterior="shipped")
    with pytest.raises(WargameError, match="no-such.csv: file not found"):
        load_sweep("headline", posterior="no-such.csv")


def test_readers_say_the_runs_were_drawn_over_the_posterior(tmp_path):
    spec = load_sweep(str(sweep_file(tmp_path, reps=4)))
    run_sweep(spec, design_points(spec), tmp_path / "drawn", workers=1, progress=False)
    plain = tmp_path / "plain.toml"
    plain.write_text(sweep_file(tmp_path, reps=4).read_text().replace(
        'posterior = "draws.csv"', ""))
    spec_plain = load_sweep(str(plain))
    run_sweep(spec_plain, design_points(spec_plain), tmp_path / "point", workers=1,
              progress=False)
    drawn, at_point = load_results(tmp_path / "drawn"), load_results(tmp_path / "point")
    assert "over posterior" in drawn.describe() and "posterior" not in at_point.describe()
    assert drawn.drawn == ["resolve_scale", "war_aversion"]
    footer = conditions(drawn)
    assert "drawn per replication over posterior" in footer
    assert "resolve_scale" in footer.split("drawn per replication")[1]
    assert differing_inputs(at_point, drawn) == [
        f"posterior draws: A none, B {drawn.posterior_text()}",
        f"{input_name('resolve_scale')} (resolve_scale): A = {DEFAULTS['resolve_scale']:g}; "
        "B drawn per replication",
        f"{input_name('war_aversion')} (war_aversion): A = {DEFAULTS['war_aversion']:g}; "
        "B drawn per replication"]
    done = run_cli("export", str(tmp_path / "drawn"), "--to", "csv", "--out",
                   str(tmp_path / "csv"))
    assert done.returncode == 0, done.stderr
    launch = from_sweep(tmp_path / "drawn", 5)  # the browser view opens the run as it ran
    row = pd.read_parquet(tmp_path / "drawn" / "runs").set_index("run_id").loc[5]
    assert launch.parameters["resolve_scale"] == row["resolve_scale"]
    assert "drawn from posterior draws.csv" in launch.run_label
    inputs = pd.read_csv(tmp_path / "csv" / "inputs.csv").set_index("name")
    assert inputs.loc["resolve_scale", "value"].startswith("drawn per replication")
    assert bool(inputs.loc["resolve_scale", "swept"])
