"""Scenario discovery: the region of the swept parameters in which the attacked state is
defeated, found with PRIM (Friedman & Fisher 1999) from ema_workbench.

PRIM peels the parameter space box by box towards a region dense in defeats. Each box on
its peeling trajectory trades coverage (the share of all defeats inside the box) against
density (the share of runs inside the box that end in defeat). Two boxes are reported:
the "balanced" one (highest harmonic mean of coverage and density, the F-score compromise)
and the "densest" one (the end of the trajectory). Both are printed as rules a reader can
check: "us_commitment ≤ 0.25 and governance = art427_only → defeated in 41% of runs,
covering 30% of defeats".

PRIM always finds a box, noise or not: it searches. So it is fitted on half of the seeds
and every box is judged on the runs of the other half, which it never saw (all runs of a
seed fall in one half, so paired runs cannot leak). A box is a finding only where its
held-out density is above the held-out base rate with 95% confidence (the Wilson
interval's lower end above it); a box that is not is drawn in grey and its rule says
"not confirmed". PRIM reads every run of the design, a repeated reference arm included
(dropping its repeats would empty the cells of the levers it ignores and bias the boxes);
the check splits by seed, so a repeat is never on both sides.
"""

from __future__ import annotations

import logging
import textwrap
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from wargame.figure_kinds import DISCOVERY
from wargame.figures.load import MAX_LEVELS, Results, Unsupported
from wargame.figures.stats import PROPORTION_CI, wilson
from wargame.figures.style import (
    Figure,
    input_name,
    number,
    pyplot,
    save,
    save_table,
    save_text,
    wrap,
)
from wargame.outcomes import OUTCOME_NAMES


def _restriction(name: str, values: pd.Series, low: object, high: object) -> str | None:
    """One restricted dimension as words, or None if the box spans the whole range.

    On a grid the box edge lies between levels, so the rule names the levels it keeps.
    """
    if isinstance(low, set):
        kept = sorted(map(str, low))
        if set(kept) == set(map(str, values.unique())):
            return None
        return f"{name} = {kept[0]}" if len(kept) == 1 else f"{name} in {{{', '.join(kept)}}}"
    levels = np.sort(values.unique())
    inside = levels[(levels >= low) & (levels <= high)]
    if len(inside) == len(levels):
        return None
    if len(levels) <= MAX_LEVELS:
        if len(inside) == 1:
            return f"{name} = {number(inside[0])}"
        if inside[0] == levels[0]:
            return f"{name} ≤ {number(inside[-1])}"
        if inside[-1] == levels[-1]:
            return f"{name} ≥ {number(inside[0])}"
        return f"{number(inside[0])} ≤ {name} ≤ {number(inside[-1])}"
    if low <= levels[0]:
        return f"{name} ≤ {number(high)}"
    if high >= levels[-1]:
        return f"{name} ≥ {number(low)}"
    return f"{number(low)} ≤ {name} ≤ {number(high)}"


#: The share of seeds whose runs PRIM never sees (the boxes are judged on them), and the
#: seed of the draw that picks them, so a folder's figure is the same each time.
HELD_OUT = 0.5
SPLIT_SEED = 20261205
#: Fewer runs than this on either side and the check could not tell a finding from noise.
MIN_RUNS = 40


def held_out(runs: pd.DataFrame) -> np.ndarray:
    """True for the runs held out: those of a random half of the seeds."""
    seeds = np.sort(runs["seed"].unique())
    chosen = np.random.default_rng(SPLIT_SEED).choice(
        seeds, size=int(round(HELD_OUT * len(seeds))), replace=False)
    return runs["seed"].isin(chosen).to_numpy()


def in_box(x: pd.DataFrame, lims: pd.DataFrame) -> np.ndarray:
    """Which rows of x lie inside a PRIM box (limits: row 0 low, row 1 high; a set of
    kept levels for a categorical input)."""
    inside = np.ones(len(x), dtype=bool)
    for name in lims.columns:
        low, high = lims.loc[0, name], lims.loc[1, name]
        if isinstance(low, set):
            inside &= x[name].isin(low).to_numpy()
        else:
            inside &= ((x[name] >= low) & (x[name] <= high)).to_numpy()
    return inside


def prim_boxes(results: Results, outcome: str = "defeated") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run PRIM on half the seeds for runs ending in `outcome`, judge each box on the
    other half; return (trajectory, limits).

    trajectory: one row per box (id, coverage, density, mass, n runs, n_cases, res_dim,
    density's Wilson 95% interval: all on the fitted runs; rule text, choice =
    "balanced"/"densest"/""; and on the held-out runs: test_n, test_cases, test_density
    with its Wilson interval, test_coverage, test_base_rate and `holds`, whether the
    interval's lower end is above the base rate).
    limits: per chosen box and swept parameter, the box's low/high against the full range
    (numeric) or the kept levels (categorical).
    """
    if outcome not in OUTCOME_NAMES:
        raise Unsupported(f"unknown outcome {outcome!r}; "
                          f"expected one of {', '.join(OUTCOME_NAMES)}")
    if not results.swept:
        raise Unsupported("nothing was swept; there is no parameter region to discover")
    runs = results.runs
    # PRIM writes box limits (floats, e.g. 1184.5) into a copy of x: integer columns
    # (forward_presence, rapid_reaction_force of an LHS design) must be float for that.
    everything = runs[results.swept].astype({name: "float64" for name in results.numeric_swept})
    hits = (runs["outcome"] == outcome).to_numpy()
    test = held_out(runs)
    if min(test.sum(), (~test).sum()) < MIN_RUNS:
        raise Unsupported(f"{len(runs):,} runs: too few to fit PRIM on half the "
                          f"seeds and check it on the other half ({MIN_RUNS} a side)")
    x, y = everything[~test].reset_index(drop=True), hits[~test]
    x_test, y_test = everything[test].reset_index(drop=True), hits[test]
    if hits.all() or not hits.any():
        raise Unsupported(f"{'every' if hits.all() else 'no'} run ends {outcome}; "
                          "nothing to discover")
    n_cases = int(y.sum())
    if n_cases in (0, len(y)) or y_test.all() or not y_test.any():
        raise Unsupported(f"in one half of the seeds no run or every run ends {outcome}: "
                          "too few cases to fit PRIM on one half and check it on the other")
    logging.getLogger("EMA").setLevel(logging.WARNING)
    with warnings.catch_warnings():  # ema_workbench warns about optional parallel backends
        warnings.simplefilter("ignore")
        from ema_workbench.analysis import prim

        box = prim.Prim(x, y).find_box()
    trajectory = box.peeling_trajectory[
        ["id", "coverage", "density", "mass", "n", "res_dim"]].copy().reset_index(drop=True)
    trajectory["n_cases"] = (trajectory["density"] * trajectory["n"]).round().astype(int)
    trajectory["density_lo"], trajectory["density_hi"] = wilson(
        trajectory["n_cases"], trajectory["n"])
    rules = []
    for lims in box.box_lims:
        parts = [_restriction(name, x[name], lims.loc[0, name], lims.loc[1, name])
                 for name in x.columns if name in lims.columns]
        rules.append(" and ".join(p for p in parts if p) or "(all runs)")
    trajectory["rule"] = rules[: len(trajectory)]
    c, d = trajectory["coverage"], trajectory["density"]
    score = (2 * c * d / (c + d)).where(trajectory["res_dim"] > 0)
    trajectory["choice"] = ""
    if score.notna().any():
        trajectory.loc[score.idxmax(), "choice"] = "balanced"
    last = trajectory.index[-1]
    trajectory.loc[last, "choice"] = (trajectory.loc[last, "choice"] + " densest").strip()
    trajectory["outcome"], trajectory["base_rate"] = outcome, n_cases / len(y)
    inside = [in_box(x_test, box.box_lims[i]) for i in range(len(trajectory))]
    trajectory["test_n"] = [int(i.sum()) for i in inside]
    trajectory["test_cases"] = [int(y_test[i].sum()) for i in inside]
    trajectory["test_density"] = trajectory["test_cases"] / trajectory["test_n"].where(
        trajectory["test_n"] > 0)
    trajectory["test_density_lo"], trajectory["test_density_hi"] = wilson(
        trajectory["test_cases"], trajectory["test_n"])
    trajectory["test_coverage"] = trajectory["test_cases"] / y_test.sum()
    trajectory["test_base_rate"] = y_test.mean()
    trajectory["holds"] = (trajectory["res_dim"] > 0) & (
        trajectory["test_density_lo"] > trajectory["test_base_rate"])
    limits = []
    for i in trajectory.index[trajectory["choice"] != ""]:
        lims = box.box_lims[i]
        for name in x.columns:
            row = {"box": trajectory.loc[i, "choice"], "id": int(trajectory.loc[i, "id"]),
                   "parameter": name}
            if name in lims.columns and isinstance(lims.loc[0, name], set):
                row["levels"] = ", ".join(sorted(map(str, lims.loc[0, name])))
            else:
                low, high = (lims.loc[0, name], lims.loc[1, name]) if name in lims.columns \
                    else (x[name].min(), x[name].max())
                levels = np.sort(x[name].unique())
                if len(levels) <= MAX_LEVELS:  # a grid: the levels the box keeps
                    inside = levels[(levels >= low) & (levels <= high)]
                    low, high = inside.min(), inside.max()
                row.update(low=float(low), high=float(high), full_low=float(x[name].min()),
                           full_high=float(x[name].max()))
            limits.append(row)
    return trajectory, pd.DataFrame(limits)


def rule_text(row: pd.Series) -> str:
    """'rule → defeated in 41% of fitted runs (95% CI 35–47%), covering 30% of them (n = 300);
    held out: 38% (95% CI 31–45%) against 12% overall: a finding'."""
    verdict = ("a finding" if row["holds"] else
               "NOT CONFIRMED: no better than the base rate on runs PRIM did not see")
    return (f"{row['rule']} → {row['outcome']} in {row['density']:.0%} of fitted runs "
            f"(95% CI {row['density_lo']:.0%}–{row['density_hi']:.0%}), covering "
            f"{row['coverage']:.0%} of their {row['outcome']} runs ({int(row['n']):,} runs in "
            f"the box; {row['base_rate']:.0%} {row['outcome']} over them); held out: "
            f"{row['test_density']:.0%} (95% CI {row['test_density_lo']:.0%}–"
            f"{row['test_density_hi']:.0%}, {int(row['test_n']):,} runs) against "
            f"{row['test_base_rate']:.0%} overall: {verdict}")


def render(results: Results, out_dir: Path) -> list[Figure]:
    """Trade-off plot (coverage vs density along the peeling trajectory, with the chosen
    boxes' held-out density) and box limits."""
    trajectory, limits = prim_boxes(results, "defeated")
    save_table(trajectory, out_dir, "discovery_trajectory")
    save_table(limits, out_dir, "discovery_limits")
    chosen = trajectory[trajectory["choice"] != ""]
    confirmed = bool(chosen["holds"].any())
    plt = pyplot()
    fig = plt.figure(figsize=(13, 7.4), constrained_layout=True)
    grid = fig.add_gridspec(2, 2, height_ratios=[5, 1.9])
    ax = fig.add_subplot(grid[0, 0])
    points = ax.scatter(trajectory["coverage"], trajectory["density"], c=trajectory["res_dim"],
                        cmap="viridis", s=35, zorder=3)
    ax.vlines(trajectory["coverage"], trajectory["density_lo"], trajectory["density_hi"],
              color="grey", lw=0.8, label="density on the fitted half: Wilson 95% CI")
    for _, row in chosen.iterrows():
        colour = "red" if row["holds"] else "#888888"
        ax.scatter(row["coverage"], row["density"], s=180, facecolors="none",
                   edgecolors=colour, lw=2, zorder=4)
        ax.errorbar(row["test_coverage"], row["test_density"], fmt="s", ms=6, color=colour,
                    yerr=[[row["test_density"] - row["test_density_lo"]],
                          [row["test_density_hi"] - row["test_density"]]], capsize=3, zorder=4)
        ax.annotate(f"{row['choice']} box" + ("" if row["holds"] else " (not confirmed)"),
                    (row["coverage"], row["density"]), xytext=(8, 8),
                    textcoords="offset points", color=colour)
    ax.errorbar([], [], fmt="s", color="black", label="chosen box on the held-out half")
    ax.axhline(trajectory["base_rate"].iloc[0], color="black", ls=":", lw=1,
               label="share defeated over the fitted half")
    ax.set_xlabel("Coverage (share of all defeats inside the box)")
    ax.set_ylabel("Density (share of runs in the box that are defeats)")
    ax.set_xlim(0, 1.05)
    ax.set_ylim(0, 1.05)
    ax.grid(alpha=0.3)
    fig.colorbar(points, ax=ax, label="Restricted parameters (count)",
                 ticks=range(int(trajectory["res_dim"].max()) + 1))
    ax.set_title("PRIM peeling trajectory: coverage vs density")
    ax = fig.add_subplot(grid[0, 1])
    _draw_limits(ax, limits)
    text_ax = fig.add_subplot(grid[1, :])
    text_ax.axis("off")
    lines = [f"{row['choice'].capitalize()} box: {rule_text(row)}" for _, row in chosen.iterrows()]
    text_ax.text(0, 1, "\n".join(_wrap(line) for line in lines), va="top", fontsize=8.5,
                 family="monospace")
    handles, labels = fig.axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=3, fontsize=8)
    verdict = ("" if confirmed else
               "\nno region confirmed: the boxes do no better than chance on held-out runs")
    fig.suptitle(f"Where is the attacked state defeated? Scenario discovery with PRIM\n"
                 f"{results.describe()}{verdict}")
    save_text("\n".join(lines) + "\n", out_dir, "discovery_rules.txt")
    caption = (
        "PRIM (ema_workbench) on the runs of half the seeds, with 'defeated' as the case of "
        "interest; every box is then judged on the runs of the other half, which PRIM never "
        "saw (squares: the chosen boxes' held-out density with its Wilson 95% interval). A "
        "box is a finding only if that interval lies above the held-out share defeated; "
        "boxes that are not are grey and marked not confirmed. Left: each box on the "
        "peeling trajectory (colour: number of restricted parameters; vertical bars: "
        f"{PROPORTION_CI} of density on the fitted half). Right: the parameter ranges of the "
        "chosen boxes within the swept ranges. Rules: " + "; ".join(lines)
        + f". {results.describe()}. Numbers: discovery_trajectory.csv, discovery_limits.csv."
    )
    return [Figure(DISCOVERY.name, "Scenario discovery (PRIM)", caption,
                   save(fig, out_dir, DISCOVERY.name))]


def _wrap(line: str, width: int = 140) -> str:
    return "\n".join(textwrap.wrap(line, width, subsequent_indent="    "))


#: Inputs drawn in the box-limits panel before unrestricted ones are left out.
MAX_ROWS = 12


def _draw_limits(ax, limits: pd.DataFrame) -> None:
    """Each parameter's range in each chosen box, scaled to the swept range (0 = low end)."""
    boxes = list(dict.fromkeys(limits["box"]))
    names = list(dict.fromkeys(limits["parameter"]))
    # Inputs no chosen box restricts say nothing about the region; with many swept (a
    # Morris design) they would crowd out the rest, so only the restricted are drawn.
    numeric = limits.dropna(subset=["low"]) if "low" in limits else limits.iloc[:0]
    kept = set() if "low" not in numeric else set(  # no numeric input swept: none to test
        numeric.loc[(numeric["low"] > numeric["full_low"])
                    | (numeric["high"] < numeric["full_high"]), "parameter"])
    kept |= set(limits["parameter"]) - set(numeric["parameter"])  # categorical: all drawn
    omitted = 0
    if len(names) > MAX_ROWS:
        omitted = len(names) - len([n for n in names if n in kept])
        names = [n for n in names if n in kept] or names
    colours = {"balanced": "#2166ac", "densest": "#b2182b", "balanced densest": "#762a83"}
    height = 0.8 / len(boxes)
    for b, box in enumerate(boxes):
        part = limits[limits["box"] == box].set_index("parameter")
        for i, name in enumerate(names):
            y = len(names) - 1 - i - (b - (len(boxes) - 1) / 2) * height
            row = part.loc[name]
            if isinstance(row.get("levels"), str):
                ax.text(0.0, y, f"{box}: {row['levels']}", va="center", fontsize=8,
                        color=colours[box])
                continue
            span = row["full_high"] - row["full_low"] or 1.0
            low = (row["low"] - row["full_low"]) / span
            high = (row["high"] - row["full_low"]) / span
            ax.barh(y, 1.0, height=height * 0.9, color="#eeeeee")
            ax.barh(y, max(high - low, 0.02), left=min(low, 0.98), height=height * 0.9,
                    color=colours[box], alpha=0.75)
            kept = (f"= {number(row['low'])}" if row["low"] == row["high"]
                    else f"{number(row['low'])}–{number(row['high'])}")
            ax.text(1.02, y, f"{box}: {kept}", va="center",
                    fontsize=7, color=colours[box])
    ax.set_yticks(range(len(names))[::-1],  # wrapped: a long label squeezes the panel
                  [wrap(input_name(n), 30) for n in names], fontsize=8)
    ax.set_ylim(-0.6, len(names) - 0.4)
    ax.set_xlim(0, 1.4)
    ax.set_xticks([0, 0.5, 1], ["low end", "middle", "high end"])
    ax.set_xlabel(wrap("Position within the swept range (grey: whole range; text: range or "
                       "levels kept)", 50))
    ax.set_title("Parameter ranges of the chosen boxes"
                 + (f"\n({omitted} inputs no box restricts not shown)" if omitted else ""))
