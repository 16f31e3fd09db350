"""Which weights decide the reform: answers over the weight ranges, not at one point.

Kind ``reform-fragility`` of `wargame plot` for a sweep that varies the negotiation's
uncertainties over their declared ranges (a Latin hypercube with paired seeds:
wargame/configs/sweeps/negotiation.toml and reform.toml):

- left: the distribution of P(adopted) over the weight sets (each the share of its paired
  seeds adopted), with the share of weight sets in which "adopted in most runs" (P >= 0.5)
  holds and in which it fails (P <= 0.1): an answer that holds only at the default weights
  shows as a split histogram;
- right: which weights decide it: standardized regression coefficients of a weight set's
  P(adopted) on its weights (each weight scaled to its range's standard deviation), with
  95% intervals from the ordinary least-squares standard errors and the fit's R².

`fragility_tables(runs, weights)` returns the numbers behind both panels (written as CSV).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from wargame.figure_kinds import REFORM_FRAGILITY
from wargame.figures.load import Results, Unsupported
from wargame.figures.reform import ADOPTED, BLOCKED, negotiations
from wargame.figures.style import Figure, percent, pyplot, save, save_table

#: The answer "adopted in most runs" holds at P >= HOLDS and fails at P <= FAILS.
HOLDS, FAILS = 0.5, 0.1
#: A weight set needs this many paired seeds for its P(adopted) to mean something.
MIN_SEEDS = 5


def weight_sets(runs: pd.DataFrame, weights: list[str]) -> pd.DataFrame:
    """One row per weight set: its weights, n seeds, P(adopted), mean price, top holdout."""
    rows = []
    for values, group in runs.groupby(weights, sort=False):
        holdouts = pd.Series(" ".join(group["blocking"].fillna("")).split()).value_counts()
        rows.append({**dict(zip(weights, np.atleast_1d(values), strict=True)),
                     "n": len(group), "p_adopted": float(group["adopted"].mean()),
                     "price_bn": float(group["side_payments_spent_bn"].mean()),
                     "top_holdout": holdouts.index[0] if len(holdouts) else ""})
    return pd.DataFrame(rows)


def src(sets: pd.DataFrame, weights: list[str]) -> tuple[pd.DataFrame, float]:
    """Standardized regression coefficients of P(adopted) on the weights, with 95%
    intervals (OLS standard errors), sorted by size; and the fit's R²."""
    x = sets[weights].to_numpy(float)
    y = sets["p_adopted"].to_numpy(float)
    scale = x.std(axis=0)
    keep = scale > 0
    names = [w for w, k in zip(weights, keep, strict=True) if k]
    z = (x[:, keep] - x[:, keep].mean(axis=0)) / scale[keep]
    sy = y.std() or 1.0
    design = np.column_stack([np.ones(len(z)), z])
    beta, *_ = np.linalg.lstsq(design, (y - y.mean()) / sy, rcond=None)
    residual = (y - y.mean()) / sy - design @ beta
    dof = max(len(y) - design.shape[1], 1)
    sigma2 = float(residual @ residual) / dof
    cov = sigma2 * np.linalg.pinv(design.T @ design)
    se = np.sqrt(np.diag(cov))[1:]
    total = float(((y - y.mean()) / sy) @ ((y - y.mean()) / sy)) or 1.0
    r2 = 1.0 - float(residual @ residual) / total
    table = pd.DataFrame({"weight": names, "src": beta[1:], "low": beta[1:] - 1.96 * se,
                          "high": beta[1:] + 1.96 * se})
    table = table.reindex(table["src"].abs().sort_values(ascending=False).index)
    return table.reset_index(drop=True), r2


def fragility_tables(runs: pd.DataFrame, weights: list[str]
                     ) -> tuple[pd.DataFrame, pd.DataFrame, float]:
    """(weight sets, coefficients, R²) for the runs of a weight sweep."""
    sets = weight_sets(runs, weights)
    if len(sets) < len(weights) + 2:
        raise Unsupported(f"{len(sets)} weight sets for {len(weights)} weights: too few to "
                          "tell which decide (sweep a Latin hypercube over the weights)")
    coefficients, r2 = src(sets, weights)
    return sets, coefficients, r2


def render(results: Results, out_dir: Path) -> list[Figure]:
    """Kind reform-fragility: P(adopted) over the weight sets, and which weights decide."""
    from wargame.reform.inputs import REFORM_INPUTS

    about, runs = negotiations(results)
    weights = [w for w in about["swept"] if REFORM_INPUTS[w].role == "uncertainty"]
    if len(weights) < 3:
        raise Unsupported("fewer than three negotiation weights were swept")
    sets, coefficients, r2 = fragility_tables(runs, weights)
    if sets["n"].min() < MIN_SEEDS:
        raise Unsupported(f"a weight set has {sets['n'].min()} runs; at least {MIN_SEEDS} "
                          "paired seeds per set are needed")
    holds = float((sets["p_adopted"] >= HOLDS).mean())
    fails = float((sets["p_adopted"] <= FAILS).mean())
    plt = pyplot()
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 5.5),
                                      gridspec_kw={"width_ratios": [1, 1.3]})
    left.hist(sets["p_adopted"], bins=np.linspace(0, 1, 11), color=ADOPTED.colour,
              edgecolor="white")
    left.axvline(HOLDS, color="black", linestyle="--", linewidth=1)
    left.set_xlabel("P(adopted) of a weight set (share of its paired seeds)")
    left.set_ylabel("Weight sets")
    left.set_title(f"Adopted in most runs: {percent(holds)} of {len(sets)} weight sets\n"
                   f"(adopted in <= 10%: {percent(fails)})", fontsize=10)
    shown = coefficients.head(12).iloc[::-1]
    err = [shown["src"] - shown["low"], shown["high"] - shown["src"]]
    right.barh(shown["weight"], shown["src"], xerr=err, capsize=3,
               color=[ADOPTED.colour if v > 0 else BLOCKED.colour for v in shown["src"]])
    right.axvline(0, color="black", linewidth=0.8)
    right.set_xlabel("Standardized regression coefficient on P(adopted) (95% interval)")
    right.set_title(f"Which weights decide adoption (R² = {r2:.2f})", fontsize=10)
    fig.suptitle("The reform's answer over the weights it rests on", fontsize=12)
    fig.tight_layout()
    paths = save(fig, out_dir, REFORM_FRAGILITY.name)
    paths.append(save_table(sets, out_dir, f"{REFORM_FRAGILITY.name}-sets"))
    paths.append(save_table(coefficients, out_dir, REFORM_FRAGILITY.name))
    caption = (f"{len(sets)} weight sets drawn over the declared ranges of {len(weights)} "
               f"negotiation uncertainties, {int(sets['n'].median())} paired seeds each "
               f"({len(runs):,} negotiations, from {about['source']}). Left: each set's "
               f"P(adopted); the answer 'adopted in most runs' holds in {percent(holds)} of "
               f"the sets and fails (P <= 10%) in {percent(fails)}: a headline at the "
               f"default weights alone holds only where the sets agree. Right: standardized "
               f"regression coefficients of P(adopted) on the weights (largest 12), OLS "
               f"95% intervals, R² = {r2:.2f}.")
    return [Figure(REFORM_FRAGILITY.name, "Which weights decide the reform", caption, paths)]
