"""Parameter sets from a table: a calibration's posterior, or any CSV or Parquet file with
one row per set, one column per model input and an optional `weight` column.

Two features read them: `wargame validate` (V11 reruns V1-V9 once per set) and a sweep
with `posterior` (replication r of every design point runs with set r), so that an answer
is given over the calibration's posterior, not only at its best point (docs/CALIBRATION.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from wargame.errors import WargameError

WEIGHT = "weight"
#: A calibration's bookkeeping columns (`posterior.parquet`), which are not inputs.
BOOKKEEPING = ("distance", "generation")


def read_draws(path: Path, n: int | None, seed: int = 1, *, where: str | None = None
               ) -> list[tuple[dict[str, Any], float]]:
    """Parameter sets and their weights from a CSV or Parquet file, checked like --set.

    With `n`, `n` sets drawn by weight with replacement (the same file, n and seed always
    give the same sets), each then weighing the same; without `n`, every row with its
    weight. `where` names the file's origin in an error (default `--posterior PATH`).
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
    frame = frame.drop(columns=[c for c in BOOKKEEPING if c in frame])
    unknown = [c for c in frame.columns if c not in INPUTS and c != WEIGHT]
    if unknown:
        raise WargameError(f"{where}: column {unknown[0]!r} is not an input "
                           f"(`wargame inputs`) nor {WEIGHT!r}")
    if frame.empty:
        raise WargameError(f"{where}: no draws")
    weights = (frame.pop(WEIGHT) if WEIGHT in frame else pd.Series(1.0, frame.index)).astype(float)
    if not (weights >= 0).all() or not weights.sum() > 0:
        raise WargameError(f"{where}: weights must be >= 0, not all 0")
    for name in frame.columns:  # a CSV column with one bad cell is read as text
        if INPUTS[name].kind in (int, float) and not pd.api.types.is_numeric_dtype(frame[name]):
            frame[name] = frame[name].map(_number)
    rows = [check_inputs(row, f"{where} row {number}")  # numbered as in the file
            for number, row in enumerate(frame.to_dict("records"), 1)]
    if n is None:
        return [(row, float(w)) for row, w in zip(rows, weights, strict=True)]
    chosen = np.random.default_rng(seed).choice(len(rows), size=n,
                                                p=(weights / weights.sum()).to_numpy())
    return [(rows[i], 1.0) for i in chosen]


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
