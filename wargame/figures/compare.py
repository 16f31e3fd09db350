"""Comparison of two sweeps: did the change between them (a reform, a new assumption, a
bigger rapid-reaction force) move the probability of each outcome, and by more than chance?

First, what the change was: the inputs fixed at different values in A and B (and those
swept in only one) are listed. Differences are B − A in outcome probability, overall and
at each level of every parameter both sweeps swept. When the two sweeps ran the same runs
with the same seeds (the same design and base seed: run i of A and run i of B draw the
same random numbers), the runs are paired: Newcombe's hybrid score interval for paired
proportions and McNemar's exact test; pairing
removes the run-to-run noise the two sweeps share, so the interval is narrower than for
independent samples. Otherwise the sweeps are independent samples: Newcombe hybrid score
95% intervals and the two-proportion z test. A difference is flagged significant when its
interval excludes zero. With many rows, about 1 in 20 will be flagged by chance alone.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from wargame.errors import WargameError
from wargame.figure_kinds import COMPARE
from wargame.figures.load import Results, ordered_levels, parameter_levels
from wargame.figures.stats import DIFFERENCE_CI, newcombe_difference, newcombe_paired
from wargame.figures.style import (
    Figure,
    input_name,
    level_label,
    number,
    pyplot,
    save,
    save_table,
    wrap,
)
from wargame.files import write_text
from wargame.inputs import INPUTS

ALL_RUNS = "all runs"
PAIRED_CI = "Newcombe paired hybrid score 95% interval"
#: The share of each sweep's runs that must find a partner (same seed, same levels) for
#: the comparison to be paired.
MIN_PAIRED = 0.9


def _fixed_values(results: Results) -> dict[str, set]:
    """Each input's values over the design points of a sweep (one value if it was fixed)."""
    values: dict[str, set] = {}
    for point in results.manifest.get("points", []):
        for name, value in point["parameters"].items():
            values.setdefault(name, set()).add(value)
    return values


def _values_text(values: set) -> str:
    return ", ".join(number(v) for v in sorted(values, key=str))


def differing_inputs(a: Results, b: Results) -> list[str]:
    """What differs between the sweeps apart from the levels both swept, one line each:
    the scenario, the posterior draws (whose inputs are then left out of the rest),
    inputs fixed at different values, inputs swept in only one."""
    lines = []
    if a.manifest.get("scenario") != b.manifest.get("scenario"):
        lines.append(f"scenario: A = {a.manifest.get('scenario')}, "
                     f"B = {b.manifest.get('scenario')}")
    if (a.posterior or {}) != (b.posterior or {}):
        lines.append(f"posterior draws: A {a.posterior_text() or 'none'}, "
                     f"B {b.posterior_text() or 'none'}"
                     + (" (other sets)" if a.posterior and b.posterior else ""))
    values_a, values_b = _fixed_values(a), _fixed_values(b)
    for name in sorted(set(a.drawn) ^ set(b.drawn)):  # drawn in one sweep, set in the other
        label = f"{input_name(name)} ({name})" if name in INPUTS else name
        sides = [f"{side} drawn per replication" if name in sweep.drawn else
                 f"{side} {'swept over' if name in sweep.swept else '='} "
                 f"{_values_text(values.get(name, set()))}"
                 for side, sweep, values in (("A", a, values_a), ("B", b, values_b))]
        lines.append(f"{label}: {'; '.join(sides)}")
    drawn = set(a.drawn) | set(b.drawn)
    for name in sorted((set(values_a) | set(values_b)) - drawn):
        in_a, in_b = values_a.get(name, set()), values_b.get(name, set())
        swept_a, swept_b = name in a.swept, name in b.swept
        if swept_a and swept_b:
            continue
        label = f"{input_name(name)} ({name})" if name in INPUTS else name
        if swept_a or swept_b:
            lines.append(f"{label}: A {'swept over' if swept_a else '='} {_values_text(in_a)}; "
                         f"B {'swept over' if swept_b else '='} {_values_text(in_b)}")
        elif in_a != in_b:
            lines.append(f"{label}: A = {_values_text(in_a)}, B = {_values_text(in_b)}")
    return lines


def pair_runs(a: Results, b: Results) -> pd.DataFrame | None:
    """Row positions (a, b) of runs with the same seed and the same levels of the inputs
    both swept, or None when too few runs pair up for a paired comparison."""
    keys = ["seed", *common_parameters(a, b)]
    left = a.runs[keys].reset_index(names="a")
    right = b.runs[keys].reset_index(names="b")
    pairs = left.merge(right, on=keys, how="inner")
    if pairs["a"].duplicated().any() or pairs["b"].duplicated().any():
        return None
    if len(pairs) < MIN_PAIRED * max(len(a.runs), len(b.runs)):
        return None
    return pairs[["a", "b"]]


def paired_difference(in_a: np.ndarray, in_b: np.ndarray) -> tuple[float, float, float, float]:
    """(p_b − p_a, low, high, p-value) over paired 0/1 outcomes: Newcombe's hybrid score
    interval for paired proportions (`newcombe_paired`) and McNemar's exact test, so both
    kinds of comparison read alike."""
    diff, low, high = newcombe_paired(in_a, in_b)
    only_a, only_b = int((in_a & ~in_b).sum()), int((in_b & ~in_a).sum())
    discordant = only_a + only_b
    p_value = stats.binomtest(only_b, discordant).pvalue if discordant else 1.0
    return diff, low, high, float(p_value)


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
    """One row per (group, outcome): n_a, p_a, n_b, p_b, diff = p_b − p_a, its 95% interval
    (lo, hi), p_value, `significant` (interval excludes 0), `paired` and `method`.

    Groups are all runs, then each level of each parameter swept in both sweeps (levels
    present in only one sweep are skipped). Paired sweeps (`pair_runs`) compare the paired
    runs (n_a = n_b = pairs); others compare all runs as independent samples.
    """
    if a.model != b.model:
        raise WargameError(f"{b.path} holds {b.model} runs and {a.path} {a.model} runs: "
                           "compare two sweeps of the same model")
    names = common_parameters(a, b)
    pairs = pair_runs(a, b)
    groups_b = {(p, lvl): mask for p, lvl, mask in _groups(b, names)}
    rows = []
    for parameter, level, mask_a in _groups(a, names):
        mask_b = groups_b.get((parameter, level))
        if mask_b is None or not mask_a.any() or not mask_b.any():
            continue
        if pairs is not None:
            chosen = pairs[mask_a.to_numpy()[pairs["a"].to_numpy()]]
            out_a = a.runs["outcome"].to_numpy()[chosen["a"].to_numpy()]
            out_b = b.runs["outcome"].to_numpy()[chosen["b"].to_numpy()]
        else:
            out_a = a.runs.loc[mask_a, "outcome"].to_numpy()
            out_b = b.runs.loc[mask_b, "outcome"].to_numpy()
        for outcome in a.kind.outcome_names:
            k_a, k_b = int((out_a == outcome).sum()), int((out_b == outcome).sum())
            if pairs is not None:
                diff, lo, hi, p_value = paired_difference(out_a == outcome, out_b == outcome)
            else:
                diff, lo, hi, p_value = newcombe_difference(k_a, len(out_a), k_b, len(out_b))
            rows.append({
                "parameter": parameter, "level": level, "outcome": outcome,
                "n_a": len(out_a), "p_a": k_a / len(out_a),
                "n_b": len(out_b), "p_b": k_b / len(out_b),
                "diff": diff, "lo": lo, "hi": hi, "p_value": p_value,
                "significant": bool(lo > 0 or hi < 0), "paired": pairs is not None,
                "method": PAIRED_CI if pairs is not None else DIFFERENCE_CI,
            })
    return pd.DataFrame(rows)


def pairing_text(table: pd.DataFrame, a: Results, b: Results) -> str:
    """One sentence: whether the runs were paired, and how."""
    if table["paired"].iloc[0]:
        n = int(table["n_a"].iloc[0])
        unpaired = len(a.runs) + len(b.runs) - 2 * n
        return (f"paired: {n:,} runs of A and B share their seed and levels; differences "
                f"are paired ({PAIRED_CI}, McNemar's exact test)"
                + (f"; {unpaired:,} unpaired runs left out" if unpaired else ""))
    return (f"not paired (the runs do not share seeds and levels); independent samples "
            f"({DIFFERENCE_CI}, two-proportion z test)")


def format_table(table: pd.DataFrame, a: Results, b: Results) -> str:
    """The differences as a fixed-width text table for the terminal."""
    differing = differing_inputs(a, b)
    lines = [
        f"A = {a.describe()}",
        f"B = {b.describe()}",
        "inputs that differ between A and B:" + (" none" if not differing else ""),
        *(f"  {line}" for line in differing),
        f"runs {pairing_text(table, a, b)}",
        f"difference B − A in outcome probability, {table['method'].iloc[0]}; "
        "* = interval excludes 0",
        "",
        f"{'group':<34} {'outcome':<9} {'A: p (n)':>16} {'B: p (n)':>16} "
        f"{'B − A [95% CI]':>24} {'p':>7}",
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
    save_table(table, out_dir, COMPARE.name)
    write_text(out_dir / "compare.txt", format_table(table, a, b) + "\n")
    plt = pyplot()
    groups = table.drop_duplicates(["parameter", "level"])[["parameter", "level", "n_a", "n_b"]]
    labels = [
        ("All runs" if p == ALL_RUNS else level_label(p, _typed(lvl)))
        + f"  (n = {na:,} / {nb:,})"
        for p, lvl, na, nb in groups.itertuples(index=False)
    ]
    pos = np.arange(len(groups))[::-1]
    overall = table[table["parameter"] == ALL_RUNS].set_index("outcome")
    outcomes, colours = a.kind.outcome_names, a.kind.outcome_colours
    drawn = [o for o in outcomes if overall.loc[o, "p_a"] > 0 or overall.loc[o, "p_b"] > 0]
    never = [o for o in outcomes if o not in drawn]
    fig, axes = plt.subplots(1, len(drawn), figsize=(2 + 3.4 * len(drawn),
                                                     2.2 + 0.38 * len(groups)),
                             sharey=True, squeeze=False, constrained_layout=True)
    axes = axes[0]
    for ax, outcome in zip(axes, drawn, strict=True):
        part = table[table["outcome"] == outcome]
        for y, row in zip(pos, part.itertuples(), strict=True):
            colour = colours[outcome] if row.significant else "#bbbbbb"
            ax.errorbar(row.diff, y, xerr=[[row.diff - row.lo], [row.hi - row.diff]], fmt="o",
                        color=colour, elinewidth=1.6, capsize=3, ms=5)
        ax.axvline(0, color="black", lw=0.8)
        ax.set_title(f"P({outcome}): B − A")
        ax.set_xlabel("B − A (percentage points)")
        ax.grid(axis="x", alpha=0.3)
        ax.xaxis.set_major_formatter(lambda v, _: f"{100 * v:+.3g}")
    axes[0].set_yticks(pos, labels, fontsize=8)

    handles = [
        axes[0].errorbar([], [], xerr=[], fmt="o", color=colours[outcome], capsize=3)
        for outcome in drawn
    ] + [axes[0].errorbar([], [], xerr=[], fmt="o", color="#bbbbbb", capsize=3)]
    fig.legend(handles, [f"P({o}): 95% interval excludes 0" for o in drawn]
               + ["not significant (interval includes 0)"], loc="outside lower center",
               ncols=4, fontsize=8)
    differing = differing_inputs(a, b)
    changed = "; ".join(differing) if differing else "no input differs"
    fig.suptitle(f"Outcome probabilities, B − A ({table['method'].iloc[0]})\n"
                 f"A = {a.describe()}\nB = {b.describe()}\n"
                 + wrap(f"B differs from A in: {changed}", int(9 * fig.get_figwidth())),
                 fontsize=11)
    caption = (
        f"Difference in the probability of each outcome between sweep B ({b.name}) and sweep "
        f"A ({a.name}), over all runs and at each level of the parameters both swept. "
        f"Inputs that differ between the sweeps: {changed}. Runs {pairing_text(table, a, b)}. "
        f"Bars are {table['method'].iloc[0]}s, coloured where they exclude zero (unadjusted "
        "for multiple comparisons). n = runs in A / B. "
        + (f"Not drawn: {', '.join(never)}, which no run of either sweep ended in. "
           if never else "")
        + "Numbers: compare.csv, table: compare.txt."
    )
    return [Figure(COMPARE.name, "Comparison of two sweeps", caption,
                   save(fig, out_dir, COMPARE.name))]


def _typed(level: str) -> object:
    """A level read back as a number where it is one (for '= 0.25' rather than '= 0.25')."""
    try:
        return float(level)
    except ValueError:
        return level
