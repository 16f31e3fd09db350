"""Who carries the burden of helping an attacked member, against their economic weight?

Prints, per state, its share of the coalition's GDP, its mean share of the burden (own
costs plus its GNI-key share of the EU fund, EUR bn) and of the troops pledged, each with
a Student-t 95% interval over runs, with and without EU financing, and writes the table
as CSV. Reads an existing sweep folder (`--results DIR`, any sweep with the levels you
want) or runs a small one on the Baltic case. Copy it and change SWEEP or BY.

    python analysis/burden_table.py [OUT_DIR] [--replications N] [--results DIR]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from wargame.figures import burden
from wargame.figures.load import load_results
from wargame.sweep.api import sweep

BY = "eu_financing"  # one table per level of this swept input
TOP = 12  # states printed per level (the CSV has all)
SWEEP = {
    "description": "EU financing and the burden, Baltic case",
    "scenario": "baltic",
    "replications": 200,  # a state's mean share is then known to about +-1 point
    "base_seed": 3,
    "design": {"kind": "grid", "levels": {"eu_financing": [0.0, 0.75]}},
}


def main(out: Path, replications: int, results_dir: Path | None) -> None:
    if results_dir is None:
        sweep({**SWEEP, "replications": replications}, out, name="burden_table")
        results_dir = out
    results = load_results(results_dir)
    table = burden.burden_shares(results, BY)
    table["burden_per_gdp"] = table["burden_share"] / table["gdp_share"]
    print(f"Shares of the coalition's total (t 95% intervals); {results.describe()}")
    for level, part in table.groupby(BY):
        top = part.nlargest(TOP, "burden_share")
        print(f"\n{BY} = {level}: the {TOP} states with the largest burden share")
        print(f"{'state':<16} {'GDP':>6} {'burden [95% CI]':>22} {'burden/GDP':>10} "
              f"{'troops pledged':>15}")
        for row in top.itertuples():
            print(f"{row.name[:16]:<16} {row.gdp_share:6.1%} {row.burden_share:7.1%} "
                  f"[{row.burden_share_lo:5.1%}, {row.burden_share_hi:5.1%}] "
                  f"{row.burden_per_gdp:10.2f} {row.pledge_share:15.1%}")
    path = Path(out) / "burden_table.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(path, index=False, float_format="%.6g")
    print(f"\nwrote {path}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", default="runs/burden_table", type=Path)
    parser.add_argument("--replications", type=int, default=SWEEP["replications"])
    parser.add_argument("--results", type=Path, help="an existing sweep folder to read")
    args = parser.parse_args()
    main(args.out, args.replications, args.results)
