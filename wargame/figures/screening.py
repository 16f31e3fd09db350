"""Screening: which uncertainties matter most, from a Morris design (`kind = "morris"`).

Morris's method moves one input at a time along random trajectories through the input
space; each step gives an elementary effect (the change in the output when that input
moves by a fixed share of its range). SALib's analyzer summarises them per input:
mu* (the mean absolute effect: how much the input matters), sigma (their spread: how
much its effect depends on the other inputs, or is non-linear) and a bootstrap 95%
interval of mu* (Campolongo, Cariboni & Saltelli 2007). SALib divides each change by the
step as a share of the input's range, so an effect reads as the change in the output
when the input moves across its whole plausible range.

The model is stochastic: each design point's output is the mean over its replications,
so part of every effect is noise. The figure draws the mu* that replication noise alone
would give, so an input below that line is not told apart from chance. The noise is the
binomial variance of a point's share at the sweep's overall share (for a share), or the
pooled within-point variance (for a number): never 0, even where most points saw no
defeat at all (the median standard error of the points then was 0, and a dead input
ranked 4th of a small screening). With paired seeds the two points of an effect share
their random numbers, so the floor, computed as if they did not, is an upper bound.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from wargame.figure_kinds import SCREENING
from wargame.figures.load import Results, Unsupported
from wargame.figures.style import METRICS, Figure, input_name, pyplot, save, save_table, wrap
from wargame.inputs import INPUTS
from wargame.outcomes import HEADLINE_OUTCOMES, OUTCOME_NAMES
from wargame.sweep.design import morris_sample

#: Outputs screened: the chance of the key outcome (defeat) and how fast forces arrive.
SCREENING_METRICS = (HEADLINE_OUTCOMES[0], "day_first_forces")
#: How each reads on the mu* axis: (multiplier, unit of the effect).
EFFECT_UNITS = {
    **{o: (100.0, f"percentage points of P({o})") for o in OUTCOME_NAMES},
    "day_first_forces": (1.0, "days; no forces = the crisis window's last day"),
}
#: Inputs drawn per panel (the CSV holds all): enough to show where the ranking flattens.
TOP = 15
#: Height of one line of the 8-point tick labels, inches (with line spacing).
LINE_INCHES = 0.14
#: Bootstrap resamples of SALib's mu* interval (its default of 100 moves the interval's
#: ends by a few per cent from one seed to the next; 1,000 is cheap here).
RESAMPLES = 1000


def design_matrix(results: Results) -> np.ndarray:
    """The Morris matrix the sweep sampled, before integers were rounded.

    Re-drawn from the manifest's problem and seed with the sampler the sweep used, and
    checked against the points the sweep ran, so a changed SALib cannot silently
    misalign effects and inputs.
    """
    manifest = results.manifest
    problem, morris = manifest.get("problem"), manifest.get("morris")
    if results.design != "morris" or not problem or not morris:
        raise Unsupported("screening needs a morris design (its manifest records the problem)")
    matrix = morris_sample(problem, morris["trajectories"], morris["levels"], morris["seed"])
    points = manifest.get("points", [])
    ran = np.array([[p["parameters"][n] for n in problem["names"]] for p in points], float)
    # The sweep ran integer inputs rounded (wargame.sweep.design); floats as sampled.
    expected = matrix.copy()
    for column, name in enumerate(problem["names"]):
        if INPUTS[name].kind is int:
            expected[:, column] = np.round(expected[:, column])
    if ran.shape != expected.shape or not np.allclose(ran, expected, rtol=1e-12, atol=1e-12):
        raise Unsupported("the Morris sample cannot be re-drawn as the sweep ran it "
                          "(another SALib version?); screening needs the same sampler")
    return matrix


def _per_run(results: Results, metric: str) -> tuple[pd.Series, float]:
    """The screened value of every run, and the share of runs where the output was
    undefined: a day never reached (no forces arrived) counts as the crisis window's
    last day, so every run has a value and a point's mean mixes 'whether' and 'when'."""
    runs = results.runs
    if metric in OUTCOME_NAMES:
        return (runs["outcome"] == metric).astype(float), 0.0
    values = pd.to_numeric(runs[metric], errors="coerce").astype(float)
    never = float(values.isna().mean())
    return values.fillna(runs["max_days"].astype(float)), never


def _per_point(results: Results, metric: str, n_points: int) -> tuple[pd.Series, float, float]:
    """Mean of `metric` per design point, the standard error of such a mean from
    replication noise alone (binomial at the overall share for an outcome, the pooled
    within-point variance for a number), and the share of runs where the output was
    undefined (see `_per_run`)."""
    values, never = _per_run(results, metric)
    grouped = values.groupby(results.runs["point_id"])
    means = grouped.mean().reindex(range(n_points))
    per_point = float(grouped.count().median())
    if metric in OUTCOME_NAMES:
        share = float(values.mean())
        variance = share * (1 - share)
    else:
        variance = float(grouped.var(ddof=1).mean())
    return means, float(np.sqrt(variance / per_point)), never


def screening_table(results: Results, metric: str) -> pd.DataFrame:
    """mu*, its 95% interval, mu and sigma of `metric` for every screened input, ranked.

    Columns: parameter, label, unit, mu_star, mu_star_lo, mu_star_hi, mu, sigma,
    noise_mu_star (mu* that replication noise alone gives), effect_unit, metric,
    n_points, n_runs, trajectories, never (share of runs where the output was undefined
    and set to the crisis window).
    """
    from SALib.analyze import morris

    matrix = design_matrix(results)
    problem, levels = results.manifest["problem"], results.manifest["morris"]["levels"]
    per_point, standard_error, never = _per_point(results, metric, len(matrix))
    if per_point.isna().any():
        raise Unsupported(f"{metric}: a design point has no runs; screening needs every point")
    if per_point.std() == 0:
        raise Unsupported(f"{metric}: the same value at every design point; nothing to rank")
    scale, unit = EFFECT_UNITS.get(metric, (1.0, ""))
    indices = morris.analyze(problem, matrix, per_point.to_numpy() * scale, num_levels=levels,
                             conf_level=0.95, num_resamples=RESAMPLES, seed=1)
    # Expected |noise| of one elementary effect: the difference of two point means
    # (sd = sqrt(2) * SE) over the step, a share levels / (2 (levels - 1)) of the range.
    step = levels / (2 * (levels - 1))
    noise = math.sqrt(2 / math.pi) * math.sqrt(2) * standard_error * scale / step
    table = pd.DataFrame({
        "parameter": problem["names"],
        "label": [input_name(n) for n in problem["names"]],
        "unit": [INPUTS[n].unit for n in problem["names"]],
        "mu_star": indices["mu_star"],
        "mu_star_lo": indices["mu_star"] - indices["mu_star_conf"],
        "mu_star_hi": indices["mu_star"] + indices["mu_star_conf"],
        "mu": indices["mu"], "sigma": indices["sigma"],
    })
    table["noise_mu_star"], table["effect_unit"], table["metric"] = noise, unit, metric
    table["n_points"], table["n_runs"] = len(matrix), len(results.runs)
    table["trajectories"], table["never"] = results.manifest["morris"]["trajectories"], never
    return table.sort_values("mu_star", ascending=False).reset_index(drop=True)


def render(results: Results, out_dir: Path) -> list[Figure]:
    """One panel per output: mu* with its 95% interval and sigma, top inputs first."""
    tables = []
    reasons = []
    for metric in SCREENING_METRICS:
        try:
            tables.append(screening_table(results, metric))
        except Unsupported as exc:
            if results.design != "morris":
                raise
            reasons.append(str(exc))
    if not tables:
        raise Unsupported("; ".join(reasons))
    save_table(pd.concat(tables, ignore_index=True), out_dir, SCREENING.name)
    plt = pyplot()
    rows = min(TOP, max(len(t) for t in tables))
    ticks = [[wrap(f"{label} ({unit})" if unit else label, 36) for label, unit in
              zip(t.head(TOP)["label"], t.head(TOP)["unit"], strict=True)] for t in tables]
    # A row is as tall as its longest label needs (lines of 8-point text), at least 0.45 in.
    lines = max(tick.count("\n") + 1 for shown in ticks for tick in shown)
    row = max(0.45, LINE_INCHES * lines + 0.1)
    fig, axes = plt.subplots(1, len(tables), figsize=(6.4 * len(tables), 2.4 + row * rows),
                             squeeze=False, constrained_layout=True)
    for ax, table, labels in zip(axes[0], tables, ticks, strict=True):
        metric, shown = table["metric"].iloc[0], table.head(TOP)
        pos = np.arange(len(shown))[::-1]
        ax.barh(pos, shown["mu_star"], height=0.6, color="#4393c3",
                xerr=[shown["mu_star"] - shown["mu_star_lo"],
                      shown["mu_star_hi"] - shown["mu_star"]],
                capsize=2, label="mu* (mean |effect|) with bootstrap 95% CI")
        ax.plot(shown["sigma"], pos, "D", color="#d6604d", markersize=5,
                label="sigma (spread: interactions, non-linearity)")
        noise = float(table["noise_mu_star"].iloc[0])
        ax.axvspan(0, noise, color="#bbbbbb", alpha=0.35,
                   label="mu* that replication noise alone gives (binomial / pooled variance)")
        ax.set_yticks(pos, labels, fontsize=8)
        ax.set_xlabel(wrap(f"Effect of moving the input across its plausible range "
                           f"({table['effect_unit'].iloc[0]})", 48))
        short = METRICS[metric][1]
        ax.set_title(f"{short[:1].upper() + short[1:]}: top {len(shown)} of {len(table)} inputs\n"
                     f"({table['n_points'].iloc[0]:,} points, n = {len(results.runs):,} runs; "
                     f"noise {noise:.2g})")
        ax.grid(axis="x", alpha=0.3)
    handles, labels = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=3, fontsize=8)
    fig.suptitle("Which assumptions matter most: Morris screening of the uncertainties\n"
                 f"{results.describe()}")
    never = {t["metric"].iloc[0]: float(t["never"].iloc[0]) for t in tables}
    caption = (
        f"Morris elementary effects ({results.manifest['morris']['trajectories']} "
        f"trajectories on a {results.manifest['morris']['levels']}-level grid over each "
        "input's plausible range from the input registry), each design point's output the "
        "mean over its replications; analysed with SALib (mu*, sigma, bootstrap 95% "
        f"intervals of mu*, {RESAMPLES} resamples). An effect is the change in the output "
        "when one input moves across its whole range, all others held. Grey: the mu* that "
        "replication noise alone gives (from the binomial variance of a point's share at the "
        "sweep's overall share, or the pooled within-point variance of a number; an upper "
        "bound under paired seeds); inputs inside it are not told apart from chance. "
        "High sigma next to mu* means the input's effect depends on the others. "
    )
    if never.get("day_first_forces"):
        caption += (f"No forces arrived in {never['day_first_forces']:.0%} of runs; these "
                    "count as the last day of the crisis window, so the day of first forces "
                    "measures whether and when forces come. ")
    caption += f"{results.describe()}. Numbers for every input: screening.csv."
    return [Figure(SCREENING.name, "Which assumptions matter most (Morris screening)", caption,
                   save(fig, out_dir, SCREENING.name))]
