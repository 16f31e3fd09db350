"""Comparison of two sweeps: did the change between them (a reform, a new assumption, a
bigger rapid-reaction force) move the probability of each outcome, and by more than chance?

Differences are B − A in outcome probability, overall and at each level of every
parameter both sweeps swept, with Newcombe hybrid score 95% intervals; a difference is
flagged significant when its interval excludes zero (the two-sided two-proportion z test's
p-value is given too). With many rows, about 1 in 20 will be flagged by chance alone.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from wargame.figures.load import Results, ordered_levels, parameter_levels
from wargame.figures.stats import DIFFERENCE_CI, newcombe_difference
from wargame.figures.style import Figure, level_label, pyplot, save, save_table
from wargame.model import OUTCOMES
from wargame.palette import OUTCOME_COLOURS

ALL_RUNS = "all runs"


def common_parameters(a: Results, b: Results) -> list[str]:
    """Parameters swept in both folders (in A's order)."""
    return [p for p in a.swept if p in b.swept]


def _groups(results: Results, names: list[str]) -> list[tuple[str, str, pd.Series]]:
    """(parameter, level, mask) for the whole sweep and for each level of each parameter."""
    groups = [(ALL_RUNS, "", pd.Series(True, index=results.runs.index))]
    for name in names:
        levels = parameter_levels(results, name)
        for level in ordered_levels(levels, name):
            groups.append((name, str(level), levels == level))
    return groups


def outcome_differences(a: Results, b: Results) -> pd.DataFrame:
    """One row per (group, outcome): n_a, p_a, n_b, p_b, diff = p_b − p_a, its Newcombe 95%
    interval (lo, hi), z-test p_value and `significant` (interval excludes 0).

    Groups are all runs, then each level of each parameter swept in both sweeps (levels
    present in only one sweep are skipped).
    """
    names = common_parameters(a, b)
    groups_b = {(p, lvl): mask for p, lvl, mask in _groups(b, names)}
    rows = []
    for parameter, level, mask_a in _groups(a, names):
        mask_b = groups_b.get((parameter, level))
        if mask_b is None or not mask_a.any() or not mask_b.any():
            continue
        out_a, out_b = a.runs.loc[mask_a, "outcome"], b.runs.loc[mask_b, "outcome"]
        for outcome in OUTCOMES:
            k_a, k_b = int((out_a == outcome).sum()), int((out_b == outcome).sum())
            diff, lo, hi, p_value = newcombe_difference(k_a, len(out_a), k_b, len(out_b))
            rows.append({
                "parameter": parameter, "level": level, "outcome": outcome,
                "n_a": len(out_a), "p_a": k_a / len(out_a),
                "n_b": len(out_b), "p_b": k_b / len(out_b),
                "diff": diff, "lo": lo, "hi": hi, "p_value": p_value,
                "significant": bool(lo > 0 or hi < 0),
            })
    return pd.DataFrame(rows)


def format_table(table: pd.DataFrame, a: Results, b: Results) -> str:
    """The differences as a fixed-width text table for the terminal."""
    lines = [
        f"A = {a.describe()}",
        f"B = {b.describe()}",
        f"difference B − A in outcome probability, {DIFFERENCE_CI}; * = interval excludes 0",
        "",
        f"{'group':<34} {'outcome':<9} {'A: p (n)':>16} {'B: p (n)':>16} "
        f"{'B − A [95% CI]':>24} {'z p':>7}",
    ]
    for row in table.itertuples():
        group = ALL_RUNS if row.parameter == ALL_RUNS else f"{row.parameter} = {row.level}"
        lines.append(
            f"{group[:34]:<34} {row.outcome:<9} {row.p_a:>6.1%} ({row.n_a:>6,}) "
            f"{row.p_b:>6.1%} ({row.n_b:>6,}) "
            f"{row.diff:>+7.1%} [{row.lo:>+6.1%}, {row.hi:>+6.1%}] {row.p_value:>7.3f}"
            + (" *" if row.significant else "")
        )
    n_sig = int(table["significant"].sum())
    lines.append(f"\n{n_sig} of {len(table)} differences significant at 95% (unadjusted).")
    return "\n".join(lines)


def render(a: Results, b: Results, out_dir: Path) -> list[Figure]:
    """Forest plot: one panel per outcome, one row per group, significant rows highlighted."""
    table = outcome_differences(a, b)
    save_table(table, out_dir, "compare")
    (out_dir / "compare.txt").write_text(format_table(table, a, b) + "\n", encoding="utf-8")
    plt = pyplot()
    groups = table.drop_duplicates(["parameter", "level"])[["parameter", "level", "n_a", "n_b"]]
    labels = [
        ("All runs" if p == ALL_RUNS else level_label(p, _typed(lvl)))
        + f"  (n = {na:,} / {nb:,})"
        for p, lvl, na, nb in groups.itertuples(index=False)
    ]
    pos = np.arange(len(groups))[::-1]
    fig, axes = plt.subplots(1, len(OUTCOMES), figsize=(15, 1.6 + 0.38 * len(groups)),
                             sharey=True, constrained_layout=True)
    for ax, outcome in zip(axes, OUTCOMES, strict=True):
        part = table[table["outcome"] == outcome]
        for y, row in zip(pos, part.itertuples(), strict=True):
            colour = OUTCOME_COLOURS[outcome] if row.significant else "#bbbbbb"
            ax.errorbar(row.diff, y, xerr=[[row.diff - row.lo], [row.hi - row.diff]], fmt="o",
                        color=colour, elinewidth=1.6, capsize=3, ms=5)
        ax.axvline(0, color="black", lw=0.8)
        ax.set_title(f"P({outcome}): B − A")
        ax.set_xlabel("Difference in probability (B − A, percentage points)")
        ax.grid(axis="x", alpha=0.3)
        ax.xaxis.set_major_formatter(lambda v, _: f"{100 * v:+.3g}")
    axes[0].set_yticks(pos, labels, fontsize=8)
    handles = [
        axes[0].errorbar([], [], xerr=[], fmt="o", color=OUTCOME_COLOURS[outcome], capsize=3)
        for outcome in OUTCOMES
    ] + [axes[0].errorbar([], [], xerr=[], fmt="o", color="#bbbbbb", capsize=3)]
    fig.legend(handles, [f"P({o}): 95% interval excludes 0" for o in OUTCOMES]
               + ["not significant (interval includes 0)"], loc="outside lower center",
               ncols=4, fontsize=8)
    fig.suptitle(f"Outcome probabilities, B − A ({DIFFERENCE_CI})\n"
                 f"A = {a.describe()}\nB = {b.describe()}", fontsize=11)
    caption = (
        f"Difference in the probability of each outcome between sweep B ({b.name}) and sweep "
        f"A ({a.name}), over all runs and at each level of the parameters both swept; bars "
        f"are {DIFFERENCE_CI}s, coloured where they exclude zero (unadjusted for multiple "
        "comparisons). The two sweeps are treated as independent samples; when they share "
        "a base seed and design their runs are paired, and the intervals are conservative. "
        "n = runs in A / B. Numbers: compare.csv, table: compare.txt."
    )
    return [Figure("compare", "Comparison of two sweeps", caption,
                   save(fig, out_dir, "compare"))]


def _typed(level: str) -> object:
    """A level read back as a number where it is one (for '= 0.25' rather than '= 0.25')."""
    try:
        return float(level)
    except ValueError:
        return level
