"""What a crisis run sets up before its first draw, built once per process per input set.

A sweep runs the same inputs hundreds of times with different seeds; everything that
depends only on the inputs (the checked input record, the roster, distances, postures,
bonds, each state's costs and utilities, the US and RRF figures) is the same in all of
them and was a quarter to a third of a Baltic run's CPU when every model computed it
again. Here it is computed once (`build_crisis`) and kept per input set (`setup_for`, at
most `CACHE_SIZE` sets, least recently used first out). What is kept is immutable (frozen
records, tuples, the read-only input record; the roster is `load_roster`'s, shared by
every run and read-only too), so no run can change what the next one starts from; what a run
draws (mandates, arrival days, resolve) stays in the run.

The expressions are those the model evaluated per run, in the same order, so every
figure is bit for bit what it was.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from wargame.agents import TIER_SHARES
from wargame.geography import area_km2
from wargame.governance import (
    rrf_arrival_day,
    theatre_integration,
    treaty_bond,
    us_channel,
    us_channel_share,
)
from wargame.inputs import DEFAULTS, InputValues
from wargame.posture import median_nato_support, postures, presence_contributors
from wargame.regimes import REGIMES
from wargame.roster import USD_PER_EUR, Roster, StateProfile, haversine_km, load_roster
from wargame.scenario import check_inputs

#: Input sets kept per process: a sweep's chunk holds a few design points; 64 covers the
#: points a worker meets in a row while bounding memory (35 small records per set).
CACHE_SIZE = 64


def median_spend_per_troop(roster: Roster) -> float:
    """The coalition pool's median spending per troop (the upper one of an even count)."""
    pool = [s.spend_per_troop_eur for s in roster.coalition_candidates()
            if s.spend_per_troop_eur > 0]
    return sorted(pool)[len(pool) // 2]


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


@dataclass(frozen=True, slots=True)
class StateSetup:
    """One helping state's figures in this crisis that no draw changes."""

    profile: StateProfile
    transit_days: float
    mean_mandate_days: int
    bound: float
    opinion: float
    tripwired: bool
    troops_abroad: int
    exposure: float
    reimbursable: bool
    free_ride: float
    quality: float
    tier_troops: tuple[int, ...]
    troop_day_cost_bn: float
    budget_bn: float
    aid_package_bn: float
    horizon_cost_bn: float
    aid_utility: float
    tier_utility: tuple[float, ...]
    obligation: float
    tripwire: float
    barrier: tuple[float, float, float]


@dataclass(frozen=True, slots=True)
class CrisisSetup:
    """The crisis stage's figures that depend only on its inputs and roster."""

    stage_inputs: InputValues
    roster: Roster
    victim: StateProfile
    victim_quality: float
    contributors: tuple[str, ...]
    forward_quality: float
    integration: float
    us_channel: str
    us_reach: float
    us_promised: int
    us_quality: float
    enabler_gain: float
    rrf_days: int | None
    rrf_promised: int
    attacker: StateProfile | None
    attacker_troops: int
    front_scale: float
    delay_factor: float
    #: (low, high - low) of the mandate factor's window and of each tier's readiness
    #: window: `uniform(low, high)` is low + (high - low) x random(), as Python's
    #: `random.uniform` evaluates it.
    mandate_window: tuple[float, float]
    tier_windows: tuple[tuple[float, float], ...]
    us_transit_days: float
    us_windows: tuple[tuple[float, float], ...]
    states: tuple[StateSetup, ...]
    pool_capability: float


def _state(profile: StateProfile, victim: StateProfile, given: InputValues, p: InputValues,
           contributors: tuple[str, ...], bonds: Mapping[str, float], us_cover: float,
           median_spend: float) -> StateSetup:
    """What `CrisisModel._build_states` and `StateAgent` computed per state and run."""
    posture, reference_support = postures(), median_nato_support()
    mandate_means = {"executive": p.mandate_days_executive,
                     "partial": p.mandate_days_partial,
                     "parliament": p.mandate_days_parliament}
    distance = haversine_km(profile.lat, profile.lon, victim.lat, victim.lon)
    frontline = p.adversary == "RUS" and bool(profile.border_with_russia_or_belarus)
    border = 2.0 if frontline else 1.0
    may_send = p.neutral_opt_in or not profile.neutral
    abroad = profile.deployable_troops * (p.frontline_share_abroad if frontline else 1.0)
    state_posture = posture.get(profile.iso3)
    troops_abroad = round(abroad) if may_send else 0
    tripwired = profile.iso3 in contributors and p.forward_presence > 0
    bound = treaty_bond(profile, victim, p.governance,
                        bonds.get(profile.iso3, p.non_eu_inclusion
                                  if profile.nato_member else 0.0))
    # The agent's own figures read the inputs as given (`model.inputs`), as it always did.
    tier_troops = tuple(round(share * troops_abroad) for share in TIER_SHARES)
    troop_day_cost_bn = (profile.spend_per_troop_eur * given.deployment_cost_factor
                         / 365.0 / 1e9)
    aid_package_bn = given.aid_share_defence * profile.defence_exp_usd_bn / USD_PER_EUR
    per_share = 1.0 / (given.cost_scale_share_gdp * profile.fiscal_space)
    horizon_per_troop = troop_day_cost_bn * given.deployment_horizon_days
    cumulative = 0
    tier_utility = []
    for troops in tier_troops:
        cumulative += troops
        tier_utility.append(cumulative * horizon_per_troop / profile.gdp_eur_bn * per_share)
    return StateSetup(
        profile=profile,
        transit_days=p.base_deployment_days + distance / p.transit_km_per_day,
        mean_mandate_days=mandate_means[state_posture.mandate if state_posture
                                        else "partial"],
        bound=bound,
        opinion=p.nato_support_weight * ((state_posture.nato_support if state_posture
                                          else reference_support) - reference_support),
        tripwired=tripwired,
        troops_abroad=troops_abroad,
        exposure=p.threat_weight * border * math.exp(-distance / p.proximity_scale_km),
        reimbursable=profile.eu_member and victim.eu_member,
        free_ride=p.free_ride_weight * us_cover,
        quality=combat_quality(profile, median_spend, given.quality_elasticity),
        tier_troops=tier_troops,
        troop_day_cost_bn=troop_day_cost_bn,
        budget_bn=given.budget_share_gdp * profile.gdp_eur_bn * profile.fiscal_space,
        aid_package_bn=aid_package_bn,
        horizon_cost_bn=tier_troops[0] * troop_day_cost_bn * given.deployment_horizon_days,
        aid_utility=aid_package_bn / profile.gdp_eur_bn * per_share,
        tier_utility=tuple(tier_utility),
        obligation=given.obligation_weight * bound,
        tripwire=given.tripwire_weight if tripwired else 0.0,
        barrier=(given.barrier_political, given.barrier_financial, given.barrier_forces),
    )


def _windows(windows: tuple[tuple[float, float], ...]) -> tuple[tuple[float, float], ...]:
    return tuple((low, high - low) for low, high in windows)


def build_crisis(given: InputValues, stage: InputValues, roster: Roster, median_spend: float,
                 bonds: Mapping[str, float]) -> CrisisSetup:
    """The crisis stage's input-only figures: `given` the inputs as given (what agents and
    quality read), `stage` those the crisis runs under (a reform run's differ), `roster`
    the stage's roster, `median_spend` today's median spending per troop, `bonds` a
    reform's per-state bonds."""
    p = stage
    victim = roster[p.target]
    contributors = presence_contributors(p.target)
    framework = roster[contributors[0]] if contributors else victim
    integration = theatre_integration(victim, p)
    channel = us_channel(victim, p.governance)
    us_reach = p.us_commitment * us_channel_share(channel, p)
    us_promised = round(p.us_reinforcement_troops * us_reach)
    rrf_days = rrf_arrival_day(victim, p, integration)
    if p.adversary == "RUS":
        attacker = roster["RUS"]
        attacker_troops = round(p.aggression * attacker.active_troops)
    else:  # a stylised expeditionary attacker
        attacker, attacker_troops = None, p.expeditionary_troops
    # Europeans relax in proportion to the share of the threat the US is expected to
    # cover (Olson & Zeckhauser): 20,000 US troops matter against 34,000, not 450,000.
    us_cover = min(1.0, us_promised / max(attacker_troops, 1))
    states = tuple(_state(profile, victim, given, p, contributors, bonds, us_cover,
                          median_spend)
                   for profile in roster.coalition_candidates() if profile.iso3 != p.target)
    germany = roster["DEU"]
    spread = p.mandate_spread
    return CrisisSetup(
        stage_inputs=stage,
        roster=roster,
        victim=victim,
        victim_quality=combat_quality(victim, median_spend, given.quality_elasticity),
        contributors=contributors,
        forward_quality=combat_quality(framework, median_spend, given.quality_elasticity),
        integration=integration,
        us_channel=channel,
        us_reach=us_reach,
        us_promised=us_promised,
        us_quality=combat_quality(roster["USA"], median_spend, given.quality_elasticity),
        enabler_gain=1.0 + p.us_enabler_boost * us_reach,
        rrf_days=rrf_days,
        rrf_promised=p.rapid_reaction_force if rrf_days is not None else 0,
        attacker=attacker,
        attacker_troops=attacker_troops,
        front_scale=math.sqrt(area_km2("Estonia") / area_km2(victim.name)),
        delay_factor=1.0 - p.integration_delay_cut * integration,
        mandate_window=_windows(((1 - spread, 1 + spread),))[0],
        tier_windows=_windows(((2, p.tier1_days), (p.tier1_days, p.tier2_days),
                               (p.tier2_days, p.tier3_days))),
        us_transit_days=given.base_deployment_days + haversine_km(
            germany.lat, germany.lon, victim.lat, victim.lon) / given.transit_km_per_day,
        us_windows=_windows(((2, given.us_deployment_days),
                             (given.tier1_days, given.tier2_days),
                             (given.tier2_days, given.tier3_days))),
        states=states,
        pool_capability=sum(s.profile.capability_index for s in states),
    )


@dataclass(frozen=True, slots=True)
class RunSetup:
    """One input set's checked record, today's roster and, unless the run negotiates
    first, its crisis stage."""

    inputs: InputValues
    today: Roster
    median_spend_per_troop: float
    #: None under governance "reform": the stage depends on the run's negotiation.
    crisis: CrisisSetup | None


def build_run(inputs: Mapping[str, Any]) -> RunSetup:
    """Check `inputs` (names and values, one line on a problem) and set the run up."""
    given = InputValues({**DEFAULTS, **check_inputs(dict(inputs), "CrisisModel")})
    today = load_roster(base_deployable_share=given.base_deployable_share,
                        fiscal_debt_reference_pct=given.fiscal_debt_reference_pct)
    median = median_spend_per_troop(today)
    crisis = (None if REGIMES[given.governance].two_stage
              else build_crisis(given, given, today, median, {}))
    return RunSetup(given, today, median, crisis)


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
