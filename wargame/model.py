"""CrisisModel: one Art. 42.7 crisis, day by day, from the first attack to its outcome.

Each day: the states decide in random order (later ones see earlier moves), deployments
are paid for and over-spent packages cut, the adversary weighs the defence it faces and
may escalate, reinforce, withdraw or stand down, the armies fight if it is conventional
(two-sided Lanchester attrition and a moving front), and the outcome rule is applied.
Force tiers, the US reinforcement and the EU rapid-reaction force arrive at the end of
their arrival day, from a per-day queue (docs/MODEL.md).
"""

from __future__ import annotations

import inspect
import math
import numbers
import operator
import random
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import mesa

from wargame.agents import Adversary, Commitment, Rung, StateAgent, USForces
from wargame.crisis_setup import CrisisSetup, build_crisis, setup_for
from wargame.errors import WargameError
from wargame.inputs import INPUTS, InputValues
from wargame.output_registry import names, outputs
from wargame.reform.stage import negotiate, run_columns
from wargame.regimes import REGIMES
from wargame.roster import raised_spending_roster

#: Model-level series collected each day (DataCollector model reporters = attributes)
#: and state-level ones (rows of the state ledger, after the day and the iso3 code):
#: declared in wargame.output_registry.
STEP_SERIES = names("day")
STATE_SERIES = tuple(o.name for o in outputs("day_state") if not o.index)


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

#: Progress of the front (share of territory) below which a day counts as no progress.
NO_PROGRESS = 0.002


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
    run's totals and outcome beside the state's own values. A run that batch_run stops
    early (`max_steps` below `max_days`) has no per-state rows; days stepped after the
    end (a benchmark of the whole window, the browser's Step button) record none.
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
    """An armed attack on `target` and the assistance it receives (docs/MODEL.md)."""

    def __init__(self, *, collect_series: bool = True, keep_log: bool = True,
                 rng: int | None = None, **inputs: Any) -> None:
        """Every input of `wargame.inputs.INPUTS` is a keyword with its default.

        The signature Mesa and `inspect` see lists them all (set below the class), so
        `mesa.batch_run`, SolaraViz and EMA Workbench can pass any of them.
        `keep_log=False` leaves the event log (`log`) empty: a sweep worker, which never
        writes it, skips building a few hundred sentences a run. Nothing else changes.
        """
        if rng is not None and (not isinstance(rng, numbers.Integral) or rng < 0):
            raise WargameError(f"CrisisModel: rng = {rng!r} is not allowed; "
                               "expected a non-negative integer seed or None")
        super().__init__(rng=None if rng is None else int(rng))
        self.keep_log = keep_log
        #: Arrivals still to land, by day: what lands at the end of that day, in the order
        #: it was sent (`schedule_arrival`).
        self._due: dict[int, list[Callable[[], None]]] = {}
        # Everything that depends only on the inputs comes from the per-process cache
        # (wargame.crisis_setup): built once per input set, immutable, shared by its runs.
        run = setup_for(inputs)
        #: The inputs as given: what the run records.
        self.inputs = run.inputs
        self.seed = rng
        today = run.today
        #: Two-stage run (governance "reform"): the negotiation first; its outcome sets the
        #: crisis stage's governance, US commitment, non-EU bonds and EU spending.
        self.reform = negotiate(run.inputs.as_dict(), self.seed) if run.crisis is None else None
        #: Each non-EU state's bond under an EU-led NATO (iso3 -> share), if the reform set it.
        self.bonds: dict[str, float] = {}
        crisis = run.crisis
        if self.reform is not None:
            link = self.reform.overrides
            values = {**run.inputs.as_dict(), **link.inputs}
            self.bonds = link.bonds
            roster = today
            if link.spending_factor:
                roster = raised_spending_roster(
                    link.spending_factor, values["rise_to_personnel"],
                    values["base_deployable_share"], values["fiscal_debt_reference_pct"])
            crisis = build_crisis(run.inputs, InputValues(values), roster,
                                  run.median_spend_per_troop, self.bonds)
        self.reform_outputs = run_columns(self.reform, today)
        #: The inputs the crisis stage runs with: as given, but for a reform run's
        #: governance and US commitment (the negotiation's outcome).
        self.stage_inputs = crisis.stage_inputs
        self._setup = crisis
        p = self.stage_inputs
        self.governance = p.governance
        self.max_days = p.max_days
        self.eu_financing = p.eu_financing
        self.roster = crisis.roster
        self.victim = crisis.victim
        self.victim_troops = float(self.victim.active_troops)
        self.victim_reserve = float(p.victim_reserve_troops)
        self.mobilisation_per_day = self.victim_reserve / p.mobilisation_days
        self.victim_quality = crisis.victim_quality
        self.forward_troops = float(p.forward_presence)
        self.forward_quality = crisis.forward_quality
        self.integration = crisis.integration
        self.us_channel = crisis.us_channel
        #: Share of full US support that reaches the theatre: troops, enablers, credibility.
        self.us_reach = crisis.us_reach
        self.us_promised = crisis.us_promised
        self.us = USForces(self, self.us_promised, crisis.us_quality)
        self.enabler_gain = crisis.enabler_gain
        #: Days from Art. 42.7's invocation until the RRF is in place (None: it does not go).
        self.rrf_days = crisis.rrf_days
        self.rrf_promised = crisis.rrf_promised
        #: The adversary credits a promised RRF as far as a command can lead it.
        self.rrf_credibility = self.integration

        self.adversary = Adversary(self, crisis.attacker, crisis.attacker_troops,
                                   p.adversary_quality, Rung[p.start_rung])
        #: The front moves in kilometres: the share of territory a day of advance takes
        #: shrinks with the square root of the target's area (Estonia = 1, the RAND case).
        self.front_scale = crisis.front_scale
        #: The day the attack is recognised as armed aggression and the clauses invoked.
        self.attribution_day = (self.random.randint(1, p.attribution_days)
                                if self.adversary.rung == Rung.HYBRID else 0)
        self.invoked = self.attribution_day == 0
        self._build_states(crisis)
        self.states = self.agents_by_type[StateAgent]
        self.state_list: list[StateAgent] = list(self.states)
        self.pool_capability = crisis.pool_capability
        self._shuffle_plan = _shuffle_plan(len(self.state_list))
        self._plain_random = type(self.random) is random.Random
        self._capability_at = [self.pool_capability, 0.0, 0.0, 0.0]
        self._count_at = [len(self.state_list), 0, 0, 0]

        # Dynamic state of the crisis.
        self.day = 0
        self.threat_level = 0.0
        self.eu_fund_remaining_bn = float(p.eu_fund_bn)
        self.rrf_troops = 0.0
        self.territory_lost = 0.0
        self.defender_losses = 0.0
        self.adversary_losses = 0.0
        self._days_without_progress = 0
        self.outcome: str | None = None
        self.day_first_assistance: int | None = None
        self.day_first_forces: int | None = None
        self.day_defeat: int | None = None
        self.peak_pledged = 0
        self.peak_deployed = 0
        self.deployed_on_day_60: float | None = None
        self.log: list[LogEntry] = []
        self._note(p.target, f"{self.victim.name} is attacked "
                             f"({RUNG_WORDS[self.adversary.rung]})")
        if self.invoked:
            self._invoke()
        self._update_defence()
        self._update_threat()

        self.collect_series = collect_series
        if collect_series:
            # Model-level series through Mesa's DataCollector; the per-state series go to
            # a plain ledger of rows, a C-level attribute read per state and day, because
            # the DataCollector's agent reporters cost more than the whole model step.
            # `outcome` (None until the end) makes the run's outcome a batch_run column.
            self.datacollector = EndOfCrisisCollector(
                model_reporters={**{name: name for name in STEP_SERIES}, "outcome": "outcome"},
                agenttype_reporters={StateAgent: STATE_REPORTERS})
            self.state_ledger: list[tuple] = []
            self._read_state = operator.attrgetter("iso3", *STATE_SERIES)
            self._collect()

    def _build_states(self, crisis: CrisisSetup) -> None:
        """One agent per coalition candidate, with its situation and draws in this crisis.

        Each state draws its mandate delay, then its three tiers' arrival days (readiness
        plus transit, shortened by command integration), then its resolve (`StateAgent`).
        """
        rand = self.random.random
        mandate_low, mandate_width = crisis.mandate_window
        (low1, width1), (low2, width2), (low3, width3) = crisis.tier_windows
        delay_factor = crisis.delay_factor
        for state in crisis.states:
            mandate = max(1, round(state.mean_mandate_days
                                   * (mandate_low + mandate_width * rand())))
            transit = state.transit_days
            # Three tiers written out: a generator here cost more than the draws.
            arrival = (max(1, round((low1 + width1 * rand() + transit) * delay_factor)),
                       max(1, round((low2 + width2 * rand() + transit) * delay_factor)),
                       max(1, round((low3 + width3 * rand() + transit) * delay_factor)))
            StateAgent(self, state, mandate_days=mandate, arrival_days=arrival)

    # --- what agents ask of the model ------------------------------------------------
    def peer_share(self, level: int) -> float:
        """Capability-weighted share of the coalition pool at or above `level`."""
        return self._capability_at[level] / self.pool_capability

    def reimbursement_rate(self, state: StateAgent) -> float:
        """Share of `state`'s deployment costs it can expect the EU fund to pay.

        The promised share, unless what is left in the fund cannot cover it over the
        state's cost horizon; never more generous with less financing (monotone in it).
        """
        if not state.reimbursable or state.horizon_cost_bn <= 0.0:
            return 0.0
        return min(self.eu_financing, self.eu_fund_remaining_bn / state.horizon_cost_bn)

    def pay(self, state: StateAgent, amount_bn: float, *, refundable: bool = True) -> None:
        """Book a cost to `state`; the EU fund reimburses deployment costs while it lasts.

        Money-and-materiel packages are national (refundable=False): the fund pays the
        common costs of military assistance, as the European Peace Facility does.
        """
        state.cost_bn += amount_bn
        if refundable and state.reimbursable and self.eu_fund_remaining_bn > 0.0:
            refund = min(self.eu_financing * amount_bn, self.eu_fund_remaining_bn)
            state.reimbursed_bn += refund
            self.eu_fund_remaining_bn -= refund

    def level_changed(self, state: StateAgent, old: Commitment, new: Commitment) -> None:
        """Keep the tallies current so that later deciders see this move today."""
        capability = state.profile.capability_index
        if new > old:
            self._capability_at[new] += capability
            self._count_at[new] += 1
        else:
            self._capability_at[old] -= capability
            self._count_at[old] -= 1
        if new >= Commitment.FINANCIAL and self.day_first_assistance is None:
            self.day_first_assistance = self.day
        if self.keep_log:
            self._note(state.iso3, f"{state.profile.name} {_move_in_words(old, new, state)}")

    def package_changed(self, state: StateAgent, words: str) -> None:
        """Log a change of `state`'s force package (agents call it only if `keep_log`)."""
        self._note(state.iso3, f"{state.profile.name} {words}")

    def forces_arrived(self, state: StateAgent, troops: int) -> None:
        self._first_forces()
        if self.keep_log:
            self._note(state.iso3, f"{troops:,} troops from {state.profile.name} arrive")

    def escalated(self, rung: Rung) -> None:
        self._note(self.adversary.iso3, f"the adversary escalates to {RUNG_WORDS[rung]}")

    # --- the day ----------------------------------------------------------------------
    def step(self) -> None:
        self.day = self.steps
        if not self.invoked and (self.day >= self.attribution_day
                                 or self.adversary.rung >= Rung.INCURSION):
            self._invoke()
        # What `self.states.shuffle_do("step")` does (the same shuffle of the same list with
        # the same Random), without its per-agent membership test and getattr: no state is
        # ever removed, and this loop is most of a run.
        order = self.state_list.copy()
        if self._plain_random:
            # `random.Random.shuffle` inlined: the same getrandbits draws (rejection
            # sampling of each index below i + 1 with i + 1's bit length) and swaps, in
            # the same order, without a method call per index.
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
        self._fight()
        self._update_defence()
        self._apply_outcome_rule()
        if self.day == 60:
            self.deployed_on_day_60 = float(self.deployed_troops)
        if self.collect_series:
            self._collect()
        for land in self._due.pop(self.steps, ()):
            land()

    def schedule_arrival(self, land: Callable[[], None], delay: int) -> None:
        """Call `land` at the end of the day `delay` days from today, after the day's step.

        What Mesa's `schedule_event(land, after=delay)` did here, without an event object
        and a heap entry per force tier: the day's step runs first (Mesa gives it the high
        priority), then the day's arrivals in the order they were sent. A plain queue per
        day keeps that order and costs a list append.
        """
        due = self._due.get(self.steps + delay)
        if due is None:
            self._due[self.steps + delay] = [land]
        else:
            due.append(land)

    def _invoke(self) -> None:
        """The attack is recognised: the clauses are invoked and the US dispatches its tiers.

        US forces stationed in Europe (most in Germany) move like a European state's:
        the first tier within `us_deployment_days`, the others within the NATO Force
        Model's windows, plus transit from Germany.
        """
        self.invoked = True
        self._note(self.victim.iso3, self._invocation_text(self.governance))
        transit, rand = self._setup.us_transit_days, self.random.random
        self.us.dispatch(tuple(max(1, round(low + width * rand() + transit))
                               for low, width in self._setup.us_windows))
        if self.rrf_promised:
            self.schedule_arrival(self._rrf_arrive, self.rrf_days)

    def _mobilise(self) -> None:
        """Once the attack is recognised, the victim's reservists join day by day."""
        if self.invoked and self.victim_reserve > 0:
            joining = min(self.victim_reserve, self.mobilisation_per_day)
            self.victim_reserve -= joining
            self.victim_troops += joining

    def us_arrived(self, troops: int) -> None:
        if self.keep_log:
            self._note("USA", f"{troops:,} US troops arrive")

    @property
    def us_troops(self) -> float:
        return self.us.troops

    def _collect(self) -> None:
        """Record today's model series and one row (day, iso3, STATE_SERIES...) per state."""
        self.datacollector.collect(self)
        day, read = self.day, self._read_state
        self.state_ledger.extend((day, *read(state)) for state in self.state_list)

    def _pay_deployments(self) -> None:
        for state in self.state_list:
            if state.pledged_troops:
                self.pay(state, state.pledged_troops * state.troop_day_cost_bn)

    def _update_defence(self) -> None:
        """Totals, interoperability and the defence the adversary faces and perceives.

        Defence is counted in quality-weighted troops; allied contingents lose
        effectiveness when many small national ones fight without an integrated command,
        and US enablers raise the effectiveness of every European force.
        """
        pledged = 0
        deployed = squares = allied_power = promised_power = 0.0
        for state in self.state_list:
            if state.pledged_troops:
                pledged += state.pledged_troops
                deployed += state.deployed_troops
                squares += state.deployed_troops * state.deployed_troops
                allied_power += state.quality * state.deployed_troops
                promised_power += state.quality * (state.pledged_troops - state.deployed_troops)
        concentration = squares / (deployed * deployed) if deployed else 1.0
        penalty = self.inputs.interoperability_penalty
        self.interoperability = 1.0 - penalty * (1.0 - self.integration) * (1.0 - concentration)
        self.pledged_troops = pledged
        self.deployed_troops = round(deployed)
        self.peak_pledged = max(self.peak_pledged, pledged)
        self.peak_deployed = max(self.peak_deployed, self.deployed_troops)
        european = (self.victim_quality * self.victim_troops
                    + self.forward_quality * self.forward_troops
                    + self.interoperability * allied_power + self.rrf_troops)
        self.defence_effective = self.enabler_gain * european + self.us.quality * self.us.troops
        not_yet_arrived = (
            self.enabler_gain * self.interoperability * promised_power
            + self.us_reach * self.us.quality * (self.us_promised - self.us.troops)
            + self.rrf_credibility * (self.rrf_promised - self.rrf_troops)
        )
        credit = self.inputs.pledge_credit
        self.defence_perceived = self.defence_effective + credit * not_yet_arrived
        self.n_political = self._count_at[Commitment.POLITICAL]
        self.n_financial = self._count_at[Commitment.FINANCIAL]
        self.n_forces = self._count_at[Commitment.FORCES]

    def _update_threat(self) -> None:
        adversary = self.adversary
        self.escalation = adversary.rung.name
        self.threat_level = (adversary.rung + 1) / len(Rung)
        self.under_fire = adversary.rung >= Rung.INCURSION  # forward troops are attacked
        self.adversary_committed = adversary.committed_troops
        self.adversary_losses = round(adversary.losses)
        self.force_ratio = adversary.power / max(self.defence_effective, 1.0)

    def _fight(self) -> None:
        """A day of conventional combat: Lanchester square-law attrition and a moving front.

        Whoever holds the contested ground defends it with `defence_multiplier`: the
        victim at first, the attacker in the ground it has taken once it can advance no
        further (it digs in, and the fighting turns positional at a lower loss rate). At
        parity each side loses `daily_loss_rate` of its troops; the stronger side loses a
        smaller share. The front moves by `advance_rate` x ln(ratio), scaled to the
        country's size: forward when the attacker is stronger, back when it is weaker.
        """
        adversary = self.adversary
        if adversary.rung != Rung.CONVENTIONAL or adversary.withdrew or adversary.troops <= 0:
            return
        p = self.inputs
        attack, defence = adversary.power, max(self.defence_effective, 1.0)
        fog = math.exp(self.rng.normal(0.0, p.combat_noise))
        ratio = attack / (p.defence_multiplier * defence) * fog
        loss_rate = p.daily_loss_rate
        if ratio < 1.0 and self.territory_lost > 0.0:  # the attacker holds what it took
            ratio = p.defence_multiplier * attack / defence * fog
            ratio = min(ratio, 1.0)  # it does not advance from its positions
            loss_rate *= p.positional_loss_factor
        defender_share = min(0.5, loss_rate * ratio)
        attacker_share = min(0.5, loss_rate / ratio)
        adversary.lose(attacker_share * adversary.troops)
        lost = defender_share * (self.victim_troops + self.forward_troops + self.us_troops
                                 + self.rrf_troops + self.deployed_troops)
        self.victim_troops *= 1 - defender_share
        self.forward_troops *= 1 - defender_share
        self.us.troops *= 1 - defender_share
        self.rrf_troops *= 1 - defender_share
        for state in self.state_list:
            if state.deployed_troops:
                state.lose(defender_share)
        self.defender_losses += lost
        before = self.territory_lost
        advance = p.advance_rate * self.front_scale * math.log(ratio)
        self.territory_lost = min(1.0, max(0.0, before + advance))
        if abs(self.territory_lost - before) < NO_PROGRESS:
            self._days_without_progress += 1
        else:
            self._days_without_progress = 0
        self.adversary_committed = adversary.committed_troops
        self.adversary_losses = round(adversary.losses)
        self.force_ratio = attack / defence

    def _apply_outcome_rule(self) -> None:
        """deterred, defeated, occupied (frozen front with ground held) or stalemate."""
        adversary = self.adversary
        if self.territory_lost >= self.inputs.defeat_threshold:
            self.outcome, self.day_defeat = "defeated", self.day
            self._note(self.victim.iso3, f"{self.victim.name} is defeated")
        elif adversary.withdrew:
            self.territory_lost = 0.0
            self.outcome = "deterred"
            self._note(adversary.iso3, "the adversary, its losses too high, withdraws from "
                                       "the territory it held")
        elif adversary.stood_down:
            self.outcome = "deterred"
            self._note(adversary.iso3, "the adversary is deterred and stands down")
        elif (self.territory_lost > 0.0
              and self._days_without_progress >= self.inputs.halt_days):
            self.outcome = "occupied"
            self._note(adversary.iso3, f"the front freezes with {self.territory_lost:.0%} of "
                                       f"{self.victim.name} held")
        elif self.day >= self.max_days:
            self.outcome = "stalemate"
            self._note(self.victim.iso3, "the crisis window closes with fighting unresolved")
        if self.outcome is not None:
            self.running = False

    # --- queued arrivals -----------------------------------------------------------
    def _rrf_arrive(self) -> None:
        if not self.running:
            return
        self.rrf_troops = float(self.rrf_promised)
        self._first_forces()
        self._note("EU", f"the EU rapid-reaction force ({self.rrf_promised:,} troops) is in place")

    def _first_forces(self) -> None:
        if self.day_first_forces is None:
            self.day_first_forces = self.day

    # --- the event log ----------------------------------------------------------------
    def _note(self, iso3: str, text: str) -> None:
        if self.keep_log:
            self.log.append(LogEntry(self.day, iso3, text))

    def _invocation_text(self, governance: str) -> str:
        clauses = []
        if self.victim.eu_member:
            clauses.append("Art. 42.7 TEU")
        if self.victim.nato_member and REGIMES[governance].nato_treaty:
            clauses.append("Art. 5")
        invoked = " and ".join(clauses) if clauses else "no treaty clause (none applies)"
        return f"{self.victim.name} invokes {invoked}: the attack is recognised as armed aggression"

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
