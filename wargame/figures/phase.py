"""Phase diagram: the probability of each outcome over two swept parameters, by a third.

This is the headline picture: where in (US commitment × EU financing …) space an attacked
state is deterred, defeated, occupied (a frozen front) or left in stalemate, and how that
map shifts with the
governance regime. Each cell shows the share of its runs, the Wilson 95% interval and n.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from wargame.errors import WargameError
from wargame.figures.load import (
    Results,
    Unsupported,
    default_axes,
    ordered_levels,
    parameter_levels,
)
from wargame.figures.stats import PROPORTION_CI, wilson
from wargame.figures.style import (
    Figure,
    axis_label,
    level_label,
    n_text,
    parameter_label,
    percent,
    pyplot,
    save,
    save_table,
)
from wargame.model import OUTCOMES
from wargame.palette import OUTCOME_CMAPS

#: Run ids listed per cell and outcome in phase.csv.
EXAMPLE_RUNS = 5


def outcome_probabilities(
    results: Results, x: str, y: str, facet: str | None = None
) -> pd.DataFrame:
    """One row per (facet, x, y, outcome): n_runs, count, p and its Wilson 95% interval.

    Every outcome appears in every cell (count 0 included), so p sums to one per cell.
    `example_run_ids` names up to five runs of that cell with that outcome, so that a
    surprising cell can be watched as it happened (`wargame viz --sweep DIR --run ID`).
    """
    results.require_swept(x, y, facet)
    keys = [k for k in (facet, x, y) if k is not None]
    frame = pd.DataFrame({k: parameter_levels(results, k) for k in keys})
    frame["outcome"] = pd.Categorical(results.runs["outcome"], categories=OUTCOMES)
    frame["run_id"] = results.runs["run_id"].to_numpy()
    grouped = frame.groupby([*keys, "outcome"], observed=False)
    counts = grouped.size().rename("count").reset_index()
    examples = grouped["run_id"].agg(
        lambda ids: " ".join(str(i) for i in sorted(ids)[:EXAMPLE_RUNS])
    ).rename("example_run_ids").reset_index()
    counts = counts.merge(examples, on=[*keys, "outcome"])
    totals = frame.groupby(keys).size().rename("n_runs").reset_index()
    table = totals.merge(counts, on=keys, how="left")
    table["outcome"] = table["outcome"].astype(str)
    table["p"] = table["count"] / table["n_runs"]
    table["lo"], table["hi"] = wilson(table["count"], table["n_runs"])
    return table.sort_values([*keys, "outcome"], kind="stable").reset_index(drop=True)


def render(
    results: Results, out_dir: Path, x: str | None = None, y: str | None = None,
    by: str | None = None,
) -> list[Figure]:
    """Heatmaps: one row per outcome, one column per level of `by`."""
    results.require_swept(x, y, by)
    results.require_numeric("--x", x)
    results.require_numeric("--y", y)
    default_x, default_y, default_by = default_axes(results)
    if x is not None and y is None:
        y = next((p for p in results.numeric_swept if p != x), None)
    if y is not None and x is None:
        x = next((p for p in results.numeric_swept if p != y), None)
    x, y = x or default_x, y or default_y
    if x is not None and x == y:
        raise WargameError(f"--x and --y are both {x}; a phase diagram needs two parameters")
    if by is not None and by in (x, y):
        raise WargameError(f"--by {by} is already an axis; choose another parameter to split by")
    by = by if by is not None else (default_by if default_by not in (x, y) else None)
    if x is None or y is None:
        raise Unsupported("a phase diagram needs two swept numeric parameters")
    table = outcome_probabilities(results, x, y, by)
    save_table(table, out_dir, "phase")
    plt = pyplot()
    facets = ordered_levels(table[by], by) if by else [None]
    xs, ys = np.sort(table[x].unique()), np.sort(table[y].unique())
    fig, axes = plt.subplots(
        len(OUTCOMES), len(facets), figsize=(1.2 + 3.9 * len(facets), 3.3 * len(OUTCOMES)),
        squeeze=False, constrained_layout=True,
    )
    small = len(xs) * len(ys) <= 30
    for row, outcome in enumerate(OUTCOMES):
        for col, level in enumerate(facets):
            ax = axes[row, col]
            cell = table[table["outcome"] == outcome]
            if by:
                cell = cell[cell[by] == level]
            grid = cell.pivot(index=y, columns=x, values="p").reindex(index=ys, columns=xs)
            image = ax.imshow(
                grid.to_numpy(), origin="lower", cmap=OUTCOME_CMAPS[outcome], vmin=0, vmax=1,
                aspect="auto",
            )
            for rec in cell.itertuples():
                i, j = int(np.searchsorted(ys, getattr(rec, y))), int(
                    np.searchsorted(xs, getattr(rec, x)))
                text = percent(rec.p)
                if small:
                    text += f"\n[{percent(rec.lo)}–{percent(rec.hi)}]\nn={rec.n_runs}"
                ax.text(j, i, text, ha="center", va="center", fontsize=7 if small else 6,
                        color="white" if rec.p > 0.6 else "black")
            ax.set_xticks(range(len(xs)), [f"{v:.3g}" for v in xs])
            ax.set_yticks(range(len(ys)), [f"{v:.3g}" for v in ys])
            if row == len(OUTCOMES) - 1:
                ax.set_xlabel(axis_label(results, x))
            if col == 0:
                ax.set_ylabel(axis_label(results, y))
            title = f"P({outcome})"
            ax.set_title(f"{title} — {level_label(by, level)}" if by else title)
        fig.colorbar(image, ax=axes[row, :].tolist(), shrink=0.85,
                     label=f"Probability of {outcome}")
    n_cells = table.drop_duplicates([k for k in (by, x, y) if k])["n_runs"]
    fig.suptitle(
        f"Outcome probabilities over {parameter_label(x).split(' (')[0]} and "
        f"{parameter_label(y).split(' (')[0]}\n{results.describe()}"
    )
    caption = (
        f"Share of runs ending in each outcome in each cell of {x} × {y}"
        + (f", one column per {by}" if by else "")
        + f". Cells show the share, its {PROPORTION_CI} and the number of runs n "
        f"({n_text(n_cells)} runs per cell). {results.describe()}. Numbers: phase.csv, with "
        "example run ids per cell to watch in `wargame viz --sweep DIR --run ID`."
    )
    return [Figure("phase", "Phase diagram of outcomes", caption, save(fig, out_dir, "phase"))]
