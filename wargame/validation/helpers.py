"""V7: who helps the attacked state, beside the ties that should explain it.

Everything the check expects comes from data: the defence ties table (`wargame.ties`:
framework and host nations, mutual-assistance clauses), the neutrality policy of
`deployment_rules.csv` (`wargame.posture.neutral_policy`), the scenario's adversary and
the `parties` its file names. The only state the check names is Iceland, whose "sends no
troops" is a check of the roster (no armed forces), not a rule of the model.
"""

from __future__ import annotations

import importlib
from types import ModuleType

import pandas as pd

from wargame.validation import measures as m
from wargame.validation import stats
from wargame.validation.context import ScenarioInfo
from wargame.validation.records import Finding, Table

#: Obligations of the ties table that put a state's troops in the host (a = the state).
STATIONING = ("framework_nation", "host_nation")
MUTUAL_ASSISTANCE = "mutual_assistance_clause"
#: Share of armed attacks in which a stationing nation or a treaty partner must help.
HELP_SHARE = 0.80
#: Largest share of armed attacks in which a state bound to the target by nothing (no
#: treaty bond in the run's regime, no tie of any kind in defence_ties.csv) may send
#: forces. A project clause beside the issue's (assumption): such a state is not
#: forbidden to fight, but a coalition of the willing that picks it often is what a
#: reviewer dismisses on sight (docs/MODEL.md §5).
UNBOUND_FORCES_SHARE = 0.05
#: A stationing nation's reinforcement is judged in wars that last this long: a
#: parliament's mandate takes 10 days on average (`mandate_days_parliament`) and the first
#: units need a few days more to be ready and on the road (assumption).
REINFORCE_DAYS = 14
ICELAND = "ISL"
COLUMNS = ("iso3", "state", "P(forces)", "P(money or more)", "troops stationed (mean)",
           "troops arrived beyond stationed (mean)", "ties to the target")


def _module(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError:
        return None


def _ties(helper: str, target: str) -> list | None:
    ties = _module("wargame.ties")
    return None if ties is None else list(ties.ties_between(helper, target))


def _tie_words(ties: list) -> str:
    """'framework_nation (NATO_eFP); 2 x joint_force': the obligations, counted."""
    counts: dict[str, list[str]] = {}
    for tie in ties:
        counts.setdefault(str(tie.obligation), []).append(str(tie.kind))
    return "; ".join(f"{obligation} ({kinds[0]})" if len(kinds) == 1
                     else f"{len(kinds)} x {obligation}" for obligation, kinds in counts.items())


def _levels(runs: pd.DataFrame, states: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """Per state-run: iso3, name, the level reached (rank), troops stationed and arrived
    beyond them, armed attack and whether the war lasted `REINFORCE_DAYS`."""
    levels, note = m.level_reached(states)
    indexed = runs.set_index("run_id")
    armed = m.armed(runs).set_axis(runs["run_id"])
    war_days = indexed["days"] - indexed["day_armed_attack"]
    frame = pd.DataFrame({
        "run_id": states["run_id"], "iso3": states["iso3"], "name": states["name"],
        "rank": m.commitment_rank(levels),
        "armed": states["run_id"].map(armed).astype(bool),
        "long": states["run_id"].map(war_days >= REINFORCE_DAYS).fillna(False).astype(bool),
    })
    if "bound" in states.columns:
        frame["bound"] = states["bound"].astype(float).to_numpy()
    stationed = states["stationed_troops"].astype(float).to_numpy()
    frame["stationed"] = stationed
    frame["beyond"] = states["troops_arrived"].astype(float).to_numpy() - stationed
    return frame, note


def helper_table(scenario: ScenarioInfo, runs: pd.DataFrame, states: pd.DataFrame) -> Table:
    """P(forces), P(money or more) and troops arrived per helper, over armed attacks."""
    frame, note = _levels(runs, states)
    attacked = frame[frame["armed"]]
    rows = []
    for iso3, group in attacked.groupby("iso3", sort=False):
        ties = _ties(str(iso3), scenario.target)
        rows.append((
            iso3, group["name"].iloc[0],
            float(m.at_least(group["rank"], "FORCES").mean()),
            float(m.at_least(group["rank"], "FINANCIAL").mean()),
            float(group["stationed"].mean()), float(group["beyond"].mean()),
            "n/a (needs model v3 wargame.ties)" if ties is None else _tie_words(ties)))
    rows.sort(key=lambda row: (-(row[4] + row[5]), -row[2], row[0]))
    runs_attacked = int(m.armed(runs).sum())
    notes = [f"{runs_attacked:,} of {len(runs):,} runs of the lever grid reach an armed attack"]
    if note:
        notes.append(f"commitment: {note}")
    return Table(f"{scenario.target_name} ({scenario.target}), scenario {scenario.name}",
                 COLUMNS, tuple(rows), "; ".join(notes))


def helper_findings(scenario: ScenarioInfo, runs: pd.DataFrame,
                    states: pd.DataFrame) -> list[Finding]:
    """The clauses of V7 for one scenario."""
    frame, note = _levels(runs, states)
    attacked = frame[frame["armed"]]
    helpers = list(dict.fromkeys(frame["iso3"]))
    where = scenario.name
    findings = []
    ties = {iso3: _ties(iso3, scenario.target) for iso3 in helpers}
    if any(t is None for t in ties.values()):
        findings.append(Finding(f"{where}: tied states", "stationing nations send forces, "
                                "treaty partners help, in >= 80% of armed attacks", None,
                                "share", None, "needs model v3 wargame.ties"))
    else:
        for iso3, links in ties.items():
            stationed = any(str(t.obligation) in STATIONING and t.a_iso3 == iso3
                            and t.b_iso3 == scenario.target for t in links)
            # A treaty's clause, not a political declaration (UK-Finland 2022): the
            # declarations stay in the table, beside the states they tie.
            treaty = any(str(t.obligation) == MUTUAL_ASSISTANCE and t.clause_strength == 1.0
                         for t in links)
            rank = attacked.loc[attacked["iso3"] == iso3, "rank"]
            if stationed:
                # Its stationed troops fight from the first day by construction; what it
                # decides is whether to send more, once a war lasts long enough to tell.
                lasting = attacked[(attacked["iso3"] == iso3) & attacked["long"]]
                estimate = stats.share_of(lasting["beyond"] > 0)
                findings.append(Finding(
                    f"{where}: {iso3} (stationed)", "a framework or stationing nation gets "
                    f"troops beyond its stationed ones to its host in >= 80% of armed attacks "
                    f"lasting >= {REINFORCE_DAYS} days", estimate, "share",
                    estimate.value >= HELP_SHARE if estimate.n else None,
                    note or ("" if estimate.n else f"no armed attack lasted {REINFORCE_DAYS} "
                             "days")))
            if treaty:
                estimate = stats.share_of(m.at_least(rank, "FINANCIAL"))
                findings.append(Finding(
                    f"{where}: {iso3} (treaty)", "a partner by a treaty's mutual-assistance "
                    "clause helps in >= 80% of armed attacks", estimate, "share",
                    estimate.value >= HELP_SHARE if estimate.n else None,
                    note or ("" if estimate.n else "no armed attack")))
        findings.append(_unbound(where, attacked, ties))
    findings.append(_neutral(where, frame))
    findings.append(_iceland(where, frame))
    findings.append(_parties(scenario, frame))
    return findings


def _unbound(where: str, attacked: pd.DataFrame, ties: dict[str, list]) -> Finding:
    """No state with no treaty bond in the run and no tie to the target sends forces often:
    judged on the one that does most, among those able to send any (a neutral policy or
    no armed forces would make a pooled share look smaller than it is)."""
    target = (f"no state bound to the target by no treaty, clause or tie sends forces in > "
              f"{UNBOUND_FORCES_SHARE:.0%} of armed attacks")
    if "bound" not in attacked.columns:
        return Finding(f"{where}: unbound states", target, None, "share", None,
                       "the model reports no treaty bond per state (`bound`)")
    untied = {iso3 for iso3, links in ties.items() if not links and _able(iso3)}
    unbound = attacked[attacked["iso3"].isin(untied) & (attacked["bound"] == 0.0)]
    if unbound.empty:
        return Finding(f"{where}: unbound states", target, None, "share", True,
                       "no state able to send forces is bound by nothing")
    shares = {iso3: stats.share_of(m.at_least(group["rank"], "FORCES"))
              for iso3, group in unbound.groupby("iso3", sort=True)}
    worst = max(shares, key=lambda iso3: shares[iso3].value)
    pooled = stats.share_of(m.at_least(unbound["rank"], "FORCES"))
    return Finding(f"{where}: unbound states", target, shares[worst], "share",
                   shares[worst].value <= UNBOUND_FORCES_SHARE,
                   f"the most: {worst}; all of {', '.join(shares)}: {pooled.value:.1%}")


def _able(iso3: str) -> bool:
    """It may send forces at all: armed forces and no neutrality policy."""
    posture, roster = _module("wargame.posture"), _module("wargame.roster")
    policy = getattr(posture, "neutral_policy", None)
    neutral = bool(policy(iso3)) if policy else False
    troops = roster.load_roster()[iso3].deployable_troops if roster else 1
    return troops > 0 and not neutral


def _neutral(where: str, frame: pd.DataFrame) -> Finding:
    posture = _module("wargame.posture")
    policy = getattr(posture, "neutral_policy", None)
    target = "no state with an explicit neutrality policy sends forces"
    if policy is None:
        return Finding(f"{where}: neutral states", target, None, "share", None,
                       "needs model v3 wargame.posture.neutral_policy")
    neutral = frame[frame["iso3"].map(lambda iso3: bool(policy(iso3)))]
    sent = stats.share_of(m.at_least(neutral["rank"], "FORCES"))
    names = ", ".join(sorted(set(neutral["iso3"]))) or "none among the helpers"
    return Finding(f"{where}: neutral states", target, sent, "share", sent.value == 0.0
                   if sent.n else True, f"state-runs of {names}")


def _iceland(where: str, frame: pd.DataFrame) -> Finding:
    iceland = frame[frame["iso3"] == ICELAND]
    arrived = iceland["stationed"] + iceland["beyond"]
    sends = m.at_least(iceland["rank"], "FORCES") | (arrived > 0)
    estimate = stats.share_of(sends)
    return Finding(f"{where}: {ICELAND}", "Iceland (no armed forces) sends no troops", estimate,
                   "share", estimate.value == 0.0 if estimate.n else True,
                   "" if estimate.n else "Iceland is not among the helpers")


def _parties(scenario: ScenarioInfo, frame: pd.DataFrame) -> Finding:
    target = "neither the adversary nor a party to the conflict gives money or forces"
    parties = scenario.parties
    if parties is None:
        return Finding(f"{scenario.name}: parties", target, None, "share", None,
                       "needs model v3 input parties")
    banned = {*parties, str(scenario.parameters.get("adversary", ""))}
    involved = frame[frame["iso3"].isin(banned)]
    helps = stats.share_of(m.at_least(involved["rank"], "FINANCIAL"))
    names = ", ".join(sorted(set(involved["iso3"]))) or "none of them among the helpers"
    return Finding(f"{scenario.name}: parties", target, helps, "share",
                   helps.value == 0.0 if helps.n else True, f"state-runs of {names}")
