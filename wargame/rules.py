"""The rules every entry point applies to what it is given, in one place.

The command line (`run`, `sweep`, and `reform` through the sweep runner), the Python API
(`wargame.run`, `wargame.sweep`) and the EMA model check the same things with these
functions, so the same value is refused with the same words wherever it is given
(issue 21: an input given twice was used silently by one command and a seed refused by
one was accepted by another):

- a seed is a whole number in [0, 2^63 - 1] (`check_seed`);
- an input is given once: `--set u=0.1 --set u=0.9` is refused (`refuse_repeated_names`);
- a grid level is given once (`refuse_repeated_levels`);
- an output folder has a name, no file on its way, and is new or empty unless resumed
  (`check_out_folder`);
- a design runs at most MAX_RUNS runs unless the caller raises the limit, checked from the
  counts before anything is drawn or allocated (`check_run_count`);
- a long job shows a progress bar on a terminal (`progress`).
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from wargame.errors import WargameError

SEED_MAX = 2**63 - 1
#: Largest design run without --max-runs (max_runs= in Python): about 30 minutes on a
#: laptop's cores. Larger designs are refused before anything is drawn or written.
MAX_RUNS = 1_000_000


def check_seed(value: Any, where: str) -> int:
    """A seed: an integer (not a bool) in [0, 2^63 - 1], the range of a Parquet int64;
    NumPy's integers too (a seed taken from an array or a DataFrame is one)."""
    if (isinstance(value, bool) or not isinstance(value, numbers.Integral)
            or not 0 <= value <= SEED_MAX):
        raise WargameError(f"{where} = {value!r} is not allowed; expected an integer in "
                           "[0, 2^63 - 1]")
    return int(value)


def refuse_repeated_names(assignments: Iterable[str], where: str = "--set") -> None:
    """One line if `name=value` assignments give one name twice (the last would win
    silently, and a reader of the command would not know which value ran)."""
    seen: dict[str, str] = {}
    for item in assignments:
        name = item.partition("=")[0].strip()
        if name in seen:
            raise WargameError(f"{where}: {name} is given twice ({seen[name]!r} and {item!r}); "
                               "give each input once")
        seen[name] = item


def refuse_repeated_levels(name: str, levels: list[Any], where: str) -> None:
    """One line if a grid gives a level twice (its runs would be counted twice, with the
    same seeds when they are paired, and every interval would be too narrow)."""
    seen = []
    for level in levels:
        if any(type(level) is type(other) and level == other for other in seen):
            raise WargameError(f"{where} {name}: the level {level!r} appears twice")
        seen.append(level)


def check_out_folder(path: str | Path, option: str = "--out", resume: bool = False) -> Path:
    """An output folder: a name, no file on its way, and new or empty (or, to resume, a
    folder that exists)."""
    from wargame.folders import check_out_dir

    if isinstance(path, str) and not path.strip():
        raise WargameError(f"{option}: expected a folder, got an empty name")
    folder = Path(path)
    check_out_dir(folder, option)
    if resume:
        if not folder.is_dir():
            raise WargameError(f"{option} {folder}: no such result folder to resume")
    elif folder.exists() and any(folder.iterdir()):
        raise WargameError(f"{option} {folder}: already exists and is not empty; choose "
                           "another")
    return folder


def check_run_count(count: int, limit: int, what: str, how: str = "--max-runs N") -> None:
    """One line if a design of `count` runs is above `limit` (`what` says how the count
    came about; `how` how to raise the limit)."""
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise WargameError(f"the run limit {limit!r} is not allowed; expected an integer >= 1")
    if count > limit:
        raise WargameError(f"{what} = {count:,} runs, above the limit of {limit:,}; shrink the "
                           f"design or raise the limit with {how}")


def progress(total: int | None, what: str, quiet: bool = False) -> Any:
    """A tqdm progress bar on stderr for a long job, shown only on a terminal (never in a
    pipe or a log, where it would be noise) and never under --quiet."""
    import sys

    from tqdm import tqdm

    return tqdm(total=total, unit=what, file=sys.stderr, disable=True if quiet else None,
                dynamic_ncols=True, leave=False)
