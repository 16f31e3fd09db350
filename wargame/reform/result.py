"""What a finished negotiation reports: outputs, status choices, one row per round and player.

`outputs` is what summary.json holds under "outputs"; `run_row` and `state_columns` are
what a sweep stores per run and per state (the columns declared in
`wargame.reform.outputs`); `rounds_frame` is rounds.parquet. Definitions: docs/REFORM.md §3.7.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from wargame.reform.model import PARTNER, ROUND_RECORD, ReformModel


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
    holdouts = [] if model.agreed else model.holdouts()
    in_force = model.in_force()
    non_eu = sum(a.received_bn for a in model.ally_list if not a.eu_member)
    return {
        "outcome": model.outcome,
        "adopted": model.adopted,
        "agreed": model.agreed,
        "round": model.adopted_round,
        "blocking": " ".join(holdouts),
        "n_holdouts": len(holdouts),
        "ratified": model.ratified,
        "ratification_blockers": " ".join(model.ratification_blockers),
        "in_force_year": max(in_force.values()) if model.adopted else None,
        "elements_in_force": " ".join(in_force),
        "us_funding_cut": model.us_cut,
        "side_payments_spent_bn": round(model.proposer.spent_bn, 6),
        "fee_payments_bn": round(model.proposer.fees_bn, 6),
        "non_eu_payments_bn": round(non_eu + model.proposer.fees_bn, 6),
        "allies_paid": sum(1 for a in model.ally_list if a.received_bn > 0),
        "disputes_settled": all(model.settled.values()),
        "budget_rise_bn_per_year": model.budget_rise_bn,
        "capability_gap_closed": model.capability_gap_closed,
    }


def state_columns(model: ReformModel) -> dict[str, list]:
    """The per-state outputs a sweep stores, column by column: the veto players in iso3
    order, then Switzerland (wargame.reform.outputs, level "state")."""
    columns: dict[str, list] = {name: [] for name in (
        "iso3", "name", "veto", "eu_member", "nato_member", "says_yes", "first_yes",
        "package_value", "utility", "guarantee", "holdout", "holdout_reason", "received_bn",
        "ratifies", "status", "integrated", "fee_paid")}
    for state in [*model.ally_list, model.partner]:
        player = state is not model.partner
        holdout = player and not model.agreed and not state.accepts
        status = state.status()
        for name, value in (
            ("iso3", state.iso3), ("name", state.profile.name), ("veto", player),
            ("eu_member", state.profile.eu_member),
            ("nato_member", state.profile.nato_member),
            ("says_yes", state.accepts if player else None),
            ("first_yes", state.first_yes if player else None),
            ("package_value", state.package_value - state.money if player else None),
            ("utility", state.utility if player else None),
            ("guarantee", state.guarantee if player else None),
            ("holdout", holdout),
            ("holdout_reason", state.holdout_reason() if holdout else None),
            ("received_bn", round(state.received_bn, 6) if player else 0.0),
            ("ratifies", state.ratifies if player else None),
            ("status", status.choice if status else None),
            ("integrated", status.integrated if status else None),
            ("fee_paid", state.iso3 in model.fees_paid),
        ):
            columns[name].append(value)
    return columns
