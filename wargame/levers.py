"""Dead levers: swept inputs that cannot change anything under a sweep's fixed settings.

A new user of model version 1 swept the rapid-reaction force at `command_integration =
0.2`, saw no effect, and PRIM then reported a rule on that dead lever: no EU command could
lead the force, so it never deployed. `wargame sweep` names such inputs before it starts
(one line each) and records them in the manifest (`inert_inputs`).

Each rule below is one function that reads the model's own conditions (the regimes'
flags of `wargame.regimes`, which `wargame.governance` reads too; the roster) and returns
{input: reason} for the inputs it finds inert. A rule sees `values`: for every input, the
values it can take in this sweep (a fixed input's one value; a grid's levels; a sampled
range's [low, high]). A rule only reports an input when it is inert for *every*
combination of those values, so it never hides a live lever; it may miss a dead one.
When the crisis model changes, change the rule beside the mechanism it mirrors (the rules
follow model version 3).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from wargame.capability import BASE_YEAR
from wargame.reform.inputs import REFORM_INPUTS
from wargame.regimes import REGIMES, Regime
from wargame.roster import ADVERSARY, StateProfile, load_roster

#: The values each input can take in a sweep: {name: [value, ...]}.
Values = dict[str, list[Any]]


def _targets(values: Values) -> list[StateProfile]:
    roster = load_roster()
    return [roster[iso3] for iso3 in values["target"]]


def _regimes(values: Values) -> list[Regime]:
    return [REGIMES[name] for name in values["governance"]]


def _rrf_can_ever_deploy(values: Values) -> tuple[bool, str]:
    """Whether any combination sends the EU rapid-reaction force, and why not.

    It goes to any EU target (wargame.governance.rrf_arrival_day), with a readiness that
    grows continuously with the command that leads it, if it has troops.
    """
    targets = _targets(values)
    if not any(t.eu_member for t in targets):
        return False, f"the target ({', '.join(t.name for t in targets)}) is not an EU member"
    if max(values["rapid_reaction_force"]) == 0:
        return False, "it has no troops (rapid_reaction_force = 0)"
    return True, ""


#: What acts only through the RRF once it is in the target: its readiness, its command
#: delay, and the tripwire its members feel through their soldiers in it.
_RRF_MECHANISMS = ("rrf_readiness_days", "rrf_command_delay_days", "rrf_tripwire_share",
                   "rrf_tripwire_troops")


def rapid_reaction_force(values: Values) -> dict[str, str]:
    """The RRF's size and readiness matter only where it goes (an EU target) and, for its
    readiness, its command delay and its tripwire, only if it has troops."""
    targets = _targets(values)
    if not any(t.eu_member for t in targets):
        reason = (f"the EU rapid-reaction force goes only to an EU member; the target "
                  f"({', '.join(t.name for t in targets)}) is not one")
        return dict.fromkeys(("rapid_reaction_force", *_RRF_MECHANISMS), reason)
    can, why = _rrf_can_ever_deploy(values)
    if not can:
        return dict.fromkeys(_RRF_MECHANISMS, f"the EU rapid-reaction force never deploys: "
                                              f"{why}")
    return {}


#: What capability bought before the crisis acts through (wargame.capability): spending
#: factors (troops' quality, the deployable share, readiness) and European enablers.
_BOUGHT = ("hague_path", "safe_loans_bn", "enabler_spend_share", "enabler_replacement_bn",
           "readiness_gain")


def capability_bought(values: Values) -> dict[str, str]:
    """Capability is bought from 2025 on (wargame.crisis_setup.crisis_roster): a crisis
    in 2025 meets today's forces, whatever the path, the loans and their use; and a reform
    in force raises budgets only after its negotiation has begun (2026). With no money
    spent, nothing buys enablers, and readiness moves only with a reform's budget rise."""
    if max(values["crisis_year"]) <= BASE_YEAR:
        return dict.fromkeys(_BOUGHT, f"nothing is bought before a crisis in {BASE_YEAR} "
                                      f"(crisis_year = {BASE_YEAR})")
    if max(values["hague_path"]) > 0 or max(values["safe_loans_bn"]) > 0:
        return {}
    reason = "no money is spent on capability (hague_path = 0, safe_loans_bn = 0)"
    inert = dict.fromkeys(("enabler_spend_share", "enabler_replacement_bn"), reason)
    if not any(r.two_stage for r in _regimes(values)):
        inert["readiness_gain"] = f"{reason} and no reform raises budgets"
    return inert


def landing_capacity(values: Values) -> dict[str, str]:
    """Troops come ashore at `landing_capacity` a day only for an attacker from the sea;
    one across a land border brings its force all at once (wargame.agents)."""
    if set(values["adversary"]) == {ADVERSARY}:
        return {"landing_capacity": f"only an attacker from the sea lands its troops; the "
                                    f"adversary is {ADVERSARY}, across a land border"}
    return {}


def non_eu_inclusion(values: Values) -> dict[str, str]:
    """The bond of non-EU allies acts only under a NATO the EU leads, towards a NATO member
    (wargame.governance.treaty_bond); a two-stage run sets each state's own bond."""
    eu_led = [r.name for r in REGIMES.values()
              if r.nato_treaty and r.leader == "EU" and not r.two_stage]
    if not set(eu_led) & set(values["governance"]):
        return {"non_eu_inclusion": "it binds non-EU allies only under governance = "
                                    f"{' or '.join(eu_led)}, which this sweep never uses"}
    if not any(t.nato_member for t in _targets(values)):
        return {"non_eu_inclusion": "it binds non-EU allies only towards a NATO member; "
                                    "the target is not one"}
    return {}


def reform_inputs(values: Values) -> dict[str, str]:
    """The negotiation's inputs are read only by a two-stage run (wargame.reform.stage)."""
    if any(r.two_stage for r in _regimes(values)):
        return {}
    return dict.fromkeys(REFORM_INPUTS, "only a two-stage run (governance = reform) "
                                        "negotiates; this sweep never uses it")


def neutral_opt_in(values: Values) -> dict[str, str]:
    """Opting in lets neutral states send forces (model: may_send_forces); it needs a
    neutral state among the helpers."""
    targets = {t.iso3 for t in _targets(values)}
    helpers = [p for p in load_roster().coalition_candidates() if p.iso3 not in targets]
    if not any(p.neutral for p in helpers):
        return {"neutral_opt_in": "no neutral state is among the possible helpers"}
    return {}


def eu_financing(values: Values) -> dict[str, str]:
    """The EU fund reimburses EU members helping an EU member (model: reimbursable), and
    only if it holds money and promises a share of costs."""
    if not any(t.eu_member for t in _targets(values)):
        reason = "the EU fund reimburses only help to an EU member; the target is not one"
        return {"eu_financing": reason, "eu_fund_bn": reason}
    inert = {}
    if max(values["eu_fund_bn"]) == 0:
        inert["eu_financing"] = "the EU fund is empty (eu_fund_bn = 0)"
    if max(values["eu_financing"]) == 0:
        inert["eu_fund_bn"] = "the EU fund reimburses nothing (eu_financing = 0)"
    return inert


def command_integration(values: Values) -> dict[str, str]:
    """EU command integration acts through the theatre's integration, which NATO's command
    sets instead when it is higher (wargame.governance.theatre_integration), and through
    the RRF's readiness, which it leads unless a European SACEUR does
    (wargame.governance.rrf_arrival_day)."""
    targets, regimes = _targets(values), _regimes(values)
    # A two-stage run's crisis runs under today's NATO or an EU-led NATO: NATO's command
    # in both; its own flags are today's.
    covered = (all(t.nato_member for t in targets)
               and all(r.nato_command for r in regimes)
               and max(values["command_integration"]) <= min(values["nato_command_integration"]))
    if not covered:
        return {}
    rrf_never = not _rrf_can_ever_deploy(values)[0]
    saceur_leads = all(r.command == "european_saceur" for r in regimes)
    if rrf_never or saceur_leads or max(values["rrf_command_delay_days"]) == 0:
        return {"command_integration": (
            "NATO's integrated command (nato_command_integration "
            f">= {min(values['nato_command_integration']):g}) sets the theatre's integration "
            "here, and no rapid-reaction force waits on the EU's command")}
    return {}


def nato_governance(values: Values) -> dict[str, str]:
    """The regimes differ in NATO's treaty, command and US channel, which serve only a NATO
    target (wargame.governance: a non-NATO target is reached bilaterally, commanded by the
    EU's own command and bound by Art. 42.7 alone under every regime); only a two-stage
    run's reform, which can raise budgets, reaches one."""
    if any(t.nato_member for t in _targets(values)) or any(r.two_stage
                                                           for r in _regimes(values)):
        return {}
    names = ", ".join(t.name for t in _targets(values))
    return {"governance": f"the target ({names}) is not a NATO member: NATO's treaty, command "
                          "and US channel, in which the regimes differ, never reach it"}


#: Every rule, in the order their lines are printed.
RULES: tuple[Callable[[Values], dict[str, str]], ...] = (
    rapid_reaction_force, non_eu_inclusion, neutral_opt_in, eu_financing, command_integration,
    nato_governance, capability_bought, landing_capacity, reform_inputs,
)


def inert_inputs(base: dict[str, Any], swept: Values) -> dict[str, str]:
    """{swept input: reason} for each swept input no combination of values can make act.

    `base` holds every input's fixed value; `swept` the values each swept input takes.
    Only swept inputs are reported: a fixed dead input changes nothing by design.
    """
    values: Values = {name: [value] for name, value in base.items()}
    values.update({name: list(v) for name, v in swept.items()})
    found: dict[str, str] = {}
    for rule in RULES:
        for name, reason in rule(values).items():
            if name in swept:
                found.setdefault(name, reason)
    return found
