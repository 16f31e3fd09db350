"""From a negotiation's outcome to the crisis stage: a pure function, no model state.

`crisis_overrides(result, reform_inputs, crisis_inputs)` takes what
`wargame.reform.result.outputs` reports, the reform inputs and the crisis inputs the run
was given, and returns what the crisis stage runs with (docs/REFORM.md §5). Only the
elements in force by the crisis year act, each through named mechanisms that set EXISTING
crisis inputs (the crisis model is not changed):

- the declaration (in force at agreement): the US commitment becomes the one the US agreed
  to, ``us_commitment x (1 - us_funding_cut)``, and the EU allies' budget rise is phased in
  from the agreement to ``target_year``;
- the treaty change (in force after ratification): governance ``eu_led_nato``, each
  non-EU state's bond from its bargain, Art. 42.7 bound on forces as a common defence
  (``art427_forces_bond``), and the US counted once: the cooperation agreement is the
  package's own, so the regime's channel passes ``us_cooperation_share`` (1 by default)
  of the agreed commitment (``us_channel_cooperation`` set to it), and what reaches the
  theatre is what the US agreed to, not cut again by the channel;
- a European SACEUR: ``command_integration`` raised to ``saceur_command_integration``;
  ``no_plan_days`` and ``rrf_command_delay_days`` cut by ``saceur_planning_cut``;
  ``rrf_readiness_days`` cut by ``saceur_readiness_cut``;
- the HR/VP as NATO's Secretary General (political lead): ``attribution_days`` (collective
  recognition) and ``deliberation_financial_days`` cut by ``political_lead_speedup``.

Blocked, or nothing in force yet: today's arrangement (``nato_us_led``), inputs as given.
Without the treaty change the crisis runs under today's NATO, so the US's agreed
commitment reaches the theatre through Art. 5, again counted once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from wargame.inputs import CRISIS_INPUTS
from wargame.reform.guarantee import GUARANTOR
from wargame.reform.inputs import REFORM_DEFAULTS
from wargame.reform.model import NEGOTIATION_START_YEAR, PARTNER, share_reached
from wargame.roster import load_roster

#: The crisis inputs the link reads (their given values) and may set.
LINKED = ("us_commitment", "crisis_year", "command_integration", "no_plan_days",
          "rrf_command_delay_days", "rrf_readiness_days", "attribution_days",
          "deliberation_financial_days", "art427_forces_bond")


class CrisisOverrides(NamedTuple):
    """What the crisis stage takes from a negotiation."""

    inputs: dict[str, Any]  # CrisisModel keywords: governance, us_commitment, mechanisms
    bonds: dict[str, float]  # iso3 -> treaty bond in [0, 1] of each non-EU ally and CHE
    spending_factor: dict[str, float]  # iso3 -> multiplier (>= 1) on an EU ally's defence spending
    applied: tuple[str, ...]  # the elements in force by the crisis year
    us_agreed: float  # the US commitment the US agreed to (after its cut), counted once


def phase_in(adopted_round: int, target_year: int, crisis_year: int) -> float:
    """Share of the budget rise reached by the crisis year, in [0, 1]: linear from the
    month of agreement to the target year (docs/REFORM.md §5)."""
    return share_reached(NEGOTIATION_START_YEAR + adopted_round / 12.0, crisis_year,
                         target_year)


def _within(name: str, value: float) -> Any:
    """`value` as crisis input `name` takes it: its type, within its range."""
    record = CRISIS_INPUTS[name]
    value = min(record.high, max(record.low, value))
    return round(value) if record.kind is int else value


def _cut(name: str, given: float, share: float) -> Any:
    return _within(name, given * (1.0 - share))


def crisis_overrides(result: Mapping[str, Any], reform_inputs: Mapping[str, Any] | None = None,
                     crisis_inputs: Mapping[str, Any] | None = None) -> CrisisOverrides:
    """The crisis stage's inputs, per-state bonds and spending factors for one negotiation.

    `result` is a run's outputs (`outputs(model)` or summary.json's "outputs");
    `reform_inputs` the inputs it ran with (defaults where missing); `crisis_inputs` the
    crisis inputs the run was given (the crisis registry's defaults where missing; a
    negotiation read on its own looks at a crisis in its target year).
    """
    p = {**REFORM_DEFAULTS, **(reform_inputs or {})}
    c = {name: CRISIS_INPUTS[name].default for name in LINKED}
    c["crisis_year"] = p["target_year"]
    c.update({k: v for k, v in (crisis_inputs or {}).items() if k in LINKED})
    year = c["crisis_year"]
    applied = tuple(e for e, y in result.get("in_force", {}).items() if y <= year)
    inputs: dict[str, Any] = {"governance": "nato_us_led", "us_commitment": c["us_commitment"]}
    if "declaration" not in applied:
        return CrisisOverrides(inputs, {}, {}, applied, c["us_commitment"])
    agreed = c["us_commitment"] * (1.0 - result["us_funding_cut"])
    inputs["us_commitment"] = agreed
    bonds: dict[str, float] = {}
    if "treaty_change" in applied:
        inputs["governance"] = "eu_led_nato"
        # Counted once: the crisis stage passes `us_channel_cooperation` of the commitment
        # through the cooperation channel; the package's agreement passes its own share of
        # the agreed commitment, whatever the crisis assumed for an agreement in general.
        inputs["us_channel_cooperation"] = p["us_cooperation_share"]
        inputs["art427_forces_bond"] = max(c["art427_forces_bond"],
                                           p["common_defence_forces_bond"])
        for iso3, status in result["choices"].items():
            if iso3 == PARTNER:
                bonds[iso3] = p["partner_bond"] if status["integrated"] else 0.0
            elif status.get("veto") and iso3 in _non_eu():
                bonds[iso3] = (p["integrated_bond"] if status["integrated"]
                               else p["associated_bond"])
    if "european_saceur" in applied:
        inputs["command_integration"] = max(c["command_integration"],
                                            p["saceur_command_integration"])
        for name in ("no_plan_days", "rrf_command_delay_days"):
            inputs[name] = _cut(name, c[name], p["saceur_planning_cut"])
        inputs["rrf_readiness_days"] = _cut("rrf_readiness_days", c["rrf_readiness_days"],
                                            p["saceur_readiness_cut"])
    if "merged_sg" in applied:
        for name in ("attribution_days", "deliberation_financial_days"):
            inputs[name] = _cut(name, c[name], p["political_lead_speedup"])
    reached = phase_in(result["round"], p["target_year"], year)
    spending = {
        s.iso3: 1.0 + reached * p["eu_budget_increase"] / (s.defence_exp_usd_bn
                                                          / s.gdp_usd_bn * 100.0)
        for s in load_roster().states.values() if s.eu_member and s.nato_member
    }
    return CrisisOverrides(inputs, bonds, spending, applied, agreed)


def _non_eu() -> frozenset[str]:
    """The non-EU allies (the US is the crisis model's us_commitment, not a bond)."""
    return frozenset(s.iso3 for s in load_roster().states.values()
                     if s.nato_member and not s.eu_member and s.iso3 != GUARANTOR)
