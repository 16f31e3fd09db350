"""What the page opens on: a scenario with a seed, one run of a sweep exactly as it ran, or
(`--reform`) a negotiation's inputs and seed.

The Solara server runs the app in its own process, so `wargame viz` resolves the launch
here (where a bad scenario, folder or run id can still be one line and exit 2) and hands
it to the app as JSON in an environment variable.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from wargame.errors import WargameError
from wargame.inputs import INPUTS
from wargame.scenario import check_inputs, load_scenario

ENV_VAR = "WARGAME_VIZ_LAUNCH"
REFORM_ENV_VAR = "WARGAME_VIZ_REFORM"
DEFAULT_SCENARIO = "baltic"


@dataclass(frozen=True)
class Launch:
    """A scenario name, the value of every model input and the seed of the run to show."""

    scenario: str
    parameters: dict[str, Any] = field(hash=False)
    seed: int
    run_label: str = ""  # "sweep run 17 (runs/quick)" when opened from a sweep

    def to_env(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_env(cls) -> Launch:
        """The launch `wargame viz` chose; the default scenario, seed 0, if run directly."""
        text = os.environ.get(ENV_VAR)
        if not text:
            return from_scenario(DEFAULT_SCENARIO, 0)
        return cls(**json.loads(text))


@dataclass(frozen=True)
class ReformLaunch:
    """The value of every reform input and the seed the negotiation page opens on."""

    inputs: dict[str, Any] = field(hash=False)
    seed: int

    def to_env(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_env(cls) -> ReformLaunch:
        """What `wargame viz --reform` chose; the defaults, seed 0, if run directly."""
        from wargame.reform.inputs import REFORM_DEFAULTS

        text = os.environ.get(REFORM_ENV_VAR)
        return cls(**json.loads(text)) if text else cls(dict(REFORM_DEFAULTS), 0)


def from_scenario(name: str, seed: int) -> Launch:
    """Open on a scenario (name or TOML path) with the given seed."""
    scenario = load_scenario(name)
    return Launch(scenario.name, scenario.parameters, seed)


def from_sweep(results_dir: Path, run_id: int) -> Launch:
    """Open on run `run_id` of a sweep folder, with that run's parameters and seed."""
    import pyarrow as pa

    from wargame.model_kinds import CRISIS, folder_kind
    from wargame.sweep.folder import part_files, read_manifest, read_part
    from wargame.sweep.own_runs import KEYS, Design, foreign_reason

    try:
        manifest = read_manifest(results_dir)
        kind = folder_kind(manifest, results_dir)
    except WargameError as exc:
        raise WargameError(f"--sweep {exc}") from None
    if kind.name != CRISIS:
        raise WargameError(f"--sweep {results_dir}: holds {kind.name} runs, not {CRISIS} "
                           "runs; `wargame viz --reform --seed SEED --set ...` opens one "
                           "negotiation")
    parts = part_files(results_dir, "runs")
    if not parts:
        raise WargameError(f"--sweep {results_dir}: not a sweep result folder (no runs/ parts)")
    wanted = [*KEYS, *INPUTS]
    tables = []
    for part in parts:
        table = read_part(part, "runs")
        absent = [c for c in wanted if c not in table.column_names]
        if absent:
            raise WargameError(f"{part}: no column {', '.join(absent)}; written by another "
                               "version of wargame")
        tables.append(table.select(wanted))
    runs = pa.concat_tables(tables, promote_options="default").to_pandas()
    repeated = runs["run_id"].duplicated()
    if repeated.any():
        raise WargameError(
            f"--sweep {results_dir}: {int(repeated.sum()):,} run ids appear more than once (two "
            f"processes wrote this folder?); `wargame sweep SWEEP --resume --out {results_dir}` "
            "sets the repeated parts aside"
        )
    row = runs[runs["run_id"] == run_id]
    if row.empty:
        raise WargameError(
            f"--run {run_id}: no such run in {results_dir} (run ids {runs['run_id'].min()}"
            f"..{runs['run_id'].max()})"
        )
    reason = foreign_reason(row, Design.of(manifest))
    if reason:
        raise WargameError(f"--run {run_id}: not a run of the sweep in {results_dir} ({reason}); "
                           f"`wargame sweep SWEEP --resume --out {results_dir}` sets its part "
                           "aside")
    record = row.to_dict("records")[0]  # Python values, as the parameter checks expect
    parameters = check_inputs(
        {name: record[name] for name in INPUTS}, f"{results_dir} run {run_id}"
    )
    posterior = (manifest.get("spec") or {}).get("posterior")
    drawn = (f", {', '.join(posterior['draws'][0])} drawn from posterior {posterior['file']}"
             if posterior and posterior.get("draws") else "")
    return Launch(
        scenario=str(manifest.get("scenario", "sweep")),
        parameters=parameters,
        seed=int(record["seed"]),
        run_label=f"sweep run {run_id} ({results_dir}{drawn})",
    )
