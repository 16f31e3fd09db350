"""Extending a calibration: an interrupted one, or a finished one, run for more generations.

ABC-SMC keeps its whole state in its last population, which pyabc stores in the SQLite
history (abc.db) after every generation. A calibration of half an hour or more therefore
need not start over when it is stopped, nor when its report shows that more generations
would fit better: `wargame calibrate --extend FOLDER` goes on from FOLDER's last
generation. This module reads what FOLDER's run was begun with, and refuses to extend it
under targets or settings that would make one posterior of two different fits.

A calibration in progress keeps `started.json` in its DIR.partial: the commands that have
run on this history so far and the generations the last one asked for, so that a stopped
run is finished as it was asked, and its report can say how it was run.
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wargame.errors import WargameError

DB_FILE, RECORD_FILE, STARTED_FILE = "abc.db", "calibration.json", "started.json"
#: How a run was begun: stored in its history (and, for the runs before that, in the
#: finished folder's calibration.json).
BEGUN_WITH = ("population", "seed", "seed_scale", "quick")


@dataclass(frozen=True)
class Extended:
    """A stored ABC-SMC run to go on from."""

    folder: Path
    generations: int  # generations it has stored
    begun_with: dict[str, Any]  # population, seed, seed_scale, quick
    commands_run: tuple[str, ...]  # the commands that ran on this history, in turn
    asked: int | None  # generations the interrupted command asked for (None if finished)

    @property
    def unfinished(self) -> bool:
        return self.folder.suffix == ".partial"


def read_extended(folder: Path, targets_sha256: str) -> Extended:
    """The run stored in `folder`, checked against the targets file in use now."""
    db = folder / DB_FILE
    if not db.is_file():
        raise WargameError(f"--extend {folder}: no {DB_FILE} there; expected the folder of "
                           "a calibration, finished or interrupted")
    meta, generations = _history(db)
    record, started = _json(folder / RECORD_FILE), _json(folder / STARTED_FILE)
    sha = meta.get("targets_sha256") or record.get("targets_sha256")
    if sha != targets_sha256:
        raise WargameError(f"--extend {folder}: it was fitted to another targets file "
                           f"(sha256 {str(sha)[:12]}, now {targets_sha256[:12]}); a posterior "
                           "of two sets of targets fits neither, so start a new calibration")
    begun = {k: meta[k] for k in BEGUN_WITH if k in meta}
    if len(begun) < len(BEGUN_WITH):  # a run from before its history said how it began
        begun = {k: record.get("settings", {}).get(k) for k in BEGUN_WITH}
    if any(v is None for v in begun.values()):
        raise WargameError(f"--extend {folder}: its history does not say how it was begun "
                           "(population, seed); it cannot be extended")
    if generations == 0:
        raise WargameError(f"--extend {folder}: it stored no generation; remove it and start "
                           "again")
    commands = (started.get("commands_run") or record.get("commands_run")
                or [record.get("command") or meta.get("command") or "(not recorded)"])
    asked = started.get("generations") if folder.suffix == ".partial" else None
    return Extended(folder, generations, begun, tuple(commands), asked)


def stored_generations(folder: Path) -> int:
    """How many generations `folder`'s history holds (0 if none, or none readable)."""
    try:
        return _history(folder / DB_FILE)[1] if (folder / DB_FILE).is_file() else 0
    except WargameError:
        return 0


def write_started(folder: Path, commands_run: list[str], generations: int) -> None:
    """Note in a calibration's DIR.partial how it has been run so far."""
    (folder / STARTED_FILE).write_text(json.dumps(
        {"commands_run": commands_run, "generations": generations}, indent=2) + "\n", "utf-8")


def _history(db: Path) -> tuple[dict[str, Any], int]:
    """The run's meta information and how many generations it stored."""
    import pyabc
    import sqlalchemy.exc

    try:
        history = pyabc.History(f"sqlite:///{db.resolve()}", _id=1, create=False)
        # pyabc stores the meta information as the repr of a dict of plain values
        meta = ast.literal_eval(history.get_abc().json_parameters or "{}")
        return (meta if isinstance(meta, dict) else {}), history.max_t + 1
    except (sqlalchemy.exc.SQLAlchemyError, AttributeError, TypeError, ValueError,
            SyntaxError) as error:
        raise WargameError(f"--extend {db.parent}: {DB_FILE} is not a readable ABC-SMC "
                           f"history ({type(error).__name__})") from None


def _json(path: Path) -> dict[str, Any]:
    """A JSON object from `path`, or {} if there is none or it cannot be read: the history
    alone says what an extension needs, and these files only add how the run was made."""
    try:
        value = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}
