"""Files in result folders: written without following a link, read only when regular.

A result folder may come from elsewhere (copied, shared, unpacked), so a name in it may be
a symbolic link planted to redirect a write (`DIR/.lock` -> ~/.bashrc) or a FIFO that
blocks a reader for ever. Every file the tool writes in a result folder goes through
`write_file`: a new temporary file beside the target, created exclusively and without
following links (O_EXCL | O_NOFOLLOW), then renamed over the target, which is refused if
it is a link (a rename would replace the link, but a link there is a sign of tampering
the user should see). Every file the tool reads from one goes through `read_regular`:
opened without blocking, refused unless it is a regular file of bounded size.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import stat
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

from wargame.errors import WargameError

#: Flags of the platform, 0 where it has none (Windows has neither links to fear here
#: nor FIFOs).
NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
NONBLOCK = getattr(os, "O_NONBLOCK", 0)
CLOEXEC = getattr(os, "O_CLOEXEC", 0)
BINARY = getattr(os, "O_BINARY", 0)


def link_error(path: Path) -> WargameError:
    return WargameError(f"{path}: is a symbolic link; wargame neither reads nor writes "
                        "through links in a result folder (remove the link)")


def refuse_link(path: Path) -> None:
    """One line if `path` is a symbolic link (a missing path is fine)."""
    if path.is_symlink():
        raise link_error(path)


def real_folder(path: Path, create: bool = True) -> Path:
    """`path` as a folder of its own: created if absent (when `create`), refused in one line
    naming it if it is a link or a file."""
    refuse_link(path)
    if path.exists() and not path.is_dir():
        raise WargameError(f"{path}: is a file, not a folder; move it away")
    if create:
        path.mkdir(parents=True, exist_ok=True)
        refuse_link(path)  # planted between the check and the mkdir
    return path


def file_name(text: str, longest: int = 60) -> str:
    """`text` (a name read from a manifest) made safe as one component of a file name:
    letters, digits, '_' and '-' only, at most `longest` characters; so a sweep named
    `../../../escaped` cannot place a file outside its folder."""
    safe = re.sub(r"[^A-Za-z0-9_-]+", "_", text).strip("_")[:longest]
    return safe or "unnamed"


def write_file(path: Path, write: Callable[[BinaryIO], None], durable: bool = False) -> Path:
    """Write `path` whole or not at all, never through a link.

    `write` gets a binary file opened on a new temporary file beside `path` (created with
    O_EXCL | O_NOFOLLOW, so nothing planted under its name is followed); the file is renamed
    over `path` once written (`durable`: and synced first). A link at `path` is refused."""
    refuse_link(path)
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | NOFOLLOW | CLOEXEC | BINARY,
                 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        refuse_link(path)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return path


def write_text(path: Path, text: str, durable: bool = False) -> Path:
    """`write_file` for UTF-8 text."""
    return write_file(path, lambda handle: handle.write(text.encode("utf-8")), durable)


def csv_of(frame: Any, **options: Any) -> Callable[[BinaryIO], None]:
    """A writer for `write_file`: a pandas DataFrame as UTF-8 CSV, streamed."""
    def write(handle: BinaryIO) -> None:
        text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
        frame.to_csv(text, **options)
        text.flush()
        text.detach()

    return write


def write_csv(path: Path, frame: Any, **options: Any) -> Path:
    """`write_file` for a pandas DataFrame as CSV."""
    return write_file(path, csv_of(frame, **options))


#: Per folder, the files wargame wrote there and their SHA-256 (`write_own`).
WRITTEN = ".wargame-written.json"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(2**20), b""):
            digest.update(block)
    return digest.hexdigest()


def _written(folder: Path) -> dict[str, str]:
    """The folder's record of files wargame wrote (empty if missing or not one)."""
    path = folder / WRITTEN
    try:
        record = json.loads(read_regular(path, 2**20, "a record of written files"))
    except (WargameError, ValueError):
        return {}
    if not isinstance(record, dict):
        return {}
    return {k: v for k, v in record.items() if isinstance(k, str) and isinstance(v, str)}


def write_own(path: Path, write: Callable[[BinaryIO], None]) -> Path:
    """`write_file`, but an existing file is replaced only if wargame wrote it there and it
    is unchanged since (its SHA-256 is in the folder's record, `WRITTEN`): an export never
    replaces a file of the user's, nor one the user edited after exporting."""
    refuse_link(path)
    record = _written(path.parent)
    if path.exists() and (not path.is_file() or record.get(path.name) != _sha256(path)):
        raise WargameError(f"{path}: already exists and was not written by wargame (or was "
                           "changed since); choose another --out, or move it away")
    write_file(path, write)
    record[path.name] = _sha256(path)
    write_text(path.parent / WRITTEN, json.dumps(record, indent=2, sort_keys=True) + "\n")
    return path


def read_regular(path: Path, limit: int, what: str, follow_links: bool = False) -> bytes:
    """The bytes of `path`, refused in one line unless it is a regular file of at most
    `limit` bytes. Opened without blocking (a FIFO is refused before anything waits on it)
    and, unless `follow_links`, without following a link."""
    flags = os.O_RDONLY | NONBLOCK | CLOEXEC | BINARY | (0 if follow_links else NOFOLLOW)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise WargameError(f"{path}: file not found") from None
    except IsADirectoryError:
        raise WargameError(f"{path}: is a folder, not {what}") from None
    except OSError as exc:
        if not follow_links and path.is_symlink():
            raise link_error(path) from None
        raise WargameError(f"{path}: cannot read ({exc.strerror or exc})") from None
    info = os.fstat(fd)
    problem = (f"is a folder, not {what}" if stat.S_ISDIR(info.st_mode)
               else f"not a regular file; expected {what}" if not stat.S_ISREG(info.st_mode)
               else f"larger than {limit:,} bytes; not {what}" if info.st_size > limit
               else None)
    if problem:
        os.close(fd)
        raise WargameError(f"{path}: {problem}")
    with os.fdopen(fd, "rb") as handle:
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            raise WargameError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if len(data) > limit:
        raise WargameError(f"{path}: larger than {limit:,} bytes; not {what}")
    return data
