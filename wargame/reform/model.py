"""ReformModel: the veto players negotiate NATO under EU leadership, one round a month.

Each round the EU (proposer) offers side payments to holdouts, then every veto player, in
random order, says yes or no (later ones see earlier answers). The package is agreed in
the first round in which every veto player says yes; otherwise the run ends blocked at the
deadline with the holdouts named. An agreed package whose elements include a treaty change
then goes to national ratification (each state under its own rule); a package without one
is in force once its decisions are taken (docs/REFORM.md §3.6). Switzerland, without a
veto, and the non-EU allies take the place their bargain gives them (§3.5).
"""

from __future__ import annotations

import inspect
import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import mesa
import numpy as np

from wargame.attitudes import Survey, load_attitudes
from wargame.errors import WargameError
from wargame.reform import legal
from wargame.reform.agents import (
    TERMS,
    Answer,
    PartnerAgent,
    Proposer,
    UnitedStates,
    VetoPlayer,
)
from wargame.reform.attitudes import Opinion, opinion_for
from wargame.reform.guarantee import GUARANTOR, guarantee_value, us_reliability
from wargame.reform.inputs import (
    REFORM_DEFAULTS,
    REFORM_INPUTS,
    ReformInputs,
    check_reform_inputs,
)
from wargame.reform.status import StatusChoice, choose_status
from wargame.roster import StateProfile, load_roster

#: The partner without a veto whose status choice still matters.
PARTNER = "CHE"
#: The year the negotiation starts (round 1 is its first month): the model's present.
NEGOTIATION_START_YEAR = 2026

#: Per veto player and round, what rounds.parquet records (agent attributes, after the round).
ROUND_RECORD = ("iso3", "eu_member", "accepts", *TERMS, "utility", "payment_round_bn",
                "received_bn")


@dataclass(frozen=True, slots=True)
class Event:
    """Something that happened in the negotiation, for a reader of the run: the EU's words,
    or a veto player's answer with the numbers it was decided on (in words when read)."""

    round: int
    iso3: str
    note: str | Answer

    @property
    def text(self) -> str:
        return self.note if isinstance(self.note, str) else self.note.words()


def share_reached(from_year: float, by_year: float, target_year: int) -> float:
    """Share of a rise phased in linearly from `from_year` to `target_year` that is reached
    by `by_year`, in [0, 1]."""
    if by_year <= from_year:
        return 0.0
    return min(1.0, (by_year - from_year) / max(target_year - from_year, 1e-9))


class ReformModel(mesa.Model):
    """The negotiation of one package and its ratification (docs/REFORM.md)."""

    def __init__(self, *, rng: int | None = None,
                 attitudes: Mapping[str, Survey] | None = None, record_rounds: bool = True,
                 **inputs: Any) -> None:
        """Every input of `REFORM_INPUTS` is a keyword with its default.

        `attitudes` replaces the shipped opinion table (tests make one state's public
        decisive this way); a state missing from it has no survey figure at all.
        `record_rounds=False` skips the per-round records (sweeps need only the outcome).
        """
        if rng is not None and (not isinstance(rng, numbers.Integral) or rng < 0):
            raise WargameError(f"ReformModel: rng = {rng!r} is not allowed; "
                               "expected a non-negative integer seed or None")
        super().__init__(rng=None if rng is None else int(rng))
        self.inputs = ReformInputs({**REFORM_DEFAULTS, **check_reform_inputs(inputs,
                                                                              "ReformModel")})
        p = self.inputs
        roster = load_roster()
        surveys = load_attitudes() if attitudes is None else attitudes
        unknown = [c for c in p.initiators.split() if c not in roster.states]
        if unknown:
            raise WargameError(f"ReformModel: initiators = {p.initiators!r}: {unknown[0]} is "
                               "not a state of the roster")
        # Draws outside the rounds come from their own child streams, so that they do not
        # depend on how many rounds a package took (paired comparisons stay paired).
        linkage_rng, ratification_rng = (
            np.random.default_rng(s)
            for s in np.random.SeedSequence(None if rng is None else int(rng)).spawn(2))

        def opinion(profile: StateProfile) -> Opinion:
            return opinion_for(profile, surveys, p)

        # --- the package: its elements, their paths and who decides them --------------
        self.elements = tuple(e for e in legal.ELEMENTS
                              if e == "declaration" or getattr(p, e))
        self.treaty = any(legal.path_of(e) == "treaty" for e in self.elements)
        decisions = set().union(*(legal.deciders(e) for e in self.elements))
        members = [s for s in roster.states.values()
                   if (s.nato_member and "nato_consensus" in decisions)
                   or (s.eu_member and "eu_unanimity" in decisions)]
        eu_allies_gdp = sum(s.gdp_eur_bn for s in roster.states.values()
                            if s.nato_member and s.eu_member)
        #: Share of the yearly gap left by the US that the budget rise closes, in [0, 1].
        self.capability_gap_closed = min(
            1.0, p.eu_budget_increase / 100.0 * eu_allies_gdp / p.capability_gap_bn)
        #: What the budget rise adds to the EU allies' defence spending, EUR bn a year.
        self.budget_rise_bn = p.eu_budget_increase / 100.0 * eu_allies_gdp
        #: The US's reaction: the share of its European funding it cuts.
        self.us_cut = min(p.us_cut_ceiling, p.us_burden_shift * self.capability_gap_closed)
        #: Share of NATO's lead the package takes from the US.
        self.lead_lost = max(1.0 if p.treaty_change else 0.0,
                             p.saceur_lead_share if p.european_saceur else 0.0)
        #: Share of the rise reached by the threat horizon, agreed at the start.
        self.horizon_share = share_reached(NEGOTIATION_START_YEAR, p.threat_horizon_year,
                                           p.target_year)

        # --- the bargains of the non-EU states and the linked disputes -----------------
        self.proposer = Proposer(self, p.side_payments_bn)
        asks = legal.asks()
        self.settled = {dispute: bool(linkage_rng.random() < p.linkage_resolution)
                        for dispute in legal.disputes()}

        def settled(iso3: str) -> bool:
            return all(ok for dispute, ok in self.settled.items() if iso3 in dispute)

        present = {s.iso3 for s in members} | {PARTNER}
        gaps = {iso3: a.fee_gap_bn for iso3, a in asks.items()
                if iso3 in present and not roster[iso3].eu_member and a.fee_gap_bn > 0
                and p.inclusiveness >= a.voice_ask and (not a.objectors or settled(iso3))}
        self.fees_paid = self.proposer.pay_fees(gaps)
        statuses: dict[str, StatusChoice] = {
            iso3: choose_status(a, p.inclusiveness, iso3 in self.fees_paid, settled(iso3))
            for iso3, a in asks.items() if iso3 in present}

        # --- the veto players ----------------------------------------------------------
        outside = [s for s in members if not s.eu_member and s.iso3 != GUARANTOR]
        top_spend = max(s.defence_exp_usd_bn for s in outside)
        initiators = set(p.initiators.split())
        members.sort(key=lambda s: s.iso3)
        for index, profile in enumerate(members):
            public = opinion(profile)
            agent = UnitedStates if profile.iso3 == GUARANTOR else VetoPlayer
            reliability = us_reliability(profile.iso3, public.president_confidence,
                                         p.president_weight,
                                         p.fallback_us_reliability_pct / 100.0)
            worth = (guarantee_value(profile.iso3, reliability, p.us_presence_weight)
                     if profile.nato_member and profile.iso3 != GUARANTOR else 0.0)
            clout = (1.0 if profile.eu_member or profile.iso3 == GUARANTOR
                     else 0.5 + 0.5 * profile.defence_exp_usd_bn / top_spend)
            agent(self, profile, public, clout, index, guarantee=worth,
                  initiator=profile.iso3 in initiators, neutral=profile.neutral,
                  status=statuses.get(profile.iso3), ask=asks.get(profile.iso3))
        self.ally_list: list[VetoPlayer] = sorted(
            (a for a in self.agents if isinstance(a, VetoPlayer)), key=lambda a: a.index)
        self.allies = mesa.agent.AgentSet(self.ally_list, random=self.random)
        self._ratify_draws = ratification_rng.random(len(self.ally_list))
        #: This round's random moods, one standard logistic draw per player (logit noise).
        self.shocks = np.empty(0)
        self.partner = PartnerAgent(self, roster[PARTNER], opinion(roster[PARTNER]),
                                    statuses[PARTNER])

        self.round = 0
        self.n_yes = 0
        self.agreed = False
        self.adopted_round: int | None = None
        self.ratified: bool | None = None  # None: no treaty change to ratify
        self.ratification_blockers: list[str] = []
        self.ratification_months = 0.0
        self.log: list[Event] = []
        self._note("EU", self._tabled())
        for iso3 in sorted(self.fees_paid):
            self._note("EU", f"the EU pays {roster[iso3].name}'s fee gap of EUR "
                             f"{asks[iso3].fee_gap_bn:g} bn for access to its defence funds")
        # A plain list of tuples rather than Mesa's DataCollector: collecting the terms of
        # every player through it took two thirds of a negotiation's time (bench_reform.py).
        self.record_rounds = record_rounds
        self.records: list[tuple] = []

    def _tabled(self) -> str:
        p = self.inputs
        return (f"the EU tables the package ({', '.join(self.elements)}): inclusiveness "
                f"{p.inclusiveness:g}, budget +{p.eu_budget_increase:g} points of GDP by "
                f"{p.target_year}, the US cuts {self.us_cut:.0%} of its funding, EUR "
                f"{p.side_payments_bn:g} bn to bring states in; "
                f"{'treaty path: ratification follows' if self.treaty else 'no treaty change'}")

    @property
    def adopted(self) -> bool:
        """Agreed, and ratified where a treaty change needs it."""
        return self.agreed and self.ratified is not False

    @property
    def outcome(self) -> str:
        if not self.agreed:
            return "blocked"
        return "adopted" if self.adopted else "ratification_failed"

    # --- what agents ask of the model ------------------------------------------------
    def share_saying_yes(self, *, excluding: VetoPlayer) -> float:
        """Share of the other veto players whose current answer is yes (live in a round)."""
        others_yes = self.n_yes - (1 if excluding.accepts else 0)
        return others_yes / (len(self.ally_list) - 1)

    def position_changed(self, player: VetoPlayer) -> None:
        self.n_yes += 1 if player.accepts else -1
        self._note_answer(player)

    def paid(self, player: VetoPlayer, amount_bn: float, why: str) -> None:
        self._note("EU", f"the EU offers {player.profile.name} EUR {amount_bn:.2f} bn ({why})")

    # --- the round --------------------------------------------------------------------
    def step(self) -> None:
        self.round = self.steps
        self.shocks = self.rng.logistic(size=len(self.ally_list))
        self.proposer.step()
        self.allies.shuffle_do("step")
        if self.round == 1:  # a first no is an answer too, though the position is unchanged
            for player in self.ally_list:
                if not player.accepts:
                    self._note_answer(player)
        if self.record_rounds:
            self.records += [(self.round, *(getattr(a, name) for name in ROUND_RECORD))
                             for a in self.ally_list]
        if self.n_yes == len(self.ally_list):
            self.agreed, self.adopted_round = True, self.round
            self._note("EU", f"all {self.n_yes} veto players agree")
            if self.treaty:
                self._ratify()
        elif self.round >= self.inputs.deadline_rounds:
            self._note("EU", f"deadline: blocked by {', '.join(self.holdouts())}")
        if self.agreed or self.round >= self.inputs.deadline_rounds:
            self.running = False

    def _ratify(self) -> None:
        """Each veto player ratifies the treaty change under its own rule (§3.6).

        P(ratify) = logistic((support + whip - majority) / spread), with the whip
        `legislative_margin` in a legislature and none in a referendum; an executive
        ratification always passes. One pre-drawn uniform per player.
        """
        p = self.inputs
        for player in self.ally_list:
            rule = legal.ratification_rule(player.iso3)
            if rule.body == "executive":
                chance = 1.0
            else:
                votes = player.public.reform_support + p.legislative_margin * rule.legislature
                chance = 1.0 / (1.0 + math.exp(-(votes - rule.majority) / p.ratification_spread))
            player.ratify_chance = chance
            player.ratifies = bool(self._ratify_draws[player.index] < chance)
            self.ratification_months = max(self.ratification_months, rule.months)
        self.ratification_blockers = [a.iso3 for a in self.ally_list if not a.ratifies]
        self.ratified = not self.ratification_blockers
        self._note("EU", "ratified by every state: the treaty change enters into force"
                   if self.ratified else
                   f"ratification fails in {', '.join(self.ratification_blockers)}: the "
                   "treaty change lapses; the elements without one stand")

    def run(self) -> ReformModel:
        """Negotiate to agreement (and ratification) or the deadline; return the model."""
        while self.running:
            self.step()
        return self

    def holdouts(self) -> list[str]:
        """iso3 codes of the veto players saying no now, in alphabetical order."""
        return [a.iso3 for a in self.ally_list if not a.accepts]

    def agreement_year(self) -> float | None:
        return (None if self.adopted_round is None
                else NEGOTIATION_START_YEAR + self.adopted_round / 12.0)

    def in_force(self) -> dict[str, float]:
        """element -> year it enters into force, for the elements that do (§3.6)."""
        agreed = self.agreement_year()
        if agreed is None:
            return {}
        out = {}
        for element in self.elements:
            months = legal.months_to_force(element)
            if legal.needs_ratification(element):
                if not self.ratified:
                    continue
                months += self.ratification_months
            out[element] = agreed + months / 12.0
        return out

    def _note_answer(self, player: VetoPlayer) -> None:
        self.log.append(Event(self.round, player.iso3, player.answer()))

    def _note(self, iso3: str, text: str) -> None:
        self.log.append(Event(self.round, iso3, text))


def _signature() -> inspect.Signature:
    """ReformModel's keywords as Mesa's batch_run and `inspect` see them: every input."""
    keywords = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=i.default,
                                  annotation=i.kind.__name__)
                for name, i in REFORM_INPUTS.items()]
    keywords += [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default)
                 for name, default in (("rng", None), ("attitudes", None),
                                       ("record_rounds", True))]
    self = inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return inspect.Signature([self, *keywords], return_annotation=None)


ReformModel.__init__.__signature__ = _signature()
