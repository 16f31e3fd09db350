"""Issue 21, class 2: no write through a link, and a lock that works anywhere.

A result folder can come from elsewhere, so any name in it may be a planted symbolic link.
Each case plants one in a copy of a real folder and checks that the file it points to is
left exactly as it was, and that the command either works without it or refuses in one
line (exit 2) naming the link. Names read from a manifest never become a path outside the
folder. The lock is a real lock on a real file (filelock), taken and lost by real
processes; every module of the package imports without `fcntl` (as on Windows).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap

import pytest
from conftest import REPO
from hostile_helpers import copy_of, finished_folder, in_process

from wargame.errors import WargameError
from wargame.sweep.folder import FolderBusy, FolderLock

PRECIOUS = "precious: must not change\n"


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    return finished_folder(tmp_path_factory)


@pytest.fixture
def victim(tmp_path):
    """A file outside the folder that a planted link points to."""
    path = tmp_path / "victim.txt"
    path.write_text(PRECIOUS)
    return path


def one_line_refusal(status: int, err: str, *words: str) -> None:
    assert status == 2, err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    for word in words:
        assert word in err, err


def resume(sweep, out):
    return in_process("sweep", str(sweep), "--out", str(out), "--resume", "--quiet",
                      "--workers", "1")


def test_a_lock_file_planted_as_a_link_is_refused_and_its_target_kept(tmp_path, finished,
                                                                      victim):
    sweep, ref = finished
    out = copy_of(ref, tmp_path)
    (out / ".lock").symlink_to(victim)
    status, _, err = resume(sweep, out)
    one_line_refusal(status, err, ".lock", "link")
    assert victim.read_text() == PRECIOUS


def test_a_manifest_temporary_planted_as_a_link_is_never_written(tmp_path, finished, victim):
    sweep, ref = finished
    out = copy_of(ref, tmp_path)
    (out / ".manifest.json.tmp").symlink_to(victim)
    status, _, err = resume(sweep, out)
    assert status == 0, err
    assert victim.read_text() == PRECIOUS


def test_a_planted_part_temporary_is_never_written(tmp_path, finished, victim):
    sweep, ref = finished
    out = copy_of(ref, tmp_path)
    for part in (out / "runs").glob("part-*.parquet"):
        part.unlink()  # its runs are run again: new parts are written
    for dataset in ("runs", "states", "steps"):
        (out / dataset / ".part-x.parquet.tmp").symlink_to(victim)
    status, _, err = resume(sweep, out)
    assert status == 0, err
    assert victim.read_text() == PRECIOUS


@pytest.mark.parametrize("planted", ["index.html", "response.png"])
def test_a_plots_file_planted_as_a_link_is_refused_and_its_target_kept(tmp_path, finished,
                                                                       victim, planted):
    """The index page and a figure: neither write follows a link out of the folder."""
    _, ref = finished
    out = copy_of(ref, tmp_path)
    (out / "plots").mkdir()
    (out / "plots" / planted).symlink_to(victim)
    status, _, err = in_process("plot", "response", str(out))
    one_line_refusal(status, err, planted, "link")
    assert victim.read_text() == PRECIOUS


def test_a_plots_folder_that_is_a_link_is_refused(tmp_path, finished):
    _, ref = finished
    out = copy_of(ref, tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (out / "plots").symlink_to(elsewhere, target_is_directory=True)
    status, _, err = in_process("plot", "response", str(out))
    one_line_refusal(status, err, "plots", "link")
    assert list(elsewhere.iterdir()) == []


def test_an_export_file_planted_as_a_link_is_refused_and_its_target_kept(tmp_path, finished,
                                                                         victim):
    _, ref = finished
    out = copy_of(ref, tmp_path)
    (out / "export").mkdir()
    (out / "export" / "runs.csv").symlink_to(victim)
    status, _, err = in_process("export", str(out))
    one_line_refusal(status, err, "runs.csv", "link")
    assert victim.read_text() == PRECIOUS


def test_a_sweep_name_in_a_manifest_does_not_move_compares_output(tmp_path, finished):
    _, ref = finished
    root = tmp_path / "a" / "b" / "c"
    root.mkdir(parents=True)
    out_a, out_b = copy_of(ref, root / "x"), copy_of(ref, root / "y")
    for folder in (out_a, out_b):
        manifest = json.loads((folder / "manifest.json").read_text())
        manifest["sweep"] = "../../../escaped"
        (folder / "manifest.json").write_text(json.dumps(manifest))
    status, _, err = in_process("compare", str(out_a), str(out_b))
    assert status == 0, err
    assert not (tmp_path / "escaped").exists() and not (root / "escaped").exists()
    made = [p for p in (root / "y").iterdir() if p.name.startswith("compare-")]
    assert len(made) == 1 and "/" not in made[0].name and ".." not in made[0].name, made


def test_a_dataset_folder_linked_into_another_result_folder_is_refused(tmp_path, finished):
    sweep, ref = finished
    other = copy_of(ref, tmp_path / "other")
    out = copy_of(ref, tmp_path)
    before = sorted(p.name for p in (other / "states").iterdir())
    for part in (out / "states").iterdir():
        part.unlink()
    (out / "states").rmdir()
    (out / "states").symlink_to(other / "states", target_is_directory=True)
    status, _, err = resume(sweep, out)
    one_line_refusal(status, err, "states", "link")
    assert sorted(p.name for p in (other / "states").iterdir()) == before
    status, _, err = in_process("plot", "burden", str(out))
    one_line_refusal(status, err, "states", "link")


def test_a_part_that_is_a_link_into_elsewhere_is_refused(tmp_path, finished):
    sweep, ref = finished
    other = copy_of(ref, tmp_path / "other")
    out = copy_of(ref, tmp_path)
    part = sorted((out / "runs").glob("part-*.parquet"))[0]
    part.unlink()
    part.symlink_to(other / "runs" / part.name)
    for command in (("plot", "response", str(out)), ("export", str(out))):
        status, _, err = in_process(*command)
        one_line_refusal(status, err, part.name, "link")
    status, _, err = resume(sweep, out)
    one_line_refusal(status, err, part.name, "link")
    assert (other / "runs" / part.name).is_file()


def test_a_manifest_that_is_a_link_is_refused(tmp_path, finished):
    _, ref = finished
    out = copy_of(ref, tmp_path)
    real = tmp_path / "manifest-elsewhere.json"
    (out / "manifest.json").rename(real)
    (out / "manifest.json").symlink_to(real)
    status, _, err = in_process("plot", "response", str(out))
    one_line_refusal(status, err, "manifest.json", "link")


def test_a_damaged_folder_that_is_a_link_is_refused_when_parts_are_set_aside(
        tmp_path, finished):
    sweep, ref = finished
    out = copy_of(ref, tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (out / "damaged").symlink_to(elsewhere, target_is_directory=True)
    part = sorted((out / "runs").glob("part-*.parquet"))[0]
    part.write_bytes(b"garbage")
    status, _, err = resume(sweep, out)
    one_line_refusal(status, err, "damaged", "link")
    assert list(elsewhere.iterdir()) == []


# --- the lock ----------------------------------------------------------------------------------
def test_the_lock_is_exclusive_and_does_not_survive_kill_9(tmp_path):
    folder = tmp_path / "folder"
    folder.mkdir()
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, time
            from pathlib import Path
            from wargame.sweep.folder import FolderLock
            FolderLock(Path({str(folder)!r})).acquire()
            print("locked", flush=True)
            time.sleep(60)
        """)], cwd=REPO, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(FolderBusy, match=f"pid {holder.pid}"):
            FolderLock(folder).acquire()
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait(10)
    finally:
        holder.kill()
        holder.wait()
    assert (folder / ".lock").exists()  # the file stays; the lock does not
    with FolderLock(folder), pytest.raises(FolderBusy):
        FolderLock(folder).acquire()  # a second handle in this process is refused too
    with FolderLock(folder):  # released: taken again at once
        pass


def test_a_lock_that_is_a_folder_or_a_fifo_is_one_line(tmp_path):
    folder = tmp_path / "f"
    folder.mkdir()
    (folder / ".lock").mkdir()
    with pytest.raises(WargameError, match=".lock"):
        FolderLock(folder).acquire()
    (folder / ".lock").rmdir()
    os.mkfifo(folder / ".lock")
    with pytest.raises(WargameError, match="not a regular file"):
        FolderLock(folder).acquire()


def test_every_module_imports_without_fcntl(tmp_path):
    """As on Windows: no module of the package needs fcntl to be imported. (Solara, which
    some import, falls back to a soft lock in SOLARA_HOME without fcntl: a fresh one here.)"""
    code = textwrap.dedent("""
        import importlib, pkgutil, sys
        sys.modules["fcntl"] = None  # `import fcntl` now raises ImportError
        import wargame
        failed = []
        for info in pkgutil.walk_packages(wargame.__path__, "wargame."):
            if info.name.endswith(("viz.app", "viz.reform_app")):
                continue  # Solara pages, loaded by the server
            try:
                importlib.import_module(info.name)
            except Exception as exc:
                failed.append(f"{info.name}: {type(exc).__name__}: {exc}")
        print("\\n".join(failed))
        sys.exit(1 if failed else 0)
    """)
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                          text=True, timeout=300,
                          env={**os.environ, "SOLARA_HOME": str(tmp_path / "solara")})
    assert done.returncode == 0, done.stdout + done.stderr
