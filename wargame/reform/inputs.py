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
#: the levers, the deadline and the uncertainties of the negotiation. The crisis bonds, the
#: mechanisms and the years change nothing the negotiation does, so the page leaves them as
#: launched; the package's elements (true/false) are set at launch.
SLIDER_STEPS = {
    "deadline_rounds": 1, "inclusiveness": 0.05, "side_payments_bn": 1.0,
    "eu_budget_increase": 0.1, "us_cut_ceiling": 0.05, "us_demand": 0.1,
    "capability_gap_bn": 5.0, "us_burden_shift": 0.05, "us_burden_weight": 0.1,
    "us_lead_weight": 0.1, "saceur_lead_share": 0.05, "security_weight": 0.1,
    "european_substitution": 0.05, "frontline_stake": 0.1, "threat_horizon_year": 1,
    "president_weight": 0.01, "us_presence_weight": 0.05, "influence_weight": 0.1,
    "fiscal_weight": 0.05, "payment_unit_share_defence": 0.005, "opinion_weight": 0.05,
    "initiator_weight": 0.05, "neutrality_weight": 0.05, "linkage_weight": 0.05,
    "linkage_resolution": 0.05, "commitment_weight": 0.05, "bandwagon_weight": 0.05,
    "payment_target_utility": 0.05, "ratification_floor": 0.01, "legislative_margin": 0.01,
    "ratification_spread": 0.01, "fallback_eu_favourable_pct": 0.5,
    "fallback_common_defence_pct": 0.5, "fallback_nato_favourable_pct": 0.5,
    "fallback_us_favourable_pct": 0.5, "fallback_us_confidence_pct": 0.5,
    "fallback_us_reliability_pct": 0.5,
}


def _element(name: str, label: str, reason: str) -> Input:
    """An element of the package: in it (true) or not."""
    return Input(name, bool, True, "lever", label, reason)


def _mechanism(name: str, default: float, label: str, reason: str, low: float,
               high: float) -> Input:
    """How an element in force changes an existing crisis input (docs/REFORM.md §5)."""
    return Input(name, float, default, "uncertainty", label, reason, "share", low, high)


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
        Input("initiators", str, "FRA", "setting", "states that initiate the package",
              "iso3 codes, space-separated; the seed's framing: a European initiative of "
              "which France is an initiator (issue 19)", "iso3 codes"),
        # --- levers: the package -------------------------------------------------------
        _element("treaty_change", "NATO placed under the EU by treaty (Art. 12 review, "
                 "amendment, EU common defence)",
                 "the seed's proposal; the treaty path: every ally and EU member ratifies "
                 "(reform_steps.csv, ratification_rules.csv)"),
        _element("european_saceur", "a European SACEUR, by North Atlantic Council decision",
                 "the seed's proposal; no treaty change: the NAC decides which nation fills "
                 "the post (art427_procedure.csv)"),
        _element("merged_sg", "the NATO Secretary General double-hatted as the EU High "
                 "Representative", "the seed's proposal; no treaty change: NAC appointment "
                 "by consensus, HR/VP by the European Council's qualified majority (TEU Art. "
                 "18)"),
        Input("inclusiveness", float, 0.5, "lever", "decision rights of non-EU allies",
              "assumption: half of a full member's voice; 0 = consulted only, 1 = equal "
              "vote", "share", 0.0, 1.0),
        Input("side_payments_bn", float, 25.0, "lever",
              "EU money to bring non-EU allies and holdouts in",
              "assumption; the range reaches SAFE's EUR 150 bn of defence loans (2025); "
              "the UK's SAFE fee gap was about EUR 1 bn (reform_asks.csv)", "EUR bn",
              0.0, 150.0),
        Input("eu_budget_increase", float, 1.5, "lever",
              "extra defence spending EU allies commit to",
              "ReArm Europe (Mar 2025) assumed a rise of 1.5% of GDP on average; up to 3 "
              "points (from ~2% to the Hague 5% headline)", "points of GDP", 0.0, 3.0),
        Input("us_cut_ceiling", float, 1.0, "lever",
              "the most of its European funding the package lets the US cut",
              "assumption: no ceiling in the seed (an 'irreversible cut'); a ceiling is "
              "a guarantee Europe can ask for", "share", 0.0, 1.0),
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
        Input("us_burden_shift", float, 0.5, "uncertainty",
              "share of what Europe takes over that the US cuts from its own funding",
              "assumption: the US keeps its nuclear guarantee and some enablers, so it "
              "withdraws half of what Europe replaces; a quarter to all of it", "share",
              0.25, 1.0),
        _band("us_burden_weight", float, 2.0,
              "utility to the US of cutting all its European funding", "utility",
              reason=UNSOURCED_WEIGHT),
        _band("us_lead_weight", float, 1.0,
              "utility the US loses by giving up NATO's lead", "utility",
              reason=UNSOURCED_WEIGHT),
        Input("saceur_lead_share", float, 0.5, "uncertainty",
              "share of NATO's lead a European SACEUR takes from the US",
              "assumption: SACEUR is the US's command post (SACEUR/USEUCOM dual hat; Gen. "
              "Cavoli called a non-US SACEUR 'problematic', art427_procedure.csv); a "
              "quarter to three quarters", "share", 0.25, 0.75),
        # --- uncertainties: the weights of each veto player's utility ------------------
        _band("security_weight", float, 2.0, "utility of closing the whole capability gap",
              "utility", reason=UNSOURCED_WEIGHT),
        Input("european_substitution", float, 0.75, "uncertainty",
              "deterrent worth of European capability per euro, against the US's",
              "assumption: the US brings nuclear escalation and enablers a European euro "
              "does not buy at once; half to all", "share", 0.5, 1.0),
        _band("frontline_stake", float, 2.0, "security stake of allies bordering Russia",
              "ratio", low=1.5, high=3.0,
              reason="assumption: as the crisis model's border factor (2); 1.5 to 3"),
        Input("threat_horizon_year", int, 2030, "uncertainty",
              "year by which states bordering Russia count what Europe has built",
              "Danish Defence Intelligence Service (Feb 2025): Russia could fight a "
              "regional war in the Baltic Sea region within two years and a large-scale "
              "war in Europe within five; 2027 to 2032", "year", 2027, 2032),
        Input("president_weight", float, 0.2, "uncertainty",
              "weight of confidence in the current US president in US reliability",
              "assumption: one input of a stable measure (multi-year US favourability, "
              "us_guarantee.csv), at most a third", "share", 0.0, 0.33),
        Input("us_presence_weight", float, 0.25, "uncertainty",
              "extra worth of the US guarantee where US forces are stationed",
              "assumption: troops on the ground are the costly signal of a guarantee "
              "(forward_presence.csv); none to a half more", "share", 0.0, 0.5),
        _band("influence_weight", float, 2.0,
              "utility a non-EU ally loses with no decision rights", "utility",
              reason=UNSOURCED_WEIGHT),
        _band("fiscal_weight", float, 1.0,
              "utility cost of one point of GDP at full fiscal space", "utility",
              reason=UNSOURCED_WEIGHT),
        _band("payment_unit_share_defence", float, 0.05,
              "side payment worth one unit of utility", "share of defence budget",
              reason="assumption: priced from the state's SIPRI 2024 defence budget (a "
                     "twentieth of a year's budget buys one unit); half to double"),
        _band("opinion_weight", float, 1.0,
              "utility of a public fully for (or against) the reform", "utility",
              reason=UNSOURCED_WEIGHT),
        _band("initiator_weight", float, 2.0,
              "utility to an initiating state of the package it initiated", "utility",
              reason="assumption: an initiator owns the package it wrote (agenda-setting, "
                     "prestige, the posts it expects); half to double"),
        _band("neutrality_weight", float, 1.5,
              "utility a neutral state loses by joining a common defence", "utility",
              reason="assumption: Austria's, Ireland's and Malta's neutrality is "
                     "constitutional (ratification_rules.csv); half to double"),
        _band("linkage_weight", float, 1.5,
              "utility a state loses when a linked dispute blocks what it asks",
              "utility", reason="assumption: the Türkiye-Cyprus-Greece dispute has blocked "
                                "Berlin Plus since 2004 (reform_asks.csv); half to double"),
        Input("linkage_resolution", float, 0.1, "uncertainty",
              "chance a linked dispute is settled within the deal",
              "assumption: EU offers to settle the EU-NATO-Cyprus deadlock failed in 2008 "
              "and Greece's casus-belli condition stood in 2025 (reform_asks.csv); none to "
              "one in two", "share", 0.0, 0.5),
        _band("commitment_weight", float, 1.5, "utility of keeping a stated yes",
              "utility", reason=UNSOURCED_WEIGHT),
        _band("bandwagon_weight", float, 1.0, "utility when every other ally says yes",
              "utility", reason=UNSOURCED_WEIGHT),
        _band("payment_target_utility", float, 1.0,
              "utility the EU buys a holdout up to", "utility",
              reason="assumption: a 73% chance of yes under the logit; half to double"),
        Input("ratification_floor", float, 0.35, "uncertainty",
              "public support below which a government cannot sign",
              "assumption (two-level game, Putnam 1988): no government signs a treaty "
              "change a clear majority rejects; 0.25 to 0.45", "share", 0.25, 0.45),
        Input("legislative_margin", float, 0.25, "uncertainty",
              "votes a government's whip adds in parliament beyond public support",
              "assumption: mainstream parties carry treaties further than opinion polls "
              "(the US Senate passed NATO enlargement 95-1 in 2022, ratification_rules.csv); "
              "0.1 to 0.4", "share", 0.1, 0.4),
        Input("ratification_spread", float, 0.05, "uncertainty",
              "uncertainty of a ratification vote around its majority",
              "assumption: a logistic scale; Ireland voted 46.6% yes on Lisbon in 2008 and "
              "67.1% in 2009; 0.02 to 0.1", "share", 0.02, 0.1),
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
        _opinion_fallback("fallback_us_reliability_pct", 44.0,
                          "multi-year US favourability where no wave was found",
                          "median of the stable measure over the eight states with a Pew "
                          "wave (us_guarantee.csv: 44); their range (21.5 to 70)",
                          21.5, 70.0),
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
        _mechanism("us_cooperation_share", 1.0,
                   "share of the agreed US commitment a cooperation agreement delivers",
                   "the US is counted once: the crisis reads the commitment the US agreed "
                   "to (after its cut), so the agreement passes all of it; down to 0.75 "
                   "for an agreement slower than Art. 5 (assumption)", 0.75, 1.0),
        _mechanism("common_defence_forces_bond", 1.0,
                   "Art. 42.7's bond on forces once an EU common defence is in force",
                   "assumption: a common defence gives the clause the collective plan and "
                   "command it lacks (art427_procedure.csv); 0.75 to 1", 0.75, 1.0),
        _mechanism("saceur_command_integration", 0.8,
                   "command integration a European SACEUR gives the EU's own forces",
                   "assumption: as NATO's integrated command (nato_command_integration "
                   "0.8); 0.6 to 1", 0.6, 1.0),
        _mechanism("saceur_planning_cut", 0.5,
                   "share of the days lost for want of a plan and a commander that a "
                   "European SACEUR's standing plans remove",
                   "assumption: NATO's standing plans extended to EU targets (no_plan_days, "
                   "rrf_command_delay_days); a quarter to three quarters", 0.25, 0.75),
        _mechanism("saceur_readiness_cut", 0.3,
                   "share of the rapid-reaction force's readiness days a European SACEUR "
                   "removes", "assumption: the force certified and exercised as a NATO "
                   "tier; none to a half", 0.0, 0.5),
        _mechanism("political_lead_speedup", 0.3,
                   "share of the days to collective recognition and to money that the HR/VP "
                   "as NATO's political lead removes",
                   "assumption: one chair for both councils ends parallel deliberation "
                   "(attribution_days, deliberation_financial_days); none to 0.6", 0.0, 0.6),
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


def default_text(i: Input) -> str:
    """An input's default as the tables print it (true/false, text, or a number)."""
    if i.kind is bool:
        return str(i.default).lower()
    return i.default if i.kind is str else f"{i.default:g}"


def range_text(i: Input) -> str:
    """An input's allowed values as the tables print them."""
    if i.numeric:
        return f"[{i.low:g}, {i.high:g}]"
    return "true/false" if i.kind is bool else "iso3 codes"


def markdown_table() -> str:
    """The registry as the Markdown table of docs/REFORM.md §4 (kept in step by a test)."""
    lines = ["| input | role | default | range | unit | meaning | reason |",
             "|---|---|---|---|---|---|---|"]
    for i in REFORM_INPUTS.values():
        lines.append(f"| `{i.name}` | {i.role} | {default_text(i)} | {range_text(i)} | "
                     f"{i.unit} | {i.label} | {i.reason} |")
    return "\n".join(lines) + "\n"
