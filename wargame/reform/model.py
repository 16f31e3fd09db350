"""ReformModel: the allies negotiate NATO under EU leadership, one round a month, by unanimity.

Each round the EU (proposer) offers side payments to holdouts, then every ally, in random
order, says yes or no (later ones see earlier answers). The package is adopted in the
first round in which all 32 allies say yes; otherwise the run ends blocked at the deadline
with the holdouts named. Switzerland, without a veto, and the non-EU allies choose their
status (docs/REFORM.md).
"""

from __future__ import annotations

import inspect
import numbers
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import mesa
import numpy as np

from wargame.attitudes import Survey, load_attitudes
from wargame.errors import WargameError
from wargame.reform.agents import TERMS, AllyAgent, Answer, PartnerAgent, Proposer
from wargame.reform.attitudes import Opinion, opinion_for
from wargame.reform.inputs import (
    REFORM_DEFAULTS,
    REFORM_INPUTS,
    ReformInputs,
    check_reform_inputs,
)
from wargame.roster import StateProfile, load_roster

#: The partner without a veto whose status choice still matters.
PARTNER = "CHE"

#: Per ally and round, what rounds.parquet records (agent attributes, after the round).
ROUND_RECORD = ("iso3", "eu_member", "accepts", *TERMS, "utility", "payment_round_bn",
                "received_bn")


@dataclass(frozen=True, slots=True)
class Event:
    """Something that happened in the negotiation, for a reader of the run: the EU's words,
    or an ally's answer with the numbers it was decided on (in words when read)."""

    round: int
    iso3: str
    note: str | Answer

    @property
    def text(self) -> str:
        return self.note if isinstance(self.note, str) else self.note.words()


class ReformModel(mesa.Model):
    """The Art. 12 negotiation of one package (docs/REFORM.md)."""

    def __init__(self, *, rng: int | None = None,
                 attitudes: Mapping[str, Survey] | None = None, record_rounds: bool = True,
                 **inputs: Any) -> None:
        """Every input of `REFORM_INPUTS` is a keyword with its default.

        `attitudes` replaces the shipped opinion table (tests make one ally's public
        decisive this way); a state missing from it has no survey figure at all.
        `record_rounds=False` skips the per-round, per-ally records (sweeps need only
        the outcome).
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

        def opinion(profile: StateProfile) -> Opinion:
            return opinion_for(profile, surveys, p)

        members = [s for s in roster.states.values() if s.nato_member]
        eu_allies_gdp = sum(s.gdp_eur_bn for s in members if s.eu_member)
        #: Share of the yearly gap left by the US that the budget rise closes, in [0, 1].
        self.capability_gap_closed = min(
            1.0, p.eu_budget_increase / 100.0 * eu_allies_gdp / p.capability_gap_bn)
        #: What the budget rise adds to the EU allies' defence spending, EUR bn a year.
        self.budget_rise_bn = p.eu_budget_increase / 100.0 * eu_allies_gdp
        # Influence a non-EU ally has to lose grows with its military weight: half for
        # the smallest, all of it for the largest European non-EU ally (the UK) and the US.
        outside = [s for s in members if not s.eu_member and s.iso3 != "USA"]
        top_spend = max(s.defence_exp_usd_bn for s in outside)
        members.sort(key=lambda s: s.iso3)
        for index, profile in enumerate(members):
            clout = 1.0 if profile.iso3 == "USA" else (
                0.5 + 0.5 * profile.defence_exp_usd_bn / top_spend)
            AllyAgent(self, profile, opinion(profile), clout, index)
        self.allies = self.agents_by_type[AllyAgent]
        self.ally_list: list[AllyAgent] = sorted(self.allies, key=lambda a: a.index)
        #: This round's random moods, one standard logistic draw per ally (its logit noise).
        self.shocks = np.empty(0)
        self.partner = PartnerAgent(self, roster[PARTNER], opinion(roster[PARTNER]))
        self.proposer = Proposer(self, p.side_payments_bn)

        self.round = 0
        self.n_yes = 0
        self.adopted = False
        self.adopted_round: int | None = None
        self.log: list[Event] = []
        self._note("EU", f"the EU tables the package: inclusiveness {p.inclusiveness:g}, "
                         f"budget +{p.eu_budget_increase:g} points of GDP by "
                         f"{p.target_year}, US funding cut {p.us_funding_cut:.0%}, "
                         f"EUR {p.side_payments_bn:g} bn for holdouts")
        # A plain list of tuples rather than Mesa's DataCollector: collecting 13 attributes
        # of 32 agents through it took two thirds of a negotiation's time (bench_reform.py).
        self.record_rounds = record_rounds
        self.records: list[tuple] = []

    # --- what agents ask of the model ------------------------------------------------
    def share_saying_yes(self, *, excluding: AllyAgent) -> float:
        """Share of the other allies whose current answer is yes (live within a round)."""
        others_yes = self.n_yes - (1 if excluding.accepts else 0)
        return others_yes / (len(self.ally_list) - 1)

    def position_changed(self, ally: AllyAgent) -> None:
        self.n_yes += 1 if ally.accepts else -1
        self._note_answer(ally)

    def paid(self, ally: AllyAgent, amount_bn: float) -> None:
        self._note("EU", f"the EU offers {ally.profile.name} EUR {amount_bn:.2f} bn")

    # --- the round --------------------------------------------------------------------
    def step(self) -> None:
        self.round = self.steps
        self.shocks = self.rng.logistic(size=len(self.ally_list))
        self.proposer.step()
        self.allies.shuffle_do("step")
        if self.round == 1:  # a first no is an answer too, though the position is unchanged
            for ally in self.ally_list:
                if not ally.accepts:
                    self._note_answer(ally)
        if self.record_rounds:
            self.records += [(self.round, *(getattr(a, name) for name in ROUND_RECORD))
                             for a in self.ally_list]
        if self.n_yes == len(self.ally_list):
            self.adopted, self.adopted_round = True, self.round
            self._note("EU", f"all {self.n_yes} allies sign: the reform is adopted")
        elif self.round >= self.inputs.deadline_rounds:
            self._note("EU", f"deadline: blocked by {', '.join(self.holdouts())}")
        if self.adopted or self.round >= self.inputs.deadline_rounds:
            self.running = False

    def run(self) -> ReformModel:
        """Negotiate to adoption or the deadline and return the model."""
        while self.running:
            self.step()
        return self

    def holdouts(self) -> list[str]:
        """iso3 codes of the allies saying no now, in alphabetical order."""
        return [a.iso3 for a in self.ally_list if not a.accepts]

    def _note_answer(self, ally: AllyAgent) -> None:
        self.log.append(Event(self.round, ally.iso3, ally.answer()))

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
