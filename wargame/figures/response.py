"""Response curves: how an outcome moves with one parameter, one line per level of another.

Answers "how much does more X help, and does it depend on Y?" with uncertainty shown:
probabilities carry Wilson 95% intervals, means carry Student-t 95% intervals over the
replications (and design points) behind each point.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from wargame.figure_kinds import RESPONSE
from wargame.figures.load import (
    Results,
    Unsupported,
    default_axes,
    ordered_levels,
)
from wargame.figures.stats import MEAN_CI, PROPORTION_CI
from wargame.figures.style import (
    METRICS,
    Figure,
    axis_label,
    input_name,
    key,
    level_label,
    level_text,
    metric_label,
    n_text,
    number,
    pooled_caption,
    pooled_note,
    pyplot,
    save,
    save_table,
    target_axes,
    title_figure,
    wrap,
)
from wargame.figures.units import (
    counting_note,
    mean_table,
    runs_at_levels,
    share_table,
)
from wargame.outcomes import HEADLINE_OUTCOMES, OUTCOME_NAMES

#: What the standard figure shows: the outcomes that matter, then timeliness and size.
STANDARD_METRICS = (*HEADLINE_OUTCOMES, "day_first_forces", "peak_deployed_troops")


def response_table(
    results: Results, metric: str, x: str, by: str | None = None
) -> pd.DataFrame:
    """One row per (by, x): n_runs (distinct runs), n (units with a value: seeds under
    paired seeds, else runs; wargame.figures.units), estimate, lo, hi, statistic.

    `metric` is an outcome name (then the estimate is the share of runs with that outcome,
    Wilson interval) or a numeric per-run output (then the mean over runs where it is
    defined — e.g. day_first_forces only where forces arrived — with a t interval).
    """
    results.require_swept(x, by)
    if metric not in OUTCOME_NAMES and metric not in results.runs.columns:
        raise Unsupported(f"{results.path}: no output {metric!r} in the runs")
    keys = [k for k in (by, x) if k is not None]
    frame = runs_at_levels(results, keys, ["outcome"] if metric in OUTCOME_NAMES else [metric])
    if metric in OUTCOME_NAMES:
        frame["value"] = (frame["outcome"] == metric).astype(float)
        table = share_table(frame, keys, "value").rename(columns={"p": "estimate"})
    else:
        frame["value"] = pd.to_numeric(frame[metric], errors="coerce").astype(float)
        table = mean_table(frame, keys, "value").rename(columns={"mean": "estimate"})
    table = table.rename(columns={"runs": "n_runs"})
    table = table[[*keys, "n_runs", "n", "estimate", "lo", "hi"]].copy()
    table["metric"] = metric
    table["statistic"] = "proportion" if metric in OUTCOME_NAMES else "mean"
    return table


def render(
    results: Results, out_dir: Path, x: str | None = None, by: str | None = None
) -> list[Figure]:
    """A panel per standard metric (2×2 for four) against `x`, one series per level of `by`.

    A numeric `x` gives lines with bands; a categorical one (governance) gives points
    with error bars at its named levels, side by side per level of `by`. Swept inputs
    that are neither `x` nor `by` are pooled, and the caption says so. Drawn into a
    caller's axes (`wargame.plot(..., ax=)`), the first metric alone.
    """
    metrics = STANDARD_METRICS[:1] if target_axes() is not None else STANDARD_METRICS
    default_x, default_y, default_by = default_axes(results)
    x = x or default_x
    if x is None:
        raise Unsupported("response curves need a swept numeric parameter")
    if by is None:
        by = default_by if default_by not in (None, x) else (
            default_y if default_y != x else None)
    tables = [response_table(results, m, x, by) for m in metrics]
    table = pd.concat(tables, ignore_index=True)
    save_table(table, out_dir, RESPONSE.name)
    categorical = x in results.categorical_swept
    pooled = [p for p in results.swept if p not in (x, by)]
    plt = pyplot()
    rows, cols = math.ceil(len(metrics) / 2), min(len(metrics), 2)
    fig, axes = plt.subplots(rows, cols, figsize=(6 * cols, 4.5 * rows), squeeze=False,
                             constrained_layout=True)
    for ax in axes.flat[len(metrics):]:
        ax.set_visible(False)
    levels = ordered_levels(table[by], by) if by else [None]
    colours = plt.get_cmap("viridis" if len(levels) > 3 else "tab10")(
        np.linspace(0, 0.9, len(levels)) if len(levels) > 3 else np.arange(len(levels))
    )
    categories = ordered_levels(table[x], x) if categorical else []
    for ax, metric, part in zip(axes.flat, metrics, tables, strict=False):
        for k, (level, colour) in enumerate(zip(levels, colours, strict=True)):
            line = part if by is None else part[part[by] == level]
            label = level_label(by, level) if by else "all runs"
            label = f"{label} ({n_text(line['n'])} per point)"
            if categorical:
                line = line.set_index(x).reindex(categories)
                offset = (k - (len(levels) - 1) / 2) * 0.8 / max(len(levels), 1)
                ax.errorbar(np.arange(len(categories)) + offset, line["estimate"],
                            yerr=[line["estimate"] - line["lo"], line["hi"] - line["estimate"]],
                            fmt="o", color=colour, capsize=4, label=label)
            else:
                ax.plot(line[x], line["estimate"], "o-", color=colour, label=label)
                ax.fill_between(line[x], line["lo"], line["hi"], color=colour, alpha=0.18)
        if categorical:
            ax.set_xticks(range(len(categories)),
                          [wrap(level_text(x, c), 18) for c in categories])
            ax.set_xlim(-0.6, len(categories) - 0.4)
            ax.set_xlabel(input_name(x))
        else:
            ax.set_xlabel(axis_label(results, x))
            ax.xaxis.set_major_formatter(lambda v, _: number(v))
        ax.set_ylabel(wrap(metric_label(metric), 45))
        interval = "bars" if categorical else "band"
        if metric in OUTCOME_NAMES:
            ax.set_ylim(-0.02, 1.02)  # a point at 0 or 1 stays whole
            ax.set_title(wrap(f"{metric_label(metric)} ({interval}: Wilson 95% CI)", 72))
        else:
            ax.set_title(f"Mean {METRICS[metric][1]} ({interval}: t 95% CI)")
            ax.yaxis.set_major_formatter(lambda v, _: number(v))
        ax.grid(alpha=0.3)
    handles, labels = axes.flat[0].get_legend_handles_labels()
    if by is not None:  # n differs by panel (day of first forces): it is in the caption
        labels = [level_text(by, level) for level in levels]
    key(fig, handles, labels, ncols=min(len(levels), 3 if by == "governance" else 5),
        fontsize=9, title=input_name(by) if by else None)
    note = f"\n{pooled_note(pooled)}" if pooled else ""
    title_figure(fig, f"Response to {input_name(x)}\n{results.describe()}{note}")
    caption = (
        f"Outcome probabilities ({PROPORTION_CI}) and means ({MEAN_CI}) against {x}"
        + (f", one {'series' if categorical else 'line'} per {by}" if by else "")
        + f". n behind each point: {n_text(table['n'])} (response.csv, "
        "column n; the runs behind it in n_runs); day of first forces is averaged over the runs "
        "in which forces arrived. "
    )
    caption += (counting_note(results) + pooled_caption(pooled)
                + f"{results.describe()}. Numbers: response.csv.")
    return [Figure(RESPONSE.name, "Response curves", caption, save(fig, out_dir, RESPONSE.name))]
