"""Every output a negotiation reports in a sweep, declared once: name, type, unit, label
and how it is computed.

The same `Output` records as the crisis model's registry (`wargame.output_registry`), a
second declared set: each per-run and per-state output carries the function that computes
it from the finished negotiation (EMA Workbench's `Outcome(name, function=...)`). A
negotiation's sweep row and per-state columns (`wargame.reform.result.run_row`,
`state_columns`) are loops over this table; the Parquet schemas of a negotiation sweep,
the export's data dictionary and the API's labels read it through `wargame.model_kinds`.
Definitions: docs/REFORM.md §3.7.

Imports no model and nothing heavy: readers of a result folder learn its columns without
Mesa. A `compute` function reads the finished `ReformModel`'s attributes (`adopted`,
`ally_list`, `partner`, `proposer`, ...) and its agents'.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from wargame.outcomes import NEGOTIATION_OUTCOMES
from wargame.output_registry import Output, check_computed

#: The values of the run column "outcome" (wargame.outcomes), in reading order.
_OUTCOMES = tuple(o.name for o in NEGOTIATION_OUTCOMES)
ADOPTED, BLOCKED = _OUTCOMES


def _holdouts(model: Any) -> list[str]:
    """The allies refusing at the end, in alphabetical order (none once adopted)."""
    return [] if model.adopted else model.holdouts()


def _ally(state: Any, model: Any) -> bool:
    """One of the 32 allies (who vote); Switzerland, the partner, does not."""
    return state is not model.partner


def _holdout(state: Any, model: Any) -> bool:
    return _ally(state, model) and not model.adopted and not state.accepts


def _each(value: Callable[[Any, Any], Any]) -> Callable[[Any], list]:
    """A per-state column: `value(state, model)` for each ally in iso3 order, then
    Switzerland."""
    return lambda model: [value(state, model) for state in (*model.ally_list, model.partner)]


def _status(field: str) -> Callable[[Any], list]:
    """A field of the status a non-EU ally or Switzerland chose (null for EU members)."""
    return _each(lambda s, m: None if s.profile.eu_member else getattr(s.status(), field))


def _run(name: str, dtype: str, unit: str, label: str, short: str,
         compute: Callable[[Any], Any], **more: Any) -> Output:
    return Output(name, dtype, unit, label, "run", short, compute=compute, **more)


def _state(name: str, dtype: str, unit: str, label: str,
           compute: Callable[[Any], list], **more: Any) -> Output:
    return Output(name, dtype, unit, label, "state", compute=compute, **more)


NEGOTIATION_OUTPUTS: tuple[Output, ...] = (
    # --- per run: one row per negotiation in a sweep's runs/ -------------------------------
    _run("outcome", "str", " or ".join(_OUTCOMES), "Outcome of the negotiation", "outcome",
         lambda m: ADOPTED if m.adopted else BLOCKED, categories=_OUTCOMES),
    _run("adopted", "bool", "true or false", "All allies signed before the deadline",
         "adopted", lambda m: m.adopted),
    _run("round", "int", "month of the negotiation",
         "Round the reform was adopted in (null if blocked)", "round of adoption",
         lambda m: m.adopted_round, missing=True),
    _run("blocking", "str", "iso3 codes, space-separated",
         "Allies still refusing at the deadline (empty if adopted)", "holdouts",
         lambda m: " ".join(_holdouts(m))),
    _run("n_holdouts", "int", "count", "Allies still refusing at the deadline", "holdouts",
         lambda m: len(_holdouts(m))),
    _run("side_payments_spent_bn", "float", "EUR bn",
         "Side payments the EU promised to holdouts", "side payments",
         lambda m: round(m.proposer.spent_bn, 6)),
    _run("allies_paid", "int", "count", "Allies promised side payments", "allies paid",
         lambda m: sum(1 for a in m.ally_list if a.received_bn > 0)),
    _run("budget_rise_bn_per_year", "float", "EUR bn/yr",
         "What the budget rise adds to the EU allies' defence spending", "budget rise",
         lambda m: m.budget_rise_bn),
    _run("capability_gap_closed", "float", "share",
         "Share of the gap left by the US that the budget rise closes", "gap closed",
         lambda m: m.capability_gap_closed),
    # --- per run and state: a sweep's states/, the 32 allies and Switzerland --------------
    _state("iso3", "str", "iso3", "State", _each(lambda s, m: s.iso3), index=True),
    _state("name", "str", "", "State's name", _each(lambda s, m: s.profile.name)),
    _state("veto", "bool", "true or false", "An ally whose signature the treaty needs",
           _each(_ally)),
    _state("eu_member", "bool", "true or false", "EU member",
           _each(lambda s, m: s.profile.eu_member)),
    _state("says_yes", "bool", "true or false",
           "The ally's last answer was yes (null for Switzerland, which does not vote)",
           _each(lambda s, m: s.accepts if _ally(s, m) else None), missing=True),
    _state("utility", "float", "utility",
           "Value of the package to the ally in its last round (null for Switzerland)",
           _each(lambda s, m: s.utility if _ally(s, m) else None), missing=True),
    _state("holdout", "bool", "true or false", "Among the allies blocking at the deadline",
           _each(_holdout)),
    _state("holdout_reason", "str", "",
           "Why a holdout said no: its red line, or its utility and largest cost",
           _each(lambda s, m: s.holdout_reason() if _holdout(s, m) else None), missing=True),
    _state("received_bn", "float", "EUR bn", "Side payments the EU promised the ally",
           _each(lambda s, m: round(s.received_bn, 6) if _ally(s, m) else 0.0)),
    _state("status", "str", "option code (docs/REFORM.md §3.5)",
           "Status chosen by a non-EU ally or Switzerland (null for EU members)",
           _status("choice"), missing=True),
    _state("integrated", "bool", "true or false",
           "The status chosen integrates into the EU-led structure (null for EU members)",
           _status("integrated"), missing=True),
)
check_computed(NEGOTIATION_OUTPUTS, "the negotiation's outputs")
