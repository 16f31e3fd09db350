"""CrisisModel: one Art. 42.7 crisis, day by day, from first hybrid attack to its outcome.

Each day: the states decide in random order (later ones see earlier moves), deployment
costs are paid, the adversary weighs the defence it faces and may escalate or stand
down, the armies fight if it is conventional, and the outcome rule is applied.
Forces, the US reinforcement and the EU rapid-reaction force arrive as scheduled events.
"""

from __future__ import annotations

import inspect
import math
import numbers
from dataclasses import dataclass
from typing import Any

import mesa

from wargame.agents import Adversary, Commitment, Rung, StateAgent
from wargame.errors import WargameError
from wargame.governance import (
    rrf_can_deploy,
    theatre_integration,
    treaty_bond,
    us_channel,
    us_channel_share,
)
from wargame.inputs import DEFAULTS, INPUTS, InputValues, check_inputs
from wargame.output_registry import names, outputs
from wargame.roster import ADVERSARY, haversine_km, load_roster

OUTCOMES = ("deterred", "defeated", "stalemate")

#: Model-level series collected each day (DataCollector model reporters = attributes)
#: and state-level ones (agent reporters; day and state come from Mesa's index):
#: declared in wargame.output_registry.
STEP_SERIES = names("day")
STATE_SERIES = tuple(o.name for o in outputs("day_state") if not o.index)


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


@dataclass(frozen=True, slots=True)
class LogEntry:
    """One thing that happened, for the event log an analyst reads."""

    day: int
    iso3: str
    text: str


class CrisisModel(mesa.Model):
    """An armed attack on `target` and the assistance it receives (docs/MODEL.md)."""

    def __init__(self, *, collect_series: bool = True, rng: int | None = None,
                 **inputs: Any) -> None:
        """Every input of `wargame.inputs.INPUTS` is a keyword with its default.

        The signature Mesa and `inspect` see lists them all (set below the class), so
        `mesa.batch_run`, SolaraViz and EMA Workbench can pass any of them.
        """
        if rng is not None and (not isinstance(rng, numbers.Integral) or rng < 0):
            raise WargameError(f"CrisisModel: rng = {rng!r} is not allowed; "
                               "expected a non-negative integer seed or None")
        super().__init__(rng=None if rng is None else int(rng))
        values = {**DEFAULTS, **check_inputs(inputs, "CrisisModel")}
        self.inputs = InputValues(values)
        p = self.inputs
        self.seed = rng
        self.max_days = p.max_days
        self.eu_financing = p.eu_financing
        self.forward_presence = p.forward_presence
        roster = load_roster(base_deployable_share=p.base_deployable_share,
                             fiscal_debt_reference_pct=p.fiscal_debt_reference_pct)
        self.victim = roster[p.target]
        self.victim_troops = self.victim.active_troops
        self.integration = theatre_integration(self.victim, p)
        self.us_channel = us_channel(self.victim, p.governance)
        us_reach = p.us_commitment * us_channel_share(self.us_channel, p)
        self.us_promised = round(p.us_reinforcement_troops * us_reach)
        self.rrf_promised = p.rapid_reaction_force if rrf_can_deploy(self.victim, p) else 0

        self.adversary = Adversary(self, roster[ADVERSARY], p.aggression)
        # Europeans relax in proportion to the share of the threat the US is expected to
        # cover (Olson & Zeckhauser): 20,000 US troops matter against 34,000, not 450,000.
        us_cover = min(1.0, self.us_promised / max(self.adversary.operational_force, 1))
        delay_factor = 1.0 - p.integration_delay_cut * self.integration
        for profile in roster.coalition_candidates():
            if profile.iso3 == p.target:
                continue
            distance = haversine_km(profile.lat, profile.lon, self.victim.lat, self.victim.lon)
            border = 2.0 if profile.border_with_russia_or_belarus else 1.0
            StateAgent(
                self,
                profile,
                bound=treaty_bond(profile, self.victim, p.governance, p.non_eu_inclusion),
                may_send_forces=p.neutral_opt_in or not profile.neutral,
                exposure=p.threat_weight * border * math.exp(-distance / p.proximity_scale_km),
                deployment_days=max(
                    1,
                    round(
                        (p.base_deployment_days + distance / p.transit_km_per_day) * delay_factor
                    ),
                ),
                reimbursable=profile.eu_member and self.victim.eu_member,
                free_ride=p.free_ride_weight * us_cover,
            )
        self.states = self.agents_by_type[StateAgent]
        self.state_list: list[StateAgent] = list(self.states)
        self.pool_capability = sum(s.profile.capability_index for s in self.state_list)
        self._capability_at = [self.pool_capability, 0.0, 0.0, 0.0]
        self._count_at = [len(self.state_list), 0, 0, 0]

        # Dynamic state of the crisis.
        self.day = 0
        self.threat_level = 0.0
        self.eu_fund_remaining_bn = float(p.eu_fund_bn)
        self.us_troops = 0
        self.rrf_troops = 0
        self.territory_lost = 0.0
        self.outcome: str | None = None
        self.day_first_assistance: int | None = None
        self.day_first_forces: int | None = None
        self.day_defeat: int | None = None
        self.peak_pledged = 0
        self.peak_deployed = 0
        self.log: list[LogEntry] = []
        if self.us_promised:
            self.schedule_event(self._us_arrive, at=p.us_deployment_days)
        if self.rrf_promised:
            self.schedule_event(self._rrf_arrive, at=p.rrf_readiness_days)
        self._note(p.target, self._invocation_text(p.governance))
        self._update_defence()
        self._update_threat()

        self.collect_series = collect_series
        if collect_series:
            self.datacollector = mesa.DataCollector(
                model_reporters={name: name for name in STEP_SERIES},
                agenttype_reporters={StateAgent: {name: name for name in STATE_SERIES}},
            )
            self.datacollector.collect(self)

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
        self._note(state.iso3, f"{state.profile.name} {_move_in_words(old, new, state)}")

    def forces_arrived(self, state: StateAgent) -> None:
        self._first_forces()
        self._note(state.iso3, f"{state.deployed_troops:,} troops from {state.profile.name} arrive")

    def escalated(self, rung: Rung) -> None:
        self._note(ADVERSARY, f"the adversary escalates to {RUNG_WORDS[rung]}")

    # --- the day ----------------------------------------------------------------------
    def step(self) -> None:
        self.day = self.steps
        self.states.shuffle_do("step")
        self._pay_deployments()
        self._update_defence()
        self.adversary.step()
        self._update_threat()
        self._fight()
        self._apply_outcome_rule()
        if self.collect_series:
            self.datacollector.collect(self)

    def _pay_deployments(self) -> None:
        for state in self.state_list:
            if state.pledged_troops:
                self.pay(state, state.pledged_troops * state.troop_day_cost_bn)

    def _update_defence(self) -> None:
        """Totals, interoperability and the defence the adversary faces and perceives."""
        pledged = deployed = 0
        squares = 0.0
        for state in self.state_list:
            pledged += state.pledged_troops
            deployed += state.deployed_troops
            squares += state.deployed_troops * state.deployed_troops
        concentration = squares / (deployed * deployed) if deployed else 1.0
        penalty = self.inputs.interoperability_penalty
        self.interoperability = 1.0 - penalty * (1.0 - self.integration) * (1.0 - concentration)
        self.pledged_troops = pledged
        self.deployed_troops = deployed
        self.peak_pledged = max(self.peak_pledged, pledged)
        self.peak_deployed = max(self.peak_deployed, deployed)
        self.defence_effective = (
            self.victim_troops
            + self.forward_presence
            + self.interoperability * deployed
            + self.rrf_troops
            + self.us_troops
        )
        not_yet_arrived = (
            self.interoperability * (pledged - deployed)
            + (self.us_promised - self.us_troops)
            + (self.rrf_promised - self.rrf_troops)
        )
        credit = self.inputs.pledge_credit
        self.defence_perceived = self.defence_effective + credit * not_yet_arrived
        self.n_political = self._count_at[Commitment.POLITICAL]
        self.n_financial = self._count_at[Commitment.FINANCIAL]
        self.n_forces = self._count_at[Commitment.FORCES]

    def _update_threat(self) -> None:
        adversary = self.adversary
        self.escalation = int(adversary.rung)
        self.threat_level = (adversary.rung + 1) / len(Rung)
        self.adversary_committed = adversary.committed_troops
        self.force_ratio = adversary.committed_troops / max(self.defence_effective, 1.0)

    def _fight(self) -> None:
        """At CONVENTIONAL, territory falls at a rate growing with the attacker's superiority."""
        if self.adversary.rung == Rung.CONVENTIONAL and self.force_ratio > 1.0:
            self.territory_lost = min(
                1.0, self.territory_lost + self.inputs.advance_rate * math.log(self.force_ratio)
            )

    def _apply_outcome_rule(self) -> None:
        if self.territory_lost >= self.inputs.defeat_threshold:
            self.outcome, self.day_defeat = "defeated", self.day
            self._note(self.victim.iso3, f"{self.victim.name} is defeated")
        elif self.adversary.stood_down:
            self.outcome = "deterred"
            self._note(ADVERSARY, "the adversary is deterred and stands down")
        elif self.day >= self.max_days:
            self.outcome = "stalemate"
            self._note(self.victim.iso3, "the crisis window closes in stalemate")
        if self.outcome is not None:
            self.running = False

    # --- scheduled arrivals -----------------------------------------------------------
    def _us_arrive(self) -> None:
        if not self.running:  # the crisis ended on this day: nobody arrives after it
            return
        self.us_troops = self.us_promised
        self._note("USA", f"{self.us_troops:,} US troops arrive")

    def _rrf_arrive(self) -> None:
        if not self.running:
            return
        self.rrf_troops = self.rrf_promised
        self._first_forces()
        self._note("EU", f"the EU rapid-reaction force ({self.rrf_troops:,} troops) is in place")

    def _first_forces(self) -> None:
        if self.day_first_forces is None:
            self.day_first_forces = self.day

    # --- the event log ----------------------------------------------------------------
    def _note(self, iso3: str, text: str) -> None:
        self.log.append(LogEntry(self.day, iso3, text))

    def _invocation_text(self, governance: str) -> str:
        clauses = []
        if self.victim.eu_member:
            clauses.append("Art. 42.7 TEU")
        if self.victim.nato_member and governance != "art427_only":
            clauses.append("Art. 5")
        invoked = " and ".join(clauses) if clauses else "no treaty clause (none applies)"
        return f"{self.victim.name} is attacked (hybrid) and invokes {invoked}"

    def run(self) -> CrisisModel:
        """Run to the outcome (at most `max_days` days) and return the model."""
        while self.running:
            self.step()
        return self


def _signature() -> inspect.Signature:
    """CrisisModel's keywords as Mesa and `inspect` see them: every input, with its default."""
    keywords = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=i.default,
                          annotation=i.kind.__name__)
        for name, i in INPUTS.items()
    ]
    keywords += [
        inspect.Parameter("collect_series", inspect.Parameter.KEYWORD_ONLY, default=True),
        inspect.Parameter("rng", inspect.Parameter.KEYWORD_ONLY, default=None),
    ]
    self = inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return inspect.Signature([self, *keywords], return_annotation=None)


CrisisModel.__init__.__signature__ = _signature()
