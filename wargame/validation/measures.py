"""Measures over a sweep's runs that several checks share: paired differences, cell shares.

Every comparison between cells is paired by replication (the seed): the difference is taken
within each replication, averaged over the cells that match on every other swept input,
and its interval is taken over replications (`wargame.validation.stats.mean`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from wargame.errors import WargameError
from wargame.figures.stats import clustered_mean_ci
from wargame.validation import stats
from wargame.validation.stats import Estimate

#: The rung at which an attack is an armed attack (model v2; v3 reports `armed_attack`).
ARMED_RUNG = "CONVENTIONAL"


def missing(frame: pd.DataFrame, *columns: str) -> str | None:
    """'needs model v3 output NAME' for the first column `frame` lacks, else None."""
    for column in columns:
        if column not in frame.columns:
            return f"needs model v3 output {column}"
    return None


def armed(runs: pd.DataFrame) -> pd.Series:
    """Runs in which the adversary reached an armed (conventional) attack."""
    if "armed_attack" in runs.columns:
        return runs["armed_attack"].astype(bool)
    return runs["max_escalation"] == ARMED_RUNG


def defeated(runs: pd.DataFrame) -> pd.Series:
    return (runs["outcome"] == "defeated").astype(float)


def paired(runs: pd.DataFrame, lever: str, low: Any, high: Any, values: pd.Series,
           within: Sequence[str], confidence: float = stats.CONFIDENCE) -> Estimate:
    """Mean of `values` at lever = high minus at lever = low, paired by replication.

    `within` are the other swept inputs: a pair is the same replication and the same
    values of these. A replication's differences are averaged before the interval.
    """
    frame = runs.assign(_value=values.astype(float))
    frame = frame[frame[lever].isin([low, high])]
    wide = frame.set_index(["replication", *within, lever])["_value"].unstack(lever)
    if low not in wide.columns or high not in wide.columns:
        raise WargameError(f"no runs with {lever} = {low} and {high} to compare")
    by_replication = (wide[high] - wide[low]).groupby(level="replication").mean()
    return stats.mean(by_replication.to_numpy(), confidence)


def by_replication_mean(runs: pd.DataFrame, values: pd.Series) -> Estimate:
    """The mean of `values` over the runs that have one, its interval taken over
    replications (seeds).

    A value is missing (NaN) where what it measures never arose (a reliability share in a
    run whose clauses were not invoked), so replications hold different numbers of values:
    the mean is over runs, as the calibration's statistic takes it, and each replication is
    a cluster of a ratio estimator (its total less the mean times its count, by the mean
    count), whose t interval is the mean's: the figures' `clustered_mean_ci`, replications
    as the clusters. With no value missing this is the mean of the per-replication means
    and their t interval; one replication has no spread, so its interval is the point.
    """
    present = values.astype(float).dropna()
    if present.empty:
        return stats.mean(np.array([]))
    n, value, low, high = clustered_mean_ci(present.to_numpy(),
                                            runs.loc[present.index, "replication"].to_numpy())
    if n == 1:
        return Estimate(value, value, value, 1)
    return Estimate(value, low, high, n)


def cell_shares(runs: pd.DataFrame, flags: pd.Series, cells: Sequence[str]) -> pd.DataFrame:
    """Per cell of the grid: hits, runs and the share of `flags`."""
    grouped = flags.astype(bool).groupby([runs[c] for c in cells])
    table = pd.DataFrame({"hits": grouped.sum(), "n": grouped.size()})
    table["share"] = table["hits"] / table["n"]
    return table


def cell_label(cells: Sequence[str], key: Any) -> str:
    """'us_commitment=0.3, governance=art427_only' for one cell's key."""
    values = key if isinstance(key, tuple) else (key,)
    return ", ".join(f"{name}={value}" for name, value in zip(cells, values, strict=True))


def modal_share(values: pd.Series) -> tuple[Any, Estimate]:
    """The most frequent value and the share of runs holding it (Wilson interval)."""
    counts = values.value_counts()
    return counts.index[0], stats.share(int(counts.iloc[0]), int(counts.sum()))


def level_reached(states: pd.DataFrame) -> tuple[pd.Series, str]:
    """Each state-run's highest commitment level, and a note if only the final one exists.

    Model v3 reports `peak_commitment`; model v2 only the level at the end, which under-
    counts states that stepped down again.
    """
    column, note = ("peak_commitment", "") if "peak_commitment" in states.columns else (
        "commitment", "level at the end of the run (the model reports no peak_commitment)")
    return states[column].astype(str), note


def commitment_rank(levels: pd.Series) -> pd.Series:
    """Commitment level names as their rank (NONE 0 ... FORCES 3)."""
    from wargame.agents import Commitment

    return levels.map({level.name: int(level) for level in Commitment}).astype(int)


def troops_arrived(states: pd.DataFrame) -> pd.Series | None:
    """Troops each state-run got to the theatre (v3 `troops_arrived`), or None."""
    return states["troops_arrived"].astype(float) if "troops_arrived" in states.columns else None


def at_least(ranks: pd.Series, level: str) -> np.ndarray:
    """Which state-runs reached `level` (a Commitment name) or above."""
    from wargame.agents import Commitment

    return (ranks >= int(Commitment[level])).to_numpy()


def points(estimate: Estimate) -> str:
    """A difference of shares as text: '+4.7 pts [+2.8, +6.6]'."""
    return (f"{100 * estimate.value:+.1f} pts [{100 * estimate.low:+.1f}, "
            f"{100 * estimate.high:+.1f}]")
