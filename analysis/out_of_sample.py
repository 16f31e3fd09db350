"""How does the model's order of helpers compare with what states did? O1 and O2, drawn.

Left: each helper's mean assistance in the model's wars against Russia (money, materiel
and forces, % of GDP per war) against its military aid to Ukraine (Kiel Ukraine Support
Tracker, % of 2021 GDP). Right: each EU member's P(forces) where only Art. 42.7 binds,
coloured by what it did when France invoked the clause in 2015. Each title gives the
best one-line baseline from states.csv and the model's gain over it. Both records are out of sample:
neither the model nor the calibration reads them. Reads the lever grids of a finished
validation (`wargame validate --check O1 O2 --out DIR` runs only them), prints the numbers
behind the figure, writes DIR/plots/out_of_sample.png and out_of_sample.csv.

    python analysis/out_of_sample.py DIR
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.patches import Patch

from wargame.errors import WargameError
from wargame.figures.style import pyplot, save, save_table, stamped
from wargame.validation import out_of_sample as oos
from wargame.validation import stats

#: Colours of the 2015 responses: forces (sent or relieving French forces), something less
#: (offers, money, political support), nothing found (not known to have done nothing).
RESPONSE_COLOURS = {"forces": "#2166ac", "less": "#e08214", "none found": "#8c8c8c"}
RESPONSE_WORDS = {"forces": "sent forces or relieved French forces",
                  "less": "offered, gave money or political support",
                  "none found": "no response found"}


def against_best(frame: pd.DataFrame, score: str, reference: str, measure, gain
                 ) -> tuple[str, object, object]:
    """The best one-line predictor on these states (states.csv), its score and the model's
    gain over it (`oos.best_baseline`, as the checks report them)."""
    best, estimates, lead = oos.best_baseline(frame[score].to_numpy(),
                                              frame[reference].to_numpy(),
                                              list(frame.index), measure, gain)
    return best.name, estimates[best.name], lead


def provenance(folder: Path) -> str:
    """Where the numbers come from: the validation's commit, seeds and scenarios."""
    data = json.loads((folder / "validation.json").read_text(encoding="utf-8"))
    settings = data["settings"]
    return (f"wargame validate {'--quick' if settings['quick'] else '(full)'}, commit "
            f"{(data.get('git_commit') or 'unknown')[:12]}, {data['created']}; "
            f"{settings['seeds_per_cell']} paired seeds a cell, base seed {settings['base_seed']}; "
            f"scenarios {', '.join(settings['scenarios'])}; intervals: percentile bootstrap "
            "over states (they leave out the seeds' noise and the choice of the best baseline)")


def main(folder: Path) -> None:
    russian, art427 = oos.help_tables_in(folder)
    ukraine, france = oos.ukraine_frame(russian), oos.france_frame(art427)
    rho = stats.rank_correlation(ukraine["assistance_share"], ukraine["military_pct_gdp"])
    auc = stats.separation(france["p_forces"], france["sent_forces"])
    print(f"O1: Spearman's rho {rho.value:+.2f} [{rho.low:+.2f}, {rho.high:+.2f}] over "
          f"{rho.n} states (lever grids of {', '.join(russian)})")
    print(f"O2: AUC {auc.value:.2f} [{auc.low:.2f}, {auc.high:.2f}] over {auc.n} EU members, "
          f"{int(france['sent_forces'].sum())} of them sent forces in 2015")
    o1_name, o1_base, o1_gain = against_best(ukraine, "assistance_share", "military_pct_gdp",
                                             stats.rank_correlation, stats.rank_correlation_gain)
    o2_name, o2_base, o2_gain = against_best(france, "p_forces", "sent_forces",
                                             stats.separation, stats.separation_gain)
    print(f"O1 best baseline {o1_name} {o1_base.value:+.2f}; model minus it "
          f"{o1_gain.value:+.2f} [{o1_gain.low:+.2f}, {o1_gain.high:+.2f}]")
    print(f"O2 best baseline {o2_name} {o2_base.value:.2f}; model minus it "
          f"{o2_gain.value:+.2f} [{o2_gain.low:+.2f}, {o2_gain.high:+.2f}]")
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
    left.set_xlabel("military aid to Ukraine, 24 Jan 2022-28 Feb 2026 (% of 2021 GDP, Kiel "
                    "Release 28;\nsymmetric log scale, linear below 0.1)")
    left.set_ylabel("model: mean assistance per war against Russia (% of GDP)")
    left.set_title(f"O1 aid to Ukraine: Spearman's rho {rho.value:+.2f} "
                   f"[{rho.low:+.2f}, {rho.high:+.2f}], {rho.n} states\n"
                   f"{o1_name} alone {o1_base.value:+.2f} [{o1_base.low:+.2f}, "
                   f"{o1_base.high:+.2f}]; model minus it {o1_gain.value:+.2f} "
                   f"[{o1_gain.low:+.2f}, {o1_gain.high:+.2f}]", fontsize=10)

    order = france.sort_values("p_forces")
    kinds = ["forces" if sent else "none found" if response == "none_reported" else "less"
             for sent, response in zip(order["sent_forces"], order["response"], strict=True)]
    colours = [RESPONSE_COLOURS[kind] for kind in kinds]
    right.barh(order["name"], 100 * order["p_forces"], color=colours)
    never = order["p_forces"] == 0.0  # no bar to colour: a marker says what the state did
    right.scatter(np.full(int(never.sum()), 1.0), order["name"][never], marker="s", s=22,
                  color=[c for c, zero in zip(colours, never, strict=True) if zero])
    right.set_xlim(0, 100)
    right.set_xlabel("model: P(forces) under Art. 42.7 alone\n(% of armed attacks; a square "
                     "marks 0%)")
    right.tick_params(axis="y", labelsize=7)
    right.set_title(f"O2 France 2015: AUC {auc.value:.2f} [{auc.low:.2f}, {auc.high:.2f}], "
                    f"{auc.n} EU members\n{o2_name} alone {o2_base.value:.2f} "
                    f"[{o2_base.low:.2f}, {o2_base.high:.2f}];\nmodel minus it "
                    f"{o2_gain.value:+.2f} [{o2_gain.low:+.2f}, {o2_gain.high:+.2f}]",
                    fontsize=10)
    handles = [Patch(color=colour) for colour in RESPONSE_COLOURS.values()]
    right.legend(handles, [f"2015: {RESPONSE_WORDS[kind]}" for kind in RESPONSE_COLOURS],
                 loc="lower right", fontsize=7)
    fig.suptitle("Out of sample: the model's order of helpers beside what states did "
                 "(95% intervals; neither record is a model input)")
    footer = provenance(folder)
    with stamped(lambda width: textwrap.fill(footer, int(width * 19))):
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
        print(f"out_of_sample.py: error: {error}", file=sys.stderr)
        sys.exit(2)
