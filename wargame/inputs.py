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
        Input("max_days", int, 180, "setting", "length of the crisis window",
              "long enough for a war of months where the victim has depth (Finland, Poland), "
              "short enough to stay a crisis; a run stops earlier when its outcome is reached",
              "days", 1, 730),
        Input("adversary", str, "RUS", "setting", "the attacker",
              "RUS: Russia, from the roster (never a helper), attacking from Russia or Belarus "
              "(adversaries.csv) a target on their border (§3.9); expeditionary: a stylised "
              "attacker from the sea, for crises far from Russia (Cyprus)", choices=ADVERSARIES),
        Input("start_rung", str, "HYBRID", "setting", "the rung the crisis starts on",
              "HYBRID: the ladder from hybrid attack up; CONVENTIONAL: a surprise "
              "conventional attack (RAND 2016's short-warning case)", choices=RUNG_NAMES),
        Input("parties", str, "", "setting", "states party to the conflict (never helpers)",
              "iso3 codes, space-separated; each scenario names them and why (Cyprus: "
              "Türkiye, a guarantor power of 1960 with forces on the island)", "iso3 codes"),
        Input("crisis_year", int, 2025, "setting", "year the crisis breaks out",
              "2025 = today's forces (the roster's 2024 data); later years add what the Hague "
              "path and SAFE loans have bought by then (docs/MODEL.md §3.13); a two-stage run "
              "phases the reform's budget rise in up to this year", "year", 2025, 2035),
        Input("warning_days", int, 0, "setting",
              "days of strategic warning the victim mobilises in before the first day",
              "0 = none (a hybrid crisis gives its warning by its own course); Poland and "
              "Finland: 14, an assumption - Russia's build-up against Ukraine was public for "
              "three months before February 2022 (US warnings from November 2021)", "days",
              0, 180),
        Input("us_forward_troops", int, 0, "setting", "US troops stationed in the target",
              "scenarios set it from forward_presence.csv (Poland: some 10,000 in 2023); "
              "attacked, they fight at any US commitment (a US that withdrew them before "
              "the crisis is this input at 0)", "troops", 0, 100_000),
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
        Input("eu_fund_bn", float, 17.0, "lever", "size of the common EU fund",
              "the European Peace Facility's ceiling for 2021-27 after March 2024, 'over "
              "EUR 17 bn' (eu_defence_finance.csv)", "EUR bn", 0.0, 1000.0),
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
        Input("forward_presence", int, 0, "lever",
              "European allied troops stationed in the target",
              "scenarios set it from forward_presence.csv (Estonia: 2,200, the UK-led eFP "
              "battlegroup in 2024)", "troops", 0, 200_000),
        Input("hague_path", float, 0.5, "lever",
              "share of the way to NATO's 3.5% core target by 2035 the allies follow",
              "NATO Hague Summit Declaration (25 June 2025); Spain declared it would not "
              "follow the path; half-way is an assumption; acts only if crisis_year > 2025",
              "share", 0.0, 1.0),
        Input("safe_loans_bn", float, 150.0, "lever", "SAFE loans for joint procurement",
              "SAFE regulation of 27 May 2025: up to EUR 150 bn (eu_defence_finance.csv); acts "
              "only if crisis_year > 2025", "EUR bn", 0.0, 600.0),
        # --- uncertainties: the adversary -------------------------------------------
        Input("attack_troops", int, 60_000, "uncertainty",
              "troops the adversary commits to the attack",
              "each scenario states its figure and range: Baltic 60,000, between RAND's 22 "
              "manoeuvre battalions of 2015 (about 33,000 with support) and half of the "
              "169,000-190,000 Russia massed against Ukraine in February 2022 (US OSCE "
              "ambassador); Poland and Finland 190,000; Cyprus 40,000 (the 1974 landing)",
              "troops", 5_000, 400_000, control=1000),
        _band("adversary_quality", float, 1.0, "combat quality of the adversary's troops",
              "ratio", low=0.6, high=1.5,
              reason="assumption: Russia's spending per troop at market exchange rates gives "
              "0.8 of the European median, at purchasing-power parity well above it; 1 between"),
        _band("reserve_ratio", float, 1.0, "reinforcements, times the initial attack force",
              "ratio", low=0.25, high=3.0,
              reason="assumption: Russia called up 300,000 in its 2022 partial mobilisation, "
              "the order of its force in Ukraine; a fraction to a multiple of the attack"),
        _band("landing_capacity", int, 4000,
              "troops a day an attacker from the sea brings ashore", "troops/day",
              low=1500, high=15_000, reason="assumption: an amphibious and airborne landing "
              "builds up over days (1974: about 40,000 Turkish troops were on Cyprus within "
              "four weeks); acts only for adversary = expeditionary"),
        _band("reinforcement_days", int, 60, "days to bring all reinforcements forward", "days",
              low=20, high=180, reason="assumption: mobilised troops took weeks to months to "
              "reach the front in 2022"),
        _band("fait_accompli_days", float, 7.0,
              "the adversary's timetable: help arriving later weighs less", "days",
              low=3.0, high=26.0, reason="RAND 2016: the Baltic capitals in 36-60 hours, then "
              "consolidation; Georgia 2008: five days of war; Crimea 2014: 19-26 days from the "
              "seizure to the annexation treaty (force_facts.csv)"),
        _band("deter_ratio", float, 1.5,
              "timely force ratio at which the adversary is as likely to climb as to stand down",
              "ratio", low=1.0, high=3.0,
              reason="assumption, calibrated (docs/CALIBRATION.md); 1 = parity with the "
              "defender in prepared positions, 3 = the 3:1 rule of thumb"),
        _band("deterrence_spread", float, 0.5,
              "spread of the adversary's reaction to the timely force ratio", "ln ratio",
              low=0.25, high=1.0, reason="assumption: how sharply the chance of climbing "
              "rises with the log force ratio (a logistic scale; no threshold)"),
        _band("adversary_resolve_scale", float, 0.5,
              "spread of the adversary's determination across runs", "ln ratio",
              low=0.25, high=1.0, reason="assumption: a per-run logistic draw added to its "
              "calculus, as governments' resolve is (politics the model does not see)"),
        _band("punishment_weight", float, 1.5,
              "weight of credible punishment (US commitment, Europe's pledged forces)",
              "ln ratio", low=0.5, high=3.0,
              reason="assumption: how much a counter-offensive the adversary cannot win, and "
              "escalation by the US, deter beyond the local force ratio (RAND 2016's 'bloody "
              "counteroffensive' option)"),
        _band("escalation_probability", float, 0.25, "daily chance of a rung when climbing pays",
              "per day", low=0.1, high=0.5, reason="assumption: an attacker that has prepared "
              "a fait accompli strikes within days once it pays (a logistic in its margin)"),
        _band("standdown_probability", float, 0.1,
              "daily chance of standing down when deterred", "per day", low=0.03, high=0.3),
        _band("hybrid_commitment", float, 0.1, "share of force committed at HYBRID", "share"),
        _band("incursion_commitment", float, 0.4, "share of force committed at INCURSION",
              "share", low=0.2, high=0.6),
        _band("pledge_credit", float, 0.5, "credibility of promised, not arrived troops", "share",
              low=0.25, high=0.75),
        _band("limited_aim_probability", float, 0.3,
              "share of runs in which the adversary seeks a limited grab, not the capital",
              "share", low=0.0, high=0.7, reason="assumption: Georgia 2008 and Crimea 2014 were "
              "limited grabs, the 2022 invasion aimed at Kyiv, Cyprus 1974 stopped at a line "
              "(force_facts.csv); RAND's Baltic games aimed at the capitals"),
        _band("loss_tolerance", float, 0.3,
              "mean share of the committed force lost before the attacker stops attacking",
              "share", low=0.15, high=0.5, cutoff=True,
              reason="assumption: units are commonly counted combat-ineffective near 30% losses; "
              "each run draws its tolerance from half to one and a half times this"),
        _band("ceasefire_rate", float, 0.05,
              "mean daily chance of a ceasefire on a still front (each run draws its own)",
              "per day", low=0.01, high=0.2,
              reason="assumption, checked against a reference class (ceasefires.csv, "
              "wargame/ceasefires.py): the parties' readiness to stop varies widely between "
              "wars, so each run draws its rate from an exponential distribution with this "
              "mean, and a share 1/(1 + rate x t) of still fronts is unfrozen after t days: "
              "a median wait of 20 days and 10% unfrozen after 175 days at 0.05. The class, "
              "the interstate wars since 1974 in Europe and its eastern neighbourhood in "
              "which regular forces seized another state's recognised ground (Cyprus 1974: "
              "29 days to the ceasefire; Georgia 2008: 4; Crimea 2014: 19, to annexation; "
              "Armenia 2022: 2; Ukraine 2022: no general ceasefire after 1,118 days), gives "
              "a maximum-likelihood fit of 0.063 and a 95% likelihood-ratio interval of "
              "0.012-0.31: five wars cannot pin the rate, and this default and range lie "
              "within what they allow: leaving out any one war moves the fit between 0.034 "
              "and 0.12, and putting in Nagorno-Karabakh 2020 (coded out: Azerbaijan "
              "retook its own recognised ground) gives 0.049 "
              "(analysis/ceasefire_evidence.py)"),
        _band("ceasefire_holdout", float, 1.0,
              "how far a victim that expects to push the attacker back refuses a ceasefire",
              "exponent", low=0.0, high=2.0,
              reason="assumption: a ceasefire takes both parties, and a war ends when "
              "neither side expects to gain by fighting on (Reiter, How Wars End, Princeton "
              "UP 2009, on the bargaining model of war termination); the form and the "
              "exponent are this model's, no source gives them. The daily chance of a "
              "ceasefire is multiplied by (defence_multiplier x the attacker's troops in "
              "theatre, landing and due from its reserve in the window / the defence the "
              "victim expects once the help due in the window "
              "has arrived)^this, at most 1: a victim expecting twice what it needs to push "
              "the attacker back halves the chance at 1 and quarters it at 2; 0 leaves the "
              "adversary alone to decide, as model v3 did until this input"),
        # --- uncertainties: combat ----------------------------------------------------
        _band("max_advance_km_per_day", float, 167.0,
              "advance of an attacker that meets no resistance", "km/day", low=60.0,
              high=180.0, reason="calibrated to RAND 2016 (RR-1253-A): the outskirts of Tallinn "
              "or Riga in 36-60 hours (docs/CALIBRATION.md); the range's top is the fastest "
              "reading of that figure (about 270 km from the border to Riga in 36 hours), so "
              "that no attack outruns the one study that timed it"),
        _band("breakthrough_edge", float, 1.25,
              "edge at which an attack moves at half its unopposed speed", "ratio",
              low=1.1, high=1.35,
              reason="assumption, held between two sourced ends (docs/MODEL.md §3.9): near "
              "parity a prepared defence gives ground by tens of metres to a couple of km a "
              "day (CSIS 2026 via the press: 15-70 m/day in Donbas 2024-25; US historical "
              "studies via Leiden SGA 2022: 2 km/day heavily engaged), and RAND 2016 needs "
              "the unopposed speed at the edges of 1.7-3 its Baltic attack fights at (the "
              "capitals by day 3); at 1.4, 89-90% of RAND's attacks arrive in time (100-200 "
              "seeds), under the 90% of check V10, so the range stops at 1.35"),
        _band("breakthrough_sharpness", float, 3.0,
              "how sharply an attack passes from a grinding advance to a breakthrough",
              "exponent", low=2.0, high=4.0,
              reason="assumption: the order of the Hill curve between the edge over 1 and "
              "`breakthrough_edge` over 1; at 3 an attack 5% above parity gains about 60 m "
              "a day, one 10% above about 1 km, as the attritional rates near parity are"),
        _band("capital_radius_km", float, 10.0,
              "how far the defence must push the front back from a fallen capital to "
              "retake it", "km", low=5.0, high=13.0,
              reason="the radius of a circle of the victim capital's city area: Nicosia "
              "(both parts, 51 + 60 km2) 5.9 km, Tallinn (159.2 km2) 7.1, Riga (307.2 km2) "
              "9.9, Vilnius (401 km2) 11.3, Warsaw (517.2 km2) 12.8; the default near the "
              "median; one figure for every capital is an assumption"),
        _band("counter_advance_share", float, 0.5,
              "speed of a counter-offensive, share of an attack's", "share", low=0.25,
              high=1.0, reason="assumption: retaking ground against a dug-in attacker is slower"),
        _band("daily_loss_rate", float, 0.02, "share of a force lost per day of combat at parity",
              "share/day", low=0.01, high=0.03,
              reason="Dupuy: average World War II division engagements lost 1-3% a day"),
        _band("defence_multiplier", float, 1.5, "defender's advantage in prepared positions",
              "ratio", low=1.2, high=3.0,
              reason="assumption: between no advantage and the 3:1 rule of thumb, which Dupuy "
              "found overstated"),
        _band("campaign_noise", float, 0.2,
              "spread of the attacker's effectiveness from one campaign to another", "log-sd",
              low=0.0, high=0.4, reason="assumption: wargames of the same case end differently "
              "(RAND's 36-60 hours); a per-run log-normal factor on the attacker's quality"),
        _band("combat_noise", float, 0.2, "day-to-day spread of combat effectiveness",
              "log-sd", low=0.0, high=0.4,
              reason="assumption: the fog of war; each day a log-normal factor of this "
              "spread scales how far the advancing side gets and the force ratio the day's "
              "losses follow, but not which side advances (docs/MODEL.md §3.9)"),
        _band("positional_loss_factor", float, 0.3,
              "loss rate of a day no side attacks with an edge, share of an offensive's",
              "ratio", low=0.1, high=0.6,
              reason="assumption: an attacker stuck before the prepared defence bleeds more "
              "slowly than an offensive, however few metres that offensive gains "
              "(docs/MODEL.md §3.9)"),
        _band("troops_per_km_front", float, 500.0,
              "attacking troops per km of front (force to space)", "troops/km",
              low=200.0, high=1000.0, reason="assumption: a brigade of about 5,000 attacks on "
              "about 10 km; sets only how much ground a given depth of advance holds"),
        _band("quality_elasticity", float, 0.5,
              "elasticity of combat quality in spending per troop", "ratio", low=0.25, high=1.0,
              reason="assumption: better-funded troops fight better, with diminishing returns"),
        _band("reservist_quality", float, 0.7,
              "combat quality of mobilised reservists and territorial units, share of active",
              "share", low=0.4, high=1.0,
              reason="assumption: reservists are trained but less practised and less equipped"),
        _band("reservist_turnout", float, 0.9,
              "share of the wartime reserve that reports and fights",
              "share", low=0.6, high=1.0, reason="assumption: not every planned reservist "
              "reports; force_depth.csv gives the planned wartime strength"),
        _band("mobilisation_lag_days", int, 2,
              "days from the call-up to the first reservists in the line", "days", low=1,
              high=5, reason="assumption: call-up notices, reporting and forming units take a "
              "day or two before the first reservists fight"),
        _band("mobilisation_days", int, 7, "days over which the victim's reservists arrive",
              "days", low=2, high=30, reason="assumption: Finland can call 280,000 'immediately' "
              "(President Stubb, 2024); reserve armies mobilise trained units in days to weeks"),
        # --- uncertainties: decisions (utility in units of the logit's scale) -------
        _band("obligation_weight", float, 2.0, "utility of a binding treaty per step",
              "utility"),
        _band("art427_forces_bond", float, 0.806,
              "bond of Art. 42.7 on sending forces where NATO is not the forum", "share",
              low=0.0, high=1.0, reason="calibrated (docs/CALIBRATION.md; its targets "
              "only weakly constrain it): 'all the means in their power' binds money and "
              "materiel fully, but there is no collective body, plan or command to generate "
              "forces (art427_procedure.csv); 0 = forces never owed, 1 = as Art. 5"),
        _band("clause_weight", float, 3.0,
              "utility of a bilateral mutual-assistance clause with the target", "utility",
              low=1.0, high=4.0, reason="assumption: a treaty clause binds as a treaty does "
              "(obligation_weight); a political declaration counts half"),
        _band("joint_force_weight", float, 0.5,
              "utility of a joint force or minilateral format with the target (JEF, Benelux)",
              "utility", low=0.0, high=1.5),
        _band("consultation_weight", float, 0.25,
              "utility of a consultation format or guarantee treaty with the target", "utility",
              low=0.0, high=0.75),
        _band("tripwire_weight", float, 3.0,
              "utility for a state whose troops are stationed in the target", "utility",
              reason="assumption: its soldiers are the first attacked; half to double"),
        _band("rrf_tripwire_share", float, 0.5,
              "share of the tripwire an EU member feels once the EU's force is in the target",
              "share", low=0.0, high=1.0, reason="assumption: its soldiers serve in the "
              "multinational force; a national contingent of its own weighs more (1)"),
        _band("rrf_tripwire_troops", int, 5000,
              "EU force in the target that engages every member in full", "troops",
              low=1500, high=10_000, reason="the EU Rapid Deployment Capacity (5,000, "
              "force_facts.csv eu_rdc_size), the force the EU built to commit its members "
              "together; a smaller one engages them in proportion, none at none; from one "
              "EU Battlegroup (1,500, eu_battlegroup_size) to double the RDC"),
        _band("threat_weight", float, 3.0, "utility of threat for a neighbour at the top rung",
              "utility"),
        _band("peer_weight", float, 2.0, "utility per unit of peers' capability share",
              "utility"),
        _band("free_ride_weight", float, 1.5, "pull of full US cover on costly steps",
              "utility"),
        _band("need_weight", float, 1.0,
              "utility of the defence gap the victim faces, on sending forces", "utility",
              low=0.0, high=3.0, reason="assumption: governments send forces where the defence "
              "is short, more so when nobody else (the US) fills the gap"),
        _band("war_aversion", float, 4.65,
              "utility cost of sending forces into a war, per unit of the public unwilling "
              "to defend an ally by force, at the top rung", "utility", low=0.0, high=8.0,
              reason="calibrated (docs/CALIBRATION.md; its targets do not identify it apart "
              "from barrier_forces, with which it trades off): governments weigh the "
              "casualties their voters would not accept; Pew 2015-2019 "
              "(public_willingness.csv) gives the unwilling share (MODEL.md §3.3 for states "
              "without a figure); it scales with the rung"),
        _band("barrier_political", float, 0.5, "hurdle of declaring political support",
              "utility"),
        _band("barrier_financial", float, 0.676, "hurdle of pledging money and materiel",
              "utility", low=0.0, high=3.0,
              reason="calibrated (docs/CALIBRATION.md)"),
        _band("barrier_forces", float, 1.6, "hurdle of pledging forces", "utility",
              low=0.0, high=6.0, reason="calibrated (docs/CALIBRATION.md)"),
        _band("reversal_cost", float, 3.5, "extra utility lost by stepping down", "utility"),
        _band("resolve_scale", float, 1.59, "spread of governments' resolve across runs",
              "utility", low=0.5, high=2.0, reason="calibrated to the alliance-reliability "
              "literature (docs/CALIBRATION.md)"),
        _band("deliberation_financial_days", int, 1,
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
        _band("frontline_share_abroad", float, 0.25,
              "share of its deployable force a frontline state sends abroad", "share",
              low=0.1, high=0.5,
              reason="assumption: states bordering the adversary keep most forces at home"),
        _band("ops_budget_share", float, 0.1,
              "share of its yearly defence budget a government spends on an operation before "
              "it scales down, at full fiscal space", "share", low=0.05, high=0.3,
              reason="assumption: a supplementary budget of weeks of defence spending; sized "
              "by the defence budget, so no mid-sized state is barred from a sized force"),
        _band("cost_scale_share_gdp", float, 0.0005, "share of GDP worth one unit of utility",
              "share of GDP"),
        _band("aid_share_defence", float, 0.02, "money-and-materiel package",
              "share of annual defence spending", low=0.01, high=0.05,
              reason="assumption: about a week of the state's defence budget (SIPRI 2024), "
              "drawn from stocks and procurement; weighed alike by every state (§3.4)"),
        _band("deployment_horizon_days", int, 30, "cost horizon of a force decision", "days"),
        _band("deployment_cost_factor", float, 3.0, "deployed vs peacetime cost per troop-day",
              "ratio", low=1.5, high=6.0,
              reason="assumption: operations and combat (munitions, losses) cost more than "
              "garrison duty; 1.5 to 6 times"),
        _band("proximity_scale_km", float, 1000.0, "distance over which threat falls by e",
              "km"),
        # --- uncertainties: reach, readiness and command ----------------------------
        _band("base_deployment_days", float, 4.0, "days to alert, load and move out", "days"),
        _band("transit_km_per_day", float, 400.0, "road and rail transit speed", "km/day"),
        _band("land_capacity", int, 2500,
              "troops a day the road and rail network delivers into the theatre",
              "troops/day", low=1000, high=10_000,
              reason="assumption anchored on EU officials' estimate (Nov 2025) of about 45 days "
              "to move an army from western ports to the eastern flank (readiness.csv), read "
              "as about 100,000 troops; the EU's aim of 3-5 days sets the high end"),
        _band("sealift_km_per_day", float, 600.0, "sealift speed, port to port", "km/day",
              low=400.0, high=900.0,
              reason="assumption: ro-ro shipping at 10-20 knots, with routing"),
        _band("port_days", float, 3.0, "days to load and unload a sealift", "days",
              low=1.0, high=7.0),
        _band("sea_route_factor", float, 1.5, "sea route length over the great-circle distance",
              "ratio", low=1.2, high=2.0, reason="assumption: ships go round peninsulas"),
        _band("sealift_capacity", int, 1500, "troops a day sealift delivers into the theatre",
              "troops/day", low=500, high=5000,
              reason="assumption: no European figure was found; Grand Quadriga 2024 moved 3,000 "
              "German troops to Lithuania by ship, rail and road over nearly a month"),
        _band("airlift_capacity_eu", int, 1000,
              "troops a day European airlift brings (the first, light echelon)", "troops/day",
              low=300, high=3000, reason="assumption: no sourced figure; the US holds most "
              "of NATO's strategic lift and about 90% of its air-to-air refuelling (RUSI 2014)"),
        _band("airlift_capacity_us", int, 3000,
              "troops a day US airlift adds at full US reach", "troops/day", low=1000,
              high=6000, reason="assumption: no sourced figure; scaled by US reach"),
        _band("integration_delay_cut", float, 0.5,
              "readiness stretched per unit of command integration below NATO's", "share",
              low=0.25, high=0.75, reason="assumption: the NATO Force Model's windows assume "
              "NATO's command; with none (integration 0) readiness takes 40% longer"),
        _band("no_plan_days", int, 10,
              "extra days to generate forces without a standing plan (Art. 42.7 alone)", "days",
              low=0, high=30, reason="assumption: Art. 42.7 has no pre-assigned command or "
              "force plan; assistance is arranged case by case (art427_procedure.csv)"),
        _band("interoperability_penalty", float, 0.4,
              "effectiveness lost by a fragmented coalition", "share", low=0.2, high=0.6),
        _band("nato_command_integration", float, 0.8, "integration NATO's command provides",
              "share", low=0.6, high=1.0,
              reason="assumption: NATO's integrated structure is high but not perfect"),
        _band("readiness_spread", float, 0.5,
              "spread of the allies' common readiness on the day, +/- share", "share",
              low=0.0, high=0.8, reason="assumption: NATO's readiness figures are ceilings "
              "('up to 10 days', readiness.csv); training cycles, rotations and strategic "
              "warning make the allies faster or slower together; each run draws one factor "
              "in 1 +/- this share for every ally's readiness days"),
        _band("rrf_command_delay_days", int, 5,
              "extra days the RRF needs with no EU command (none at full integration)", "days",
              low=0, high=20, reason="assumption: the MPCC commands only non-executive "
              "missions today (SOURCES.md); forming a command for an executive operation "
              "takes days to weeks"),
        _band("us_reinforcement_troops", int, 40_000,
              "US troops for the theatre at full commitment",
              "troops", low=20_000, high=100_000,
              reason="assumption: about 80,000-100,000 US troops are in Europe (us_enablers.csv, "
              "2022-25) and up to 200,000 more could come (RAND 2024 via Bruegel/Kiel); the "
              "ground forces one theatre gets within months"),
        _band("us_deployment_days", int, 10,
              "readiness of the first US tier once the attack is recognised", "days",
              reason="assumption: US forces stationed in Europe move as NATO's first tier "
              "(within 10 days); half to double"),
        _band("us_enabler_boost", float, 0.3,
              "gain in effectiveness from full enablers (ISR, air power, lift)", "share",
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
              "share", low=0.25, high=1.0,
              reason="assumption: no source pins it; from half the default to an agreement "
              "that passes all of it, as Art. 5 does (an adopted reform sets it to "
              "its own us_cooperation_share, docs/REFORM.md §5)"),
        _band("us_channel_bilateral", float, 0.25,
              "share of US commitment reaching the theatre bilaterally", "share",
              low=0.1, high=0.5),
        # --- uncertainties: capability bought before the crisis ---------------------
        _band("enabler_spend_share", float, 0.2,
              "share of extra defence money spent on enablers (lift, ISR, refuelling)", "share",
              low=0.1, high=0.4, reason="assumption; acts only if crisis_year > 2025"),
        _band("enabler_replacement_bn", float, 265.0,
              "cost of replacing the US enablers", "EUR bn", low=209.0, high=318.0,
              reason="IISS (May 2025): one-off procurement to replace the US contribution, "
              "USD 226-344 bn (us_enablers.csv), at 1.0824 USD per EUR"),
        _band("readiness_gain", float, 0.5,
              "elasticity of readiness times in a state's defence spending", "ratio",
              low=0.0, high=1.0, reason="assumption: money buys stocks and training that "
              "shorten readiness; acts only if crisis_year > 2025"),
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

