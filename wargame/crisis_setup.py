"""What a crisis run sets up before its first draw, built once per process per input set.

A sweep runs the same inputs hundreds of times with different seeds; everything that
depends only on the inputs (the checked input record, the roster of the crisis year,
distances and routes, bonds and ties, each state's costs and utilities, the victim's
depth, the US and RRF figures) is the same in all of them. Here it is computed once
(`build_crisis`) and kept per input set (`setup_for`, at most `CACHE_SIZE` sets, least
recently used first out). What is kept is immutable (frozen records, tuples, the read-only
input record and roster), so no run can change what the next one starts from; what a run
draws (resolve, mandates, readiness, the adversary's determination) stays in the run.

A two-stage run (governance "reform") negotiates first and builds its crisis from the
outcome (`wargame.stage`); this module knows nothing of the negotiation.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from wargame.capability import capability
from wargame.depth import wartime_troops
from wargame.geography import (
    area_km2,
    coast_nearest,
    ground_profile,
    ground_profile_from_border,
    km_to,
    km_to_border,
    land_route_km,
    nearest_ground_off_the_border,
    outline_name,
)
from wargame.governance import (
    Bond,
    nato_command,
    rrf_arrival_day,
    theatre_integration,
    treaty_bond,
    us_channel,
    us_channel_share,
)
from wargame.inputs import DEFAULTS, InputValues
from wargame.opinion import willingness
from wargame.posture import (
    battlegroup_total,
    deploys_before_approval,
    mandates,
    presence_figures,
    troops_in,
)
from wargame.regimes import REGIMES
from wargame.roster import (
    ADVERSARY,
    USD_PER_EUR,
    Roster,
    StateProfile,
    check_attack,
    check_parties,
    haversine_km,
    load_roster,
    raised_spending_roster,
)
from wargame.scenario import check_inputs
from wargame.tables import read_table
from wargame.ties import TieProfile, garrison_nations, tie_profile

#: Input sets kept per process: a sweep's chunk holds a few design points; 64 covers the
#: points a worker meets in a row while bounding memory.
CACHE_SIZE = 64
#: Shares of a state's deployable force in each readiness tier: NATO's Force Model has
#: 100,000 troops within 10 days, 200,000 more within 30 and up to 500,000 within 180.
TIER_SHARES = (0.2, 0.4, 0.4)
#: Movement modes, in the order the model's corridors are served each day: air, road and
#: rail, sea, and the US's own strategic lift (its reinforcements from North America).
MODES = ("air", "land", "sea", "own")
#: US reinforcements from North America: sealift plus reception, staging and onward
#: movement. The rotational armoured brigade of 2017 needed 14 days from Bremerhaven to its
#: positions (Breaking Defense, Mar 2017; force_facts.csv); the Atlantic crossing's length
#: was not found (a gap) and is taken as another 14 days (assumption).
US_TRANSATLANTIC_DAYS = 28.0
#: Where the US forces stationed in Europe start from: most are in Germany (35,457 of over
#: 64,000 in January 2022; 48,000 of some 79,000 in July 2024: us_enablers.csv).
US_STAGING = "DEU"


def _upper_median(values: list[float]) -> float:
    """The median, the upper one of an even count: always a state's own figure."""
    return sorted(values)[len(values) // 2]


def median_spend_per_troop(roster: Roster) -> float:
    """The coalition pool's median spending per troop."""
    return _upper_median([s.spend_per_troop_eur for s in roster.coalition_candidates()
                          if s.spend_per_troop_eur > 0])


def median_defence_share(roster: Roster) -> float:
    """The coalition pool's median defence spending as a share of GDP (states with no
    defence budget left out): the yardstick that prices a week of any state's defence
    budget alike (docs/MODEL.md §3.4)."""
    return _upper_median([s.defence_exp_usd_bn / USD_PER_EUR / s.gdp_eur_bn
                          for s in roster.coalition_candidates() if s.defence_exp_usd_bn > 0])


def combat_quality(profile: StateProfile, median_spend: float, elasticity: float) -> float:
    """Combat quality of a state's troops: spending per troop against the pool median.

    (spend per troop / median) ** quality_elasticity, kept within [0.5, 2]: better
    equipped and trained troops fight better, with diminishing returns (assumption,
    docs/MODEL.md).
    """
    if profile.spend_per_troop_eur <= 0:
        return 0.5
    ratio = profile.spend_per_troop_eur / median_spend
    return min(2.0, max(0.5, ratio ** elasticity))


@cache
def adversary_territory(code: str) -> tuple[str, ...]:
    """The outline names the attacker starts from (adversaries.csv); () for one from the sea."""
    rows = {r["code"]: r for r in read_table("adversaries.csv", ("code", "territories"))}
    return tuple(t for t in rows[code]["territories"].split(";") if t)


@dataclass(frozen=True, slots=True)
class Theatre:
    """The geography of the attack: where the attacker starts, how far the capital is."""

    attacker_areas: tuple[str, ...]  # outline names of the attacker's territory
    landing: tuple[float, float] | None  # (lat, lon) for an attacker from the sea
    objective_km: float  # from the start line to the victim's capital
    ground: np.ndarray  # sorted km from the start line of points spread over the victim
    area_km2: float


def theatre(victim: StateProfile, adversary: str) -> Theatre:
    name = outline_name(victim.name)
    areas = adversary_territory(adversary)
    landing = None
    if not areas:
        landing = coast_nearest(name, victim.lat, victim.lon)
        objective = haversine_km(victim.lat, victim.lon, *landing)
        profile = ground_profile(name, areas, landing)
    elif nearest_ground_off_the_border(name, areas, victim.lat, victim.lon):
        # Its ground nearest the capital is across the sea (Kaliningrad from Oslo): the
        # attack starts from its ground on their land border (MODEL.md §3.9).
        objective = km_to_border(name, areas, victim.lat, victim.lon)
        profile = ground_profile_from_border(name, areas)
    else:
        objective = km_to(areas, victim.lat, victim.lon)
        profile = ground_profile(name, areas, landing)
    return Theatre(areas, landing, objective, profile, area_km2(victim.name))


@dataclass(frozen=True, slots=True)
class Route:
    """How one tier of a state's force reaches the theatre."""

    mode: str  # one of MODES
    days: float  # travel time, from the day it is ready to its arrival at the theatre


def routes(helper: StateProfile, victim: StateProfile, closed: frozenset[str],
           p: InputValues) -> tuple[Route, ...]:
    """The route of each readiness tier: the first, light echelon by air; the heavy tiers by
    road and rail where a land route exists and is faster than the sea, else by sea."""
    distance = haversine_km(helper.lat, helper.lon, victim.lat, victim.lon)
    land = land_route_km((outline_name(helper.name), helper.lat, helper.lon),
                         (outline_name(victim.name), victim.lat, victim.lon), closed)
    sea_days = 2 * p.port_days + distance * p.sea_route_factor / p.sealift_km_per_day
    surface = Route("sea", sea_days)
    if land is not None:
        land_days = p.base_deployment_days + land / p.transit_km_per_day
        if land_days <= sea_days:
            surface = Route("land", land_days)
    air = Route("air", 1.0)  # a day's flight and reception
    return (air, surface, surface)


@dataclass(frozen=True, slots=True)
class StateSetup:
    """One helping state's figures in this crisis that no draw changes."""

    profile: StateProfile
    bond: Bond
    engaged: bool  # it has troops in the target: they are attacked with the target's own
    #: Its government may reinforce its attacked soldiers before a mandate is granted.
    deploys_before_approval: bool
    stationed_troops: int  # its share of the forward presence, in the target from day 0
    #: It leads the forward presence in the target (the framework nation, or the garrison
    #: nation where no battlegroup is listed): it has its own plan to reinforce it.
    own_plan: bool
    clause: float  # its mutual-assistance clause with the target (0, 0.5, 1)
    #: How much of a full treaty's pull its bonds and ties with the target give it, in
    #: [0, 1]: the share of its resolve that counts towards war (docs/MODEL.md §3.4).
    stake: float
    tie_gain: float  # utility of its joint-force and consultation ties with the target
    mean_mandate_days: int
    troops_abroad: int
    exposure: float
    reimbursable: bool
    quality: float
    tier_troops: tuple[int, ...]
    routes: tuple[Route, ...]
    troop_day_cost_bn: float
    budget_bn: float
    aid_package_bn: float
    horizon_cost_bn: float
    aid_utility: float
    #: Utility cost of holding one troop over the cost horizon (before reimbursement).
    troop_utility: float
    unwilling: float  # the share of its public unwilling to defend an ally by force
    free_ride: float  # the pull of US cover on its costly steps
    readiness_factor: float  # readiness windows shrink with what the crisis year bought


@dataclass(frozen=True, slots=True)
class CrisisSetup:
    """The crisis stage's figures that depend only on its inputs, roster and bonds."""

    stage_inputs: InputValues
    roster: Roster
    victim: StateProfile
    victim_quality: float
    victim_active: int
    victim_reservists: int  # who report: turnout x (wartime strength - active)
    forward_unassigned: int  # forward presence no contributor of the table accounts for
    theatre: Theatre
    front_width_km: float
    contributors: tuple[str, ...]
    forward_quality: float
    integration: float
    #: How far Europe's pledged forces threaten a war the adversary cannot win: the
    #: coalition's command integration over NATO's, at most 1 (docs/MODEL.md §3.8).
    pledge_cohesion: float
    standing_plan: bool  # NATO's command and plans serve the theatre
    us_channel: str
    us_reach: float
    us_promised: int
    us_forward: int
    us_quality: float
    enablers: float  # US reach plus Europe's own enablers, at most 1
    enabler_gain: float
    airlift_capacity: float
    rrf_days: int | None
    rrf_promised: int
    #: How far the EU's force, once in the target, engages its members through their
    #: soldiers in it: its size over `rrf_tripwire_troops`, at most 1 (docs/MODEL.md §3.4).
    rrf_engagement: float
    attacker: StateProfile | None
    attacker_troops: int
    delay_factor: float
    mandate_window: tuple[float, float]
    tier_windows: tuple[tuple[float, float], ...]
    us_windows: tuple[tuple[float, float], ...]
    us_routes: tuple[Route, ...]
    states: tuple[StateSetup, ...]
    pool_capability: float
    eu_capability_share: float  # the EU members' share of the helpers' capability
    european_enablers: float


def _state(profile: StateProfile, victim: StateProfile, p: InputValues, stationed: int | None,
           own_plan: bool, regime_bond: Bond, free_ride: float, median_spend: float,
           median_defence: float,
           closed: frozenset[str], readiness_factor: float) -> StateSetup:
    """A helper's figures: its bond and ties, what it can send, how, and at what cost."""
    distance = haversine_km(profile.lat, profile.lon, victim.lat, victim.lon)
    frontline = p.adversary == ADVERSARY and bool(profile.border_with_russia_or_belarus)
    border = 2.0 if frontline else 1.0
    may_send = p.neutral_opt_in or not profile.neutral
    abroad = profile.deployable_troops * (p.frontline_share_abroad if frontline else 1.0)
    troops_abroad = round(abroad) if may_send else 0
    ties = tie_profile(profile.iso3, victim.iso3)
    tier_troops = tuple(round(share * troops_abroad) for share in TIER_SHARES)
    troop_day_cost_bn = profile.spend_per_troop_eur * p.deployment_cost_factor / 365.0 / 1e9
    defence_budget_bn = profile.defence_exp_usd_bn / USD_PER_EUR
    # A week of the defence budget, drawn from stocks and procurement: its size follows
    # the state's defence effort, its weight does not (§3.4).
    aid_package_bn = p.aid_share_defence * defence_budget_bn
    per_share = 1.0 / (p.cost_scale_share_gdp * profile.fiscal_space)
    horizon_per_troop = troop_day_cost_bn * p.deployment_horizon_days
    return StateSetup(
        profile=profile,
        bond=regime_bond,
        engaged=stationed is not None,
        deploys_before_approval=deploys_before_approval(profile.iso3),
        stationed_troops=stationed or 0,
        own_plan=own_plan,
        clause=ties.clause,
        stake=forces_stake(p, regime_bond, ties, stationed is not None),
        tie_gain=tie_utility(p, ties),
        mean_mandate_days={"executive": p.mandate_days_executive,
                           "partial": p.mandate_days_partial,
                           "parliament": p.mandate_days_parliament}[
            mandates().get(profile.iso3, "partial")],
        troops_abroad=troops_abroad,
        exposure=p.threat_weight * border * math.exp(-distance / p.proximity_scale_km),
        reimbursable=profile.eu_member and victim.eu_member,
        quality=combat_quality(profile, median_spend, p.quality_elasticity),
        tier_troops=tier_troops,
        routes=routes(profile, victim, closed, p),
        troop_day_cost_bn=troop_day_cost_bn,
        budget_bn=p.ops_budget_share * defence_budget_bn * profile.fiscal_space,
        aid_package_bn=aid_package_bn,
        horizon_cost_bn=tier_troops[0] * horizon_per_troop,
        aid_utility=p.aid_share_defence * median_defence * per_share,
        troop_utility=horizon_per_troop / profile.gdp_eur_bn * per_share,
        unwilling=1.0 - willingness(profile.iso3),
        free_ride=free_ride,
        readiness_factor=readiness_factor,
    )


def forces_stake(p: InputValues, bond: Bond, ties: TieProfile, stationed: bool) -> float:
    """How much of a full treaty's pull binds a helper to the target, at most 1: the
    utility its treaty bond, clause, joint-force and consultation ties and garrison add
    (§3.4's obligation, ties and tripwire) over a full treaty bond's (`obligation_weight`).

    The share of its resolve that counts towards sending forces. A state with no bond
    or tie (Albania or Norway when Cyprus is attacked) goes to war only for what the model
    sees (threat, need, peers), though it may still give money for reasons it does not
    see, as states bound to no one aided Ukraine; one with a consultation format only
    (the UK and Cyprus, 0.25 / 2) counts an eighth of its resolve; a treaty bond, a
    treaty clause or a garrison counts it all. Continuous in every bond, so no lever
    (`non_eu_inclusion`, a reform's bonds) jumps at 0 (docs/MODEL.md §3.4)."""
    pull = (p.obligation_weight * bond.any + p.clause_weight * ties.clause
            + tie_utility(p, ties) + (p.tripwire_weight if stationed else 0.0))
    return min(1.0, pull / p.obligation_weight)  # obligation_weight is at least 1


def tie_utility(p: InputValues, ties: TieProfile) -> float:
    """Utility of a helper's joint-force and consultation ties with the target (§3.4)."""
    return p.joint_force_weight * ties.joint_force + p.consultation_weight * ties.consultation


#: Weight of the framework nation in the split of a forward presence among its contributors
#: (assumption: an eFP battlegroup is built around the framework nation's battalion, the
#: contributors adding companies).
FRAMEWORK_WEIGHT = 3


def forward_shares(contributors: tuple[str, ...], roster: Roster, troops: int,
                   sourced: Mapping[str, int] | None = None) -> dict[str, int]:
    """iso3 -> its troops of the forward presence of `troops`.

    A contributor with a sourced figure (`sourced`, from forward_presence.csv) has it (all
    scaled down alike where they add up to more than `troops`: the lever sets the total);
    the rest is split among the others, the framework nation (listed first) three shares
    and every other contributor one (assumption, docs/MODEL.md §3.3). No contributor holds
    more than its deployable troops, and one without armed forces (Iceland's one
    representative) holds none, but is still engaged. The US's share is its own (the
    caller drops it: those troops are in `us_forward_troops`). What no contributor holds
    is the caller's: `forward_unassigned` fights as the framework's troops.
    """
    sourced = {iso3: n for iso3, n in (sourced or {}).items() if iso3 in contributors}
    shares = {iso3: min(n, roster[iso3].deployable_troops) for iso3, n in sourced.items()}
    held = sum(shares.values())
    if held > troops:  # a presence smaller than the sourced contingents (0: none)
        shares = {iso3: math.floor(n * troops / held) for iso3, n in shares.items()}
    rest = max(0, troops - held)
    weights = {iso3: (FRAMEWORK_WEIGHT if i == 0 else 1) if roster[iso3].active_troops else 0
               for i, iso3 in enumerate(contributors) if iso3 not in sourced}
    total = sum(weights.values())
    for iso3, weight in weights.items():
        share = rest * weight / total if total else 0
        shares[iso3] = min(round(share), roster[iso3].deployable_troops)
    return {iso3: shares[iso3] for iso3 in contributors}


def stationed_troops(target: str, contributors: tuple[str, ...], roster: Roster,
                     troops: int) -> dict[str, int]:
    """iso3 -> its troops of the forward presence of `troops` in `target`.

    Where the scenario's presence exceeds the target's battlegroup (forward_presence.csv's
    total) and a state keeps a garrison there under a stationing agreement
    (defence_ties.csv: Germany's brigade in Lithuania), the excess is that garrison's;
    the battlegroup is shared by `forward_shares`. Elsewhere all of it is shared.
    """
    garrisons = [iso3 for iso3 in garrison_nations(target) if iso3 in contributors]
    battlegroup = battlegroup_total(target)
    shared = min(troops, battlegroup) if garrisons and battlegroup else troops
    shares = forward_shares(contributors, roster, shared, presence_figures(target))
    excess = troops - shared
    for iso3 in garrisons:
        room = roster[iso3].deployable_troops - shares[iso3]
        shares[iso3] += max(0, min(round(excess / len(garrisons)), room))
    return shares


def _windows(windows: tuple[tuple[float, float], ...]) -> tuple[tuple[float, float], ...]:
    return tuple((low, high - low) for low, high in windows)


def crisis_roster(p: InputValues, extra_factor: Mapping[str, float] | None = None
                  ) -> tuple[Roster, dict[str, float], float]:
    """The roster of the crisis year: 2024's, with the spending the Hague path and SAFE
    have added by `crisis_year` (`wargame.capability`) and any `extra_factor` (a reform's
    budget rise) on top. Returns the roster, the per-state factors and Europe's enablers."""
    today = load_roster(base_deployable_share=p.base_deployable_share,
                        fiscal_debt_reference_pct=p.fiscal_debt_reference_pct)
    bought = capability(today, p.crisis_year, p.hague_path, p.safe_loans_bn,
                        p.enabler_spend_share, p.enabler_replacement_bn)
    factors = dict(bought.spending_factor)
    for iso3, factor in (extra_factor or {}).items():
        factors[iso3] = factors.get(iso3, 1.0) * factor
    if not factors:
        return today, factors, bought.european_enablers
    return (raised_spending_roster(factors, 0.0, p.base_deployable_share,
                                   p.fiscal_debt_reference_pct),
            factors, bought.european_enablers)


def build_crisis(p: InputValues, bonds: Mapping[str, float] | None = None,
                 extra_factor: Mapping[str, float] | None = None) -> CrisisSetup:
    """The crisis stage's input-only figures for the inputs `p` (those the crisis runs
    under: a reform run's governance and US commitment are the negotiation's), with a
    reform's per-state `bonds` and budget rise `extra_factor` where one was adopted."""
    bonds = bonds or {}
    regime = REGIMES[p.governance]
    today = load_roster(base_deployable_share=p.base_deployable_share,
                        fiscal_debt_reference_pct=p.fiscal_debt_reference_pct)
    median_spend = median_spend_per_troop(today)  # the yardsticks stay 2024's
    median_defence = median_defence_share(today)
    roster, factors, european_enablers = crisis_roster(p, extra_factor)
    victim = roster[p.target]
    parties = set(p.parties.split())
    contributors = tuple(c for c in troops_in(p.target) if c in roster and c not in parties)
    framework = roster[contributors[0]] if contributors else victim
    stationed = stationed_troops(p.target, contributors, roster, p.forward_presence)
    integration = theatre_integration(victim, regime, p)
    standing_plan = nato_command(victim, regime)
    channel = us_channel(victim, regime)
    us_reach = p.us_commitment * us_channel_share(channel, p)
    us_promised = round(p.us_reinforcement_troops * us_reach)
    rrf_days = rrf_arrival_day(victim, regime, p, integration)
    rrf_promised = p.rapid_reaction_force if rrf_days is not None else 0
    attacker = roster[ADVERSARY] if p.adversary == ADVERSARY else None
    attacker_troops = p.attack_troops
    # Europeans relax in proportion to the share of the threat the US is expected to
    # cover (Olson & Zeckhauser): 20,000 US troops matter against 34,000, not 450,000.
    us_cover = min(1.0, us_promised / max(attacker_troops, 1))
    enablers = min(1.0, us_reach + european_enablers)
    closed = frozenset(adversary_territory(p.adversary))
    states = []
    for profile in roster.coalition_candidates():
        if profile.iso3 == p.target or profile.iso3 in parties:
            continue
        inclusion = bonds.get(profile.iso3, p.non_eu_inclusion if profile.nato_member else 0.0)
        bond = treaty_bond(profile, victim, regime, inclusion,
                           neutral=profile.neutral and not p.neutral_opt_in,
                           forces_bond_427=p.art427_forces_bond)
        factor = factors.get(profile.iso3, 1.0)
        states.append(_state(profile, victim, p, stationed.get(profile.iso3),
                             profile.iso3 == framework.iso3, bond,
                             p.free_ride_weight * us_cover, median_spend, median_defence,
                             closed,
                             factor ** -p.readiness_gain))
    us_land = routes(roster[US_STAGING], victim, closed, p)  # US forces stationed in Europe
    wartime = wartime_troops(victim.iso3, victim.active_troops)
    spread = p.mandate_spread
    return CrisisSetup(
        stage_inputs=p,
        roster=roster,
        victim=victim,
        victim_quality=combat_quality(victim, median_spend, p.quality_elasticity),
        victim_active=victim.active_troops,
        victim_reservists=round(p.reservist_turnout * (wartime - victim.active_troops)),
        # A contributor not modelled as a state agent (the US in Poland's or Lithuania's
        # battlegroup) keeps its troops in the line: they fight as forward presence.
        # The US's share of a battlegroup is in `us_forward_troops`: neither an agent's
        # nor unassigned, so it is counted once.
        forward_unassigned=max(0, p.forward_presence - sum(stationed.values())),
        theatre=theatre(victim, p.adversary),
        front_width_km=attacker_troops / p.troops_per_km_front,
        contributors=contributors,
        forward_quality=combat_quality(framework, median_spend, p.quality_elasticity),
        integration=integration,
        pledge_cohesion=min(1.0, integration / p.nato_command_integration),
        standing_plan=standing_plan,
        us_channel=channel,
        us_reach=us_reach,
        us_promised=us_promised,
        us_forward=p.us_forward_troops,
        us_quality=combat_quality(roster["USA"], median_spend, p.quality_elasticity),
        enablers=enablers,
        enabler_gain=1.0 + p.us_enabler_boost * enablers,
        airlift_capacity=(p.airlift_capacity_eu * (1.0 + european_enablers)
                          + p.airlift_capacity_us * us_reach),
        rrf_days=rrf_days,
        rrf_promised=rrf_promised,
        rrf_engagement=min(1.0, rrf_promised / p.rrf_tripwire_troops),
        attacker=attacker,
        attacker_troops=attacker_troops,
        # NATO's Force Model windows are readiness under NATO's integrated command; a less
        # integrated command stretches them, a more integrated one shortens them.
        delay_factor=max(0.5, 1.0 + p.integration_delay_cut
                         * (p.nato_command_integration - integration)),
        mandate_window=_windows(((1 - spread, 1 + spread),))[0],
        tier_windows=_windows(((2, p.tier1_days), (p.tier1_days, p.tier2_days),
                               (p.tier2_days, p.tier3_days))),
        us_windows=_windows(((2, p.us_deployment_days), (p.tier1_days, p.tier2_days),
                             (p.tier2_days, p.tier3_days))),
        us_routes=(us_land[1], Route("own", US_TRANSATLANTIC_DAYS),
                   Route("own", US_TRANSATLANTIC_DAYS)),
        states=tuple(states),
        pool_capability=sum(s.profile.capability_index for s in states),
        eu_capability_share=(sum(s.profile.capability_index for s in states
                                 if s.profile.eu_member)
                             / sum(s.profile.capability_index for s in states)),
        european_enablers=european_enablers,
    )


def check_run_inputs(inputs: Mapping[str, Any]) -> InputValues:
    """Every input of a run, checked (names and values, and the attack's route: one line
    on a problem)."""
    values = InputValues({**DEFAULTS, **check_inputs(dict(inputs), "CrisisModel")})
    check_attack(values.target, values.adversary, "CrisisModel")
    check_parties(values.parties, values.target, "CrisisModel")
    return values


@dataclass(frozen=True, slots=True)
class RunSetup:
    """One input set's checked record and, unless the run negotiates first (governance
    "reform": its crisis depends on the negotiation's outcome), its crisis stage."""

    inputs: InputValues
    crisis: CrisisSetup | None


def build_run(inputs: Mapping[str, Any]) -> RunSetup:
    given = check_run_inputs(inputs)
    return RunSetup(given, None if REGIMES[given.governance].two_stage else build_crisis(given))


_CACHE: OrderedDict[tuple, RunSetup] = OrderedDict()
#: Threads may build models at once (a threaded Dask worker, the browser's server).
_LOCK = threading.Lock()


def _key(inputs: Mapping[str, Any]) -> tuple | None:
    """The input set as a key: names, exact types and values, floats by their bits (so
    that 0.0 and -0.0, or 1 and True, are different sets); None if a value is unhashable."""
    try:
        key = tuple(sorted((name, type(value), value.hex() if isinstance(value, float)
                            else value) for name, value in inputs.items()))
        hash(key)
    except TypeError:
        return None
    return key


def setup_for(inputs: Mapping[str, Any]) -> RunSetup:
    """`build_run(inputs)`, from the per-process cache when this input set was seen.

    Inputs that fail their check raise every time (a failure is never kept).
    """
    key = _key(inputs)
    if key is None:
        return build_run(inputs)
    with _LOCK:
        found = _CACHE.get(key)
        if found is not None:
            _CACHE.move_to_end(key)
            return found
    built = build_run(inputs)  # outside the lock: two threads may both build, harmlessly
    with _LOCK:
        _CACHE[key] = built
        while len(_CACHE) > CACHE_SIZE:
            _CACHE.popitem(last=False)
    return built


def cached_sets() -> int:
    """How many input sets the cache holds now."""
    return len(_CACHE)


def clear_cache() -> None:
    """Forget every kept input set (tests; a process that wants its memory back)."""
    with _LOCK:
        _CACHE.clear()
