"""Which rows are a folder's own runs: the run ids, seeds and inputs its manifest's design gives.

A part copied in from another sweep (another base seed, the same run ids), a part of run ids
the design lacks, or one with a null key would otherwise be counted by the figures, and kept
by `--resume`, as this sweep's runs. And a file in runs/ that is not a part (`backup.parquet`)
is ignored by wargame but read by `pandas.read_parquet(DIR / "runs")`, the documented
reader. So every runs part is checked row by row against the design (`foreign_reason`) and
every dataset folder for files that are not parts (`strays`): `--resume` sets either aside
into damaged/ and runs their runs again; the readers refuse the folder in one line naming
the file and the repair.

Checking seeds costs about 20 microseconds a run (numpy's SeedSequence): 0.25 s for the
12,000 runs of the headline sweep.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from wargame.output_registry import SWEEP_KEYS
from wargame.sweep.design import run_seed
from wargame.sweep.folder import DATASETS

#: The columns that say which run a row is (run_id, point_id, replication, seed).
KEYS = tuple(key.name for key in SWEEP_KEYS)


@dataclass(frozen=True)
class Design:
    """What a folder's runs must be: ids below `total`, each with its point, replication,
    seed and the point's inputs (with replication r's posterior draw over them, if any)."""

    total: int
    replications: int
    base_seed: int
    paired: bool
    points: list[dict[str, Any]]
    draws: tuple[dict[str, Any], ...] = ()

    @classmethod
    def of(cls, manifest: dict[str, Any]) -> Design:
        """The design of a checked manifest (`wargame.schemas.check_manifest`)."""
        spec = manifest.get("spec") or {}
        return cls(total=len(manifest["points"]) * manifest["replications"],
                   replications=manifest["replications"], base_seed=manifest["base_seed"],
                   paired=bool(spec.get("paired_seeds", False)),
                   points=[p["parameters"] for p in manifest["points"]],
                   draws=tuple((spec.get("posterior") or {}).get("draws", ())))

    @cached_property
    def table(self) -> pd.DataFrame:
        """The design points' inputs, one row per point_id."""
        return pd.DataFrame(self.points)

    @cached_property
    def draw_table(self) -> pd.DataFrame:
        """The posterior draws' inputs, one row per replication (no columns without)."""
        return pd.DataFrame(list(self.draws))

    def inputs(self, points: np.ndarray, replications: np.ndarray) -> pd.DataFrame:
        """The inputs of each run (point, replication), one row per run."""
        expected = self.table.iloc[points].reset_index(drop=True)
        if self.draws:
            drawn = self.draw_table.iloc[replications].reset_index(drop=True)
            expected[drawn.columns] = drawn
        return expected

    def seeds(self, point_ids: np.ndarray, replications: np.ndarray) -> np.ndarray:
        """The seed of each (point, replication), as `wargame.sweep.execute` gives them."""
        if self.paired:
            by_replication = {r: run_seed(self.base_seed, 0, r) for r in np.unique(replications)}
            return np.array([by_replication[r] for r in replications], dtype=np.int64)
        return np.array([run_seed(self.base_seed, int(p), int(r))
                         for p, r in zip(point_ids, replications, strict=True)], dtype=np.int64)


def foreign_reason(runs: pd.DataFrame, design: Design) -> str | None:
    """Why the rows of a runs part are not all runs of `design` (one phrase), or None."""
    for key in KEYS:
        if key not in runs.columns:
            return f"no column {key}"
        if runs[key].isna().any():
            return f"a null {key}"
    if not len(runs):
        return None
    ids = runs["run_id"].to_numpy(dtype=np.int64)
    if ids.min() < 0 or ids.max() >= design.total:
        return f"run ids outside 0..{design.total - 1}: runs of another design"
    points, replications = np.divmod(ids, design.replications)
    if not (np.array_equal(runs["point_id"].to_numpy(dtype=np.int64), points)
            and np.array_equal(runs["replication"].to_numpy(dtype=np.int64), replications)):
        return "its point and replication numbers are not those of its run ids"
    wrong = np.flatnonzero(runs["seed"].to_numpy(dtype=np.int64)
                           != design.seeds(points, replications))
    if wrong.size:
        return (f"the seed of run {ids[wrong[0]]} is not this sweep's (another base seed, or "
                "runs of another sweep)")
    return _inputs_differ(runs, design, ids, points, replications)


def _inputs_differ(runs: pd.DataFrame, design: Design, ids: np.ndarray,
                   points: np.ndarray, replications: np.ndarray) -> str | None:
    """Why the input columns differ from the design's values, or None."""
    expected = design.inputs(points, replications)
    for name in expected.columns:
        if name not in runs.columns:
            continue
        have = runs[name].reset_index(drop=True)
        want = expected[name]
        same = (have.to_numpy(dtype=object) == want.to_numpy(dtype=object))
        if not same.all():
            row = int(np.flatnonzero(~same)[0])
            return (f"run {ids[row]} has {name} = {_plain(have.iloc[row])!r} where the design "
                    f"has {_plain(want.iloc[row])!r}")
    return None


def _plain(value: Any) -> Any:
    """A NumPy scalar as the Python value it holds (for a message)."""
    return value.item() if hasattr(value, "item") else value


def strays(folder: Path) -> list[Path]:
    """Entries of runs/, states/ and steps/ that are not parts but that pandas would read
    (everything but `part-*.parquet` files and names starting with '.' or '_')."""
    found = []
    for name in DATASETS:
        dataset = folder / name
        if not dataset.is_dir():
            continue
        for entry in sorted(dataset.iterdir()):
            if entry.name.startswith((".", "_")):
                continue
            if not (entry.name.startswith("part-") and entry.suffix == ".parquet"
                    and entry.is_file() and not entry.is_symlink()):
                found.append(entry)
    return found
