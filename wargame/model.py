"""CrisisModel: one Art. 42.7 crisis, day by day, from the first attack to its outcome.

Each day: the states decide in random order (later ones see earlier moves), the victim's
reservists report, deployments are paid for, the adversary weighs the defence it can
expect within its timetable and the punishment it risks and may climb, stand down or stop
attacking, the armies fight once it is armed (two-sided attrition and a front that moves
in kilometres, forward or back), and the outcome rule is applied. Troops arrive at the end
of the day through the theatre's corridors (docs/MODEL.md).
"""

from __future__ import annotations

import inspect
import math
import numbers
import operator
import random
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import mesa
import numpy as np

from wargame.agents import Adversary, Commitment, Rung, StateAgent, USForces, logistic_draw
from wargame.crisis_setup import MODES, CrisisSetup
from wargame.errors import WargameError
from wargame.inputs import INPUTS
from wargame.output_registry import names, outputs
from wargame.reach import Corridor, Shipment
from wargame.regimes import REGIMES
from wargame.scenario import Scenario, check_inputs, load_scenario
from wargame.stage import crisis_for

#: Model-level series collected each day (DataCollector model reporters = attributes)
#: and state-level ones (rows of the state ledger, after the day and the iso3 code):
#: declared in wargame.output_registry.
STEP_SERIES = names("day")
STATE_SERIES = tuple(o.name for o in outputs("day_state") if not o.index)

#: The model's resolution of the front: a depth of advance below a kilometre holds no
#: ground (docs/MODEL.md §3.10).
GROUND_RESOLUTION_KM = 1.0
#: An army, for the movement target of the calibration: EU officials (Nov 2025) put at about
#: 45 days the time to move one from the western ports to the eastern flank (readiness.csv).
ARMY_TROOPS = 100_000


def _deployed_troops(state: StateAgent) -> int:
    """Troops in theatre as a whole number (losses make the state's count fractional)."""
    return round(state.deployed_troops)


#: Per-state columns of `mesa.batch_run` rows: the state's values on the crisis' last day,
#: recorded once per run (`EndOfCrisisCollector`). Named apart from the model totals
#: (`state_pledged_troops` vs `pledged_troops`) because batch_run merges model and agent
#: columns into one dict per row, where a shared name would silently overwrite the total.
STATE_REPORTERS: dict[str, Any] = {
    "iso3": "iso3",
    "state_commitment": operator.attrgetter("commitment.name"),
    "state_pledged_troops": "pledged_troops",
    "state_deployed_troops": _deployed_troops,
    "state_cost_bn": "cost_bn",
    "state_reimbursed_bn": "reimbursed_bn",
}

RUNG_WORDS = {
    Rung.HYBRID: "hybrid attack",
    Rung.INCURSION: "armed incursion",
    Rung.CONVENTIONAL: "conventional attack",
}
STEP_UP_WORDS = {
    Commitment.POLITICAL: "declares political support",
    Commitment.FINANCIAL: "pledges money and materiel",
    Commitment.FORCES: "pledges forces",
}


def _move_in_words(old: Commitment, new: Commitment, state: StateAgent) -> str:
    if new > old:
        words = STEP_UP_WORDS[new]
        return f"{words} ({state.pledged_troops:,} troops)" if new == Commitment.FORCES else words
    if old == Commitment.FORCES:
        return "withdraws its forces"
    return f"steps back to {new.name.lower()} support" if new else "withdraws its support"


class EndOfCrisisCollector(mesa.DataCollector):
    """Mesa's DataCollector, with the per-state reporters recorded on the last day only.

    Model reporters are collected every day. Recording every state every day through the
    DataCollector costs more than the model step, so the per-day state series go to the
    model's own ledger (`CrisisModel.state_ledger`) and the agent-type reporters
    (`STATE_REPORTERS`) run once, when the crisis has ended (`model.running` is False).
    `mesa.batch_run` reads the last collection: one row per state and run, with the
    run's totals and outcome beside the state's own values.
    """

    def collect(self, model: mesa.Model) -> None:
        per_state = self.agenttype_reporters
        if model.running or self._agenttype_records:
            self.agenttype_reporters = {}
        try:
            super().collect(model)
        finally:
            self.agenttype_reporters = per_state


@dataclass(frozen=True, slots=True)
class LogEntry:
    """One thing that happened, for the event log an analyst reads."""

    day: int
    iso3: str
    text: str


class CrisisModel(mesa.Model):
    """An attack on `target` and the assistance it receives (docs/MODEL.md)."""

    #: The agent class of the helping states (tests put the readable reference rule here).
    state_agent: type[StateAgent] = StateAgent

    def __init__(self, *, collect_series: bool = True, keep_log: bool = True,
                 rng: int | None = None, **inputs: Any) -> None:
        """Every input of `wargame.inputs.INPUTS` is a keyword with its default.

        The signature Mesa and `inspect` see lists them all (set below the class), so
        `mesa.batch_run`, SolaraViz and EMA Workbench can pass any of them. The inputs
        become one setup record (`wargame.stage.crisis_for`: the cached crisis, or the
        negotiation then the crisis under governance "reform"); the model reads it.
        `keep_log=False` leaves the event log empty (a sweep worker never writes it).
        """
        if rng is not None and (not isinstance(rng, numbers.Integral) or rng < 0):
            raise WargameError(f"CrisisModel: rng = {rng!r} is not allowed; "
                               "expected a non-negative integer seed or None")
        super().__init__(rng=None if rng is None else int(rng))
        self.keep_log = keep_log
        self.log: list[LogEntry] = []
        #: The inputs as given (what the run records), the seed and the crisis they set up.
        self.seed = rng
        self.inputs, self.setup, self.reform_outputs = crisis_for(inputs, rng)
        crisis = self.setup
        #: The inputs the crisis stage runs under (a reform run's are the negotiation's).
        self.stage_inputs = p = crisis.stage_inputs
        self.victim = crisis.victim
        self.defence_multiplier = p.defence_multiplier
        self.pool_capability = crisis.pool_capability
        self.corridors = {mode: Corridor(capacity) for mode, capacity in zip(
            MODES, (crisis.airlift_capacity, p.land_capacity, p.sealift_capacity, math.inf),
            strict=True)}
        # The day: what the attack is, what the victim fights with, where the front is.
        self.day = 0
        self.victim_troops = float(crisis.victim_active)
        #: Reservists and territorial units in the line: they fight at `reservist_quality`
        #: of the active force's quality, so they are kept apart from the active troops.
        self.victim_reservists = 0.0
        self.reservists_to_come = float(crisis.victim_reservists)
        self.mobilisation_per_day = crisis.victim_reservists / p.mobilisation_days
        # Strategic warning: the reservists the victim called up before the first day.
        warned = max(0, p.warning_days - p.mobilisation_lag_days) * self.mobilisation_per_day
        self.victim_reservists += min(self.reservists_to_come, warned)
        self.reservists_to_come -= min(self.reservists_to_come, warned)
        #: Forward presence that no contributing state of the tables accounts for (a
        #: presence set for a target without listed contributors); the rest is the
        #: contributing states' own troops (their agents).
        self.forward_troops = float(crisis.forward_unassigned)
        self.rrf_troops = 0.0
        #: How far the EU's force engages its members: 0 until it is in place (§3.4).
        self.rrf_engagement = 0.0
        #: The EU rapid-reaction force is sent when the crisis against an EU member begins
        #: (a deterrent deployment, as NATO activated its Response Force before the
        #: invasion of Ukraine in February 2022) and is in place after its readiness: the
        #: stand-by units' state varies, so each run draws from half to one and a half
        #: times it (as a tier's readiness is drawn in its window).
        # (drawn in every run, so that runs with and without the force share their draws)
        readiness = 0.5 + self.random.random()
        self.rrf_day: int | None = (max(1, round(crisis.rrf_days * readiness))
                                    if crisis.rrf_promised else None)
        self.advance_km = 0.0
        self.moved_km = 0.0  # how far the front moved today (negative: pushed back)
        self.offensive_today = False  # a side with an edge attacked today (§3.9)
        self.territory_lost = 0.0
        self.peak_territory_lost = 0.0
        self.victim_losses = self.forward_losses = self.rrf_losses = 0.0
        self.defender_losses = 0.0
        self.eu_fund_remaining_bn = float(p.eu_fund_bn)
        self.outcome: str | None = None
        self.day_first_assistance: int | None = None
        self.day_first_forces: int | None = None
        self.day_defeat: int | None = None
        #: The day the attacker reaches the capital: an event in the war, not its end
        #: (docs/MODEL.md §3.10). It falls at most once: the attacker then holds its aim.
        self.day_capital_falls: int | None = None
        #: The attacker holds the capital: from the day it reaches it until the defence
        #: pushes the front back beyond the city, `capital_radius_km` (§3.10).
        self.capital_held = False
        self.day_armed_attack: int | None = None
        self.peak_pledged = 0
        self.peak_deployed = 0
        self.deployed_on_day_60: float | None = None
        self.day_allied_100k: int | None = None  # helpers' troops in theatre first >= 100,000
        self.day_offensive_called_off: int | None = None  # first call-off past culmination
        self.capability_at = [self.pool_capability, 0.0, 0.0, 0.0]
        self.count_at = [0, 0, 0, 0]
        self.adversary = Adversary(self, crisis)
        self.us = USForces(self, crisis.us_promised, crisis.us_forward, crisis.us_quality)
        self._build_states(crisis)
        self.count_at[0] = len(self.state_list)
        for state in self.state_list:  # those with troops in the target start at FORCES
            for level in range(1, state.commitment + 1):
                self.capability_at[level] += state.profile.capability_index
                self.count_at[level] += 1
        self._plain_random = type(self.random) is random.Random
        self._shuffle_plan = _shuffle_plan(len(self.state_list))
        rung = self.adversary.rung
        #: The day the attack is recognised as armed aggression and the clauses invoked.
        self.attribution_day = self.random.randint(1, p.attribution_days) if rung == 0 else 0
        self.invoked = False
        self.day_invoked: int | None = None
        self.note(p.target, f"{self.victim.name} is attacked ({RUNG_WORDS[rung]})")
        if rung >= Rung.INCURSION:
            self.day_armed_attack = 0
        if self.attribution_day == 0:
            self._invoke()
        self._update_defence()
        self._update_threat()

        self.collect_series = collect_series
        if collect_series:
            # Model-level series through Mesa's DataCollector; the per-state series go to
            # a plain ledger of rows, because the DataCollector's agent reporters cost
            # more than the whole model step. `outcome` (None until the end) makes the
            # run's outcome a batch_run column.
            self.datacollector = EndOfCrisisCollector(
                model_reporters={**{name: name for name in STEP_SERIES}, "outcome": "outcome"},
                agenttype_reporters={StateAgent: STATE_REPORTERS})
            self.state_ledger: list[tuple] = []
            self._read_state = operator.attrgetter("iso3", *STATE_SERIES)
            self._collect()

    @classmethod
    def from_scenario(cls, scenario: str | Path | Scenario = "baltic", *,
                      rng: int | None = None, collect_series: bool = True,
                      keep_log: bool = True, **overrides: Any) -> CrisisModel:
        """The crisis of a scenario: its file's parameters, then `overrides` (checked as
        `--set` is), so a seed gives the same run as `wargame run` and `wargame.run`.

        `CrisisModel(**inputs)` starts from the input registry's defaults, which are no
        scenario's (no forward presence, for one): the same seed is another crisis.
        For `mesa.batch_run`, pass `functools.partial(CrisisModel.from_scenario,
        "baltic")` as the model (docs/API.md, "Mesa's batch_run").
        """
        if not isinstance(scenario, Scenario):
            scenario = load_scenario(str(scenario))
        checked = check_inputs(overrides, "CrisisModel.from_scenario")
        return cls(**{**scenario.parameters, **checked}, rng=rng,
                   collect_series=collect_series, keep_log=keep_log)

    def _build_states(self, crisis: CrisisSetup) -> None:
        """One agent per helper, with its draws in this crisis: resolve, mandate delay and
        the readiness days of its three tiers (shortened by command integration and by
        what the crisis year bought; longer by `no_plan_days` where no standing plan
        exists, except for the nation leading the forward presence: it has its own)."""
        p = crisis.stage_inputs
        rand = self.random.random
        mandate_low, mandate_width = crisis.mandate_window
        windows = crisis.tier_windows
        plan_days = 0 if crisis.standing_plan else p.no_plan_days
        # How ready the allies' forces are on the day, drawn once for all of them: training
        # cycles, rotations and strategic warning move every ally's readiness together.
        alert = 1.0 + p.readiness_spread * (2.0 * rand() - 1.0)
        for state in crisis.states:
            resolve = logistic_draw(p.resolve_scale, rand())
            mandate = max(1, round(state.mean_mandate_days
                                   * (mandate_low + mandate_width * rand())))
            factor = crisis.delay_factor * state.readiness_factor * alert
            # The nation leading the forward presence has its own plan to reinforce it (a
            # framework nation's battlegroup grows to a brigade in under ten days,
            # readiness.csv), whatever plans the coalition lacks; a contributor of a
            # company to another's battlegroup waits for the coalition's plan.
            delay = 0 if state.own_plan else plan_days
            readiness = tuple(max(1, round((low + width * rand()) * factor)) + delay
                              for low, width in windows)
            self.state_agent(self, state, crisis, resolve=resolve, mandate_days=mandate,
                             readiness_days=readiness)
        self.states = self.agents_by_type[self.state_agent]
        self.state_list: list[StateAgent] = list(self.states)

    # --- what agents ask of the model ------------------------------------------------
    def reimbursement_rate(self, state: StateAgent) -> float:
        """Share of `state`'s deployment costs it can expect the EU fund to pay.

        The promised share, unless what is left in the fund cannot cover it over the
        state's cost horizon; never more generous with less financing (monotone in it).
        """
        if not state.reimbursable or state.horizon_cost_bn <= 0.0:
            return 0.0
        return min(self.stage_inputs.eu_financing,
                   self.eu_fund_remaining_bn / state.horizon_cost_bn)

    def pay(self, state: StateAgent, amount_bn: float, *, refundable: bool = True) -> None:
        """Book a cost to `state`; the EU fund reimburses deployment costs while it lasts.

        Money-and-materiel packages are national (refundable=False): the fund pays the
        common costs of military assistance, as the European Peace Facility does.
        """
        state.cost_bn += amount_bn
        if not refundable:
            return
        state.force_cost_bn += amount_bn
        if state.reimbursable and self.eu_fund_remaining_bn > 0.0:
            refund = min(self.stage_inputs.eu_financing * amount_bn, self.eu_fund_remaining_bn)
            state.reimbursed_bn += refund
            self.eu_fund_remaining_bn -= refund

    def level_changed(self, state: StateAgent, old: Commitment, new: Commitment) -> None:
        """Keep the tallies current so that later deciders see this move today."""
        capability = state.profile.capability_index
        if new > old:
            self.capability_at[new] += capability
            self.count_at[new] += 1
        else:
            self.capability_at[old] -= capability
            self.count_at[old] -= 1
        if new >= Commitment.FINANCIAL and self.day_first_assistance is None:
            self.day_first_assistance = self.day
        if self.keep_log:
            self.note(state.iso3, f"{state.profile.name} {_move_in_words(old, new, state)}")

    def ship(self, shipment: Shipment, mode: str, ready_day: float) -> None:
        """Send troops to the theatre's corridor for `mode`, ready on `ready_day`."""
        self.corridors[mode].send(shipment, ready_day)

    def forces_arrived(self, state: StateAgent, troops: int) -> None:
        if self.day_first_forces is None:
            self.day_first_forces = self.day
        if self.keep_log:
            self.note(state.iso3, f"{troops:,} troops from {state.profile.name} arrive")

    def escalated(self, rung: Rung) -> None:
        """An armed attack ends the ambiguity at once: the clauses are invoked today."""
        self.note(self.adversary.iso3, f"the adversary escalates to {RUNG_WORDS[rung]}")
        if rung >= Rung.INCURSION:
            if self.day_armed_attack is None:
                self.day_armed_attack = self.day
            if not self.invoked:
                self._invoke()

    # --- the day ----------------------------------------------------------------------
    def step(self) -> None:
        self.day = self.steps
        if not self.invoked and (self.day >= self.attribution_day
                                 or self.adversary.rung >= Rung.INCURSION):
            self._invoke()
        # What `self.states.shuffle_do("step")` does (the same shuffle of the same list with
        # the same Random), without its per-agent membership test and getattr.
        order = self.state_list.copy()
        if self._plain_random:
            getrandbits = self.random.getrandbits
            for i, bound, bits in self._shuffle_plan:
                j = getrandbits(bits)
                while j >= bound:
                    j = getrandbits(bits)
                order[i], order[j] = order[j], order[i]
        else:  # a replaced generator shuffles its own way
            self.random.shuffle(order)
        for state in order:
            state.step()
        self._mobilise()
        self._pay_deployments()
        self._update_defence()
        self.adversary.step()
        self._update_threat()
        self.moved_km, self.offensive_today = 0.0, False
        self._fight()
        self._update_defence(expectations=False)
        self._apply_outcome_rule()
        if self.day == 60:
            self.deployed_on_day_60 = float(self.deployed_troops)
        if self.day_allied_100k is None and self.deployed_troops >= ARMY_TROOPS:
            self.day_allied_100k = self.day
        if self.collect_series:
            self._collect()
        self._deliver()

    def _invoke(self) -> None:
        """The attack is recognised: the clauses are invoked and the US dispatches its
        tiers (the first from its forces stationed in Europe, the rest from North America)."""
        crisis, rand = self.setup, self.random.random
        self.invoked = True
        self.day_invoked = self.day
        self.note(self.victim.iso3, self._invocation_text())
        self.us.dispatch(tuple(max(1, round(low + width * rand()))
                               for low, width in crisis.us_windows), crisis.us_routes)

    def _mobilise(self) -> None:
        """Once the attack is recognised, the victim's reservists report day by day: a
        government that mobilises during an ambiguous hybrid attack escalates it, which is
        what a hybrid attack is built to deter (docs/MODEL.md §3.7)."""
        if (self.invoked and self.reservists_to_come > 0
                and self.day >= self.day_invoked + self.stage_inputs.mobilisation_lag_days):
            joining = min(self.reservists_to_come, self.mobilisation_per_day)
            self.reservists_to_come -= joining
            self.victim_reservists += joining

    def _pay_deployments(self) -> None:
        pay = self.pay
        for state in self.state_list:
            if state.pledged_troops:
                pay(state, state.pledged_troops * state.troop_day_cost_bn)

    def _deliver(self) -> None:
        """The day's arrivals, after the day: corridors in turn, then the RRF."""
        day = self.day
        for corridor in self.corridors.values():
            corridor.deliver(day)
        if self.rrf_day is not None and day >= self.rrf_day:
            self.rrf_day = None
            if self.running:
                self.rrf_troops = float(self.setup.rrf_promised)
                self.rrf_engagement = self.setup.rrf_engagement
                if self.day_first_forces is None:
                    self.day_first_forces = day
                self.note("EU", f"the EU rapid-reaction force ({self.setup.rrf_promised:,} "
                                "troops) is in place")

    def _update_defence(self, *, expectations: bool = True) -> None:
        """Totals, interoperability, the defence the adversary faces and, with
        `expectations`, the defence it expects within its timetable (once a day, before
        it decides).

        Defence is counted in quality-weighted troops; allied contingents lose
        effectiveness when many small national ones fight without an integrated command,
        and enablers (the US's, and Europe's own by the crisis year) raise every
        European force's. The *timely* defence is what the adversary expects within its
        timetable: what is there, plus what is promised, credited by its credibility and
        discounted by how late it would arrive (docs/MODEL.md §3.8).
        """
        crisis, p = self.setup, self.stage_inputs
        pledged = 0
        deployed = squares = allied_power = 0.0
        contributing = []
        for state in self.state_list:
            if state.pledged_troops:
                contributing.append(state)
                pledged += state.pledged_troops
                troops = state.deployed_troops
                deployed += troops
                squares += troops * troops
                allied_power += state.quality * troops
        concentration = squares / (deployed * deployed) if deployed else 1.0
        penalty = p.interoperability_penalty
        self.interoperability = 1.0 - penalty * (1.0 - crisis.integration) * (1.0 - concentration)
        self.pledged_troops = pledged
        self.deployed_troops = round(deployed)
        if pledged > self.peak_pledged:
            self.peak_pledged = pledged
        if self.deployed_troops > self.peak_deployed:
            self.peak_deployed = self.deployed_troops
        quality = crisis.victim_quality
        european = (quality * (self.victim_troops + p.reservist_quality * self.victim_reservists)
                    + crisis.forward_quality * self.forward_troops
                    + self.interoperability * allied_power + self.rrf_troops)
        us = self.us
        self.us_troops = us.troops
        self.defence_effective = crisis.enabler_gain * european + us.quality * us.troops
        self.n_political = self.count_at[1]  # tallies count states at a level or above
        self.n_financial = self.count_at[2]
        self.n_forces = self.count_at[3]
        if expectations:
            self._update_expectations(contributing)

    def _update_expectations(self, contributing: list[StateAgent]) -> None:
        """What the adversary expects: the timely defence, the gap it leaves and the
        punishment the adversary risks; and the gap that draws governments' forces."""
        crisis, p, day = self.setup, self.stage_inputs, self.day
        exp = math.exp
        timetable = self.adversary.timetable
        window = p.max_days
        promised_power = coming_power = 0.0
        for state in contributing:
            for shipment in state.shipments:
                eta, coming = shipment.pending
                if coming > 0:
                    late = eta - day
                    if eta <= window:
                        coming_power += state.quality * coming
                    promised_power += state.quality * coming * (
                        exp(-late / timetable) if late > 0 else 1.0)
        us = self.us
        us_coming = us_in_window = 0.0
        for eta, coming in us.pending:
            if coming > 0:
                if eta <= window:
                    us_in_window += coming
                us_coming += coming * exp(-max(0.0, eta - day) / timetable)
        # Reservists count once they are being called up (the attack recognised).
        reservist_power = p.reservist_quality * crisis.victim_quality
        reservists = (reservist_power * self.reservists_to_come * exp(
            -(p.mobilisation_lag_days + 0.5 * p.mobilisation_days) / timetable)
            if self.invoked else 0.0)
        rrf = 0.0
        if self.rrf_day is not None:
            rrf = crisis.integration * crisis.rrf_promised * exp(
                -max(0, self.rrf_day - day) / timetable)
        self.defence_timely = self.defence_effective + reservists + p.pledge_credit * (
            crisis.enabler_gain * self.interoperability * promised_power
            + us.quality * us_coming + rrf)
        # What the victim counts on (its consent to a ceasefire, §3.10): its side in theatre
        # and all the help due before the window closes, valued as it will fight once there.
        reporting = (min(self.reservists_to_come, self.mobilisation_per_day * (window - day))
                     if self.invoked else 0.0)
        rrf_due = (crisis.rrf_promised if self.rrf_day is not None and self.rrf_day <= window
                   else 0.0)
        self.defence_expected = self.defence_effective + us.quality * us_in_window + (
            crisis.enabler_gain * (reservist_power * reporting + rrf_due
                                   + self.interoperability * coming_power))
        attack = self.adversary.quality * self.adversary.operational_force
        self.defence_gap = max(0.0, 1.0 - self.defence_multiplier * self.defence_timely / attack)
        # The punishment the adversary risks: US commitment that reaches the theatre and the
        # share of Europe's capability pledged to fight (at most 1), which threatens a
        # counter-offensive only as far as a command can combine it (`pledge_cohesion`:
        # NATO's integrated command in full, Art. 42.7's none-yet in part). An EU
        # rapid-reaction force in place commits the EU's members through their soldiers in
        # it, as a forward presence commits its contributors, as far as its size does.
        rrf_commitment = (p.rrf_tripwire_share * crisis.eu_capability_share
                          * self.rrf_engagement)
        self.punishment = min(1.0, crisis.us_reach + rrf_commitment + crisis.pledge_cohesion
                              * self.capability_at[Commitment.FORCES] / self.pool_capability)

    def _update_threat(self) -> None:
        adversary = self.adversary
        self.escalation = adversary.rung.name
        self.threat_level = (adversary.rung + 1) / len(Rung)
        self.under_fire = adversary.rung >= Rung.INCURSION  # troops in the target are attacked
        self.adversary_committed = adversary.committed_troops
        self.adversary_losses = round(adversary.losses)
        self.force_ratio = adversary.power / max(self.defence_effective, 1.0)

    def _fight(self) -> None:
        """A day of combat once the adversary is armed (docs/MODEL.md §3.9).

        The side holding prepared positions fights with `defence_multiplier`: the victim
        while the attacker advances or is stuck, the attacker on ground it holds once the
        defence counter-attacks. An attacker stronger than the prepared defence advances
        at `advance_speed` (capped at its aim), the day's fog scaling that speed; a
        defence stronger than the dug-in attacker pushes it back at
        `counter_advance_share` of it. Which side
        advances is settled by the forces, not by the fog: Dupuy found that an advance
        against opposition needs superiority, and a fog on the ratio let an attacker weaker
        than the prepared defence gain tens of km on a lucky day. On a day a side attacks,
        each side loses a share of its troops that grows with the other's relative
        strength (Lanchester's square law in daily steps: at parity both lose
        `daily_loss_rate`), less in positional fighting. On a still front nobody attacks
        and nobody is ground down: otherwise a halted attacker would destroy a weaker
        defence without attacking it. An attacker that stopped today at the border still
        fights the day positionally; one that stopped on ground it took, however little,
        fights no more that day. A day no side attacks with an edge costs
        `positional_loss_factor` of the rate: an attack that grinds forward by metres
        pays the full rate.
        """
        adversary = self.adversary
        if adversary.rung < Rung.INCURSION or adversary.troops <= 0:
            return
        p = self.stage_inputs
        attack = adversary.quality * adversary.troops
        defence = max(self.defence_effective, 1.0)
        fog = math.exp(self.rng.normal(0.0, p.combat_noise))
        multiplier = self.defence_multiplier
        moved = 0.0
        # The forces settle which side advances; the fog, how far and at what cost.
        edge = self.attack_edge(adversary.troops)
        relative = edge * fog
        if adversary.attacking and edge > 1.0:
            # A limited aim is a line it stops on, not a waypoint it overruns in a day.
            moved = min(self.advance_speed(edge, fog), adversary.aim_km - self.advance_km)
            self.offensive_today = True
        elif self.advance_km > 0.0:
            counter = defence / (multiplier * attack)  # the defence against the dug-in
            if counter > 1.0:
                moved = -p.counter_advance_share * self.advance_speed(counter, 1.0 / fog)
                relative = fog / counter
                self.offensive_today = True
            elif not adversary.attacking:
                # Neither side attacks: a still front, which the model lets cost nothing.
                self._record_front(attack, defence, moved)
                return
        loss_rate = p.daily_loss_rate
        if not self.offensive_today:
            # A grinding offensive is an offensive, however few metres it gains: only the
            # attacker stuck before the prepared defence fights positionally.
            loss_rate *= p.positional_loss_factor
        defender_share = min(0.5, loss_rate * relative)
        attacker_share = min(0.5, loss_rate / relative)
        adversary.lose(attacker_share * adversary.troops)
        lost_victim = defender_share * (self.victim_troops + self.victim_reservists)
        self.victim_reservists -= defender_share * self.victim_reservists
        lost_forward = defender_share * self.forward_troops
        lost_rrf = defender_share * self.rrf_troops
        self.victim_troops -= defender_share * self.victim_troops
        self.forward_troops -= lost_forward
        self.rrf_troops -= lost_rrf
        self.victim_losses += lost_victim
        self.forward_losses += lost_forward
        self.rrf_losses += lost_rrf
        us_before = self.us.losses
        self.us.lose(defender_share)
        allied = 0.0
        for state in self.state_list:
            if state.deployed_troops:
                before = state.losses
                state.lose(defender_share)
                allied += state.losses - before
        self.defender_losses += (lost_victim + lost_forward + lost_rrf + allied
                                 + self.us.losses - us_before)
        self._record_front(attack, defence, moved)

    def attack_edge(self, troops: float) -> float:
        """The attacker's strength with `troops` over the prepared defence's, before the
        day's fog: above 1 it can advance, at or below it cannot (docs/MODEL.md §3.9)."""
        adversary = self.adversary
        return (adversary.quality * troops
                / (self.defence_multiplier * max(self.defence_effective, 1.0)))

    def advance_speed(self, edge: float, fog: float = 1.0) -> float:
        """Km a day a side attacking with `edge` (its strength over the other's, the
        defence's multiplier counted, before the day's fog) gains on a day whose fog
        favours it by `fog`, at most `max_advance_km_per_day` (docs/MODEL.md §3.9).

        The unopposed share (1 - 1/edge) of `max_advance_km_per_day` is weighted by a
        breakthrough curve, (edge - 1)^n / ((b - 1)^n + (edge - 1)^n) with b
        `breakthrough_edge` and n `breakthrough_sharpness`: a narrow edge grinds forward
        by metres a day, as attacks on prepared defences near parity do, and a wide one
        breaks through at the speed RAND's Baltic games found. None at parity.
        """
        if edge <= 1.0:
            return 0.0
        p = self.stage_inputs
        excess = (edge - 1.0) ** p.breakthrough_sharpness
        breakthrough = excess / ((p.breakthrough_edge - 1.0) ** p.breakthrough_sharpness
                                 + excess)
        ceiling = p.max_advance_km_per_day
        return min(ceiling * (1.0 - 1.0 / edge) * breakthrough * fog, ceiling)

    def _record_front(self, attack: float, defence: float, moved: float) -> None:
        """Move the front by today's advance (or withdrawal) and record what it holds."""
        adversary, crisis = self.adversary, self.setup
        self.moved_km = moved
        capital = crisis.theatre.objective_km
        self.advance_km = min(capital, max(0.0, self.advance_km + moved))
        if adversary.attacking and self.advance_km >= adversary.aim_km:
            adversary.dig_in()  # its aim reached, the capital or a limited grab: it holds it
            self.note(adversary.iso3, f"the adversary has taken what it came for "
                                      f"({self.advance_km:.0f} km deep) and digs in")
        if not self.capital_held and self.advance_km >= capital:
            self.capital_held = True
            self.day_capital_falls = self.day
            self.note(self.victim.iso3, f"{self.victim.name}'s capital falls; its forces and "
                                        "its allies fight on")
        elif (self.capital_held
              and self.advance_km < capital - self.stage_inputs.capital_radius_km):
            self.capital_held = False
            self.note(self.victim.iso3, f"{self.victim.name}'s capital is retaken")
        self.territory_lost = self._ground_held(self.advance_km)
        self.peak_territory_lost = max(self.peak_territory_lost, self.territory_lost)
        self.adversary_committed = adversary.committed_troops
        self.adversary_losses = round(adversary.losses)
        self.force_ratio = attack / defence

    def _ground_held(self, depth_km: float) -> float:
        """Share of the victim's territory held at a depth of advance: the ground within
        that distance of the attacker's start line, but no more than a front of the
        attacking force's width can hold (force to space, docs/MODEL.md §3.9)."""
        if depth_km < GROUND_RESOLUTION_KM:
            return 0.0
        theatre = self.setup.theatre
        within = np.searchsorted(theatre.ground, depth_km, "right") / len(theatre.ground)
        return float(min(within, depth_km * self.setup.front_width_km / theatre.area_km2))

    def _apply_outcome_rule(self) -> None:
        """deterred, repelled, occupied, defeated or stalemate (docs/MODEL.md §3.10).

        The capital's fall is an event, not an end: the victim's forces and its allies'
        fight on, and may retake it. The crisis ends when the attacker is deterred or
        repelled, when a ceasefire freezes a still front, or when the window closes; it is
        a defeat if it ends with the attacker holding the capital (Nicosia 1974 is the case
        of a line that ran through a capital the Republic kept).
        """
        adversary = self.adversary
        if adversary.stood_down:
            self.outcome = "deterred"
            self.note(adversary.iso3, "the adversary is deterred and stands down")
        elif self.day_armed_attack is not None and (
                adversary.troops <= 0
                or (not adversary.attacking and not self.attacker_holds_ground)):
            self.outcome = "repelled"
            self.territory_lost = 0.0
            self.note(adversary.iso3, "the attack is repelled: the adversary holds nothing")
        elif (self.front_is_still
              and self.random.random() < adversary.ceasefire_rate * self._victim_consent()):
            if self.capital_held:
                self._defeat("a ceasefire leaves its capital in the attacker's hands")
            else:
                self.outcome = "occupied"
                self.note(adversary.iso3, f"a ceasefire freezes the front with "
                                          f"{self.territory_lost:.0%} of {self.victim.name} "
                                          "held")
        elif self.day >= self.stage_inputs.max_days:
            if self.capital_held:
                self._defeat("the crisis window closes with its capital still in the "
                             "attacker's hands")
            else:
                self.outcome = "stalemate"
                self.note(self.victim.iso3, "the crisis window closes with fighting "
                                            "unresolved")
        if self.outcome is not None:
            self.running = False

    def _defeat(self, reason: str) -> None:
        """End the crisis as a defeat, dated by the capital's fall (§3.10)."""
        self.outcome, self.day_defeat = "defeated", self.day_capital_falls
        self.note(self.victim.iso3, f"{self.victim.name} is defeated: {reason}")

    @property
    def attacker_holds_ground(self) -> bool:
        """The attacker holds at least a kilometre of the victim's ground."""
        return self.advance_km >= GROUND_RESOLUTION_KM

    @property
    def war_is_fought(self) -> bool:
        """The armed attack has begun and the war goes on: the front moves, or stands still
        only while the attacker regroups for its next offensive or, stopped by its losses
        or at its culminating point, holds a line it may renew the offensive from, or holds
        the victim's capital, which the victim and its allies fight to retake
        (docs/MODEL.md §3.4, §3.8, §3.10). A helper does not recall soldiers in theatre for
        money while it is; on a front frozen short of the capital where a limited aim was
        reached, or held by a halted incursion, it may."""
        adversary = self.adversary
        return self.day_armed_attack is not None and (
            not self.front_is_still or adversary.regrouping or adversary.holds_line_after_halt
            or self.capital_held)

    @property
    def front_is_still(self) -> bool:
        """The attacker holds ground it no longer attacks from and the defence did not
        counter-attack on the last day: nobody fights (docs/MODEL.md §3.9, §3.10). A
        counter-offensive that gains metres a day is fighting, not a frozen front."""
        return (not self.adversary.attacking and self.attacker_holds_ground
                and not self.offensive_today)

    def _victim_consent(self) -> float:
        """How ready the victim is to accept a ceasefire on a still front (at most 1).

        A ceasefire takes both parties: a victim whose side, with the help due in the
        window, will be strong enough to push the dug-in attacker back (the combat rule's
        `defence_multiplier` over the attacker's troops in theatre, still landing and due
        from its reserve in the same window)
        holds out; one that will not takes what it can get (`ceasefire_holdout`,
        docs/MODEL.md §3.10).
        """
        adversary = self.adversary
        window = self.stage_inputs.max_days - self.day
        dug_in = self.defence_multiplier * adversary.quality * (
            adversary.troops + adversary.to_land + adversary.reserve_due(window))
        if dug_in <= 0.0:
            return 1.0
        return min(1.0, (dug_in / max(self.defence_expected, 1.0))
                   ** self.stage_inputs.ceasefire_holdout)

    def _collect(self) -> None:
        """Record today's model series and one row (day, iso3, STATE_SERIES...) per state."""
        self.datacollector.collect(self)
        day, read = self.day, self._read_state
        self.state_ledger.extend((day, *read(state)) for state in self.state_list)

    # --- the event log ----------------------------------------------------------------
    def note(self, iso3: str, text: str) -> None:
        """Add a line to the event log an analyst reads (nothing if `keep_log` is off)."""
        if self.keep_log:
            self.log.append(LogEntry(self.day, iso3, text))

    def _invocation_text(self) -> str:
        clauses = []
        if self.victim.eu_member:
            clauses.append("Art. 42.7 TEU")
        if self.victim.nato_member and REGIMES[self.stage_inputs.governance].nato_treaty:
            clauses.append("Art. 5")
        invoked = " and ".join(clauses) if clauses else "no treaty clause (none applies)"
        return f"{self.victim.name} invokes {invoked}: the attack is recognised as armed aggression"

    @property
    def allied_losses(self) -> float:
        """Troops lost by the forward presence, the helpers' contingents and the RRF."""
        return self.forward_losses + self.rrf_losses + sum(s.losses for s in self.state_list)

    def run(self) -> CrisisModel:
        """Run to the outcome (at most `max_days` days) and return the model."""
        while self.running:
            self.step()
        return self


@cache
def _shuffle_plan(count: int) -> tuple[tuple[int, int, int], ...]:
    """(i, i + 1, bit length of i + 1) for i = count - 1 down to 1: the indices, bounds and
    draw widths of `random.Random.shuffle` on a list of `count` items (Python 3.12)."""
    return tuple((i, i + 1, (i + 1).bit_length()) for i in range(count - 1, 0, -1))


def _signature() -> inspect.Signature:
    """CrisisModel's keywords as Mesa and `inspect` see them: every input, with its default."""
    keywords = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=i.default,
                          annotation=i.kind.__name__)
        for name, i in INPUTS.items()
    ]
    keywords += [
        inspect.Parameter("collect_series", inspect.Parameter.KEYWORD_ONLY, default=True),
        inspect.Parameter("keep_log", inspect.Parameter.KEYWORD_ONLY, default=True),
        inspect.Parameter("rng", inspect.Parameter.KEYWORD_ONLY, default=None),
    ]
    self = inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return inspect.Signature([self, *keywords], return_annotation=None)


CrisisModel.__init__.__signature__ = _signature()
