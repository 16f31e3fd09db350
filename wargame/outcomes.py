"""How a crisis, and a negotiation, can end, declared once: each outcome's name, label,
colour and order.

The model's outcome rule sets `CrisisModel.outcome` to one of `OUTCOMES`; everything that
shows or counts outcomes reads this table: the figures (phase diagram, response curves,
sensitivity, screening, comparison, time course, the reform figure), the browser page,
the EMA Workbench outcomes (one share per outcome), the exports and the tests. Adding an
outcome is one line in `OUTCOMES`; the model must then set it. A negotiation sweep's runs
end in one of `NEGOTIATION_OUTCOMES` (its run column "outcome"; `wargame.model_kinds`
gives each model kind its outcomes, which `wargame compare` counts).

Order: `OUTCOMES` is the reading order of legends, tables and panels, from the best end for
the attacked state to the worst. Colours: green for deterred, red for defeated (ColorBrewer
RdYlGn's ends, readable by most colour-blind readers next to each other), blue for an attack
repelled (it came, and was pushed out), orange for a frozen front with territory held
(between the two) and grey for stalemate, so a reader who learns them in one view reads them
the same in every other.

This module imports nothing: the command line and the figures read it without the model.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Outcome:
    """One way a crisis can end.

    `label` says what it means, as the end of "Probability ...": the axis of its share of
    runs. `cmap` is the matplotlib colour map of `colour`'s hue (heatmaps of shares).
    `headline` ranks the outcomes that figures with room for only a few show (1 first:
    response curves show every ranked one, sensitivity and screening the first); 0 = only
    where every outcome is shown. `wanted` says whether the attacked state wants the
    outcome more often ("more") or less often ("less"); "" for one that is neither (an
    unresolved window): the aims of an optimisation (the EMA model's outcome kinds).
    """

    name: str
    label: str
    colour: str
    cmap: str
    headline: int = 0
    wanted: str = ""

    @property
    def probability_label(self) -> str:
        """'Probability the attacked state is defeated'."""
        return f"Probability {self.label}"


OUTCOMES: tuple[Outcome, ...] = (
    Outcome("deterred", "the adversary is deterred", "#1a9850", "Greens", headline=2,
            wanted="more"),
    Outcome("repelled", "the attack is repelled", "#2c7bb6", "Blues", headline=3,
            wanted="more"),
    Outcome("occupied", "the front freezes with territory held", "#f46d43", "Oranges",
            wanted="less"),
    Outcome("defeated", "the attacked state is defeated", "#d73027", "Reds", headline=1,
            wanted="less"),
    Outcome("stalemate", "of fighting still unresolved at the window's end", "#525252",
            "Greys"),
)

#: How a negotiation of the Art. 12 reform ends (docs/REFORM.md §3.7): agreed and in
#: force; agreed but its treaty change failed in ratification (the elements without one
#: stand); blocked. Blue for adopted, light red for a failed ratification, red for blocked,
#: as the reform figures draw them.
NEGOTIATION_OUTCOMES: tuple[Outcome, ...] = (
    Outcome("adopted", "the reform is adopted", "#2166ac", "Blues"),
    Outcome("ratification_failed", "the reform's ratification fails", "#f4a582", "Oranges"),
    Outcome("blocked", "the reform is blocked", "#b2182b", "Reds"),
)

#: The outcome names, in order.
OUTCOME_NAMES: tuple[str, ...] = tuple(o.name for o in OUTCOMES)
#: The negotiation's outcome names, in order.
NEGOTIATION_OUTCOME_NAMES: tuple[str, ...] = tuple(o.name for o in NEGOTIATION_OUTCOMES)
#: Each outcome's colour and colour map, by name.
OUTCOME_COLOURS: dict[str, str] = {o.name: o.colour for o in OUTCOMES}
OUTCOME_CMAPS: dict[str, str] = {o.name: o.cmap for o in OUTCOMES}
#: The outcomes figures with room for few show, most important first.
HEADLINE_OUTCOMES: tuple[str, ...] = tuple(o.name for o in sorted(
    (o for o in OUTCOMES if o.headline), key=lambda o: o.headline))

for _declared in (OUTCOMES, NEGOTIATION_OUTCOMES):
    if len({o.name for o in _declared}) != len(_declared):
        raise ValueError(f"an outcome is declared twice: {[o.name for o in _declared]}")
