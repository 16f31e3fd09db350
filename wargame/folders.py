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
