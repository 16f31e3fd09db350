"""Issue 21, class 1: stops that always stop.

A terminal's Ctrl-C sends SIGINT to the whole process group, so the sweep and every worker
get it at once; `kill -TERM -PGID` does the same with SIGTERM. Each case starts a real sweep
as the leader of its own group, sends the signal to the group at a random moment (while it
imports, starts its pool or cluster, runs, or writes), and requires: exit 130 / 143 within
seconds, exactly one line on stderr, no process of the group left, and a folder that is
either absent or consistent (its manifest says how far it got and `--resume` completes it).
"""

from __future__ import annotations

import json
import random
import signal
import time

import pandas as pd
import pytest
from conftest import run_cli
from hostile_helpers import grid_file, start_group, stop_group, wait_group_gone

EXIT = {signal.SIGINT: 130, signal.SIGTERM: 143}
#: Seconds a stopped sweep may take to exit (a Dask cluster takes a few to close).
GRACE = {"pool": 15, "dask": 30}


def _stop_at_random_moments(tmp_path, backend: str, stops: int, latest: float) -> None:
    sweep = grid_file(tmp_path, reps=600, days=120, series=True)  # 2,400 runs: ~10 s
    options = ["--workers", "2", "--quiet", "--flush-seconds", "0.05", "--chunk-size", "3"]
    if backend == "dask":
        options += ["--scheduler", "local"]
    moments = random.Random(21)
    finished = []
    for attempt in range(stops):
        out = tmp_path / f"out{attempt}"
        signum = (signal.SIGINT, signal.SIGTERM)[attempt % 2]
        process = start_group("sweep", str(sweep), "--out", str(out), *options)
        time.sleep(moments.uniform(0.3, latest))
        if process.poll() is not None:
            finished.append(attempt)
            continue
        _, stderr = stop_group(process, signum, GRACE[backend])
        where = f"stop {attempt} ({signal.Signals(signum).name})"
        assert process.returncode == EXIT[signum], f"{where}: exit {process.returncode}; {stderr}"
        assert stderr.count("\n") == 1, f"{where}: {stderr}"
        assert f"stopped by {signal.Signals(signum).name}" in stderr, f"{where}: {stderr}"
        assert "Traceback" not in stderr
        assert wait_group_gone(process.pid), f"{where}: a process of the group outlived it"
        if (out / "manifest.json").exists():
            manifest = json.loads((out / "manifest.json").read_text())
            assert manifest["status"] in ("incomplete", "running"), where
            if (out / "runs").is_dir() and any((out / "runs").glob("part-*.parquet")):
                rows = len(pd.read_parquet(out / "runs"))
                assert manifest["completed_runs"] <= rows, where
    assert len(finished) < stops // 4, "the sweep is too short for its stops"
    resumed = run_cli("sweep", str(sweep), "--out", str(tmp_path / "out1"), "--resume",
                      "--quiet", "--workers", "2", timeout=300)
    assert resumed.returncode == 0, resumed.stderr


def test_twenty_stops_to_the_group_of_a_pool_sweep_each_exit_in_seconds(tmp_path):
    _stop_at_random_moments(tmp_path, "pool", stops=20, latest=3.0)


def test_stops_to_the_group_of_a_dask_sweep_exit_with_one_line(tmp_path):
    pytest.importorskip("distributed")
    _stop_at_random_moments(tmp_path, "dask", stops=8, latest=7.0)
