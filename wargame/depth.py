"""The attacked state's depth: how many troops it fights with once mobilised.

`force_depth.csv` (written for model version 3 from the data pack's `force_facts.csv` and
the sources its rows cite) gives a wartime strength, active and mobilised reservists and
territorial defence together, for the states the shipped scenarios attack, with a low and
a high figure where sources differ. A state without a row fights with its active
personnel only (the roster's IISS figure): no wartime figure was found for it, and the
model does not invent one (docs/MODEL.md §3.7).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from wargame.tables import number, read_table

FILE = "force_depth.csv"


@dataclass(frozen=True, slots=True)
class Depth:
    """A state's wartime strength (troops), with the range its sources span."""

    iso3: str
    wartime: int
    low: int
    high: int
    source: str


@cache
def depths() -> dict[str, Depth]:
    table = {}
    for row in read_table(FILE, ("iso3", "wartime_troops", "wartime_low", "wartime_high",
                                 "source")):
        values = [round(number(FILE, row, c, low=0) or 0)
                  for c in ("wartime_troops", "wartime_low", "wartime_high")]
        table[row["iso3"]] = Depth(row["iso3"], *values, row["source"])
    return table


def wartime_troops(iso3: str, active: int) -> int:
    """The state's wartime strength, never below its active force."""
    depth = depths().get(iso3)
    return max(active, depth.wartime) if depth else active
