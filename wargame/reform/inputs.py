"""Every input of the reform negotiation, declared once with role, range, unit and reason.

The same `Input` records as the crisis model's registry (`wargame.inputs`), in a registry
of the reform model's own: the package's levers, the uncertainties (every behavioural
weight, the US demand, and the fallbacks used where the opinion table has no figure) and
the settings (deadline, years). docs/REFORM.md, section 4, holds the same table and a test
keeps the two in step.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from wargame.errors import WargameError
from wargame.input_record import Input, check_values, parse_values, unknown_name, values_type
from wargame.input_record import band as _band

#: Where a reason is shared by the weights of the negotiation's utility.
UNSOURCED_WEIGHT = (
    "assumption (docs/REFORM.md §3.3); no source pins it, so the plausible range is half "
    "to double the default"
)



def _opinion_fallback(name: str, default: float, label: str, reason: str, low: float,
                      high: float) -> Input:
    """The value used for a survey item where the opinion table has no figure."""
    return Input(name, float, default, "uncertainty", label, reason, "% of adults", low, high)


#: The step of each input's slider on the browser page (`wargame viz --reform`, docs/VIZ.md):
#: the levers, the deadline and the uncertainties of the negotiation. The crisis bonds and
#: the years change nothing the negotiation does, so the page leaves them as launched.
SLIDER_STEPS = {
    "deadline_rounds": 1, "inclusiveness": 0.05, "side_payments_bn": 1.0,
    "eu_budget_increase": 0.1, "us_funding_cut": 0.05, "us_demand": 0.1,
    "capability_gap_bn": 5.0, "security_weight": 0.1, "frontline_stake": 0.1,
    "influence_weight": 0.1, "fiscal_weight": 0.05, "payment_unit_share_gdp": 0.0001,
    "opinion_weight": 0.05, "commitment_weight": 0.05, "bandwagon_weight": 0.05,
    "payment_target_utility": 0.05, "ratification_floor": 0.01,
    "integration_threshold": 0.05, "fallback_eu_favourable_pct": 0.5,
    "fallback_common_defence_pct": 0.5, "fallback_nato_favourable_pct": 0.5,
    "fallback_us_favourable_pct": 0.5, "fallback_us_confidence_pct": 0.5,
}

REFORM_INPUTS: dict[str, Input] = {
    i.name: replace(i, control=SLIDER_STEPS.get(i.name))
    for i in [
        # --- settings ------------------------------------------------------------------
        Input("deadline_rounds", int, 24, "setting", "monthly negotiation rounds to the deadline",
              "assumption: two years, the span of a treaty-revision conference", "rounds",
              1, 120),
        Input("target_year", int, 2035, "setting", "year the budget increase is reached",
              "the NATO Hague Summit Declaration (25 Jun 2025) sets 2035 for 3.5% core "
              "defence spending", "year", 2027, 2050),
        # --- levers: the package -------------------------------------------------------
        Input("inclusiveness", float, 0.5, "lever", "decision rights of non-EU allies",
              "assumption: half of a full member's voice; 0 = consulted only, 1 = equal "
              "vote", "share", 0.0, 1.0),
        Input("side_payments_bn", float, 25.0, "lever", "EU money available to win holdouts",
              "assumption; the range reaches SAFE's EUR 150 bn of defence loans (2025)",
              "EUR bn", 0.0, 150.0),
        Input("eu_budget_increase", float, 1.5, "lever",
              "extra defence spending EU allies commit to",
              "ReArm Europe (Mar 2025) assumed a rise of 1.5% of GDP on average; up to 3 "
              "points (from ~2% to the Hague 5% headline)", "points of GDP", 0.0, 3.0),
        Input("us_funding_cut", float, 0.5, "lever", "irreversible cut in US funding",
              "assumption: half; the proposal names no figure", "share", 0.0, 1.0),
        # --- uncertainties: the United States ---------------------------------------
        Input("us_demand", float, 1.5, "uncertainty",
              "extra EU defence effort the US requires to accept",
              "the Hague 3.5% core target less the 1.98% GDP-weighted SIPRI 2024 average "
              "of the EU allies; range: a token effort to the full 5% headline",
              "points of GDP", 0.5, 3.0),
        _band("capability_gap_bn", float, 250.0,
              "yearly spending that replaces the US in Europe", "EUR bn/yr",
              reason="Bruegel/Kiel (21 Feb 2025): EUR 250 bn a year more to defend Europe "
                     "without the US; half to double"),
        # --- uncertainties: the weights of each ally's utility -------------------------
        _band("security_weight", float, 2.0, "utility of closing the whole capability gap",
              "utility", reason=UNSOURCED_WEIGHT),
        _band("frontline_stake", float, 2.0, "security stake of allies bordering Russia",
              "ratio", low=1.5, high=3.0,
              reason="assumption: as the crisis model's border factor (2); 1.5 to 3"),
        _band("influence_weight", float, 2.0,
              "utility a non-EU ally loses with no decision rights", "utility",
              reason=UNSOURCED_WEIGHT),
        _band("fiscal_weight", float, 1.0,
              "utility cost of one point of GDP at full fiscal space", "utility",
              reason=UNSOURCED_WEIGHT),
        _band("payment_unit_share_gdp", float, 0.001,
              "side payment worth one unit of utility", "share of GDP",
              reason=UNSOURCED_WEIGHT),
        _band("opinion_weight", float, 1.0,
              "utility of a public fully for (or against) the reform", "utility",
              reason=UNSOURCED_WEIGHT),
        _band("commitment_weight", float, 1.5, "utility of keeping a stated yes",
              "utility", reason=UNSOURCED_WEIGHT),
        _band("bandwagon_weight", float, 1.0, "utility when every other ally says yes",
              "utility", reason=UNSOURCED_WEIGHT),
        _band("payment_target_utility", float, 1.0,
              "utility the EU buys a holdout up to", "utility",
              reason="assumption: a 73% chance of yes under the logit; half to double"),
        Input("ratification_floor", float, 0.35, "uncertainty",
              "public support below which a government cannot ratify",
              "assumption (two-level game, Putnam 1988): no government signs a treaty "
              "change a clear majority rejects; 0.25 to 0.45", "share", 0.25, 0.45),
        Input("integration_threshold", float, 0.5, "uncertainty",
              "decision rights a non-EU ally needs to integrate",
              "assumption: an even split of the voice; 0.3 to 0.7", "share", 0.3, 0.7),
        # --- uncertainties: fallbacks for missing opinion figures ----------------------
        _opinion_fallback("fallback_eu_favourable_pct", 62.0,
                          "EU favourability where no survey figure",
                          "Pew 2025 EU report, 25-country median 62%; range of the figures "
                          "found (46 to 87)", 46.0, 87.0),
        _opinion_fallback("fallback_common_defence_pct", 79.0,
                          "support for a common defence policy where no figure",
                          "Standard Eurobarometer 104 (autumn 2025), EU27 79%; from below "
                          "Malta's 72 (Austria, Bulgaria, Romania; assumption 60) to "
                          "Finland's 88", 60.0, 88.0),
        _opinion_fallback("fallback_nato_favourable_pct", 66.0,
                          "NATO favourability where no survey figure",
                          "Pew 2025, median over 13 allies 66%; range of the figures found "
                          "(28 to 81)", 28.0, 81.0),
        _opinion_fallback("fallback_us_favourable_pct", 33.5,
                          "US favourability where no survey figure",
                          "median of the six Pew spring 2025 figures found; their range "
                          "(19 to 55)", 19.0, 55.0),
        _opinion_fallback("fallback_us_confidence_pct", 19.0,
                          "confidence in the US president where no figure",
                          "median of the five Pew spring 2025 figures found; their range "
                          "(15 to 53)", 15.0, 53.0),
        # --- uncertainties: what the crisis stage takes from the outcome ---------------
        Input("integrated_bond", float, 0.9, "uncertainty",
              "crisis bond of a non-EU ally that integrates",
              "assumption: nearly an EU member's (1); 0.7 to 1", "share", 0.7, 1.0),
        Input("associated_bond", float, 0.5, "uncertainty",
              "crisis bond of a non-EU ally with a special status",
              "assumption: the crisis model's single non_eu_inclusion default (0.5); "
              "0.25 to 0.75", "share", 0.25, 0.75),
        Input("rise_to_personnel", float, 0.0, "uncertainty",
              "share of the budget rise that recruits more troops",
              "assumption: the rise buys equipment, munitions and readiness (the priorities "
              "of ReArm Europe, Mar 2025), troops stay today's; up to half, near the share "
              "personnel takes of many European budgets today", "share", 0.0, 0.5),
        Input("partner_bond", float, 0.25, "uncertainty",
              "crisis bond of Switzerland under adapted cooperation",
              "assumption: political and financial help only (neutral); 0 to 0.5",
              "share", 0.0, 0.5),
    ]
}

REFORM_DEFAULTS: dict[str, Any] = {name: i.default for name, i in REFORM_INPUTS.items()}


def reform_controlled() -> tuple[str, ...]:
    """The inputs the browser page has a slider for: levers, uncertainties, then settings."""
    order = ("lever", "uncertainty", "setting")
    return tuple(sorted((n for n, i in REFORM_INPUTS.items() if i.control is not None),
                        key=lambda n: order.index(REFORM_INPUTS[n].role)))


#: The reform model's inputs for one run, read as attributes.
ReformInputs = values_type("ReformInputs", REFORM_INPUTS)


def unknown_reform_input(name: str, where: str) -> WargameError:
    return unknown_name(REFORM_INPUTS, "reform input", "wargame reform --list-inputs", name,
                        where)


def check_reform_inputs(values: dict[str, Any], where: str) -> dict[str, Any]:
    """Check names and values; return them converted to each input's type."""
    return check_values(REFORM_INPUTS, values, where, unknown_reform_input)


def parse_reform_assignments(assignments: list[str], where: str = "--set") -> dict[str, Any]:
    """Parse `name=value` strings from the command line into checked reform inputs."""
    return parse_values(REFORM_INPUTS, assignments, where, unknown_reform_input)


def markdown_table() -> str:
    """The registry as the Markdown table of docs/REFORM.md §4 (kept in step by a test)."""
    lines = ["| input | role | default | range | unit | meaning | reason |",
             "|---|---|---|---|---|---|---|"]
    for i in REFORM_INPUTS.values():
        lines.append(f"| `{i.name}` | {i.role} | {i.default:g} | [{i.low:g}, {i.high:g}] | "
                     f"{i.unit} | {i.label} | {i.reason} |")
    return "\n".join(lines) + "\n"
