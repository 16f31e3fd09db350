"""How much does the defence of Estonia depend on the United States, and can EU command
integration make up for it, under each governance regime?

Runs a small sweep of US commitment x command integration x governance on the Baltic
case, prints P(defeated) per cell with its Wilson 95% interval, and draws the phase
diagram (one heatmap per outcome and regime).
Copy this file and change SWEEP (the scenario, the levels, the replications) to ask
your own question; docs/SWEEPS.md lists every key, `wargame inputs` every input.

    python analysis/us_commitment_phase.py [OUT_DIR] [--replications N]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from wargame.figures import phase
from wargame.figures.load import load_results
from wargame.regimes import CRISIS_REGIMES
from wargame.sweep.api import sweep

SWEEP = {
    "description": "US commitment x command integration x governance, Baltic case",
    "scenario": "baltic",
    "replications": 40,  # 1,800 runs, under a minute; 100 narrows a cell's +-15 to +-10
    "base_seed": 1,
    "design": {
        "kind": "grid",
        "levels": {
            "us_commitment": [0.0, 0.25, 0.5, 0.75, 1.0],
            "command_integration": [0.2, 0.5, 0.8],
            "governance": list(CRISIS_REGIMES),
        },
    },
}


def main(out: Path, replications: int) -> None:
    sweep({**SWEEP, "replications": replications}, out, name="us_commitment_phase")
    results = load_results(out)
    table = phase.outcome_probabilities(results, "us_commitment", "command_integration",
                                        "governance")
    defeated = table[table["outcome"] == "defeated"]
    print(f"P(defeated) with Wilson 95% interval; {results.describe()}\n")
    cells = defeated.assign(cell=[f"{p:.2f} [{lo:.2f}, {hi:.2f}]" for p, lo, hi in zip(
        defeated["p"], defeated["lo"], defeated["hi"], strict=True)])
    print(cells.pivot(index=["governance", "command_integration"], columns="us_commitment",
                      values="cell").to_string())
    for figure in phase.render(results, out / "plots", x="us_commitment",
                               y="command_integration", by="governance"):
        print(f"\nwrote {', '.join(str(p) for p in figure.paths)}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", default="runs/us_commitment_phase", type=Path)
    parser.add_argument("--replications", type=int, default=SWEEP["replications"])
    args = parser.parse_args()
    main(args.out, args.replications)
