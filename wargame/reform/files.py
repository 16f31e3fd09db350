"""Result folders of the reform game, written all at once or not at all.

As `wargame run` does (wargame/single_run.py): files go into a hidden staging sibling that
is renamed into place, so a crash never leaves a folder that looks complete but is not.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from wargame.errors import WargameError

if TYPE_CHECKING:
    from wargame.figures.load import Results

#: What marks a folder as many reform runs (manifest.json "kind"), for `wargame plot`.
BATCH_KIND = "reform-batch"


def check_out_dir(out_dir: Path) -> None:
    """Refuse a folder that exists and is not empty: results are never overwritten."""
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        raise WargameError(f"--out {out_dir}: already exists and is not empty; choose another")


def json_text(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def write_folder(out_dir: Path, writers: dict[str, Callable[[Path], None]]) -> None:
    """Call each writer with its file's path inside a staging folder, then rename it into place."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    umask = os.umask(0)
    os.umask(umask)
    try:
        staging.chmod(0o777 & ~umask)  # mkdtemp's 0700 would hide results from colleagues
        for name, write in writers.items():
            write(staging / name)
        if out_dir.exists():  # an empty folder the user named: replace it
            out_dir.rmdir()
        os.replace(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def write_single(out_dir: Path, summary: dict[str, Any], rounds: pd.DataFrame) -> None:
    """summary.json and rounds.parquet of one negotiation."""
    write_folder(out_dir, {
        "summary.json": lambda path: path.write_text(json_text(summary), encoding="utf-8"),
        "rounds.parquet": lambda path: rounds.to_parquet(path, index=False),
    })


def write_batch(out_dir: Path, manifest: dict[str, Any], runs: pd.DataFrame) -> None:
    """manifest.json and runs.parquet (one row per run) of many negotiations."""
    write_folder(out_dir, {
        "manifest.json": lambda path: path.write_text(json_text(manifest), encoding="utf-8"),
        "runs.parquet": lambda path: runs.to_parquet(path, index=False),
    })


#: A sweep's reform_* run columns under the names a batch of negotiations uses.
SWEEP_COLUMNS = {"reform_adopted": "adopted", "reform_round": "round",
                 "reform_blocking": "blocking", "reform_side_payments_bn": "side_payments_spent_bn"}


def sweep_negotiations(path: Path) -> tuple[dict[str, Any], pd.DataFrame]:
    """(manifest, runs) of the negotiations in the two-stage sweep folder `path`."""
    from wargame.figures.load import load_results

    return negotiations(load_results(path))


def negotiations(results: Results) -> tuple[dict[str, Any], pd.DataFrame]:
    """(manifest, runs) of the negotiations in a two-stage sweep (`wargame sweep`), as a batch.

    One row per distinct negotiation: the runs with governance "reform", once per seed and
    set of reform inputs (a negotiation does not depend on the crisis inputs, so a sweep
    that also varies those repeats it; counting the repeats would overstate the evidence).
    "swept" keeps the reform inputs the sweep varied.
    """
    from wargame.figures.load import Unsupported
    from wargame.reform.inputs import REFORM_INPUTS

    runs = results.runs[results.runs["governance"] == "reform"]
    if runs.empty:
        raise Unsupported("no two-stage run (governance = reform) in this sweep")
    runs = runs.drop_duplicates(["seed", *REFORM_INPUTS]).rename(columns=SWEEP_COLUMNS)
    runs = runs.astype({"adopted": bool}).reset_index(drop=True)
    manifest = {"kind": BATCH_KIND, "sweep": results.name,
                "swept": [s for s in results.swept if s in REFORM_INPUTS],
                "runs_per_point": results.manifest.get("replications"),
                "base_seed": results.manifest.get("base_seed")}
    return manifest, runs


def load_batch(path: Path) -> tuple[dict[str, Any], pd.DataFrame]:
    """(manifest, runs) of a folder written by `wargame reform --runs`, or of the negotiations
    of a two-stage sweep (`sweep_negotiations`); one line if neither."""
    path = Path(path)
    manifest_file = path / "manifest.json"
    try:
        manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise WargameError(f"{path}: no manifest.json; not a result folder") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise WargameError(f"{manifest_file}: not valid JSON ({exc})") from None
    if isinstance(manifest, dict) and "sweep" in manifest and "kind" not in manifest:
        return sweep_negotiations(path)
    if not isinstance(manifest, dict) or manifest.get("kind") != BATCH_KIND:
        raise WargameError(f"{path}: not a folder of reform runs (`wargame reform --runs N`) "
                           "or a sweep")
    try:
        runs = pd.read_parquet(path / "runs.parquet")
    except (FileNotFoundError, OSError, ValueError) as exc:
        raise WargameError(f"{path}/runs.parquet: cannot be read ({exc})") from None
    missing = [c for c in ("adopted", "blocking", "side_payments_spent_bn",
                           *manifest.get("swept", [])) if c not in runs.columns]
    if missing:
        raise WargameError(f"{path}/runs.parquet: missing column(s) {', '.join(missing)}")
    return manifest, runs


def is_batch_folder(path: Path) -> bool:
    """True if `path` holds a manifest of reform runs (cheap: reads only the manifest)."""
    try:
        manifest = json.loads((Path(path) / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict) and manifest.get("kind") == BATCH_KIND
