"""Shared helpers: the `wargame` command line, in this process or in a real one.

`run_main` calls `wargame.cli.main(ARGS)` here, with the output captured, and answers as
`run_cli` does (exit status, stdout, stderr): the command line's own code end to end,
without a second interpreter importing Mesa and pandas for every case. `run_cli` runs
`python -m wargame.cli ARGS` in a subprocess, for what only a real process shows: the
exit status the shell sees, signals, and stderr as the interpreter leaves it.
"""

from __future__ import annotations

import contextlib
import io
import logging
import subprocess
import sys
from pathlib import Path

import pytest

from wargame.cli import main

REPO = Path(__file__).resolve().parent.parent


def run_cli(*args: str, cwd: Path = REPO, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run `python -m wargame.cli ARGS` as a user would, capturing its output."""
    return subprocess.run(
        [sys.executable, "-m", "wargame.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def run_main(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    """Run `wargame.cli.main(ARGS)` in this process from `cwd`, capturing its output.

    The `wargame` logger that `main` configures (its handler writes to the captured
    stderr) is put back as it was, so that one call leaves nothing behind for the next.
    """
    stdout, stderr = io.StringIO(), io.StringIO()
    logger = logging.getLogger("wargame")
    saved = logger.handlers[:], logger.propagate, logger.level
    try:
        with contextlib.chdir(cwd), contextlib.redirect_stdout(stdout), \
                contextlib.redirect_stderr(stderr):
            try:
                status = main(list(args))
            except SystemExit as exc:  # --help and --version end with sys.exit
                status = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1
    finally:
        logger.handlers[:], logger.propagate, logger.level = saved[0], saved[1], saved[2]
    return subprocess.CompletedProcess(["wargame", *args], status, stdout.getvalue(),
                                       stderr.getvalue())


@pytest.fixture
def cli():
    """The command line, in this process (`run_main`)."""
    return run_main
