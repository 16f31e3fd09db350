"""The crisis a run plays: its inputs resolved into one setup record, two stages composed.

A run's inputs become a `CrisisSetup` here, before the model is built. Under every
governance but "reform" that is the per-process cache of `wargame.crisis_setup`. Under
"reform" the Art. 12 negotiation runs first (`wargame.reform.stage.negotiate`, on a seed
derived from the run's) and its outcome sets the crisis stage: EU-led NATO with each
non-EU ally's bond, the EU allies' budget rise and the US funding cut if adopted,
today's arrangement if blocked (docs/MODEL.md §3.12). The crisis model reads the setup
and imports nothing of the negotiation: this module is the one place the two stages meet.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from wargame.crisis_setup import CrisisSetup, build_crisis, setup_for
from wargame.inputs import InputValues
from wargame.reform.stage import COLUMNS, negotiate, run_columns
from wargame.roster import load_roster

#: The reform_* outputs of a run that did not negotiate.
NO_NEGOTIATION: dict[str, Any] = dict.fromkeys(COLUMNS)


def crisis_for(inputs: Mapping[str, Any], seed: int | None
               ) -> tuple[InputValues, CrisisSetup, dict[str, Any]]:
    """A run's checked inputs, its crisis stage and its reform_* outputs (all None unless
    the run negotiated first), for `inputs` and `seed`."""
    run = setup_for(inputs)
    given = run.inputs
    if run.crisis is not None:
        return given, run.crisis, NO_NEGOTIATION
    values = given.as_dict()
    stage = negotiate(values, seed)
    link = stage.overrides
    crisis = build_crisis(InputValues({**values, **link.inputs}), link.bonds,
                          link.spending_factor)
    today = load_roster(base_deployable_share=given.base_deployable_share,
                        fiscal_debt_reference_pct=given.fiscal_debt_reference_pct)
    return given, crisis, run_columns(stage, today)
