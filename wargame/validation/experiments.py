"""The experiments the checks read: paired-seed grid sweeps through the common pipeline.

Each experiment is a record (a scenario, the levels of a grid, fixed inputs); several
checks share one (V1, V2, V3, V6, V8, V9 and V10 read the lever grid of each scenario). It
runs as an ordinary sweep (`wargame.sweep.spec.parse_sweep` -> `run_sweep`) into
`DIR/sweeps/<name>/` with `paired_seeds = true`, so a validation that is interrupted
resumes where it stopped, and any folder can be opened with `wargame.load_sweep`,
plotted with `wargame plot` or compared with `wargame compare`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wargame.errors import WargameError

if TYPE_CHECKING:
    import pandas as pd

    from wargame.validation.context import ScenarioInfo

#: Root of every run's seed: one value, so the experiments of a validation share seeds
#: (replication r is the same seed in every cell of every experiment).
BASE_SEED = 20261201
#: US commitment levels of the lever grid: 0.1 apart, so V2 sees every step.
U_LEVELS = tuple(round(0.1 * i, 1) for i in range(11))
#: --quick keeps the ends and two adjacent pairs (the 0.6 -> 0.7 jump of model v2 among them).
U_LEVELS_QUICK = (0.0, 0.1, 0.5, 0.6, 0.7, 1.0)
FINANCING_LEVELS = (0.0, 1.0)
GOVERNANCE_LEVELS = ("nato_us_led", "art427_only", "eu_led_nato")
SEEDS = 200
SEEDS_QUICK = 30
#: Readiness levels of the rapid-reaction force (days): 3 and 10 for V4's first clause; for
#: its second, 1 so that a force can arrive before the median war has ended (a Baltic war
#: is over in days, as RAND found) and the later ones so that one arrives after it.
READINESS_LEVELS = (1, 3, 10, 30, 60, 120)
#: V4's first clause: ready in this many days instead of 10.
FAST_READINESS = 3
#: The force of V4: the 25,000 the issue measured, against none.
RRF_TROOPS = 25_000
#: An EU command able to lead the force (above rrf_command_threshold), as eu_led_nato.toml
#: assumes for an operational EU command; otherwise readiness could not matter at all.
RRF_COMMAND = 0.8
#: RAND's attacker: 22 manoeuvre battalions of the Western Military District (Shlapak &
#: Johnson 2016, as summarised by eastwest.eu), about 33,000 troops with their support.
RAND_ATTACK_TROOPS = 33_000
#: The cut-off constants of model v2, used when the input registry flags none.
CUTOFFS_V2 = ("defeat_threshold", "halt_days")


@dataclass(frozen=True)
class Settings:
    """What one validation runs: seeds, levels, scenarios, checks and any fixed inputs."""

    scenarios: tuple[str, ...]  # the scenarios to validate (shipped names or paths)
    checks: tuple[str, ...] = ()  # check ids to run (all if empty)
    seeds: int = SEEDS  # paired seeds per cell of every experiment
    u_levels: tuple[float, ...] = U_LEVELS  # US commitment levels of the lever grids
    quick: bool = False  # recorded in the reports
    workers: int = 1
    #: Inputs fixed in every run of every experiment (a posterior draw for V11).
    parameters: dict[str, Any] = field(default_factory=dict)
    progress: bool = True

    @classmethod
    def standard(cls, quick: bool, scenarios: tuple[str, ...], **other: Any) -> Settings:
        """The full battery (200 seeds, u by 0.1) or --quick (30 seeds, six u levels)."""
        return cls(scenarios, seeds=SEEDS_QUICK if quick else SEEDS,
                   u_levels=U_LEVELS_QUICK if quick else U_LEVELS, quick=quick, **other)


@dataclass(frozen=True)
class Experiment:
    """One paired-seed grid sweep: `levels` over `scenario`, with `fixed` inputs."""

    name: str
    scenario: str
    levels: dict[str, tuple[Any, ...]]
    description: str
    fixed: dict[str, Any] = field(default_factory=dict)

    def sweep_config(self, settings: Settings) -> dict[str, Any]:
        """The sweep file's content (docs/SWEEPS.md) that runs this experiment."""
        # What the experiment fixes or sweeps is its design: a draw's value of it gives way.
        fixed = {**{k: v for k, v in settings.parameters.items() if k not in self.levels},
                 **self.fixed}
        return {
            "description": self.description,
            "scenario": self.scenario,
            "replications": settings.seeds,
            "base_seed": BASE_SEED,
            "paired_seeds": True,
            "parameters": fixed,
            "design": {"kind": "grid", "levels": {k: list(v) for k, v in self.levels.items()}},
        }


def levers(scenario: ScenarioInfo, settings: Settings) -> Experiment:
    """The lever grid of a scenario: u x EU financing x governance, and any levers its
    [validation] table adds (Cyprus: the rapid-reaction force, where governance cannot act)."""
    extra = {name: tuple(values) for name, values
             in scenario.validation.get("levels", {}).items()}
    more = "".join(f" x {name}" for name in extra)
    return Experiment(
        f"levers-{scenario.name}", scenario.ref,
        {"us_commitment": settings.u_levels, "eu_financing": FINANCING_LEVELS,
         "governance": GOVERNANCE_LEVELS, **extra},
        f"validation: lever grid of {scenario.name} (u x EU financing x governance{more})")


#: US commitment of V4's runs: the force's readiness is judged over the US lever's range, as
#: an EU force is a question of what Europe can do however committed the US is.
READINESS_U_LEVELS = (0.0, 0.5, 1.0)


def readiness(baltic: ScenarioInfo) -> Experiment:
    """V4: a 25,000-strong rapid-reaction force at several readiness levels, or none, over
    the US lever."""
    return Experiment(
        f"readiness-{baltic.name}", baltic.ref,
        {"rapid_reaction_force": (0, RRF_TROOPS), "rrf_readiness_days": READINESS_LEVELS,
         "us_commitment": READINESS_U_LEVELS},
        "validation: rapid-reaction force x readiness x US commitment on the Baltic case, EU "
        "command able to lead it", {"command_integration": RRF_COMMAND})


def depth(scenario: ScenarioInfo) -> Experiment:
    """V5: the scenario as shipped, at u = 0 under today's NATO."""
    return Experiment(
        f"depth-{scenario.name}", scenario.ref, {"us_commitment": (0.0,)},
        f"validation: {scenario.name} at u = 0 under today's NATO",
        {"governance": "nato_us_led"})


def cutoff(scenario: ScenarioInfo, name: str) -> Experiment:
    """V9: the scenario as shipped with one cut-off constant at each end of its range."""
    from wargame.inputs import INPUTS

    record = INPUTS[name]
    return Experiment(
        f"cutoff-{scenario.name}-{name}", scenario.ref, {name: (record.low, record.high)},
        f"validation: {scenario.name} with {name} at both ends of its range")


def rand(baltic: ScenarioInfo) -> Experiment:
    """V10 (P6): RAND's unopposed conventional attack on Estonia, and seven brigades."""
    return Experiment(
        f"rand-{baltic.name}", baltic.ref, {"forward_presence": (0, 35_000)},
        "validation: RAND 2016 - a conventional attack by 22 battalions (about 33,000 troops) "
        "with no help, and with seven brigades (35,000 troops) in place",
        {"start_rung": "CONVENTIONAL", "us_commitment": 0.0, "rapid_reaction_force": 0,
         "attack_troops": RAND_ATTACK_TROOPS, "limited_aim_probability": 0.0})


def cutoff_constants() -> tuple[str, ...]:
    """The model's cut-off constants: inputs whose registry record says `cutoff=True`,
    else model v2's (`CUTOFFS_V2`)."""
    from wargame.inputs import INPUTS

    flagged = tuple(name for name, record in INPUTS.items() if getattr(record, "cutoff", False))
    return flagged or tuple(name for name in CUTOFFS_V2 if name in INPUTS)


def run_experiments(experiments: Iterable[Experiment], out: Path, settings: Settings,
                    announce: Callable[[str], None]) -> dict[str, Path]:
    """Run (or complete, or reuse) each experiment's sweep folder; return name -> folder.

    A folder that holds the finished sweep is reused as it is; an unfinished one is
    resumed; one holding a different sweep is refused in one line (a WargameError).
    """
    from wargame.sweep.design import design_points
    from wargame.sweep.execute import run_sweep
    from wargame.sweep.folder import read_manifest
    from wargame.sweep.spec import parse_sweep

    todo = list(experiments)
    # Every sweep file is checked before any is run: bad input leaves nothing behind.
    specs = [parse_sweep(e.sweep_config(settings), e.name, f"experiment {e.name}")
             for e in todo]
    folders = {}
    for number, (experiment, spec) in enumerate(zip(todo, specs, strict=True), 1):
        folder = out / "sweeps" / experiment.name
        points = design_points(spec)
        resume = folder.is_dir() and any(folder.iterdir())
        words = f"experiment {number}/{len(todo)}: {experiment.name} ({spec.run_count:,} runs"
        if resume and read_manifest(folder).get("status") == "complete":
            _check_same(folder, spec, points)
            announce(f"{words}, already complete)")
            folders[experiment.name] = folder
            continue
        announce(f"{words}{', resumed' if resume else ''})")
        result = run_sweep(spec, points, folder, workers=settings.workers, resume=resume,
                           progress=settings.progress)
        if result.failed:
            raise WargameError(f"experiment {experiment.name}: {result.failed:,} of "
                               f"{result.total:,} runs failed (first: {result.first_error}); "
                               f"see {folder}")
        if result.status != "complete":
            raise WargameError(f"experiment {experiment.name}: stopped before the end; run the "
                               f"same command with --out {out} to resume")
        folders[experiment.name] = folder
    return folders


def _check_same(folder: Path, spec: Any, points: list[dict[str, Any]]) -> None:
    """A finished folder is reused only if it holds this very sweep."""
    from wargame.sweep.execute import first_difference
    from wargame.sweep.folder import read_manifest
    from wargame.sweep.manifest import new_manifest

    manifest, fresh = read_manifest(folder), new_manifest(spec, points)
    for key in ("spec", "points"):
        difference = first_difference(manifest.get(key), fresh[key], key)
        if difference:
            raise WargameError(f"{folder}: holds a different sweep ({difference}); choose "
                               "another --out")


class Results:
    """The experiments' result folders, read on first use (runs and per-state rows)."""

    def __init__(self, folders: dict[str, Path]) -> None:
        self.folders = folders
        self._data: dict[str, Any] = {}

    def _load(self, name: str) -> Any:
        if name not in self._data:
            from wargame.api import load_sweep

            self._data[name] = load_sweep(self.folders[name])
        return self._data[name]

    def runs(self, name: str) -> pd.DataFrame:
        """One row per run of the experiment: every input (those the experiment holds
        constant too: checks read them, e.g. R4's frontline_stake), replication, outputs."""
        return self._load(name).full_runs

    def states(self, name: str) -> pd.DataFrame:
        """One row per run and state, with the run's swept inputs and outcome."""
        return self._load(name).states

    def manifest(self, name: str) -> dict[str, Any]:
        return self._load(name).manifest


def echo(text: str) -> None:
    """Say what is being run, on stderr (stdout is the table)."""
    print(text, file=sys.stderr, flush=True)
