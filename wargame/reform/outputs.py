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

from wargame.outcomes import NEGOTIATION_OUTCOME_NAMES
from wargame.output_registry import Output, check_computed

#: The values of the run column "outcome" (wargame.outcomes), in reading order: agreed and
#: in force; agreed but the treaty change failed in ratification (the elements without one
#: stand); blocked.
OUTCOMES = NEGOTIATION_OUTCOME_NAMES


def _holdouts(model: Any) -> list[str]:
    """The veto players refusing at the end, in alphabetical order (none once agreed)."""
    return [] if model.agreed else model.holdouts()


def _player(state: Any, model: Any) -> bool:
    """A veto player (who votes); Switzerland, the partner, does not."""
    return state is not model.partner


def _holdout(state: Any, model: Any) -> bool:
    return _player(state, model) and not model.agreed and not state.accepts


def _each(value: Callable[[Any, Any], Any]) -> Callable[[Any], list]:
    """A per-state column: `value(state, model)` for each veto player in iso3 order, then
    Switzerland."""
    return lambda model: [value(state, model) for state in (*model.ally_list, model.partner)]


def _of_player(value: Callable[[Any], Any]) -> Callable[[Any], list]:
    """A per-state column a veto player has (null for Switzerland, which does not vote)."""
    return _each(lambda s, m: value(s) if _player(s, m) else None)


def _status(field: str) -> Callable[[Any], list]:
    """A field of the status a non-EU state, Cyprus or Switzerland takes (null for the
    others)."""
    def value(state: Any, model: Any) -> Any:
        status = state.status()
        return getattr(status, field) if status is not None else None
    return _each(value)


def _in_force_year(model: Any) -> float | None:
    in_force = model.in_force()
    return max(in_force.values()) if model.adopted else None


def _non_eu_payments_bn(model: Any) -> float:
    non_eu = sum(a.received_bn for a in model.ally_list if not a.eu_member)
    return round(non_eu + model.proposer.fees_bn, 6)


def _run(name: str, dtype: str, unit: str, label: str, short: str,
         compute: Callable[[Any], Any], **more: Any) -> Output:
    return Output(name, dtype, unit, label, "run", short, compute=compute, **more)


def _state(name: str, dtype: str, unit: str, label: str,
           compute: Callable[[Any], list], **more: Any) -> Output:
    return Output(name, dtype, unit, label, "state", compute=compute, **more)


NEGOTIATION_OUTPUTS: tuple[Output, ...] = (
    # --- per run: one row per negotiation in a sweep's runs/ -------------------------------
    _run("outcome", "str", ", ".join(OUTCOMES[:-1]) + " or " + OUTCOMES[-1],
         "Outcome of the negotiation and ratification", "outcome",
         lambda m: m.outcome, categories=OUTCOMES),
    _run("adopted", "bool", "true or false",
         "Agreed by every veto player and, where a treaty change needs it, ratified",
         "adopted", lambda m: m.adopted),
    _run("agreed", "bool", "true or false", "Every veto player agreed before the deadline",
         "agreed", lambda m: m.agreed),
    _run("round", "int", "month of the negotiation",
         "Round the package was agreed in (null if blocked)", "round of agreement",
         lambda m: m.adopted_round, missing=True),
    _run("blocking", "str", "iso3 codes, space-separated",
         "Veto players still refusing at the deadline (empty if agreed)", "holdouts",
         lambda m: " ".join(_holdouts(m))),
    _run("n_holdouts", "int", "count", "Veto players still refusing at the deadline",
         "holdouts", lambda m: len(_holdouts(m))),
    _run("ratified", "bool", "true or false",
         "The treaty change was ratified by every state (null: no treaty change, or not "
         "agreed)", "ratified", lambda m: m.ratified, missing=True),
    _run("ratification_blockers", "str", "iso3 codes, space-separated",
         "States whose ratification of the treaty change failed", "ratification blockers",
         lambda m: " ".join(m.ratification_blockers)),
    _run("in_force_year", "float", "year",
         "Year the last element of an adopted package enters into force (null otherwise)",
         "in force", _in_force_year, missing=True),
    _run("elements_in_force", "str", "element names, space-separated",
         "Elements of the package that enter into force", "elements in force",
         lambda m: " ".join(m.in_force())),
    _run("us_funding_cut", "float", "share",
         "Share of its European funding the US cuts in reaction to the package",
         "US funding cut", lambda m: m.us_cut),
    _run("side_payments_spent_bn", "float", "EUR bn",
         "EU money promised to bring states in (side payments and fee gaps): the price",
         "price", lambda m: round(m.proposer.spent_bn, 6)),
    _run("fee_payments_bn", "float", "EUR bn",
         "Fee gaps the EU paid for non-EU states' access to its defence funds", "fees paid",
         lambda m: round(m.proposer.fees_bn, 6)),
    _run("non_eu_payments_bn", "float", "EUR bn",
         "Money promised to non-EU states (side payments and fee gaps)", "to non-EU states",
         _non_eu_payments_bn),
    _run("allies_paid", "int", "count", "Veto players promised side payments",
         "states paid", lambda m: sum(1 for a in m.ally_list if a.received_bn > 0)),
    _run("disputes_settled", "bool", "true or false",
         "The linked disputes (Türkiye-Greece-Cyprus) were settled within the deal",
         "disputes settled", lambda m: all(m.settled.values())),
    _run("budget_rise_bn_per_year", "float", "EUR bn/yr",
         "What the budget rise adds to the EU allies' defence spending", "budget rise",
         lambda m: m.budget_rise_bn),
    _run("capability_gap_closed", "float", "share",
         "Share of the gap left by the US that the budget rise closes", "gap closed",
         lambda m: m.capability_gap_closed),
    # --- per run and state: a sweep's states/, the veto players and Switzerland -----------
    _state("iso3", "str", "iso3", "State", _each(lambda s, m: s.iso3), index=True),
    _state("name", "str", "", "State's name", _each(lambda s, m: s.profile.name)),
    _state("veto", "bool", "true or false", "A state whose consent a step of the package needs",
           _each(_player)),
    _state("eu_member", "bool", "true or false", "EU member",
           _each(lambda s, m: s.profile.eu_member)),
    _state("nato_member", "bool", "true or false", "NATO ally",
           _each(lambda s, m: s.profile.nato_member)),
    _state("says_yes", "bool", "true or false",
           "The state's last answer was yes (null for Switzerland, which does not vote)",
           _of_player(lambda s: s.accepts), missing=True),
    _state("first_yes", "bool", "true or false",
           "The state's answer in round 1, before money and bandwagon (null for Switzerland)",
           _of_player(lambda s: s.first_yes), missing=True),
    _state("package_value", "float", "utility",
           "Value of the package to the state without money or round dynamics",
           _of_player(lambda s: s.package_value - s.money), missing=True),
    _state("utility", "float", "utility",
           "Value of the package to the state in its last round (null for Switzerland)",
           _of_player(lambda s: s.utility), missing=True),
    _state("guarantee", "float", "share",
           "What the US guarantee is worth to the state (US reliability, more where US "
           "forces stand; 0 outside NATO)", _of_player(lambda s: s.guarantee), missing=True),
    _state("holdout", "bool", "true or false", "Among the veto players blocking at the deadline",
           _each(_holdout)),
    _state("holdout_reason", "str", "",
           "Why a holdout said no: its red line, or its utility and largest cost",
           _each(lambda s, m: s.holdout_reason() if _holdout(s, m) else None), missing=True),
    _state("received_bn", "float", "EUR bn", "Side payments the EU promised the state",
           _each(lambda s, m: round(s.received_bn, 6) if _player(s, m) else 0.0)),
    _state("ratifies", "bool", "true or false",
           "The state ratified the treaty change (null when none went to ratification)",
           _of_player(lambda s: s.ratifies), missing=True),
    _state("status", "str", "option code (docs/REFORM.md §3.5)",
           "Status a non-EU state, Cyprus or Switzerland takes (null for the others)",
           _status("choice"), missing=True),
    _state("integrated", "bool", "true or false",
           "The status integrates into the EU-led structure (null for the others)",
           _status("integrated"), missing=True),
    _state("fee_paid", "bool", "true or false",
           "The EU paid the state's fee gap for access to its defence funds",
           _each(lambda s, m: s.iso3 in m.fees_paid)),
)
check_computed(NEGOTIATION_OUTPUTS, "the negotiation's outputs")
