"""The posterior: the accepted parameter sets of the last ABC generation, with weights.

Kept as `posterior.parquet` in the calibration's folder (one row per accepted set: one
column per calibrated input in the model's units, `weight` summing to 1, `distance`,
`generation`). Headline answers and validation V11 are given over its draws
(`posterior_draws`), not only at one point; `calibrated_point` reads the one point a
single run or a check "at the calibrated point" uses.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from wargame.calibration.targets import CalibrationSpec
from wargame.errors import WargameError
from wargame.parameter_sets import DISTANCE, NOT_PARAMETERS, WEIGHT, read_draws
from wargame.tables import DATA_DIR

POSTERIOR_FILE = "posterior.parquet"
#: The shipped calibration's posterior (docs/CALIBRATION.md): the inputs' calibrated
#: defaults are its best point, and `wargame validate` (V11) draws from it.
SHIPPED_POSTERIOR = DATA_DIR / POSTERIOR_FILE


def write_posterior(frame: pd.DataFrame, folder: Path, spec: CalibrationSpec) -> Path:
    """Write the population to folder/posterior.parquet (the calibration writes into a
    folder it renames when complete, so a half-written file is never taken for a result)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(frame, preserve_index=False)
    table = table.replace_schema_metadata({
        **(table.schema.metadata or {}),
        b"wargame.calibration": json.dumps({"targets": str(spec.path),
                                            "targets_sha256": spec.sha256}).encode(),
    })
    path = folder / POSTERIOR_FILE
    pq.write_table(table, path)
    return path


def read_posterior(path: str | Path) -> pd.DataFrame:
    """The posterior of a calibration folder (or its posterior.parquet), checked."""
    path = Path(path)
    if path.is_dir():
        path = path / POSTERIOR_FILE
    try:
        frame = pd.read_parquet(path)
    except FileNotFoundError:
        raise WargameError(f"{path}: no posterior here; run `wargame calibrate` first") from None
    except (OSError, ValueError) as exc:
        raise WargameError(f"{path}: not a posterior file ({exc})") from None
    weights = frame.get(WEIGHT)
    if weights is None or frame.empty or not np.isclose(weights.sum(), 1.0) or (
            weights < 0).any() or not parameter_names(frame):
        raise WargameError(f"{path}: not a posterior (expected parameter columns and "
                           "non-negative weights summing to 1)")
    return frame


def parameter_names(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if c not in NOT_PARAMETERS]


def _row(frame: pd.DataFrame, index: int, names: list[str]) -> dict[str, Any]:
    return {name: frame[name].iloc[index].item() for name in names}


def posterior_draws(path: str | Path, n: int, seed: int) -> list[dict[str, Any]]:
    """`n` parameter sets drawn from the posterior by weight, with replacement.

    Each is {input name: value} in the model's units and types, ready to put over a
    scenario's inputs; the same (path, n, seed) always gives the same draws.
    """
    if n < 1:
        raise WargameError(f"posterior draws: n = {n}; expected at least 1")
    path = Path(path)
    read_posterior(path)  # a calibration's posterior, not any table of sets
    if path.is_dir():
        path = path / POSTERIOR_FILE
    return [draw for draw, _ in read_draws(path, n, seed, where=str(path))]


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    """The q-quantile of a weighted sample (the inverse of its weighted CDF)."""
    order = np.argsort(values)
    cumulative = np.cumsum(weights[order]) / weights.sum()
    return float(values[order][min(np.searchsorted(cumulative, q), len(values) - 1)])


def densest_sets(frame: pd.DataFrame, spec: CalibrationSpec, k: int) -> list[dict[str, Any]]:
    """Of the accepted sets nearest the targets, the `k` where the posterior is densest.

    Density is a weighted Gaussian kernel estimate in ABC's space (log10 for log-uniform
    priors), each parameter scaled to its prior's width, with Scott's bandwidth, left out
    at the set itself (leave-one-out): it favours sets where the other accepted ones crowd
    over lucky edge cases. Counting a set's own kernel would rank the heaviest sets first
    (in six dimensions their own weight dominates the estimate), and importance weights are
    heaviest where the proposals were thin: at the posterior's fringes (docs/CALIBRATION.md
    measures it). These are the candidates for the best point
    (`wargame.calibration.fit.best_point`).
    """
    names = [p.name for p in spec.parameters]
    nearest = np.flatnonzero(frame[DISTANCE].to_numpy() == frame[DISTANCE].min())
    points = np.column_stack([
        [(spec.parameter(n).to_abc(v) - spec.parameter(n).abc_bounds[0])
         / (spec.parameter(n).abc_bounds[1] - spec.parameter(n).abc_bounds[0])
         for v in frame[n]] for n in names])
    weights = frame[WEIGHT].to_numpy(dtype=float)
    spread = (np.sqrt(np.atleast_2d(np.cov(points, rowvar=False, aweights=weights)).diagonal())
              if len(frame) > 1 else np.ones(len(names)))
    bandwidth = np.maximum(spread, 1e-3) * len(frame) ** (-1 / (len(names) + 4))
    gaps = (points[nearest][:, None, :] - points[None, :, :]) / bandwidth
    density = (np.exp(-0.5 * (gaps ** 2).sum(axis=2)) * weights).sum(axis=1)
    density -= weights[nearest]  # each set's own kernel, exp(0) x its weight
    ranked = nearest[np.argsort(-density, kind="stable")][:k]
    return [_row(frame, int(i), names) for i in ranked]


def calibrated_point(path: str | Path) -> dict[str, Any]:
    """The best point of a calibration folder (or of the folder of its posterior.parquet),
    as recorded in its calibration.json: {input name: value}."""
    folder = Path(path)
    if folder.suffix == ".parquet":
        folder = folder.parent
    record = folder / "calibration.json"
    try:
        return dict(json.loads(record.read_text(encoding="utf-8"))["best_point"])
    except FileNotFoundError:
        raise WargameError(f"{record}: not found; run `wargame calibrate` first") from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise WargameError(f"{record}: not a calibration record ({exc})") from None
