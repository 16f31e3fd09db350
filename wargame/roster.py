"""The roster of states: the sourced data table, validated, plus every derived quantity.

The table (`wargame/data/states.csv`) is a copy of the project's sourced table; see
`docs/DATA.md` for the source of each column. This module is the one place where raw
figures become model quantities (capability index, deployable share, fiscal space,
distance between capitals), so that each derivation is written, tested and documented
once. The table is read once per process (`load_roster` is cached) and the derived figures
are cached per value of the inputs they depend on (`base_deployable_share`,
`fiscal_debt_reference_pct`), so a run that changes one of them gets its own roster.
"""

from __future__ import annotations

import csv
import math
import re
import statistics
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from types import MappingProxyType

from wargame.errors import WargameError
from wargame.inputs import DEFAULTS
from wargame.posture import neutral_policy
from wargame.tables import read_table as read_data_table

DATA_FILE = Path(__file__).parent / "data" / "states.csv"

#: US dollars per euro, ECB euro reference rate, 2024 annual average. Converts the
#: table's 2024 USD figures into the EUR the model reports costs in.
USD_PER_EUR = 1.0824

#: Rows that are in the table but never decide as coalition members, and why.
NOT_IN_COALITION = {
    "RUS": "the adversary",
    "USA": "represented by the us_commitment parameter, not as an agent",
    "UKR": "at war itself; kept in the table for reference only",
}
#: States that may help but cannot be the target: the front is scaled on the target's land
#: area from the European outlines (MODEL.md §3.9), which do not cover North America.
NOT_A_TARGET = {
    "CAN": "outside the European outlines the front is scaled on, MODEL.md §3.9",
}
ADVERSARY = "RUS"

EARTH_RADIUS_KM = 6371.0

REQUIRED_COLUMNS = {
    "iso3": "iso3",
    "name": "text",
    "eu_member": "flag",
    "nato_member": "flag",
    "art427_neutral_clause": "flag",
    "gdp_usd_bn": "positive",
    "defence_exp_usd_bn": "non-negative",
    "defence_exp_pct_gdp": "percent-or-empty",
    "active_personnel_k": "non-negative",
    "gov_debt_pct_gdp": "debt",
    "capital_lat": "latitude",
    "capital_lon": "longitude",
    "border_with_russia_or_belarus": "flag-or-empty",
    "capital": "text",
}


@dataclass(frozen=True, slots=True)
class StateProfile:
    """One state's static attributes: sourced figures and the quantities derived from them."""

    iso3: str
    name: str
    capital: str
    eu_member: bool
    nato_member: bool
    neutral: bool
    border_with_russia_or_belarus: bool
    gdp_usd_bn: float
    defence_exp_usd_bn: float
    active_personnel_k: float
    gov_debt_pct_gdp: float
    lat: float
    lon: float
    # derived (see derive_profiles)
    gdp_eur_bn: float
    capability_index: float
    deployable_share: float
    deployable_troops: int
    fiscal_space: float
    spend_per_troop_eur: float

    @property
    def active_troops(self) -> int:
        return round(self.active_personnel_k * 1000)


@dataclass(frozen=True)
class Roster:
    """All states of the table, by iso3, in table order.

    Read-only (frozen profiles in a read-only mapping): `load_roster` hands one roster to
    every run of a process, so no run may change what the next one starts from.
    """

    states: Mapping[str, StateProfile]
    path: Path

    def __post_init__(self) -> None:
        object.__setattr__(self, "states", MappingProxyType(dict(self.states)))

    def __reduce__(self) -> tuple:
        """Pickle as a plain dict (a read-only mapping cannot be): models and rosters still
        travel to worker processes."""
        return Roster, (dict(self.states), self.path)

    def __getitem__(self, iso3: str) -> StateProfile:
        return self.states[iso3]

    def __contains__(self, iso3: object) -> bool:
        return iso3 in self.states

    def coalition_candidates(self) -> list[StateProfile]:
        """States that may help a victim: everyone but the adversary, the US and Ukraine."""
        return [s for s in self.states.values() if s.iso3 not in NOT_IN_COALITION]

    def eu_members(self) -> list[str]:
        return [s.iso3 for s in self.states.values() if s.eu_member]


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two points on a spherical Earth, in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def fiscal_space(debt_pct_gdp: float, reference_pct: float) -> float:
    """Room to pay for assistance, in (0, 1]: 1 up to the reference debt, 0.5 at twice it."""
    return 1.0 / (1.0 + max(0.0, debt_pct_gdp - reference_pct) / reference_pct)


def deployable_share(spend_per_troop: float, median_spend_per_troop: float,
                     base_share: float) -> float:
    """Share of active troops deployable abroad: better-funded forces deploy more of theirs.

    `base_share` at the median spending per troop, scaled by the square root of the ratio
    and kept within half to double `base_share`.
    """
    if spend_per_troop <= 0 or median_spend_per_troop <= 0:
        return 0.0
    share = base_share * math.sqrt(spend_per_troop / median_spend_per_troop)
    return min(2.0 * base_share, max(0.5 * base_share, share))


def _parse(path: Path, row_no: int, iso3: str, column: str, raw: str, kind: str):
    def fail(problem: str) -> WargameError:
        return WargameError(f"{path}: row {row_no} ({iso3 or '?'}), column {column}: {problem}")

    raw = raw.strip()
    if kind == "text":
        if not raw:
            raise fail("empty, a name is required")
        return raw
    if kind == "iso3":
        if not re.fullmatch(r"[A-Z]{3}", raw):
            raise fail(f"{raw!r} is not an ISO 3166-1 alpha-3 code (three capital letters)")
        return raw
    if kind in ("flag", "flag-or-empty"):
        if raw == "" and kind == "flag-or-empty":
            return None
        if raw not in ("0", "1"):
            raise fail(f"{raw!r} is not a flag (0 or 1)")
        return raw == "1"
    if raw == "" and kind == "percent-or-empty":
        return None
    try:
        value = float(raw)
    except ValueError:
        raise fail(f"{raw!r} is not a number") from None
    if not math.isfinite(value):
        raise fail(f"{raw!r} is not a finite number")
    bounds = {
        "positive": (1e-9, math.inf),
        "non-negative": (0.0, math.inf),
        "percent-or-empty": (0.0, 100.0),
        "debt": (0.0, 400.0),
        "latitude": (-90.0, 90.0),
        "longitude": (-180.0, 180.0),
    }[kind]
    if not bounds[0] <= value <= bounds[1]:
        raise fail(f"{value:g} is outside [{bounds[0]:g}, {bounds[1]:g}]")
    return value


def read_table(path: Path) -> list[dict]:
    """Read and validate the raw table; one clear error naming file, row and column."""
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            missing = [c for c in REQUIRED_COLUMNS if c not in header]
            if missing:
                raise WargameError(f"{path}: missing required column(s): {', '.join(missing)}")
            rows = []
            seen: dict[str, int] = {}
            for row_no, raw in enumerate(reader, start=2):  # row 1 is the header
                iso3 = (raw.get("iso3") or "").strip()
                parsed = {
                    col: _parse(path, row_no, iso3, col, raw.get(col) or "", kind)
                    for col, kind in REQUIRED_COLUMNS.items()
                }
                if iso3 in seen:
                    raise WargameError(
                        f"{path}: row {row_no} ({iso3}), column iso3: duplicate of row {seen[iso3]}"
                    )
                seen[iso3] = row_no
                rows.append(parsed)
    except FileNotFoundError:
        raise WargameError(f"{path}: state table not found") from None
    except UnicodeDecodeError:
        raise WargameError(f"{path}: not a UTF-8 text file") from None
    except csv.Error as exc:
        raise WargameError(f"{path}: malformed CSV ({exc})") from None
    if ADVERSARY not in seen:
        raise WargameError(f"{path}: the adversary row {ADVERSARY} is missing")
    return rows


def derive_profiles(rows: list[dict], base_deployable_share: float,
                    fiscal_debt_reference_pct: float,
                    spending_factor: Mapping[str, float] | None = None,
                    personnel_share: float = 0.0) -> dict[str, StateProfile]:
    """Turn validated rows into profiles with the derived quantities (docs/MODEL.md, 'Details').

    `spending_factor` (iso3 -> multiplier f) raises states' defence spending, as the Art. 12
    reform's budget rise does (docs/MODEL.md §3.12): `personnel_share` of the extra money
    recruits troops at today's spending per troop (troops x 1 + share x (f - 1)), the rest
    raises spending per troop, and with it quality, deployable share and capability, against
    today's yardsticks (pool spending, troops and median spending per troop are the table's).
    """
    pool = [r for r in rows if r["iso3"] not in NOT_IN_COALITION]
    pool_spend = sum(r["defence_exp_usd_bn"] for r in pool)
    pool_troops = sum(r["active_personnel_k"] for r in pool)
    spend_per_troop = {
        r["iso3"]: (r["defence_exp_usd_bn"] * 1e9 / USD_PER_EUR) / (r["active_personnel_k"] * 1e3)
        if r["active_personnel_k"] > 0
        else 0.0
        for r in rows
    }
    median_spt = statistics.median(spend_per_troop[r["iso3"]] for r in pool
                                   if spend_per_troop[r["iso3"]] > 0)
    profiles = {}
    factors = spending_factor or {}
    for r in rows:
        iso3 = r["iso3"]
        factor = factors.get(iso3, 1.0)
        spending = r["defence_exp_usd_bn"] * factor
        recruited = 1.0 + personnel_share * (factor - 1.0)
        troops_k = r["active_personnel_k"] * recruited
        per_troop = spend_per_troop[iso3] * factor / recruited
        share = deployable_share(per_troop, median_spt, base_deployable_share)
        capability = 0.5 * (spending / pool_spend) + 0.5 * (troops_k / pool_troops)
        profiles[iso3] = StateProfile(
            iso3=iso3,
            name=r["name"],
            capital=r["capital"],
            eu_member=r["eu_member"],
            nato_member=r["nato_member"],
            neutral=r["art427_neutral_clause"] or neutral_policy(iso3),
            border_with_russia_or_belarus=bool(r["border_with_russia_or_belarus"]),
            gdp_usd_bn=r["gdp_usd_bn"],
            defence_exp_usd_bn=spending,
            active_personnel_k=troops_k,
            gov_debt_pct_gdp=r["gov_debt_pct_gdp"],
            lat=r["capital_lat"],
            lon=r["capital_lon"],
            gdp_eur_bn=r["gdp_usd_bn"] / USD_PER_EUR,
            capability_index=capability,
            deployable_share=share,
            deployable_troops=round(troops_k * 1000 * share),
            fiscal_space=fiscal_space(r["gov_debt_pct_gdp"], fiscal_debt_reference_pct),
            spend_per_troop_eur=per_troop,
        )
    return profiles


@cache
def _table(path: Path) -> tuple[dict, ...]:
    return tuple(read_table(path))


@lru_cache(maxsize=64)
def load_roster(path: Path = DATA_FILE, *, base_deployable_share: float | None = None,
                fiscal_debt_reference_pct: float | None = None) -> Roster:
    """The validated roster with its derived figures for the given inputs (defaults if None).

    The table is read once per process; the derivation is cached per input values, so no
    cache can hide a changed input.
    """
    if base_deployable_share is None:
        base_deployable_share = DEFAULTS["base_deployable_share"]
    if fiscal_debt_reference_pct is None:
        fiscal_debt_reference_pct = DEFAULTS["fiscal_debt_reference_pct"]
    path = Path(path)
    profiles = derive_profiles(list(_table(path)), base_deployable_share,
                               fiscal_debt_reference_pct)
    return Roster(states=profiles, path=path)


def raised_spending_roster(spending_factor: Mapping[str, float], personnel_share: float,
                           base_deployable_share: float,
                           fiscal_debt_reference_pct: float) -> Roster:
    """The roster with some states' defence spending multiplied (the reform's budget rise),
    `personnel_share` of the extra money spent on more troops (`derive_profiles`).

    Not cached: the factors differ from run to run (they depend on the round of adoption).
    """
    profiles = derive_profiles(list(_table(DATA_FILE)), base_deployable_share,
                               fiscal_debt_reference_pct, spending_factor, personnel_share)
    return Roster(states=profiles, path=DATA_FILE)


def coalition_iso3() -> list[str]:
    """iso3 codes of the states that may help, in table order."""
    return [s.iso3 for s in load_roster().coalition_candidates()]


def target_iso3() -> list[str]:
    """iso3 codes of the states that may be attacked, in table order: not those outside
    the map (`NOT_A_TARGET`), nor the landlocked ones, which neither adversary of this
    model can reach (`check_attack`)."""
    return [iso3 for iso3 in coalition_iso3()
            if iso3 not in NOT_A_TARGET and iso3 not in landlocked()]


def land_targets() -> list[str]:
    """iso3 codes of the targets on Russia's or Belarus's land border (states.csv), in
    table order: those the adversary with territory can attack over land."""
    return [s.iso3 for s in load_roster().coalition_candidates()
            if s.border_with_russia_or_belarus and s.iso3 in target_iso3()]


@cache
def landlocked() -> frozenset[str]:
    """iso3 codes of the roster's states without a coast (landlocked.csv, the project's
    coding from the CIA World Factbook's coastline field)."""
    return frozenset(r["iso3"] for r in read_data_table("landlocked.csv", ("iso3",)))


def check_attack(target: str, adversary: str, where: str) -> None:
    """The attacker reaches its target: Russia (with Belarus, adversaries.csv) over its
    own land border; an attacker from the sea lands on any coast (`target_iso3` leaves out
    the landlocked states, which therefore no adversary of this model can reach).

    The front is measured from the attacker's territory (or its landing on the coast) to
    the victim's capital and advances through the victim alone (MODEL.md §3.9), so a
    Russian attack on a state without that border (Ireland, Sweden, Romania) would march
    unopposed across other states' land, a run no reviewer would accept.
    """
    if adversary == ADVERSARY and target in target_iso3() and target not in land_targets():
        raise WargameError(
            f"{where}: target = {target!r} has no land border with Russia or Belarus "
            f"(states.csv), so adversary = {ADVERSARY!r} would march across other states to "
            "reach it; set adversary = 'expeditionary' for an attack from the sea, or a "
            f"target on that border: {', '.join(land_targets())}"
        )


def check_parties(parties: str, target: str, where: str) -> None:
    """The states named party to the conflict must be states that could otherwise help,
    space-separated: a code the roster does not know would leave the state it meant a
    helper, silently."""
    helpers = coalition_iso3()
    for code in parties.split():
        if code == target:
            raise WargameError(f"{where}: parties = {parties!r} names the target {target!r}, "
                               "which is attacked, not a party that cannot help it")
        if code not in helpers:
            raise WargameError(
                f"{where}: parties = {parties!r}: {code!r} is not the iso3 code of a state "
                f"that may help (states.csv); expected space-separated codes among "
                f"{', '.join(helpers)}")


def check_target(iso3: str, where: str) -> None:
    """The target must be a state of the roster that can be attacked and helped."""
    candidates = target_iso3()
    if iso3 not in candidates:
        reason = (NOT_IN_COALITION.get(iso3) or NOT_A_TARGET.get(iso3)
                  or ("landlocked (landlocked.csv): an attacker from the sea cannot land "
                      "there, and it has no land border with Russia or Belarus"
                      if iso3 in landlocked() else None))
        reason = f" ({reason})" if reason else ""
        raise WargameError(
            f"{where}: target = {iso3!r}{reason} is not allowed; expected one of "
            f"{', '.join(candidates)} (under adversary = {ADVERSARY!r}, one on its or "
            f"Belarus's border: {', '.join(land_targets())})"
        )
