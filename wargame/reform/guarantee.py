"""How much each European state values the US guarantee (docs/REFORM.md §3.2).

US reliability as a public sees it comes from a stable measure: the mean of its US
favourability over the Pew waves found (2019, 2023, 2024, 2025; `us_guarantee.csv`), so
one president's term moves it by one wave at most. Confidence in the current president
enters as one input with weight `president_weight` (at most a third). Where no wave was
found, the declared fallback `fallback_us_reliability_pct` is used.

The guarantee is worth more where US forces are stationed (the treaty-level fact of
`forward_presence.csv`: a host with US troops in the row of a framework or contributing
nation) and, in the negotiation, where the threat is closest (`frontline_stake`).
"""

from __future__ import annotations

from functools import cache
from statistics import median

from wargame.tables import number, read_table

GUARANTEE_FILE = "us_guarantee.csv"
WAVES = ("us_favourable_2019", "us_favourable_2023", "us_favourable_2024",
         "us_favourable_2025")
#: The state whose forces and funding the guarantee is (the reform's other party).
GUARANTOR = "USA"


@cache
def stable_reliability() -> dict[str, float]:
    """iso3 -> mean US favourability over the waves found, as a share (states with none
    are absent)."""
    rows = read_table(GUARANTEE_FILE, ("iso3", *WAVES, "ecfr_us_ally_2024", "source"))
    out = {}
    for row in rows:
        values = [v for w in WAVES
                  if (v := number(GUARANTEE_FILE, row, w, low=0.0, high=100.0)) is not None]
        if values:
            out[row["iso3"]] = sum(values) / len(values) / 100.0
    return out


def median_reliability_pct() -> float:
    """The median of the stable measure over the states with one (the fallback's default)."""
    return 100.0 * median(stable_reliability().values())


@cache
def hosts_us_forces() -> frozenset[str]:
    """States where forward_presence.csv records US troops (framework or contributor)."""
    rows = read_table("forward_presence.csv", ("host_iso3", "framework_iso3",
                                               "contributor_iso3"))
    return frozenset(r["host_iso3"] for r in rows
                     if GUARANTOR in (r["framework_iso3"], r["contributor_iso3"]))


def us_reliability(iso3: str, president_confidence: float, president_weight: float,
                   fallback: float) -> float:
    """Reliability of the US as `iso3`'s public sees it, in [0, 1]: the stable measure (or
    `fallback`) blended with confidence in the current president at `president_weight`."""
    stable = stable_reliability().get(iso3, fallback)
    return (1.0 - president_weight) * stable + president_weight * president_confidence


def guarantee_value(iso3: str, reliability: float, presence_weight: float) -> float:
    """The US guarantee as `iso3` values it: reliability, more where US forces stand."""
    return reliability * (1.0 + presence_weight * (iso3 in hosts_us_forces()))
