"""If the United States steps back, which governance regime helps an attacked member most?

Runs the Baltic case under the three governance regimes with US commitment fixed low,
then prints, for each regime against today's (nato_us_led), the difference in P(defeated)
and P(deterred) with Newcombe 95% intervals, and the mean day of first forces with
Student-t 95% intervals; draws the outcome shares with Wilson 95% intervals.
Copy this file and change SWEEP or BASELINE to compare other arrangements.

    python analysis/regime_comparison.py [OUT_DIR] [--replications N]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from wargame.figures.load import load_results
from wargame.figures.stats import mean_ci, newcombe_difference, wilson
from wargame.figures.style import pyplot, save, wrap
from wargame.outcomes import HEADLINE_OUTCOMES, OUTCOME_COLOURS, OUTCOME_NAMES
from wargame.regimes import CRISIS_REGIMES, REGIMES
from wargame.sweep.api import sweep

BASELINE = "nato_us_led"
SWEEP = {
    "description": "Governance regimes with the US stepping back, Baltic case",
    "scenario": "baltic",
    "replications": 300,  # a difference of two shares near 0.1 is then known to +-5 points
    "base_seed": 2,
    "parameters": {"us_commitment": 0.2},
    "design": {"kind": "grid",
               "levels": {"governance": list(CRISIS_REGIMES)}},
}


def main(out: Path, replications: int) -> None:
    sweep({**SWEEP, "replications": replications}, out, name="regime_comparison")
    results = load_results(out)
    runs = results.runs
    base = runs[runs["governance"] == BASELINE]
    print(f"Each regime against {REGIMES[BASELINE].label}; {results.describe()}\n")
    for regime, part in runs.groupby("governance", sort=False):
        n, mean, lo, hi = mean_ci(part["day_first_forces"].to_numpy())
        line = (f"{REGIMES[regime].label:<28} day of first forces {mean:5.1f} "
                f"[{lo:.1f}, {hi:.1f}] (n = {n} runs with forces of {len(part)})")
        if regime != BASELINE:
            for outcome in HEADLINE_OUTCOMES:
                diff, d_lo, d_hi, _ = newcombe_difference(
                    int((base["outcome"] == outcome).sum()), len(base),
                    int((part["outcome"] == outcome).sum()), len(part))
                line += f"; P({outcome}) {diff:+.3f} [{d_lo:+.3f}, {d_hi:+.3f}]"
        print(line)
    draw(results, out / "plots")


def draw(results, out_dir: Path) -> None:
    """Outcome shares per regime with Wilson 95% intervals."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(7, 3.8), constrained_layout=True)
    regimes = list(dict.fromkeys(results.runs["governance"]))
    width = 0.8 / len(OUTCOME_NAMES)
    for i, outcome in enumerate(OUTCOME_NAMES):
        counts = [int((results.runs.loc[results.runs["governance"] == r, "outcome"]
                       == outcome).sum()) for r in regimes]
        n = [int((results.runs["governance"] == r).sum()) for r in regimes]
        share = [c / m for c, m in zip(counts, n, strict=True)]
        lo, hi = wilson(counts, n)
        xs = [j + (i - (len(OUTCOME_NAMES) - 1) / 2) * width for j in range(len(regimes))]
        ax.bar(xs, share, width, color=OUTCOME_COLOURS[outcome], label=outcome,
               yerr=[[s - lo_ for s, lo_ in zip(share, lo, strict=True)],
                     [hi_ - s for s, hi_ in zip(share, hi, strict=True)]], capsize=3)
    ax.set_xticks(range(len(regimes)), [wrap(REGIMES[r].label, 20) for r in regimes])
    ax.set_ylabel("Share of runs (Wilson 95% interval)")
    ax.set_ylim(0, 1)
    ax.legend(title="outcome")
    ax.set_title(f"Outcomes by governance regime, US commitment "
                 f"{SWEEP['parameters']['us_commitment']}\n{results.describe()}")
    for path in save(fig, out_dir, "regime_comparison"):
        print(f"wrote {path}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", default="runs/regime_comparison", type=Path)
    parser.add_argument("--replications", type=int, default=SWEEP["replications"])
    args = parser.parse_args()
    main(args.out, args.replications)
