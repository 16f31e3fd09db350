"""Defence ties between states: the sourced table `defence_ties.csv`, read once.

A tie is a treaty, doctrine, declaration, joint force or stationing arrangement between
two states (the data pack's `defence_ties.csv`; every row cites its source). The crisis
model reads three things from it (docs/MODEL.md §3.4):

- *mutual-assistance clauses* (France-Greece 2021, Greece-Cyprus 1993, Aachen, Quirinal,
  Nancy, Kensington; the UK's 2022 political declarations with Sweden and Finland at half
  strength, as declarations, not treaties): an obligation of their own, beside Art. 5 and
  Art. 42.7, in both directions;
- *stationing*: a state with troops in the target (an eFP framework nation or
  contributor, a stationed brigade, a treaty contingent) is engaged from the first day of
  an armed attack: its own soldiers are being shot at;
- *joint forces* (JEF, the Franco-German Brigade, Benelux, the Baltic battalions) and
  *consultation* formats (NORDEFCO, Visegrád, Weimar, guarantee treaties): weaker ties.

No code names a state: who is tied to whom comes only from the table.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from wargame.tables import read_table

FILE = "defence_ties.csv"
#: The table's obligation vocabulary (its SOURCES.md conventions).
OBLIGATIONS = ("mutual_assistance_clause", "framework_nation", "host_nation", "joint_force",
               "consultation")
#: Kinds of tie that are political declarations rather than treaties: half the strength
#: of a treaty's clause (assumption, docs/MODEL.md §3.4).
DECLARATION_KINDS = ("political_declaration",)
#: Kinds whose rows put the first state's troops in the second (a contributor of an eFP
#: battlegroup is listed as a joint force of the host).
PRESENCE_KINDS = ("NATO_eFP",)


@dataclass(frozen=True, slots=True)
class Tie:
    """One row of the table: `a_iso3` and `b_iso3` as the table orders them."""

    a_iso3: str
    b_iso3: str
    tie: str
    kind: str
    year: int | None
    obligation: str
    source: str

    @property
    def puts_troops_in_b(self) -> bool:
        """Whether the first state has troops stationed in the second."""
        return (self.obligation in ("framework_nation", "host_nation")
                or self.kind in PRESENCE_KINDS)

    @property
    def clause_strength(self) -> float:
        """1 for a mutual-assistance clause of a treaty or doctrine, 0.5 for a political
        declaration, 0 for any other tie."""
        if self.obligation != "mutual_assistance_clause":
            return 0.0
        return 0.5 if self.kind in DECLARATION_KINDS else 1.0


@cache
def load_ties() -> tuple[Tie, ...]:
    """Every tie of the table, validated (codes, obligation vocabulary), in table order."""
    from wargame.errors import WargameError

    ties = []
    for row in read_table(FILE, ("a_iso3", "b_iso3", "tie", "kind", "year", "obligation",
                                 "source"), text_column="tie"):
        if row["obligation"] not in OBLIGATIONS:
            raise WargameError(f"{FILE}: tie {row['a_iso3']}-{row['b_iso3']}: obligation "
                               f"{row['obligation']!r} is not one of {', '.join(OBLIGATIONS)}")
        year = row["year"]
        ties.append(Tie(row["a_iso3"], row["b_iso3"], row["tie"], row["kind"],
                        int(year) if year.isdigit() else None, row["obligation"],
                        row["source"]))
    return tuple(ties)


def ties_between(helper: str, target: str) -> list[Tie]:
    """The ties that bind `helper` towards `target`: clauses, joint forces and
    consultation in either direction; stationing only where `helper` has troops in
    `target`."""
    found = []
    for tie in load_ties():
        if tie.puts_troops_in_b:
            if (tie.a_iso3, tie.b_iso3) == (helper, target):
                found.append(tie)
        elif {tie.a_iso3, tie.b_iso3} == {helper, target}:
            found.append(tie)
    return found


@dataclass(frozen=True, slots=True)
class TieProfile:
    """What the ties of one helper to one target add up to (docs/MODEL.md §3.4)."""

    clause: float  # strongest mutual-assistance clause: 1 treaty, 0.5 declaration, 0 none
    stationed: bool  # the helper has troops in the target
    joint_force: bool  # a joint force or minilateral format with the target
    consultation: bool  # a consultation format or guarantee treaty with the target


def tie_profile(helper: str, target: str) -> TieProfile:
    ties = ties_between(helper, target)
    return TieProfile(
        clause=max((t.clause_strength for t in ties), default=0.0),
        stationed=any(t.puts_troops_in_b for t in ties),
        joint_force=any(t.obligation == "joint_force" and not t.puts_troops_in_b for t in ties),
        consultation=any(t.obligation == "consultation" for t in ties),
    )


def stationed_in(target: str) -> tuple[str, ...]:
    """States with troops in `target` by the table (framework, contributors, brigades),
    in table order without repeats."""
    seen: dict[str, None] = {}
    for tie in load_ties():
        if tie.puts_troops_in_b and tie.b_iso3 == target:
            seen.setdefault(tie.a_iso3, None)
    return tuple(seen)


def garrison_nations(target: str) -> tuple[str, ...]:
    """States with a standing garrison in `target` under a stationing agreement (the
    table's `host_nation` rows: Germany's brigade in Lithuania, Greece's ELDYK in Cyprus),
    as distinct from a rotational battlegroup's contributors."""
    return tuple(dict.fromkeys(tie.a_iso3 for tie in load_ties()
                               if tie.obligation == "host_nation" and tie.b_iso3 == target))

