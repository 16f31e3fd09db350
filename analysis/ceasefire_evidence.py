"""How fast do fronts freeze? The reference class behind `ceasefire_rate` (MODEL.md §3.10).

Prints each war of `wargame/data/ceasefires.csv` with its days to a ceasefire (or to the
last date seen, for a war still unfrozen), the maximum-likelihood fit of the model's wait
curve 1/(1 + rate x t) to the class with its 95% likelihood-ratio interval, the fit with
each war left out and with each war the table leaves out put in, and where the registry's
default and range sit. No runs: it reads the table only.

    python analysis/ceasefire_evidence.py
"""

from __future__ import annotations

import argparse

from wargame.ceasefires import (
    FILE,
    coded_wars,
    fitted_ceasefire_rate,
    likelihood_interval,
    reference_wars,
    unfrozen_share,
)
from wargame.inputs import INPUTS

WINDOW_DAYS = 175  # a still front forms within days of the attack; runs end on day 180


def main() -> None:
    wars = reference_wars()
    print(f"Reference class ({FILE}): days from the attack to the ceasefire")
    for war in wars:
        print(f"  {war.name:24} {war.days:6,} {'' if war.frozen else '(no ceasefire yet)'}")
    fit = fitted_ceasefire_rate(wars)
    low, high = likelihood_interval(wars)
    print(f"\nmaximum-likelihood mean daily rate: {fit:.3f} "
          f"(95% likelihood-ratio interval {low:.3f}-{high:.2f}); "
          f"median wait {1 / fit:.0f} days, {unfrozen_share(fit, WINDOW_DAYS):.0%} "
          f"unfrozen after {WINDOW_DAYS} days")
    print("\nthe fit with one war left out:")
    for war in wars:
        rest = tuple(w for w in wars if w is not war)
        print(f"  without {war.name:24} {fitted_ceasefire_rate(rest):.3f}")
    for war in (w for w, in_class in coded_wars() if not in_class and w.frozen):
        print(f"  with {war.name} (coded out) {fitted_ceasefire_rate((*wars, war)):.3f}")
    rate = INPUTS["ceasefire_rate"]
    inside = "inside" if low <= rate.default <= high else "OUTSIDE"
    print(f"\nregistry default {rate.default} ({inside} the interval; "
          f"{unfrozen_share(rate.default, WINDOW_DAYS):.0%} unfrozen after {WINDOW_DAYS} "
          f"days), range [{rate.low}, {rate.high}]")


if __name__ == "__main__":
    argparse.ArgumentParser(description=__doc__.split("\n\n")[0]).parse_args()
    main()
