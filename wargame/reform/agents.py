"""Agents of the reform game: the allies who hold a veto, Switzerland, and the EU proposing.

Each round an ally weighs the package (docs/REFORM.md §3.3) and says yes or no by a logit
choice; the EU first offers side payments to the holdouts it can convert most cheaply.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import mesa
import numpy as np

from wargame.reform.attitudes import Opinion
from wargame.reform.inputs import ReformInputs
from wargame.reform.status import StatusChoice, choose_status
from wargame.roster import StateProfile

#: The package's utility terms, in the order rounds.parquet lists them.
TERMS = ("security", "influence", "fiscal", "money", "opinion", "commitment", "bandwagon")


@dataclass(frozen=True, slots=True)
class Answer:
    """An ally's answer in one round and the numbers it was decided on (§3.3).

    Kept as numbers and put in words only when read: a sweep never reads its runs' logs.
    """

    name: str
    accepts: bool
    utility: float
    mood: float
    terms: tuple[float, ...]  # in the order of TERMS
    received_bn: float
    red_line: str | None

    def words(self) -> str:
        verb = "says yes" if self.accepts else "says no"
        return f"{self.name} {verb} (utility {self.utility:+.2f}): {self.reason()}"

    def reason(self) -> str:
        """Why: a red line; the side payments, when the answer would be no without them;
        the mood, when it overrides the utility; else the largest gain and cost."""
        if self.red_line is not None:
            return f"red line: {self.red_line}"
        terms = dict(zip(TERMS, self.terms, strict=True))
        best, worst = max(TERMS, key=terms.__getitem__), min(TERMS, key=terms.__getitem__)
        money = terms["money"]
        if self.accepts and money > 0 and self.utility - money + self.mood <= 0.0:
            return (f"side payments of EUR {self.received_bn:.2f} bn ({money:+.2f}) tip "
                    f"the balance against {worst} {terms[worst]:+.2f}")
        if (self.utility > 0.0) != self.accepts:
            return f"its mood ({self.mood:+.2f}) outweighs the utility"

        def term(name: str) -> str:
            return f"{'side payments' if name == 'money' else name} {terms[name]:+.2f}"

        gain = f"largest gain {term(best)}" if terms[best] > 0 else "no gain"
        cost = f"largest cost {term(worst)}" if terms[worst] < 0 else "no cost"
        return f"{gain}, {cost}" if self.accepts else f"{cost}, {gain}"


class Negotiation(Protocol):
    """What the agents read from and tell the negotiation (`ReformModel` is one), so that
    this module need not import the model that imports it."""

    inputs: ReformInputs
    round: int
    capability_gap_closed: float  # share of the US gap the budget rise closes
    shocks: np.ndarray  # this round's moods, one per ally, by its index
    ally_list: list[AllyAgent]

    def share_saying_yes(self, *, excluding: AllyAgent) -> float: ...

    def position_changed(self, ally: AllyAgent) -> None: ...

    def paid(self, ally: AllyAgent, amount_bn: float) -> None: ...


class AllyAgent(mesa.Agent):
    """One of the 32 allies: its signature is needed for the revised treaty (Art. 12)."""

    model: Negotiation

    def __init__(self, model: Negotiation, profile: StateProfile, opinion: Opinion,
                 clout: float, index: int) -> None:
        super().__init__(model)
        p = model.inputs
        self.index = index  # position in the table: which of the round's draws is its own
        self.profile = profile
        self.iso3 = profile.iso3
        self.eu_member = profile.eu_member
        self.public = opinion
        #: EUR bn of side payment worth one unit of utility to this government.
        self.unit_bn = p.payment_unit_share_gdp * profile.gdp_eur_bn
        self.accepts = False
        self.received_bn = 0.0
        self.payment_round_bn = 0.0
        self.utility = 0.0
        # The package's terms, fixed for the run (the package does not change).
        gap_closed = model.capability_gap_closed
        stake = p.frontline_stake if profile.border_with_russia_or_belarus else 1.0
        if self.iso3 == "USA":
            # Europe carrying its own defence relieves the US; the cut is its saving.
            self.security = p.security_weight * gap_closed
            self.fiscal = p.fiscal_weight * p.us_funding_cut
        else:
            # European capability bought against the US guarantee given up, valued at
            # the reliability this public sees in it.
            self.security = p.security_weight * stake * (
                gap_closed - p.us_funding_cut * opinion.us_reliability)
            self.fiscal = (-p.fiscal_weight * p.eu_budget_increase / profile.fiscal_space
                           if self.eu_member else 0.0)
        self.influence = (0.0 if self.eu_member
                          else -p.influence_weight * (1.0 - p.inclusiveness) * clout)
        self.opinion = p.opinion_weight * 2.0 * (opinion.reform_support - 0.5)
        self.money = self.commitment = self.bandwagon = 0.0
        self._commitment_weight = p.commitment_weight
        self._bandwagon_weight = p.bandwagon_weight
        self.red_line = self.red_line_reason()

    @property
    def package_value(self) -> float:
        """Utility of the package with the money already promised, before round dynamics."""
        return self.security + self.influence + self.fiscal + self.opinion + self.money

    def red_line_reason(self) -> str | None:
        """Why no utility can make this ally sign, or None (docs/REFORM.md §3.4)."""
        p = self.model.inputs
        if self.iso3 == "USA" and p.eu_budget_increase < p.us_demand:
            return (f"US demand of {p.us_demand:g} points of GDP above the "
                    f"{p.eu_budget_increase:g} offered")
        if self.public.reform_support < p.ratification_floor:
            return (f"public support {self.public.reform_support:.2f} below the "
                    f"ratification floor {p.ratification_floor:g}")
        return None

    def price_bn(self, target_utility: float) -> float:
        """Side payment that lifts the package's value for this ally to `target_utility`."""
        return max(0.0, target_utility - self.package_value) * self.unit_bn

    def receive(self, amount_bn: float) -> None:
        self.received_bn += amount_bn
        self.payment_round_bn += amount_bn
        self.money = self.received_bn / self.unit_bn if self.unit_bn > 0 else 0.0

    def step(self) -> None:
        """Say yes or no to the package this round (logit choice; red lines always say no).

        The random mood is this ally's entry of the round's draws (`model.shocks`), so runs
        that differ only in a lever share their random numbers ally by ally (paired
        comparisons), whatever the order of speaking.
        """
        model = self.model
        self.commitment = self._commitment_weight if self.accepts else 0.0
        self.bandwagon = self._bandwagon_weight * model.share_saying_yes(excluding=self)
        self.utility = self.package_value + self.commitment + self.bandwagon
        accepts = self.red_line is None and self.utility + model.shocks[self.index] > 0.0
        if accepts != self.accepts:
            self.accepts = accepts
            model.position_changed(self)

    def terms(self) -> dict[str, float]:
        return {"security": self.security, "influence": self.influence, "fiscal": self.fiscal,
                "money": self.money, "opinion": self.opinion,
                "commitment": self.commitment, "bandwagon": self.bandwagon}

    def answer(self) -> Answer:
        """This round's answer and what it was decided on (after `step`)."""
        return Answer(self.profile.name, self.accepts, self.utility,
                      float(self.model.shocks[self.index]),
                      (self.security, self.influence, self.fiscal, self.money, self.opinion,
                       self.commitment, self.bandwagon),
                      self.received_bn, self.red_line)

    def holdout_reason(self) -> str:
        """Why this ally still says no, in words for the summary."""
        if self.red_line is not None:
            return self.red_line
        terms = self.terms()
        worst = min(TERMS, key=terms.__getitem__)
        return (f"said no at utility {self.utility:+.2f} (its mood decided); largest cost: "
                f"{worst} {terms[worst]:+.2f}")

    def status(self) -> StatusChoice:
        p = self.model.inputs
        return choose_status(self.iso3, p.inclusiveness, self.public.reform_support,
                             p.integration_threshold)


class PartnerAgent(mesa.Agent):
    """Switzerland: outside NATO, no veto, but its choice shapes the crisis stage."""

    model: Negotiation

    def __init__(self, model: Negotiation, profile: StateProfile, opinion: Opinion) -> None:
        super().__init__(model)
        self.profile = profile
        self.iso3 = profile.iso3
        self.public = opinion

    def status(self) -> StatusChoice:
        p = self.model.inputs
        return choose_status(self.iso3, p.inclusiveness, self.public.reform_support,
                             p.integration_threshold)


class Proposer(mesa.Agent):
    """The EU: tables the package and spends its side-payment budget on holdouts.

    Rule (docs/REFORM.md §3.4): from round 2, before the allies decide, every ally that
    said no in the last round and that money can move is priced at what lifts its package
    value to `payment_target_utility`; the EU pays the cheapest first, in full, while the
    budget lasts. A promise stands once made. Round 1 shows who holds out: nobody is paid
    for a yes they would give anyway. The US is not paid: its price is the defence effort
    (`us_demand`), not money; an ally behind a red line is not either.
    """

    model: Negotiation

    def __init__(self, model: Negotiation, budget_bn: float) -> None:
        super().__init__(model)
        self.budget_bn = budget_bn
        self.spent_bn = 0.0

    def step(self) -> None:
        model = self.model
        target = model.inputs.payment_target_utility
        for ally in model.ally_list:
            ally.payment_round_bn = 0.0
        if model.round == 1 or self.spent_bn >= self.budget_bn:
            return
        offers = sorted(
            ((ally.price_bn(target), ally.iso3, ally) for ally in model.ally_list
             if not ally.accepts and ally.red_line is None and ally.iso3 != "USA"),
            key=lambda offer: offer[:2],
        )
        for price, _, ally in offers:
            if price < 1e-9:  # already valued at the target: nothing to buy
                continue
            if price > self.budget_bn - self.spent_bn + 1e-12:
                break  # sorted by price: nothing later fits either
            ally.receive(price)
            self.spent_bn += price
            model.paid(ally, price)

