"""The place each non-EU state chooses in a NATO under EU leadership: a bargain, not a score.

Each non-EU ally, Switzerland and Cyprus (an EU member outside NATO) asks something of the
package (`reform_asks.csv`, wargame.reform.legal): decision rights at least `voice_ask`;
access to EU defence funds at a price it accepts (`fee_gap_bn`, the gap the EU must pay to
close, as with the UK's SAFE fee in 2025); and, for a state in a linked dispute, that its
rivals lift their objection (Greece and Cyprus object to Türkiye's integration and Türkiye
to Cyprus's, the deadlock behind Berlin Plus), which happens only if the dispute is settled
within the deal. A state integrates when the package gives it everything it asks; otherwise
it takes its associated option, and the reason names what it asked and what it got
(docs/REFORM.md §3.5). The US keeps specific cooperation agreements: its one option.
"""

from __future__ import annotations

from dataclasses import dataclass

from wargame.reform.legal import Ask

US_CHOICE = ("cooperation_agreement", "specific cooperation agreements with the EU-led NATO")


@dataclass(frozen=True, slots=True)
class StatusChoice:
    """A recorded choice: the option's code, whether it integrates, and why."""

    choice: str
    integrated: bool
    reason: str
    #: Everything else it asked was given, but a rival's objection stood (a grievance).
    vetoed_by_rivals: bool = False


def choose_status(ask: Ask, inclusiveness: float, fee_paid: bool,
                  dispute_settled: bool) -> StatusChoice:
    """The option `ask.iso3` takes under a package offering `inclusiveness`, with the EU
    having paid its fee gap or not and its dispute (if any) settled or not."""
    voice = inclusiveness >= ask.voice_ask
    fee = ask.fee_gap_bn <= 0.0 or fee_paid
    rivals = not ask.objectors or dispute_settled
    integrates = voice and fee and rivals
    code, words = ask.integrated if integrates else ask.associated
    got = [f"decision rights {inclusiveness:.2f} against {ask.voice_ask:.2f} asked"]
    if ask.fee_gap_bn > 0.0:
        got.append(f"its EUR {ask.fee_gap_bn:g} bn fee gap {'paid' if fee_paid else 'unpaid'}")
    if ask.objectors:
        stance = ("lift their objection (dispute settled)" if dispute_settled
                  else "object (dispute unsettled)")
        got.append(f"{' and '.join(ask.objectors)} {stance}")
    return StatusChoice(code, integrates, f"{words}: {'; '.join(got)}",
                        vetoed_by_rivals=voice and fee and not rivals)


def us_status() -> StatusChoice:
    return StatusChoice(US_CHOICE[0], False, f"the US keeps {US_CHOICE[1]}")
