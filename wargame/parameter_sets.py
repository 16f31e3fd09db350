"""Parameter sets from a table: a calibration's posterior, or any CSV or Parquet file with
one row per set, one column per uncertain input and an optional `weight` column.

Two features read them: `wargame validate` (V11 reruns V1-V9 once per set) and a sweep
with `posterior` (replication r of every design point runs with set r), so that an answer
is given over the calibration's posterior, not only at its best point (docs/CALIBRATION.md).
"""

from __future__ import annotations

import numbers
from pathlib import Path
from typing import Any

from wargame.errors import WargameError

#: The columns of a calibration's posterior besides one per calibrated input (written by
#: `wargame.calibration.posterior`): only `weight` is read here.
WEIGHT, DISTANCE, GENERATION = "weight", "distance", "generation"
NOT_PARAMETERS = (WEIGHT, DISTANCE, GENERATION)


def read_draws(path: Path, n: int | None, seed: int = 1, *, where: str | None = None
               ) -> list[tuple[dict[str, Any], float]]:
    """Parameter sets and their weights from a CSV or Parquet file, checked like --set.

    Every column but `weight` (and a calibration's bookkeeping columns) must be an
    uncertainty of the input registry: a posterior draws what is uncertain, never a
    setting or lever of the crisis (its target, window or governance), which the sweep or
    scenario sets and would otherwise be changed behind its back. With `n`, `n` sets
    drawn by weight with replacement (the same file, n and seed always give the same
    sets), each then weighing the same; without `n`, every row with its weight. `where`
    names the file's origin in an error (default `--posterior PATH`).
    """
    import numpy as np
    import pandas as pd

    from wargame.inputs import INPUTS
    from wargame.scenario import check_inputs

    where = where or f"--posterior {path}"
    try:
        frame = pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_csv(path)
    except FileNotFoundError:
        raise WargameError(f"{where}: file not found") from None
    except (OSError, ValueError) as exc:
        raise WargameError(f"{where}: cannot read a table of draws ({exc})") from None
    frame = frame.drop(columns=[c for c in NOT_PARAMETERS if c != WEIGHT and c in frame])
    for column in frame.columns:
        if column == WEIGHT:
            continue
        if column not in INPUTS:
            raise WargameError(f"{where}: column {column!r} is not an input "
                               f"(`wargame inputs`) nor {WEIGHT!r}")
        if INPUTS[column].role != "uncertainty":
            raise WargameError(f"{where}: column {column!r} is a {INPUTS[column].role}, not an "
                               "uncertainty: a posterior draws only uncertainties (`wargame "
                               "inputs`); settings and levers are the scenario's or the "
                               "sweep's")
    if frame.empty or len(frame.columns) == (WEIGHT in frame):
        raise WargameError(f"{where}: no draws (expected rows and at least one input column)")
    weights = _weights(frame.pop(WEIGHT) if WEIGHT in frame else pd.Series(1.0, frame.index),
                       where)
    for name in frame.columns:  # a CSV column with one bad cell is read as text
        if INPUTS[name].kind in (int, float) and not pd.api.types.is_numeric_dtype(frame[name]):
            frame[name] = frame[name].map(_number)
    rows = [check_inputs(row, f"{where} row {number}")  # numbered as in the file
            for number, row in enumerate(frame.to_dict("records"), 1)]
    if n is None:
        return [(row, float(w)) for row, w in zip(rows, weights, strict=True)]
    scaled = weights / weights.max()  # huge weights would overflow their sum
    chosen = np.random.default_rng(seed).choice(len(rows), size=n, p=scaled / scaled.sum())
    return [(rows[i], 1.0) for i in chosen]


def _weights(column: Any, where: str) -> Any:
    """The weights as finite non-negative numbers, not all 0, or one line naming the
    problem (a cell that is not a number, a flag included, is one)."""
    import numpy as np

    weights = np.array([_weight(cell) for cell in column], dtype=float)
    bad = np.flatnonzero(~np.isfinite(weights) | (weights < 0))
    if bad.size:
        cell = column.iloc[bad[0]]
        shown = (f"{float(cell):g}" if isinstance(cell, numbers.Real) and not _flag(cell)
                 else repr(cell))
        raise WargameError(f"{where}: row {bad[0] + 1}: weight {shown} is not a finite "
                           "number >= 0")
    if not weights.max() > 0:
        raise WargameError(f"{where}: weights must be >= 0, not all 0")
    return weights


def _flag(cell: Any) -> bool:
    return isinstance(cell, bool) or type(cell).__name__ == "bool_"


def _weight(cell: Any) -> float:
    """One weight cell as a float, NaN if it is no number (text, bytes, a list, a flag)."""
    if _flag(cell):
        return float("nan")
    if isinstance(cell, numbers.Real):
        return float(cell)
    if isinstance(cell, str):
        try:
            return float(cell)
        except ValueError:
            return float("nan")
    return float("nan")


def _number(cell: Any) -> Any:
    """A CSV cell that spells a number as that number (an int where it is whole text of
    one), else the cell as it is, for the input check to name."""
    if not isinstance(cell, str):
        return cell
    for kind in (int, float):
        try:
            return kind(cell)
        except ValueError:
            continue
    return cell
