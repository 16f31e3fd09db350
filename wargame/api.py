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

from wargame.column_types import declared_types, typed
from wargame.errors import WargameError
from wargame.figure_kinds import KINDS, family, kinds_for
from wargame.folders import check_out_dir
from wargame.model_kinds import model_kind
from wargame.output_registry import LEVELS, RUN_ERROR, SWEEP_KEYS
from wargame.rules import MAX_RUNS, check_out_folder, check_seed
from wargame.scenario import Scenario, check_inputs, load_scenario

# Mesa (the model, a run's files), pandas and PyArrow (a result folder) and matplotlib (the
# figures) are imported where they are used: loading a sweep does not load Mesa, and
# `import wargame` loads none of them.
if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

    from wargame.figures.load import Results
    from wargame.model import CrisisModel
    from wargame.sweep.execute import SweepResult

#: The kinds of figure `plot` draws from a sweep's folder, in index-page order.
SWEEP_KINDS = family("sweep")
#: The level (wargame.output_registry.LEVELS) of each table a result holds.
RUN_TABLES = {"steps": "day", "states": "day_state"}
SWEEP_TABLES = {"runs": "run", "full_runs": "run", "states": "state", "steps": "day"}


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


def _types(level: str, model: str = "crisis") -> dict[str, object]:
    """The declared pandas types of a table of one output level (and of the inputs and
    per-run outputs joined onto it)."""
    kind = model_kind(model)
    return declared_types([o for o in kind.outputs if o.level in ("run", level)], kind.inputs)


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
        """One row per day (day 0 = the attack) of the model-level series (``steps.parquet``);
        typed as a sweep's tables are (`wargame.column_types`: ``escalation`` an ordered
        Categorical)."""
        from wargame.outputs import steps_frame

        return typed(steps_frame(self.model), _types("day"))

    @cached_property
    def states(self) -> pd.DataFrame:
        """One row per day and state: commitment, troops and costs (``states.parquet``);
        ``commitment`` an ordered Categorical, NONE < POLITICAL < FINANCIAL < FORCES."""
        from wargame.outputs import states_frame

        return typed(states_frame(self.model), _types("day_state"))

    def _repr_html_(self) -> str:
        """In a notebook: the run in one line, then its per-run outputs as a table."""
        import html

        import pandas as pd

        outputs = {k: v for k, v in self.summary["outputs"].items() if v is not None}
        table = pd.Series(outputs, name="value").rename(labels(outputs, "run")).to_frame()
        return (f"<p><b>{html.escape(repr(self))}</b></p>"
                + table.to_html(notebook=True, float_format=lambda v: f"{v:,.3g}"))

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
    grouped by what the sweep varied without a merge. Every table is typed from the
    declarations (`wargame.column_types`), as one run's tables are: ladders are ordered
    Categoricals, true/false columns are booleans.

    Attributes
    ----------
    path : Path
        The result folder.
    manifest : dict
        ``manifest.json``: the sweep's spec, status, counts and timing.
    n_failed : int
        Runs that failed and are left out.
    results : wargame.figures.load.Results
        The same folder as the figures read it (for ``wargame.figures`` functions).
    """

    def __init__(self, results: Results) -> None:
        self.results = results
        self.path = results.path
        self.manifest = results.manifest
        self.n_failed = results.n_failed

    def __repr__(self) -> str:
        return f"SweepData({str(self.path)!r}: {self.describe()})"

    @property
    def swept(self) -> list[str]:
        """The inputs the sweep's design varies, in the order of its file."""
        return self.results.swept

    @cached_property
    def full_runs(self) -> pd.DataFrame:
        """One row per successful run: run_id, point_id, replication, seed, every input
        (those held constant included) and every per-run output."""
        return typed(self.results.runs, _types("run", self.results.model))

    @cached_property
    def constants(self) -> pd.Series:
        """The inputs every run of the sweep shares, name -> value: the conditions the
        sweep holds (left out of ``runs``; ``full_runs`` keeps them)."""
        import pandas as pd

        runs = self.full_runs
        names = [name for name in self.results.kind.inputs
                 if name in runs.columns and name not in self.swept
                 and runs[name].nunique(dropna=False) == 1]
        return pd.Series({name: runs[name].iloc[0] for name in names}, dtype=object,
                         name="value")

    @cached_property
    def runs(self) -> pd.DataFrame:
        """One row per successful run: run_id, point_id, replication, seed, the swept
        inputs (and any other that varies) and every per-run output; the inputs held
        constant are in ``constants``."""
        return self.full_runs.drop(columns=list(self.constants.index))

    def _joined(self, frame: pd.DataFrame, level: str) -> pd.DataFrame:
        """`frame` with the run's point, swept inputs and outcome after run_id, typed."""
        extra = [c for c in ("point_id", *self.swept, "outcome") if c not in frame.columns]
        joined = typed(frame, _types(level, self.results.model)).merge(
            self.runs[["run_id", *extra]], on="run_id", how="left", validate="many_to_one")
        own = [c for c in frame.columns if c != "run_id"]
        return joined[["run_id", *extra, *own]]

    @cached_property
    def states(self) -> pd.DataFrame:
        """One row per successful run and state at the end of the crisis."""
        return self._joined(self.results.states, "state")

    @cached_property
    def steps(self) -> pd.DataFrame:
        """One row per successful run and day; WargameError if the sweep kept no series
        (``keep_series = true`` in the sweep file keeps them)."""
        return self._joined(self.results.steps, "day")

    def labels(self, table: str = "runs") -> dict[str, str]:
        """``{column: "Label (unit)"}`` for the columns of ``runs``, ``full_runs``,
        ``states`` or ``steps``.

        For display: ``data.runs.rename(columns=data.labels("runs"))``.
        """
        level = _table_level(table, SWEEP_TABLES)
        return labels(getattr(self, table).columns, level, self.results.model)

    def share(self, outcome: str, by: str | Iterable[str] | None = None) -> pd.DataFrame:
        """The share of runs ending in `outcome`, per level of the swept inputs `by`,
        with its Wilson score 95% interval (statsmodels' ``proportion_confint``).

        Counted as the figures count (docs/ANALYSIS.md, "Counting runs"): each distinct
        run once; under paired seeds each seed once per row, the runs of one seed pooled
        into a row averaged first (``n`` then counts seeds, ``runs`` the runs behind).
        Inputs of a sampled design (LHS, Sobol) are binned as the figures bin them.

        Parameters
        ----------
        outcome : str
            One of the model's outcomes (``wargame.outcomes``: ``"defeated"``, ...).
        by : str or list of str, optional
            Swept inputs to split by; none gives one row over all runs.

        Returns
        -------
        DataFrame
            One row per level of `by`: n, runs, count, share, low, high.
        """
        from wargame.figures.units import runs_at_levels, share_table

        names = self.results.kind.outcome_names
        if outcome not in names:
            raise WargameError(f"share: unknown outcome {outcome!r}; outcomes of this "
                               f"{self.results.model} sweep: {', '.join(names)}")
        keys = [by] if isinstance(by, str) else list(by or [])
        self.results.require_swept(*keys)
        frame = runs_at_levels(self.results, keys, ["outcome"])
        frame["hit"] = (frame["outcome"] == outcome).astype(float)
        table = typed(share_table(frame, keys, "hit"), _types("run", self.results.model))
        table = table.sort_values(keys).reset_index(drop=True) if keys else table
        table = table.rename(columns={"p": "share", "lo": "low", "hi": "high"})
        table.attrs["interval"] = "Wilson score 95% (statsmodels proportion_confint)"
        return table

    def describe(self) -> str:
        """One line: the sweep, its design, its runs and any failed runs left out."""
        return self.results.describe()

    def _repr_html_(self) -> str:
        """In a notebook: the provenance line, the swept inputs with their levels, the
        outcome counts, the inputs held constant and the first runs."""
        import html

        import pandas as pd

        runs = self.runs
        swept = pd.Series({name: ", ".join(map(str, sorted(runs[name].unique())[:8]))
                           for name in self.swept}, name="levels", dtype=object)
        outcomes = runs["outcome"].value_counts(sort=False).rename("runs").to_frame()
        constants = self.constants
        parts = [f"<p><b>{html.escape(self.describe())}</b><br>{html.escape(str(self.path))}"
                 f"<br>{html.escape(str(self.manifest.get('citation', '')))}</p>",
                 "<p>Swept</p>", swept.to_frame().to_html(notebook=True),
                 "<p>Outcomes</p>", outcomes.to_html(notebook=True),
                 f"<details><summary>{len(constants)} inputs held constant "
                 "(<code>.constants</code>; every column: <code>.full_runs</code>)</summary>",
                 constants.to_frame().to_html(notebook=True), "</details>",
                 f"<p>Runs (<code>.runs</code>, {len(runs):,} rows, first 5)</p>",
                 runs.head().to_html(notebook=True)]
        return "\n".join(parts)


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


class Figures(list):
    """The matplotlib Figures `plot` drew, in order, with ``skipped``: {kind: why not drawn}.

    A notebook shows them as images (each figure also displays on its own); save one with
    ``figures[0].savefig("phase.pdf")``.
    """

    def __init__(self, figures: Iterable = (), skipped: dict[str, str] | None = None) -> None:
        super().__init__(figures)
        self.skipped = dict(skipped or {})

    def _repr_html_(self) -> str:
        import base64
        import html
        import io

        parts = []
        for figure in self:
            buffer = io.BytesIO()
            figure.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
            parts.append("<img style='max-width:100%' src='data:image/png;base64,"
                         f"{base64.b64encode(buffer.getvalue()).decode()}'>")
        parts += [f"<p><i>not drawn: {html.escape(kind)}: {html.escape(reason)}</i></p>"
                  for kind, reason in self.skipped.items()]
        return "\n".join(parts)


def plot(source: str | Path | SweepData, kinds: str | Iterable[str] | None = None, *,
         out: str | Path | None = None, ax: Axes | None = None, x: str | None = None,
         y: str | None = None, by: str | None = None) -> Figures:
    """Draw the figures of a sweep's result folder, as ``wargame plot all|KIND DIR`` does,
    and return them as matplotlib Figures.

    Parameters
    ----------
    source : str, Path or SweepData
        A result folder written by `sweep`, or what `load_sweep` read from one.
    kinds : str or iterable of str, optional
        Kinds of figure (``wargame.figure_kinds``: phase, response, costs, burden, timecourse,
        map, sensitivity, screening, discovery, reform-crisis for a crisis sweep;
        reform-adoption, reform-blockers, reform-map, reform-price for a negotiation
        sweep). Default: every kind of the folder's model that fits its design; a kind it
        cannot support is then skipped (``.skipped`` says why), while a kind asked for by
        name that cannot be drawn raises WargameError.
    out : str or Path, optional
        Also write the figures (PNG at 200 dpi; ``wargame.figures.style.output`` for other
        formats), the numbers behind them as CSV and the index page there. Default:
        nothing is written.
    ax : matplotlib Axes, optional
        Draw one kind's headline panel into these axes of your own figure (kinds declared
        with ``axes=True`` in ``wargame.figure_kinds``: phase, response, map and the reform
        kinds); needs exactly one kind.
    x, y, by : str, optional
        The swept inputs on the x and y axes and to split by, as ``--x/--y/--by``.

    Returns
    -------
    Figures
        A list of matplotlib Figures (``ax=``: the figure holding it), shown as images in
        a notebook.
    """
    from wargame.figures.load import Unsupported, load_results
    from wargame.figures.standard import render_kind, write_index
    from wargame.figures.style import drawing

    named = kinds is not None
    if named:
        chosen = (kinds,) if isinstance(kinds, str) else tuple(kinds)
        if not chosen or any(kind not in SWEEP_KINDS for kind in chosen):
            raise WargameError(f"wargame.plot: kinds = {kinds!r}; expected some of "
                               f"{', '.join(SWEEP_KINDS)}")
    results = source.results if isinstance(source, SweepData) else load_results(Path(source))
    if not named:
        chosen = kinds_for(results.model, results.design)
    options = {"x": x, "y": y, "by": by}
    taken = {option for kind in chosen for option in KINDS[kind].options}
    unused = [k for k, v in options.items() if v is not None and k not in taken]
    if named and unused:  # each kind takes the options it has; one no kind takes is a slip
        raise WargameError(f"wargame.plot: {' and '.join(chosen)} "
                           f"do{'es' if len(chosen) == 1 else ''} not take {', '.join(unused)}")
    if ax is not None and (len(chosen) != 1 or not KINDS[chosen[0]].axes):
        one_panel = [k for k in SWEEP_KINDS if KINDS[k].axes]
        raise WargameError(f"wargame.plot: ax= draws one kind of one panel: one of "
                           f"{', '.join(one_panel)}; got kinds = {kinds!r}")
    folder = None if out is None else Path(out)
    if folder is not None:
        check_out_dir(folder, "out")
    records, skipped = [], {}
    with drawing(write=folder is not None, ax=ax) as drawn:
        for kind in chosen:
            try:
                records += render_kind(kind, results, folder or results.path / "plots",
                                       **options)
            except Unsupported as exc:
                if named:
                    raise WargameError(f"wargame.plot: {kind}: {exc}") from None
                skipped[kind] = str(exc)
    if folder is not None:
        write_index(folder, results.describe(), records, skipped)
    return Figures(dict.fromkeys(drawn), skipped)  # once each: ax= draws into one figure
