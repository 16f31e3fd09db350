"""Helpers for the viz tests: a free port, a real `wargame viz` server, a tiny sweep folder."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from wargame.inputs import INPUTS
from wargame.scenario import load_scenario

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def viz_server(*args: str, log: Path) -> Iterator[str]:
    """Run `wargame viz ARGS` on a free loopback port until the page answers; yield its URL."""
    port = free_port()
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "wargame.cli", "viz", *args, "--port", str(port)],
            cwd=REPO, stdout=out, stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 90
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"wargame viz exited: {log.read_text()}")
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        yield url
    finally:
        server.terminate()  # the server is this pid: `wargame viz` exec'd into it
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def write_sweep(folder: Path, run_id: int, **overrides: object) -> tuple[dict, int]:
    """A sweep result folder of one design point in the sweep format, holding only run
    `run_id` (the replications before it never ran); returns the run's parameters and seed."""
    from wargame.sweep.design import run_seed

    parameters = {**load_scenario("baltic").parameters, **overrides}
    point = {name: parameters[name] for name in INPUTS}
    seed = run_seed(1, 0, run_id)
    spec = {"base": point, "replications": run_id + 1, "base_seed": 1}
    (folder / "runs").mkdir(parents=True)
    (folder / "manifest.json").write_text(json.dumps({
        "sweep": "one-run", "scenario": "baltic", "spec": spec, "swept": [],
        "design": "grid", "points": [{"point_id": 0, "parameters": point}],
        "replications": run_id + 1, "base_seed": 1, "total_runs": run_id + 1,
        "status": "incomplete"}))
    row = {"run_id": run_id, "point_id": 0, "replication": run_id, "seed": seed,
           **point, "outcome": "deterred", "error": None}
    pd.DataFrame([row]).astype({"run_id": "int64", "seed": "int64"}).to_parquet(
        folder / "runs" / "part-0000.parquet"
    )
    return parameters, seed
