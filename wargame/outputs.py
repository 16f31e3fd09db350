"""What a finished run reports: per-run outputs, per-day series and per-state results.

The per-run outputs (`run_outputs`) are the row a sweep stores for each run; the frames
are what `wargame run` writes as Parquet. Names, types, units and levels are declared in
`wargame.output_registry` (tests check these functions return exactly its columns);
definitions are in docs/MODEL.md §3.11.
"""

from __future__ import annotations

import math

import pandas as pd

from wargame.agents import Commitment, Rung
from wargame.model import STATE_SERIES, STEP_SERIES, CrisisModel

COMMITMENT_LEVELS = [level.name for level in Commitment]
RUNGS = [rung.name for rung in Rung]


def gini(values: list[float]) -> float:
    """Gini coefficient of non-negative values (0 = equal shares; 0 when all are zero)."""
    ordered = sorted(values)
    n, total = len(ordered), sum(ordered)
    if n == 0 or total <= 0:
        return 0.0
    weighted = sum((i + 1) * v for i, v in enumerate(ordered))
    return (2.0 * weighted) / (n * total) - (n + 1.0) / n


def burdens_bn(model: CrisisModel) -> dict[str, float]:
    """Each state's burden, EUR bn: what it paid itself plus its GNI-key share of the EU fund.

    The European Peace Facility is financed by member states by a GNI key; GDP stands in
    for GNI here. Reimbursements therefore move burden between EU members, not away.
    """
    fund_used = sum(s.reimbursed_bn for s in model.state_list)
    eu_gdp = sum(s.profile.gdp_eur_bn for s in model.state_list if s.profile.eu_member)
    eu_gdp += model.victim.gdp_eur_bn if model.victim.eu_member else 0.0
    return {
        s.iso3: s.net_cost_bn + (fund_used * s.profile.gdp_eur_bn / eu_gdp if s.profile.eu_member
                                 else 0.0)
        for s in model.state_list
    }


def troops_sustained_day_60(model: CrisisModel) -> int:
    """Allied troops in theatre on day 60: 0 after a defeat, the last count if the crisis
    ended otherwise before day 60 (what was still sustained when it ended)."""
    if model.deployed_on_day_60 is not None:
        return round(model.deployed_on_day_60)
    return 0 if model.outcome == "defeated" else model.deployed_troops


def _share_reaching(model: CrisisModel, level: Commitment) -> float:
    """Share of the treaty-bound helpers whose commitment reached `level` in the run, NaN
    where the clauses were never invoked. As the alliance-reliability literature counts
    it: commitments honoured once the casus foederis arose, not how long they lasted."""
    bound = [s for s in model.state_list if s.bound > 0]
    if not bound or not model.invoked:
        return math.nan
    return sum(s.peak_commitment >= level for s in bound) / len(bound)


def run_outputs(model: CrisisModel) -> dict:
    """The per-run outputs (docs/MODEL.md §3.11), as plain Python values (NaN where not reached)."""
    burdens = burdens_bn(model)
    shares = [burdens[s.iso3] / s.profile.gdp_eur_bn for s in model.state_list]
    defence = model.defence_effective

    def day_or_nan(day: int | None) -> float:
        return float(day) if day is not None else math.nan

    return {
        "outcome": model.outcome or "running",
        "days": model.day,
        "day_first_assistance": day_or_nan(model.day_first_assistance),
        "day_first_forces": day_or_nan(model.day_first_forces),
        "day_defeat": day_or_nan(model.day_defeat),
        "coalition_size": model.n_financial,  # states at FINANCIAL or FORCES
        "states_sending_forces": model.n_forces,
        "peak_pledged_troops": model.peak_pledged,
        "peak_deployed_troops": model.peak_deployed,
        "us_share": model.us_troops / defence if defence > 0 else 0.0,
        "eu_fund_used_bn": sum(s.reimbursed_bn for s in model.state_list),
        "total_cost_bn": sum(s.cost_bn for s in model.state_list),
        "burden_gini": gini(shares),
        "max_escalation": RUNGS[model.adversary.rung],  # the ladder is only climbed
        "territory_lost": model.territory_lost,
        "adversary_losses": round(model.adversary.losses),
        "defender_losses": round(model.defender_losses),
        "troops_sustained_day_60": troops_sustained_day_60(model),
        "day_allied_100k": day_or_nan(model.day_allied_100k),
        "armed_attack": model.day_armed_attack is not None,
        "day_armed_attack": day_or_nan(model.day_armed_attack),
        "peak_territory_lost": model.peak_territory_lost,
        "advance_km": model.advance_km,
        "allied_losses": round(model.allied_losses),
        "us_losses": round(model.us.losses),
        "victim_losses": round(model.victim_losses),
        "treaty_bound_forces_share": _share_reaching(model, Commitment.FORCES),
        "treaty_bound_money_share": _share_reaching(model, Commitment.FINANCIAL),
        **model.reform_outputs,  # the negotiation's (governance "reform"), else None
    }


def final_state_columns(model: CrisisModel) -> dict[str, list]:
    """Per-state results at the end of the run, as plain columns (cheap: no DataFrame)."""
    burdens = burdens_bn(model)
    states = model.state_list
    return {
        "iso3": [s.iso3 for s in states],
        "name": [s.profile.name for s in states],
        "commitment": [s.commitment.name for s in states],
        "pledged_troops": [s.pledged_troops for s in states],
        "deployed_troops": [round(s.deployed_troops) for s in states],
        "cost_bn": [s.cost_bn for s in states],
        "reimbursed_bn": [s.reimbursed_bn for s in states],
        "burden_bn": [burdens[s.iso3] for s in states],
        "gdp_eur_bn": [s.profile.gdp_eur_bn for s in states],
        "peak_commitment": [s.peak_commitment.name for s in states],
        "troops_arrived": [s.arrived_troops for s in states],
        "losses": [s.losses for s in states],
        "bound": [s.bound for s in states],
    }


def final_states(model: CrisisModel) -> pd.DataFrame:
    """One row per state at the end of the run: level, troops and costs."""
    frame = pd.DataFrame(final_state_columns(model))
    for column in ("commitment", "peak_commitment"):
        frame[column] = pd.Categorical(frame[column], categories=COMMITMENT_LEVELS,
                                       ordered=True)
    return frame


def step_columns(model: CrisisModel) -> dict[str, list]:
    """The per-day series as plain columns, escalation by rung name (cheap: no DataFrame)."""
    if not model.collect_series:
        raise ValueError("the model was built with collect_series=False")
    series = model.datacollector.model_vars
    return {name: list(series[name]) for name in STEP_SERIES}


def steps_frame(model: CrisisModel) -> pd.DataFrame:
    """One row per day (day 0 = the attack, before any decision) of model-level series."""
    frame = pd.DataFrame(step_columns(model))
    frame["escalation"] = pd.Categorical(frame["escalation"], RUNGS, ordered=True)
    return frame


def states_frame(model: CrisisModel) -> pd.DataFrame:
    """One row per day and state: commitment level's name, troops, cost in EUR bn."""
    if not model.collect_series:
        raise ValueError("the model was built with collect_series=False")
    frame = pd.DataFrame(model.state_ledger, columns=["day", "iso3", *STATE_SERIES])
    frame["commitment"] = pd.Categorical.from_codes(
        frame["commitment"].astype(int), COMMITMENT_LEVELS, ordered=True)
    frame["deployed_troops"] = frame["deployed_troops"].round().astype("int64")
    return frame.sort_values(["day", "iso3"], kind="stable").reset_index(drop=True)
