"""Every output a negotiation reports in a sweep, declared once: name, type, unit, label.

The same `Output` records as the crisis model's registry (`wargame.output_registry`): the
Parquet schemas of a negotiation sweep, the export's data dictionary and the API's labels
read this table (through `wargame.model_kinds`), and `wargame.reform.result` computes each
column (a test holds the two to the same names). Definitions: docs/REFORM.md §3.7.

Imports nothing heavy: readers of a result folder learn its columns without Mesa.
"""

from __future__ import annotations

from wargame.output_registry import Output

#: The values of the run column "outcome", in reading order: agreed and in force; agreed
#: but the treaty change failed in ratification (the elements without one stand); blocked.
OUTCOMES = ("adopted", "ratification_failed", "blocked")


def _run(name: str, dtype: str, unit: str, label: str, short: str) -> Output:
    return Output(name, dtype, unit, label, "run", short)


def _state(name: str, dtype: str, unit: str, label: str, index: bool = False) -> Output:
    return Output(name, dtype, unit, label, "state", index=index)


NEGOTIATION_OUTPUTS: tuple[Output, ...] = (
    # --- per run: one row per negotiation in a sweep's runs/ -------------------------------
    _run("outcome", "str", "adopted, ratification_failed or blocked",
         "Outcome of the negotiation and ratification", "outcome"),
    _run("adopted", "bool", "true or false",
         "Agreed by every veto player and, where a treaty change needs it, ratified",
         "adopted"),
    _run("agreed", "bool", "true or false", "Every veto player agreed before the deadline",
         "agreed"),
    _run("round", "int", "month of the negotiation",
         "Round the package was agreed in (null if blocked)", "round of agreement"),
    _run("blocking", "str", "iso3 codes, space-separated",
         "Veto players still refusing at the deadline (empty if agreed)", "holdouts"),
    _run("n_holdouts", "int", "count", "Veto players still refusing at the deadline",
         "holdouts"),
    _run("ratified", "bool", "true or false",
         "The treaty change was ratified by every state (null: no treaty change, or not "
         "agreed)", "ratified"),
    _run("ratification_blockers", "str", "iso3 codes, space-separated",
         "States whose ratification of the treaty change failed", "ratification blockers"),
    _run("in_force_year", "float", "year",
         "Year the last element of an adopted package enters into force (null otherwise)",
         "in force"),
    _run("elements_in_force", "str", "element names, space-separated",
         "Elements of the package that enter into force", "elements in force"),
    _run("us_funding_cut", "float", "share",
         "Share of its European funding the US cuts in reaction to the package",
         "US funding cut"),
    _run("side_payments_spent_bn", "float", "EUR bn",
         "EU money promised to bring states in (side payments and fee gaps): the price",
         "price"),
    _run("fee_payments_bn", "float", "EUR bn",
         "Fee gaps the EU paid for non-EU states' access to its defence funds", "fees paid"),
    _run("non_eu_payments_bn", "float", "EUR bn",
         "Money promised to non-EU states (side payments and fee gaps)", "to non-EU states"),
    _run("allies_paid", "int", "count", "Veto players promised side payments",
         "states paid"),
    _run("disputes_settled", "bool", "true or false",
         "The linked disputes (Türkiye-Greece-Cyprus) were settled within the deal",
         "disputes settled"),
    _run("budget_rise_bn_per_year", "float", "EUR bn/yr",
         "What the budget rise adds to the EU allies' defence spending", "budget rise"),
    _run("capability_gap_closed", "float", "share",
         "Share of the gap left by the US that the budget rise closes", "gap closed"),
    # --- per run and state: a sweep's states/, the veto players and Switzerland -----------
    _state("iso3", "str", "iso3", "State", index=True),
    _state("name", "str", "", "State's name"),
    _state("veto", "bool", "true or false", "A state whose consent a step of the package needs"),
    _state("eu_member", "bool", "true or false", "EU member"),
    _state("nato_member", "bool", "true or false", "NATO ally"),
    _state("says_yes", "bool", "true or false",
           "The state's last answer was yes (null for Switzerland, which does not vote)"),
    _state("first_yes", "bool", "true or false",
           "The state's answer in round 1, before money and bandwagon (null for Switzerland)"),
    _state("package_value", "float", "utility",
           "Value of the package to the state without money or round dynamics"),
    _state("utility", "float", "utility",
           "Value of the package to the state in its last round (null for Switzerland)"),
    _state("guarantee", "float", "share",
           "What the US guarantee is worth to the state (US reliability, more where US "
           "forces stand; 0 outside NATO)"),
    _state("holdout", "bool", "true or false", "Among the veto players blocking at the deadline"),
    _state("holdout_reason", "str", "",
           "Why a holdout said no: its red line, or its utility and largest cost"),
    _state("received_bn", "float", "EUR bn", "Side payments the EU promised the state"),
    _state("ratifies", "bool", "true or false",
           "The state ratified the treaty change (null when none went to ratification)"),
    _state("status", "str", "option code (docs/REFORM.md §3.5)",
           "Status a non-EU state, Cyprus or Switzerland takes (null for the others)"),
    _state("integrated", "bool", "true or false",
           "The status integrates into the EU-led structure (null for the others)"),
    _state("fee_paid", "bool", "true or false",
           "The EU paid the state's fee gap for access to its defence funds"),
)
