"""Agents of the reform game: the veto players, the United States, Switzerland, the EU proposing.

Each round a veto player weighs the package (docs/REFORM.md §3.3) and says yes or no by a
logit choice; the EU first pays the non-EU states' fee gaps and then offers side payments
to the holdouts it can convert most cheaply. The veto players are every state whose
consent one of the package's steps needs: the 32 allies (North Atlantic Council consensus)
and, for the steps the EU decides by unanimity, the EU members outside NATO.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import mesa
import numpy as np

from wargame.reform.attitudes import Opinion
from wargame.reform.inputs import ReformInputs
from wargame.reform.status import StatusChoice, us_status
from wargame.roster import StateProfile

if TYPE_CHECKING:
    from wargame.reform.legal import Ask

#: The package's utility terms, in the order rounds.parquet lists them.
TERMS = ("security", "influence", "fiscal", "money", "opinion", "initiator", "neutrality",
         "linkage", "commitment", "bandwagon")
#: SIPRI's dollars to euros, as the roster converts GDP.
USD_PER_EUR = 1.0824


@dataclass(frozen=True, slots=True)
class Answer:
    """A veto player's answer in one round and the numbers it was decided on (§3.3).

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
    horizon_share: float  # share of the rise reached by the threat horizon
    us_cut: float  # the share of its European funding the US cuts (its reaction)
    lead_lost: float  # share of NATO's lead the package takes from the US
    treaty: bool  # the package has an element on the treaty path
    shocks: np.ndarray  # this round's moods, one per veto player, by its index
    ally_list: list[VetoPlayer]

    def share_saying_yes(self, *, excluding: VetoPlayer) -> float: ...

    def position_changed(self, player: VetoPlayer) -> None: ...

    def paid(self, player: VetoPlayer, amount_bn: float, why: str) -> None: ...


class VetoPlayer(mesa.Agent):
    """A state whose consent one of the package's steps needs (§1.2).

    `guarantee` is what the US guarantee is worth to it (wargame.reform.guarantee; 0 for
    a state outside NATO, which the guarantee does not cover); `status` its bargain if it
    is a non-EU state with something to ask (wargame.reform.status), else None.
    """

    model: Negotiation

    def __init__(self, model: Negotiation, profile: StateProfile, opinion: Opinion,
                 clout: float, index: int, *, guarantee: float, initiator: bool,
                 neutral: bool, status: StatusChoice | None, ask: Ask | None) -> None:
        super().__init__(model)
        p = model.inputs
        self.index = index  # position in the table: which of the round's draws is its own
        self.profile = profile
        self.iso3 = profile.iso3
        self.eu_member = profile.eu_member
        self.public = opinion
        self.guarantee = guarantee
        self.ask = ask
        self.status_choice = status
        #: EUR bn of side payment worth one unit of utility to this government.
        self.unit_bn = p.payment_unit_share_defence * profile.defence_exp_usd_bn / USD_PER_EUR
        self.accepts = False
        self.first_yes: bool | None = None
        self.ratifies: bool | None = None  # set if a treaty change goes to ratification
        self.ratify_chance: float | None = None
        self.received_bn = 0.0
        self.payment_round_bn = 0.0
        self.utility = 0.0
        self.money = self.commitment = self.bandwagon = 0.0
        self._set_terms(p, clout, initiator, neutral)
        self.red_line = self.red_line_reason()

    def _set_terms(self, p: ReformInputs, clout: float, initiator: bool,
                   neutral: bool) -> None:
        """The package's terms, fixed for the run (the package does not change)."""
        model = self.model
        frontline = self.profile.border_with_russia_or_belarus
        stake = p.frontline_stake if frontline else 1.0
        # A state bordering Russia counts the European capability built by its threat
        # horizon; the US cut is immediate and valued at what the guarantee is worth to it.
        built = model.capability_gap_closed * (model.horizon_share if frontline else 1.0)
        self.security = p.security_weight * stake * (
            p.european_substitution * built - model.us_cut * self.guarantee)
        nato_eu = self.eu_member and self.profile.nato_member
        self.fiscal = (-p.fiscal_weight * p.eu_budget_increase / self.profile.fiscal_space
                       if nato_eu else 0.0)
        self.influence = (0.0 if self.eu_member
                          else -p.influence_weight * (1.0 - p.inclusiveness) * clout)
        self.opinion = p.opinion_weight * 2.0 * (self.public.reform_support - 0.5)
        self.initiator = p.initiator_weight if initiator else 0.0
        self.neutrality = -p.neutrality_weight if (neutral and model.treaty) else 0.0
        vetoed = self.status_choice is not None and self.status_choice.vetoed_by_rivals
        self.linkage = -p.linkage_weight if vetoed else 0.0
        self._commitment_weight = p.commitment_weight
        self._bandwagon_weight = p.bandwagon_weight

    @property
    def package_value(self) -> float:
        """Utility of the package with the money already promised, before round dynamics."""
        return (self.security + self.influence + self.fiscal + self.opinion + self.money
                + self.initiator + self.neutrality + self.linkage)

    def red_line_reason(self) -> str | None:
        """Why no utility can make this state sign, or None (docs/REFORM.md §3.4): a
        public below the floor bars signing a treaty change (a declaration needs no
        ratification, so no floor applies to a package without one)."""
        p = self.model.inputs
        if self.model.treaty and self.public.reform_support < p.ratification_floor:
            return (f"public support {self.public.reform_support:.2f} below the "
                    f"ratification floor {p.ratification_floor:g}")
        return None

    @property
    def buyable(self) -> bool:
        """Whether money can move it (not behind a red line)."""
        return self.red_line is None

    def price_bn(self, target_utility: float) -> float:
        """Side payment that lifts the package's value for this state to `target_utility`."""
        return max(0.0, target_utility - self.package_value) * self.unit_bn

    def receive(self, amount_bn: float) -> None:
        self.received_bn += amount_bn
        self.payment_round_bn += amount_bn
        self.money = self.received_bn / self.unit_bn if self.unit_bn > 0 else 0.0

    def step(self) -> None:
        """Say yes or no to the package this round (logit choice; red lines always say no).

        The random mood is this player's entry of the round's draws (`model.shocks`), so
        runs that differ only in a lever share their random numbers player by player
        (paired comparisons), whatever the order of speaking.
        """
        model = self.model
        self.commitment = self._commitment_weight if self.accepts else 0.0
        self.bandwagon = self._bandwagon_weight * model.share_saying_yes(excluding=self)
        self.utility = self.package_value + self.commitment + self.bandwagon
        accepts = self.red_line is None and bool(self.utility + model.shocks[self.index] > 0.0)
        if self.first_yes is None:
            self.first_yes = accepts
        if accepts != self.accepts:
            self.accepts = accepts
            model.position_changed(self)

    def terms(self) -> dict[str, float]:
        return dict(zip(TERMS, self.term_values(), strict=True))

    def term_values(self) -> tuple[float, ...]:
        return (self.security, self.influence, self.fiscal, self.money, self.opinion,
                self.initiator, self.neutrality, self.linkage, self.commitment,
                self.bandwagon)

    def answer(self) -> Answer:
        """This round's answer and what it was decided on (after `step`)."""
        return Answer(self.profile.name, self.accepts, self.utility,
                      float(self.model.shocks[self.index]), self.term_values(),
                      self.received_bn, self.red_line)

    def holdout_reason(self) -> str:
        """Why this state still says no, in words for the summary."""
        if self.red_line is not None:
            return self.red_line
        terms = self.terms()
        worst = min(TERMS, key=terms.__getitem__)
        return (f"said no at utility {self.utility:+.2f} (its mood decided); largest cost: "
                f"{worst} {terms[worst]:+.2f}")

    def status(self) -> StatusChoice | None:
        return self.status_choice


#: The name the browser page (wargame.viz.negotiation) knows the veto players by.
AllyAgent = VetoPlayer


class UnitedStates(VetoPlayer):
    """The US: it values the guarantee it gives and the burden it carries (§3.3).

    It reacts to the package: it cuts its European funding in proportion to the share of
    the gap Europe's budget rise closes (`us_burden_shift`), up to the ceiling Europe asks
    (`us_cut_ceiling`); the cut is its gain (`us_burden_weight`), the lead it gives up its
    loss (`us_lead_weight` times the share of NATO's lead the package takes: all of it by
    treaty, `saceur_lead_share` with a European SACEUR). Its red line: the budget rise it
    demands (`us_demand`). Money does not buy it (§3.4).
    """

    def _set_terms(self, p: ReformInputs, clout: float, initiator: bool,
                   neutral: bool) -> None:
        super()._set_terms(p, clout, initiator, neutral)
        self.security = 0.0  # Europe's capability is its saving, counted once (fiscal)
        self.fiscal = p.us_burden_weight * self.model.us_cut
        self.influence = -p.us_lead_weight * self.model.lead_lost

    def red_line_reason(self) -> str | None:
        p = self.model.inputs
        if p.eu_budget_increase < p.us_demand:
            return (f"US demand of {p.us_demand:g} points of GDP above the "
                    f"{p.eu_budget_increase:g} offered")
        return super().red_line_reason()

    @property
    def buyable(self) -> bool:
        return False

    def status(self) -> StatusChoice:
        return us_status()


class PartnerAgent(mesa.Agent):
    """Switzerland: outside NATO and the EU, no veto, but its choice shapes the crisis."""

    model: Negotiation

    def __init__(self, model: Negotiation, profile: StateProfile, opinion: Opinion,
                 status: StatusChoice) -> None:
        super().__init__(model)
        self.profile = profile
        self.iso3 = profile.iso3
        self.public = opinion
        self.status_choice = status

    def status(self) -> StatusChoice:
        return self.status_choice


class Proposer(mesa.Agent):
    """The EU: tables the package and spends its side-payment budget to bring states in.

    Rule (docs/REFORM.md §3.4), as the seed means side payments: first, before round 1,
    it pays the fee gap of every non-EU state whose other asks the package meets (the
    UK's SAFE fee, for one), smallest first, while the budget lasts: integrating the
    non-EU allies is the money's first purpose. Then, from round 2, before the veto
    players decide, every holdout that money can move is priced at what lifts its package
    value to `payment_target_utility`; the EU pays the non-EU holdouts first, then the
    others, cheapest first within each, in full, while the budget lasts. A promise stands
    once made. The US is not paid: its price is the defence effort (`us_demand`).
    """

    model: Negotiation

    def __init__(self, model: Negotiation, budget_bn: float) -> None:
        super().__init__(model)
        self.budget_bn = budget_bn
        self.spent_bn = 0.0
        self.fees_bn = 0.0

    def left_bn(self) -> float:
        return self.budget_bn - self.spent_bn

    def pay_fees(self, gaps: dict[str, float]) -> set[str]:
        """Pay the fee gaps `gaps` (iso3 -> EUR bn), smallest first; the iso3 codes paid."""
        paid = set()
        for iso3, gap in sorted(gaps.items(), key=lambda kv: (kv[1], kv[0])):
            if gap > self.left_bn() + 1e-12:
                break
            self.spent_bn += gap
            self.fees_bn += gap
            paid.add(iso3)
        return paid

    def step(self) -> None:
        model = self.model
        target = model.inputs.payment_target_utility
        for player in model.ally_list:
            player.payment_round_bn = 0.0
        if model.round == 1 or self.left_bn() <= 0.0:
            return
        offers = sorted(
            ((player.eu_member, player.price_bn(target), player.iso3, player)
             for player in model.ally_list if not player.accepts and player.buyable),
            key=lambda offer: offer[:3],
        )
        for _, price, _, player in offers:
            if price < 1e-9:  # already valued at the target: nothing to buy
                continue
            if price > self.left_bn() + 1e-12:
                continue  # a cheaper holdout of the next group may still fit
            player.receive(price)
            self.spent_bn += price
            model.paid(player, price, "side payment")
