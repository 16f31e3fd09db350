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
from wargame.output_registry import outputs

MANIFEST = "manifest.json"
DATASETS = ("runs", "states", "steps")

#: Arrow type of each input kind and output dtype (wargame.output_registry.DTYPES).
_ARROW_TYPES = {float: pa.float64(), int: pa.int64(), bool: pa.bool_(), str: pa.string(),
                "float": pa.float64(), "int": pa.int64(), "str": pa.string()}


def _columns(level: str) -> list[tuple[str, pa.DataType]]:
    """The output registry's columns of one level with their Arrow types."""
    return [(o.name, _ARROW_TYPES[o.dtype]) for o in outputs(level)]


#: Per-run outputs (wargame.outputs.run_outputs) and their Arrow types.
OUTPUT_TYPES: dict[str, pa.DataType] = dict(_columns("run"))

RUNS_SCHEMA = pa.schema(
    [("run_id", pa.int64()), ("point_id", pa.int64()), ("replication", pa.int64()),
     ("seed", pa.int64())]
    + [(name, _ARROW_TYPES[p.kind]) for name, p in INPUTS.items()]
    + list(OUTPUT_TYPES.items())
    + [("error", pa.string())]
)

#: Per run and state at the end: the columns of summary.json's "states".
STATES_SCHEMA = pa.schema([("run_id", pa.int64()), *_columns("state")])

#: Per run and day: the columns of `wargame run`'s steps.parquet.
STEPS_SCHEMA = pa.schema([("run_id", pa.int64()), *_columns("day")])

SCHEMAS = {"runs": RUNS_SCHEMA, "states": STATES_SCHEMA, "steps": STEPS_SCHEMA}


def write_json_atomic(path: Path, data: dict[str, Any]) -> None:
    """Write JSON under a temporary name and rename: the file is always whole."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(data, indent=2, allow_nan=False) + "\n")
    os.replace(tmp, path)


def read_manifest(folder: Path) -> dict[str, Any]:
    """The manifest of a sweep result folder: the one reader of manifest.json.

    The runner, the figures and `wargame viz --sweep` all read it here, so a missing
    folder, a missing file or a damaged one is the same one line everywhere.
    """
    path = folder / MANIFEST
    if not folder.is_dir():
        raise WargameError(f"{folder}: no such result folder")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise WargameError(f"{folder}: not a sweep result folder (no {MANIFEST})") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise WargameError(f"{path}: unreadable manifest ({exc})") from None
    if not isinstance(manifest, dict):
        raise WargameError(f"{path}: unreadable manifest (expected a JSON object)")
    return manifest


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
