"""Every input of the crisis model, declared once: levers, uncertainties and settings.

An input has a name, a type, a default, the range of values the model accepts, a unit,
a label a reader understands, a role and the reason for its default and range:

- ``lever``: a policy choice (US commitment, EU financing, governance, ...);
- ``uncertainty``: outside anyone's control (the adversary's aggression and every
  behavioural constant of the model); its range is the documented plausible range;
- ``setting``: what the analyst fixes to frame the question (target, window).

`CrisisModel` takes every input as a keyword (its signature is built from this table),
scenarios and `--set` are checked against it (`wargame.scenario.check_inputs`, which also
checks the target against the roster), sweep designs may vary any numeric input, and
`wargame inputs` prints the table. docs/MODEL.md, section 4, lists the same table and a
test keeps the two in step. This is the EMA Workbench idiom of levers, uncertainties and
outcomes (Kwakkel 2017, Environ. Model. Softw. 96).

`INPUTS` also holds the reform negotiation's inputs (`wargame.reform.inputs`), which a run
reads only under governance "reform" (the two-stage run, docs/MODEL.md §3.12); the record
type and the generic checks live in `wargame.input_record`, which both registries import.
"""

from __future__ import annotations

from typing import Any

from wargame.errors import WargameError
from wargame.input_record import ROLES, Input, unknown_name, values_type
from wargame.input_record import band as _band
from wargame.reform.inputs import REFORM_INPUTS
from wargame.regimes import NAMES as REGIME_NAMES

ADVERSARIES = ("RUS", "expeditionary")
RUNG_NAMES = ("HYBRID", "INCURSION", "CONVENTIONAL")
#: `Input.control` of an input the browser page offers as a select of its values.
SELECT = "select"

#: The crisis model's own inputs (docs/MODEL.md §4).
CRISIS_INPUTS: dict[str, Input] = {
    i.name: i
    for i in [
        # --- settings: the question being asked ------------------------------------
        Input("target", str, "EST", "setting", "attacked state",
              "the most exposed member (RAND 2016, RR-1253-A)", "iso3", control=SELECT),
        Input("max_days", int, 120, "setting", "length of the crisis window",
              "long enough for deployments (weeks), short enough that a fait accompli "
              "(days) is resolved", "days", 1, 730),
        Input("adversary", str, "RUS", "setting", "the attacker",
              "RUS: Russia, from the roster (never a helper); expeditionary: a stylised "
              "attacker of `expeditionary_troops` defined for crises far from Russia (Cyprus)",
              choices=ADVERSARIES),
        Input("start_rung", str, "HYBRID", "setting", "the rung the crisis starts on",
              "HYBRID: the ladder from hybrid attack up; CONVENTIONAL: a surprise "
              "conventional attack (RAND 2016's case)", choices=RUNG_NAMES),
        # --- levers: policy choices -----------------------------------------------
        Input("governance", str, "nato_us_led", "lever", "governance regime",
              "today's arrangement; art427_only = NATO not invoked, eu_led_nato = the reform",
              choices=REGIME_NAMES, control=SELECT),
        Input("us_commitment", float, 0.5, "lever", "US commitment",
              "assumption: a US whose commitment is in doubt; meant to be swept",
              "share", 0.0, 1.0, control=0.01),  # sliders move by the hundredth
        Input("eu_financing", float, 0.25, "lever", "EU financing of assistance costs",
              "assumption: partial reimbursement, as EPF assistance measures today",
              "share", 0.0, 1.0, control=0.01),
        Input("eu_fund_bn", float, 5.0, "lever", "size of the common EU fund",
              "the EPF's original 2021-27 ceiling was EUR 5.69 bn (EUR 5 bn in 2018 prices)",
              "EUR bn", 0.0, 1000.0),
        Input("command_integration", float, 0.2, "lever", "EU command integration",
              "assumption: the MPCC commands only non-executive missions today",
              "share", 0.0, 1.0, control=0.01),
        Input("rapid_reaction_force", int, 5000, "lever", "EU rapid-reaction force",
              "EU Rapid Deployment Capacity, Strategic Compass (2022)", "troops", 0, 100_000,
              control=1000),  # by the thousand: the RDC is 5,000
        Input("rrf_readiness_days", int, 10, "lever", "rapid-reaction force readiness",
              "EU battlegroups of the RDC stand on 5- and 20-day readiness (EDA); 10 days "
              "between them", "days", 1, 120),
        Input("non_eu_inclusion", float, 0.5, "lever", "bond of non-EU allies under EU-led NATO",
              "assumption: the UK, Norway, Türkiye and Canada half-in under an EU-led NATO",
              "share", 0.0, 1.0),
        Input("neutral_opt_in", bool, False, "lever", "neutral states may send forces",
              "Art. 42.7's 'specific character' wording"),
        Input("forward_presence", int, 0, "lever", "allied troops stationed in the target",
              "scenarios set it (Estonia: 2,200, the eFP battlegroup in 2023-25)",
              "troops", 0, 200_000),
        # --- uncertainties: the adversary -------------------------------------------
        Input("aggression", float, 0.03, "uncertainty",
              "adversary aggression: share of its active personnel committed",
              "about 34,000 troops: the order of RAND's 22 manoeuvre battalions with "
              "support (assumption); range: a battalion group to the whole active force (a stress "
              "test; Poland's major war is 0.40)", "share", 0.001, 1.0, control=0.001),
        _band("expeditionary_troops", int, 20_000, "troops of the stylised expeditionary attacker",
              "troops", low=5_000, high=60_000,
              reason="assumption: no source; the order of a two-division landing and airborne "
              "operation against an island"),
        _band("adversary_quality", float, 1.0, "combat quality of the adversary's troops",
              "ratio", low=0.6, high=1.5,
              reason="assumption: Russia's spending per troop at market exchange rates gives "
              "0.8 of the European median, at purchasing-power parity well above it; 1 between"),
        Input("victim_reserve_troops", int, 0, "setting",
              "reservists the attacked state mobilises",
              "each scenario states its figure and source (Finland: wartime strength "
              "280,000); 0 = no mobilisation beyond the active force", "troops", 0, 1_000_000),
        _band("mobilisation_days", int, 14, "days over which the victim's reservists arrive",
              "days", low=3, high=60,
              reason="assumption: a prepared reserve system mobilises in days to weeks"),
        _band("reserve_ratio", float, 1.0, "mobilisation reserve, times the initial force",
              "ratio", low=0.25, high=3.0,
              reason="assumption: Russia called up 300,000 in its 2022 partial mobilisation, "
              "the order of its force in Ukraine; a fraction to a multiple of the attack"),
        _band("reinforcement_days", int, 60, "days to bring the whole reserve forward", "days",
              low=20, high=180, reason="assumption: mobilised troops took weeks to months to "
              "reach the front in 2022"),
        _band("daily_loss_rate", float, 0.02, "share of a force lost per day of combat at parity",
              "share/day", low=0.01, high=0.03,
              reason="Dupuy: average World War II division engagements lost 1-3% a day"),
        _band("defence_multiplier", float, 1.5, "defender's advantage in prepared positions",
              "ratio", low=1.2, high=3.0,
              reason="assumption: between no advantage and the 3:1 rule of thumb, which Dupuy "
              "found overstated"),
        _band("combat_noise", float, 0.2, "day-to-day spread of combat effectiveness",
              "log-sd", low=0.0, high=0.4,
              reason="assumption: the fog of war; each day the force ratio is multiplied by "
              "a log-normal factor of this spread"),
        _band("positional_loss_factor", float, 0.3,
              "loss rate of positional fighting, share of the rate of manoeuvre",
              "ratio", low=0.1, high=0.6,
              reason="assumption: dug-in fronts bleed more slowly than offensives"),
        _band("loss_tolerance", float, 0.3, "share of the committed force lost before it withdraws",
              "share", low=0.15, high=0.5,
              reason="assumption: units are commonly counted combat-ineffective near 30% losses"),
        _band("halt_days", int, 14, "days without progress before the attacker digs in", "days",
              low=5, high=30),
        _band("quality_elasticity", float, 0.5,
              "elasticity of combat quality in spending per troop", "ratio", low=0.25, high=1.0,
              reason="assumption: better-funded troops fight better, with diminishing returns"),
        # --- uncertainties: decisions (utility in units of the logit's scale) -------
        _band("obligation_weight", float, 2.0, "utility of a binding treaty per step",
              "utility"),
        _band("threat_weight", float, 3.0, "utility of threat for a neighbour at the top rung",
              "utility"),
        _band("peer_weight", float, 2.0, "utility per unit of peers' capability share",
              "utility"),
        _band("free_ride_weight", float, 1.5, "pull of full US cover on costly steps",
              "utility"),
        _band("barrier_political", float, 0.5, "hurdle of declaring political support",
              "utility"),
        _band("barrier_financial", float, 0.25, "hurdle of pledging money and materiel",
              "utility", low=0.0, high=3.0,
              reason="calibrated (docs/CALIBRATION.md); none to double the version-1 value"),
        _band("barrier_forces", float, 0.0, "hurdle of pledging forces", "utility",
              low=0.0, high=6.0,
              reason="calibrated (docs/CALIBRATION.md); none to double the version-1 value"),
        _band("reversal_cost", float, 3.5, "extra utility lost by stepping down", "utility"),
        _band("resolve_scale", float, 1.0, "spread of governments' resolve across runs",
              "utility", low=0.5, high=2.0, reason="calibrated to the alliance-reliability "
              "literature (docs/CALIBRATION.md); half to double the fitted value"),
        _band("deliberation_financial_days", int, 2,
              "days of political support before money can be pledged", "days",
              reason="assumption: a cabinet decision takes days; 1 to 4 days"),
        _band("attribution_days", int, 10,
              "most days before a hybrid attack is recognised as armed aggression", "days",
              low=2, high=30, reason="assumption: hybrid attacks are built to stay below the "
              "threshold of Art. 5/42.7; each run draws the day uniformly up to this, and an "
              "incursion ends the ambiguity at once"),
        _band("mandate_days_parliament", int, 10,
              "mean days to a deployment mandate where parliament must approve first", "days",
              low=5, high=30, reason="Germany's typical Bundestag approval takes about 7 days "
              "(deployment_rules.csv); a week to a month"),
        _band("mandate_days_partial", int, 5,
              "mean days to a mandate where parliament takes part or is consulted", "days",
              low=2, high=15),
        _band("mandate_days_executive", int, 2,
              "mean days to a mandate where the government decides alone", "days",
              low=1, high=5, reason="assumption: a cabinet decision within days (France informs "
              "parliament within 3 days of an intervention)"),
        _band("mandate_spread", float, 0.5, "spread of each state's mandate delay around its mean",
              "share", low=0.2, high=0.8,
              reason="assumption: delays drawn uniformly within this share of the mean"),
        _band("nato_support_weight", float, 20.0,
              "utility per unit of public support for NATO above the median, on costly steps",
              "utility", low=0.0, high=40.0,
              reason="assumption: governments weigh public opinion (Pew 2024-25 NATO "
              "favourability); 20 makes 5 points of opinion worth one unit of utility; "
              "Türkiye's low reliability rests on it; none to double"),
        _band("tripwire_weight", float, 3.0,
              "utility for a state whose troops in the target are attacked", "utility"),
        _band("frontline_share_abroad", float, 0.25,
              "share of its deployable force a frontline state sends abroad", "share",
              low=0.1, high=0.5,
              reason="assumption: states bordering the adversary keep most forces at home"),
        _band("budget_share_gdp", float, 0.001,
              "net cost a government bears before it scales down, at full fiscal space",
              "share of GDP", low=0.0005, high=0.005),
        _band("cost_scale_share_gdp", float, 0.0005, "share of GDP worth one unit of utility",
              "share of GDP"),
        _band("aid_share_defence", float, 0.02, "money-and-materiel package",
              "share of annual defence spending", low=0.01, high=0.05,
              reason="assumption: about a week of the state's defence budget (SIPRI 2024); "
              "sized by defence effort, not by GDP"),
        _band("deployment_horizon_days", int, 30, "cost horizon of a force decision", "days"),
        _band("deployment_cost_factor", float, 3.0, "deployed vs peacetime cost per troop-day",
              "ratio", low=1.5, high=6.0,
              reason="assumption: operations and combat (munitions, losses) cost more than "
              "garrison duty; 1.5 to 6 times"),
        _band("proximity_scale_km", float, 1000.0, "distance over which threat falls by e",
              "km"),
        # --- uncertainties: deployment and command ----------------------------------
        _band("base_deployment_days", float, 4.0, "days to alert, load and move out", "days"),
        _band("transit_km_per_day", float, 400.0, "road and rail transit speed", "km/day"),
        _band("integration_delay_cut", float, 0.5, "share of delay full integration removes",
              "share", low=0.25, high=0.75),
        _band("interoperability_penalty", float, 0.4,
              "effectiveness lost by a fragmented coalition", "share", low=0.2, high=0.6),
        _band("nato_command_integration", float, 0.8, "integration NATO's command provides",
              "share", low=0.6, high=1.0,
              reason="assumption: NATO's integrated structure is high but not perfect"),
        _band("rrf_command_delay_days", int, 20,
              "extra days the RRF needs with no EU command (none at full integration)", "days",
              low=10, high=40),
        _band("us_reinforcement_troops", int, 20_000, "US troops at full commitment",
              "troops"),
        _band("us_deployment_days", int, 10,
              "readiness of the first US tier once the attack is recognised", "days",
              reason="assumption: US forces stationed in Europe move as NATO's first tier "
              "(within 10 days); half to double"),
        _band("us_enabler_boost", float, 0.3,
              "gain in European effectiveness from full US enablers (ISR, air, lift)", "share",
              low=0.1, high=0.6, reason="assumption: the US provides about 90% of NATO's "
              "air-to-air refuelling (RUSI 2014) and most ISR (IISS 2025); size unsourced"),
        _band("tier1_days", int, 10, "readiness of the first tier (a fifth of the force)", "days",
              low=5, high=20, reason="NATO Force Model (2022): 100,000 of 500,000 within 10 days"),
        _band("tier2_days", int, 30, "readiness of the second tier (two fifths more)", "days",
              low=20, high=60, reason="NATO Force Model (2022): 200,000 more within 10-30 days"),
        _band("tier3_days", int, 180, "readiness of the rest of the force", "days",
              low=90, high=270, reason="NATO Force Model (2022): up to 500,000 within 30-180 days"),
        _band("us_channel_cooperation", float, 0.5,
              "share of US commitment reaching the theatre by a cooperation agreement",
              "share", low=0.25, high=0.75),
        _band("us_channel_bilateral", float, 0.25,
              "share of US commitment reaching the theatre bilaterally", "share",
              low=0.1, high=0.5),
        # --- uncertainties: the adversary's behaviour and combat --------------------
        _band("hybrid_commitment", float, 0.1, "share of force committed at HYBRID", "share"),
        _band("incursion_commitment", float, 0.4, "share of force committed at INCURSION",
              "share", low=0.2, high=0.6),
        _band("escalate_ratio", float, 3.0, "force ratio of full escalation chance", "ratio",
              low=2.0, high=4.0, reason="the 3:1 rule of thumb; 2:1 to 4:1"),
        _band("deter_ratio", float, 1.5, "force ratio at or below which a day is deterred",
              "ratio", low=1.0, high=1.9),
        _band("escalation_probability", float, 0.1, "daily chance of a rung at full chance",
              "per day"),
        _band("deterrence_days", int, 7, "typical deterred days before standing down", "days",
              reason="assumption; each run draws the adversary's patience uniformly from "
              "half to one and a half times it; the range is half to double"),
        _band("pledge_credit", float, 0.5, "weight of promised, not arrived troops", "share",
              low=0.25, high=0.75),
        _band("advance_rate", float, 0.12, "territory per day per unit of ln(force ratio)",
              "share/day", low=0.06, high=0.24,
              reason="calibrated to RAND 2016 (RR-1253-A): an unopposed conventional attack "
              "reaches the defeat threshold in 36-60 hours (docs/CALIBRATION.md)"),
        _band("defeat_threshold", float, 0.3, "territory share that means defeat", "share",
              low=0.2, high=0.5),
        # --- uncertainties: roster-derived quantities --------------------------------
        _band("base_deployable_share", float, 0.10,
              "deployable share at median spending per troop", "share", low=0.05, high=0.2,
              reason="assumption between NATO's usability targets (8% sustainable, 40% "
              "deployable; Istanbul 2004)"),
        _band("fiscal_debt_reference_pct", float, 60.0,
              "debt below which fiscal space is full", "% of GDP", low=40.0, high=90.0,
              reason="the Maastricht reference value (Protocol No 12 TFEU); where strain "
              "begins is uncertain"),
    ]
}

#: Every keyword of `CrisisModel`: its own inputs, then the negotiation's (docs/REFORM.md §4),
#: which a run reads only when governance = "reform". One namespace, so no name is in both.
INPUTS: dict[str, Input] = {**CRISIS_INPUTS, **REFORM_INPUTS}
_CLASH = sorted(set(CRISIS_INPUTS) & set(REFORM_INPUTS))
if _CLASH:
    raise ValueError(f"inputs in both registries: {', '.join(_CLASH)}")

DEFAULTS: dict[str, Any] = {name: i.default for name, i in INPUTS.items()}


#: The crisis model's inputs for one run.
InputValues = values_type("InputValues", INPUTS)


def table_rows(registry: dict[str, Input] = INPUTS) -> list[dict[str, str]]:
    """The registry as text rows: name, role, default, low, high, unit, label, reason."""
    rows = []
    for i in registry.values():
        default = str(i.default).lower() if i.kind is bool else str(i.default)
        rows.append({
            "name": i.name, "role": i.role, "default": default,
            "low": f"{i.low:g}" if i.numeric else "", "high": f"{i.high:g}" if i.numeric else "",
            "unit": i.unit, "label": i.label, "reason": i.reason,
            "choices": ", ".join(i.choices or ()),
        })
    return rows


def markdown_table() -> str:
    """The registry as the Markdown table of docs/MODEL.md, section 4 (kept in step by a test)."""
    lines = ["| input | role | default | range | unit | meaning | reason |",
             "|---|---|---|---|---|---|---|"]
    for row in table_rows(CRISIS_INPUTS):
        allowed = (f"[{row['low']}, {row['high']}]" if row["low"] else row["choices"]
                   or ("true/false" if row["default"] in ("true", "false") else "iso3 code"))
        lines.append(f"| `{row['name']}` | {row['role']} | {row['default']} | {allowed} | "
                     f"{row['unit']} | {row['label']} | {row['reason']} |")
    return "\n".join(lines) + "\n"


def controlled() -> tuple[str, ...]:
    """The inputs the crisis page has a control for, in table order (docs/VIZ.md); the
    negotiation's sliders are on the reform page (`wargame.reform.inputs.reform_controlled`)."""
    return tuple(name for name, i in CRISIS_INPUTS.items() if i.control is not None)


def by_role(role: str, *, reform: bool = False) -> list[Input]:
    """The inputs of one role, in table order; the negotiation's too if `reform` (they
    matter only when governance = "reform", so screening elsewhere leaves them out)."""
    if role not in ROLES:
        raise KeyError(f"unknown role {role!r}; roles: {', '.join(ROLES)}")
    return [i for i in (INPUTS if reform else CRISIS_INPUTS).values() if i.role == role]


def unknown_input(name: str, where: str) -> WargameError:
    return unknown_name(INPUTS, "input", "wargame inputs", name, where)

