"""Time course: how the crisis unfolds day by day across the runs of a sweep.

One run's story is in `wargame viz`; here are many runs at once: the share of runs at each
rung of the escalation ladder (or already over, by outcome) and the median with a 10–90%
band of troops pledged and deployed. A run that has ended keeps its final troop numbers
on later days, so every day is computed over the same runs and the band does not narrow
just because short (deterred or defeated) runs drop out.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from wargame.figure_kinds import TIMECOURSE
from wargame.figures.load import Results, default_axes, ordered_levels
from wargame.figures.style import (
    Figure,
    level_label,
    pooled_caption,
    pyplot,
    save,
    save_table,
    wrap,
)
from wargame.figures.units import runs_at_levels
from wargame.inputs import RUNG_NAMES
from wargame.outcomes import OUTCOME_COLOURS

SERIES = ("pledged_troops", "deployed_troops")
SERIES_LABELS = {
    "pledged_troops": "Pledged by European states\n(troops)",
    "deployed_troops": "Deployed by European states\n(troops)",
}
#: Purples for the rungs, so that no rung shares a hue with an outcome's colour.
RUNG_COLOURS = {"HYBRID": "#dadaeb", "INCURSION": "#9e9ac8", "CONVENTIONAL": "#54278f"}


def _groups(results: Results, by: str | None) -> pd.Series:
    """The group of each run counted (each distinct run once per group: a repeated
    reference arm counts once; wargame.figures.units), by run id."""
    results.require_swept(by)
    counted = runs_at_levels(results, [by])
    if by is None:
        return pd.Series("all runs", index=counted["run_id"])
    return counted.set_index("run_id")[by]


def series_bands(results: Results, series: str, by: str | None = None) -> pd.DataFrame:
    """Per (by, day): n_runs, median, q10, q90 of a per-day series; ended runs hold their
    last value."""
    steps = results.steps
    wide = steps.pivot(index="run_id", columns="day", values=series).sort_index(axis=1)
    groups = _groups(results, by)
    wide = wide.loc[groups.index].ffill(axis=1)
    rows = []
    for level, part in wide.groupby(groups, sort=True):
        values = part.to_numpy(dtype=float)
        q10, median, q90 = np.nanquantile(values, [0.1, 0.5, 0.9], axis=0)
        rows.append(pd.DataFrame({
            "group": level, "day": wide.columns.to_numpy(), "n_runs": len(part),
            "median": median, "q10": q10, "q90": q90,
        }))
    table = pd.concat(rows, ignore_index=True)
    table.insert(0, "series", series)
    return table.rename(columns={"group": by or "group"})


def escalation_shares(results: Results, by: str | None = None) -> pd.DataFrame:
    """Per (by, day, state): share of runs at each escalation rung, or ended with each
    outcome ("ended: deterred" …); shares sum to one per (by, day)."""
    steps = results.steps
    wide = steps.pivot(index="run_id", columns="day", values="escalation").sort_index(axis=1)
    wide = wide.loc[_groups(results, by).index]
    outcome = results.runs.set_index("run_id")["outcome"].reindex(wide.index)
    last_day = results.runs.set_index("run_id")["days"].reindex(wide.index).to_numpy()
    state = wide.astype(object).to_numpy()
    days = wide.columns.to_numpy()
    ended = days[None, :] >= last_day[:, None]
    state = np.where(ended, ("ended: " + outcome).to_numpy()[:, None], state)
    long = pd.DataFrame(state, index=wide.index, columns=days).stack().rename("state")
    long = long.reset_index().rename(columns={"level_1": "day"})
    long["group"] = _groups(results, by).reindex(long["run_id"]).to_numpy()
    counts = long.groupby(["group", "day", "state"]).size().rename("count").reset_index()
    counts["n_runs"] = counts.groupby(["group", "day"])["count"].transform("sum")
    counts["share"] = counts["count"] / counts["n_runs"]
    return counts.rename(columns={"group": by or "group"})


def render(results: Results, out_dir: Path, by: str | None = None) -> list[Figure]:
    """Escalation (stacked shares) and troops (median, 10–90% band), one column per group."""
    if by is None:
        _, _, default_by = default_axes(results)
        by = default_by if default_by in results.categorical_swept else None
    shares = escalation_shares(results, by)
    bands = pd.concat([series_bands(results, s, by) for s in SERIES], ignore_index=True)
    save_table(shares, out_dir, "timecourse_escalation")
    save_table(bands, out_dir, "timecourse_troops")
    key = by or "group"
    levels = ordered_levels(bands[key], key)
    # Show the days in which something still happens: until 99% of runs have ended.
    horizon = int(np.ceil(results.runs["days"].quantile(0.99))) + 1
    plt = pyplot()
    fig, axes = plt.subplots(3, len(levels), figsize=(1 + 4.8 * len(levels), 10),
                             squeeze=False, sharex=True, sharey="row", constrained_layout=True)
    states = [*RUNG_NAMES, *(f"ended: {o}" for o in OUTCOME_COLOURS)]
    colours = {**RUNG_COLOURS, **{f"ended: {o}": c for o, c in OUTCOME_COLOURS.items()}}
    for col, level in enumerate(levels):
        part = shares[(shares[key] == level) & (shares["day"] <= horizon)]
        grid = part.pivot(index="day", columns="state", values="share").reindex(
            columns=states).fillna(0.0)
        n = int(part["n_runs"].max())
        ax = axes[0, col]
        ax.stackplot(grid.index, grid.T.to_numpy(), labels=states,
                     colors=[colours[s] for s in states], alpha=0.9)
        ax.set_ylim(0, 1)
        ax.set_title(wrap(f"{level_label(by, level) if by else 'All runs'} (n = {n:,} runs)",
                          50))
        if col == 0:
            ax.set_ylabel("Share of runs (0–1)")
        for row, series in enumerate(SERIES, start=1):
            ax = axes[row, col]
            line = bands[(bands["series"] == series) & (bands[key] == level)
                         & (bands["day"] <= horizon)]
            ax.fill_between(line["day"], line["q10"], line["q90"], alpha=0.3, color="#2166ac",
                            label="10–90% of runs")
            ax.plot(line["day"], line["median"], color="#2166ac", label="median over runs")
            ax.grid(alpha=0.3)
            ax.yaxis.set_major_formatter("{x:,.0f}")
            if col == 0:
                ax.set_ylabel(SERIES_LABELS[series])
        axes[-1, col].set_xlabel("Day of the crisis (days after the attack)")
    # Legends beside and below the panels, never on the data, titles or labels.
    handles, labels = axes[0, 0].get_legend_handles_labels()
    fig.legend(handles[::-1], labels[::-1], loc="outside right upper", fontsize=8,
               title="Escalation rung /\nend state (top)")
    handles, labels = axes[1, 0].get_legend_handles_labels()
    fig.legend(handles, [f"troops: {label}" for label in labels], loc="outside lower center",
               ncols=2, fontsize=8)
    fig.suptitle(f"The crisis day by day\n{wrap(results.describe(), 12 * len(levels) + 40)}")
    caption = (
        "Top: share of runs at each rung of the escalation ladder on each day, or already "
        "ended (by outcome). Middle and bottom: troops pledged and deployed by European "
        "states, median and 10–90% band over runs; ended runs keep their final value. "
        f"Days shown until 99% of runs have ended (day {horizon}). "
        + pooled_caption([p for p in results.swept if p != by])
        + f"{results.describe()}. "
        "Numbers: timecourse_escalation.csv, timecourse_troops.csv."
    )
    return [Figure(TIMECOURSE.name, "Time course of the crisis", caption,
                   save(fig, out_dir, TIMECOURSE.name))]
