"""`wargame calibrate`: ABC-SMC against the declared targets, with real runs of the model.

The shipped targets calibrate once per module (one generation of ten sets at --quick's
scale, about two minutes on two workers) and the tests read its folder: the posterior, the
record, the report. The generations, kills and extensions run on a small targets file.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import signal
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import pytest
from conftest import REPO

from wargame.calibration import calibrated_point, posterior_draws
from wargame.calibration.posterior import (
    SHIPPED_POSTERIOR,
    densest_sets,
    read_posterior,
    write_posterior,
)
from wargame.calibration.simulate import measure
from wargame.calibration.targets import UNDEFINED_DISTANCE, distance, load_spec
from wargame.inputs import INPUTS
from wargame.parameter_sets import read_draws

SPEC = load_spec()


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    from conftest import run_cli

    out = tmp_path_factory.mktemp("calibration") / "quick"
    result = run_cli("calibrate", "--quick", "--out", str(out), "--workers", "2", "--seed", "3",
                     "--population", "10", "--generations", "1", "--draws", "4", timeout=600)
    assert result.returncode == 0, result.stderr
    return out, result


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """A finished --quick calibration of the two-uncertainty targets file (seconds, not the
    minute the shipped targets take): what the refusals of an extension need."""
    from conftest import run_cli

    folder = tmp_path_factory.mktemp("small")
    targets = _two_parameter_targets(folder)
    out = folder / "done"
    result = run_cli("calibrate", "--quick", *SMALL, "--targets", str(targets), "--out", str(out),
                     "--workers", "2", "--seed", "3", timeout=600)
    assert result.returncode == 0, result.stderr
    return out, targets


def test_shipped_targets_are_declared_with_sources_roles_and_kinds():
    kinds = {t.kind for t in SPEC.targets}
    assert SPEC.fitted and SPEC.held_back and len(kinds) >= 3
    assert all(t.source and t.experiment.seeds >= 1 for t in SPEC.targets)
    assert {p.name for p in SPEC.parameters} >= {"barrier_financial", "barrier_forces",
                                                 "max_advance_km_per_day"}


@pytest.mark.slow  # a whole quick calibration (~35 s on 2 cores)
def test_quick_calibration_writes_posterior_record_and_report(quick):
    out, result = quick
    assert "expected time" in result.stdout
    assert "generation 1/1" in result.stdout
    assert sorted(p.name for p in out.iterdir()) == ["CALIBRATION.md", "abc.db",
                                                     "calibration.json", "posterior.parquet"]
    assert not out.with_name("quick.partial").exists()

    posterior = read_posterior(out)
    assert len(posterior) == 10 and math.isclose(posterior["weight"].sum(), 1.0)
    for p in SPEC.parameters:
        assert posterior[p.name].between(p.low, p.high).all(), p.name

    record = json.loads((out / "calibration.json").read_text())
    assert [t["name"] for t in record["targets"]] == [t.name for t in SPEC.targets]
    assert {t["role"] for t in record["targets"]} == {"fitted", "held_back"}
    for target in record["targets"]:
        assert target["predictive"]["low"] is not None, target["name"]
        assert 0.0 <= target["share_of_draws_in_band"] <= 1.0
    assert calibrated_point(out) == record["best_point"]
    assert set(record["best_point"]) == {p.name for p in SPEC.parameters}

    report = (out / "CALIBRATION.md").read_text()
    for heading in ("## Method", "### Fitted targets", "### Held-back targets",
                    "## Identification", "Ukraine Support Tracker"):
        assert heading in report
    assert all(f"`{t.name}`" in report for t in SPEC.targets)


def test_the_distance_is_zero_inside_every_band_and_counts_band_widths_outside():
    band = next(t for t in SPEC.targets if t.value is None)
    width = band.high - band.low
    for inside in (band.low, band.high, (band.low + band.high) / 2):
        assert band.distance(inside) == 0.0
    assert band.distance(band.low - 0.25 * width) == pytest.approx(0.25)
    assert band.distance(band.high + 2 * width) == pytest.approx(2.0)
    assert band.distance(math.nan) == band.distance(math.inf) == UNDEFINED_DISTANCE

    middles = {t.name: (t.low + t.high) / 2 for t in SPEC.targets}
    assert distance(SPEC.fitted, middles) == 0.0
    first = SPEC.fitted[0]
    off = {**middles, first.name: first.high + (first.high - first.low)}
    assert distance(SPEC.fitted, off) == pytest.approx(1.0)


@pytest.mark.slow  # a whole quick calibration (~35 s on 2 cores)
def test_posterior_draws_are_reproducible_for_a_seed(quick):
    out, _ = quick
    draws = posterior_draws(out / "posterior.parquet", 50, seed=7)
    assert draws == posterior_draws(out, 50, seed=7)
    assert draws != posterior_draws(out, 50, seed=8)
    assert len(draws) == 50 and all(set(d) == {p.name for p in SPEC.parameters} for d in draws)


def test_posterior_draws_follow_the_weights(tmp_path):
    low = {p.name: p.low for p in SPEC.parameters}
    high = {p.name: p.high for p in SPEC.parameters}
    frame = pd.DataFrame([{**low, "weight": 0.0, "distance": 0.0, "generation": 1},
                          {**high, "weight": 1.0, "distance": 0.0, "generation": 1}])
    write_posterior(frame, tmp_path, SPEC)
    assert posterior_draws(tmp_path, 20, seed=1) == [high] * 20


def test_the_densest_set_is_where_the_others_crowd_not_the_heaviest_alone():
    """A set's own kernel is left out of its density: one heavy set alone at the prior's
    edge (importance weights are heaviest where proposals were thin) must not outrank a
    set amid a crowd, as it did when its own weight counted in its estimate."""
    rng = np.random.default_rng(1)
    rows = []
    for _ in range(30):  # the crowd, mid-range, 0.4 of the weight
        rows.append({p.name: p.low + (p.high - p.low) * float(np.clip(
            0.5 + 0.08 * rng.standard_normal(), 0.05, 0.95)) for p in SPEC.parameters})
    rows.append({p.name: p.low + 0.02 * (p.high - p.low) for p in SPEC.parameters})
    frame = pd.DataFrame(rows)
    frame["weight"] = [0.4 / 30] * 30 + [0.6]
    frame["distance"], frame["generation"] = 0.0, 1
    ranked = densest_sets(frame, SPEC, k=len(frame))
    edge = rows[-1]
    assert ranked[0] != edge and ranked[-1] == edge


def test_the_shipped_posterior_lies_within_the_registry_ranges():
    """`wargame validate` (V11) checks each draw of the shipped posterior like --set: one row
    outside an input's range stops the whole battery."""
    draws = read_draws(SHIPPED_POSTERIOR, None)
    assert len(draws) == len(read_posterior(SHIPPED_POSTERIOR))


def test_the_statistics_measure_real_runs():
    """RAND's pair of Baltic experiments differ only in the seven brigades in place: the
    same attack, met by them, takes the capital within a week in fewer runs than it does
    within three days with nothing in place (defence never speeds a defeat, and the
    statistic tells the two apart); reliability shares are shares of real runs."""
    rand = [t for t in SPEC.targets if t.name.startswith("rand_")]
    reliability = [t for t in SPEC.targets if t.name.startswith("reliability")]
    defaults = {p.name: p.default for p in SPEC.parameters}
    measured = measure(rand + reliability, defaults, base_seed=1, key="test", scale=0.25)
    assert 0.0 <= measured["rand_seven_brigades"] < measured["rand_unopposed_in_three_days"]
    for target in reliability:
        assert 0.0 < measured[target.name] < 1.0, target.name
    assert measured == measure(rand + reliability, defaults, 1, "test", 0.25)


def test_a_median_day_counts_the_runs_that_never_reach_it():
    """Three runs of ten reach 100,000 troops on days 40-50: the event's median day is
    never (a reviewer found `median:` reporting 45, inside the band, by dropping the other
    seven); `median:` still reads the output over the runs that report it."""
    from wargame.calibration.statistics import Runs, parse_measure

    outputs = [{"day_allied_100k": day} for day in (40.0, 45.0, 50.0)]
    outputs += [{"day_allied_100k": math.nan}] * 6 + [{"day_allied_100k": None}]
    runs = Runs(outputs)
    assert parse_measure("median_day:day_allied_100k", "t").compute(runs) == math.inf
    assert parse_measure("median:day_allied_100k", "t").compute(runs) == 45.0
    runs = Runs(outputs[:3] + outputs[3:5])
    assert parse_measure("median_day:day_allied_100k", "t").compute(runs) == 50.0


@pytest.mark.slow  # a two-generation calibration, and one killed and extended (~1 min)
def test_a_killed_calibration_extended_repeats_an_uninterrupted_one_exactly(tmp_path, cli):
    """On one worker a calibration repeats exactly, and so does one killed in its second
    generation (the process and all it started, as a power cut would) and then extended
    from the history it left: each generation proposes from a stream of its own. A targets
    file of one's own is named again in the command that finishes it."""
    targets = str(_two_parameter_targets(tmp_path))
    whole = tmp_path / "whole"
    result = cli("calibrate", "--quick", *SMALL, "--targets", targets, "--out", str(whole),
                 "--workers", "1")
    assert result.returncode == 0, result.stderr

    out, log = tmp_path / "cut", tmp_path / "cut.log"
    with log.open("w") as stdout:
        process = subprocess.Popen(
            [sys.executable, "-m", "wargame.cli", "calibrate", "--quick", *SMALL, "--targets",
             targets, "--out", str(out), "--workers", "1"], cwd=REPO, stdout=stdout,
            stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 300
    while "generation 1/2" not in log.read_text():
        assert process.poll() is None and time.monotonic() < deadline
        time.sleep(0.1)
    time.sleep(2)  # into the second generation's runs (~10 s on one core)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    staging = out.with_name("cut.partial")
    assert not out.exists() and (staging / "abc.db").is_file()
    assert "generation 2/2" not in log.read_text()  # cut in the middle of it

    again = cli("calibrate", "--quick", *SMALL, "--targets", targets, "--out", str(out),
                "--workers", "1")
    hint = f"wargame calibrate --extend {staging} --out {out} --targets {targets}"
    assert again.returncode == 2 and hint in again.stderr, again.stderr

    extended = cli(*hint.split()[1:], "--workers", "1", "--draws", "2")
    assert extended.returncode == 0, extended.stderr
    assert "1 generation(s) stored, 1 more to run" in extended.stdout
    assert not staging.exists()
    pd.testing.assert_frame_equal(read_posterior(out), read_posterior(whole))
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in whole.iterdir())
    record = json.loads((out / "calibration.json").read_text())
    assert record["extends"]["generations"] == 1 and record["settings"]["quick"]
    # The report's command is the one uninterrupted run that gives this posterior.
    assert "--extend" not in record["command"] and "--generations 2" in record["command"]
    assert [c.count("--extend") for c in record["extends"]["commands_run"]] == [0, 1]
    assert "It ran in steps" in (out / "CALIBRATION.md").read_text()


@pytest.mark.slow  # the first generation of a small calibration (~5 s on 1 core)
def test_sigterm_stops_a_calibration_with_143_and_says_how_to_go_on(tmp_path):
    """Right after a generation is stored, where pyabc's storage was once cut halfway by
    the stop (status 1 and a traceback)."""
    targets = str(_two_parameter_targets(tmp_path))
    out, log = tmp_path / "run", tmp_path / "run.log"
    with log.open("w") as stdout:
        process = subprocess.Popen(
            [sys.executable, "-m", "wargame.cli", "calibrate", "--quick", *SMALL, "--targets",
             targets, "--out", str(out), "--workers", "1"], cwd=REPO, stdout=stdout,
            stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 300
    while "generation 1/2" not in log.read_text():
        assert process.poll() is None and time.monotonic() < deadline
        time.sleep(0.1)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 143 and stderr.count("\n") == 1, (process.returncode, stderr)
    assert (f"wargame calibrate --extend {out}.partial --out {out} --targets {targets}"
            in log.read_text())


@pytest.mark.slow  # a two-generation calibration and one more generation (~30 s)
def test_a_finished_calibration_runs_on_into_a_new_folder(tmp_path, cli):
    targets = str(_two_parameter_targets(tmp_path))
    done = tmp_path / "done"
    first = cli("calibrate", "--quick", *SMALL, "--targets", targets, "--out", str(done),
                "--workers", "2", "--seed", "3")
    assert first.returncode == 0, first.stderr
    history = (done / "abc.db").read_bytes()
    out = tmp_path / "longer"
    result = cli("calibrate", "--extend", str(done), "--generations", "3", "--out", str(out),
                 "--workers", "2", "--targets", targets, "--draws", "2")
    assert result.returncode == 0, result.stderr
    before = json.loads((done / "calibration.json").read_text())
    record = json.loads((out / "calibration.json").read_text())
    assert [g["generation"] for g in record["generations"]] == [1, 2, 3]
    for stored, first in zip(record["generations"][:2], before["generations"], strict=True):
        assert stored["seconds"] == pytest.approx(first["seconds"], abs=1.0)  # pyabc's clock
        assert {**stored, "seconds": 0} == {**first, "seconds": 0}
    assert record["settings"]["seed"] == 3 and record["extends"]["folder"] == str(done.resolve())
    assert "generation 3/3" in result.stdout and "generation 2/3" not in result.stdout
    assert (done / "abc.db").read_bytes() == history  # copied, never written to


@pytest.mark.parametrize(("args", "message"), [
    ([], "it has run 2 generation(s); say how many in all with --generations"),
    (["--generations", "2"], "has run 2 already; ask for more"),
    (["--generations", "3", "--population", "20"], "ran with 10, and an extension keeps it"),
    (["--generations", "3", "--seed", "4"], "ran with 3, and an extension keeps it"),
])
def test_an_extension_keeps_what_the_run_began_with(small, tmp_path, cli, args, message):
    done, targets = small
    result = cli("calibrate", "--extend", str(done), "--targets", str(targets),
                 "--out", str(tmp_path / "out"), *args)
    assert result.returncode == 2 and message in result.stderr, result.stderr
    assert result.stderr.count("\n") == 1
    assert not (tmp_path / "out").exists() and not (tmp_path / "out.partial").exists()


def test_an_extension_refuses_other_targets_and_a_folder_without_history(small, tmp_path,
                                                                         cli):
    done, targets = small
    other = cli("calibrate", "--extend", str(done), "--generations", "3", "--targets",
                str(_targets_file(tmp_path)), "--out", str(tmp_path / "out"))
    assert other.returncode == 2 and "fitted to another targets file" in other.stderr
    (tmp_path / "empty").mkdir()
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "abc.db").write_text("not a database")
    for folder, message in (("empty", "no abc.db there"),
                            ("broken", "abc.db is not a readable ABC-SMC history")):
        result = cli("calibrate", "--extend", str(tmp_path / folder), "--generations", "3",
                     "--out", str(tmp_path / "out"))
        assert result.returncode == 2 and message in result.stderr, result.stderr
        assert result.stderr.count("\n") == 1
    assert not (tmp_path / "out").exists()
    empty_name = cli("calibrate", "--extend", "", "--generations", "3")
    assert empty_name.returncode == 2 and "--extend: expected a folder" in empty_name.stderr
    inside = cli("calibrate", "--extend", str(done), "--targets", str(targets),
                 "--generations", "3", "--out", str(done / "more"))
    assert inside.returncode == 2 and "inside the folder --extend reads" in inside.stderr
    assert not (done / "more").exists() and not (done / "more.partial").exists()


#: The small calibrations: the smallest population and two posterior draws (the fit tables
#: rerun every target at each draw; what is tested is the machinery, not the fit).
SMALL = ("--population", "10", "--draws", "2")

TARGET = """
[[target]]
name = "overrun"
kind = "war outcome"
role = "fitted"
band = [0.9, 1.0]
statistic = "{statistic}"
source = "Shlapak & Johnson (2016), RAND RR-1253-A"
[target.experiment]
scenario = "baltic"
set = {{ start_rung = "CONVENTIONAL"{extra} }}
seeds = {seeds}
"""


#: The input the small targets files calibrate; the error names its registry range.
SPEED = INPUTS["max_advance_km_per_day"]


def _targets_file(tmp_path, parameter="max_advance_km_per_day", more="",
                  statistic="share_outcome:defeated", extra="", seeds=4):
    path = tmp_path / "targets.toml"
    path.write_text(f'[[parameter]]\nname = "{parameter}"\n{more}\n'
                    + TARGET.format(statistic=statistic, extra=extra, seeds=seeds))
    return path


def _two_parameter_targets(tmp_path):
    """Two uncertainties and one target of 100 runs a set at --quick's scale: a generation
    takes seconds (the shipped targets take minutes on one core), long enough to be cut
    in the middle, and the proposals are two-dimensional as in the shipped calibration.
    A 30-day window: a capital that falls is fought over for months, runs six times
    longer, and the target reads nothing of it."""
    return _targets_file(tmp_path, more='\n[[parameter]]\nname = "war_aversion"',
                         extra=", max_days = 30", seeds=500)


@pytest.mark.parametrize(("change", "message"), [
    ({"statistic": "overrun_share"}, "unknown statistic 'overrun_share'"),
    ({"statistic": "share_outcome:victory"}, "unknown outcome 'victory'"),
    ({"statistic": "median_day:peak_pledged_troops"}, "is not a day output"),
    ({"parameter": "us_commitment"}, "us_commitment is a lever, not a numeric uncertainty"),
    ({"parameter": "no_such_input"}, "unknown input 'no_such_input'"),
    ({"more": "low = 10"}, f"prior range [10, {SPEED.high:g}] is outside the registry's "
                           f"[{SPEED.low:g}, {SPEED.high:g}]"),
    ({"extra": ", max_advance_km_per_day = 100"},
     "max_advance_km_per_day is calibrated, but the experiment"),
])
def test_bad_targets_file_gets_one_line_and_exit_2(tmp_path, cli, change, message):
    out = tmp_path / "out"
    result = cli("calibrate", "--quick", "--targets", str(_targets_file(tmp_path, **change)),
                 "--out", str(out))
    assert result.returncode == 2
    assert result.stderr.startswith("wargame: error: ") and message in result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert not out.exists() and not out.with_name("out.partial").exists()


def test_a_small_file_of_ones_own_calibrates(tmp_path, cli):
    result = cli("calibrate", "--quick", "--targets", str(_targets_file(tmp_path)), "--out",
                 str(tmp_path / "out"), "--workers", "1")
    assert result.returncode == 0, result.stderr
    assert list(read_posterior(tmp_path / "out").columns[:1]) == ["max_advance_km_per_day"]


@pytest.mark.parametrize(("args", "message"), [
    (["--population", "5"], "--population 5: use at least 10"),
    (["--workers", "0"], "expected a whole number >= 1"),
])
def test_bad_options_get_one_line_and_exit_2(tmp_path, cli, args, message):
    result = cli("calibrate", "--quick", "--out", str(tmp_path / "out"), *args)
    assert result.returncode == 2 and message in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_folder_in_use_is_refused(tmp_path, cli):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "keep.txt").write_text("mine")
    result = cli("calibrate", "--quick", "--out", str(tmp_path / "out"))
    assert result.returncode == 2 and "already exists and is not empty" in result.stderr
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["keep.txt"]


def test_a_calibration_being_written_is_not_extended_or_restarted_by_another(small, tmp_path,
                                                                            cli):
    """Two processes on one ABC-SMC history would interleave their generations: while one
    holds DIR.partial, a second `--extend DIR.partial` and a fresh run into DIR are refused
    and the history is left as it was."""
    from wargame.sweep.folder import FolderLock

    done, targets = small
    staging = tmp_path / "run.partial"
    staging.mkdir()
    shutil.copy2(done / "abc.db", staging / "abc.db")
    before = (staging / "abc.db").read_bytes()
    with FolderLock(staging):  # as a running calibration holds it
        extend = cli("calibrate", "--extend", str(staging), "--targets", str(targets),
                     "--generations", "3", "--out", str(tmp_path / "run"))
        fresh = cli("calibrate", "--quick", "--out", str(tmp_path / "run"))
    for result in (extend, fresh):
        assert result.returncode == 2, result.stderr
        assert "another wargame process" in result.stderr and result.stderr.count("\n") == 1
    assert (staging / "abc.db").read_bytes() == before
    assert not (staging / "started.json").exists() and not (tmp_path / "run").exists()


def test_each_cell_of_a_calibration_grid_runs_seeds_of_its_own():
    """A target pools its grid's cells into one statistic: with one seed list for every
    cell, a crisis would be counted once per cell. Two cells that differ only in an input
    that cannot act in the Baltic (a landing capacity: Russia attacks over land) would then
    give the same runs; on seeds of their own they give other crises."""
    from wargame.calibration.simulate import run_experiment
    from wargame.calibration.targets import Experiment
    from wargame.scenario import load_scenario

    baltic = tuple(load_scenario("baltic").parameters.items())
    cells = tuple((*baltic, ("landing_capacity", capacity)) for capacity in (2000, 8000))
    experiment = Experiment("baltic", (), (("landing_capacity", (2000, 8000)),), 6,
                            cells=cells)
    first = run_experiment(experiment, {}, 1, "key", 6, False)
    again = run_experiment(experiment, {}, 1, "key", 6, False)
    runs = [(r["days"], r["outcome"], r["max_escalation"]) for r in first.outputs]
    assert runs == [(r["days"], r["outcome"], r["max_escalation"]) for r in again.outputs]
    assert len(runs) == 12 and runs[:6] != runs[6:]
