"""What each governance regime means for treaties, command and the United States.

Each rule reads the regime's flags (`wargame.regimes`), never its name. The regimes
(docs/MODEL.md, "Governance regimes"):

- ``nato_us_led``: today. NATO members are bound by Art. 5 towards a NATO target, under
  NATO's integrated command; EU members by Art. 42.7 towards an EU target.
- ``art427_only``: the US has left. Only the EU clause binds; command is the EU's own
  (``command_integration``); the US helps at most bilaterally.
- ``eu_led_nato``: NATO under EU leadership with a European SACEUR: integrated command
  for a NATO target; non-EU allies bound to the degree ``non_eu_inclusion``; the US
  takes part through a cooperation agreement.
- ``reform``: a two-stage run. The Art. 12 negotiation decides which of the two NATO
  regimes the crisis runs under (`wargame.reform.stage`); the functions here only ever
  see its outcome, ``eu_led_nato`` (with each non-EU state's own bond) or ``nato_us_led``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from wargame.regimes import REGIMES
from wargame.roster import StateProfile

if TYPE_CHECKING:
    from wargame.inputs import InputValues


def treaty_bond(
    helper: StateProfile, victim: StateProfile, governance: str, inclusion: float
) -> float:
    """How strongly a treaty binds `helper` to assist `victim`, in [0, 1].

    `inclusion` is the helper's own bond to a NATO victim under an EU-led NATO if it is not
    an EU member: `non_eu_inclusion` for every non-EU ally (0 for a non-ally), or, after an
    adopted reform, the bond its own status choice gives (docs/REFORM.md §5; Switzerland's
    partner bond included). It is per state, so the model passes each helper's.
    """
    bond = 0.0
    if helper.eu_member and victim.eu_member:
        bond = 1.0  # Art. 42.7 TEU, in every regime
    regime = REGIMES[governance]
    if regime.nato_treaty and victim.nato_member:
        if regime.leader == "EU" and not helper.eu_member:
            bond = max(bond, inclusion)  # a non-EU ally, as far as it is included
        elif helper.nato_member:
            bond = 1.0  # Art. 5 of the North Atlantic Treaty
    return bond


def us_channel(victim: StateProfile, governance: str) -> str:
    """The channel through which US commitment reaches the theatre."""
    return REGIMES[governance].us_channel if victim.nato_member else "bilateral"


def us_channel_share(channel: str, inputs: InputValues) -> float:
    """Share of US commitment that reaches the theatre by `channel` (Art. 5 = all of it)."""
    if channel == "art5":
        return 1.0
    if channel == "cooperation":
        return inputs.us_channel_cooperation
    return inputs.us_channel_bilateral


def theatre_integration(victim: StateProfile, inputs: InputValues) -> float:
    """Command integration of the coalition in the theatre, in [0, 1].

    NATO's integrated command serves a NATO target under today's regime and under a
    European SACEUR; otherwise only the EU's own command (``command_integration``) does.
    """
    if victim.nato_member and REGIMES[inputs.governance].nato_command:
        return max(inputs.command_integration, inputs.nato_command_integration)
    return inputs.command_integration


def rrf_arrival_day(victim: StateProfile, inputs: InputValues, integration: float) -> int | None:
    """Day the EU rapid-reaction force is in place, or None where it does not go.

    It goes only to an EU member. Its readiness grows with the command that leads it
    (continuous, no threshold: none is sourced): the European SACEUR's integration under
    eu_led_nato, otherwise the EU's own `command_integration`; with no command at all it
    takes `rrf_command_delay_days` longer.
    """
    if not victim.eu_member:
        return None
    led_by_saceur = REGIMES[inputs.governance].command == "european_saceur"
    lead = integration if led_by_saceur else inputs.command_integration
    return inputs.rrf_readiness_days + round(inputs.rrf_command_delay_days * (1.0 - lead))
