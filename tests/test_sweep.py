"""The batch runner: designs, seeds, backends, result folders, resumption and failures.

Everything runs for real: Parquet files on disk, a Dask LocalCluster on loopback, the CLI
in subprocesses, and a sweep killed with SIGKILL. Designs are small and crises short so
that the file runs in well under a minute on 2 cores.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import REPO, run_cli
from hostile_helpers import GRID as HOSTILE_GRID

from wargame.errors import WargameError
from wargame.inputs import INPUTS
from wargame.model import CrisisModel
from wargame.output_registry import names
from wargame.outputs import final_states, run_outputs, steps_frame
from wargame.sweep.design import design_points, run_seed
from wargame.sweep.execute import run_sweep
from wargame.sweep.schemas import schemas
from wargame.sweep.spec import load_sweep

#: The 4-point grid the hostile tests use (hostile_helpers), at base seed 7.
GRID = HOSTILE_GRID.replace("{seed}", "7")

SAMPLED = """
scenario = "baltic"
replications = 2
base_seed = 11
days = 20

[design]
kind = "{kind}"
samples = {samples}
{extra}

[design.ranges]
us_commitment = [0.2, 0.8]
forward_presence = [0, 5000]
eu_financing = [0.0, 1.0]
"""


def write(tmp_path: Path, text: str, name: str = "s.toml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def grid(tmp_path: Path, reps: int = 3, days: int = 30, series: bool = True,
         name: str = "grid.toml") -> Path:
    return write(tmp_path, GRID.format(reps=reps, days=days, series=str(series).lower()), name)


def read(folder: Path, dataset: str) -> pd.DataFrame:
    """A dataset in a canonical row order, for comparing folders."""
    frame = pd.read_parquet(folder / dataset)
    keys = ["run_id"] + (["iso3"] if dataset == "states" else []) + (
        ["day"] if dataset == "steps" else [])
    return frame.sort_values(keys).reset_index(drop=True)


# --- designs ---------------------------------------------------------------------------------
def test_grid_is_the_full_factorial_over_the_base(tmp_path):
    spec = load_sweep(str(grid(tmp_path)))
    points = design_points(spec)
    assert len(points) == 4
    assert {(p["us_commitment"], p["governance"]) for p in points} == {
        (0.0, "nato_us_led"), (0.0, "art427_only"), (1.0, "nato_us_led"), (1.0, "art427_only")}
    assert all(p["max_days"] == 30 and p["forward_presence"] == 2200 for p in points)
    assert all(set(p) == set(INPUTS) for p in points)


def test_latin_hypercube_is_stratified_bounded_typed_and_reproducible(tmp_path):
    path = write(tmp_path, SAMPLED.format(kind="lhs", samples=20, extra=""))
    points = design_points(load_sweep(str(path)))
    assert len(points) == 20
    us = np.array([p["us_commitment"] for p in points])
    assert us.min() >= 0.2 and us.max() <= 0.8
    # one sample in each of the 20 equal strata of the range
    assert sorted(np.floor((us - 0.2) / 0.6 * 20).astype(int)) == list(range(20))
    assert all(isinstance(p["forward_presence"], int) for p in points)
    assert all(0 <= p["forward_presence"] <= 5000 for p in points)
    assert design_points(load_sweep(str(path))) == points


def test_sobol_has_saltelli_counts_and_records_the_salib_problem(tmp_path):
    second = write(tmp_path, SAMPLED.format(kind="sobol", samples=8, extra=""), "a.toml")
    first = write(tmp_path, SAMPLED.format(kind="sobol", samples=8, extra="second_order = false"),
                  "b.toml")
    assert len(design_points(load_sweep(str(second)))) == 8 * (2 * 3 + 2)
    assert len(design_points(load_sweep(str(first)))) == 8 * (3 + 2)
    result = run_sweep(load_sweep(str(first)), design_points(load_sweep(str(first))),
                       tmp_path / "out", workers=1, progress=False)
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["problem"]["names"] == ["us_commitment", "forward_presence", "eu_financing"]
    assert manifest["problem"]["bounds"][1] == [0.0, 5000.0]
    assert manifest["calc_second_order"] is False
    assert result.completed == manifest["completed_runs"] == 8 * 5 * 2


MORRIS = """
scenario = "baltic"
replications = 2
base_seed = 3
days = 20
{parameters}
[design]
kind = "morris"
trajectories = 3
{ranges}
"""


def test_morris_moves_one_input_per_step_and_records_the_problem(tmp_path):
    path = write(tmp_path, MORRIS.format(parameters="", ranges=(
        "levels = 4\n[design.ranges]\nthreat_weight = [1.5, 6.0]\n"
        "mobilisation_days = [3, 14]\nus_commitment = [0.0, 1.0]")))
    spec = load_sweep(str(path))
    points = design_points(spec)
    assert len(points) == 3 * (3 + 1)  # trajectories x (inputs + 1)
    names = ["threat_weight", "mobilisation_days", "us_commitment"]
    for start in range(0, len(points), 4):  # within a trajectory, each step moves one input
        for a, b in zip(points[start:start + 3], points[start + 1:start + 4], strict=True):
            assert sum(a[n] != b[n] for n in names) == 1
    assert all(isinstance(p["mobilisation_days"], int) for p in points)
    result = run_sweep(spec, points, tmp_path / "out", workers=1, progress=False)
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["problem"]["names"] == names
    assert manifest["morris"] == {"trajectories": 3, "levels": 4, "seed": 3}
    assert result.completed == 12 * 2 and manifest["status"] == "complete"


def test_morris_registry_ranges_are_every_uncertainty_not_fixed(tmp_path):
    from wargame.inputs import by_role

    path = write(tmp_path, MORRIS.format(
        parameters="[parameters]\nescalation_probability = 0.3\n", ranges='ranges = "registry"'))
    spec = load_sweep(str(path))
    expected = [i.name for i in by_role("uncertainty")
                if i.numeric and i.name != "escalation_probability"]
    assert list(spec.ranges) == expected and len(expected) >= 25
    assert spec.ranges["threat_weight"] == [INPUTS["threat_weight"].low,
                                            INPUTS["threat_weight"].high]
    assert spec.morris_levels == 4


@pytest.mark.parametrize("ranges, message", [
    ('ranges = "everything"', 'expected "registry" or a [design.ranges] table'),
    ("levels = 3\nranges = \"registry\"", "even number of levels"),
    ("[design.ranges]\nthreat_weight = [1.5, 6.0]", "at least two parameters"),
])
def test_bad_morris_designs_are_one_line(tmp_path, ranges, message):
    import re

    path = write(tmp_path, MORRIS.format(parameters="", ranges=ranges))
    with pytest.raises(WargameError, match=re.escape(message)):
        load_sweep(str(path))


def test_a_grid_over_a_behavioural_constant_runs_and_its_manifest_records_it(tmp_path):
    path = write(tmp_path, GRID.replace("us_commitment = [0.0, 1.0]\ngovernance = "
                                        "[\"nato_us_led\", \"art427_only\"]",
                                        "threat_weight = [1.5, 6.0]").format(
        reps=4, days=30, series="false"))
    spec = load_sweep(str(path))
    result = run_sweep(spec, design_points(spec), tmp_path / "out", workers=1, progress=False)
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["swept"] == ["threat_weight"] and result.status == "complete"
    assert [p["parameters"]["threat_weight"] for p in manifest["points"]] == [1.5, 6.0]
    runs = pd.read_parquet(tmp_path / "out" / "runs")
    assert sorted(runs["threat_weight"].unique()) == [1.5, 6.0]
    # The constant reaches the model: the same seeds give other crises at the two levels.
    by_level = runs.sort_values("replication").groupby("threat_weight")
    assert (by_level["coalition_size"].apply(list).iloc[0]
            != by_level["coalition_size"].apply(list).iloc[1]
            or by_level["day_first_assistance"].apply(list).iloc[0]
            != by_level["day_first_assistance"].apply(list).iloc[1])


def test_a_dead_lever_is_named_before_the_sweep_and_recorded(tmp_path):
    text = GRID.replace("governance = [\"nato_us_led\", \"art427_only\"]",
                        "rapid_reaction_force = [0, 20000]").replace(
        "[design]\n", '[parameters]\ntarget = "NOR"\n\n[design]\n', 1).format(
        reps=1, days=10, series="false")
    out = tmp_path / "out"
    done = run_cli("sweep", str(write(tmp_path, text)), "--out", str(out), "--workers", "1",
                   "--quiet")
    assert done.returncode == 0, done.stderr
    notes = [line for line in done.stderr.splitlines() if line.startswith("wargame: note:")]
    assert len(notes) == 1 and "rapid_reaction_force" in notes[0]
    assert "goes only to an EU member" in notes[0]
    manifest = json.loads((out / "manifest.json").read_text())
    assert list(manifest["inert_inputs"]) == ["rapid_reaction_force"]
    # And it is indeed dead: with the same seed, no force and a large one give one crisis.
    point = manifest["points"][0]["parameters"]
    for seed in (1, 2):
        runs = [run_outputs(CrisisModel(**{**point, "rapid_reaction_force": size}, rng=seed,
                                        collect_series=False).run()) for size in (0, 20_000)]
        assert pd.Series(runs[0]).equals(pd.Series(runs[1]))  # NaN days compare equal


def test_run_seeds_are_fixed_and_distinct():
    seeds = {run_seed(5, p, r) for p in range(50) for r in range(20)}
    assert len(seeds) == 1000
    assert run_seed(5, 3, 4) == run_seed(5, 3, 4) != run_seed(6, 3, 4)


def test_schema_has_every_run_output():
    outputs = run_outputs(CrisisModel(max_days=5, rng=1, collect_series=False).run())
    runs = schemas("crisis")["runs"]
    assert list(outputs) == runs.names[-len(outputs) - 1:-1]
    assert set(INPUTS) < set(runs.names)


# --- backends --------------------------------------------------------------------------------
@pytest.mark.slow
def test_serial_pool_and_dask_write_identical_results(tmp_path):
    spec = load_sweep(str(grid(tmp_path)))
    points = design_points(spec)
    folders = {}
    for label, options in {
        "serial": {"workers": 1},
        "pool": {"workers": 2, "chunk_size": 2},
        "dask": {"workers": 2, "chunk_size": 1, "scheduler": "local"},  # > 4 in flight
    }.items():
        folders[label] = tmp_path / label
        result = run_sweep(spec, points, folders[label], progress=False, **options)
        assert result.status == "complete" and result.completed == 12
    for dataset in ("runs", "states", "steps"):
        serial = read(folders["serial"], dataset)
        assert len(serial) > 0
        pd.testing.assert_frame_equal(serial, read(folders["pool"], dataset))
        pd.testing.assert_frame_equal(serial, read(folders["dask"], dataset))
    runs = read(folders["serial"], "runs")
    assert runs["run_id"].tolist() == list(range(12))
    assert (runs["run_id"] == runs["point_id"] * 3 + runs["replication"]).all()
    assert runs["seed"].nunique() == 12 and runs["error"].isna().all()


def test_cli_writes_a_complete_folder_whose_manifest_matches(tmp_path):
    out = tmp_path / "out"
    done = run_cli("sweep", str(grid(tmp_path, series=False)), "--out", str(out),
                   "--workers", "2", "--quiet")
    assert done.returncode == 0, done.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    runs = pd.read_parquet(out / "runs")
    assert manifest["status"] == "complete"
    assert manifest["total_runs"] == manifest["completed_runs"] == len(runs) == 12
    assert manifest["swept"] == ["us_commitment", "governance"]
    assert len(manifest["points"]) == 4 and manifest["keep_series"] is False
    assert not (out / "steps").exists()
    states = pd.read_parquet(out / "states")
    assert states.groupby("run_id").size().nunique() == 1  # every state of every run


def test_stored_rows_equal_the_outputs_of_the_same_run_in_process(tmp_path):
    spec = load_sweep(str(grid(tmp_path, reps=2)))
    points = design_points(spec)
    run_sweep(spec, points, tmp_path / "out", workers=1, progress=False)
    run = read(tmp_path / "out", "runs").iloc[5]
    model = CrisisModel(**points[run["point_id"]], rng=int(run["seed"])).run()
    assert run["seed"] == run_seed(7, run["point_id"], run["replication"])
    outputs = pd.Series(run_outputs(model))

    def nulls_as_none(series: pd.Series) -> pd.Series:  # Parquet nulls read back as NaN
        return series.astype(object).where(series.notna(), None)

    pd.testing.assert_series_equal(nulls_as_none(run[list(names("run"))]),
                                   nulls_as_none(outputs), check_dtype=False, check_names=False)
    steps = read(tmp_path / "out", "steps").query("run_id == 5").drop(columns="run_id")
    expected = steps_frame(model).assign(escalation=lambda f: f["escalation"].astype(str))
    pd.testing.assert_frame_equal(steps.reset_index(drop=True), expected, check_dtype=False)
    states = read(tmp_path / "out", "states").query("run_id == 5").drop(columns="run_id")
    expected = final_states(model)
    ladders = expected.select_dtypes("category").columns  # commitment, peak_commitment
    expected = expected.astype(dict.fromkeys(ladders, str))
    expected = expected.sort_values("iso3").reset_index(drop=True)
    # Every per-state column `wargame run` reports (name and reimbursed_bn included).
    assert list(states.columns) == list(expected.columns)
    pd.testing.assert_frame_equal(states.reset_index(drop=True), expected, check_dtype=False)


# --- failures and resumption ----------------------------------------------------------------
def test_failing_runs_are_recorded_with_error_and_seed(tmp_path):
    spec = load_sweep(str(grid(tmp_path, series=False)))
    points = design_points(spec)
    points[1] = {**points[1], "max_days": 0}  # the model itself refuses this point
    result = run_sweep(spec, points, tmp_path / "out", workers=2, chunk_size=2, progress=False)
    assert (result.status, result.completed, result.failed) == ("failed", 12, 3)
    runs = read(tmp_path / "out", "runs")
    bad = runs[runs["point_id"] == 1]
    assert bad["error"].str.contains("max_days = 0 is not allowed").all()
    assert bad["outcome"].isna().all() and (bad["seed"] > 0).all()
    assert runs[runs["point_id"] != 1]["error"].isna().all()
    states = pd.read_parquet(tmp_path / "out" / "states")
    assert not set(states["run_id"]) & set(bad["run_id"])
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert (manifest["failed_runs"], manifest["status"]) == (3, "failed")


@pytest.mark.slow
def test_sigkill_then_resume_gives_every_run_exactly_once(tmp_path):
    sweep = grid(tmp_path, reps=500, days=60, series=True)  # 2,000 runs
    reference = tmp_path / "reference"
    assert run_cli("sweep", str(sweep), "--out", str(reference), "--quiet").returncode == 0

    out = tmp_path / "killed"
    process = subprocess.Popen(
        [sys.executable, "-m", "wargame.cli", "sweep", str(sweep), "--out", str(out),
         "--workers", "2", "--chunk-size", "10", "--flush-seconds", "0.2", "--quiet"],
        cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while len(list((out / "runs").glob("part-*.parquet"))) < 2:
        assert process.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)  # the sweep and its pool workers
    process.wait()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "running"
    assert 0 < manifest["completed_runs"] < 2000  # really cut short
    # The manifest is rewritten after each part: a kill between the two leaves it one
    # batch behind the parts, which resume verifies (the parts, not the manifest, count).
    written = len(pd.read_parquet(out / "runs"))
    assert manifest["completed_runs"] <= written < 2000

    resumed = run_cli("sweep", str(sweep), "--out", str(out), "--resume")
    assert resumed.returncode == 0, resumed.stderr
    assert f"({2000 - written} this time" in resumed.stdout
    for dataset in ("runs", "states", "steps"):
        pd.testing.assert_frame_equal(read(out, dataset), read(reference, dataset))
    assert read(out, "runs")["run_id"].tolist() == list(range(2000))
    final = json.loads((out / "manifest.json").read_text())
    assert (final["status"], final["completed_runs"]) == ("complete", 2000)


def children(pid: int) -> list[int]:
    return [int(c) for task in Path(f"/proc/{pid}/task").iterdir()
            for c in (task / "children").read_text().split()]


@pytest.mark.slow
def test_a_dead_worker_stops_the_sweep_without_losing_finished_runs(tmp_path):
    sweep = grid(tmp_path, reps=500, days=60, series=False)  # 2,000 runs
    out = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-m", "wargame.cli", "sweep", str(sweep), "--out", str(out),
         "--workers", "2", "--chunk-size", "10", "--flush-seconds", "0.2", "--quiet"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    deadline = time.monotonic() + 60
    while not list((out / "runs").glob("part-*.parquet")):
        assert process.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    os.kill(children(process.pid)[0], signal.SIGKILL)  # one pool worker dies
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 1
    assert stderr.count("\n") == 1 and "--resume" in stderr, stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "incomplete"
    assert 0 < manifest["completed_runs"] == len(pd.read_parquet(out / "runs")) < 2000
    resumed = run_cli("sweep", str(sweep), "--out", str(out), "--resume", "--quiet")
    assert resumed.returncode == 0, resumed.stderr
    assert read(out, "runs")["run_id"].tolist() == list(range(2000))


def test_a_worker_dead_before_its_next_chunk_stops_the_sweep_as_a_dead_worker():
    """CI once saw a stopped sweep exit 0 with nothing said: sending a chunk to a worker
    that had died idle raised BrokenPipeError, which the command line takes for output
    piped into `head` (status 0). It must be the dead worker it is (one line, status 1)."""
    import multiprocessing

    from wargame.sweep.pool import ChunkPool, WorkerDied

    pool = ChunkPool(1, multiprocessing.get_context("fork"), os.getpid(), work=len)
    try:
        worker = pool.workers[0]
        worker.process.kill()
        worker.process.join(5)
        with pytest.raises(WorkerDied, match="killed by SIGKILL"):
            list(pool.run(iter([[1], [2]])))
    finally:
        pool.kill()


def test_only_a_closed_output_is_taken_for_a_reader_that_stopped_reading(monkeypatch):
    """`wargame ... | head` ends quietly with status 0; a BrokenPipeError from any other
    pipe must not (a real pipe whose reader is open, then closed; then a command that
    meets a broken pipe while its output is fine)."""
    import argparse
    from types import SimpleNamespace

    from wargame import cli

    read, write = os.pipe()
    output = SimpleNamespace(fileno=lambda: write)
    assert not cli.reader_gone(output)
    os.close(read)
    assert cli.reader_gone(output)
    with pytest.raises(BrokenPipeError):
        os.write(write, b"more")
    os.close(write)

    def command(args: argparse.Namespace) -> int:
        raise BrokenPipeError("a worker's pipe")

    parsed = argparse.Namespace(handler=command, command="sweep", quiet=False,
                                quiet_first=False, verbose=0, verbose_first=0)
    monkeypatch.setattr(cli, "build_parser", lambda: SimpleNamespace(
        parse_args=lambda argv: parsed))
    with pytest.raises(BrokenPipeError, match="a worker's pipe"):
        cli.main([])


def test_resume_refuses_another_spec_and_new_sweeps_refuse_a_used_folder(tmp_path):
    out = tmp_path / "out"
    assert run_cli("sweep", str(grid(tmp_path, series=False)), "--out", str(out),
                   "--workers", "1", "--quiet").returncode == 0
    before = sorted(p.name for p in (out / "runs").iterdir())
    other = grid(tmp_path, reps=4, series=False, name="other.toml")
    for args in (("--resume",), ()):
        done = run_cli("sweep", str(other), "--out", str(out), *args)
        assert done.returncode == 2
        assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert "holds a different sweep" in run_cli(
        "sweep", str(other), "--out", str(out), "--resume").stderr
    assert sorted(p.name for p in (out / "runs").iterdir()) == before


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("scenario = 'baltic'\nreplications = 2\nbase_seed = 1\n[design]\nkind = 'grid'\n"
         "[design.levels]\nus_commitment = [0.5, 1.5]", "us_commitment = 1.5 is not allowed"),
        ("scenario = 'baltic'\nreplications = 2\nbase_seed = 1\n[design]\nkind = 'grid'\n"
         "[design.levels]\nus_comitment = [0.5]", "did you mean us_commitment"),
        ("scenario = 'baltic'\nreplications = 2\nbase_seed = 1\n[design]\nkind = 'lhs'\n"
         "samples = 5\n[design.ranges]\ngovernance = [0, 1]", "only numeric parameters"),
        ("scenario = 'baltic'\nreplications = 2\nbase_seed = 1\n[design]\nkind = 'lhs'\n"
         "samples = 5\n[design.ranges]\nescalation_probability = [0.0, 0.5]",
         "escalation_probability = 0.0"),
        ("scenario = 'baltic'\nreplications = 2\nbase_seed = 1\n[design]\nkind = 'sobol'\n"
         "samples = 6\n[design.ranges]\nescalation_probability = [0.1, 0.5]", "power of 2"),
        ("scenario = 'baltic'\nreplications = 0\nbase_seed = 1\n[design]\nkind = 'grid'\n"
         "[design.levels]\nus_commitment = [0.5]", "replications = 0"),
        ("scenario = 'atlantis'\nreplications = 2\nbase_seed = 1\n[design]\nkind = 'grid'\n"
         "[design.levels]\nus_commitment = [0.5]", "unknown scenario 'atlantis'"),
        ("scenario = 'baltic'\nreplications = 2\nbase_seed = 1\n[design]\nkind = 'factorial'",
         "kind = 'factorial' is not allowed"),
        ("scenario = 'baltic'\nreplications = 2\nbase_seed = 1\n[parameters]\ntarget = 'XXX'\n"
         "[design]\nkind = 'grid'\n[design.levels]\nus_commitment = [0.5]", "target = 'XXX'"),
        ("scenario = 'baltic'\nreplications = 2\n[design]\nkind = 'grid'", "missing key"),
        ("scenario = 'baltic'\nreplicates = 2", "unknown key 'replicates'"),
        ("scenario = 'baltic\n", "malformed TOML"),
    ],
)
def test_bad_sweep_files_get_one_line_and_no_folder(tmp_path, text, message):
    out = tmp_path / "out"
    done = run_cli("sweep", str(write(tmp_path, text)), "--out", str(out))
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and message in done.stderr, done.stderr
    assert not out.exists()


def test_missing_sweep_file_and_bad_options_are_one_line(tmp_path):
    for args in (("sweep", str(tmp_path / "nope.toml")),
                 ("sweep", str(grid(tmp_path)), "--workers", "0"),
                 ("sweep", str(grid(tmp_path)), "--resume")):
        done = run_cli(*args)
        assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr


def test_shipped_sweeps_load():
    for name in ("quick", "headline"):
        spec = load_sweep(name)
        assert spec.scenario == "baltic" and len(design_points(spec)) > 1
    with pytest.raises(WargameError):
        load_sweep("no-such-sweep")


@pytest.mark.slow
def test_an_unreachable_scheduler_is_one_line_and_leaves_no_folder(tmp_path):
    out = tmp_path / "out"
    done = run_cli("sweep", str(grid(tmp_path)), "--out", str(out), "--scheduler",
                   "tcp://127.0.0.1:9")  # nothing listens on the discard port
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    assert "cannot connect" in done.stderr and not out.exists()


def test_sampled_points_stay_inside_each_input_range_despite_rounding(tmp_path):
    """SALib's Morris scaling put an input at 0.005000000000000001, above its range's 0.005."""
    from wargame.sweep.design import _typed

    assert _typed(INPUTS["cost_scale_share_gdp"], 0.001000000000000001) == INPUTS[
        "cost_scale_share_gdp"].high
    assert _typed(INPUTS["mobilisation_days"], 2.6) == 3
    assert _typed(INPUTS["mobilisation_days"], 1.2) == INPUTS["mobilisation_days"].low
    spec = load_sweep(str(write(tmp_path, """
scenario = "baltic"
replications = 1
base_seed = 20261201
[parameters]
escalation_probability = 0.3
[design]
kind = "morris"
trajectories = 20
levels = 4
ranges = "registry"
""")))
    for point in design_points(spec):
        for name in spec.ranges:
            item = INPUTS[name]
            assert item.low <= point[name] <= item.high, name
