"""Formal calibration of the crisis model: ABC-SMC against declared, sourced targets.

`wargame calibrate` (docs/CALIBRATION.md) fits the uncertainties declared in
`wargame/data/calibration.toml` to its fitted targets and reports the fit on the fitted and
the held-back ones. What other parts of the package use:

- `posterior_draws(path, n, seed)`: parameter sets drawn from a calibration's posterior,
  for sweeps and validation over the posterior (V11);
- `calibrated_point(path)`: the posterior's best point, for checks at the calibrated point.

Modules: `targets` (the declarations), `statistics` (what a target can measure),
`simulate` (runs at one parameter set), `smc` (pyabc's ABC-SMC), `posterior`, `fit`
(posterior predictive and best point), `report`, `cli`. Both names above are imported on
first use, so that `wargame --help`, which imports the subcommand, loads no pandas.
"""

from typing import Any

__all__ = ["calibrated_point", "posterior_draws"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from wargame.calibration import posterior

        return getattr(posterior, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
