"""Guarding a sweep's result folder: one writer at a time, and parts read or refused by name.

Light on purpose (pyarrow, no model): the figures and the browser view read folders
through these helpers too, and must not pay for importing Mesa.

- `FolderLock`: an exclusive lock on `DIR/.lock` for as long as a sweep writes the folder,
  through filelock's `lock_descriptor` (flock on POSIX, LockFileEx on Windows) on a file
  this module opens itself, without following a link. The OS drops the lock when the
  process (and any worker that inherited it) exits, however it exits, so a killed sweep
  never leaves a stale lock behind: the file may stay, the lock does not.
- `refuse_links`: a folder whose files or subfolders are symbolic links is refused.
- `read_part`: one Parquet part, or one line naming the file that is damaged or foreign.
- `read_manifest`: the manifest, checked (`wargame.schemas`), or one line.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from wargame.errors import WargameError
from wargame.files import CLOEXEC, NOFOLLOW, link_error, refuse_link

MANIFEST = "manifest.json"
LOCK = ".lock"
DAMAGED = "damaged"
DATASETS = ("runs", "states", "steps")
#: Names in a result folder the tool reads or writes: none of them may be a link.
OWN_NAMES = (MANIFEST, LOCK, DAMAGED, *DATASETS, "plots", "export")

#: Columns every runs part written by `wargame sweep` has (others depend on the parameters).
RUNS_KEY_COLUMNS = ("run_id", "point_id", "replication", "seed", "outcome", "error")
#: The key every part of every dataset has.
KEY_COLUMNS = {"runs": RUNS_KEY_COLUMNS, "states": ("run_id", "iso3"), "steps": ("run_id", "day")}


class FolderBusy(WargameError):
    """Another process holds the folder's lock."""


def _holder(fd: int) -> str:
    """The pid the lock's holder wrote into the file (for the message; not the lock)."""
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        return os.read(fd, 32).decode(errors="replace").strip() or "unknown"
    except OSError:  # Windows: the holder's byte lock keeps others from reading
        return "unknown"


class FolderLock:
    """An exclusive, non-blocking lock on a result folder, released by the OS on exit."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.fd: int | None = None

    def acquire(self) -> FolderLock:
        from filelock import lock_descriptor  # imports fcntl where there is one

        path = self.folder / LOCK
        refuse_link(path)
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | NOFOLLOW | CLOEXEC, 0o644)
        except OSError as exc:
            if path.is_symlink():
                raise link_error(path) from None
            raise WargameError(f"{self.folder}: cannot lock the folder ({path.name}: "
                               f"{exc.strerror or exc})") from None
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise WargameError(f"{path}: not a regular file; remove it so that the folder "
                                   "can be locked")
            try:
                locked = lock_descriptor(fd, blocking=False)
            except OSError as exc:
                raise WargameError(f"{self.folder}: cannot lock the folder "
                                   f"({exc.strerror or exc})") from None
            if not locked:
                raise FolderBusy(
                    f"{self.folder}: another wargame process (pid {_holder(fd)}) is writing this "
                    "folder; wait for it to finish, or choose another --out"
                )
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, f"{os.getpid()}\n".encode())  # for the message above; not the lock
        except BaseException:
            os.close(fd)
            raise
        self.fd = fd
        return self

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing drops the lock
            self.fd = None

    def __enter__(self) -> FolderLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def refuse_links(folder: Path) -> None:
    """One line if a file or folder the tool uses in `folder` (manifest, lock, datasets and
    their parts, damaged/, plots/, export/) is a symbolic link: a link could make a reader
    count another folder's runs, or a writer write elsewhere."""
    for name in OWN_NAMES:
        refuse_link(folder / name)
    for name in DATASETS:
        if (folder / name).is_dir():
            for entry in os.scandir(folder / name):
                if entry.is_symlink() and not entry.name.startswith("."):  # hidden: never read
                    raise link_error(Path(entry.path))


#: Largest manifest read (about 300,000 design points of every input).
MAX_MANIFEST_BYTES = 2**30


def read_manifest(folder: Path) -> dict[str, Any]:
    """The manifest of a result folder, checked, or one line saying why it cannot be used."""
    from wargame.schemas import check_manifest, read_json

    path = folder / MANIFEST
    if not folder.is_dir():
        raise WargameError(f"{folder}: no such result folder")
    refuse_links(folder)
    if not path.exists():
        raise WargameError(f"{folder}: not a sweep result folder (no {MANIFEST})")
    return check_manifest(read_json(path, MAX_MANIFEST_BYTES, "a manifest"), path)


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
    if path.is_symlink():
        raise link_error(path)
    if not path.is_file():
        raise PartProblem(path, "foreign", "not a regular file")
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
