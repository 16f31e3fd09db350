"""What each outcome costs: troops lost in the runs that end in it, beside its label.

An outcome label alone hides its price. "Repelled" can mean an attack broken at the border
or a counter-offensive that cost the attacked state a third of its army; "occupied" can be
a ceasefire taken early to spare lives. The figure puts, for each outcome (a deterred
crisis costs none: it ends before any armed attack), the mean troops lost per run by the
attacked state, by its allies (every helper's contingent, forward presence, the EU force
and the United States) and by the adversary, one series per level of `by` (governance by
default), so that a reader compares outcome shares (the response and phase figures) with
what each one cost. Its name is `costs`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from wargame.figure_kinds import COSTS
from wargame.figures.load import Results, default_axes, ordered_levels
from wargame.figures.stats import MEAN_CI
from wargame.figures.style import (
    Figure,
    input_name,
    key,
    level_text,
    n_text,
    number,
    pooled_caption,
    pooled_note,
    pyplot,
    save,
    save_table,
    title_figure,
)
from wargame.figures.units import run_mean_table, runs_at_levels
from wargame.outcomes import OUTCOME_NAMES

#: Who lost the troops, as (column of the per-run outputs, panel title).
SIDES = (
    ("victim_losses", "The attacked state's troops lost"),
    ("allied_troops_lost", "Allied troops lost (with the US)"),
    ("adversary_losses", "Adversary troops lost"),
)
#: Fewest seeds behind a mean that is drawn: below it a mean and its interval say little,
#: and the point is left out (the table keeps it).
MIN_UNITS = 5


def costs_table(results: Results, by: str | None = None) -> pd.DataFrame:
    """One row per (by, outcome, side): n (seeds), runs, the mean troops lost per run over
    the runs that ended in that outcome and its t 95% interval (lo, hi), the runs of one
    seed counted as a cluster (`run_mean_table`; none is lost in a crisis deterred before
    any armed attack)."""
    results.require_swept(by)
    columns = ["outcome", "victim_losses", "allied_losses", "us_losses", "adversary_losses"]
    frame = runs_at_levels(results, [by], columns)
    frame["allied_troops_lost"] = frame["allied_losses"] + frame["us_losses"]
    keys = [by, "outcome"] if by else ["outcome"]
    tables = []
    for column, _ in SIDES:
        frame["value"] = frame[column].astype(float)
        tables.append(run_mean_table(frame, keys, "value").assign(side=column))
    table = pd.concat(tables, ignore_index=True)
    rank = table["outcome"].map({name: i for i, name in enumerate(OUTCOME_NAMES)})
    table = table.assign(rank=rank).sort_values([*([by] if by else []), "rank"], kind="stable")
    return table[[*keys, "side", "n", "runs", "mean", "lo", "hi"]].reset_index(drop=True)


def render(results: Results, out_dir: Path, by: str | None = None) -> list[Figure]:
    """Three panels (the attacked state, its allies, the adversary): mean troops lost per
    outcome, one series per level of `by`."""
    _, _, default_by = default_axes(results)
    if by is None and default_by in results.categorical_swept:
        by = default_by
    table = costs_table(results, by)
    save_table(table, out_dir, COSTS.name)
    outcomes = [o for o in OUTCOME_NAMES if o in set(table["outcome"])]
    levels = ordered_levels(table[by], by) if by else [None]
    plt = pyplot()
    fig, axes = plt.subplots(1, len(SIDES), figsize=(6.3 * len(SIDES), 4.8), squeeze=False,
                             constrained_layout=True)
    colours = plt.get_cmap("tab10")(np.arange(len(levels)))
    counted = table[table["side"] == SIDES[0][0]].groupby("outcome")["runs"].sum()
    ticks = [f"{outcome}\n{counted[outcome]:,} runs" for outcome in outcomes]
    handles = []
    for ax, (side, title) in zip(axes.flat, SIDES, strict=True):
        part = table[(table["side"] == side) & (table["n"] >= MIN_UNITS)]
        for k, (level, colour) in enumerate(zip(levels, colours, strict=True)):
            line = part if by is None else part[part[by] == level]
            line = line.set_index("outcome").reindex(outcomes)
            offset = (k - (len(levels) - 1) / 2) * 0.7 / max(len(levels), 1)
            drawn = ax.errorbar(np.arange(len(outcomes)) + offset, line["mean"],
                                yerr=[line["mean"] - line["lo"], line["hi"] - line["mean"]],
                                fmt="o", color=colour, capsize=3)
            if side == SIDES[0][0]:
                handles.append(drawn)
        for i, outcome in enumerate(outcomes):
            if not (part["outcome"] == outcome).any():
                ax.text(i, 0, f"fewer than {MIN_UNITS}\nseeds", ha="center",
                        va="bottom", fontsize=8, color="grey")
        ax.set_xticks(range(len(outcomes)), ticks, fontsize=8)
        ax.set_xlim(-0.6, len(outcomes) - 0.4)
        ax.set_xlabel("How the crisis ended")
        ax.set_ylabel("Troops lost (mean per run)")
        ax.set_ylim(bottom=0)
        ax.yaxis.set_major_formatter(lambda v, _: number(v))
        ax.set_title(title)
        ax.grid(alpha=0.3, axis="y")
    labels = [level_text(by, level) for level in levels] if by else ["all runs"]
    key(fig, handles, labels, ncols=min(len(levels), 3), fontsize=9,
        title=input_name(by) if by else None)
    pooled = [p for p in results.swept if p != by]
    note = f"\n{pooled_note(pooled)}" if pooled else ""
    title_figure(fig, f"What each outcome costs: mean troops lost (bars: t 95% CI)\n"
                      f"{results.describe()}{note}")
    missing = [o for o in OUTCOME_NAMES if o not in outcomes]
    caption = (
        "Mean troops lost per run in the runs that ended in each outcome, with a " + MEAN_CI
        + " that counts the runs of one seed as a cluster (under paired seeds a seed's runs "
        "in different cells are correlated; n counts seeds): the "
        "attacked state's (left), its allies' — every helper's contingent, forward presence "
        "no helper holds, the EU rapid-reaction force and the United States — (middle) and "
        "the adversary's (right)" + (f", one series per {by}" if by else "")
        + ". Under each outcome, the runs that ended in it; a deterred crisis ends before "
        "any armed attack, so without losses"
        + (f"; no run ended {', '.join(missing)}" if missing else "")
        + f". A mean over fewer than {MIN_UNITS} seeds is left out of the figure (costs.csv "
        f"keeps it). n behind each point: {n_text(table['n'])}. "
        "Read it beside the outcome shares (response, phase): an outcome's label says how "
        "the crisis ended, not what that cost. " + pooled_caption(pooled)
        + f"{results.describe()}. Numbers: costs.csv.")
    return [Figure(COSTS.name, "What each outcome costs", caption,
                   save(fig, out_dir, COSTS.name))]
