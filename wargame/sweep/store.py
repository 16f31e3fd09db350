"""The result folder of a sweep: manifest.json and Parquet datasets that grow part by part.

Layout (docs/SWEEPS.md, "Result folders"): runs/, states/ and steps/ hold part files
`part-<batch>.parquet`, one batch of finished runs each. A part is written under a hidden
temporary name and renamed, so readers and a killed sweep only ever see complete parts.
The runs part of a batch is renamed last: it is the commit record. A states or steps
part whose runs part is missing belongs to a batch that was cut short and is removed on
resume, so every run is in every dataset exactly once.
"""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from wargame.errors import WargameError
from wargame.inputs import INPUTS
from wargame.model import STEP_SERIES

MANIFEST = "manifest.json"
DATASETS = ("runs", "states", "steps")

_ARROW_TYPES = {float: pa.float64(), int: pa.int64(), bool: pa.bool_(), str: pa.string()}

#: Per-run outputs (wargame.outputs.run_outputs) and their Arrow types.
OUTPUT_TYPES: dict[str, pa.DataType] = {
    "outcome": pa.string(),
    "days": pa.int64(),
    "day_first_assistance": pa.float64(),
    "day_first_forces": pa.float64(),
    "day_defeat": pa.float64(),
    "coalition_size": pa.int64(),
    "states_sending_forces": pa.int64(),
    "peak_pledged_troops": pa.int64(),
    "peak_deployed_troops": pa.int64(),
    "us_share": pa.float64(),
    "eu_fund_used_bn": pa.float64(),
    "total_cost_bn": pa.float64(),
    "burden_gini": pa.float64(),
    "max_escalation": pa.string(),
    "territory_lost": pa.float64(),
    "adversary_losses": pa.int64(),
    "defender_losses": pa.int64(),
    "troops_sustained_day_60": pa.int64(),
}

RUNS_SCHEMA = pa.schema(
    [("run_id", pa.int64()), ("point_id", pa.int64()), ("replication", pa.int64()),
     ("seed", pa.int64())]
    + [(name, _ARROW_TYPES[p.kind]) for name, p in INPUTS.items()]
    + list(OUTPUT_TYPES.items())
    + [("error", pa.string())]
)

STATES_SCHEMA = pa.schema(
    [("run_id", pa.int64()), ("iso3", pa.string()), ("commitment", pa.string()),
     ("pledged_troops", pa.int64()), ("deployed_troops", pa.int64()), ("cost_bn", pa.float64()),
     ("burden_bn", pa.float64()), ("gdp_eur_bn", pa.float64())]
)

_INT_SERIES = {"day", "pledged_troops", "deployed_troops", "n_political", "n_financial",
               "n_forces", "adversary_losses"}
STEPS_SCHEMA = pa.schema(
    [("run_id", pa.int64())]
    + [(name, pa.string() if name == "escalation" else
        pa.int64() if name in _INT_SERIES else pa.float64()) for name in STEP_SERIES]
)

SCHEMAS = {"runs": RUNS_SCHEMA, "states": STATES_SCHEMA, "steps": STEPS_SCHEMA}


def write_json_atomic(path: Path, data: dict[str, Any]) -> None:
    """Write JSON under a temporary name and rename: the file is always whole."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(data, indent=2, allow_nan=False) + "\n")
    os.replace(tmp, path)


def read_manifest(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        raise WargameError(f"{folder}: not a sweep result folder (no {MANIFEST})") from None
    except json.JSONDecodeError as exc:
        raise WargameError(f"{path}: unreadable manifest ({exc})") from None


class ResultStore:
    """Appends batches of results to a sweep's folder; never holds more than one batch."""

    def __init__(self, folder: Path, keep_series: bool) -> None:
        self.folder = folder
        self.datasets = DATASETS if keep_series else DATASETS[:2]
        for name in self.datasets:
            (folder / name).mkdir(parents=True, exist_ok=True)

    def committed(self) -> tuple[set[int], int]:
        """Run ids already written and how many of them failed.

        First removes what a cut-short batch left behind: temporary files and states or
        steps parts without their runs part.
        """
        committed = {p.stem for p in (self.folder / "runs").glob("part-*.parquet")}
        for name in self.datasets:
            for tmp in (self.folder / name).glob(".part-*"):
                tmp.unlink()
            for part in (self.folder / name).glob("part-*.parquet"):
                if part.stem not in committed:
                    part.unlink()
        done: set[int] = set()
        failed = 0
        for part in sorted((self.folder / "runs").glob("part-*.parquet")):
            table = pq.read_table(part, columns=["run_id", "error"])
            ids = table.column("run_id").to_pylist()
            if done.intersection(ids):
                raise WargameError(f"{part}: repeats runs of another part; folder is damaged")
            done.update(ids)
            failed += len(ids) - table.column("error").null_count
        return done, failed

    def write_batch(self, tables: dict[str, list[pa.Table]]) -> None:
        """Write one batch: states and steps parts first, the runs part (commit) last."""
        stem = f"part-{uuid.uuid4().hex[:16]}"
        for name in (*self.datasets[1:], "runs"):
            table = pa.concat_tables(tables[name]) if tables[name] else SCHEMAS[name].empty_table()
            final = self.folder / name / f"{stem}.parquet"
            tmp = final.with_name(f".{final.name}.tmp")
            pq.write_table(table, tmp)
            with tmp.open("rb+") as handle:
                os.fsync(handle.fileno())
            os.replace(tmp, final)
