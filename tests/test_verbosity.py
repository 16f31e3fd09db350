"""-v/--verbose and -q/--quiet on every command, with the same meaning everywhere."""

from __future__ import annotations

import subprocess

import pytest
from conftest import REPO, run_main

from wargame.cli import build_parser


def wargame(*args: str, cwd=None) -> subprocess.CompletedProcess:
    """The command line through `main()` in this process (tests/conftest.py)."""
    return run_main(*args, cwd=cwd or REPO)


def commands() -> dict:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    return sub.choices


@pytest.mark.parametrize("name", sorted(commands()))
def test_every_command_has_verbose_and_quiet(name):
    options = commands()[name]._option_string_actions
    assert {"-v", "--verbose", "-q", "--quiet"} <= set(options), name


def test_quiet_prints_nothing_but_the_run_is_written(tmp_path):
    result = wargame("run", "cyprus", "--seed", "2", "--out", "r", "-q", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "" and result.stderr == ""
    assert (tmp_path / "r" / "summary.json").is_file()


def test_quiet_does_not_silence_a_listing():
    result = wargame("inputs", "--quiet")
    assert result.returncode == 0 and "us_commitment" in result.stdout


def test_verbose_says_what_is_done_on_stderr(tmp_path):
    quiet = wargame("run", "cyprus", "--seed", "2", "--out", "a", cwd=tmp_path)
    loud = wargame("run", "cyprus", "--seed", "2", "--out", "b", "-v", cwd=tmp_path)
    assert loud.returncode == 0, loud.stderr
    assert quiet.stderr == ""
    assert "wargame: scenario cyprus from" in loud.stderr and "seed 2" in loud.stderr
    assert loud.stdout.replace("b/", "a/") == quiet.stdout  # the same report on stdout


def test_an_error_is_one_line_and_verbose_adds_where_it_came_from(tmp_path):
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "x").write_text("")
    plain = wargame("run", "cyprus", "--out", "used", cwd=tmp_path)
    loud = wargame("run", "cyprus", "--out", "used", "-v", cwd=tmp_path)
    debug = wargame("run", "cyprus", "--out", "used", "-vv", cwd=tmp_path)
    assert plain.returncode == loud.returncode == debug.returncode == 2
    assert plain.stderr.count("\n") == 1
    first, *more = loud.stderr.splitlines()
    assert first == plain.stderr.strip() and more and more[0].startswith("wargame: raised in")
    assert "Traceback" not in loud.stderr and "Traceback" in debug.stderr


def test_verbose_and_quiet_together_are_refused():
    result = wargame("scenarios", "-v", "-q")
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert "contradict" in result.stderr
