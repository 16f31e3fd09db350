"""Issue 12: result folders that cannot be silently corrupted.

Real processes, real Parquet files, real signals: two writers on one folder, parts
truncated, garbage, foreign, duplicated or deleted and then resumed, sweeps killed with
SIGKILL and SIGTERM while their pool workers run (checked through /proc), and the small
defects (folder modes, --version, the banner before an error, help text).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from conftest import REPO, run_cli

from wargame.sweep.execute import first_difference

#: Real sweeps in real processes: kills, locks, resumes (seconds each; not in `make check`).
pytestmark = pytest.mark.slow

GRID = """
scenario = "baltic"
replications = {reps}
base_seed = 7
days = 40
keep_series = true

[design]
kind = "grid"

[design.levels]
us_commitment = [0.0, 1.0]
governance = ["nato_us_led", "art427_only"]
"""


def sweep_file(tmp_path: Path, reps: int) -> Path:
    path = tmp_path / "grid.toml"
    path.write_text(GRID.format(reps=reps))
    return path


def read(folder: Path, dataset: str) -> pd.DataFrame:
    frame = pd.read_parquet(folder / dataset)
    keys = ["run_id"] + (["iso3"] if dataset == "states" else []) + (
        ["day"] if dataset == "steps" else [])
    return frame.sort_values(keys).reset_index(drop=True)


def same_data(folder: Path, reference: Path) -> None:
    for dataset in ("runs", "states", "steps"):
        pd.testing.assert_frame_equal(read(folder, dataset), read(reference, dataset))


def start_sweep(sweep: Path, out: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "wargame.cli", "sweep", str(sweep), "--out", str(out),
         "--workers", "2", "--chunk-size", "5", "--flush-seconds", "0.1", "--quiet", *extra],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def wait_for_parts(out: Path, process: subprocess.Popen, count: int = 2) -> None:
    deadline = time.monotonic() + 90
    while len(list((out / "runs").glob("part-*.parquet"))) < count:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.02)


def children(pid: int) -> list[int]:
    return [int(c) for task in Path(f"/proc/{pid}/task").iterdir()
            for c in (task / "children").read_text().split()]


def alive(pid: int) -> bool:
    """Running (not gone, not a zombie waiting to be reaped)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError):
        return False


def wait_until_gone(pids: list[int], seconds: float = 10) -> list[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(alive(p) for p in pids):
        time.sleep(0.05)
    return [p for p in pids if alive(p)]


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> tuple[Path, Path]:
    """(sweep file, an uninterrupted folder of it): what every repaired folder must equal."""
    root = tmp_path_factory.mktemp("reference")
    sweep = sweep_file(root, reps=150)  # 600 runs
    out = root / "reference"
    done = run_cli("sweep", str(sweep), "--out", str(out), "--workers", "2", "--quiet")
    assert done.returncode == 0, done.stderr
    return sweep, out


@pytest.fixture(scope="module")
def small_batches(reference, tmp_path_factory) -> Path:
    """The reference sweep written again in a dozen batches (parts to damage)."""
    sweep, _ = reference
    out = tmp_path_factory.mktemp("batches") / "out"
    done = run_cli("sweep", str(sweep), "--out", str(out), "--workers", "1", "--chunk-size",
                   "50", "--flush-seconds", "0", "--quiet")
    assert done.returncode == 0 and len(list((out / "runs").glob("part-*"))) == 12
    return out


# --- item 1: one writer per folder -----------------------------------------------------------
def test_a_second_writer_is_refused_while_a_sweep_runs_and_no_run_is_duplicated(
        tmp_path, reference):
    sweep, ref = reference
    out = tmp_path / "out"
    first = start_sweep(sweep, out)
    wait_for_parts(out, first, count=1)
    os.kill(first.pid, signal.SIGSTOP)  # certainly still writing (and holding the lock)
    try:
        second = run_cli("sweep", str(sweep), "--out", str(out), "--resume", "--quiet")
        third = run_cli("sweep", str(sweep), "--out", str(out), "--quiet")
    finally:
        os.kill(first.pid, signal.SIGCONT)
    _, stderr = first.communicate(timeout=120)
    assert first.returncode == 0, stderr
    assert second.returncode == 2 and second.stderr.count("\n") == 1, second.stderr
    assert f"another wargame process (pid {first.pid})" in second.stderr
    assert second.stdout == ""
    assert third.returncode == 2 and "already exists" in third.stderr
    assert read(out, "runs")["run_id"].tolist() == list(range(600))  # each run once
    same_data(out, ref)


def test_two_resumes_at_once_one_runs_one_is_refused(tmp_path, reference):
    sweep, ref = reference
    out = tmp_path / "out"
    first = start_sweep(sweep, out)
    wait_for_parts(out, first)
    first.kill()
    first.wait()
    resumes = [start_sweep(sweep, out, "--resume") for _ in range(2)]
    results = [(p.wait(timeout=120), p.communicate()[1]) for p in resumes]
    assert sorted(code for code, _ in results) == [0, 2], results
    refused = next(err for code, err in results if code == 2)
    assert refused.count("\n") == 1 and "another wargame process" in refused
    same_data(out, ref)


def test_a_killed_sweep_leaves_no_stale_lock(tmp_path, reference):
    sweep, ref = reference
    out = tmp_path / "out"
    process = start_sweep(sweep, out)
    wait_for_parts(out, process)
    process.kill()  # SIGKILL: no clean-up at all
    process.wait()
    assert (out / ".lock").exists()  # the file stays; the kernel dropped the lock
    resumed = run_cli("sweep", str(sweep), "--out", str(out), "--resume", "--quiet")
    assert resumed.returncode == 0, resumed.stderr
    same_data(out, ref)


# --- item 2: verification on resume ------------------------------------------------------------
def damage(folder: Path, how: str) -> None:
    runs = sorted((folder / "runs").glob("part-*.parquet"))
    states = sorted((folder / "states").glob("part-*.parquet"))
    steps = sorted((folder / "steps").glob("part-*.parquet"))
    if how == "truncated runs part":
        os.truncate(runs[0], 500)
    elif how == "garbage states part":
        states[-1].write_bytes(b"garbage" * 100)
    elif how == "garbage steps part":
        steps[0].write_bytes(b"garbage" * 100)
    elif how == "half the states parts deleted":
        for part in states[::2]:
            part.unlink()
    elif how == "duplicated runs part":
        shutil.copy(runs[1], folder / "runs" / "part-ffffcopy.parquet")
    elif how == "foreign file in runs":
        pd.DataFrame({"a": range(1790)}).to_parquet(folder / "runs" / "part-foreign.parquet")
    elif how == "runs part deleted":
        runs[0].unlink()


@pytest.mark.parametrize("how", [
    "truncated runs part", "garbage states part", "garbage steps part",
    "half the states parts deleted", "duplicated runs part", "foreign file in runs",
    "runs part deleted",
])
def test_resume_repairs_damage_without_deleting_anything(tmp_path, reference, small_batches,
                                                         how):
    sweep, ref = reference
    out = tmp_path / "out"
    shutil.copytree(small_batches, out)
    damage(out, how)
    files_before = sum(1 for p in out.rglob("*.parquet"))

    if how != "runs part deleted":  # a reader refuses in one line, naming the problem
        kind = "timecourse" if "steps" in how else "burden"
        plotted = run_cli("plot", kind, str(out))
        assert plotted.returncode == 2 and plotted.stderr.count("\n") == 1, plotted.stderr
        assert "Traceback" not in plotted.stderr

    resumed = run_cli("sweep", str(sweep), "--out", str(out), "--resume", "--quiet")
    assert resumed.returncode == 0, resumed.stderr
    assert "Traceback" not in resumed.stderr
    same_data(out, ref)
    manifest = json.loads((out / "manifest.json").read_text())
    assert (manifest["status"], manifest["completed_runs"]) == ("complete", 600)
    if how != "runs part deleted":
        assert "wargame: warning: set aside" in resumed.stderr
        notes = list((out / "damaged").glob("*/NOTE.txt"))
        assert notes and manifest["set_aside"]
        kept = sum(1 for p in (out / "damaged").rglob("*.parquet"))
        live = sum(1 for p in out.rglob("*.parquet")) - kept
        assert kept + live >= files_before  # moved aside, never deleted


def test_foreign_parquet_file_is_named_as_foreign_not_as_failed_runs(tmp_path, reference):
    _, ref = reference
    out = tmp_path / "out"
    shutil.copytree(ref, out)
    damage(out, "foreign file in runs")
    done = run_cli("plot", "response", str(out))
    assert done.returncode == 2
    assert "part-foreign.parquet: foreign Parquet part" in done.stderr
    assert "failed" not in done.stderr


# --- item 6: signals --------------------------------------------------------------------------
def test_a_stop_that_lands_in_a_finaliser_is_delivered_again_not_lost():
    """Python drops an exception raised in a __del__: a Dask future's swallowed a Ctrl-C to
    a sweep's group, which then ignored every later stop. The stop must arrive after it."""
    from wargame import stops

    class Finalised:
        def __del__(self) -> None:
            stops._on_signal(signal.SIGINT, sys._getframe())

    with stops.stop_on_signals(), pytest.raises(KeyboardInterrupt):
        Finalised()  # collected at once: its __del__ meets the stop
        time.sleep(5)


def test_a_stop_that_lands_in_a_weak_reference_callback_is_delivered_again_not_lost():
    """The same for a weak reference's callback: CI saw a SIGTERM land in a
    WeakKeyDictionary's `remove`, printed as "Exception ignored in", and a calibration then
    ran to its end with status 0. Here the stop meets `weakref.finalize`'s call."""
    import weakref

    from wargame import stops

    class Collected:
        pass

    def stop_here() -> None:
        stops._on_signal(signal.SIGTERM, sys._getframe())

    collected = Collected()
    weakref.finalize(collected, stop_here)
    with stops.stop_on_signals(), pytest.raises(KeyboardInterrupt):
        del collected  # collected at once: finalize calls stop_here from weakref.py
        time.sleep(5)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL])
def test_pool_workers_die_with_the_sweep(tmp_path, reference, signum):
    sweep, ref = reference
    out = tmp_path / "out"
    process = start_sweep(sweep, out)
    wait_for_parts(out, process)
    workers = children(process.pid)
    assert len(workers) >= 2 and all(alive(w) for w in workers)
    os.kill(process.pid, signum)  # the parent only, not its process group
    _, stderr = process.communicate(timeout=60)
    assert wait_until_gone(workers) == [], "pool workers survived their sweep"
    manifest = json.loads((out / "manifest.json").read_text())
    if signum == signal.SIGTERM:
        assert process.returncode == 143
        assert stderr.count("\n") == 1 and "SIGTERM" in stderr and "--resume" in stderr, stderr
        assert manifest["status"] == "incomplete"
        assert 0 < manifest["completed_runs"] == len(pd.read_parquet(out / "runs"))
    else:
        assert manifest["status"] == "running"  # nobody could write anything
        # A kill between a part and the manifest's rewrite leaves the manifest one batch
        # behind; resume counts the parts.
        assert 0 < manifest["completed_runs"] <= len(pd.read_parquet(out / "runs"))
    resumed = run_cli("sweep", str(sweep), "--out", str(out), "--resume", "--quiet")
    assert resumed.returncode == 0, resumed.stderr
    same_data(out, ref)


# --- item 8: small defects ----------------------------------------------------------------------
def test_a_sweep_into_a_used_folder_prints_no_banner_before_its_error(reference):
    sweep, ref = reference
    done = run_cli("sweep", str(sweep), "--out", str(ref))
    assert done.returncode == 2 and done.stdout == "", done.stdout


def test_resume_with_a_changed_spec_names_the_field(tmp_path, reference):
    _, ref = reference
    other = tmp_path / "grid.toml"  # same name, other window
    other.write_text(GRID.format(reps=150).replace("days = 40", "days = 41"))
    done = run_cli("sweep", str(other), "--out", str(ref), "--resume")
    assert done.returncode == 2
    assert "spec.base.max_days: 40 in the folder, 41 now" in done.stderr, done.stderr


def test_first_difference_names_the_first_differing_field():
    assert first_difference({"a": 1, "b": [1, 2]}, {"a": 1, "b": [1, 3]}, "spec") == \
        "spec.b[1]: 2 in the folder, 3 now"
    assert first_difference({"a": 1}, {"a": 1, "c": 2}, "spec") == \
        "spec.c: absent in the folder, 2 now"
    assert first_difference([1], [1, 2], "points") == "points: 1 entries in the folder, 2 now"
    assert first_difference({"a": [1]}, {"a": [1]}, "spec") is None


def test_run_folders_are_0755_like_sweep_folders(tmp_path, reference):
    _, ref = reference
    out = tmp_path / "run"
    old = os.umask(0o022)
    try:
        done = run_cli("run", "baltic", "--seed", "1", "--days", "5", "--out", str(out))
    finally:
        os.umask(old)
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o755
    assert stat.S_IMODE(ref.stat().st_mode) == 0o755


def test_version_and_compare_help():
    version = run_cli("--version")
    assert version.returncode == 0 and version.stdout.startswith("wargame ")
    helped = run_cli("compare", "--help")
    assert "95% intervals" in helped.stdout and "%%" not in helped.stdout


def test_more_workers_than_cores_warns_and_runs(tmp_path):
    sweep = tmp_path / "g.toml"
    sweep.write_text(GRID.format(reps=1))
    workers = str((os.cpu_count() or 1) + 2)
    done = run_cli("sweep", str(sweep), "--out", str(tmp_path / "o"), "--workers", workers,
                   "--quiet")
    assert done.returncode == 0
    assert done.stderr.count("\n") == 1 and "warning: --workers" in done.stderr


def test_discovery_on_an_lhs_sweep_with_an_integer_input(tmp_path):
    sweep = tmp_path / "lhs.toml"
    sweep.write_text(
        # enough runs for PRIM's held-out half (wargame.figures.discovery.MIN_RUNS)
        'scenario = "baltic"\nreplications = 8\nbase_seed = 5\ndays = 40\n'
        '[parameters]\nattack_troops = 90000\n[design]\n'
        'kind = "lhs"\nsamples = 40\n[design.ranges]\nus_commitment = [0.0, 1.0]\n'
        "forward_presence = [0, 5000]\n")
    done = run_cli("sweep", str(sweep), "--out", str(tmp_path / "o"), "--quiet",
                   "--workers", "1")
    assert done.returncode == 0, done.stderr
    plotted = run_cli("plot", "discovery", str(tmp_path / "o"))  # what sweep --plots draws
    assert plotted.returncode == 0, plotted.stderr
    assert (tmp_path / "o" / "plots" / "discovery.png").exists()


def test_a_stop_that_lands_in_the_import_systems_weak_callback_counts_as_in_a_finaliser():
    """CI saw a SIGINT land in `KeyedRef.remove` of importlib's own weak dictionary of
    module locks: printed as "Exception ignored in", and the sweep exited 0. That frame
    (here a stand-in with the same code names) must delay the stop, as a finaliser does;
    the import system's other frames must not."""
    from types import SimpleNamespace

    from wargame import stops

    def frame(filename: str, name: str, back: object = None) -> SimpleNamespace:
        return SimpleNamespace(f_code=SimpleNamespace(co_filename=filename, co_name=name),
                               f_back=back)

    caller = frame(__file__, "run")
    assert stops._in_finaliser(frame("<frozen importlib._bootstrap>", "remove", caller))
    assert not stops._in_finaliser(frame("<frozen importlib._bootstrap>", "_find_and_load",
                                         caller))


def test_a_stop_during_a_database_write_waits_until_the_write_is_committed(tmp_path):
    """A SIGTERM that lands inside SQLAlchemy's flush of a calibration's history corrupted
    the session (status 1 and a traceback instead of 143). Here a real signal is sent from
    within a real flush: the stop must wait until the commit is done, then come."""
    import sqlalchemy as sa
    from sqlalchemy import orm

    from wargame import stops

    class Base(orm.DeclarativeBase):
        pass

    class Population(Base):
        __tablename__ = "populations"
        t = sa.Column(sa.Integer, primary_key=True)

    engine = sa.create_engine(f"sqlite:///{tmp_path / 'history.db'}")
    Base.metadata.create_all(engine)
    session = orm.Session(engine)

    @sa.event.listens_for(session, "before_flush")
    def stop_now(*_: object) -> None:
        os.kill(os.getpid(), signal.SIGTERM)  # handled when this returns into SQLAlchemy

    with pytest.raises(stops.Interrupted) as stopped, stops.stop_on_signals():
        session.add_all([Population(t=1), Population(t=2)])
        session.commit()
        time.sleep(5)  # the stop is delivered again within REDELIVER_SECONDS
    assert stopped.value.signum == signal.SIGTERM
    with orm.Session(engine) as reader:
        assert reader.scalars(sa.select(Population.t)).all() == [1, 2]
