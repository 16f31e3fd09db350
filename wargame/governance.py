"""What each governance regime means for treaties, command and the United States.

Three regimes (docs/MODEL.md, "Governance regimes"):

- ``nato_us_led``: today. NATO members are bound by Art. 5 towards a NATO target, under
  NATO's integrated command; EU members by Art. 42.7 towards an EU target.
- ``art427_only``: the US has left. Only the EU clause binds; command is the EU's own
  (``command_integration``); the US helps at most bilaterally.
- ``eu_led_nato``: NATO under EU leadership with a European SACEUR: integrated command
  for a NATO target; non-EU allies bound to the degree ``non_eu_inclusion``; the US
  takes part through a cooperation agreement.
"""

from __future__ import annotations

from wargame import assumptions as A
from wargame.roster import StateProfile


def treaty_bond(
    helper: StateProfile, victim: StateProfile, governance: str, non_eu_inclusion: float
) -> float:
    """How strongly a treaty binds `helper` to assist `victim`, in [0, 1]."""
    bond = 0.0
    if helper.eu_member and victim.eu_member:
        bond = 1.0  # Art. 42.7 TEU, in every regime
    if helper.nato_member and victim.nato_member:
        if governance == "nato_us_led":
            bond = 1.0  # Art. 5 of the North Atlantic Treaty
        elif governance == "eu_led_nato":
            bond = max(bond, 1.0 if helper.eu_member else non_eu_inclusion)
    return bond


def us_channel(victim: StateProfile, governance: str) -> str:
    """The channel through which US commitment reaches the theatre."""
    if victim.nato_member and governance == "nato_us_led":
        return "art5"
    if victim.nato_member and governance == "eu_led_nato":
        return "cooperation"
    return "bilateral"


def theatre_integration(victim: StateProfile, governance: str, command_integration: float) -> float:
    """Command integration of the coalition in the theatre, in [0, 1].

    NATO's integrated command serves a NATO target under today's regime and under a
    European SACEUR; otherwise only the EU's own command (``command_integration``) does.
    """
    if victim.nato_member and governance in ("nato_us_led", "eu_led_nato"):
        return max(command_integration, A.NATO_COMMAND_INTEGRATION)
    return command_integration


def rrf_can_deploy(victim: StateProfile, governance: str, command_integration: float) -> bool:
    """The EU rapid-reaction force goes only to an EU member and only if a command leads it.

    Under eu_led_nato the European SACEUR provides that command; otherwise the EU's own
    command must reach RRF_COMMAND_THRESHOLD.
    """
    if not victim.eu_member:
        return False
    return governance == "eu_led_nato" or command_integration >= A.RRF_COMMAND_THRESHOLD
