"""Response curves: how an outcome moves with one parameter, one line per level of another.

Answers "how much does more X help, and does it depend on Y?" with uncertainty shown:
probabilities carry Wilson 95% intervals, means carry Student-t 95% intervals over the
replications (and design points) behind each point.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from wargame.figures.load import (
    Results,
    Unsupported,
    default_axes,
    ordered_levels,
    parameter_levels,
)
from wargame.figures.stats import MEAN_CI, PROPORTION_CI, mean_ci, wilson
from wargame.figures.style import (
    METRICS,
    Figure,
    axis_label,
    level_label,
    metric_label,
    n_text,
    pyplot,
    save,
    save_table,
)
from wargame.model import OUTCOMES

#: What the standard figure shows: the two outcomes that matter, then timeliness and size.
STANDARD_METRICS = ("defeated", "deterred", "day_first_forces", "peak_deployed_troops")


def response_table(
    results: Results, metric: str, x: str, by: str | None = None
) -> pd.DataFrame:
    """One row per (by, x): n_runs, n (runs with a value), estimate, lo, hi, statistic.

    `metric` is an outcome name (then the estimate is the share of runs with that outcome,
    Wilson interval) or a numeric per-run output (then the mean over runs where it is
    defined — e.g. day_first_forces only where forces arrived — with a t interval).
    """
    results.require_swept(x, by)
    if metric not in OUTCOMES and metric not in results.runs.columns:
        raise Unsupported(f"{results.path}: no output {metric!r} in the runs")
    keys = [k for k in (by, x) if k is not None]
    frame = pd.DataFrame({k: parameter_levels(results, k) for k in keys})
    if metric in OUTCOMES:
        frame["value"] = (results.runs["outcome"] == metric).astype(float)
    else:
        frame["value"] = pd.to_numeric(results.runs[metric], errors="coerce").astype(float)
    rows = []
    for key, group in frame.groupby(keys, sort=True):
        key = key if isinstance(key, tuple) else (key,)
        values = group["value"].to_numpy()
        if metric in OUTCOMES:
            n, estimate = len(values), float(values.mean())
            lo, hi = (float(v) for v in wilson(values.sum(), n))
        else:
            n, estimate, lo, hi = mean_ci(values)
        rows.append({**dict(zip(keys, key, strict=True)), "n_runs": len(values), "n": n,
                     "estimate": estimate, "lo": lo, "hi": hi})
    table = pd.DataFrame(rows)
    table["metric"] = metric
    table["statistic"] = "proportion" if metric in OUTCOMES else "mean"
    return table


def render(
    results: Results, out_dir: Path, x: str | None = None, by: str | None = None
) -> list[Figure]:
    """A 2×2 panel of the standard metrics against `x`, one line per level of `by`."""
    default_x, default_y, default_by = default_axes(results)
    x = x or default_x
    if x is None:
        raise Unsupported("response curves need a swept numeric parameter")
    if by is None:
        by = default_by if default_by not in (None, x) else (
            default_y if default_y != x else None)
    tables = [response_table(results, m, x, by) for m in STANDARD_METRICS]
    table = pd.concat(tables, ignore_index=True)
    save_table(table, out_dir, "response")
    plt = pyplot()
    fig, axes = plt.subplots(2, 2, figsize=(12, 8.5), constrained_layout=True)
    levels = ordered_levels(table[by], by) if by else [None]
    colours = plt.get_cmap("viridis" if len(levels) > 3 else "tab10")(
        np.linspace(0, 0.9, len(levels)) if len(levels) > 3 else np.arange(len(levels))
    )
    for ax, metric, part in zip(axes.flat, STANDARD_METRICS, tables, strict=True):
        for level, colour in zip(levels, colours, strict=True):
            line = part if by is None else part[part[by] == level]
            label = level_label(by, level) if by else "all runs"
            ax.plot(line[x], line["estimate"], "o-", color=colour,
                    label=f"{label} ({n_text(line['n'])} per point)")
            ax.fill_between(line[x], line["lo"], line["hi"], color=colour, alpha=0.18)
        ax.set_xlabel(axis_label(results, x))
        ax.set_ylabel(metric_label(metric))
        if metric in OUTCOMES:
            ax.set_ylim(0, 1)
            ax.set_title(f"{metric_label(metric)} (band: Wilson 95% CI)")
        else:
            ax.set_title(f"Mean {METRICS[metric][1]} (band: t 95% CI)")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    fig.suptitle(f"Response to {axis_label(results, x).split(' (')[0]}\n{results.describe()}")
    caption = (
        f"Outcome probabilities ({PROPORTION_CI}) and means ({MEAN_CI}) against {x}"
        + (f", one line per {by}" if by else "")
        + ". n in the legend is the number of runs behind each point; day of first forces is "
        "averaged over the runs in which forces arrived. "
        f"{results.describe()}. Numbers: response.csv."
    )
    return [Figure("response", "Response curves", caption, save(fig, out_dir, "response"))]
