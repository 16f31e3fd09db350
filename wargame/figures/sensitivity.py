"""Sensitivity: which swept parameters move the outcome most.

For a Sobol (Saltelli) design the first-order and total Sobol indices are estimated with
SALib, with its bootstrap 95% intervals: the first-order index is the share of output
variance a parameter explains alone, the total index adds its interactions. An index whose
interval is wider than the index itself is flagged on the figure and on stderr: the
design has too few base samples to rank with it.

Grid and Latin-hypercube designs get the model-free first-order variance
share of each input: the variance of the output's mean at each level of the input (its
main effect), as a share of the output's total variance — the correlation ratio η², which
on a full-factorial grid is the first-order Sobol index estimated from the grid. Unlike a
linear regression it sees thresholds and U shapes; the share the design points explain
jointly, shown alongside, bounds what interactions add, and the rest is run-to-run
randomness. Intervals: percentile bootstrap, resampling runs within each design point.
Sampled (LHS) values are binned into equal-width bins first (wargame.figures.load).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.patches import Patch

from wargame.figure_kinds import SENSITIVITY
from wargame.figures.load import Results, Unsupported, parameter_levels
from wargame.figures.style import (
    METRICS,
    Figure,
    input_name,
    metric_label,
    pyplot,
    save,
    save_table,
    warn,
    wrap,
)
from wargame.outcomes import HEADLINE_OUTCOMES, OUTCOME_NAMES

#: Outputs ranked: the chance of the key outcome (defeat), how fast forces come, how many.
SENSITIVITY_METRICS = (HEADLINE_OUTCOMES[0], "day_first_forces", "peak_deployed_troops")
#: Bootstrap resamples of the variance shares, and the inputs drawn per panel (CSV: all).
RESAMPLES = 300
TOP = 15
VARIANCE_SHARE = "first-order variance share of level means (η²)"


def _metric_values(results: Results, metric: str) -> pd.Series:
    if metric in OUTCOME_NAMES:
        return (results.runs["outcome"] == metric).astype(float)
    return pd.to_numeric(results.runs[metric], errors="coerce").astype(float)


def _shares(y: np.ndarray, codes: list[np.ndarray], counts: list[np.ndarray]) -> np.ndarray:
    """Between-group variance / total variance for each grouping (rows of y: resamples)."""
    centred = y - y.mean(axis=-1, keepdims=True)
    total = (centred**2).sum(axis=-1)
    out = []
    for code, count in zip(codes, counts, strict=True):
        sums = np.stack([np.bincount(code, row, minlength=len(count)) for row in centred])
        out.append((sums**2 / np.maximum(count, 1)).sum(axis=-1))
    with np.errstate(invalid="ignore", divide="ignore"):  # a resample without variance: NaN
        return np.array(out) / total


def variance_share_table(results: Results, metric: str, seed: int = 1) -> pd.DataFrame:
    """Each swept input's first-order share of the variance of `metric` (η²), with a
    bootstrap 95% interval, and the share all design points explain jointly.

    Columns: parameter, label, S1, S1_lo, S1_hi, points_share (same on every row),
    n_levels, n_runs, metric, method. Runs where the metric is undefined (e.g. no forces
    ever arrived) are left out.
    """
    if not results.swept:
        raise Unsupported("nothing was swept; there is no sensitivity to rank")
    if results.design == "morris":
        raise Unsupported("a Morris design has too few points per level for variance "
                          "shares; its ranking is the screening figure")
    y = _metric_values(results, metric)
    keep = y.notna().to_numpy()
    order = np.argsort(results.runs["point_id"].to_numpy()[keep], kind="stable")
    y = y.to_numpy()[keep][order]
    if len(y) < 3 or y.std() == 0:
        raise Unsupported(f"{metric}: too few runs with varying values to rank inputs")
    groupings = {name: parameter_levels(results, name).to_numpy()[keep][order]
                 for name in results.swept}
    groupings["design points"] = results.runs["point_id"].to_numpy()[keep][order]
    codes, counts = [], []
    for values in groupings.values():
        code = pd.factorize(values, sort=True)[0]
        codes.append(code)
        counts.append(np.bincount(code))
    point_code, point_count = codes[-1], counts[-1]
    estimate = _shares(y[None, :], codes, counts)[:, 0]
    # Resample runs within each design point: the design stays, the randomness is redrawn.
    rng = np.random.default_rng(seed)
    start = np.concatenate([[0], np.cumsum(point_count)[:-1]])[point_code]
    size = point_count[point_code]
    draws = start + (rng.random((RESAMPLES, len(y))) * size).astype(int)
    boot = _shares(y[draws], codes, counts)
    low, high = np.nanquantile(boot, [0.025, 0.975], axis=1)
    names = list(results.swept)
    table = pd.DataFrame({
        "parameter": names, "label": [input_name(n) for n in names],
        "S1": estimate[:-1], "S1_lo": low[:-1], "S1_hi": high[:-1],
        "n_levels": [len(c) for c in counts[:-1]],
    })
    table["points_share"], table["points_lo"], table["points_hi"] = (
        estimate[-1], low[-1], high[-1])
    table["n_runs"], table["metric"], table["method"] = len(y), metric, VARIANCE_SHARE
    return table.sort_values("S1", ascending=False).reset_index(drop=True)


def sobol_table(results: Results, metric: str) -> pd.DataFrame:
    """First-order (S1) and total (ST) Sobol indices of `metric` with SALib's 95% intervals.

    The model output at each design point is the mean of `metric` over its replications;
    points must be in the Saltelli order the manifest lists (point_id order).
    """
    from SALib.analyze import sobol

    problem = results.manifest.get("problem")
    if results.design != "sobol" or not problem:
        raise Unsupported("Sobol indices need a sobol design with its SALib problem")
    n_points = len(results.manifest.get("points", []))
    per_point = _metric_values(results, metric).groupby(results.runs["point_id"]).mean()
    per_point = per_point.reindex(range(n_points))
    if per_point.isna().any():
        missing = int(per_point.isna().sum())
        raise Unsupported(f"{metric}: {missing} design point(s) without a value; "
                          "Sobol indices need every point")
    if per_point.std() == 0:
        raise Unsupported(f"{metric}: the same value at every design point; nothing to rank")
    second = bool(results.manifest.get("calc_second_order", False))
    indices = sobol.analyze(problem, per_point.to_numpy(), calc_second_order=second,
                            conf_level=0.95, seed=1, print_to_console=False)
    table = pd.DataFrame({
        "parameter": problem["names"],
        "label": [input_name(n) for n in problem["names"]],
        "S1": indices["S1"], "S1_lo": indices["S1"] - indices["S1_conf"],
        "S1_hi": indices["S1"] + indices["S1_conf"],
        "ST": indices["ST"], "ST_lo": indices["ST"] - indices["ST_conf"],
        "ST_hi": indices["ST"] + indices["ST_conf"],
    })
    table["n_points"], table["n_runs"] = n_points, int(results.runs["point_id"].isin(
        per_point.index).sum())
    table["metric"], table["method"] = metric, "Sobol (Saltelli, SALib)"
    return table.sort_values("ST", ascending=False).reset_index(drop=True)


def wide_intervals(table: pd.DataFrame) -> pd.DataFrame:
    """Sobol indices whose 95% interval is wider than the index: (parameter, index,
    value, lo, hi) rows."""
    rows = [(r.parameter, index, getattr(r, index), getattr(r, f"{index}_lo"),
             getattr(r, f"{index}_hi")) for r in table.itertuples() for index in ("S1", "ST")
            if getattr(r, f"{index}_hi") - getattr(r, f"{index}_lo") > abs(getattr(r, index))]
    return pd.DataFrame(rows, columns=["parameter", "index", "value", "lo", "hi"])


def _error_bars(table: pd.DataFrame, index: str) -> np.ndarray:
    """Bar lengths below and above each index. A percentile bootstrap interval of a biased
    statistic (η² is biased upwards) need not contain the estimate: the bar then stops at
    the estimate, and the CSV keeps the interval as computed."""
    below = table[index] - table[f"{index}_lo"]
    above = table[f"{index}_hi"] - table[index]
    return np.clip(np.vstack([below, above]), 0.0, None)


def render(results: Results, out_dir: Path) -> list[Figure]:
    """Horizontal bars per metric: Sobol S1/ST for a sobol design, else η² shares."""
    use_sobol = results.design == "sobol"
    tables = []
    for metric in SENSITIVITY_METRICS:
        try:
            tables.append(sobol_table(results, metric) if use_sobol
                          else variance_share_table(results, metric))
        except Unsupported:
            continue  # e.g. forces never arrive anywhere: that metric is left out
    if not tables:
        raise Unsupported("no output varies enough across the sweep to rank parameters")
    save_table(pd.concat(tables, ignore_index=True), out_dir, SENSITIVITY.name)
    plt = pyplot()
    n_params = min(TOP, max(len(t) for t in tables))
    fig, axes = plt.subplots(1, len(tables), figsize=(5.6 * len(tables), 2.6 + 0.45 * n_params),
                             squeeze=False, sharex=True, constrained_layout=True)
    n_wide = 0
    for ax, table in zip(axes[0], tables, strict=True):
        metric = table["metric"].iloc[0]
        shown = table.head(TOP)
        pos = np.arange(len(shown))[::-1]
        short = METRICS[metric][1] if metric in METRICS else metric
        if use_sobol:
            wide = wide_intervals(shown)
            n_wide += len(wide)
            for offset, index, colour in ((0.18, "S1", "#4393c3"), (-0.18, "ST", "#d6604d")):
                flagged = shown["parameter"].isin(wide.loc[wide["index"] == index, "parameter"])
                ax.barh(pos + offset, shown[index], height=0.34, color=colour,
                        hatch=["xx" if f else "" for f in flagged],
                        xerr=_error_bars(shown, index),
                        label={"S1": "first-order S1", "ST": "total ST"}[index], capsize=3)
            ax.set_xlabel("Sobol index (share of output variance)")
            note = f"{shown['n_points'].iloc[0]:,} points, n = {shown['n_runs'].iloc[0]:,} runs"
            if len(wide):
                worst = wide.loc[(wide["hi"] - wide["lo"]).idxmax()]
                warn(f"sensitivity: {len(wide)} Sobol indices of {metric} have a 95% interval "
                     f"wider than the index (widest: {worst['index']} of {worst['parameter']} "
                     f"= {worst['value']:.2f} [{worst['lo']:.2f}, {worst['hi']:.2f}]); "
                     f"{results.manifest.get('spec', {}).get('samples', 'the')} base samples "
                     "are too few to rank inputs by them (raise [design] samples)")
        else:
            ax.barh(pos, shown["S1"], height=0.6, color="#4393c3",
                    xerr=_error_bars(shown, "S1"),
                    capsize=3, label="first-order share (main effect), bootstrap 95% CI")
            points = table["points_share"].iloc[0]
            ax.axvline(points, color="#d6604d", ls="--", lw=1.2,
                       label="share the design points explain jointly (incl. interactions)")
            ax.set_xlabel("Share of the output's variance (η², 0–1)")
            note = (f"n = {shown['n_runs'].iloc[0]:,} runs; points explain {points:.0%}, "
                    f"main effects {table['S1'].sum():.0%}")
        ax.set_xlim(left=min(0.0, ax.get_xlim()[0]))
        ax.set_yticks(pos, [wrap(label, 28) for label in shown["label"]], fontsize=8)
        title = f"{short[:1].upper() + short[1:]}"
        if len(table) > len(shown):
            title += f": top {len(shown)} of {len(table)} inputs"
        ax.set_title(f"{title}\n({note})", fontsize=10)
        ax.grid(axis="x", alpha=0.3)
    handles, labels = axes[0][0].get_legend_handles_labels()
    if use_sobol and n_wide:
        handles.append(Patch(facecolor="white", edgecolor="black", hatch="xx"))
        labels.append("interval wider than the index: too few samples to rank")
    fig.legend(handles, labels, loc="outside lower center", fontsize=8,
               ncols=len(handles) if len(tables) > 1 else 1)  # one panel: one column
    method = "Sobol indices (SALib)" if use_sobol else VARIANCE_SHARE
    fig.suptitle(wrap(f"Sensitivity of outcomes to the swept inputs: {method}",
                      int(9 * fig.get_figwidth())) + f"\n{results.describe()}")
    if use_sobol:
        caption = (
            "First-order (S1) and total (ST) Sobol indices estimated with SALib from the "
            "Saltelli design, each point's output averaged over its replications; bars show "
            "SALib's bootstrap 95% intervals. "
        )
        if n_wide:
            caption += (f"Warning: {n_wide} of the indices (hatched) have a 95% interval wider "
                        "than the index itself: the design has too few base samples to rank "
                        "the inputs by them; raise [design] samples. ")
    else:
        caption = (
            f"Method: {VARIANCE_SHARE}, a model-free variance-based measure (this "
            f"{results.design} design does not support Sobol's estimator): for each input, "
            "the variance of the output's mean at each of its levels as a share of the "
            "output's total variance; on a full-factorial grid this is the first-order Sobol "
            "index. It captures non-linear effects (thresholds, U shapes) that a linear "
            "regression misses. The dashed line is the share all design points explain "
            "together: its excess over the sum of the bars is what interactions add; the "
            "rest is run-to-run randomness. Bars: percentile bootstrap 95% intervals "
            f"({RESAMPLES} resamples of the runs within each design point); with few runs "
            "per level a share is biased upwards by about (levels − 1) / runs. "
        )
    caption += ("Outputs: " + ", ".join(metric_label(t["metric"].iloc[0]) for t in tables)
                + f". {results.describe()}. Numbers: sensitivity.csv.")
    return [Figure(SENSITIVITY.name, "Sensitivity", caption, save(fig, out_dir, SENSITIVITY.name))]
