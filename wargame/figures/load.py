"""Read a sweep result folder (the format `wargame sweep` writes) into one checked object.

Every figure starts here, so that a bad folder (no manifest, no runs, a parameter that was
not swept) is reported once, in one line, and failed runs are excluded in one place and
counted, so each caption can say how many runs stand behind it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from wargame.errors import WargameError
from wargame.inputs import INPUTS
from wargame.model_kinds import CRISIS, MODEL_KINDS, ModelKind, folder_kind
from wargame.output_registry import RUN_ERROR, SWEEP_KEYS
from wargame.regimes import NAMES as REGIME_NAMES
from wargame.sweep.folder import part_files, read_part
from wargame.sweep.own_runs import Design, foreign_reason, strays
from wargame.sweep.store import read_manifest

#: Inputs that take a few named values rather than numbers (text and true/false).
CATEGORICAL = tuple(name for name, i in INPUTS.items() if not i.numeric)


class Unsupported(WargameError):
    """The folder cannot support this figure (e.g. no per-day series); the reason is the text."""


def _read_parts(folder: Path, what: str, design: Design | None = None) -> pd.DataFrame:
    """Concatenate folder/part-*.parquet (read one by one: an all-null column in one part
    must not fix the type of the others). A damaged or foreign part, or (with `design`) a
    runs part with a run the design does not have, is named in one line."""
    parts = part_files(folder.parent, folder.name)
    if not parts:
        raise Unsupported(f"{folder}: no part-*.parquet files ({what} not written)")
    frames = []
    for part in parts:
        try:
            frames.append(read_part(part, folder.name).to_pandas())
        except WargameError as exc:
            raise WargameError(f"{exc}; `wargame sweep SWEEP --resume --out {folder.parent}` "
                               "sets damaged parts aside and re-runs their runs") from None
        reason = foreign_reason(frames[-1], design) if design is not None else None
        if reason:
            raise WargameError(f"{part}: not a part of this sweep ({reason}); `wargame sweep "
                               f"SWEEP --resume --out {folder.parent}` sets it aside and runs "
                               "its runs again")
    frames = [f for f in frames if len(f)]
    if not frames:
        raise Unsupported(f"{folder}: the {what} files hold no rows")
    return pd.concat(frames, ignore_index=True)


def _check_covers(frame: pd.DataFrame, runs: pd.DataFrame, folder: Path, what: str) -> None:
    """Every successful run has rows in a per-run dataset (a deleted part must not thin a
    figure silently while its caption counts every run)."""
    missing = set(runs["run_id"]) - set(frame["run_id"])
    if missing:
        raise WargameError(
            f"{folder}: no {what} for {len(missing):,} of {len(runs):,} runs (parts missing or "
            f"damaged; e.g. run {min(missing)}); `wargame sweep SWEEP --resume --out "
            f"{folder.parent}` re-runs them"
        )


def _refuse_strays(path: Path) -> None:
    """One line if runs/, states/ or steps/ hold a file pandas would read with the parts
    (`own_runs.strays`), or a states or steps part without its runs part."""
    found = strays(path)
    runs = {p.stem for p in part_files(path, "runs")}
    found += [p for name in ("states", "steps") for p in part_files(path, name)
              if p.stem not in runs]
    if found:
        where = f"{found[0].parent.name}/{found[0].name}"
        raise WargameError(
            f"{path}: {where} is not a part of this sweep, but pandas.read_parquet would read "
            f"it; `wargame sweep SWEEP --resume --out {path}` sets it aside")


@dataclass
class Results:
    """A result folder: its manifest, the successful runs and how many failed runs were dropped."""

    path: Path
    manifest: dict[str, Any]
    runs: pd.DataFrame
    n_failed: int
    kind: ModelKind = MODEL_KINDS[CRISIS]  # the model whose runs these are (manifest "model")
    _cache: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)

    @property
    def name(self) -> str:
        return str(self.manifest.get("sweep") or self.path.name)

    @property
    def model(self) -> str:
        """The name of the model kind (wargame.model_kinds): "crisis", "negotiation"."""
        return self.kind.name

    @property
    def swept(self) -> list[str]:
        return list(self.manifest.get("swept") or [])

    @property
    def design(self) -> str:
        return str(self.manifest.get("design", "grid"))

    @property
    def paired(self) -> bool:
        """Whether replication r has the same seed in every point (`paired_seeds`)."""
        spec = self.manifest.get("spec")
        return isinstance(spec, dict) and spec.get("paired_seeds") is True

    @property
    def posterior(self) -> dict[str, Any] | None:
        """`spec.posterior` of a sweep over a posterior ({"file", "draws"}), else None."""
        spec = self.manifest.get("spec")
        found = spec.get("posterior") if isinstance(spec, dict) else None
        return found if isinstance(found, dict) and found.get("draws") else None

    @property
    def drawn(self) -> list[str]:
        """The inputs each replication draws from the posterior (none without one)."""
        return list(self.posterior["draws"][0]) if self.posterior else []

    def posterior_text(self) -> str:
        """'over posterior shipped (200 sets drawn)', or '' for a sweep without one."""
        if not self.posterior:
            return ""
        return (f"over posterior {self.posterior.get('file')} "
                f"({len(self.posterior['draws']):,} sets drawn)")

    @property
    def numeric_swept(self) -> list[str]:
        """Swept parameters with numeric values (the axes of phase diagrams and curves)."""
        return [p for p in self.swept if p not in CATEGORICAL]

    @property
    def categorical_swept(self) -> list[str]:
        return [p for p in self.swept if p in CATEGORICAL]

    def require_swept(self, *names: str | None) -> None:
        """Raise one line if a parameter asked for was not swept in this folder."""
        for name in names:
            if name is not None and name not in self.swept:
                raise WargameError(
                    f"{self.path}: parameter {name!r} was not swept here; "
                    f"swept: {', '.join(self.swept) or 'none'}"
                )

    def require_numeric(self, option: str, name: str | None) -> None:
        """Raise one line if a parameter asked for an axis takes named values."""
        if name is not None and name in self.categorical_swept:
            levels = ", ".join(map(str, ordered_levels(self.runs[name], name)))
            raise WargameError(
                f"{option} {name}: takes named values ({levels}), not numbers; it cannot be "
                f"an axis here; split by it with --by {name}"
            )

    def describe(self) -> str:
        """'sweep X (grid design, 900 runs, paired seeds; 1 failed run excluded)' — the
        provenance line of captions."""
        text = (f"sweep {self.name} ({self.design} design, {len(self.runs):,} runs, "
                f"{'paired' if self.paired else 'independent'} seeds")
        if self.posterior:
            text += f"; {self.posterior_text()}"
        if self.n_failed:
            text += f"; {self.n_failed:,} failed run{'s' if self.n_failed > 1 else ''} excluded"
        status = self.manifest.get("status")
        if status and status != "complete":
            text += f"; sweep status: {status}"
        return text + ")"

    @property
    def has_steps(self) -> bool:
        return bool(self.manifest.get("keep_series")) and any(
            (self.path / "steps").glob("part-*.parquet")
        )

    def _ok_rows(self, frame: pd.DataFrame) -> pd.DataFrame:
        return frame[frame["run_id"].isin(self.runs["run_id"])].reset_index(drop=True)

    @cached_property
    def states(self) -> pd.DataFrame:
        """One row per successful run and state (final commitment, troops, costs)."""
        frame = self._ok_rows(_read_parts(self.path / "states", "per-state results"))
        _check_covers(frame, self.runs, self.path / "states", "per-state results")
        return frame

    @cached_property
    def steps(self) -> pd.DataFrame:
        """One row per successful run and day; Unsupported if the sweep kept no series."""
        if not self.has_steps:
            raise Unsupported(
                f"{self.path}: no per-day series (the sweep ran without keep_series)"
            )
        frame = self._ok_rows(_read_parts(self.path / "steps", "per-day series"))
        _check_covers(frame, self.runs, self.path / "steps", "per-day series")
        return frame


def load_results(path: str | Path) -> Results:
    """Load and check a result folder; raise WargameError with one line if it is not usable."""
    path = Path(path)
    manifest = read_manifest(path)
    kind = folder_kind(manifest, path)
    _refuse_strays(path)
    try:
        runs = _read_parts(path / "runs", "run results", Design.of(manifest))
    except Unsupported as exc:
        raise WargameError(f"{path}: no runs ({exc})") from None
    # Columns every successful run has; checked so a figure never fails half-way.
    required = (*(key.name for key in SWEEP_KEYS), *kind.names("run"), RUN_ERROR.name)
    missing = [c for c in (*required, *manifest.get("swept", [])) if c not in runs.columns]
    if missing:
        raise WargameError(f"{path}/runs: missing column(s) {', '.join(missing)}")
    duplicated = runs["run_id"].duplicated()
    if duplicated.any():
        raise WargameError(
            f"{path}/runs: {int(duplicated.sum()):,} run ids appear more than once (two processes "
            f"wrote this folder?); counting them would overstate the evidence; "
            f"`wargame sweep SWEEP --resume --out {path}` sets the repeated parts aside"
        )
    ok = runs["error"].isna() & runs["outcome"].notna()
    if not ok.any():
        raise WargameError(f"{path}: all {len(runs):,} runs failed; nothing to analyse")
    return Results(path, manifest, runs[ok].reset_index(drop=True), int((~ok).sum()), kind)


#: A numeric parameter with more distinct values than this (LHS, Sobol) is binned.
MAX_LEVELS = 8
N_BINS = 5


def parameter_levels(results: Results, name: str) -> pd.Series:
    """The value of swept parameter `name` for each run, as the levels a figure can show.

    A grid has a few levels: they are used as they are. Latin-hypercube and Sobol designs
    give every point its own value, so these are cut into N_BINS equal-width bins and each
    run gets its bin's midpoint (the bin edges are in `bin_edges`).
    """
    results.require_swept(name)
    values = results.runs[name]
    if name in CATEGORICAL or values.nunique() <= MAX_LEVELS:
        return values
    edges = bin_edges(values)
    codes = pd.cut(values, edges, include_lowest=True, labels=False)
    midpoints = (edges[:-1] + edges[1:]) / 2
    return pd.Series(midpoints[codes.to_numpy()], index=values.index, name=name)


def bin_edges(values: pd.Series):
    """N_BINS equal-width bin edges over the values' range (numpy array)."""
    return np.linspace(float(values.min()), float(values.max()), N_BINS + 1)


def is_binned(results: Results, name: str) -> bool:
    return name not in CATEGORICAL and results.runs[name].nunique() > MAX_LEVELS


def default_axes(results: Results) -> tuple[str | None, str | None, str | None]:
    """(x, y, by) a figure uses unless told otherwise: the first two numeric swept
    parameters as axes; a categorical one (governance) — else the third numeric — to split."""
    numeric, categorical = results.numeric_swept, results.categorical_swept
    x = numeric[0] if numeric else None
    y = numeric[1] if len(numeric) > 1 else None
    by = categorical[0] if categorical else (numeric[2] if len(numeric) > 2 else None)
    return x, y, by


def ordered_levels(values: pd.Series, name: str) -> list:
    """The distinct levels in reading order: governance regimes in their declared order
    (today first), anything else sorted."""
    present = set(values.unique())
    if name == "governance":
        return [g for g in REGIME_NAMES if g in present]
    return sorted(present)
