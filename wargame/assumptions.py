"""Behavioural constants of the model: each is an assumption or a cited figure.

They are not scenario parameters (those are in `wargame.parameters`) but the functional
forms' coefficients. Each has its reason in docs/MODEL.md, section "Details"; a test
checks that every constant here appears there with the same value. Utilities are in
units of the logit's scale (a difference of 1 multiplies the odds of a move by e).
"""

# --- Decisions: utility of stepping up one commitment level --------------------------
#: Utility per step when a treaty (Art. 42.7 or Art. 5) binds the state fully.
OBLIGATION_WEIGHT = 2.0
#: Utility from threat = exposure (proximity, doubled for a border with Russia/Belarus)
#: times the escalation rung's share of the ladder.
THREAT_WEIGHT = 3.0
#: Conditional cooperation: utility per unit of the coalition's capability share already
#: at or above the level considered.
PEER_WEIGHT = 2.0
#: Free-riding pull of US commitment on the costly steps (FINANCIAL, FORCES), per unit of
#: the adversary's operational force the promised US reinforcement covers (at most 1).
FREE_RIDE_WEIGHT = 1.5
#: Fixed political hurdle of entering each level (POLITICAL, FINANCIAL, FORCES).
STEP_BARRIER = (0.5, 1.5, 3.0)
#: Extra utility lost by stepping back down: reversing a public commitment costs
#: credibility with allies and voters, so commitments are sticky (hysteresis).
REVERSAL_COST = 3.5
#: Days a state must have spent at the level below before it can step up to each level:
#: a statement needs no preparation, a package a cabinet decision, troops a mandate.
DELIBERATION_DAYS = (0, 2, 5)
#: Cost in utility: one unit per this share of GDP, divided by fiscal space.
COST_SCALE_SHARE_GDP = 0.0005
#: The money-and-materiel package a state pledges on entering FINANCIAL, share of GDP.
FINANCIAL_AID_SHARE_GDP = 0.0005
#: Days of deployment whose cost a state weighs when deciding to send forces.
DEPLOYMENT_HORIZON_DAYS = 30
#: Cost of one deployed troop-day relative to the state's average peacetime cost per
#: troop-day (its defence spending / active personnel / 365).
DEPLOYMENT_COST_FACTOR = 2.0
#: Distance (km) over which the sense of threat falls by a factor e.
PROXIMITY_SCALE_KM = 1000.0

# --- Deployment and command ---------------------------------------------------------
#: Days to alert, load and move out, before any transit.
BASE_DEPLOYMENT_DAYS = 4.0
#: Transit speed of a heavy contingent by road and rail.
TRANSIT_KM_PER_DAY = 400.0
#: Share of the deployment delay that full command integration removes.
INTEGRATION_DELAY_CUT = 0.5
#: Loss of effectiveness of a fully fragmented coalition with no integrated command.
INTEROPERABILITY_PENALTY = 0.4
#: Integration that NATO's integrated military command structure provides to a NATO
#: target (and a European SACEUR under eu_led_nato).
NATO_COMMAND_INTEGRATION = 0.8
#: EU command integration needed before the rapid-reaction force can be led.
RRF_COMMAND_THRESHOLD = 0.5

# --- The United States --------------------------------------------------------------
#: US troops sent at us_commitment = 1 through the Art. 5 channel.
US_REINFORCEMENT_TROOPS = 20_000
#: Days until US reinforcements are in theatre.
US_DEPLOYMENT_DAYS = 10
#: Share of US commitment that reaches the theatre by channel.
US_CHANNEL = {"art5": 1.0, "cooperation": 0.5, "bilateral": 0.25}

# --- The adversary and combat -------------------------------------------------------
#: Share of the adversary's operational force committed at HYBRID, INCURSION, CONVENTIONAL.
RUNG_COMMITMENT = (0.1, 0.4, 1.0)
#: Attacker:defender ratio at which escalation is most likely (the 3:1 rule of thumb);
#: below it the daily chance falls linearly to nil at DETER_RATIO.
ESCALATE_RATIO = 3.0
#: Attacker:defender ratio at or below which the adversary counts a day as deterred.
DETER_RATIO = 1.5
#: Daily probability of climbing one rung at or above ESCALATE_RATIO.
ESCALATION_PROBABILITY = 0.1
#: Consecutive deterred days after which the adversary stands down.
DETERRENCE_DAYS = 7
#: Weight the adversary gives to pledged troops not yet deployed.
PLEDGE_CREDIT = 0.5
#: Territory lost per day at CONVENTIONAL = ADVANCE_RATE x ln(attacker:defender ratio).
ADVANCE_RATE = 0.05
#: Share of territory lost at which the target is defeated.
DEFEAT_THRESHOLD = 0.3
