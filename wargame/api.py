"""The public Python API: one run, a sweep, a sweep's result folder, its figures.

What the command line does, for notebooks and scripts (docs/API.md). The package's top
level re-exports these names lazily (`wargame.__getattr__`), so `import wargame` and
`wargame --help` load neither Mesa nor pandas. Everything is built on the pieces the
command line uses: `wargame.single_run` for a run, `wargame.sweep.api` for a sweep,
`wargame.figures.load` for reading (and checking) a result folder.

Bad input raises `wargame.WargameError` (a `ValueError`) with a one-line message.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wargame.errors import WargameError
from wargame.figure_kinds import family
from wargame.model_kinds import model_kind
from wargame.output_registry import LEVELS, RUN_ERROR, SWEEP_KEYS
from wargame.rules import MAX_RUNS, check_out_folder, check_seed
from wargame.scenario import Scenario, check_inputs, load_scenario

# Mesa (the model, a run's files), pandas and PyArrow (a result folder) and matplotlib (the
# figures) are imported where they are used: loading a sweep does not load Mesa, and
# `import wargame` loads none of them.
if TYPE_CHECKING:
    import pandas as pd

    from wargame.figures.load import Results
    from wargame.model import CrisisModel
    from wargame.sweep.execute import SweepResult

#: The kinds of figure `plot` draws from a sweep's folder, in index-page order.
SWEEP_KINDS = family("sweep")
#: The level (wargame.output_registry.LEVELS) of each table a result holds.
RUN_TABLES = {"steps": "day", "states": "day_state"}
SWEEP_TABLES = {"runs": "run", "states": "state", "steps": "day"}


def labels(columns: Iterable[str], level: str, model: str = "crisis") -> dict[str, str]:
    """Human labels with units for columns of a table at one output level.

    Parameters
    ----------
    columns : iterable of str
        Machine column names, as in the DataFrames.
    level : str
        The table's level in the output registry: ``"run"``, ``"state"``, ``"day"`` or
        ``"day_state"``.
    model : str, default "crisis"
        The model kind whose outputs the table holds (``"crisis"`` or ``"negotiation"``;
        a sweep's ``manifest["model"]``).

    Returns
    -------
    dict of str to str
        ``{column: "Label (unit)"}``: an output of this level, else an input, else a
        per-run output (columns joined from the runs), else a key column; a column none
        of them declares keeps its name.
    """
    if level not in LEVELS:
        raise WargameError(f"unknown level {level!r}; levels: {', '.join(LEVELS)}")
    kind = model_kind(model, "labels: model")
    known = {o.name: o.axis_label for o in kind.columns("run")}
    known.update({name: f"{i.label} ({i.unit})" if i.unit else i.label
                  for name, i in kind.inputs.items()})
    known.update({o.name: o.axis_label for o in (*SWEEP_KEYS, RUN_ERROR)})
    known.update({o.name: o.axis_label for o in kind.columns(level)})
    return {column: known.get(column, column) for column in columns}


def _table_level(table: str, tables: dict[str, str]) -> str:
    if table not in tables:
        raise WargameError(f"unknown table {table!r}; tables: {', '.join(tables)}")
    return tables[table]


class RunResult:
    """One finished run of one scenario.

    Returned by `run`. The frames are built on first use.

    Attributes
    ----------
    model : CrisisModel
        The finished model: its event log (``model.log``), inputs and agents.
    scenario : Scenario
        The scenario the run started from.
    seed : int
        The seed that reproduces the run.
    """

    def __init__(self, model: CrisisModel, scenario: Scenario, seed: int) -> None:
        self.model = model
        self.scenario = scenario
        self.seed = seed

    def __repr__(self) -> str:
        return (f"RunResult(scenario={self.scenario.name!r}, seed={self.seed}, "
                f"outcome={self.outcome!r}, days={self.model.day})")

    @property
    def outcome(self) -> str:
        """How the crisis ended: one of ``wargame.outcomes.OUTCOME_NAMES``."""
        return self.summary["outputs"]["outcome"]

    @cached_property
    def summary(self) -> dict[str, Any]:
        """The content of the command line's ``summary.json``, as plain Python values.

        Keys: scenario, scenario_file, description, wargame_version, seed, inputs,
        outputs (the per-run outputs; None where a day was never reached) and states
        (one dict per state at the end).
        """
        from wargame.single_run import summary

        return json.loads(json.dumps(summary(self.model, self.scenario, self.seed)))

    @cached_property
    def steps(self) -> pd.DataFrame:
        """One row per day (day 0 = the attack) of the model-level series (``steps.parquet``)."""
        from wargame.outputs import steps_frame

        return steps_frame(self.model)

    @cached_property
    def states(self) -> pd.DataFrame:
        """One row per day and state: commitment, troops and costs (``states.parquet``)."""
        from wargame.outputs import states_frame

        return states_frame(self.model)

    def labels(self, table: str = "steps") -> dict[str, str]:
        """``{column: "Label (unit)"}`` for the columns of ``steps`` or ``states``."""
        level = _table_level(table, RUN_TABLES)
        return labels(getattr(self, table).columns, level)

    def describe(self) -> str:
        """The few lines ``wargame run`` prints about the run."""
        from wargame.single_run import describe

        return describe(self.model, self.scenario, self.seed)

    def write(self, out: str | Path) -> Path:
        """Write the result folder ``wargame run --out`` writes, all at once or not at all.

        Parameters
        ----------
        out : str or Path
            A folder that does not exist yet or is empty.

        Returns
        -------
        Path
            The folder, holding summary.json, steps.parquet and states.parquet.
        """
        from wargame.single_run import write_run

        folder = check_out_folder(out, "out")
        write_run(self.model, self.scenario, self.seed, folder)
        return folder


def _scenario(scenario: str | Path | Scenario) -> Scenario:
    if isinstance(scenario, Scenario):
        return scenario
    if not isinstance(scenario, str | Path):
        raise WargameError(f"scenario = {scenario!r}: expected a scenario name "
                           "(`wargame scenarios` lists them) or a path to a TOML file")
    return load_scenario(str(scenario))


def run(scenario: str | Path | Scenario = "baltic", *, seed: int | None = None,
        **inputs: Any) -> RunResult:
    """Run one crisis to its outcome, as ``wargame run SCENARIO --seed N --set ...`` does.

    Parameters
    ----------
    scenario : str, Path or Scenario, default "baltic"
        A scenario name (``wargame scenarios`` lists them) or a path to a scenario file.
    seed : int, optional
        A non-negative integer; the same seed and inputs give the same run. Without one a
        fresh seed is drawn and kept in ``result.seed``.
    **inputs
        Model inputs set on top of the scenario's (``wargame inputs`` lists them), e.g.
        ``us_commitment=0.0``.

    Returns
    -------
    RunResult
        ``.summary`` (dict), ``.steps`` and ``.states`` (DataFrames), ``.model``.

    Raises
    ------
    WargameError
        An unknown scenario or input, a value outside its range, a bad seed.
    """
    from wargame.single_run import new_seed, run_scenario

    resolved = _scenario(scenario)
    overrides = check_inputs(inputs, "wargame.run")
    seed = new_seed() if seed is None else check_seed(seed, "wargame.run: seed")
    return RunResult(run_scenario(resolved, seed, overrides), resolved, seed)


class SweepData:
    """A sweep's result folder, read and checked: its runs, states, per-day series, manifest.

    Returned by `load_sweep`. Failed runs are left out of every table (``n_failed`` counts
    them). ``states`` and ``steps`` carry, next to their own columns, the run's
    ``point_id``, swept inputs and ``outcome`` (joined on ``run_id``), so they can be
    grouped by what the sweep varied without a merge.

    Attributes
    ----------
    path : Path
        The result folder.
    manifest : dict
        ``manifest.json``: the sweep's spec, status, counts and timing.
    runs : DataFrame
        One row per successful run: run_id, point_id, replication, seed, every input
        and every per-run output.
    n_failed : int
        Runs that failed and are left out.
    results : wargame.figures.load.Results
        The same folder as the figures read it (for ``wargame.figures`` functions).
    """

    def __init__(self, results: Results) -> None:
        self.results = results
        self.path = results.path
        self.manifest = results.manifest
        self.runs = results.runs
        self.n_failed = results.n_failed

    def __repr__(self) -> str:
        return f"SweepData({str(self.path)!r}: {self.describe()})"

    @property
    def swept(self) -> list[str]:
        """The inputs the sweep's design varies, in the order of its file."""
        return self.results.swept

    def _joined(self, frame: pd.DataFrame) -> pd.DataFrame:
        """`frame` with the run's point, swept inputs and outcome after run_id."""
        extra = [c for c in ("point_id", *self.swept, "outcome") if c not in frame.columns]
        joined = frame.merge(self.runs[["run_id", *extra]], on="run_id", how="left",
                             validate="many_to_one")
        own = [c for c in frame.columns if c != "run_id"]
        return joined[["run_id", *extra, *own]]

    @cached_property
    def states(self) -> pd.DataFrame:
        """One row per successful run and state at the end of the crisis."""
        return self._joined(self.results.states)

    @cached_property
    def steps(self) -> pd.DataFrame:
        """One row per successful run and day; WargameError if the sweep kept no series
        (``keep_series = true`` in the sweep file keeps them)."""
        return self._joined(self.results.steps)

    def labels(self, table: str = "runs") -> dict[str, str]:
        """``{column: "Label (unit)"}`` for the columns of ``runs``, ``states`` or ``steps``.

        For display: ``data.runs.rename(columns=data.labels("runs"))``.
        """
        level = _table_level(table, SWEEP_TABLES)
        return labels(getattr(self, table).columns, level, self.results.model)

    def describe(self) -> str:
        """One line: the sweep, its design, its runs and any failed runs left out."""
        return self.results.describe()


def load_sweep(folder: str | Path) -> SweepData:
    """Read a sweep's result folder (``wargame sweep ... --out DIR``).

    Parameters
    ----------
    folder : str or Path
        The folder holding manifest.json and runs/, states/, steps/.

    Returns
    -------
    SweepData
        ``.runs``, ``.states``, ``.steps`` (DataFrames joined on ``run_id``),
        ``.manifest`` and ``.labels(table)``.

    Raises
    ------
    WargameError
        Not a result folder, damaged or repeated parts, no successful run.
    """
    from wargame.figures.load import load_results

    return SweepData(load_results(folder))


def sweep(spec: dict[str, Any] | str | Path, out: str | Path, *, workers: int = 1,
          name: str = "sweep", resume: bool = False, progress: bool = False,
          max_runs: int = MAX_RUNS) -> SweepResult:
    """Run a sweep into a result folder, as ``wargame sweep SPEC --out OUT`` does.

    Parameters
    ----------
    spec : dict, str or Path
        A sweep file's path or name (``./configs/sweeps`` first, then the shipped ones),
        or a dict with the keys of a sweep file (docs/SWEEPS.md).
    out : str or Path
        The result folder: new or empty (or the folder to complete with ``resume``).
    workers : int, default 1
        Processes; 1 runs in this process (no start-up cost, best for small sweeps).
    name : str, default "sweep"
        The sweep's name in the manifest and the figures' captions, for a dict spec (a
        sweep file is named by its file name).
    resume : bool, default False
        Complete the folder of an interrupted sweep: run only the runs it lacks.
    progress : bool, default False
        Show a progress bar on stderr.
    max_runs : int, default 1,000,000
        Refuse a design of more runs (`wargame sweep --max-runs`).

    Returns
    -------
    wargame.sweep.execute.SweepResult
        ``.folder``, ``.status`` ("complete", "failed", "incomplete"), ``.completed``,
        ``.failed``, ``.wall_seconds``; read the folder with `load_sweep`.

    Raises
    ------
    WargameError
        A bad spec, an unusable folder.
    """
    from wargame.sweep.api import sweep as run_sweep

    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise WargameError(f"wargame.sweep: workers = {workers!r} is not allowed; expected an "
                           "integer >= 1")
    if not isinstance(spec, dict | str | Path):
        raise WargameError(f"wargame.sweep: spec = {spec!r}: expected a dict or the path or "
                           "name of a sweep file")
    return run_sweep(spec, out, name=name, workers=workers, resume=resume, progress=progress,
                     max_runs=max_runs)


def plot(folder: str | Path, out: str | Path | None = None,
         kinds: Iterable[str] | None = None) -> list[Path]:
    """Draw the figures of a sweep's result folder, as ``wargame plot all|KIND DIR``.

    Parameters
    ----------
    folder : str or Path
        A result folder written by `sweep`.
    out : str or Path, optional
        Where to write; default ``folder/plots``.
    kinds : str or iterable of str, optional
        Kinds of figure drawn from a sweep (``wargame.figure_kinds``: phase, response,
        burden, timecourse, map, sensitivity, screening, discovery, reform-crisis for a
        crisis sweep; reform-adoption, reform-blockers, reform-map, reform-price for a
        negotiation sweep); default every kind of the folder's model that it supports. A
        kind the folder cannot support is skipped, with its reason on the index page.

    Returns
    -------
    list of Path
        The figures (PNG and SVG) and the index pages ``index.html`` and ``index.md``
        with a caption per figure; the numbers behind each figure are written beside
        them as CSV.
    """
    from wargame.figures.standard import render_all

    chosen = None if kinds is None else (kinds,) if isinstance(kinds, str) else tuple(kinds)
    if chosen is not None and (not chosen or any(kind not in SWEEP_KINDS for kind in chosen)):
        raise WargameError(f"wargame.plot: kinds = {list(chosen)!r}; expected some of "
                           f"{', '.join(SWEEP_KINDS)}")
    return render_all(Path(folder), None if out is None else Path(out), chosen)
