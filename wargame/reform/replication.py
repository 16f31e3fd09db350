"""One negotiation in a sweep: the negotiation kind's `prepare` and `replicate`.

`wargame.model_kinds` names this module for model = "negotiation"; the sweep worker calls
`prepare` once per design point and `replicate` once per run (docs/SWEEPS.md). A sweep
keeps no per-round table (`wargame reform --seed N` writes rounds.parquet for one run).
"""

from __future__ import annotations

from typing import Any

from wargame.model_kinds import Replication
from wargame.reform.model import ReformModel
from wargame.reform.result import run_row, state_columns


def prepare(parameters: dict[str, Any]) -> dict[str, Any]:
    """A design point's inputs as they are: the model checks them (a negotiation costs a
    millisecond, its check a few microseconds)."""
    return parameters


def replicate(inputs: dict[str, Any], seed: int, keep_series: bool) -> Replication:
    """Negotiate to adoption or the deadline."""
    model = ReformModel(rng=seed, record_rounds=False, **inputs).run()
    return Replication(run_row(model), state_columns(model), None)
