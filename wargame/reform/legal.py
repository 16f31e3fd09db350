"""The legal facts of the reform: each element's path and steps, each state's ratification
rule, and what each non-EU state asks (docs/REFORM.md §3.4-3.6).

Three sourced tables, one row each with its citation (docs/DATA.md):

- `reform_steps.csv`: every element of a package (the treaty change, a European SACEUR,
  the merged Secretary General and High Representative, the political declaration), the
  steps it takes, who decides each (NATO consensus, EU unanimity, EU qualified majority,
  national ratification) and their months. An element on the non-treaty path has no
  ratification step, so no parliament or referendum can block it.
- `ratification_rules.csv`: per state, the body that ratifies a treaty change (a
  parliament, the US Senate, a referendum, the executive), the majority it needs, whether
  the government's whip helps (a legislature) and the months ratification takes.
- `reform_asks.csv`: per non-EU ally (and Cyprus, and Switzerland), the decision rights it
  asks for, the fee gap that kept it out of EU defence funds, the states that object to its
  integration (the Türkiye-Greece-Cyprus linkage behind the Berlin Plus blockage) and the
  words of its two options.

Per-state behaviour comes from these rows; no code names a state.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from wargame.errors import WargameError
from wargame.tables import DATA_DIR, number, read_table

STEPS_FILE, RULES_FILE, ASKS_FILE = ("reform_steps.csv", "ratification_rules.csv",
                                     "reform_asks.csv")
#: The package's elements in reading order; each is a lever of the negotiation.
ELEMENTS = ("treaty_change", "european_saceur", "merged_sg", "declaration")
PATHS = ("treaty", "non_treaty")
#: Who decides a step: the allies by consensus, the EU members by unanimity or by
#: qualified majority (no single veto), or each state by its own ratification.
DECIDERS = ("nato_consensus", "eu_unanimity", "eu_qmv", "national_ratification")
BODIES = ("parliament", "senate", "referendum", "executive")


@dataclass(frozen=True, slots=True)
class Step:
    """One step of an element: who decides it and the months it takes."""

    element: str
    name: str
    path: str
    decided_by: str
    months: float


@dataclass(frozen=True, slots=True)
class RatificationRule:
    """How a state ratifies a treaty change."""

    iso3: str
    body: str
    majority: float  # share of votes required
    legislature: bool  # a government's whip adds to public support (not in a referendum)
    months: float


@dataclass(frozen=True, slots=True)
class Ask:
    """What a non-EU state (or a state in a linked dispute) asks of the package."""

    iso3: str
    voice_ask: float  # decision rights it needs to integrate, in [0, 1]
    fee_gap_bn: float  # EUR bn between the EU's price for access and its offer
    objectors: tuple[str, ...]  # states that block its integration unless the dispute is settled
    integrated: tuple[str, str]  # (code, words) of its integrated option
    associated: tuple[str, str]  # (code, words) of its associated option


def _choice(name: str, row: dict[str, str], column: str, allowed: tuple[str, ...]) -> str:
    value = row[column]
    if value not in allowed:
        raise WargameError(f"{DATA_DIR / name}: column {column}: {value!r} is not one of "
                           f"{', '.join(allowed)}")
    return value


@cache
def steps() -> tuple[Step, ...]:
    """Every step of every element, in table order."""
    rows = read_table(STEPS_FILE, ("element", "step", "path", "decided_by", "months",
                                   "source"))
    out = tuple(Step(_choice(STEPS_FILE, r, "element", ELEMENTS), r["step"],
                     _choice(STEPS_FILE, r, "path", PATHS),
                     _choice(STEPS_FILE, r, "decided_by", DECIDERS),
                     number(STEPS_FILE, r, "months", low=0.0, high=120.0) or 0.0)
                for r in rows)
    missing = [e for e in ELEMENTS if not any(s.element == e for s in out)]
    if missing:
        raise WargameError(f"{DATA_DIR / STEPS_FILE}: no step for element {missing[0]}")
    return out


def element_steps(element: str) -> tuple[Step, ...]:
    return tuple(s for s in steps() if s.element == element)


def path_of(element: str) -> str:
    """'treaty' if any step of the element is on the treaty path, else 'non_treaty'."""
    return "treaty" if any(s.path == "treaty" for s in element_steps(element)) else "non_treaty"


def needs_ratification(element: str) -> bool:
    return any(s.decided_by == "national_ratification" for s in element_steps(element))


def deciders(element: str) -> set[str]:
    """The kinds of decision the element needs (a veto in the negotiation comes from the
    consensus and unanimity among them)."""
    return {s.decided_by for s in element_steps(element)}


def months_to_force(element: str) -> float:
    """Months from the political agreement to the element in force, ratification aside
    (the steps follow one another)."""
    return sum(s.months for s in element_steps(element))


@cache
def ratification_rules() -> dict[str, RatificationRule]:
    rows = read_table(RULES_FILE, ("iso3", "body", "majority", "legislature", "months",
                                   "rule", "source", "checked"))
    return {r["iso3"]: RatificationRule(
        r["iso3"], _choice(RULES_FILE, r, "body", BODIES),
        number(RULES_FILE, r, "majority", low=0.5, high=1.0),
        _choice(RULES_FILE, r, "legislature", ("0", "1")) == "1",
        number(RULES_FILE, r, "months", low=0.0, high=120.0)) for r in rows}


def ratification_rule(iso3: str) -> RatificationRule:
    rule = ratification_rules().get(iso3)
    if rule is None:
        raise WargameError(f"{DATA_DIR / RULES_FILE}: no row for {iso3}, a state that must "
                           "ratify the treaty change")
    return rule


@cache
def asks() -> dict[str, Ask]:
    rows = read_table(ASKS_FILE, ("iso3", "voice_ask", "fee_gap_bn", "objectors",
                                  "integrated_code", "integrated_words", "associated_code",
                                  "associated_words", "ask", "source"))
    return {r["iso3"]: Ask(r["iso3"], number(ASKS_FILE, r, "voice_ask", low=0.0, high=1.0),
                           number(ASKS_FILE, r, "fee_gap_bn", low=0.0, high=1000.0),
                           tuple(r["objectors"].split()),
                           (r["integrated_code"], r["integrated_words"]),
                           (r["associated_code"], r["associated_words"])) for r in rows}


def disputes() -> list[frozenset[str]]:
    """The linked disputes: groups of states tied by objections (a state objects to another's
    integration), each settled or not as one (the Cyprus question is one dispute)."""
    groups: list[set[str]] = []
    for ask in asks().values():
        if not ask.objectors:
            continue
        members = {ask.iso3, *ask.objectors}
        joined = [g for g in groups if g & members]
        for g in joined:
            members |= g
            groups.remove(g)
        groups.append(members)
    return sorted((frozenset(g) for g in groups), key=sorted)
