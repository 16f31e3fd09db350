"""Helpers for the hostile-user tests (issue 21): small sweeps, a finished folder to damage,
processes started in their own process group, and the CLI called in this process."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import REPO, run_cli

GRID = """
scenario = "baltic"
replications = {reps}
base_seed = {seed}
days = {days}
keep_series = {series}

[design]
kind = "grid"

[design.levels]
us_commitment = [0.0, 1.0]
governance = ["nato_us_led", "art427_only"]
"""


def grid_file(folder: Path, reps: int = 5, seed: int = 7, days: int = 30,
              series: bool = True, name: str = "grid.toml") -> Path:
    """A 4-point grid sweep file of `reps` replications."""
    path = folder / name
    path.write_text(GRID.format(reps=reps, seed=seed, days=days,
                                series="true" if series else "false"))
    return path


def finished_folder(tmp_path_factory, reps: int = 5, seed: int = 7, name: str = "ref",
                    extra: tuple[str, ...] = ()) -> tuple[Path, Path]:
    """(sweep file, a complete result folder of it), written once per test module."""
    root = tmp_path_factory.mktemp(name)
    sweep = grid_file(root, reps=reps, seed=seed)
    out = root / "out"
    done = run_cli("sweep", str(sweep), "--out", str(out), "--workers", "1", "--quiet",
                   "--flush-seconds", "0", "--chunk-size", "5", *extra)
    assert done.returncode == 0, done.stderr
    return sweep, out


def copy_of(folder: Path, into: Path) -> Path:
    """A copy of a result folder to damage (its lock file left out)."""
    target = into / folder.name
    shutil.copytree(folder, target, ignore=shutil.ignore_patterns(".lock"))
    return target


def in_process(*args: str) -> tuple[int, str, str]:
    """`wargame ARGS` in this process: (exit status, stdout, stderr)."""
    from wargame.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(list(args))
        except SystemExit as exc:  # argparse's --help and the like
            status = exc.code if isinstance(exc.code, int) else 2
    return status, out.getvalue(), err.getvalue()


def start_group(*args: str, cwd: Path = REPO) -> subprocess.Popen:
    """`python -m wargame.cli ARGS` as the leader of a new process group (as a terminal
    starts a command), so that a signal can be sent to it and every process it starts."""
    return subprocess.Popen([sys.executable, "-m", "wargame.cli", *args], cwd=cwd,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def group_alive(pgid: int) -> bool:
    """Any process of the group still there (zombies waiting for their parent count)."""
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def stop_group(process: subprocess.Popen, signum: int, seconds: float) -> tuple[str, str]:
    """Send `signum` to the process's whole group and wait up to `seconds` for it to end;
    on a hang, kill the group and fail with what it printed."""
    os.killpg(process.pid, signum)
    try:
        return process.communicate(timeout=seconds)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        stdout, stderr = process.communicate()
        raise AssertionError(f"no exit {seconds} s after {signal.Signals(signum).name} to the "
                             f"group; stderr: {stderr[-2000:]}") from None


def wait_group_gone(pgid: int, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while group_alive(pgid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not group_alive(pgid)
