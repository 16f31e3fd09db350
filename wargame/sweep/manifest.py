"""The manifest of a sweep: what was run, with which code, and how far it got.

It is written when the sweep starts and rewritten (atomically) after every batch, so it
always describes the Parquet parts next to it. Its "spec" and "points" are what
`--resume` compares; the keys are listed in docs/SWEEPS.md, "Result folders".
"""

from __future__ import annotations

import hashlib
import json
import platform
import subprocess
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from wargame import __version__
from wargame.model_kinds import model_kind
from wargame.sweep.design import salib_problem
from wargame.sweep.spec import SweepSpec

PACKAGES = ("mesa", "numpy", "pandas", "pyarrow", "scipy", "SALib", "tqdm", "dask", "distributed")


def package_versions() -> dict[str, str | None]:
    versions: dict[str, str | None] = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = None
    return versions


def git_commit() -> str | None:
    """The commit of the checkout the package runs from (with "+dirty" if it has changes);
    None for an installed package, even one installed in a virtual environment inside some
    other git repository (whose commit would be cited as the code's)."""
    root = Path(__file__).resolve().parents[2]
    try:
        top = subprocess.run(["git", "-C", str(root), "rev-parse", "--show-toplevel"],
                             capture_output=True, text=True, timeout=5, check=True)
        if Path(top.stdout.strip()).resolve() != root:
            return None
        commit = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"],
                                capture_output=True, text=True, timeout=5, check=True)
        dirty = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--", "wargame"],
                               capture_output=True, text=True, timeout=5, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    return commit.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")


def spec_sha256(spec: dict[str, Any], points: list[dict[str, Any]]) -> str:
    """The SHA-256 of a sweep's resolved spec and design points, as canonical JSON.

    Two folders with the same hash ran the same design with the same seeds: the hash is
    what a report cites so that a reader can tell which sweep a figure came from.
    """
    canonical = json.dumps({"spec": spec, "points": points}, sort_keys=True,
                           separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def citation(manifest: dict[str, Any], runs: int | None = None) -> str:
    """One line that identifies a result folder in a report: tool, commit, spec hash, runs,
    date. A folder holding fewer runs than its design (`runs`, as counted by a reader; else
    the manifest's completed_runs) says "incomplete (35 of 40 runs)": a citation must never
    claim runs a folder does not hold."""
    commit = manifest.get("git_commit")
    if commit:
        code = f"commit {commit[:12]}" + ("+dirty" if commit.endswith("+dirty") else "")
    else:
        code = "commit unknown"
    started = str(manifest.get("started") or "")[:10] or "undated"
    total = manifest.get("total_runs", 0)
    held = runs if runs is not None else manifest.get("completed_runs", total)
    count = f"{total:,} runs" if held >= total else f"incomplete ({held:,} of {total:,} runs)"
    return (f"wargame {manifest.get('wargame_version', '?')} ({code}), sweep "
            f"{manifest.get('sweep', '?')!r}, spec sha256:{manifest.get('spec_sha256', '?')[:16]}, "
            f"{count}, started {started}")


def new_manifest(spec: SweepSpec, points: list[dict[str, Any]]) -> dict[str, Any]:
    """The manifest of a sweep about to start, as JSON values (round-tripped through JSON)."""
    manifest: dict[str, Any] = {
        "sweep": spec.name,
        "description": spec.description,
        "spec": spec.to_dict(),
        "model": spec.model,
        "scenario": spec.scenario,
        "swept": spec.swept,
        "design": spec.design,
        "points": [{"point_id": i, "parameters": p} for i, p in enumerate(points)],
        "replications": spec.replications,
        "base_seed": spec.base_seed,
        "keep_series": spec.keep_series,
        "total_runs": len(points) * spec.replications,
        "completed_runs": 0,
        "failed_runs": 0,
        "status": "running",
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "finished": None,
        "wargame_version": __version__,
        "git_commit": git_commit(),
        "versions": package_versions(),
        "inert_inputs": model_kind(spec.model).inert_inputs(spec.base,
                                                             spec.levels or spec.ranges),
    }
    manifest = json.loads(json.dumps(manifest))  # JSON values, as read back from disk
    manifest["spec_sha256"] = spec_sha256(manifest["spec"], manifest["points"])
    manifest["citation"] = citation(manifest)
    if spec.design == "sobol":
        manifest["problem"] = salib_problem(spec)
        manifest["calc_second_order"] = spec.second_order
    if spec.design == "morris":
        manifest["problem"] = salib_problem(spec)
        manifest["morris"] = {"trajectories": spec.samples, "levels": spec.morris_levels,
                              "seed": spec.base_seed}
    return json.loads(json.dumps(manifest))
