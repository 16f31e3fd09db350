"""Where results go by default: runs/<name>-<timestamp>/, never an existing folder."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path


def default_out_dir(name: str, runs_dir: Path = Path("runs")) -> Path:
    """runs/<name>-<YYYYmmdd-HHMMSS>/, with a suffix if that name is taken."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    path = runs_dir / f"{name}-{stamp}"
    suffix = 1
    while path.exists():
        suffix += 1
        path = runs_dir / f"{name}-{stamp}-{suffix}"
    return path


def check_out_dir(path: Path, option: str = "--out") -> None:
    """Refuse an output folder that cannot be one: an empty name, or a file on its way."""
    from wargame.errors import WargameError

    if not str(path).strip():
        raise WargameError(f"{option}: expected a folder, got an empty name")
    for parent in (path, *path.parents):
        if parent.exists() and not parent.is_dir():
            raise WargameError(f"{option} {path}: {parent} is a file, not a folder")
