"""Sensitivity: which swept parameters move the outcome most.

For a Sobol (Saltelli) design the first-order and total Sobol indices are estimated with
SALib, with its bootstrap 95% intervals: the first-order index is the share of output
variance a parameter explains alone, the total index adds its interactions. Grid and
Latin-hypercube designs do not support that estimator, so they get standardised regression
coefficients (SRC: the change in the output, in standard deviations, per standard
deviation of the parameter, from one linear regression over the runs) with t 95% intervals
and the regression's R², which says how far a linear ranking can be trusted.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from wargame.figures.load import Results, Unsupported, ordered_levels
from wargame.figures.style import (
    METRICS,
    Figure,
    input_name,
    level_label,
    metric_label,
    pyplot,
    save,
    save_table,
)
from wargame.model import OUTCOMES

#: Outputs ranked: the chance of defeat, how fast forces come, how many.
SENSITIVITY_METRICS = ("defeated", "day_first_forces", "peak_deployed_troops")


def _metric_values(results: Results, metric: str) -> pd.Series:
    if metric in OUTCOMES:
        return (results.runs["outcome"] == metric).astype(float)
    return pd.to_numeric(results.runs[metric], errors="coerce").astype(float)


def src_table(results: Results, metric: str) -> pd.DataFrame:
    """Standardised regression coefficients of `metric` on the swept parameters.

    One row per regressor: a numeric parameter, or one level of a categorical parameter
    against its first level. Columns: parameter, coefficient, lo, hi, r2, n_runs, method.
    Runs where the metric is undefined (e.g. no forces ever arrived) are left out.
    """
    if not results.swept:
        raise Unsupported("nothing was swept; there is no sensitivity to rank")
    y = _metric_values(results, metric)
    columns, labels = {}, {}
    for name in results.swept:
        values = results.runs[name]
        if name in results.numeric_swept:
            columns[name] = values.astype(float)
            labels[name] = input_name(name)
        else:
            levels = ordered_levels(values, name)
            for level in levels[1:]:
                key = f"{name}: {level} (vs {levels[0]})"
                columns[key] = (values == level).astype(float)
                labels[key] = f"{level_label(name, level)}\n(vs {level_label(name, levels[0])})"
    x = pd.DataFrame(columns)
    keep = y.notna()
    x, y = x[keep], y[keep]
    x = x.loc[:, x.std(ddof=0) > 0]
    if len(y) <= x.shape[1] + 1 or y.std(ddof=0) == 0:
        raise Unsupported(f"{metric}: too few runs with varying values for a regression")
    xs = ((x - x.mean()) / x.std(ddof=0)).to_numpy()
    ys = ((y - y.mean()) / y.std(ddof=0)).to_numpy()
    coef, *_ = np.linalg.lstsq(xs, ys, rcond=None)
    residual = ys - xs @ coef
    dof = len(ys) - xs.shape[1] - 1
    sigma2 = residual @ residual / dof
    se = np.sqrt(np.diag(sigma2 * np.linalg.pinv(xs.T @ xs)))
    half = stats.t.ppf(0.975, dof) * se
    r2 = 1.0 - residual @ residual / (ys @ ys)
    table = pd.DataFrame({
        "parameter": x.columns, "label": [labels[c] for c in x.columns],
        "coefficient": coef, "lo": coef - half, "hi": coef + half,
    })
    table["r2"], table["n_runs"] = r2, len(ys)
    table["metric"], table["method"] = metric, "SRC"
    return table.reindex(table["coefficient"].abs().sort_values(ascending=False).index)


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


def render(results: Results, out_dir: Path) -> list[Figure]:
    """Horizontal bars per metric: Sobol S1/ST for a sobol design, else SRC."""
    use_sobol = results.design == "sobol"
    tables = []
    for metric in SENSITIVITY_METRICS:
        try:
            tables.append(sobol_table(results, metric) if use_sobol
                          else src_table(results, metric))
        except Unsupported:
            continue  # e.g. forces never arrive anywhere: that metric is left out
    if not tables:
        raise Unsupported("no output varies enough across the sweep to rank parameters")
    save_table(pd.concat(tables, ignore_index=True), out_dir, "sensitivity")
    plt = pyplot()
    n_params = max(len(t) for t in tables)
    fig, axes = plt.subplots(1, len(tables), figsize=(5.2 * len(tables), 1.8 + 0.5 * n_params),
                             squeeze=False, constrained_layout=True)
    for ax, table in zip(axes[0], tables, strict=True):
        metric = table["metric"].iloc[0]
        labels = table["label"]
        pos = np.arange(len(table))[::-1]
        if use_sobol:
            for offset, index, colour in ((0.18, "S1", "#4393c3"), (-0.18, "ST", "#d6604d")):
                ax.barh(pos + offset, table[index], height=0.34, color=colour,
                        xerr=[table[index] - table[f"{index}_lo"],
                              table[f"{index}_hi"] - table[index]],
                        label={"S1": "first-order S1", "ST": "total ST"}[index], capsize=3)
            ax.set_xlabel("Sobol index (share of output variance)")
            note = f"{table['n_points'].iloc[0]:,} points, {table['n_runs'].iloc[0]:,} runs"
        else:
            colours = np.where(table["coefficient"] >= 0, "#d6604d", "#4393c3")
            ax.barh(pos, table["coefficient"], color=colours,
                    xerr=[table["coefficient"] - table["lo"], table["hi"] - table["coefficient"]],
                    capsize=3, label="SRC with t 95% CI (red: raises, blue: lowers)")
            ax.axvline(0, color="black", lw=0.8)
            ax.set_xlabel("Standardised regression coefficient (SD of output per SD of input)")
            note = f"n = {table['n_runs'].iloc[0]:,} runs, R² = {table['r2'].iloc[0]:.2f}"
        ax.set_yticks(pos, labels, fontsize=8)
        ax.set_title(f"{METRICS[metric][1] if metric in METRICS else metric}\n({note})")
        ax.grid(axis="x", alpha=0.3)
        ax.legend(fontsize=8, loc="lower right")
    method = "Sobol indices" if use_sobol else "standardised regression coefficients"
    fig.suptitle(f"Sensitivity of outcomes to the swept parameters ({method})\n"
                 f"{results.describe()}")
    if use_sobol:
        caption = (
            "First-order (S1) and total (ST) Sobol indices estimated with SALib from the "
            "Saltelli design, each point's output averaged over its replications; bars show "
            "SALib's bootstrap 95% intervals. "
        )
    else:
        caption = (
            f"This is a {results.design} design, so Sobol indices cannot be estimated: the "
            "ranking uses standardised regression coefficients from one linear regression "
            "over all runs (categorical parameters as levels against the first), with t 95% "
            "intervals; R² in each title says how much of the variation a linear model "
            "explains — a low R² means the ranking misses interactions and thresholds. "
        )
    caption += ("Outputs: " + ", ".join(metric_label(t["metric"].iloc[0]) for t in tables)
                + f". {results.describe()}. Numbers: sensitivity.csv.")
    return [Figure("sensitivity", "Sensitivity", caption, save(fig, out_dir, "sensitivity"))]
