"""`wargame sweep --dry-run`: how many runs, how long, where, and nothing written."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from conftest import run_main

from wargame.sweep.design import design_points
from wargame.sweep.estimate import duration, pilot_tasks, setup_share
from wargame.sweep.spec import load_sweep

REPO = Path(__file__).resolve().parent.parent
QUICK = REPO / "wargame" / "configs" / "sweeps" / "quick.toml"


def wargame(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """The command line through `main()` in this process (tests/conftest.py)."""
    return run_main(*args, cwd=cwd)


def test_dry_run_reports_count_time_and_folder_and_writes_nothing(tmp_path):
    result = wargame("sweep", str(QUICK), "--dry-run", "--workers", "2", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "12 points x 50 replications = 600 runs" in result.stdout
    assert re.search(r"time: about \d+(\.\d)? (s|min|h) on 2 worker", result.stdout)
    assert re.search(r"output: runs/quick-\d{8}-\d{6}/", result.stdout)
    assert list(tmp_path.iterdir()) == []  # not even runs/


def test_dry_run_checks_the_folder_as_the_sweep_would(tmp_path):
    used = tmp_path / "used"
    used.mkdir()
    (used / "notes.txt").write_text("mine")
    result = wargame("sweep", str(QUICK), "--dry-run", "--out", str(used), cwd=tmp_path)
    assert result.returncode == 2 and "already exists" in result.stderr
    result = wargame("sweep", str(QUICK), "--dry-run", "--resume", "--out", str(used),
                     cwd=tmp_path)
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert sorted(p.name for p in used.iterdir()) == ["notes.txt"]


def test_dry_run_of_a_resume_counts_what_is_there(tmp_path):
    spec = tmp_path / "small.toml"
    spec.write_text(QUICK.read_text().replace("replications = 50", "replications = 2"))
    assert wargame("sweep", str(spec), "--out", "done", "--quiet", "--workers", "1",
                   cwd=tmp_path).returncode == 0
    before = {p: p.stat().st_mtime_ns for p in (tmp_path / "done").rglob("*")}
    result = wargame("sweep", str(spec), "--dry-run", "--resume", "--out", "done", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "24 runs are already in done/" in result.stdout and "time: none" in result.stdout
    assert {p: p.stat().st_mtime_ns for p in (tmp_path / "done").rglob("*")} == before


def test_the_pilot_spreads_over_the_whole_design():
    spec = load_sweep(str(QUICK))
    points = design_points(spec)
    tasks = pilot_tasks(points, spec, 12)
    assert len(tasks) == 12
    assert {t[1] for t in tasks} == set(range(len(points)))  # every point sampled once
    assert tasks[0][0] == 0 and tasks[-1][0] == 599


def test_durations_read_as_an_estimate():
    assert duration(0.2) == "about 1 s"
    assert duration(75) == "about 75 s"
    assert duration(600) == "about 10 min"
    assert duration(4 * 3600) == "about 4.0 h"


def test_setup_is_charged_to_the_runs_that_build_it():
    # 60 points x 200 replications on 2 workers: each worker builds each point once.
    assert setup_share(points=60, runs=12_000, workers=2) == 0.01
    # A Morris or LHS design: every run is its own point and builds its own setup.
    assert setup_share(points=37_000, runs=37_000, workers=2) == 1.0
    assert setup_share(points=1, runs=0, workers=1) == 1.0
