"""Does the shipped calibration still fit the model as it is now?

`wargame calibrate` reports its fit on the fitted and held-back targets for the model it
ran on. After a change to the model that should not touch what the targets measure, this
reruns that report's fit table on the current code without rerunning ABC: every target
over posterior draws of the shipped posterior and in batches at the shipped best point
(the calibrated inputs' registry defaults), with the calibration's own seeds. On an
unchanged model it reproduces the fit table of docs/CALIBRATION.md: the posterior
predictive exactly, the best point up to the defaults' rounding to three significant
figures (a difference in the third decimal). A target that moves says the calibration
must be rerun.

    python analysis/calibration_fit.py                      # 200 draws, 20 batches
    python analysis/calibration_fit.py --draws 20 --batches 5 --workers 2
"""

from __future__ import annotations

import argparse
import os
import sys

from wargame.calibration.fit import fit
from wargame.calibration.posterior import SHIPPED_POSTERIOR, posterior_draws
from wargame.calibration.report import fit_tables, fmt, target_summaries
from wargame.calibration.smc import Settings
from wargame.calibration.targets import load_spec
from wargame.inputs import INPUTS

CALIBRATION_SEED = 1  # the seed of the shipped calibration (docs/CALIBRATION.md)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--draws", type=int, default=200,
                        help="posterior draws for the posterior predictive (default 200)")
    parser.add_argument("--batches", type=int, default=20,
                        help="batches of runs at the best point (default 20)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="processes running the model (default: the number of cores)")
    args = parser.parse_args()
    if min(args.draws, args.batches, args.workers) < 1:
        print("calibration_fit.py: error: --draws, --batches and --workers must be at least 1",
              file=sys.stderr)
        sys.exit(2)

    spec = load_spec()
    best = {p.name: INPUTS[p.name].default for p in spec.parameters}
    settings = Settings(population=0, generations=0, seed=CALIBRATION_SEED,
                        workers=args.workers, draws=args.draws, batches=args.batches)
    draws = posterior_draws(SHIPPED_POSTERIOR, args.draws, CALIBRATION_SEED)
    fits = target_summaries(fit(spec, draws, best, settings, print))
    print("\nbest point (the registry defaults): "
          + ", ".join(f"{name} {fmt(value)}" for name, value in best.items()))
    print(f"\nposterior predictive over {args.draws} draws; best point in {args.batches} "
          "batches (docs/CALIBRATION.md's fit tables)\n")
    print("\n".join(fit_tables(fits)))

if __name__ == "__main__":
    main()
