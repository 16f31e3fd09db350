"""Agents of the crisis: the states that may help, and the adversary.

A state climbs or descends a ladder of commitment one level a day at most, by a logit
choice over treaty obligation (carried by domestic support), threat, a tripwire, what its
peers already do, cost and the pull of US commitment (docs/MODEL.md §3.4). Forces come
as a package in three readiness tiers that the state raises one at a time and cuts when
the money runs out. The adversary climbs an escalation ladder by comparing its force with
the defence it perceives, reinforces from a reserve while it fights, and halts, withdraws
or stands down (docs/MODEL.md §3.8).
"""

from __future__ import annotations

import math
from enum import IntEnum
from typing import TYPE_CHECKING

import mesa

from wargame.roster import StateProfile

if TYPE_CHECKING:
    from wargame.crisis_setup import StateSetup
    from wargame.model import CrisisModel


class Commitment(IntEnum):
    """How far a state has committed to help the victim."""

    NONE = 0
    POLITICAL = 1  # statements, sanctions, diplomatic support
    FINANCIAL = 2  # money and materiel
    FORCES = 3  # a force package pledged and sent


class Rung(IntEnum):
    """The adversary's escalation ladder."""

    HYBRID = 0
    INCURSION = 1
    CONVENTIONAL = 2


#: The levels by value (LEVELS[2] is Commitment.FINANCIAL), for the decision loop.
LEVELS = tuple(Commitment)

#: Shares of a state's deployable force in each readiness tier: NATO's Force Model has
#: 100,000 troops within 10 days, 200,000 more within 30 and up to 500,000 within 180.
TIER_SHARES = (0.2, 0.4, 0.4)


class Arrival:
    """Troops on their way to the theatre (one readiness tier of a state, or of the US).

    The model queues it for the end of its arrival day (`CrisisModel.schedule_arrival`);
    whoever sends the troops keeps it too, so that a recall can cancel it in transit.
    """

    __slots__ = ("recipient", "troops", "cancelled")

    def __init__(self, model: CrisisModel, recipient: StateAgent | USForces, troops: int,
                 delay: int) -> None:
        self.recipient = recipient
        self.troops = troops
        self.cancelled = False
        model.schedule_arrival(self.land, delay)

    def land(self) -> None:
        if not self.cancelled:
            self.recipient.arrive(self.troops)

    def cancel(self) -> None:
        """The troops turn back: they will not land."""
        self.cancelled = True


class USForces:
    """The US reinforcement: not an agent (US commitment is the lever `us_commitment`), but
    troops that come in readiness tiers once the attack is recognised, and fight."""

    def __init__(self, model: CrisisModel, promised: int, quality: float) -> None:
        self.model = model
        self.promised = promised
        self.quality = quality
        self.troops = 0.0
        self._arrivals: list[Arrival] = []

    def dispatch(self, delays: tuple[int, ...]) -> None:
        """Send the promised troops in tiers, one delay (days from today) per tier."""
        for share, delay in zip(TIER_SHARES, delays, strict=True):
            troops = round(share * self.promised)
            if troops:
                self._arrivals.append(Arrival(self.model, self, troops, delay))

    def arrive(self, troops: int) -> None:
        if not self.model.running:  # the crisis ended on this day: nobody arrives after it
            return
        self.troops += troops
        self.model.us_arrived(troops)


class StateAgent(mesa.Agent):
    """A state that may help the victim. Its static figures are in `profile`."""

    def __init__(self, model: CrisisModel, setup: StateSetup, *, mandate_days: int,
                 arrival_days: tuple[int, ...]) -> None:
        """`setup`: the state's figures in this crisis that no draw changes (shared by the
        runs of an input set, wargame.crisis_setup); the mandate delay and arrival days
        are this run's draws."""
        super().__init__(model)
        p = model.inputs
        profile = setup.profile
        self.profile = profile
        self.iso3 = profile.iso3
        self.bound = setup.bound
        self.tripwired = setup.tripwired
        self.exposure = setup.exposure
        self.reimbursable = setup.reimbursable
        self.arrival_days = arrival_days
        #: Troops of each readiness tier this state can send (0 for Iceland, neutrals).
        self.tier_troops = setup.tier_troops
        self.may_send_forces = setup.troops_abroad > 0
        self.quality = setup.quality
        self.commitment = Commitment.NONE
        self.peak_commitment = Commitment.NONE  # the highest level reached in the crisis
        self.days_at_level = 0
        self.tiers = 0  # readiness tiers pledged (0-3)
        self.pledged_troops = 0
        self.deployed_troops = 0  # in theatre, after losses
        self.losses = 0.0  # troops lost in combat
        self.cost_bn = 0.0  # gross cost of the assistance given, EUR bn
        self.reimbursed_bn = 0.0  # part of it paid by the EU fund, EUR bn
        self.aid_paid = False
        self._arrivals: list[Arrival] = []
        # Per-troop-day cost in EUR bn; the budget the government will spend, EUR bn.
        self.troop_day_cost_bn = setup.troop_day_cost_bn
        self.budget_bn = setup.budget_bn
        self.aid_package_bn = setup.aid_package_bn
        #: What the first tier would cost over the horizon a government weighs, EUR bn.
        self.horizon_cost_bn = setup.horizon_cost_bn
        self._aid_utility = setup.aid_utility
        #: Utility cost of holding 1, 2 or 3 tiers over the horizon (before reimbursement).
        self._tier_utility = setup.tier_utility
        self._obligation = setup.obligation
        self._opinion = setup.opinion
        self._tripwire = setup.tripwire
        self._free_ride = setup.free_ride
        #: Political hurdle of entering POLITICAL, FINANCIAL, FORCES; days at the level
        #: below before each step up (a forces pledge waits for its mandate).
        self._barrier = setup.barrier
        self._deliberation = (0, p.deliberation_financial_days, mandate_days)
        self._peer_weight = p.peer_weight
        self._reversal_cost = p.reversal_cost
        #: The government's resolve in this crisis: a persistent taste shock, logistic with
        #: scale `resolve_scale`, drawn once per run (domestic politics, leaders, history
        #: the model does not see). It makes the probability of reaching a level a logit
        #: of the utility, and the rest of the run plays out the timing.
        draw = model.random.random()
        self.resolve = p.resolve_scale * math.log(draw / (1.0 - draw)) if 0 < draw < 1 else 0.0
        base = self._obligation + self.resolve
        self._static_gain = (
            0.0,  # NONE is never entered from below
            base - self._barrier[0],
            base - self._barrier[1] + self._opinion - self._free_ride - self._aid_utility,
            base - self._barrier[2] + self._opinion - self._free_ride,
        )

    @property
    def net_cost_bn(self) -> float:
        """What the state itself pays: gross cost less EU reimbursement, EUR bn."""
        return self.cost_bn - self.reimbursed_bn

    def gain_of_level(self, level: int, tiers: int = 1) -> float:
        """Utility of stepping up into `level` (1..3) from the level below, today, with
        `tiers` readiness tiers pledged when the level is FORCES; the resolve included.

        The parts that do not change during the run are summed once per level in
        `_static_gain` (obligation, hurdle, resolve, opinion, free-riding, aid cost).
        """
        model = self.model
        # model.peer_share(level), inlined: this is evaluated every day for every state.
        gain = (self._static_gain[level] + self.exposure * model.threat_level
                + self._peer_weight * (model._capability_at[level] / model.pool_capability))
        if model.under_fire:
            gain += self._tripwire  # its own troops in the target are under fire
        if level == 3:
            share_paid = 1.0 - model.reimbursement_rate(self)
            gain -= self._tier_utility[tiers - 1] * share_paid
        return gain

    def can_step_up(self) -> bool:
        level = self.commitment
        if level == Commitment.FORCES:
            return False
        if level + 1 == Commitment.FORCES and (not self.may_send_forces or self.over_budget):
            return False  # no forces to send, or the money for them is spent
        if level >= Commitment.POLITICAL and not self.model.invoked:
            return False  # money and forces wait until the attack is recognised
        return self.days_at_level >= self._deliberation[level]

    @property
    def over_budget(self) -> bool:
        return self.net_cost_bn > self.budget_bn

    def step(self) -> None:
        """Decide today's move: up one level, down one level, or stay (docs/MODEL.md §3.4).

        A government steps up once the utility of the next level, its resolve included,
        is positive and its deliberation or mandate is done; it steps down once the
        utility of its level falls below minus the cost of reversing a public commitment.
        At FORCES it raises its package by one readiness tier a day while the larger
        package is still worth it, and cuts one when its budget is spent.
        """
        # The same tests as `over_budget` and `can_step_up`, inlined (levels as plain ints,
        # no property or method call): this runs for every state every day.
        level = self.commitment
        if level == 3:  # FORCES
            if self.cost_bn - self.reimbursed_bn > self.budget_bn:
                self.cut_tier()
                return
            tiers = self.tiers
            if tiers < len(TIER_SHARES) and self.gain_of_level(3, tiers + 1) > 0:
                self.raise_tier()
                return
            may_step_up = False
        else:
            may_step_up = (
                self.days_at_level >= self._deliberation[level]
                and (level == 0 or self.model.invoked)  # money and forces wait for it
                and (level != 2 or (self.may_send_forces  # forces to send, money left
                                    and not self.cost_bn - self.reimbursed_bn > self.budget_bn))
            )
        if may_step_up and self.gain_of_level(level + 1) > 0:
            self.move_to(LEVELS[level + 1])
        elif level and self.gain_of_level(level, self.tiers or 1) < -self._reversal_cost:
            self.move_to(LEVELS[level - 1])
        else:
            self.days_at_level += 1

    def move_to(self, level: Commitment) -> None:
        """Change level, keeping the model's tallies and the deployment in step."""
        old = self.commitment
        self.commitment = level
        self.peak_commitment = max(self.peak_commitment, level)
        self.days_at_level = 0
        if level == Commitment.FINANCIAL and old < level and not self.aid_paid:
            self.aid_paid = True
            self.model.pay(self, self.aid_package_bn, refundable=False)
        if level == Commitment.FORCES:
            self.raise_tier(announce=False)
        elif old == Commitment.FORCES:
            self.withdraw()
        self.model.level_changed(self, old, level)

    def raise_tier(self, *, announce: bool = True) -> None:
        """Pledge the next readiness tier; it arrives after its readiness and transit."""
        troops = self.tier_troops[self.tiers]
        delay = self.arrival_days[self.tiers]
        self.tiers += 1
        self.pledged_troops += troops
        self._arrivals.append(Arrival(self.model, self, troops, delay))
        if announce and self.model.keep_log:
            self.model.package_changed(self, f"raises its force package to {self.pledged_troops:,}"
                                             " troops")

    def cut_tier(self) -> None:
        """The money has run out: recall the last tier; with none left, withdraw."""
        if self.tiers <= 1:
            self.move_to(Commitment.FINANCIAL)
            return
        self.tiers -= 1
        troops = self.tier_troops[self.tiers]
        self._arrivals.pop().cancel()
        self.pledged_troops -= troops
        self.deployed_troops = min(self.deployed_troops, self.pledged_troops)
        if self.model.keep_log:
            self.model.package_changed(self, f"cuts its force package to {self.pledged_troops:,} "
                                         "troops (budget spent)")

    def arrive(self, troops: int) -> None:
        """A tier reaches the theatre (end of its arrival day); none once the crisis is over."""
        if not self.model.running:
            return
        self.deployed_troops += troops
        self.model.forces_arrived(self, troops)

    def lose(self, share: float) -> None:
        """Combat losses: `share` of the troops in theatre."""
        lost = share * self.deployed_troops
        self.losses += lost
        self.deployed_troops -= lost

    def withdraw(self) -> None:
        """Forces are recalled: the pledge lapses, troops in transit turn back."""
        for arrival in self._arrivals:
            arrival.cancel()
        self._arrivals.clear()
        self.tiers = 0
        self.pledged_troops = 0
        self.deployed_troops = 0


class Adversary(mesa.Agent):
    """The aggressor: escalates, fights, reinforces, and halts, withdraws or stands down."""

    def __init__(self, model: CrisisModel, profile: StateProfile | None, troops: int,
                 quality: float, start: Rung) -> None:
        super().__init__(model)
        p = model.inputs
        self.profile = profile  # the roster state, or None for a stylised attacker
        self.iso3 = p.adversary
        self.name = profile.name if profile else "an expeditionary attacker"
        self.quality = quality
        self.operational_force = troops
        self.troops = float(troops) if start == Rung.CONVENTIONAL else 0.0
        self.reserve = p.reserve_ratio * troops
        self.reinforcement_per_day = self.reserve / p.reinforcement_days
        self.committed_total = self.troops  # troops ever engaged, for the loss tolerance
        self.losses = 0.0
        self.rung = start
        self.deterred_days = 0
        self.stood_down = False
        self.withdrew = False
        #: Share of the operational force engaged at HYBRID, INCURSION, CONVENTIONAL.
        self.rung_commitment = (p.hybrid_commitment, p.incursion_commitment, 1.0)
        self.deter_ratio = p.deter_ratio
        self.escalate_ratio = p.escalate_ratio
        self.escalation_probability = p.escalation_probability
        #: Its patience in this run: deterred days before it stands down, drawn uniformly
        #: from half to one and a half times `deterrence_days`.
        self.deterrence_days = model.random.randint(max(1, p.deterrence_days // 2),
                                                    p.deterrence_days * 3 // 2)
        self.loss_tolerance = p.loss_tolerance

    @property
    def committed_troops(self) -> int:
        """Troops engaged now: the fighting force at CONVENTIONAL, else the rung's share."""
        if self.rung == Rung.CONVENTIONAL:
            return round(self.troops)
        return round(self.operational_force * self.rung_commitment[self.rung])

    @property
    def power(self) -> float:
        return self.quality * self.committed_troops

    def step(self) -> None:
        """Fight on, or weigh the whole force against the defence it perceives."""
        if self.rung == Rung.CONVENTIONAL:
            self.fight_on()
            return
        ratio = self.quality * self.operational_force / max(self.model.defence_perceived, 1.0)
        if ratio <= self.deter_ratio:
            self.deterred_days += 1
            if self.deterred_days >= self.deterrence_days:
                self.stood_down = True
            return
        self.deterred_days = 0
        if self.model.random.random() < self.escalation_chance(ratio):
            self.rung = Rung(self.rung + 1)
            if self.rung == Rung.CONVENTIONAL:
                self.troops = float(self.operational_force)
                self.committed_total = self.troops
            self.model.escalated(self.rung)

    def fight_on(self) -> None:
        """Withdraw past the loss tolerance; otherwise bring reserves forward."""
        if self.losses >= self.loss_tolerance * self.committed_total:
            self.withdrew = True
            return
        reinforcement = min(self.reserve, self.reinforcement_per_day)
        self.reserve -= reinforcement
        self.troops += reinforcement
        self.committed_total += reinforcement

    def lose(self, troops: float) -> None:
        lost = min(troops, self.troops)
        self.troops -= lost
        self.losses += lost

    def escalation_chance(self, ratio: float) -> float:
        """Daily chance of climbing a rung: nil at the deterrence ratio, full at the 3:1 ratio.

        Linear in between, so every extra defending troop the adversary perceives makes
        escalation a little less likely rather than only at a threshold.
        """
        scale = (ratio - self.deter_ratio) / (self.escalate_ratio - self.deter_ratio)
        return self.escalation_probability * min(1.0, max(0.0, scale))
