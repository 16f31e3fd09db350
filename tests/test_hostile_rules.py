"""Issue 21, class 6: one rule for every entry point (`wargame.rules`).

An input given twice, a repeated grid level, a seed outside [0, 2^63 - 1], an output
folder that is empty-named, a file or already used, and a design above the run limit are
refused in one line the same way by `run`, `sweep`, the Python API and the EMA model; the
limit is raised with --max-runs / max_runs=. Unclear messages named in the issue (a
read-only runs/) say what is wrong, with exit 2.
"""

from __future__ import annotations

import subprocess
import time

import pytest
from hostile_helpers import finished_folder, grid_file, in_process

import wargame
from wargame.errors import WargameError
from wargame.reform.inputs import parse_reform_assignments
from wargame.scenario import parse_assignments

SWEEP = {"scenario": "baltic", "replications": 2, "base_seed": 1, "days": 10,
         "design": {"kind": "grid", "levels": {"us_commitment": [0.0, 1.0]}}}


def one_line(status: int, err: str, *words: str) -> None:
    assert status == 2 and err.count("\n") == 1 and "Traceback" not in err, (status, err)
    for word in words:
        assert word in err, err


def test_an_input_given_twice_is_refused_by_run():
    one_line(*in_process("run", "baltic", "--seed", "1", "--set", "us_commitment=0.1",
                         "--set", "us_commitment=0.9")[::2], "us_commitment is given twice")


@pytest.mark.parametrize("parse", [parse_assignments, parse_reform_assignments])
def test_every_parser_of_assignments_refuses_a_name_twice(parse):
    name = "us_commitment" if parse is parse_assignments else "inclusiveness"
    with pytest.raises(WargameError, match="given twice"):
        parse([f"{name}=0.1", f" {name} =0.9"])


@pytest.mark.parametrize("levels", ["[0.0, 0.0]", "[0.5, 0.50]", "[0, 0.0]"])
def test_a_repeated_grid_level_is_refused(tmp_path, levels):
    sweep = tmp_path / "s.toml"
    sweep.write_text(grid_file(tmp_path).read_text().replace("[0.0, 1.0]", levels))
    one_line(*in_process("sweep", str(sweep), "--out", str(tmp_path / "o"))[::2],
             "appears twice")
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("seed", [2**63, -1])
def test_the_same_seed_range_everywhere(tmp_path, seed):
    one_line(*in_process("run", "baltic", "--seed", str(seed))[::2], "2^63 - 1")
    sweep = tmp_path / "s.toml"
    sweep.write_text(grid_file(tmp_path).read_text().replace("base_seed = 7",
                                                             f"base_seed = {seed}"))
    one_line(*in_process("sweep", str(sweep), "--out", str(tmp_path / "o"))[::2], "2^63 - 1")
    for call in (lambda: wargame.run("baltic", seed=seed),
                 lambda: wargame.ema.crisis_model(base_seed=seed),
                 lambda: wargame.sweep({**SWEEP, "base_seed": seed}, tmp_path / "o")):
        with pytest.raises(WargameError, match=r"2\^63 - 1"):
            call()


def test_the_api_sweep_keeps_the_out_rules(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # an empty name must not mean this folder
    with pytest.raises(WargameError, match="empty name"):
        wargame.sweep(SWEEP, "")
    assert list(tmp_path.iterdir()) == []
    (tmp_path / "file").write_text("x")
    with pytest.raises(WargameError, match="is a file"):
        wargame.sweep(SWEEP, tmp_path / "file")
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "mine.txt").write_text("x")
    with pytest.raises(WargameError, match="not empty"):
        wargame.sweep(SWEEP, tmp_path / "used")
    with pytest.raises(WargameError, match="no such result folder"):
        wargame.sweep(SWEEP, tmp_path / "absent", resume=True)
    result = wargame.run("baltic", seed=1, max_days=5)
    with pytest.raises(WargameError, match="empty name"):
        result.write("")


def test_the_api_sweep_has_the_run_limit_and_max_runs_raises_it(tmp_path):
    huge = {**SWEEP, "replications": 10**12}
    started = time.monotonic()
    with pytest.raises(WargameError, match="above the limit of 1,000,000; .* max_runs=N"):
        wargame.sweep(huge, tmp_path / "o")
    assert time.monotonic() - started < 5 and not (tmp_path / "o").exists()
    with pytest.raises(WargameError, match="above the limit of 3"):
        wargame.sweep(SWEEP, tmp_path / "o", max_runs=3)
    assert wargame.sweep(SWEEP, tmp_path / "o", max_runs=4).status == "complete"


def test_the_ema_model_has_the_run_limit():
    pytest.importorskip("ema_workbench")
    started = time.monotonic()
    with pytest.raises(WargameError, match="replications = .* above the limit"):
        wargame.ema.crisis_model(replications=2**62)
    assert time.monotonic() - started < 10
    with pytest.raises(WargameError, match="above the limit of 10"):
        wargame.ema.crisis_model(replications=20, max_runs=10)
    assert len(wargame.ema.crisis_model(replications=20, max_runs=20).replications) == 20


def test_the_cli_sweep_names_its_limit(tmp_path):
    sweep = grid_file(tmp_path, reps=300_000)
    one_line(*in_process("sweep", str(sweep), "--out", str(tmp_path / "o"))[::2],
             "1,200,000 runs, above the limit of 1,000,000", "--max-runs N")


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    return finished_folder(tmp_path_factory)


def test_a_read_only_runs_folder_is_exit_2_with_the_reason(tmp_path, finished):
    sweep, ref = finished
    from hostile_helpers import copy_of

    out = copy_of(ref, tmp_path)
    for part in (out / "runs").glob("part-*.parquet"):
        part.unlink()
    runs = str(out / "runs")
    mounted = subprocess.run(["mount", "--bind", runs, runs], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("cannot bind-mount here (needs root)")
    try:
        remounted = subprocess.run(["mount", "-o", "remount,ro,bind", runs], capture_output=True)
        if remounted.returncode != 0:
            pytest.skip("cannot remount read-only here")
        status, _, err = in_process("sweep", str(sweep), "--out", str(out), "--resume",
                                    "--quiet", "--workers", "1")
    finally:
        subprocess.run(["umount", runs], capture_output=True)
    one_line(status, err, "runs/", "Read-only file system")
    assert "--resume" not in err
