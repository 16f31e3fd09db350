"""What a finished negotiation reports: outputs, status choices, one row per round and player.

`outputs` is what summary.json holds under "outputs"; `run_row` and `state_columns` are
what a sweep stores per run and per state (loops over the columns and computations
declared in `wargame.reform.outputs`); `rounds_frame` is rounds.parquet. Definitions:
docs/REFORM.md §3.7.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from wargame.reform.model import PARTNER, ROUND_RECORD, ReformModel
from wargame.reform.outputs import NEGOTIATION_OUTPUTS

#: The declared outputs a sweep stores per run and per state, in column order.
_RUN = tuple(o for o in NEGOTIATION_OUTPUTS if o.level == "run")
_STATE = tuple(o for o in NEGOTIATION_OUTPUTS if o.level == "state")


def choices(model: ReformModel) -> dict[str, dict[str, Any]]:
    """Each non-EU state's (and Cyprus's and Switzerland's) status choice with its reason.

    Recorded whether or not the package was adopted: when blocked, it is the place the
    state's bargain would have given it, and `applies` is false.
    """
    states = [a for a in model.ally_list if a.status() is not None] + [model.partner]
    out = {}
    for state in states:
        status = state.status()
        out[state.iso3] = {"choice": status.choice, "integrated": status.integrated,
                           "reason": status.reason, "applies": model.adopted,
                           "veto": state.iso3 != PARTNER}
    return out


def outputs(model: ReformModel) -> dict[str, Any]:
    """The per-run outputs as plain Python values."""
    return {
        "outcome": model.outcome,
        "adopted": model.adopted,
        "agreed": model.agreed,
        "round": model.adopted_round,
        "blocking": [] if model.agreed else model.holdouts(),
        "blocking_reasons": {} if model.agreed else {
            a.iso3: a.holdout_reason() for a in model.ally_list if not a.accepts},
        "ratified": model.ratified,
        "ratification_blockers": model.ratification_blockers,
        "elements": list(model.elements),
        "in_force": {e: round(y, 4) for e, y in model.in_force().items()},
        "us_funding_cut": model.us_cut,
        "side_payments_spent_bn": round(model.proposer.spent_bn, 6),
        "fee_payments_bn": round(model.proposer.fees_bn, 6),
        "payments_bn": {a.iso3: round(a.received_bn, 6) for a in model.ally_list
                        if a.received_bn > 0},
        "fees_paid": sorted(model.fees_paid),
        "disputes_settled": {" ".join(sorted(d)): ok for d, ok in model.settled.items()},
        "budget_rise_bn_per_year": model.budget_rise_bn,
        "capability_gap_closed": model.capability_gap_closed,
        "choices": choices(model),
    }


def rounds_frame(model: ReformModel) -> pd.DataFrame:
    """One row per round and veto player: position, utility terms, payments (EUR bn)."""
    if not model.record_rounds:
        raise ValueError("the model ran with record_rounds=False: no rounds to report")
    columns = ["round", *ROUND_RECORD]
    # Column by column: several times faster than pandas reading the tuples. Records are
    # already in (round, iso3) order.
    values = zip(*model.records, strict=True) if model.records else [[]] * len(columns)
    frame = pd.DataFrame(dict(zip(columns, values, strict=True)))
    return frame.rename(columns={"accepts": "position_yes"})


def run_row(model: ReformModel) -> dict[str, Any]:
    """The per-run outputs a sweep stores, flat (wargame.reform.outputs, level "run")."""
    return {o.name: o.compute(model) for o in _RUN}


def state_columns(model: ReformModel) -> dict[str, list]:
    """The per-state outputs a sweep stores, column by column: the veto players in iso3
    order, then Switzerland (wargame.reform.outputs, level "state")."""
    return {o.name: o.compute(model) for o in _STATE}
