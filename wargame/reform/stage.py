"""The first stage of a two-stage run: the negotiation a "reform" crisis run starts from.

`CrisisModel(governance="reform", ...)` calls `negotiate` before it builds its states: the
negotiation runs with the reform inputs among the run's inputs, and its outcome decides
what the crisis stage runs under (`wargame.reform.link`, docs/REFORM.md §5): the elements
in force by the crisis year, each through its named mechanisms; today's arrangement if
blocked or if nothing is in force yet.

Seeds (docs/MODEL.md §3.12): the crisis stage uses the run's seed exactly as a run under
any other governance does, so a sweep's paired seeds give the reform arm and the other arms
the same crisis draws wherever their mechanics agree (common random numbers). The
negotiation draws from a seed derived from the run's: the first child of
``numpy.random.SeedSequence(seed)`` (``spawn(1)``), its first 64-bit word shifted right by
11 bits. 53 bits, because the column `reform_seed` is null in the other runs of a sweep and
pandas reads an integer column with nulls as float64, which holds integers exactly only up
to 2**53. `wargame reform --seed REFORM_SEED --set ...` replays the negotiation of any run.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from wargame.reform.inputs import REFORM_INPUTS
from wargame.reform.link import LINKED, CrisisOverrides, crisis_overrides
from wargame.reform.model import PARTNER, ReformModel
from wargame.reform.result import outputs
from wargame.roster import Roster

#: The per-run output columns of the two-stage run (declared in wargame.output_registry).
COLUMNS = ("reform_adopted", "reform_round", "reform_blocking", "reform_side_payments_bn",
           "reform_seed", "reform_governance", "reform_us_commitment",
           "reform_spending_factor", "reform_non_eu_bond", "reform_outcome",
           "reform_us_cut", "reform_in_force", "reform_ratification_blockers")


#: 64 - 53: the derived seed fits a float64 exactly (see the module's docstring).
SEED_SHIFT = 11


def negotiation_seed(seed: int | None) -> int | None:
    """The negotiation's seed, derived from the run's (None stays None: an unseeded run)."""
    if seed is None:
        return None
    child = np.random.SeedSequence(seed).spawn(1)[0]
    return int(child.generate_state(1, dtype=np.uint64)[0] >> np.uint64(SEED_SHIFT))


@dataclass(frozen=True)
class ReformStage:
    """A finished negotiation and what it hands to the crisis stage."""

    seed: int | None
    outputs: dict[str, Any]  # wargame.reform.result.outputs
    overrides: CrisisOverrides


def negotiate(values: Mapping[str, Any], seed: int | None) -> ReformStage:
    """Run the negotiation with the reform inputs among `values` (a run's checked inputs).

    `values` are the crisis inputs as given: the link reads the US commitment before
    the reform, the crisis year and the inputs its mechanisms set (wargame.reform.link).
    """
    reform_inputs = {name: values[name] for name in REFORM_INPUTS}
    reform_seed = negotiation_seed(seed)
    model = ReformModel(rng=reform_seed, record_rounds=False, **reform_inputs).run()
    result = outputs(model)
    crisis = {name: values[name] for name in LINKED}
    return ReformStage(reform_seed, result, crisis_overrides(result, reform_inputs, crisis))


def run_columns(stage: ReformStage | None, roster: Roster) -> dict[str, Any]:
    """The reform_* outputs of a run; all None when the run did not start from a negotiation.

    `roster` is today's (before any spending rise): the spending factor is measured against
    it and the non-EU bond is weighted by its GDP.
    """
    if stage is None:
        return dict.fromkeys(COLUMNS)
    out, link = stage.outputs, stage.overrides
    eu_allies = [roster[iso3] for iso3 in link.spending_factor]
    today = sum(s.defence_exp_usd_bn for s in eu_allies)
    raised = sum(s.defence_exp_usd_bn * link.spending_factor[s.iso3] for s in eu_allies)
    allies = [roster[iso3] for iso3 in link.bonds if iso3 != PARTNER]
    weight = sum(s.gdp_eur_bn for s in allies)
    return {
        "reform_adopted": out["adopted"],
        "reform_round": out["round"],
        "reform_blocking": " ".join(out["blocking"]),
        "reform_side_payments_bn": out["side_payments_spent_bn"],
        "reform_seed": stage.seed,
        "reform_governance": link.inputs["governance"],
        "reform_us_commitment": link.us_agreed,
        "reform_spending_factor": raised / today if today else 1.0,
        "reform_non_eu_bond": (sum(link.bonds[s.iso3] * s.gdp_eur_bn for s in allies) / weight
                               if allies else None),
        "reform_outcome": out["outcome"],
        "reform_us_cut": out["us_funding_cut"] if "declaration" in link.applied else 0.0,
        "reform_in_force": " ".join(link.applied),
        "reform_ratification_blockers": " ".join(out["ratification_blockers"]),
    }
