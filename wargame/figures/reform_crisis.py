"""What the Art. 12 reform changes in a crisis, from one two-stage sweep.

Drawn by `wargame plot reform-crisis` (and by `wargame sweep --plots`) for a sweep whose
governance levels include ``reform`` beside reference regimes (wargame/configs/sweeps/reform.toml):

- ``reform-crisis``: P(each outcome) under each arm — today's NATO, an assumed EU-led NATO,
  the two-stage runs (negotiation first) and those split by whether any element of the
  package is in force by the crisis year — with Wilson 95% intervals; and P(defeated) of
  the two-stage runs against a swept reform lever beside the reference arms' levels;
- the negotiation figures (the kinds `wargame.figure_kinds` declares for a negotiation
  sweep: adoption, blockers, map, price), drawn from the sweep's reform_* run columns, so
  one sweep answers "can it be agreed, who blocks, at what price, and what does it change
  in a crisis".

The reference arms ignore the reform inputs: a grid that crosses them with reform levers runs
each of their seeds once per lever cell, identically. Those repeats are counted once (runs
with the same crisis inputs and seed are the same run), so no interval is narrowed by them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from wargame.figure_kinds import NEGOTIATION, REFORM_CRISIS, kinds_for
from wargame.figures.load import Results, Unsupported
from wargame.figures.reform import input_label
from wargame.figures.standard import render_kind
from wargame.figures.stats import PROPORTION_CI, wilson
from wargame.figures.style import Figure, pyplot, save, save_table
from wargame.inputs import CRISIS_INPUTS
from wargame.outcomes import HEADLINE_OUTCOMES, OUTCOME_COLOURS, OUTCOME_NAMES
from wargame.reform.inputs import REFORM_INPUTS
from wargame.regimes import REGIMES, TWO_STAGE_REGIMES

#: The governance of the two-stage runs, and the outcome the package panel shows.
TWO_STAGE = TWO_STAGE_REGIMES[0]
KEY_OUTCOME = HEADLINE_OUTCOMES[0]
#: The two-stage runs again, split by what acts in the crisis: arm -> (elements of the
#: package in force by the crisis year, tick). An agreed package whose treaty change failed
#: still has its other elements in force, and an adopted one may not be in force yet.
SPLITS = {f"{TWO_STAGE}: adopted": (True, "… elements\nin force"),
          f"{TWO_STAGE}: blocked": (False, "… nothing in\nforce (today)")}
#: Arms in reading order: every governance regime, then the split.
ARMS = (*REGIMES, *SPLITS)
#: Each arm's label, short enough to sit side by side under the bars.
ARM_TICKS = {**{r.name: r.short for r in REGIMES.values()},
             **{arm: tick for arm, (_, tick) in SPLITS.items()}}
#: The arms drawn as reference lines in the package panel: the regimes a negotiation can
#: end in (a NATO bound by Art. 5), each with its line style.
REFERENCES = tuple(zip((r.name for r in REGIMES.values() if r.nato_treaty and not r.two_stage),
                       ("--", ":", "-."), strict=False))


def distinct_runs(results: Results) -> pd.DataFrame:
    """The successful runs, each distinct run once: a run is its crisis inputs and seed."""
    runs = results.runs
    reform = runs[runs["governance"] == TWO_STAGE]
    others = runs[runs["governance"] != TWO_STAGE].drop_duplicates(["seed", *CRISIS_INPUTS])
    return pd.concat([others, reform], ignore_index=True)


def arm_runs(runs: pd.DataFrame, arm: str) -> pd.DataFrame:
    """The runs of one arm (a governance level, or the two-stage runs by their outcome)."""
    if arm in SPLITS:
        in_force = runs["reform_in_force"].fillna("").ne("")
        acting = in_force if SPLITS[arm][0] else ~in_force
        return runs[(runs["governance"] == TWO_STAGE) & acting]
    return runs[runs["governance"] == arm]


def outcome_table(runs: pd.DataFrame) -> pd.DataFrame:
    """One row per arm present and outcome: n, count, P and its Wilson 95% interval."""
    rows = []
    for arm in ARMS:
        part = arm_runs(runs, arm)
        if part.empty:
            continue
        for outcome in OUTCOME_NAMES:
            rows.append({"arm": arm, "outcome": outcome, "n": len(part),
                         "count": int((part["outcome"] == outcome).sum())})
    table = pd.DataFrame(rows)
    table["p"] = table["count"] / table["n"]
    table["low"], table["high"] = wilson(table["count"].to_numpy(), table["n"].to_numpy())
    return table


def lever_table(runs: pd.DataFrame, x: str, by: str | None) -> pd.DataFrame:
    """P(defeated) of the two-stage runs per level of x (and of by), Wilson intervals."""
    reform = runs[runs["governance"] == TWO_STAGE]
    keys = [k for k in (by, x) if k is not None]
    table = reform.groupby(keys).agg(n=("outcome", "size"),
                                     count=("outcome", lambda o: int((o == KEY_OUTCOME).sum())))
    table = table.reset_index()
    table["p"] = table["count"] / table["n"]
    table["low"], table["high"] = wilson(table["count"].to_numpy(), table["n"].to_numpy())
    return table


def render(results: Results, out_dir: Path) -> list[Figure]:
    """The crisis with against without the reform, then the negotiation figures."""
    runs = distinct_runs(results)
    if not (runs["governance"] == TWO_STAGE).any():
        raise Unsupported("no two-stage run (governance = reform) in this sweep")
    if runs["governance"].nunique() < 2:
        raise Unsupported("no reference governance to compare the two-stage runs with")
    levers = [s for s in results.numeric_swept if s in REFORM_INPUTS]
    figures = [_render_comparison(results, runs, levers, out_dir)]
    figures += _negotiation_figures(results, out_dir)
    return figures


def _render_comparison(results: Results, runs: pd.DataFrame, levers: list[str],
                       out_dir: Path) -> Figure:
    table = outcome_table(runs)
    arms = list(dict.fromkeys(table["arm"]))
    plt = pyplot()
    fig, axes = plt.subplots(1, 2 if levers else 1, figsize=(13 if levers else 7.5, 5.2),
                             squeeze=False, constrained_layout=True)
    ax = axes[0, 0]
    width = 0.8 / len(OUTCOME_NAMES)
    for k, outcome in enumerate(OUTCOME_NAMES):
        part = table[table["outcome"] == outcome].set_index("arm").loc[arms]
        xs = np.arange(len(arms)) + (k - (len(OUTCOME_NAMES) - 1) / 2) * width
        ax.bar(xs, part["p"], width, color=OUTCOME_COLOURS[outcome], label=outcome,
               yerr=[part["p"] - part["low"], part["high"] - part["p"]], capsize=2)
    n_of = table.drop_duplicates("arm").set_index("arm")["n"]
    ax.set_xticks(range(len(arms)),
                  [f"{ARM_TICKS[a]}\nn = {n_of[a]:,}" for a in arms], fontsize=8)
    ax.set_ylim(0, 1)
    ax.set_ylabel("Share of runs ending so (0–1)")
    ax.set_title("Crisis outcome by governance")
    # Keys below the panels: over them they hid the tallest bars.
    fig.legend(*ax.get_legend_handles_labels(), loc="outside lower left", fontsize=8,
               title="outcome", ncols=len(OUTCOME_NAMES))
    lever_note = ""
    if levers:
        x, by = levers[0], (levers[1] if len(levers) > 1 else None)
        lever = lever_table(runs, x, by)
        ax = axes[0, 1]
        groups = lever.groupby(by) if by else [(None, lever)]
        for level, part in groups:
            label = f"{by} = {level:g}" if by else "two-stage runs"
            ax.errorbar(part[x], part["p"], yerr=[part["p"] - part["low"],
                                                  part["high"] - part["p"]],
                        marker="o", capsize=3, label=label)
        for arm, style in REFERENCES:
            ref = table[(table["arm"] == arm) & (table["outcome"] == KEY_OUTCOME)]
            if not ref.empty:
                row = ref.iloc[0]
                ax.axhline(row["p"], ls=style, color="black", lw=1,
                           label=f"{REGIMES[arm].label} (n = {row['n']:,})")
                ax.axhspan(row["low"], row["high"], color="grey", alpha=0.15)
        ax.set_xlabel(input_label(x))
        ax.set_ylabel(f"P({KEY_OUTCOME}) (0–1)")
        ax.set_ylim(0, max(0.2, 1.3 * float(lever["high"].max())))
        ax.set_title(f"Two-stage runs: P({KEY_OUTCOME}) by package")
        fig.legend(*ax.get_legend_handles_labels(), loc="outside lower right", fontsize=7,
                   ncols=2)
        lever_note = (f" Right: P({KEY_OUTCOME}) of the two-stage runs by {x}"
                      + (f" and {by}" if by else "") + f" ({lever['n'].min():,}–"
                      f"{lever['n'].max():,} runs per point), the reference arms as lines "
                      "with their intervals shaded.")
        table = pd.concat([table, lever.assign(arm=TWO_STAGE, outcome=KEY_OUTCOME)],
                          ignore_index=True)
    fig.suptitle("What the Art. 12 reform changes in the crisis")
    paths = save(fig, out_dir, REFORM_CRISIS.name)
    paths.append(save_table(table, out_dir, REFORM_CRISIS.name))
    caption = (
        "Left: share of runs ending in each outcome under today's US-led NATO, an EU-led NATO "
        "assumed from the start, and the two-stage runs in which the allies first negotiate "
        "the Art. 12 reform (EU-led NATO with per-state bonds, raised EU spending and a "
        "reduced US commitment if adopted; today's NATO if blocked), all packages of the "
        "sweep pooled, and split by whether any element of the package is in force by the "
        f"crisis year; {PROPORTION_CI}, n under each "
        "arm (distinct runs: reference runs repeated across reform-lever cells are counted "
        "once). The split is selected by the negotiation, not assigned: "
        f"compare it with care.{lever_note} Arms share seeds (common random numbers in the "
        f"crisis stage). {results.describe()}."
    )
    return Figure(REFORM_CRISIS.name, "What the reform changes in the crisis", caption, paths)


def _negotiation_figures(results: Results, out_dir: Path) -> list[Figure]:
    """The reform-* figures from this sweep's negotiations (those it cannot draw are left out;
    `wargame plot reform-KIND` names the reason)."""
    drawn = []
    for kind in kinds_for(NEGOTIATION):
        try:
            drawn += render_kind(kind, results, out_dir)
        except Unsupported:
            continue
    return drawn
