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


def write_sweep(folder: Path, run_id: int, seed: int, **overrides: object) -> dict:
    """A one-run sweep result folder in the sweep format; returns the run's parameters."""
    parameters = {**load_scenario("baltic").parameters, **overrides}
    (folder / "runs").mkdir(parents=True)
    (folder / "manifest.json").write_text(
        json.dumps({"scenario": "baltic", "points": 1, "replications": 1})
    )
    row = {"run_id": run_id, "point_id": 0, "replication": 0, "seed": seed,
           **{name: parameters[name] for name in INPUTS}, "outcome": "deterred",
           "error": None}
    pd.DataFrame([row]).astype({"run_id": "int64", "seed": "int64"}).to_parquet(
        folder / "runs" / "part-0000.parquet"
    )
    return parameters
