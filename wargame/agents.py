"""Agents of the crisis: the states that may help, and the adversary.

A state climbs or descends a ladder of commitment one level a day at most, by a
threshold rule over a utility: its treaty bonds and bilateral ties with the victim,
threat, the engagement of its own troops, what its peers already do, the defence gap, its
public's willingness, cost and the pull of US commitment, plus a resolve drawn once per
run (docs/MODEL.md §3.4). Forces come as a package in three readiness tiers that the
state raises one at a time and cuts when its budget is spent; each tier travels by air,
road and rail or sea and arrives through the theatre's corridors (`wargame.reach`).

The adversary climbs an escalation ladder by weighing the defence it can expect within
its timetable and the punishment it risks, fights, reinforces from a reserve, stops
attacking once its losses pass its tolerance, and attacks again once the reserve has made
them good (docs/MODEL.md §3.8).

`StateAgent.step` is the fast path a sweep runs 35 times a day; the same rule, written to
be read, is `tests/reference_agent.py`, and a test holds the two to identical results.
"""

from __future__ import annotations

import math
import random
from enum import IntEnum
from typing import TYPE_CHECKING, Protocol

import mesa
import numpy as np

from wargame.crisis_setup import TIER_SHARES
from wargame.reach import Shipment

if TYPE_CHECKING:
    from wargame.crisis_setup import CrisisSetup, Route, StateSetup


class CrisisModel(Protocol):
    """What the agents see of the crisis they are in (`wargame.model.CrisisModel` is one):
    the day, the threat and the defence, the tallies of peers, and the services of paying,
    shipping and logging. The agents need nothing else, so they import no model."""

    day: int
    running: bool
    keep_log: bool
    random: random.Random
    rng: np.random.Generator
    invoked: bool
    under_fire: bool
    threat_level: float
    capability_at: list[float]
    pool_capability: float
    defence_gap: float
    defence_timely: float
    defence_multiplier: float
    punishment: float
    rrf_engagement: float
    attacker_holds_ground: bool
    war_is_fought: bool

    def reimbursement_rate(self, state: StateAgent) -> float: ...
    def pay(self, state: StateAgent, amount_bn: float, *, refundable: bool = True) -> None: ...
    def level_changed(self, state: StateAgent, old: Commitment, new: Commitment) -> None: ...
    def ship(self, shipment: Shipment, mode: str, ready_day: float) -> None: ...
    def forces_arrived(self, state: StateAgent, troops: int) -> None: ...
    def escalated(self, rung: Rung) -> None: ...
    def note(self, iso3: str, text: str) -> None: ...


class Commitment(IntEnum):
    """How far a state has committed to help the victim."""

    NONE = 0
    POLITICAL = 1  # statements, sanctions, diplomatic support
    FINANCIAL = 2  # money and materiel
    FORCES = 3  # a force package pledged and sent


class Rung(IntEnum):
    """The adversary's escalation ladder."""

    HYBRID = 0  # below the threshold of armed attack
    INCURSION = 1  # a limited armed attack: part of the force
    CONVENTIONAL = 2  # the whole force


#: The levels by value (LEVELS[2] is Commitment.FINANCIAL), for the decision loop.
LEVELS = tuple(Commitment)


def logistic_draw(scale: float, draw: float) -> float:
    """A logistic variate of `scale` from a uniform `draw` in (0, 1) (0 at the edges)."""
    return scale * math.log(draw / (1.0 - draw)) if 0.0 < draw < 1.0 else 0.0


class USForces:
    """The US reinforcement: not an agent (US commitment is the lever `us_commitment`), but
    troops that come in readiness tiers once the attack is recognised, and fight."""

    def __init__(self, model: CrisisModel, promised: int, forward: int, quality: float) -> None:
        self.model = model
        self.promised = promised
        self.quality = quality
        self.troops = float(forward)  # stationed in the target: there from the first day
        self.arrived = 0  # troops of the reinforcement that reached the theatre
        self.losses = 0.0
        #: Troops on their way: (expected arrival day, troops), for the adversary's view.
        self.pending: list[list[float]] = []

    def dispatch(self, delays: tuple[int, ...], routes: tuple[Route, ...]) -> None:
        """Send the promised troops in tiers, one readiness delay and route per tier."""
        model = self.model
        for share, delay, route in zip(TIER_SHARES, delays, routes, strict=True):
            troops = round(share * self.promised)
            if troops:
                ready = model.day + delay + route.days
                entry = [ready, float(troops)]
                self.pending.append(entry)
                model.ship(Shipment(self, troops, entry), route.mode, ready)

    def arrive(self, troops: int, shipment: Shipment) -> None:
        if not self.model.running:  # the crisis ended on this day: nobody arrives after it
            return
        self.troops += troops
        self.arrived += troops
        shipment.pending[1] -= troops
        if self.model.keep_log:
            self.model.note("USA", f"{troops:,} US troops arrive")

    def lose(self, share: float) -> None:
        lost = share * self.troops
        self.losses += lost
        self.troops -= lost


class StateAgent(mesa.Agent):
    """A state that may help the victim. Its static figures are in `profile`."""

    def __init__(self, model: CrisisModel, setup: StateSetup, crisis: CrisisSetup, *,
                 resolve: float, mandate_days: int, readiness_days: tuple[float, ...]) -> None:
        """`setup`: the state's figures in this crisis that no draw changes (shared by the
        runs of an input set, wargame.crisis_setup); the resolve, the mandate delay and the
        readiness days of its three tiers are this run's draws."""
        super().__init__(model)
        p = crisis.stage_inputs
        profile = setup.profile
        self.profile = profile
        self.iso3 = profile.iso3
        self.setup = setup
        self.bound = setup.bond.any
        self.engaged = setup.engaged
        self.exposure = setup.exposure
        self.reimbursable = setup.reimbursable
        self.routes = setup.routes
        self.tier_troops = setup.tier_troops
        self.may_send_forces = setup.troops_abroad > 0
        #: An aid package is a share of the defence budget: a state with none (Iceland in
        #: SIPRI) has no money to give, and neither steps up to FINANCIAL nor counts for it.
        self.may_give_money = setup.aid_package_bn > 0.0
        self.quality = setup.quality
        self.mandate_days = mandate_days
        self.readiness_days = readiness_days
        self.commitment = Commitment.NONE
        self.peak_commitment = Commitment.NONE  # the highest level reached in the crisis
        self.days_at_level = 0
        self.tiers = 0  # readiness tiers pledged (0-3)
        self.pledged_troops = 0
        self.deployed_troops = 0.0  # in theatre, after losses
        self.arrived_troops = 0  # every troop of this state that reached the theatre
        self.losses = 0.0  # troops lost in combat
        self.cost_bn = 0.0  # gross cost of the assistance given, EUR bn
        self.force_cost_bn = 0.0  # of which the cost of its forces, EUR bn
        self.reimbursed_bn = 0.0  # part of it paid by the EU fund, EUR bn
        self.aid_paid = False
        #: The day its deployment mandate is granted, from its first tier (troops already
        #: stationed in the target need a new mandate to be reinforced, unless attacked).
        self.mandate_ends: int | None = None
        self.shipments: list[Shipment] = []
        self.troop_day_cost_bn = setup.troop_day_cost_bn
        self.budget_bn = setup.budget_bn
        self.aid_package_bn = setup.aid_package_bn
        self.horizon_cost_bn = setup.horizon_cost_bn
        self.resolve = resolve
        self._troop_utility = setup.troop_utility
        self._deliberation = (0, p.deliberation_financial_days, p.deliberation_financial_days)
        self._peer_weight = p.peer_weight
        self._need_weight = p.need_weight
        self._reversal_cost = p.reversal_cost
        #: A state whose soldiers in the target are attacked (from the first armed attack).
        self._tripwire = p.tripwire_weight if setup.engaged else 0.0
        #: An EU member's soldiers serve in the EU rapid-reaction force: once it is in the
        #: target, the member is engaged through it (a multinational tripwire).
        self._rrf_tripwire = (p.tripwire_weight * p.rrf_tripwire_share
                              if profile.eu_member else 0.0)
        if setup.stationed_troops:
            # Its troops are in the target already: it has sent forces before the crisis.
            self.commitment = self.peak_commitment = Commitment.FORCES
            self.pledged_troops = setup.stationed_troops
            self.deployed_troops = float(setup.stationed_troops)
            self.arrived_troops = setup.stationed_troops
        # The parts of the utility of each level that no day changes (docs/MODEL.md §3.4):
        # resolve, hurdle, ties, US cover and the aid package's cost. Of its resolve, only
        # the share its stake in the target gives counts towards war.
        self._static_gain = (
            0.0,  # NONE is never entered from below
            resolve - p.barrier_political + setup.tie_gain,
            resolve - p.barrier_financial + setup.tie_gain - setup.free_ride
            - setup.aid_utility,
            setup.stake * resolve - p.barrier_forces + setup.tie_gain
            - setup.free_ride,
        )
        #: Casualties its voters would not accept: a cost of forces that grows with the rung.
        self._war_aversion = p.war_aversion * setup.unwilling
        # What treaty bonds and bilateral clauses add once the attack is recognised.
        clause = p.clause_weight * setup.clause
        bond = setup.bond
        self._bound_gain = (0.0, p.obligation_weight * bond.any + clause,
                            p.obligation_weight * bond.money + clause,
                            p.obligation_weight * bond.forces + clause)

    @property
    def holds_ground(self) -> bool:
        """Its own soldiers are in the target: it neither withdraws them nor recalls its
        first tier for want of money. A garrison stationed to deter this crisis is not
        pulled out of it, before the attack or under fire (docs/MODEL.md §3.4)."""
        return self.setup.stationed_troops > 0

    @property
    def net_cost_bn(self) -> float:
        """What the state itself pays: gross cost less EU reimbursement, EUR bn."""
        return self.cost_bn - self.reimbursed_bn

    def gain_of_level(self, level: int, tiers: int = 1) -> float:
        """Utility of stepping up into `level` (1..3) from the level below, today, with
        `tiers` readiness tiers pledged when the level is FORCES; the resolve included."""
        model = self.model
        gain = (self._static_gain[level] + self.exposure * model.threat_level
                + self._peer_weight * (model.capability_at[level] / model.pool_capability))
        if model.under_fire:
            gain += self._tripwire
            gain += self._rrf_tripwire * model.rrf_engagement
        if model.invoked:
            gain += self._bound_gain[level]
        if level == 3:
            gain += self._need_weight * model.defence_gap
            gain -= self._war_aversion * model.threat_level
            gain -= (self.package_troops(tiers) * self._troop_utility
                     * (1.0 - model.reimbursement_rate(self)))
        return gain

    def package_troops(self, tiers: int) -> int:
        """Troops of a package of `tiers` readiness tiers: its tiers as they stand (a tier
        whose troops in transit turned back holds only those that reached the theatre)
        and the full strength of any it would add; the cost of forces counts these."""
        held = sum(shipment.troops for shipment in self.shipments)
        return held + sum(self.tier_troops[self.tiers:tiers])

    def step(self) -> None:
        """Decide today's move: up one level, down one level, or stay (docs/MODEL.md §3.4).

        A government steps up once the utility of the next level, its resolve included, is
        positive and its deliberation is done (and, for money, it has a package to give: a
        state with no defence budget has none); it steps down once the utility of its level
        falls below minus the cost of reversing a public commitment. At FORCES it raises its
        package by one readiness tier a day while the larger package is still worth it and
        its operations budget lasts, and cuts one when the budget is spent, unless it keeps
        the package (`keeps_spent_package`); a package kept may still be withdrawn for want
        of will, as any other. A state with soldiers of its own in
        the target keeps them and its first tier (`holds_ground`), and once they are
        attacked sends that first tier whatever its utility: the reinforcement plan of a
        framework or stationing nation (a battlegroup grown to a brigade, readiness.csv).
        """
        level = self.commitment
        if level == 3:  # FORCES
            if not self.tiers and self.holds_ground and self.model.under_fire:
                self.raise_tier()  # its garrison is attacked: its reinforcement plan runs
                return
            if self.force_cost_bn - self.reimbursed_bn > self.budget_bn:
                if not self.keeps_spent_package():
                    self.cut_tier()
                    return
            elif self.tiers < 3 and self.gain_of_level(3, self.tiers + 1) > 0:
                self.raise_tier()
                return
            may_step_up = False
        else:
            may_step_up = (
                self.days_at_level >= self._deliberation[level]
                and (level != 1 or self.may_give_money)  # a package to give
                and (level != 2 or (self.may_send_forces  # forces to send, money left
                                    and not self.force_cost_bn - self.reimbursed_bn
                                    > self.budget_bn))
            )
        if may_step_up and self.gain_of_level(level + 1) > 0:
            self.move_to(LEVELS[level + 1])
        elif (level and not (level == 3 and self.holds_ground)
              and self.gain_of_level(level, self.tiers or 1) < -self._reversal_cost):
            self.move_to(LEVELS[level - 1])
        else:
            self.days_at_level += 1

    def keeps_spent_package(self) -> bool:
        """Whether a state whose operations budget is spent keeps its force package as it is.

        While a war is fought, governments pay for its operations after the fact rather
        than recall soldiers who are fighting (Desert Shield 1990-91, the Falklands 1982:
        docs/MODEL.md §3.4), so the package stays once its last tier has reached the
        theatre; troops still on their way turn back (`cut_tier`), and no new tier is
        sent. Before the war, and on a still front where nobody fights, nobody regroups
        and no attacker holds a line its losses stopped it on (a front frozen on a limited
        aim, or a halted incursion), the budget binds as in any operation: only a state's
        own garrison and its first tier stay.
        """
        if self.model.war_is_fought:
            last = self.shipments[-1] if self.shipments else None
            if last is None or last.pending[1] <= 0:
                return True
        return self.tiers <= 1 and self.holds_ground

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
        """Pledge the next readiness tier. It leaves once it is ready and its mandate is
        granted (the two run together), travels its route and arrives through the
        theatre's corridor for its mode; a state whose own troops in the target are under
        fire reinforces them without waiting for a mandate where its law lets the
        government act first (Germany's ParlBG s.5, Denmark's Constitution s.19(2),
        urgent_deployment.csv); elsewhere its parliament decides first."""
        model = self.model
        tier = self.tiers
        troops = self.tier_troops[tier]
        route = self.routes[tier]
        if self.mandate_ends is None:  # its first tier: the mandate runs from today
            self.mandate_ends = model.day + self.mandate_days
        acts_first = (self.engaged and model.under_fire
                      and self.setup.deploys_before_approval)
        waiting = 0 if acts_first else max(
            0, self.mandate_ends - model.day)
        ready = model.day + max(waiting, self.readiness_days[tier]) + route.days
        self.tiers += 1
        self.pledged_troops += troops
        if troops:
            shipment = Shipment(self, troops, [ready, float(troops)])
            self.shipments.append(shipment)
            model.ship(shipment, route.mode, ready)
        if announce and model.keep_log:
            model.note(self.iso3, f"{self.profile.name} raises its force package to "
                                  f"{self.pledged_troops:,} troops")

    def cut_tier(self) -> None:
        """The money has run out. While a war is fought, soldiers who have reached the
        theatre are not recalled: of a last tier partly arrived only the troops still on
        their way turn back; otherwise the last tier is recalled (docs/MODEL.md §3.4)."""
        if self.model.war_is_fought and self.last_tier_partly_arrived:
            self.turn_back_in_transit()
        else:
            self.recall_last_tier()

    @property
    def last_tier_partly_arrived(self) -> bool:
        """Some of its last tier's troops are in theatre and some still on their way."""
        last = self.shipments[-1] if self.shipments else None
        return last is not None and 0 < last.pending[1] < last.troops

    def turn_back_in_transit(self) -> None:
        """The troops of its last tier still on their way turn back; those in theatre stay
        and are the tier from now on."""
        last = self.shipments[-1]
        turned_back = round(last.pending[1])
        last.cancel()
        last.troops -= turned_back
        self.pledged_troops -= turned_back
        if self.model.keep_log:
            self.model.note(self.iso3, f"{self.profile.name} turns back {turned_back:,} "
                                       f"troops still on their way; its package is now "
                                       f"{self.pledged_troops:,} (budget spent)")

    def recall_last_tier(self) -> None:
        """Recall the last tier, those in theatre and those on their way; with none left,
        withdraw its forces."""
        if self.tiers <= 1:
            self.move_to(Commitment.FINANCIAL)
            return
        self.tiers -= 1
        if self.tier_troops[self.tiers]:
            shipment = self.shipments.pop()
            shipment.cancel()
            self.pledged_troops -= shipment.troops
        self.deployed_troops = min(self.deployed_troops, self.pledged_troops)
        if self.model.keep_log:
            self.model.note(self.iso3, f"{self.profile.name} cuts its force package to "
                                       f"{self.pledged_troops:,} troops (budget spent)")

    def arrive(self, troops: int, shipment: Shipment) -> None:
        """Troops reach the theatre (end of the day); none once the crisis is over."""
        model = self.model
        if not model.running:
            return
        self.deployed_troops += troops
        self.arrived_troops += troops
        shipment.pending[1] -= troops
        model.forces_arrived(self, troops)

    def lose(self, share: float) -> None:
        """Combat losses: `share` of the troops in theatre."""
        lost = share * self.deployed_troops
        self.losses += lost
        self.deployed_troops -= lost

    def withdraw(self) -> None:
        """Forces are recalled: the pledge lapses, troops in transit turn back."""
        for shipment in self.shipments:
            shipment.cancel()
        self.shipments.clear()
        self.tiers = 0
        self.pledged_troops = 0
        self.deployed_troops = 0.0


#: The spawn key of the stream the adversary's renewal draws come from: their own, so that
#: a run with a held line keeps every other draw of its seed (a paired comparison with a
#: model without renewals differs only where a renewal is weighed).
RENEWAL_STREAM = 1


class Adversary(mesa.Agent):
    """The aggressor: escalates, fights, reinforces, and stops attacking or stands down."""

    def __init__(self, model: CrisisModel, crisis: CrisisSetup) -> None:
        super().__init__(model)
        p = crisis.stage_inputs
        profile = crisis.attacker
        rand = model.random.random
        self.profile = profile  # the roster state, or None for a stylised attacker
        self.iso3 = p.adversary
        self.name = profile.name if profile else "an expeditionary attacker"
        #: Its combat quality in this campaign: the input, times a per-run factor for what
        #: no model sees (generalship, weather, intelligence, morale), log-normal of spread
        #: `campaign_noise` (drawn below, after the draws every run makes in this order).
        self.quality = p.adversary_quality
        self.operational_force = crisis.attacker_troops
        self.rung = Rung[p.start_rung]
        self.troops = 0.0
        self.committed_total = 0.0  # troops ever engaged, for the loss tolerance
        #: Troops of the rung's share still on their way to the fight: an attacker from
        #: the sea lands `landing_capacity` a day; one across a land border all at once.
        self.to_land = 0.0
        self.landing_capacity = p.landing_capacity if profile is None else math.inf
        self._engaged_share = 0.0
        self.reserve = p.reserve_ratio * self.operational_force
        self.reinforcement_per_day = self.reserve / p.reinforcement_days
        self.losses = 0.0
        self.stood_down = False  # it stood down before any armed attack
        self.attacking = True  # it still seeks ground (False once it has halted)
        #: Stopped by its losses, it brings its reserve forward to attack again (§3.8).
        self.regrouping = False
        #: Its aim reached (the capital or a limited grab), it holds that line for good (§3.8).
        self.on_aim = False
        self._renewal_draws = np.random.default_rng(
            np.random.SeedSequence(model.seed, spawn_key=(RENEWAL_STREAM,)))
        #: The troops it brings its reserve forward to while it does not attack: regrouping,
        #: those it had when it stopped plus that offensive's losses (it then attacks
        #: again); dug in on its aim, those it held when it dug in (§3.8).
        self.target_strength = 0.0
        # Its current offensive's tally, for the loss tolerance: losses and troops engaged
        # since it began (the first offensive begins with nothing engaged).
        self._losses_at_start = 0.0
        self._troops_at_start = 0.0
        self._committed_at_start = 0.0
        #: Share of the operational force engaged at HYBRID, INCURSION, CONVENTIONAL.
        self.rung_commitment = (p.hybrid_commitment, p.incursion_commitment, 1.0)
        # This run's adversary: its determination (a logistic draw added to its calculus),
        # its timetable (help arriving later weighs less) and its loss tolerance, each
        # drawn once (docs/MODEL.md §3.8).
        self.resolve = logistic_draw(p.adversary_resolve_scale, rand())
        self.timetable = p.fait_accompli_days * (0.5 + rand())
        self.loss_tolerance = p.loss_tolerance * (0.5 + rand())
        #: Its aim: the victim's capital, or in a share `limited_aim_probability` of runs a
        #: limited grab, a depth drawn between a tenth and nine tenths of the way there.
        capital = crisis.theatre.objective_km
        limited = rand() < p.limited_aim_probability
        depth = 0.1 + 0.8 * rand()
        self.aim_km = depth * capital if limited else capital
        #: Its readiness to accept a ceasefire on a still front: a daily chance drawn once,
        #: exponential with mean `ceasefire_rate`, as some wars freeze within days and
        #: others are fought on for years (docs/MODEL.md §3.10).
        self.ceasefire_rate = -p.ceasefire_rate * math.log(1.0 - rand())
        self.quality *= math.exp(p.campaign_noise * model.rng.standard_normal())
        self._deter_log_ratio = math.log(p.deter_ratio)
        self._spread = p.deterrence_spread
        self._punishment_weight = p.punishment_weight
        self._escalation_probability = p.escalation_probability
        self._standdown_probability = p.standdown_probability
        if self.rung >= Rung.INCURSION:
            self.engage()

    @property
    def committed_troops(self) -> int:
        """Troops engaged now: the fighting force once armed, else the hybrid share."""
        if self.rung >= Rung.INCURSION:
            return round(self.troops)
        return round(self.operational_force * self.rung_commitment[self.rung])

    @property
    def power(self) -> float:
        return self.quality * self.committed_troops

    def engage(self) -> None:
        """Commit the rung's share of the force: it joins the fight as it lands."""
        share = self.rung_commitment[self.rung]
        if share > self._engaged_share:
            self.to_land += (share - self._engaged_share) * self.operational_force
            self._engaged_share = share
            self.land()

    def land(self) -> None:
        """Troops committed but not yet in the fight arrive, at most the landing capacity."""
        if self.to_land > 0:
            arriving = min(self.to_land, self.landing_capacity)
            self.to_land -= arriving
            self.troops += arriving
            self.committed_total += arriving

    def margin(self, force: float | None = None) -> float:
        """Log of the timely force ratio over the deterrence ratio, less the punishment it
        risks, plus its determination: positive means climbing pays (docs/MODEL.md §3.8).
        The force is its operational force unless given (a held line weighs what it has)."""
        model = self.model
        force = self.operational_force if force is None else force
        ratio = (self.quality * force
                 / (model.defence_multiplier * max(model.defence_timely, 1.0)))
        return (math.log(ratio) - self._deter_log_ratio
                - self._punishment_weight * model.punishment + self.resolve)

    def climb_chance(self, margin: float) -> float:
        """The daily chance of going up a rung, or of renewing an offensive, at a margin:
        `escalation_probability` x the logistic of margin / `deterrence_spread` (§3.8)."""
        return self._escalation_probability / (1.0 + math.exp(-margin / self._spread))

    def stand_down_chance(self, margin: float) -> float:
        """The daily chance of standing down, or of calling off an offensive it cannot
        win, at a margin: `standdown_probability` x the logistic of -margin /
        `deterrence_spread` (§3.8)."""
        return self._standdown_probability / (1.0 + math.exp(margin / self._spread))

    def step(self) -> None:
        """Below the whole force it weighs climbing and standing down; armed, it fights on."""
        if self.rung >= Rung.INCURSION:
            self.fight_on()
        if self.rung == Rung.CONVENTIONAL or not self.attacking:
            return
        margin = self.margin()
        climb = self.climb_chance(margin)
        stand_down = self.stand_down_chance(margin)
        draw = self.model.random.random()
        if draw < climb:
            # A fait accompli pays with the whole force: where its margin is positive it
            # goes all in at once; where it is not, it probes with an incursion first.
            self.rung = Rung.CONVENTIONAL if margin > 0 else Rung(self.rung + 1)
            self.engage()
            self.model.escalated(self.rung)
        elif draw < climb + stand_down:
            if self.rung == Rung.HYBRID:
                self.stood_down = True
            else:
                self.attacking = False  # it halts its incursion
                self.model.note(self.iso3, "the adversary halts its incursion")

    def fight_on(self) -> None:
        """A day at war (docs/MODEL.md §3.8). It stops attacking once its current
        offensive's losses reach its tolerance of the troops that offensive has engaged,
        or, first, when past its culminating point (at CONVENTIONAL, no edge over the
        effective defence even with its whole force, reserve included) it calls the
        offensive off: it then holds the line it has, its reserve only replacing losses.
        Committed troops keep landing once it has stopped: a halted invader holds its
        bridgehead with them. At CONVENTIONAL its reserve comes forward at the full rate
        while it attacks, and otherwise only up to its `target_strength`. Stopped by its
        losses on ground it holds, with reserve enough, it regroups: it renews the
        offensive once the reserve has made good that offensive's losses (an operational
        pause). Where its reserve cannot make them good, or once it has culminated, it
        holds the line it has and weighs each day whether to renew the offensive from it.
        Stopped before it holds ground, it has been repelled (§3.10)."""
        if self.holds_line_after_halt:
            self.weigh_renewal()
        if self.attacking and self.has_culminated and self.calls_off_offensive():
            self.attacking = False
            self.hold_line()
            if self.model.day_offensive_called_off is None:
                self.model.day_offensive_called_off = self.model.day
            self.model.note(self.iso3, "the adversary, no stronger than the defence even with "
                                       "its reserve, calls off its offensive")
        elif self.attacking and (self.losses - self._losses_at_start
                                 >= self.loss_tolerance * self.offensive_engaged):
            self.attacking = False
            self.target_strength = self.troops + self.losses - self._losses_at_start
            self.regrouping = (self.rung == Rung.CONVENTIONAL
                               and self.model.attacker_holds_ground
                               and self.shortfall <= self.reserve)
            if not self.regrouping:
                self.hold_line()
            self.model.note(self.iso3, "the adversary, its losses too high, stops attacking"
                            + (" and regroups" if self.regrouping else ""))
        if self.rung == Rung.CONVENTIONAL and self.reserve > 0:
            # Reinforcements reach the fight as the attack force did (by sea: as they land).
            wanted = self.reinforcement_per_day if self.attacking else self.shortfall
            reinforcement = max(0.0, min(self.reserve, self.reinforcement_per_day, wanted))
            self.reserve -= reinforcement
            self.to_land += reinforcement
        self.land()
        if not self.regrouping:
            return
        if self.troops >= self.target_strength - 1.0:  # rebuilt, to the soldier
            self.renew_offensive("the adversary, its losses made good, renews its offensive")
        elif self.shortfall > self.reserve:
            # Losses in the pause have outrun its reserve: it holds the line it has.
            self.regrouping = False
            self.hold_line()
            self.model.note(self.iso3, "the adversary, its reserve short of its losses, "
                                       "stays on the defensive")

    @property
    def whole_force(self) -> float:
        """Its troops in theatre, still landing and in reserve: all it could attack with."""
        return self.troops + self.to_land + self.reserve

    @property
    def has_culminated(self) -> bool:
        """At war with its whole force, even all it has, its reserve brought forward, is
        no stronger than the prepared defence: it cannot advance now and its reserve cannot
        tip the balance (the culminating point of the attack, §3.8)."""
        return (self.rung == Rung.CONVENTIONAL
                and self.model.attack_edge(self.whole_force) <= 1.0)

    def calls_off_offensive(self) -> bool:
        """Past its culminating point it weighs each day whether to call off the offensive
        as it weighed standing down before the war, with the stand-down chance, but at the
        margin of the battle it is losing: the log of its whole force's edge over the
        defence in the field plus its determination. The launch margin, against the timely
        defence and the punishment it risks, lies so far below zero here that it would
        leave the chance at its ceiling whatever its determination. The further it falls
        short and the less determined it is, the sooner it stops; no day is set for it.
        The draw comes from its renewal stream, leaving the run's other draws alone
        (§3.8)."""
        draw = self._renewal_draws.random()
        edge = self.model.attack_edge(self.whole_force)
        if edge <= 0.0:  # nothing left to attack with
            return True
        return draw < self.stand_down_chance(math.log(edge) + self.resolve)

    @property
    def holds_line_after_halt(self) -> bool:
        """At war, its losses or its culminating point have stopped it short of its aim on
        ground it holds, and it is not rebuilding for a set renewal: it holds the line it
        has (§3.8)."""
        return (self.rung == Rung.CONVENTIONAL and not self.attacking and not self.regrouping
                and not self.on_aim and self.model.attacker_holds_ground)

    def weigh_renewal(self) -> None:
        """Holding a line its losses or its culminating point stopped it on, it weighs
        renewing the offensive as it weighed launching the war: the same margin against
        the timely defence, with the troops it has in theatre, landing and in reserve in
        place of the force it began with, and the same logistic chance a day. A defence
        that thins makes a renewal likelier and one that grows makes it rarer. It renews
        only an offensive that could advance once its reserve is forward: one whose force
        has an edge over the effective defence, not the timely one of the margin (§3.8,
        §3.9)."""
        draw = self._renewal_draws.random()  # drawn every day, so renewal days stay paired
        if not self.has_culminated and draw < self.climb_chance(self.margin(self.whole_force)):
            self.renew_offensive("the adversary renews its offensive from the line it holds")

    def renew_offensive(self, reason: str) -> None:
        """Attack again: the new offensive counts its losses afresh (§3.8)."""
        self.attacking, self.regrouping = True, False
        self._losses_at_start = self.losses
        self._troops_at_start = self.troops
        self._committed_at_start = self.committed_total
        self.model.note(self.iso3, reason)

    def dig_in(self) -> None:
        """Its aim reached, the capital or a limited grab, it stops attacking for good and
        holds the line with the troops it has, replacing its losses from the reserve
        (§3.8)."""
        self.attacking = False
        self.on_aim = True
        self.hold_line()

    def hold_line(self) -> None:
        """Hold the ground with the troops it has: from now on the reserve only replaces
        what it loses there (§3.8)."""
        self.target_strength = self.troops + self.to_land

    @property
    def shortfall(self) -> float:
        """Troops still to bring forward to reach its `target_strength`."""
        return self.target_strength - self.troops - self.to_land

    @property
    def offensive_engaged(self) -> float:
        """Troops its current offensive has engaged: those in theatre when it began and
        every one landed since."""
        return self._troops_at_start + self.committed_total - self._committed_at_start

    def reserve_due(self, days: float) -> float:
        """The reserve it will have brought forward within `days`: at the full rate while
        it attacks; halted, only what it needs to reach its `target_strength`, the
        strength at which it holds its line or renews its offensive (§3.8)."""
        if self.rung < Rung.CONVENTIONAL:
            return 0.0
        due = min(self.reserve, self.reinforcement_per_day * max(days, 0.0))
        if not self.attacking:
            due = min(due, max(0.0, self.shortfall))
        return due

    def lose(self, troops: float) -> None:
        lost = min(troops, self.troops)
        self.troops -= lost
        self.losses += lost
