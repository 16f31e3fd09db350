"""Guarding a sweep's result folder: one writer at a time, and parts read or refused by name.

Light on purpose (pyarrow, no model): the figures and the browser view read folders
through these helpers too, and must not pay for importing Mesa.

- `FolderLock`: an exclusive `fcntl.flock` on `DIR/.lock` for as long as a sweep writes the
  folder. The kernel drops the lock when the process (and any worker that inherited it)
  exits, however it exits, so a killed sweep never leaves a stale lock behind: the file
  may stay, the lock does not.
- `read_part`: one Parquet part, or one line naming the file that is damaged or foreign.
- `read_manifest`: the manifest as a JSON object, or one line.
"""

from __future__ import annotations

import fcntl
import json
import os
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from wargame.errors import WargameError

MANIFEST = "manifest.json"
LOCK = ".lock"
DAMAGED = "damaged"

#: Columns every runs part written by `wargame sweep` has (others depend on the parameters).
RUNS_KEY_COLUMNS = ("run_id", "point_id", "replication", "seed", "outcome", "error")
#: The key every part of every dataset has.
KEY_COLUMNS = {"runs": RUNS_KEY_COLUMNS, "states": ("run_id", "iso3"), "steps": ("run_id", "day")}


class FolderBusy(WargameError):
    """Another process holds the folder's lock."""


class FolderLock:
    """An exclusive, non-blocking lock on a result folder, released by the OS on exit."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.fd: int | None = None

    def acquire(self) -> FolderLock:
        path = self.folder / LOCK
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as exc:
            raise WargameError(f"{self.folder}: cannot lock the folder ({exc.strerror})") \
                from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "unknown"
            os.close(fd)
            raise FolderBusy(
                f"{self.folder}: another wargame process (pid {holder}) is writing this folder; "
                "wait for it to finish, or choose another --out"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)  # for the message above; not the lock
        self.fd = fd
        return self

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing drops the flock
            self.fd = None

    def __enter__(self) -> FolderLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def is_locked(folder: Path) -> bool:
    """True while a process writes the folder (a reader's hint; racy by nature)."""
    try:
        fd = os.open(folder / LOCK, os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def read_manifest(folder: Path) -> dict[str, Any]:
    """The manifest of a result folder, or one line saying why it cannot be read."""
    path = folder / MANIFEST
    if not folder.is_dir():
        raise WargameError(f"{folder}: no such result folder")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise WargameError(f"{folder}: not a sweep result folder (no {MANIFEST})") from None
    except IsADirectoryError:
        raise WargameError(f"{path}: is a folder, not a manifest") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise WargameError(f"{path}: unreadable manifest, damaged or cut short ({exc})") \
            from None
    except OSError as exc:
        raise WargameError(f"{path}: cannot read ({exc.strerror})") from None
    if not isinstance(data, dict) or not isinstance(data.get("total_runs", 0), int):
        raise WargameError(f"{path}: not a manifest of `wargame sweep` (expected a JSON object)")
    return data


class PartProblem(WargameError):
    """A part file that cannot be used: damaged (unreadable) or foreign (not ours)."""

    def __init__(self, path: Path, kind: str, detail: str) -> None:
        self.path, self.kind, self.detail = path, kind, detail
        super().__init__(f"{path}: {kind} Parquet part ({detail})")


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text if len(text) <= 120 else text[:117] + "..."


def read_part(path: Path, dataset: str, columns: list[str] | None = None) -> pa.Table:
    """Read one part of `dataset` (runs, states or steps), checking it is ours and whole.

    Raises PartProblem (a WargameError: one line naming the file) for a file that is
    truncated or garbage ("damaged") or a Parquet file without the dataset's key columns
    ("foreign", e.g. a file copied in by hand).
    """
    try:
        schema = pq.read_schema(path)
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise PartProblem(path, "damaged", _short(exc)) from None
    missing = [c for c in KEY_COLUMNS[dataset] if c not in schema.names]
    if missing:
        raise PartProblem(path, "foreign",
                          f"not written by wargame sweep: no column {', '.join(missing)}")
    try:
        return pq.read_table(path, columns=columns)
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise PartProblem(path, "damaged", _short(exc)) from None


def part_files(folder: Path, dataset: str) -> list[Path]:
    """The committed parts of a dataset, in name order (hidden unfinished parts excluded)."""
    return sorted((folder / dataset).glob("part-*.parquet"))
