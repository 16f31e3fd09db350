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
from wargame.figure_kinds import PHASE
from wargame.figures.load import (
    Results,
    Unsupported,
    bin_edges,
    default_axes,
    is_binned,
    ordered_levels,
    parameter_levels,
)
from wargame.figures.stats import PROPORTION_CI
from wargame.figures.style import (
    Figure,
    input_name,
    level_label,
    level_text,
    n_text,
    number,
    parameter_label,
    percent,
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
    inert_at,
    runs_at_levels,
    share_table,
)
from wargame.outcomes import HEADLINE_OUTCOMES, OUTCOME_CMAPS, OUTCOME_NAMES

#: Run ids listed per cell and outcome in phase.csv.
EXAMPLE_RUNS = 5


def outcome_probabilities(
    results: Results, x: str, y: str, facet: str | None = None
) -> pd.DataFrame:
    """One row per (facet, x, y, outcome): n (units: seeds under paired seeds, else runs),
    n_runs (distinct runs), count, p and its Wilson 95% interval (wargame.figures.units).

    Every outcome appears in every cell (count 0 included), so p sums to one per cell.
    `example_run_ids` names up to five runs of that cell with that outcome, so that a
    surprising cell can be watched as it happened (`wargame viz --sweep DIR --run ID`).
    """
    results.require_swept(x, y, facet)
    keys = [k for k in (facet, x, y) if k is not None]
    frame = runs_at_levels(results, keys, ["outcome"])
    tables = []
    for outcome in OUTCOME_NAMES:
        frame["hit"] = (frame["outcome"] == outcome).astype(float)
        part = share_table(frame, keys, "hit").rename(columns={"runs": "n_runs"})
        examples = frame[frame["outcome"] == outcome].groupby(keys)["run_id"].agg(
            lambda ids: " ".join(str(i) for i in sorted(ids)[:EXAMPLE_RUNS]))
        part = part.merge(examples.rename("example_run_ids").reset_index(), on=keys,
                          how="left")
        part["example_run_ids"] = part["example_run_ids"].astype(object).fillna("")
        tables.append(part.assign(outcome=outcome))
    table = pd.concat(tables, ignore_index=True)
    columns = [*keys, "outcome", "n", "n_runs", "count", "p", "lo", "hi", "example_run_ids"]
    order = {o: i for i, o in enumerate(OUTCOME_NAMES)}
    table = table[columns].sort_values([*keys, "outcome"], kind="stable",
                                       key=lambda c: c.map(order) if c.name == "outcome" else c)
    return table.reset_index(drop=True)


def _axis_label(results: Results, name: str) -> str:
    return parameter_label(name) + (" — binned" if is_binned(results, name) else "")


def _tick_labels(results: Results, name: str, values: np.ndarray) -> list[str]:
    """Grid levels as numbers ('5,000'); binned LHS/Sobol values as their bins ('0.2–0.4')."""
    if not is_binned(results, name):
        return [number(v) for v in values]
    edges = bin_edges(results.runs[name])
    width = (edges[1] - edges[0]) / 2
    return [f"{number(v - width)}–{number(v + width)}" for v in values]


def render(
    results: Results, out_dir: Path, x: str | None = None, y: str | None = None,
    by: str | None = None,
) -> list[Figure]:
    """Heatmaps: one row per outcome that occurs, one column per level of `by`."""
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
    if by is None and default_by not in (x, y) and default_by is not None and not is_binned(
            results, default_by) and target_axes() is None:
        by = default_by  # a sampled (binned) third input would leave most cells empty: pooled
    if x is None or y is None:
        raise Unsupported("a phase diagram needs two swept numeric parameters")
    table = outcome_probabilities(results, x, y, by)
    save_table(table, out_dir, PHASE.name)
    occurring = [o for o in OUTCOME_NAMES if table.loc[table["outcome"] == o, "count"].sum() > 0]
    never = [o for o in OUTCOME_NAMES if o not in occurring]
    if target_axes() is not None:  # the caller's axes: the headline outcome, one panel
        occurring = [HEADLINE_OUTCOMES[0]]
    pooled = [p for p in results.swept if p not in (x, y, by)]
    plt = pyplot()
    facets = ordered_levels(table[by], by) if by else [None]
    xs, ys = np.sort(table[x].unique()), np.sort(table[y].unique())
    if is_binned(results, x):
        xs = np.unique(np.concatenate([xs, parameter_levels(results, x).unique()]))
    if is_binned(results, y):
        ys = np.unique(np.concatenate([ys, parameter_levels(results, y).unique()]))
    width = max(3.9, 0.75 * len(xs))
    fig, axes = plt.subplots(
        len(occurring), len(facets),
        figsize=(1.6 + width * len(facets), 1.3 + 3.2 * len(occurring)),
        squeeze=False, constrained_layout=True,
    )
    small = len(xs) * len(ys) <= 30
    empty_cells = False
    # Facets in which neither axis can act (the reference arms of a two-stage sweep over
    # reform levers): their cells repeat one set of runs, and the title says so.
    still = [level for level in facets if by and inert_at(results, (x, y), {by: level})]
    for row, outcome in enumerate(occurring):
        for col, level in enumerate(facets):
            ax = axes[row, col]
            cell = table[table["outcome"] == outcome]
            if by:
                cell = cell[cell[by] == level]
            grid = cell.pivot(index=y, columns=x, values="p").reindex(index=ys, columns=xs)
            empty_cells |= bool(grid.isna().to_numpy().any())
            ax.patch.set(hatch="///", edgecolor="#cccccc")  # shows where a cell has no runs
            image = ax.imshow(
                grid.to_numpy(), origin="lower", cmap=OUTCOME_CMAPS[outcome], vmin=0, vmax=1,
                aspect="auto",
            )
            for rec in cell.itertuples():
                i, j = int(np.searchsorted(ys, getattr(rec, y))), int(
                    np.searchsorted(xs, getattr(rec, x)))
                text = percent(rec.p)
                if small:
                    text += f"\n[{percent(rec.lo)}–{percent(rec.hi)}]\nn={rec.n:,.0f}"
                ax.text(j, i, text, ha="center", va="center", fontsize=7 if small else 6,
                        color="white" if rec.p > 0.6 else "black")
            ax.set_xticks(range(len(xs)), _tick_labels(results, x, xs), fontsize=8,
                          rotation=30 if is_binned(results, x) else 0,
                          ha="right" if is_binned(results, x) else "center")
            ax.set_yticks(range(len(ys)), _tick_labels(results, y, ys), fontsize=8)
            if row == len(occurring) - 1:
                ax.set_xlabel(wrap(_axis_label(results, x), int(12 * width)))
            if col == 0:
                ax.set_ylabel(wrap(_axis_label(results, y), 34))
            title = f"P({outcome})"
            if by and row == 0:
                heading = level_label(by, level)
                if level in still:
                    heading += " (axes do not act: the same runs in every cell)"
                title = wrap(heading, int(11 * width)) + "\n" + title
            ax.set_title(title, fontsize=10)
        fig.colorbar(image, ax=axes[row, :].tolist(), shrink=0.85,
                     label=f"Probability of {outcome}")
    n_cells = table.drop_duplicates([k for k in (by, x, y) if k])["n"]
    chars = int(10 * fig.get_figwidth())  # a line of the title at 11 pt
    notes = [pooled_note(pooled)] if pooled else []
    if never:
        notes.append("never in any run: " + ", ".join(never))
    title_figure(fig, wrap(
        f"Outcome probabilities over {input_name(x)} and {input_name(y)}", chars)
        + f"\n{wrap(results.describe(), chars)}"
        + (f"\n{wrap('; '.join(notes), chars)}" if notes else ""), fontsize=11)
    caption = (
        f"Share of runs ending in each outcome in each cell of {x} × {y}"
        + (f", one column per {by}" if by else "")
        + f". Cells show the share, its {PROPORTION_CI} and n ({n_text(n_cells)} per "
        "cell). "
    )
    caption += counting_note(results) + pooled_caption(pooled)
    if still:
        caption += (f"Under {', '.join(level_text(by, s) for s in still)} neither {x} nor {y} "
                    "can act (the model's inert-input rule): every cell of that column holds "
                    "the same runs, counted once in any pooled figure. ")
    if never:
        caption += (f"Not drawn: {', '.join(never)}, which no run of the sweep ended in "
                    "(0% in every cell; the rows are in phase.csv). ")
    if empty_cells:
        caption += "Hatched cells hold no runs (the sampled design left them empty). "
    caption += (f"{results.describe()}. Numbers: phase.csv, with example run ids per cell "
                "to watch in `wargame viz --sweep DIR --run ID`.")
    return [Figure(PHASE.name, "Phase diagram of outcomes", caption,
                   save(fig, out_dir, PHASE.name))]
