"""From a negotiation's outcome to the crisis stage: a pure function, no model state.

`crisis_overrides(result)` takes what `wargame.reform.result.outputs` reports plus the
reform inputs (a summary.json's "outputs" and "inputs") and returns what the crisis stage
should run with (docs/REFORM.md §5):

- adopted: governance ``eu_led_nato``; each non-EU ally's treaty bond from its own status
  choice (``integrated_bond`` or ``associated_bond``; Switzerland ``partner_bond`` under
  adapted cooperation, else 0); each EU ally's defence spending multiplied by the share of
  the budget rise reached by the crisis year; US commitment cut by ``us_funding_cut``;
- blocked: today's arrangement (``nato_us_led``), US commitment as given, no bond or
  spending override (the crisis model's own treaty rules apply).

`inputs` holds the crisis stage's governance and US commitment; the crisis model reads
`bonds` per state and raises the EU allies' spending by `spending_factor` when it runs
with governance ``reform`` (`wargame.reform.stage`, docs/MODEL.md §3.12).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from wargame.reform.inputs import REFORM_DEFAULTS
from wargame.reform.model import PARTNER
from wargame.roster import load_roster

#: The year the negotiation starts (round 1 is its first month): the model's present.
NEGOTIATION_START_YEAR = 2026


class CrisisOverrides(NamedTuple):
    """What the crisis stage takes from a negotiation."""

    inputs: dict[str, Any]  # CrisisModel keywords: governance, us_commitment
    bonds: dict[str, float]  # iso3 -> treaty bond in [0, 1] of each non-EU ally and CHE
    spending_factor: dict[str, float]  # iso3 -> multiplier (>= 1) on an EU ally's defence spending


def phase_in(adopted_round: int, target_year: int, crisis_year: int) -> float:
    """Share of the budget rise reached by the crisis year, in [0, 1].

    Linear from the month of adoption to the target year (docs/REFORM.md §5).
    """
    agreed = NEGOTIATION_START_YEAR + adopted_round / 12.0
    if crisis_year <= agreed:
        return 0.0
    return min(1.0, (crisis_year - agreed) / max(target_year - agreed, 1e-9))


def crisis_overrides(result: dict[str, Any], reform_inputs: dict[str, Any] | None = None,
                     us_commitment: float = 0.5) -> CrisisOverrides:
    """The crisis stage's inputs, per-state bonds and spending factors for one negotiation.

    `result` is a run's outputs (`outputs(model)` or summary.json's "outputs");
    `reform_inputs` the inputs it ran with (defaults where missing); `us_commitment` the
    crisis-stage US commitment before the reform (the crisis registry's default 0.5).
    """
    p = {**REFORM_DEFAULTS, **(reform_inputs or {})}
    if not result["adopted"]:
        return CrisisOverrides({"governance": "nato_us_led", "us_commitment": us_commitment},
                               {}, {})
    roster = load_roster()
    bonds = {}
    for iso3, status in result["choices"].items():
        if iso3 == "USA":
            continue  # the US is the crisis model's us_commitment, not a bond
        if iso3 == PARTNER:
            bonds[iso3] = p["partner_bond"] if status["integrated"] else 0.0
        else:
            bonds[iso3] = p["integrated_bond"] if status["integrated"] else p["associated_bond"]
    # The crisis year is the crisis' input (wargame.inputs); a negotiation read on its own
    # (a summary.json without it) looks at the crisis of its target year.
    reached = phase_in(result["round"], p["target_year"], p.get("crisis_year", p["target_year"]))
    spending = {
        s.iso3: 1.0 + reached * p["eu_budget_increase"] / (s.defence_exp_usd_bn
                                                          / s.gdp_usd_bn * 100.0)
        for s in roster.states.values() if s.eu_member and s.nato_member
    }
    inputs = {"governance": "eu_led_nato",
              "us_commitment": us_commitment * (1.0 - p["us_funding_cut"])}
    return CrisisOverrides(inputs, bonds, spending)
