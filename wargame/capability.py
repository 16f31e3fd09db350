"""Capability bought before the crisis: what national budgets and EU instruments have paid
for by the crisis year (docs/MODEL.md §3.13).

The roster's figures are 2024's (SIPRI, IISS). A crisis in a later `crisis_year` meets
European forces that two things have changed since:

- **National spending on the Hague path.** NATO's Hague summit (25 June 2025) commits the
  allies to 3.5% of GDP on core defence by 2035. Each European ally below it moves the
  share `hague_path` of the way there, linearly from 2025 (`hague_path` = 1: the whole way
  by 2035; 0: 2024's spending; Spain declared it would not follow the path, so a path below
  1 is not only pessimism). GDP is held at 2024's in real terms (assumption). The EU's
  members outside NATO take no part in the path.
- **SAFE loans** (EUR 150 bn for joint procurement, regulation of 27 May 2025): disbursed
  evenly from 2025 to 2030 (assumption), allocated as the Commission's tentative
  allocation says where it is known (`safe_allocation.csv`: Poland EUR 43.7 bn) and the
  rest in proportion to GDP among the other EU members (assumption).

The extra money buys three things, each an explicit mechanism:

- troops' quality and the deployable share, through the roster's derivation with a
  spending factor per state (`wargame.roster.derive_profiles`, as the reform's budget
  rise does);
- readiness: readiness windows shrink with the spending factor, `f ** -readiness_gain`;
- **enablers** (airlift, ISR, air-to-air refuelling): `enabler_spend_share` of the extra
  money, summed over the years, against the cost of replacing the US enablers
  (`enabler_replacement_bn`: IISS 2025's one-off procurement cost of replacing the US
  contribution, USD 226-344 bn). The European enabler level is that ratio, at most 1; it
  stands in for US enablers when the US steps back, and adds European airlift.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from wargame.roster import USD_PER_EUR, Roster
from wargame.tables import number, read_table

#: The year of the roster's data and of the crisis "today": nothing bought yet.
BASE_YEAR = 2025
#: NATO Hague Summit Declaration, 25 June 2025: 3.5% of GDP on core defence by 2035.
HAGUE_CORE_SHARE_PCT = 3.5
HAGUE_YEAR = 2035
#: SAFE's loans are disbursed from 2025 to this year (assumption: the instrument's
#: procurement runs with the Readiness 2030 horizon).
SAFE_LAST_YEAR = 2030


@cache
def safe_allocation() -> dict[str, float]:
    """iso3 -> SAFE loans allocated, EUR bn, where the allocation is known."""
    return {row["iso3"]: number("safe_allocation.csv", row, "loans_eur_bn", low=0.0) or 0.0
            for row in read_table("safe_allocation.csv", ("iso3", "loans_eur_bn"))}


@dataclass(frozen=True, slots=True)
class Capability:
    """What a crisis year finds: per-state spending factors and the European enablers."""

    year: int
    #: iso3 -> defence spending in the crisis year against 2024's (1 = unchanged).
    spending_factor: Mapping[str, float]
    #: European enablers bought by the crisis year, as a share of the US ones (0..1).
    european_enablers: float
    #: EUR bn spent on enablers by the crisis year (national path and SAFE together).
    enabler_investment_bn: float


def _years_elapsed(year: int, last: int) -> float:
    """Share of the way from BASE_YEAR to `last` that `year` has gone, in [0, 1]."""
    return min(1.0, max(0.0, (year - BASE_YEAR) / (last - BASE_YEAR)))


def capability(roster: Roster, year: int, hague_path: float, safe_loans_bn: float,
               enabler_spend_share: float, enabler_replacement_bn: float) -> Capability:
    """The capability European states have bought by `year` (module docstring)."""
    europeans = [s for s in roster.coalition_candidates() if s.eu_member or s.nato_member]
    factors: dict[str, float] = {}
    cumulative_extra_bn = 0.0
    elapsed = year - BASE_YEAR
    for state in europeans:
        share_pct = 100.0 * state.defence_exp_usd_bn / state.gdp_usd_bn
        gap = max(0.0, HAGUE_CORE_SHARE_PCT - share_pct) if state.nato_member else 0.0
        # The share rises linearly to 2035: by year t it has gone (t - 2025) / 10 of the way.
        rise_pct = hague_path * gap * _years_elapsed(year, HAGUE_YEAR)
        factors[state.iso3] = (share_pct + rise_pct) / share_pct if share_pct > 0 else 1.0
        # Extra money spent in each year so far: the sum of the yearly rises.
        years_so_far = sum(_years_elapsed(BASE_YEAR + t, HAGUE_YEAR)
                           for t in range(1, max(0, elapsed) + 1))
        cumulative_extra_bn += (hague_path * gap / 100.0 * state.gdp_eur_bn) * years_so_far
    safe_spent = safe_loans_bn * _years_elapsed(year, SAFE_LAST_YEAR)
    known = safe_allocation()
    eu = [s for s in europeans if s.eu_member]
    known_total = sum(known.get(s.iso3, 0.0) for s in eu)
    rest_gdp = sum(s.gdp_eur_bn for s in eu if s.iso3 not in known)
    for state in eu:
        if state.iso3 in known:
            share = known[state.iso3] / safe_loans_bn if safe_loans_bn else 0.0
        else:
            share = (max(0.0, safe_loans_bn - known_total) / safe_loans_bn
                     * state.gdp_eur_bn / rest_gdp) if safe_loans_bn and rest_gdp else 0.0
        yearly_budget_bn = state.defence_exp_usd_bn / USD_PER_EUR
        # SAFE money raises the yearly spending by its yearly disbursement while it is paid
        # out; what it bought stays in the force after 2030 (the level is kept).
        per_year = (share * safe_loans_bn / (SAFE_LAST_YEAR - BASE_YEAR)
                    if elapsed > 0 else 0.0)
        factors[state.iso3] = factors.get(state.iso3, 1.0) + (
            per_year / yearly_budget_bn if yearly_budget_bn > 0 else 0.0)
    invested = enabler_spend_share * (cumulative_extra_bn + safe_spent)
    return Capability(
        year=year,
        spending_factor={iso3: f for iso3, f in factors.items() if f != 1.0},
        european_enablers=min(1.0, invested / enabler_replacement_bn)
        if enabler_replacement_bn > 0 else 0.0,
        enabler_investment_bn=invested,
    )
