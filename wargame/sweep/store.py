"""The result folder of a sweep: manifest.json and Parquet datasets that grow part by part.

Layout (docs/SWEEPS.md, "Result folders"): runs/, states/ and steps/ hold part files
`part-<batch>.parquet`, one batch of finished runs each. A part is written under a hidden
temporary name and renamed, so readers and a killed sweep only ever see complete parts.
The runs part of a batch is renamed last: it is the commit record. On resume every part
is verified (`ResultStore.committed`): a batch that is cut short, damaged, foreign or
repeated is moved into damaged/ and run again, so every run is in every dataset exactly
once and nothing is deleted but hidden temporary files.
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from wargame.files import NOFOLLOW, real_folder, write_file, write_text
from wargame.sweep.folder import (  # noqa: F401  (read_manifest: re-exported)
    DAMAGED,
    DATASETS,
    MANIFEST,
    PartProblem,
    part_files,
    read_manifest,
    read_part,
    refuse_links,
)
from wargame.sweep.own_runs import Design, foreign_reason, strays
from wargame.sweep.schemas import schemas


def write_json_atomic(path: Path, data: dict[str, Any]) -> None:
    """Write JSON whole or not at all, never through a link (`wargame.files.write_file`)."""
    write_text(path, json.dumps(data, indent=2, allow_nan=False) + "\n", durable=True)


@dataclass
class Verified:
    """What the folder holds after verification: run ids written whole, failed among them,
    and the batches moved aside (one line each)."""

    done: set[int] = field(default_factory=set)
    failed: int = 0
    set_aside: list[str] = field(default_factory=list)


class ResultStore:
    """Appends batches of results to a sweep's folder; never holds more than one batch."""

    def __init__(self, folder: Path, keep_series: bool, model: str = "crisis") -> None:
        self.folder = folder
        self.schemas = schemas(model)  # of the folder's model kind (wargame.model_kinds)
        self.datasets = DATASETS if keep_series else DATASETS[:2]
        refuse_links(folder)
        for name in self.datasets:
            real_folder(folder / name)

    def check_writable(self) -> None:
        """Raise OSError now if a dataset folder cannot take a part (read-only, full), rather
        than after the first batch of runs: that is bad input, not a sweep to resume."""
        for name in self.datasets:
            probe = self.folder / name / f".part-probe-{uuid.uuid4().hex[:8]}"
            os.close(os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL | NOFOLLOW, 0o600))
            probe.unlink()

    def committed(self, design: Design) -> Verified:
        """Check every part of the folder; return the run ids that are written whole.

        A batch (the parts of one stem in runs/, states/, steps/) counts only if its runs
        part reads, is ours, holds only runs of `design` (their ids, seeds and inputs:
        `own_runs.foreign_reason`) and repeats no run already counted, and its states part
        (and steps part when series are kept) reads and holds exactly the successful runs of
        the runs part. Anything else, and any file in runs/, states/ or steps/ that is not a
        part (which pandas would read), is moved aside into DIR/damaged/ with a note, never
        deleted, and its runs are run again. Hidden `.part-*` files (writes cut short) are
        removed: they were never part of the folder.
        """
        for name in DATASETS:
            for tmp in (self.folder / name).glob(".part-*"):
                tmp.unlink()
        verified = Verified()
        found = strays(self.folder)
        if found:
            self._set_aside_strays(found, verified)
        stems = {p.stem for name in DATASETS for p in part_files(self.folder, name)}
        runs_stems = {p.stem for p in part_files(self.folder, "runs")}
        for stem in sorted(stems - runs_stems):
            self._set_aside(stem, "no runs part: a batch cut short before its commit, or "
                            "its runs part was removed", verified)
        for stem in sorted(runs_stems):
            problem, ids, failed = self._check_batch(stem, verified.done, design)
            if problem:
                self._set_aside(stem, problem, verified)
                continue
            verified.done.update(ids)
            verified.failed += failed
        return verified

    def _check_batch(self, stem: str, done: set[int],
                     design: Design) -> tuple[str | None, list[int], int]:
        """(problem or None, run ids, failed count) of one batch."""
        path = self.folder / "runs" / f"{stem}.parquet"
        try:
            runs = read_part(path, "runs")
        except PartProblem as exc:
            return f"{exc.kind}: {exc.detail}", [], 0
        if not runs.schema.equals(self.schemas["runs"], check_metadata=False):
            return "foreign: its columns are not those this version writes", [], 0
        reason = foreign_reason(runs.to_pandas(), design)
        if reason:
            return f"foreign: {reason}", [], 0
        ids = runs.column("run_id").to_pylist()
        if len(set(ids)) != len(ids) or done.intersection(ids):
            return "repeats run ids of another part (two writers, or a copied part)", [], 0
        ok = {i for i, e in zip(ids, runs.column("error").to_pylist(), strict=True) if e is None}
        for name in self.datasets[1:]:
            part = self.folder / name / f"{stem}.parquet"
            if not part.exists():
                return f"its {name} part is missing", [], 0
            try:
                table = read_part(part, name)
            except PartProblem as exc:
                return f"its {name} part is {exc.kind}: {exc.detail}", [], 0
            if set(table.column("run_id").to_pylist()) != ok:
                return f"its {name} part does not hold the same runs", [], 0
        return None, ids, len(ids) - len(ok)

    def _set_aside_strays(self, found: list[Path], verified: Verified) -> None:
        """Move files that are not parts into a new DIR/damaged/strays[-N]/<dataset>/."""
        target = _new_folder(real_folder(self.folder / DAMAGED), "strays")
        for path in found:
            real_folder(target / path.parent.name)
            os.replace(path, target / path.parent.name / path.name)
        names = ", ".join(f"{p.parent.name}/{p.name}" for p in found)
        write_text(target / "NOTE.txt",
                   f"moved aside by wargame sweep --resume: {names}\nwhy: not parts of this "
                   "sweep, but pandas.read_parquet(DIR / dataset) would read them with its "
                   "parts; kept for inspection and can be deleted\n")
        verified.set_aside.append(f"{names} (not parts of this sweep)")

    def _set_aside(self, stem: str, why: str, verified: Verified) -> None:
        """Move every part of batch `stem` into a new DIR/damaged/<stem>[-N]/ with a note
        saying why (an earlier copy set aside under the same name is never replaced)."""
        target = _new_folder(real_folder(self.folder / DAMAGED), stem)
        moved = []
        for name in DATASETS:
            part = self.folder / name / f"{stem}.parquet"
            if part.exists():
                os.replace(part, target / f"{name}.parquet")
                moved.append(f"{name}/{part.name}")
        write_text(target / "NOTE.txt",
                   f"moved aside by wargame sweep --resume: {', '.join(moved)}\n"
                   f"why: {why}\nits runs were run again; this copy is kept for "
                   "inspection and can be deleted\n")
        verified.set_aside.append(f"{moved[0] if moved else stem} ({why})")

    def write_batch(self, tables: dict[str, list[pa.Table]]) -> None:
        """Write one batch: states and steps parts first, the runs part (commit) last."""
        stem = f"part-{uuid.uuid4().hex[:16]}"
        for name in (*self.datasets[1:], "runs"):
            table = (pa.concat_tables(tables[name]) if tables[name]
                     else self.schemas[name].empty_table())
            write_file(self.folder / name / f"{stem}.parquet",
                       lambda handle, table=table: pq.write_table(table, handle), durable=True)


def _new_folder(parent: Path, name: str) -> Path:
    """A folder `name` in `parent` that did not exist before (`name-2`, ... if taken)."""
    for suffix in range(1, 10_000):
        path = parent / (name if suffix == 1 else f"{name}-{suffix}")
        try:
            path.mkdir()
        except FileExistsError:
            continue
        return path
    raise OSError(f"{parent}: no free name for {name}")
