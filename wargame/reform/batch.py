"""Many negotiations: a grid of packages times replications, one row per run.

Every design point uses the same seeds (base_seed, base_seed + 1, ...), so the points differ
only in their inputs: common random numbers make paired comparisons between packages sharp
(a lever's effect is not drowned by seed-to-seed noise). A negotiation takes milliseconds,
so runs go serially in the calling process.
"""

from __future__ import annotations

import itertools
from typing import Any

import pandas as pd

from wargame.reform.model import ReformModel
from wargame.reform.result import outputs


def design_points(grid: dict[str, list[Any]]) -> list[dict[str, Any]]:
    """The full factorial of the grid, in the order the names and values are given."""
    names = list(grid)
    return [dict(zip(names, values, strict=True))
            for values in itertools.product(*(grid[n] for n in names))]


def run_one(inputs: dict[str, Any], seed: int) -> dict[str, Any]:
    """One negotiation as a flat row: outcome, holdouts, money spent and each choice."""
    out = outputs(ReformModel(rng=seed, record_rounds=False, **inputs).run())
    row = {
        "adopted": out["adopted"],
        "round": out["round"],
        "blocking": " ".join(out["blocking"]),
        "n_holdouts": len(out["blocking"]),
        "side_payments_spent_bn": out["side_payments_spent_bn"],
    }
    row |= {f"choice_{iso3}": c["choice"] for iso3, c in out["choices"].items()}
    return row


def run_batch(grid: dict[str, list[Any]], runs: int, base_seed: int,
              fixed: dict[str, Any] | None = None) -> pd.DataFrame:
    """One row per run: run_id, point_id, replication, seed, the grid's inputs, outputs."""
    rows = []
    for point_id, point in enumerate(design_points(grid)):
        for replication in range(runs):
            seed = base_seed + replication
            row = {"run_id": len(rows), "point_id": point_id, "replication": replication,
                   "seed": seed, **point}
            rows.append(row | run_one({**(fixed or {}), **point}, seed))
    frame = pd.DataFrame(rows)
    frame["round"] = frame["round"].astype("Int64")
    return frame
