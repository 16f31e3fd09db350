"""What a finished run reports: per-run outputs, per-day series and per-state results.

Every column and how it is computed is declared in `wargame.output_registry`; the functions
here loop over that declaration. The per-run outputs (`run_outputs`) are the row a sweep
stores for each run; the frames are what `wargame run` writes as Parquet. Definitions are
in docs/MODEL.md §3.11.
"""

from __future__ import annotations

import pandas as pd

from wargame.model import STATE_SERIES, STEP_SERIES, CrisisModel
from wargame.output_registry import gini, outputs  # noqa: F401  (gini: re-exported)


def run_outputs(model: CrisisModel) -> dict:
    """The per-run outputs (docs/MODEL.md §3.11), as plain Python values (NaN where not reached)."""
    return {o.name: o.compute(model) for o in outputs("run")}


def final_state_columns(model: CrisisModel) -> dict[str, list]:
    """Per-state results at the end of the run, as plain columns (cheap: no DataFrame)."""
    return {o.name: o.compute(model) for o in outputs("state")}


def _typed(frame: pd.DataFrame, level: str, *, codes: bool = False) -> pd.DataFrame:
    """The frame's ladders as ordered categoricals of their declared levels (from the
    levels' numbers if `codes`), its integer outputs as integers."""
    for o in outputs(level):
        if o.categories:
            frame[o.name] = (pd.Categorical.from_codes(frame[o.name].astype(int), o.categories,
                                                       ordered=o.ordered) if codes else
                             pd.Categorical(frame[o.name], o.categories, ordered=o.ordered))
        elif codes and o.dtype == "int" and not o.index:
            frame[o.name] = frame[o.name].round().astype("int64")
    return frame


def final_states(model: CrisisModel) -> pd.DataFrame:
    """One row per state at the end of the run: level, troops and costs."""
    return _typed(pd.DataFrame(final_state_columns(model)), "state")


def step_columns(model: CrisisModel) -> dict[str, list]:
    """The per-day series as plain columns, escalation by rung name (cheap: no DataFrame)."""
    if not model.collect_series:
        raise ValueError("the model was built with collect_series=False")
    series = model.datacollector.model_vars
    return {name: list(series[name]) for name in STEP_SERIES}


def steps_frame(model: CrisisModel) -> pd.DataFrame:
    """One row per day (day 0 = the attack, before any decision) of model-level series."""
    return _typed(pd.DataFrame(step_columns(model)), "day")


def states_frame(model: CrisisModel) -> pd.DataFrame:
    """One row per day and state: commitment level's name, troops, cost in EUR bn."""
    if not model.collect_series:
        raise ValueError("the model was built with collect_series=False")
    frame = pd.DataFrame(model.state_ledger, columns=["day", "iso3", *STATE_SERIES])
    frame = _typed(frame, "day_state", codes=True)
    return frame.sort_values(["day", "iso3"], kind="stable").reset_index(drop=True)
