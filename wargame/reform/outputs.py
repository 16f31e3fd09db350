"""Every output a negotiation reports in a sweep, declared once: name, type, unit, label.

The same `Output` records as the crisis model's registry (`wargame.output_registry`): the
Parquet schemas of a negotiation sweep, the export's data dictionary and the API's labels
read this table (through `wargame.model_kinds`), and `wargame.reform.result` computes each
column (a test holds the two to the same names). Definitions: docs/REFORM.md §3.7.

Imports nothing heavy: readers of a result folder learn its columns without Mesa.
"""

from __future__ import annotations

from wargame.outcomes import NEGOTIATION_OUTCOMES
from wargame.output_registry import Output


def _run(name: str, dtype: str, unit: str, label: str, short: str, **more: object) -> Output:
    return Output(name, dtype, unit, label, "run", short, **more)


def _state(name: str, dtype: str, unit: str, label: str, index: bool = False) -> Output:
    return Output(name, dtype, unit, label, "state", index=index)


#: The values of the run column "outcome" (wargame.outcomes), in reading order.
_OUTCOMES = tuple(o.name for o in NEGOTIATION_OUTCOMES)

NEGOTIATION_OUTPUTS: tuple[Output, ...] = (
    # --- per run: one row per negotiation in a sweep's runs/ -------------------------------
    _run("outcome", "str", " or ".join(_OUTCOMES), "Outcome of the negotiation", "outcome",
         categories=_OUTCOMES),
    _run("adopted", "bool", "true or false", "All allies signed before the deadline",
         "adopted"),
    _run("round", "int", "month of the negotiation",
         "Round the reform was adopted in (null if blocked)", "round of adoption"),
    _run("blocking", "str", "iso3 codes, space-separated",
         "Allies still refusing at the deadline (empty if adopted)", "holdouts"),
    _run("n_holdouts", "int", "count", "Allies still refusing at the deadline", "holdouts"),
    _run("side_payments_spent_bn", "float", "EUR bn",
         "Side payments the EU promised to holdouts", "side payments"),
    _run("allies_paid", "int", "count", "Allies promised side payments", "allies paid"),
    _run("budget_rise_bn_per_year", "float", "EUR bn/yr",
         "What the budget rise adds to the EU allies' defence spending", "budget rise"),
    _run("capability_gap_closed", "float", "share",
         "Share of the gap left by the US that the budget rise closes", "gap closed"),
    # --- per run and state: a sweep's states/, the 32 allies and Switzerland --------------
    _state("iso3", "str", "iso3", "State", index=True),
    _state("name", "str", "", "State's name"),
    _state("veto", "bool", "true or false", "An ally whose signature the treaty needs"),
    _state("eu_member", "bool", "true or false", "EU member"),
    _state("says_yes", "bool", "true or false",
           "The ally's last answer was yes (null for Switzerland, which does not vote)"),
    _state("utility", "float", "utility",
           "Value of the package to the ally in its last round (null for Switzerland)"),
    _state("holdout", "bool", "true or false", "Among the allies blocking at the deadline"),
    _state("holdout_reason", "str", "",
           "Why a holdout said no: its red line, or its utility and largest cost"),
    _state("received_bn", "float", "EUR bn", "Side payments the EU promised the ally"),
    _state("status", "str", "option code (docs/REFORM.md §3.5)",
           "Status chosen by a non-EU ally or Switzerland (null for EU members)"),
    _state("integrated", "bool", "true or false",
           "The status chosen integrates into the EU-led structure (null for EU members)"),
)
