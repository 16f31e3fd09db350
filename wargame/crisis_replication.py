"""One replication of the crisis model in a sweep: the crisis kind's `prepare` and `replicate`.

`wargame.model_kinds` names this module for model = "crisis"; the sweep worker calls
`prepare` once per design point and `replicate` once per run (docs/SWEEPS.md).
"""

from __future__ import annotations

from typing import Any

from wargame.errors import WargameError
from wargame.inputs import DEFAULTS
from wargame.model import CrisisModel
from wargame.model_kinds import Replication
from wargame.outputs import final_state_columns, run_outputs, step_columns
from wargame.scenario import check_inputs


def _same(a: Any, b: Any) -> bool:
    """The same value of the same type (0.0 and -0.0 differ), as the model would hold it."""
    return type(a) is type(b) and (a == b if not isinstance(a, float) else repr(a) == repr(b))


def prepare(parameters: dict[str, Any]) -> dict[str, Any]:
    """The inputs of a design point that differ from the defaults, checked.

    A point names every input (77); the replications of a point (most of a chunk) share
    it, so the point is checked once here and the model gets only what differs from
    `DEFAULTS`: it builds exactly the same inputs from them, and finds its set-up in the
    per-process cache (wargame.crisis_setup) by a key of those few inputs. A point that
    fails the check is passed whole, so that every one of its runs fails with the
    model's own message, as before.
    """
    try:
        checked = check_inputs(parameters, "CrisisModel")
    except WargameError:
        return parameters
    return {key: value for key, value in checked.items() if not _same(value, DEFAULTS[key])}


def replicate(inputs: dict[str, Any], seed: int, keep_series: bool) -> Replication:
    """Run the crisis to its outcome; a sweep stores no event log."""
    model = CrisisModel(**inputs, rng=seed, collect_series=keep_series, keep_log=False).run()
    return Replication(run_outputs(model), final_state_columns(model),
                       step_columns(model) if keep_series else None)
