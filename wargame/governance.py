"""What each governance regime means for treaties, command and the United States.

Each rule reads the regime's flags (`wargame.regimes`), never its name. The regimes
(docs/MODEL.md, "Governance regimes"):

- ``nato_us_led``: today. Art. 5 binds NATO allies towards a NATO target, under NATO's
  integrated command (an American SACEUR, standing regional plans); Art. 42.7 binds EU
  members towards an EU target.
- ``art427_only``: NATO is not invoked. Only the EU clause binds; command is the EU's own
  (``command_integration``); the US helps at most bilaterally.
- ``eu_led_nato``: NATO under EU leadership with a European SACEUR: NATO's command and
  plans for a NATO target; non-EU allies bound to the degree ``non_eu_inclusion``; the US
  takes part through a cooperation agreement.
- ``reform``: a two-stage run. The Art. 12 negotiation decides which of the two NATO
  regimes the crisis runs under (`wargame.stage`); the functions here only ever see its
  outcome.

**Art. 42.7 is its own bond, not Art. 5 renamed** (art427_procedure.csv): it obliges "aid
and assistance by all the means in their power", which binds money and materiel fully;
but it has no collective body, no plan and no command, and assistance is arranged case by
case, so the obligation to send forces is weaker (`art427_forces_bond`) and forces need
longer to generate (`no_plan_days`); its "specific character" sentence leaves states with
a policy of neutrality bound to non-military help only; and for the NATO members among
them NATO "remains the foundation of their collective defence", so where the North
Atlantic Treaty binds, its bond (the stronger) is the one that counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from wargame.regimes import Regime
from wargame.roster import StateProfile

if TYPE_CHECKING:
    from wargame.inputs import InputValues


@dataclass(frozen=True, slots=True)
class Bond:
    """How strongly treaties bind a helper to the victim, per costly step, each in [0, 1]."""

    money: float  # money and materiel
    forces: float  # sending forces

    @property
    def any(self) -> float:
        return max(self.money, self.forces)


def treaty_bond(helper: StateProfile, victim: StateProfile, regime: Regime,
                inclusion: float, *, neutral: bool, forces_bond_427: float) -> Bond:
    """The treaty bond of `helper` towards `victim` (module docstring).

    `inclusion` is a non-EU ally's own bond to a NATO victim under an EU-led NATO
    (`non_eu_inclusion`, or after an adopted reform the bond its status choice gives);
    `neutral`: the helper has a policy of neutrality (Art. 42.7's "specific character",
    unless it opted in to sending forces); `forces_bond_427`: Art. 42.7's bond on forces.
    """
    money = forces = 0.0
    if helper.eu_member and victim.eu_member:  # Art. 42.7 TEU, in every regime
        money, forces = 1.0, (0.0 if neutral else forces_bond_427)
    if regime.nato_treaty and victim.nato_member:
        if helper.nato_member and (helper.eu_member or regime.leader == "US"):
            money = forces = 1.0  # Art. 5, NATO the forum of collective defence
        elif not helper.eu_member:
            # a non-EU state under an EU-led NATO: its own degree of inclusion
            share = inclusion if regime.leader == "EU" else 0.0
            money, forces = max(money, share), max(forces, share)
    return Bond(money, forces)


def us_channel(victim: StateProfile, regime: Regime) -> str:
    """The channel through which US commitment reaches the theatre."""
    return regime.us_channel if victim.nato_member else "bilateral"


def us_channel_share(channel: str, inputs: InputValues) -> float:
    """Share of US commitment that reaches the theatre by `channel` (Art. 5 = all of it)."""
    if channel == "art5":
        return 1.0
    if channel == "cooperation":
        return inputs.us_channel_cooperation
    return inputs.us_channel_bilateral


def nato_command(victim: StateProfile, regime: Regime) -> bool:
    """Whether NATO's integrated command and standing plans serve this theatre."""
    return victim.nato_member and regime.command in ("nato", "european_saceur")


def theatre_integration(victim: StateProfile, regime: Regime, inputs: InputValues) -> float:
    """Command integration of the coalition in the theatre, in [0, 1].

    NATO's integrated command serves a NATO target under today's regime and under a
    European SACEUR; otherwise only the EU's own command (``command_integration``) does.
    """
    if nato_command(victim, regime):
        return max(inputs.command_integration, inputs.nato_command_integration)
    return inputs.command_integration


def rrf_arrival_day(victim: StateProfile, regime: Regime, inputs: InputValues,
                    integration: float) -> int | None:
    """Days from invocation until the EU rapid-reaction force is in place, or None.

    It goes only to an EU member. Its readiness grows with the command that leads it
    (continuous, no threshold: none is sourced): a European SACEUR's integration where one
    leads, otherwise the EU's own `command_integration`; with no command at all it takes
    `rrf_command_delay_days` longer.
    """
    if not victim.eu_member:
        return None
    lead = (integration if regime.command == "european_saceur"
            else inputs.command_integration)
    return inputs.rrf_readiness_days + round(inputs.rrf_command_delay_days * (1.0 - lead))
