"""Agents of the crisis: the states that may help, and the adversary.

A state climbs or descends a ladder of commitment one level a day at most, by a logit
choice over treaty obligation, threat, what its peers already do, cost and the pull of
US commitment (docs/MODEL.md, "Submodels"). The adversary climbs an escalation ladder
by comparing the force it faces with its own.
"""

from __future__ import annotations

import math
from enum import IntEnum
from typing import TYPE_CHECKING

import mesa

from wargame.roster import StateProfile

if TYPE_CHECKING:
    from wargame.model import CrisisModel


class Commitment(IntEnum):
    """How far a state has committed to help the victim."""

    NONE = 0
    POLITICAL = 1  # statements, sanctions, diplomatic support
    FINANCIAL = 2  # money and materiel
    FORCES = 3  # troops pledged and sent


class Rung(IntEnum):
    """The adversary's escalation ladder."""

    HYBRID = 0
    INCURSION = 1
    CONVENTIONAL = 2


class StateAgent(mesa.Agent):
    """A state that may help the victim. Its static figures are in `profile`."""

    def __init__(
        self,
        model: CrisisModel,
        profile: StateProfile,
        *,
        bound: float,
        may_send_forces: bool,
        exposure: float,
        deployment_days: int,
        reimbursable: bool,
        free_ride: float,
    ) -> None:
        super().__init__(model)
        self.profile = profile
        self.iso3 = profile.iso3
        self.bound = bound
        self.may_send_forces = may_send_forces
        self.exposure = exposure
        self.deployment_days = deployment_days
        self.reimbursable = reimbursable
        self.commitment = Commitment.NONE
        self.days_at_level = 0
        self.pledged_troops = 0
        self.deployed_troops = 0
        self.cost_bn = 0.0  # gross cost of the assistance given, EUR bn
        self.reimbursed_bn = 0.0  # part of it paid by the EU fund, EUR bn
        self.aid_paid = False
        self._arrival: mesa.time.Event | None = None
        p = model.inputs
        # Per-troop-day cost in EUR bn, and the utility cost of each costly step.
        self.troop_day_cost_bn = (
            profile.spend_per_troop_eur * p.deployment_cost_factor / 365.0 / 1e9
        )
        self.aid_package_bn = p.aid_package_share_gdp * profile.gdp_eur_bn
        per_share = 1.0 / (p.cost_scale_share_gdp * profile.fiscal_space)
        #: What sending forces would cost over the horizon a government weighs, EUR bn.
        self.horizon_cost_bn = (
            profile.deployable_troops * self.troop_day_cost_bn * p.deployment_horizon_days
        )
        self._cost_utility = (
            0.0,
            p.aid_package_share_gdp * per_share,
            self.horizon_cost_bn / profile.gdp_eur_bn * per_share,
        )
        self._obligation = p.obligation_weight * bound
        self._free_ride = free_ride
        #: Political hurdle of entering POLITICAL, FINANCIAL, FORCES; days at the level
        #: below before each step up; the cost of reversing a public commitment.
        self._barrier = (p.barrier_political, p.barrier_financial, p.barrier_forces)
        self._deliberation = (0, p.deliberation_financial_days, p.deliberation_forces_days)
        self._peer_weight = p.peer_weight
        self._reversal_cost = p.reversal_cost

    @property
    def net_cost_bn(self) -> float:
        """What the state itself pays: gross cost less EU reimbursement, EUR bn."""
        return self.cost_bn - self.reimbursed_bn

    def gain_of_level(self, level: int) -> float:
        """Utility of stepping up into `level` (1..3) from the level below, today."""
        model = self.model
        index = level - 1
        gain = (
            self._obligation
            + self.exposure * model.threat_level
            + self._peer_weight * model.peer_share(level)
            - self._barrier[index]
        )
        if level == Commitment.FINANCIAL:
            gain -= self._free_ride + self._cost_utility[index]
        elif level == Commitment.FORCES:
            share_paid = 1.0 - model.reimbursement_rate(self)
            gain -= self._free_ride + self._cost_utility[index] * share_paid
        return gain

    def can_step_up(self) -> bool:
        level = self.commitment
        if level == Commitment.FORCES:
            return False
        if level + 1 == Commitment.FORCES and not self.may_send_forces:
            return False
        return self.days_at_level >= self._deliberation[level]

    def step(self) -> None:
        """Decide today's move: down one level, stay, or up one level (logit choice)."""
        level = self.commitment
        up = math.exp(self.gain_of_level(level + 1)) if self.can_step_up() else 0.0
        down = (
            math.exp(-self.gain_of_level(level) - self._reversal_cost)
            if level > Commitment.NONE
            else 0.0
        )
        draw = self.model.random.random() * (1.0 + up + down)
        if draw < up:
            self.move_to(Commitment(level + 1))
        elif draw < up + down:
            self.move_to(Commitment(level - 1))
        else:
            self.days_at_level += 1

    def move_to(self, level: Commitment) -> None:
        """Change level, keeping the model's tallies and the deployment in step."""
        old = self.commitment
        self.commitment = level
        self.days_at_level = 0
        if level == Commitment.FINANCIAL and old < level and not self.aid_paid:
            self.aid_paid = True
            self.model.pay(self, self.aid_package_bn, refundable=False)
        if level == Commitment.FORCES:
            self.pledged_troops = self.profile.deployable_troops
            self._arrival = self.model.schedule_event(self.arrive, after=self.deployment_days)
        elif old == Commitment.FORCES:
            self.withdraw()
        self.model.level_changed(self, old, level)

    def arrive(self) -> None:
        """Pledged troops reach the theatre (a scheduled event); none once the crisis is over."""
        self._arrival = None
        if not self.model.running:
            return
        self.deployed_troops = self.pledged_troops
        self.model.forces_arrived(self)

    def withdraw(self) -> None:
        """Forces are recalled: the pledge lapses, troops in transit turn back."""
        if self._arrival is not None:
            self._arrival.cancel()
            self._arrival = None
        self.pledged_troops = 0
        self.deployed_troops = 0


class Adversary(mesa.Agent):
    """The aggressor: commits a share of its force, escalates, holds or stands down."""

    def __init__(self, model: CrisisModel, profile: StateProfile, aggression: float) -> None:
        super().__init__(model)
        self.profile = profile
        self.iso3 = profile.iso3
        p = model.inputs
        self.operational_force = round(aggression * profile.active_troops)
        #: Share of the operational force engaged at HYBRID, INCURSION, CONVENTIONAL.
        self.rung_commitment = (p.hybrid_commitment, p.incursion_commitment, 1.0)
        self.deter_ratio = p.deter_ratio
        self.escalate_ratio = p.escalate_ratio
        self.escalation_probability = p.escalation_probability
        self.deterrence_days = p.deterrence_days
        self.rung = Rung.HYBRID
        self.deterred_days = 0
        self.stood_down = False

    @property
    def committed_troops(self) -> int:
        """Troops engaged at the current rung."""
        return round(self.operational_force * self.rung_commitment[self.rung])

    def step(self) -> None:
        """Compare the whole operational force with the defence it perceives."""
        ratio = self.operational_force / max(self.model.defence_perceived, 1.0)
        if ratio <= self.deter_ratio:
            self.deterred_days += 1
            if self.deterred_days >= self.deterrence_days:
                self.stood_down = True
            return
        self.deterred_days = 0
        if self.rung < Rung.CONVENTIONAL and self.model.random.random() < self.escalation_chance(
            ratio
        ):
            self.rung = Rung(self.rung + 1)
            self.model.escalated(self.rung)

    def escalation_chance(self, ratio: float) -> float:
        """Daily chance of climbing a rung: nil at the deterrence ratio, full at the 3:1 ratio.

        Linear in between, so every extra defending troop the adversary perceives makes
        escalation a little less likely rather than only at a threshold.
        """
        scale = (ratio - self.deter_ratio) / (self.escalate_ratio - self.deter_ratio)
        return self.escalation_probability * min(1.0, max(0.0, scale))
