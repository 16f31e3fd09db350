"""The decision rule of a helping state, written to be read: the oracle of the fast path.

`wargame.agents.StateAgent.step` runs 35 times a day in every run of a sweep, so it is
written for speed: levels as plain integers, the tests of the rule inlined. This module
states the same rule as docs/MODEL.md §3.4 does, one named test at a time, and
`tests/test_reference_agent.py` runs every scenario under every regime both ways and
requires identical results, so the two cannot drift apart unnoticed.
"""

from __future__ import annotations

from wargame.agents import LEVELS, Commitment, Rung, StateAgent
from wargame.model import CrisisModel


class ReferenceStateAgent(StateAgent):
    """A helping state deciding by the rule of docs/MODEL.md §3.4, spelled out."""

    def peer_share(self, level: int) -> float:
        """Capability-weighted share of the helpers at or above `level`."""
        model = self.model
        return model.capability_at[level] / model.pool_capability

    def utility(self, level: int, tiers: int = 1) -> float:
        """The utility of being at `level` (1..3), with `tiers` tiers at FORCES."""
        model = self.model
        gain = self._static_gain[level]  # resolve, hurdle, ties, US cover, aid
        gain += self.exposure * model.threat_level  # threat
        gain += self._peer_weight * self.peer_share(level)  # conditional cooperation
        if model.under_fire:
            gain += self._tripwire  # its own troops in the target are attacked
            # its soldiers in the EU's force are attacked, as far as the force's size
            # engages it (none before the force is in place)
            gain += self._rrf_tripwire * model.rrf_engagement
        if model.invoked:
            gain += self._bound_gain[level]  # treaty bonds and clauses, once invoked
        if level == Commitment.FORCES:
            gain += self._need_weight * model.defence_gap  # the defence is short
            gain -= self._war_aversion * model.threat_level  # casualties voters reject
            share_paid = 1.0 - model.reimbursement_rate(self)
            troops = sum(shipment.troops for shipment in self.shipments)  # as they stand
            troops += sum(self.tier_troops[self.tiers:tiers])  # and the tiers it would add
            gain -= troops * self.setup.troop_utility * share_paid  # cost of the package
        return gain

    def over_budget(self) -> bool:
        """Its forces have cost more, net of the EU fund, than its operations budget."""
        return self.force_cost_bn - self.reimbursed_bn > self.budget_bn

    def can_step_up(self) -> bool:
        """It may consider the next level: not at the top, done deliberating, and, for
        money, with a package to give (a state with no defence budget has none); for
        forces, with forces to send and money left."""
        level = self.commitment
        if level == Commitment.FORCES:
            return False
        if self.days_at_level < self._deliberation[level]:
            return False
        if level + 1 == Commitment.FINANCIAL:
            return self.aid_package_bn > 0.0
        if level + 1 == Commitment.FORCES:
            return self.may_send_forces and not self.over_budget()
        return True

    def can_raise_tier(self) -> bool:
        return self.tiers < 3 and self.utility(Commitment.FORCES, self.tiers + 1) > 0

    def keeps_garrison(self) -> bool:
        """At FORCES with its own soldiers in the target: it stays."""
        return self.commitment == Commitment.FORCES and self.setup.stationed_troops > 0

    def at_war(self) -> bool:
        """A war is being fought: the attack has begun, and the front moves, or the
        attacker regroups for its next offensive, or, stopped by its losses short of its
        aim at CONVENTIONAL, holds ground it may renew the offensive from, or holds the
        victim's capital."""
        model = self.model
        if model.day_armed_attack is None:
            return False
        attacker = model.adversary
        may_renew = (attacker.rung == Rung.CONVENTIONAL and not attacker.attacking
                     and not attacker.on_aim and model.advance_km >= 1.0)
        return (not model.front_is_still or attacker.regrouping or may_renew
                or model.capital_held)

    def last_tier_fights(self) -> bool:
        """At war, its last tier has reached the theatre (or it shipped none): a
        government pays for a war's operations afterwards rather than recall troops who
        are fighting."""
        return self.at_war() and (not self.shipments or self.shipments[-1].pending[1] <= 0)

    def last_tier_partly_in_theatre(self) -> bool:
        if not self.shipments:
            return False
        last = self.shipments[-1]
        return last.pending[1] > 0 and last.pending[1] < last.troops

    def wants_to_step_down(self) -> bool:
        level = self.commitment
        return (bool(level) and not self.keeps_garrison()
                and self.utility(level, self.tiers or 1) < -self._reversal_cost)

    def reinforces_garrison(self) -> bool:
        """Its soldiers in the target are attacked and it has sent no tier yet: its plan
        to reinforce them runs, whatever the utility."""
        return self.keeps_garrison() and not self.tiers and self.model.under_fire

    def step(self) -> None:
        if self.reinforces_garrison():
            self.raise_tier()
        elif self.commitment == Commitment.FORCES and self.over_budget():
            if not (self.last_tier_fights() or (self.keeps_garrison() and self.tiers <= 1)):
                # The money has run out: at war the soldiers in theatre stay.
                if self.at_war() and self.last_tier_partly_in_theatre():
                    self.turn_back_in_transit()
                else:
                    self.recall_last_tier()
            elif self.wants_to_step_down():  # no more for money, but will may still go
                self.move_to(LEVELS[self.commitment - 1])
            else:
                self.days_at_level += 1  # it does not recall soldiers under fire for money
        elif self.commitment == Commitment.FORCES and self.can_raise_tier():
            self.raise_tier()
        elif self.can_step_up() and self.utility(self.commitment + 1) > 0:
            self.move_to(LEVELS[self.commitment + 1])
        elif self.wants_to_step_down():
            self.move_to(LEVELS[self.commitment - 1])
        else:
            self.days_at_level += 1


class ReferenceCrisisModel(CrisisModel):
    """The crisis model with the readable decision rule."""

    state_agent = ReferenceStateAgent
