"""One grammar for the command line (issue 20, item 4): -q/-v before or after the
subcommand, `sweep --replications N --set k=v` checked as `run --set` is, `states --csv`,
and listings that cut nothing. Real runs, real folders; a real process where the exit
status the shell sees is the point."""

from __future__ import annotations

import csv
import io
import json
import subprocess

import pandas as pd
import pytest
from conftest import REPO, run_cli, run_main

from wargame.cli import STATE_COLUMNS
from wargame.output_registry import table_rows
from wargame.roster import load_roster


def wargame(*args: str, cwd=None) -> subprocess.CompletedProcess:
    """The command line through `main()` in this process (tests/conftest.py)."""
    return run_main(*args, cwd=cwd or REPO)


def one_line(result: subprocess.CompletedProcess, words: str) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert words in result.stderr, result.stderr


# --- -q and -v, before or after the subcommand ------------------------------------------
def test_quiet_before_the_subcommand_is_a_real_process_exit_0():
    """`wargame -q scenarios` once failed: "unrecognized arguments"."""
    result = run_cli("-q", "scenarios")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("baltic")  # a listing still prints


@pytest.mark.parametrize("where", ["before", "after"])
def test_quiet_and_verbose_mean_the_same_on_either_side(where, tmp_path):
    def call(flag: str, out: str) -> subprocess.CompletedProcess:
        command = ["run", "cyprus", "--seed", "2", "--days", "5", "--out", out]
        return wargame(*([flag, *command] if where == "before" else [*command, flag]),
                       cwd=tmp_path)

    quiet = call("-q", "q")
    assert quiet.returncode == 0 and quiet.stdout == quiet.stderr == ""
    assert (tmp_path / "q" / "summary.json").is_file()
    verbose = call("-v", "v")
    assert verbose.returncode == 0 and "wargame: scenario cyprus from" in verbose.stderr
    assert "cyprus (seed 2)" in verbose.stdout


def test_verbose_counts_on_both_sides_and_contradicting_quiet_is_refused(tmp_path):
    debug = wargame("-v", "run", "atlantis", "-v")
    assert debug.returncode == 2 and "Traceback" in debug.stderr  # -vv: the traceback
    one_line(wargame("-q", "run", "cyprus", "-v", "--out", str(tmp_path / "x")),
             "--verbose and --quiet contradict")
    assert not (tmp_path / "x").exists()


# --- wargame sweep --replications N --set k=v ---------------------------------------------
def test_sweep_replications_and_set_change_the_sweep_that_runs_and_is_recorded(tmp_path):
    folder = tmp_path / "small"
    args = ("sweep", "quick", "--replications", "2", "--set", "max_days=20", "--set",
            "threat_weight=4", "--workers", "1", "--quiet", "--out", str(folder))
    result = wargame(*args)
    assert result.returncode == 0, result.stderr
    spec = json.loads((folder / "manifest.json").read_text())["spec"]
    assert spec["replications"] == 2 and spec["name"] == "quick"
    assert spec["base"]["max_days"] == 20 and spec["base"]["threat_weight"] == 4.0
    runs = pd.read_parquet(folder / "runs")
    assert len(runs) == 12 * 2 and (runs["max_days"] == 20).all()
    assert (runs["days"] <= 20).all() and (runs["threat_weight"] == 4.0).all()
    # --resume completes the same sweep and refuses another
    assert wargame(*args, "--resume").returncode == 0
    other = wargame("sweep", "quick", "--replications", "3", "--set", "max_days=20",
                    "--set", "threat_weight=4", "--resume", "--quiet", "--out", str(folder))
    assert other.returncode == 2 and "Traceback" not in other.stderr


@pytest.mark.parametrize(("extra", "words"), [
    (["--set", "us_commitment=0.3"], "--set us_commitment: us_commitment is swept by"),
    (["--set", "bogus=1"], "--set: unknown input 'bogus'"),
    (["--set", "eu_fund_bn=-3"], "--set: eu_fund_bn = -3 is not allowed"),
    (["--set", "max_days=30", "--set", "max_days=40"], "max_days is given twice"),
    (["--set", "target=USA"], "--set: target = 'USA'"),
    (["--set", "threat_weight"], "is not of the form name=value"),
    (["--replications", "0"], "--replications: expected a whole number >= 1"),
])
def test_bad_sweep_options_are_one_line_and_write_nothing(extra, words, tmp_path):
    one_line(wargame("sweep", "quick", *extra, "--out", str(tmp_path / "s")), words)
    assert not (tmp_path / "s").exists()


def test_set_on_a_registry_screening_fixes_that_uncertainty(tmp_path):
    """Morris over "registry" ranges screens every uncertainty not fixed: --set fixes one,
    and the design loses one point per trajectory."""
    out = str(tmp_path / "x")
    full = wargame("sweep", "assumptions", "--dry-run", "--out", out)
    fixed = wargame("sweep", "assumptions", "--set", "threat_weight=4", "--dry-run",
                    "--out", out)
    assert full.returncode == fixed.returncode == 0, full.stderr + fixed.stderr
    points = [int(r.stdout.split(": ")[1].split(" points")[0].replace(",", ""))
              for r in (full, fixed)]
    assert points[0] - points[1] == 20  # 20 trajectories, one input fewer


# --- listings ---------------------------------------------------------------------------
def test_states_csv_is_the_roster_as_a_table():
    result = wargame("states", "--csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    roster = load_roster().states
    assert tuple(rows[0]) == STATE_COLUMNS
    assert [row["iso3"] for row in rows] == list(roster)
    first = roster[rows[0]["iso3"]]
    assert int(rows[0]["active_troops"]) == first.active_troops
    assert float(rows[0]["capability_index"]) == first.capability_index
    assert "source:" not in result.stdout  # data only
    frame = pd.read_csv(io.StringIO(result.stdout))
    assert frame["eu_member"].dtype == bool and len(frame) == len(roster)


def test_outputs_cuts_no_unit():
    result = wargame("outputs")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    for row in (r for r in table_rows() if r["unit"]):
        line = next(x for x in lines if f"  {row['name']}  " in x)
        assert f"  {row['unit']}  " in line, (row["unit"], line)
