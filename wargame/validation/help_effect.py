"""E1: how much do new European pledges of forces change the end of a war? (reported)

The hostile review of the calibrated model (docs/MODEL.md §5) found that European help moves
P(defeated) little. The issue sets no threshold for it, and one chosen after seeing the
numbers would be no test; so the battery reports it for every scenario, and every later
change of the combat or decision model shows whether Europe's help has come to matter.

The counterfactual is the calibrated hurdle of pledging forces (`barrier_forces`, or the
value a posterior draw or the scenario file sets) against the top of its registry range,
where governments seldom pledge new forces. It is not "no European forces": money still
flows; every state with soldiers stationed in the target keeps them and sends its first
tier once they are attacked (docs/MODEL.md §3.4); the EU rapid-reaction force still deploys
to an EU target (not counted in `reinforcements_arrived`); and US forces stationed in the
target stay whatever u is. The difference therefore has two parts: pledges made before
an attack deter it (P(deterred) falls), and troops that arrive fight. The runs are the
scenario's own settings at u = 0, under its own governance and, for a NATO target,
Art. 42.7 alone, with paired seeds.
"""

from __future__ import annotations

import math

import pandas as pd

from wargame.validation import measures as m
from wargame.validation import stats
from wargame.validation.context import Context, ScenarioInfo
from wargame.validation.experiments import Experiment, Settings
from wargame.validation.records import Check, Finding, Table

#: The input the counterfactual moves: the hurdle of pledging forces.
HURDLE = "barrier_forces"
#: The regime compared with the scenario's own: the EU clause alone (for a NATO target only:
#: outside NATO every crisis regime gives the same runs, wargame.levers.nato_governance).
EU_CLAUSE_ALONE = "art427_only"


def hurdles(scenario: ScenarioInfo, settings: Settings) -> tuple[float, float]:
    """(the hurdle the runs would have: a posterior draw's, the scenario's or the
    calibrated default; the registry's top)."""
    from wargame.inputs import DEFAULTS, INPUTS

    own = settings.parameters.get(HURDLE, scenario.parameters.get(HURDLE, DEFAULTS[HURDLE]))
    return float(own), float(INPUTS[HURDLE].high)


def regimes(scenario: ScenarioInfo) -> tuple[str, ...]:
    """The scenario's own governance and, for a NATO target, Art. 42.7 alone."""
    from wargame.inputs import DEFAULTS

    own = str(scenario.parameters.get("governance", DEFAULTS["governance"]))
    if scenario.target_in_nato and own != EU_CLAUSE_ALONE:
        return own, EU_CLAUSE_ALONE
    return (own,)


def experiment(scenario: ScenarioInfo, settings: Settings) -> Experiment | None:
    """The scenario at u = 0 with the hurdle as it would be and at its top, under each
    regime of the comparison; None when the hurdle is at its top already."""
    low, top = hurdles(scenario, settings)
    if low >= top:
        return None
    levels = {HURDLE: (low, top), "governance": regimes(scenario)}
    return Experiment(
        f"help-{scenario.name}", scenario.ref, levels,
        f"validation: {scenario.name} at u = 0 with new pledges of European forces as "
        f"calibrated and seldom ({HURDLE} at its range's top)", {"us_commitment": 0.0})


def _war_days(runs: pd.DataFrame) -> float:
    """Median days from the first armed attack to the end, over the runs that had one."""
    armed = runs[m.armed(runs)]
    return stats.median((armed["days"] - armed["day_armed_attack"]).to_numpy()).value


def finding(subject: str, cell: pd.DataFrame, low: float, top: float) -> Finding:
    """E1 for one scenario and regime: `cell` holds both arms' runs, paired by replication.

    The estimate is P(defeated) at the top minus as calibrated, with Newcombe's interval
    for paired shares (`stats.paired_shares`: where a few seeds change, the t interval of
    the differences is far too narrow); the note gives what moved it: deterrence
    (P(deterred)), the seeds that moved into and out of defeat (McNemar's b and c), the
    troops that arrived, ground lost, and the war's length from the attack (the arms'
    armed runs differ, so the medians are not paired)."""
    outcomes = cell.pivot(index="replication", columns=HURDLE, values="outcome")
    before, after = outcomes[low] == "defeated", outcomes[top] == "defeated"
    into = int((after & ~before).sum())
    out_of = int((before & ~after).sum())
    change = stats.paired_shares(before.to_numpy(), after.to_numpy())
    ground = m.paired(cell, HURDLE, low, top, cell["territory_lost"], ())
    arms = {level: cell[cell[HURDLE] == level] for level in (low, top)}
    lost = {level: m.defeated(arm).mean() for level, arm in arms.items()}
    deterred = {level: (arm["outcome"] == "deterred").mean() for level, arm in arms.items()}
    arrived = {level: arm["reinforcements_arrived"].mean() for level, arm in arms.items()}
    war = {level: _war_days(arm) for level, arm in arms.items()}
    days = " -> ".join("-" if math.isnan(war[level]) else f"{war[level]:g}"
                       for level in (low, top))
    return Finding(
        subject, "reported: change in P(defeated) when governments seldom pledge new forces",
        change, "points", None,
        f"P(defeated) {lost[low]:.1%} -> {lost[top]:.1%} ({into} seeds into defeat, {out_of} "
        f"out of it, of {len(outcomes)}); P(deterred) {deterred[low]:.1%} -> "
        f"{deterred[top]:.1%}; troops arrived {arrived[low]:,.0f} -> {arrived[top]:,.0f} "
        f"(mean, states' own, not the RRF); ground lost {m.points(ground)}; median war "
        f"after the attack {days} days")


def e1(ctx: Context) -> tuple[list[Finding], list[Table]]:
    findings = []
    for scenario in ctx.scenarios:
        made = experiment(scenario, ctx.settings)
        if made is None:
            findings.append(Finding(
                scenario.name, "reported: change in P(defeated) when governments seldom "
                "pledge new forces", None, "points", None,
                f"{HURDLE} is at its range's top already: nothing to compare"))
            continue
        low, top = hurdles(scenario, ctx.settings)
        runs = ctx.runs(made)
        for regime, cell in runs.groupby("governance", sort=False):
            findings.append(finding(f"{scenario.name}: {regime}", cell, low, top))
    return findings, []


E1 = Check(
    "E1", "European help",
    "hostile review of the calibrated model (docs/MODEL.md §5): European help moved the "
    "outcome little", "reported, not judged: the change in P(defeated) at u = 0 when "
    f"governments seldom pledge new forces ({HURDLE} at its range's top; stationed "
    "garrisons, the RRF and money remain), under the scenario's governance and Art. 42.7 "
    "alone", lambda ctx: [made for s in ctx.scenarios
                          if (made := experiment(s, ctx.settings)) is not None],
    e1, judged=False)

HELP_CHECKS = (E1,)
