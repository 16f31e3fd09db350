"""What the Art. 12 reform changes in a crisis, from one two-stage sweep.

Kind ``reform_crisis`` of `wargame plot` (and of `wargame sweep --plots`) for a sweep whose
governance levels include ``reform`` beside reference regimes (configs/sweeps/reform.toml):

- ``reform-crisis``: P(each outcome) under each arm — today's NATO, an assumed EU-led NATO,
  the two-stage runs (negotiation first) and those split by adopted and blocked — with
  Wilson 95% intervals; and P(defeated) of the two-stage runs against a swept reform lever
  beside the reference arms' levels;
- the negotiation figures of `wargame.figures.reform` (adoption, blockers, map, price), drawn
  from the sweep's reform_* run columns, so one sweep answers "can it be agreed, who blocks,
  at what price, and what does it change in a crisis".

The reference arms ignore the reform inputs: a grid that crosses them with reform levers runs
each of their seeds once per lever cell, identically. Those repeats are counted once (runs
with the same crisis inputs and seed are the same run), so no interval is narrowed by them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from wargame.figures.load import Results, Unsupported
from wargame.figures.stats import PROPORTION_CI, wilson
from wargame.figures.style import GOVERNANCE_NAMES, Figure, pyplot, save, save_table
from wargame.palette import OUTCOME_COLOURS

OUTCOMES = tuple(OUTCOME_COLOURS)
#: Arms in reading order: label, and which runs belong to it.
ARMS = ("nato_us_led", "art427_only", "eu_led_nato", "reform", "reform: adopted",
        "reform: blocked")
ARM_NAMES = {**GOVERNANCE_NAMES, "reform": "Two-stage: reform negotiated first",
             "reform: adopted": "… of which with elements in force by the crisis year",
             "reform: blocked": "… of which with nothing in force (today's NATO)"}
#: The same, short enough to sit side by side under the bars.
ARM_TICKS = {"nato_us_led": "Today:\nNATO US-led", "eu_led_nato": "EU-led NATO\n(assumed)",
             "art427_only": "Art. 42.7\nonly", "reform": "Two-stage:\nreform first",
             "reform: adopted": "… elements\nin force",
             "reform: blocked": "… nothing in\nforce (today)"}


def distinct_runs(results: Results) -> pd.DataFrame:
    """The successful runs, each distinct run once: a run is its crisis inputs and seed."""
    from wargame.inputs import CRISIS_INPUTS

    runs = results.runs
    reform = runs[runs["governance"] == "reform"]
    others = runs[runs["governance"] != "reform"].drop_duplicates(["seed", *CRISIS_INPUTS])
    return pd.concat([others, reform], ignore_index=True)


def arm_runs(runs: pd.DataFrame, arm: str) -> pd.DataFrame:
    """The runs of one arm (a governance level, or the two-stage runs by their outcome)."""
    # Split by what acts in the crisis: an agreed package whose treaty change failed still
    # has its other elements in force, and an adopted one may not be in force yet.
    acting = runs["reform_in_force"].fillna("").ne("")
    if arm == "reform: adopted":
        return runs[(runs["governance"] == "reform") & acting]
    if arm == "reform: blocked":
        return runs[(runs["governance"] == "reform") & ~acting]
    return runs[runs["governance"] == arm]


def outcome_table(runs: pd.DataFrame) -> pd.DataFrame:
    """One row per arm present and outcome: n, count, P and its Wilson 95% interval."""
    rows = []
    for arm in ARMS:
        part = arm_runs(runs, arm)
        if part.empty:
            continue
        for outcome in OUTCOMES:
            rows.append({"arm": arm, "outcome": outcome, "n": len(part),
                         "count": int((part["outcome"] == outcome).sum())})
    table = pd.DataFrame(rows)
    table["p"] = table["count"] / table["n"]
    table["low"], table["high"] = wilson(table["count"].to_numpy(), table["n"].to_numpy())
    return table


def lever_table(runs: pd.DataFrame, x: str, by: str | None) -> pd.DataFrame:
    """P(defeated) of the two-stage runs per level of x (and of by), Wilson intervals."""
    reform = runs[runs["governance"] == "reform"]
    keys = [k for k in (by, x) if k is not None]
    table = reform.groupby(keys).agg(n=("outcome", "size"),
                                     count=("outcome", lambda o: int((o == "defeated").sum())))
    table = table.reset_index()
    table["p"] = table["count"] / table["n"]
    table["low"], table["high"] = wilson(table["count"].to_numpy(), table["n"].to_numpy())
    return table


def render(results: Results, out_dir: Path) -> list[Figure]:
    """The crisis with against without the reform, then the negotiation figures."""
    runs = distinct_runs(results)
    if not (runs["governance"] == "reform").any():
        raise Unsupported("no two-stage run (governance = reform) in this sweep")
    if runs["governance"].nunique() < 2:
        raise Unsupported("no reference governance to compare the two-stage runs with")
    from wargame.reform.inputs import REFORM_INPUTS

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
                             squeeze=False)
    ax = axes[0, 0]
    width = 0.8 / len(OUTCOMES)
    for k, outcome in enumerate(OUTCOMES):
        part = table[table["outcome"] == outcome].set_index("arm").loc[arms]
        xs = np.arange(len(arms)) + (k - (len(OUTCOMES) - 1) / 2) * width
        ax.bar(xs, part["p"], width, color=OUTCOME_COLOURS[outcome], label=outcome,
               yerr=[part["p"] - part["low"], part["high"] - part["p"]], capsize=2)
    n_of = table.drop_duplicates("arm").set_index("arm")["n"]
    ax.set_xticks(range(len(arms)),
                  [f"{ARM_TICKS[a]}\nn = {n_of[a]:,}" for a in arms], fontsize=8)
    ax.set_ylim(0, 1)
    ax.set_ylabel("Share of runs ending so (0–1)")
    ax.set_title("Crisis outcome by governance")
    ax.legend(fontsize=8, title="outcome")
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
        for arm, style in (("nato_us_led", "--"), ("eu_led_nato", ":")):
            ref = table[(table["arm"] == arm) & (table["outcome"] == "defeated")]
            if not ref.empty:
                row = ref.iloc[0]
                ax.axhline(row["p"], ls=style, color="black", lw=1,
                           label=f"{ARM_NAMES[arm]} (n = {row['n']:,})")
                ax.axhspan(row["low"], row["high"], color="grey", alpha=0.15)
        from wargame.figures.reform import input_label

        ax.set_xlabel(input_label(x))
        ax.set_ylabel("P(defeated) (0–1)")
        ax.set_ylim(0, max(0.2, 1.3 * float(lever["high"].max())))
        ax.set_title("Two-stage runs: P(defeated) by package")
        ax.legend(fontsize=7)
        lever_note = (f" Right: P(defeated) of the two-stage runs by {x}"
                      + (f" and {by}" if by else "") + f" ({lever['n'].min():,}–"
                      f"{lever['n'].max():,} runs per point), the reference arms as lines "
                      "with their intervals shaded.")
        table = pd.concat([table, lever.assign(arm="reform", outcome="defeated")],
                          ignore_index=True)
    fig.suptitle("What the Art. 12 reform changes in the crisis")
    fig.tight_layout()
    paths = save(fig, out_dir, "reform-crisis")
    paths.append(save_table(table, out_dir, "reform-crisis"))
    caption = (
        "Left: share of runs ending in each outcome under today's US-led NATO, an EU-led NATO "
        "assumed from the start, and the two-stage runs in which the allies first negotiate "
        "the Art. 12 reform (EU-led NATO with per-state bonds, raised EU spending and a "
        "reduced US commitment if adopted; today's NATO if blocked), all packages of the "
        f"sweep pooled, and split by the negotiation's outcome; {PROPORTION_CI}, n under each "
        "arm (distinct runs: reference runs repeated across reform-lever cells are counted "
        "once). The adopted/blocked split is selected by the negotiation, not assigned: "
        f"compare it with care.{lever_note} Arms share seeds (common random numbers in the "
        f"crisis stage). {results.describe()}."
    )
    return Figure("reform-crisis", "What the reform changes in the crisis", caption, paths)


def _negotiation_figures(results: Results, out_dir: Path) -> list[Figure]:
    """The reform-* figures from this sweep's negotiations (those it cannot draw are left out;
    `wargame plot reform-KIND` names the reason)."""
    from wargame.figures import reform

    drawn = []
    for draw in (reform.render_adoption, reform.render_blockers, reform.render_map,
                 reform.render_price):
        try:
            drawn += draw(results, out_dir)
        except Unsupported:
            continue
    return drawn
