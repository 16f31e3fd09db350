"""Does the model pick the states that really helped? O1 and O2 of `wargame validate`, drawn.

Left: each helper's mean assistance in the model's wars against Russia (money, materiel
and forces, % of GDP per war) against its military aid to Ukraine (Kiel Ukraine Support
Tracker, % of GDP). Right: each EU member's P(forces) where only Art. 42.7 binds, coloured
by what it did when France invoked the clause in 2015. Both records are out of sample:
neither the model nor the calibration reads them. Reads the lever grids of a finished
validation (`wargame validate --check O1 O2 --out DIR` runs only them), prints the numbers
behind the figure, writes DIR/plots/out_of_sample.png and out_of_sample.csv.

    python analysis/out_of_sample.py DIR
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.patches import Patch

from wargame.errors import WargameError
from wargame.figures.style import pyplot, save, save_table
from wargame.validation import out_of_sample as oos
from wargame.validation import stats

SENT, NOT_SENT = "#2166ac", "#b2182b"


def best_baseline(iso3s: list[str], baselines: tuple[oos.Baseline, ...], measure,
                  reference: np.ndarray) -> tuple[str, float]:
    """The one-line predictor (states.csv) that does best on the same states, and its score:
    what the model's order has to beat to say more than geography, alliance or size."""
    scores = {b.words: measure(oos.baseline_scores(iso3s, b), reference).value
              for b in baselines}
    words = max(scores, key=scores.get)
    return words, scores[words]


def main(folder: Path) -> None:
    russian, art427 = oos.help_tables_in(folder)
    ukraine, france = oos.ukraine_frame(russian), oos.france_frame(art427)
    rho = stats.rank_correlation(ukraine["assistance_share"], ukraine["military_pct_gdp"])
    auc = stats.separation(france["p_forces"], france["sent_forces"])
    print(f"O1: Spearman's rho {rho.value:+.2f} [{rho.low:+.2f}, {rho.high:+.2f}] over "
          f"{rho.n} states (lever grids of {', '.join(russian)})")
    print(f"O2: AUC {auc.value:.2f} [{auc.low:.2f}, {auc.high:.2f}] over {auc.n} EU members, "
          f"{int(france['sent_forces'].sum())} of them sent forces in 2015")
    o1_best = best_baseline(list(ukraine.index), oos.UKRAINE_BASELINES, stats.rank_correlation,
                            ukraine["military_pct_gdp"].to_numpy())
    o2_best = best_baseline(list(france.index), oos.FRANCE_BASELINES, stats.separation,
                            france["sent_forces"].to_numpy(dtype=bool))
    print(f"best one-line baselines: O1 {o1_best[0]} {o1_best[1]:+.2f}, "
          f"O2 {o2_best[0]} {o2_best[1]:.2f}")
    print(f"\n{'state':<16} {'model % GDP':>11} {'tracker % GDP':>13}")
    for _, row in ukraine.sort_values("military_pct_gdp", ascending=False).iterrows():
        print(f"{row['name'][:16]:<16} {100 * row['assistance_share']:11.3f} "
              f"{row['military_pct_gdp']:13.2f}")

    plt = pyplot()
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 6.2), constrained_layout=True,
                                      gridspec_kw={"width_ratios": (1.1, 1)})
    left.scatter(ukraine["military_pct_gdp"], 100 * ukraine["assistance_share"], s=18,
                 color="#404040")
    for iso3, row in ukraine.iterrows():
        left.annotate(iso3, (row["military_pct_gdp"], 100 * row["assistance_share"]),
                      xytext=(3, 2), textcoords="offset points", fontsize=7)
    left.set_xscale("symlog", linthresh=0.1)
    left.set_xlabel("military aid to Ukraine, Feb 2022-Feb 2026 (% of GDP, Kiel Release 28)")
    left.set_ylabel("model: mean assistance per war against Russia (% of GDP)")
    left.set_title(f"O1 aid to Ukraine: Spearman's rho {rho.value:+.2f} "
                   f"[{rho.low:+.2f}, {rho.high:+.2f}], {rho.n} states\n"
                   f"({o1_best[0]} alone: {o1_best[1]:+.2f})")

    order = france.sort_values("p_forces")
    colours = [SENT if sent else NOT_SENT for sent in order["sent_forces"]]
    right.barh(order["name"], 100 * order["p_forces"], color=colours)
    right.set_xlim(0, 100)
    right.set_xlabel("model: P(forces) under Art. 42.7 alone (% of armed attacks)")
    right.tick_params(axis="y", labelsize=7)
    right.set_title(f"O2 France 2015: AUC {auc.value:.2f} [{auc.low:.2f}, {auc.high:.2f}], "
                    f"{auc.n} EU members\n({o2_best[0]} alone: {o2_best[1]:.2f})")
    handles = [Patch(color=colour) for colour in (SENT, NOT_SENT)]
    right.legend(handles, ["sent forces or relieved French forces, 2015",
                           "did not (offers, money, nothing found)"],
                 loc="lower right", fontsize=7)
    fig.suptitle("Out of sample: does the model pick the states that really helped? "
                 "(95% bootstrap intervals over states; neither record is a model input)")
    for path in save(fig, folder / "plots", "out_of_sample"):
        print(f"\nwrote {path}")
    table = pd.concat([ukraine.assign(record="ukraine"), france.assign(record="france_2015")])
    table.index.name = "iso3"
    print(f"wrote {save_table(table.reset_index(), folder, 'out_of_sample')}")
    if not np.isfinite(rho.value):
        print("warning: too few states for a rank correlation", file=sys.stderr)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="a finished `wargame validate` folder")
    args = parser.parse_args()
    try:
        main(args.folder)
    except WargameError as error:
        sys.exit(f"out_of_sample.py: error: {error}")
