"""The checks R1-R4 of `wargame validate`: the reform game's actors behave as analysts expect.

Issue 19 item 7. Each check reads a negotiation sweep (model = "negotiation") run through
the common pipeline with paired seeds, like the crisis checks' experiments; the verdict
rules are those of `wargame.validation.checks`. The states a check names (Poland and the
Baltic states, France, the UK and Türkiye) are its subjects, as the issue states it; the
model itself reads every state's behaviour from the data tables.

- R1: the frontline Atlanticists value the US guarantee more than the average ally and
  are not the reform's strongest supporters when the package cuts US funding;
- R2: France supports a package it initiates more often than the median EU member;
- R3: the UK's and Türkiye's choices follow from what the package offers them;
- R4: a package that needs no treaty change is never blocked by a ratification step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from wargame.validation import stats
from wargame.validation.context import Context
from wargame.validation.experiments import BASE_SEED, Experiment, Settings
from wargame.validation.records import Check, Finding, Table  # noqa: F401 (Measured)

Measured = tuple[list[Finding], list[Table]]


def frontline_atlanticists() -> tuple[str, ...]:
    """The issue's Poland and Baltic states, from the roster: the EU allies that border
    Russia or Belarus (Finland, which also does, is among them)."""
    from wargame.roster import load_roster

    return tuple(s.iso3 for s in load_roster().states.values()
                 if s.nato_member and s.eu_member and s.border_with_russia_or_belarus)


def initiators() -> tuple[str, ...]:
    """The states that initiate the package in the seed's framing (the registry default)."""
    from wargame.reform.inputs import REFORM_DEFAULTS

    return tuple(REFORM_DEFAULTS["initiators"].split())


def bargainers() -> tuple[str, ...]:
    """The issue's UK and Türkiye, from reform_asks.csv: the non-EU allies whose asks go
    beyond decision rights (a fee gap to pay, rivals that object)."""
    from wargame.reform.legal import asks
    from wargame.roster import load_roster

    roster = load_roster()
    return tuple(a.iso3 for a in asks().values() if roster[a.iso3].nato_member
                 and not roster[a.iso3].eu_member and (a.fee_gap_bn > 0 or a.objectors))


def linked() -> tuple[str, ...]:
    """The bargainers whose integration rivals object to (Türkiye)."""
    from wargame.reform.legal import asks

    return tuple(i for i in bargainers() if asks()[i].objectors)


@dataclass(frozen=True)
class NegotiationExperiment(Experiment):
    """A paired-seed grid sweep of the negotiation model (no scenario)."""

    def sweep_config(self, settings: Settings) -> dict[str, Any]:
        from wargame.reform.inputs import REFORM_INPUTS

        drawn = {k: v for k, v in settings.parameters.items()
                 if k in REFORM_INPUTS and k not in self.levels}
        return {
            "description": self.description,
            "model": "negotiation",
            "replications": settings.seeds,
            "base_seed": BASE_SEED,
            "paired_seeds": True,
            "parameters": {**drawn, **self.fixed},
            "design": {"kind": "grid", "levels": {k: list(v) for k, v in self.levels.items()}},
        }


def cut_experiment(ctx: Context) -> list[Experiment]:
    """R1, R2: the seed's package with the US free to cut (ceiling 1) and with no cut."""
    return [NegotiationExperiment(
        "reform-us-cut", "", {"us_cut_ceiling": (0.0, 1.0)},
        "validation: the default package with and without a US funding cut")]


def offer_experiment(ctx: Context) -> list[Experiment]:
    """R3: what the package offers the non-EU states: voice x money x a settled dispute."""
    return [NegotiationExperiment(
        "reform-offers", "", {"inclusiveness": (0.25, 0.5, 0.75, 1.0),
                              "side_payments_bn": (0.0, 25.0),
                              "linkage_resolution": (0.0, 0.5)},
        "validation: decision rights x side payments x chance of settling the Türkiye-"
        "Greece-Cyprus dispute")]


def path_experiment(ctx: Context) -> list[Experiment]:
    """R4: with and without the treaty change, at the ends of the ratification weights."""
    return [NegotiationExperiment(
        "reform-paths", "", {"treaty_change": (False, True),
                             "legislative_margin": (0.1, 0.4),
                             "ratification_floor": (0.25, 0.45)},
        "validation: the package with and without a treaty change, at the ends of the "
        "ratification uncertainties")]


def _states(ctx: Context, experiment: Experiment) -> pd.DataFrame:
    """The per-state rows with their run's replication and settled disputes."""
    runs = ctx.runs(experiment)[["run_id", "replication", "disputes_settled"]]
    return ctx.states(experiment).merge(runs, on="run_id")


def _first_yes(states: pd.DataFrame) -> pd.Series:
    """P(says yes in round 1) per veto player."""
    players = states[states["veto"]]
    return players.groupby("iso3")["first_yes"].mean()


def _guarantee_stake(states: pd.DataFrame, runs: pd.DataFrame) -> pd.Series:
    """What a cut of the US guarantee costs each NATO ally per unit: its guarantee value
    times its stake (frontline_stake where it borders Russia or Belarus)."""
    from wargame.reform.guarantee import GUARANTOR
    from wargame.roster import load_roster

    roster = load_roster()
    stake = float(runs["frontline_stake"].iloc[0])
    allies = states[states["nato_member"] & (states["iso3"] != GUARANTOR)]
    worth = allies.groupby("iso3")["guarantee"].first()
    return worth * [stake if roster[i].border_with_russia_or_belarus else 1.0
                    for i in worth.index]


def r1(ctx: Context) -> Measured:
    [experiment] = cut_experiment(ctx)
    runs, states = ctx.runs(experiment), _states(ctx, experiment)
    findings: list[Finding] = []
    value = _guarantee_stake(states, runs)
    average = float(value.mean())
    cut = states[states["us_cut_ceiling"] == 1.0]
    no_cut = states[states["us_cut_ceiling"] == 0.0]
    yes_cut, yes_none = _first_yes(cut), _first_yes(no_cut)
    median_yes = float(yes_cut.median())
    for iso3 in frontline_atlanticists():
        findings.append(Finding(
            f"{iso3}: worth of the US guarantee", f"above the average ally's "
            f"({average:.0%}; guarantee value x frontline stake)",
            stats.Estimate(float(value[iso3]), float(value[iso3]), float(value[iso3]), 1),
            "share", bool(value[iso3] > average)))
        flags = cut.loc[cut["iso3"] == iso3, "first_yes"].to_numpy(bool)
        share = stats.share_of(flags)
        findings.append(Finding(
            f"{iso3}: support when the US cuts", f"P(yes in round 1) below the median veto "
            f"player's ({median_yes:.0%}): not among the strongest supporters", share,
            "share", bool(share.value < median_yes),
            f"P(yes) without a cut {yes_none[iso3]:.0%}; highest with the cut: "
            f"{yes_cut.idxmax()} {yes_cut.max():.0%}"))
        paired = (cut.loc[cut["iso3"] == iso3].set_index("replication")["first_yes"]
                  .astype(float) - no_cut.loc[no_cut["iso3"] == iso3]
                  .set_index("replication")["first_yes"].astype(float))
        drop = stats.mean(paired.to_numpy())
        findings.append(Finding(
            f"{iso3}: the cut's effect", "the US cut lowers its support (paired, <= 0)",
            drop, "points", bool(drop.value <= 0.0)))
    return findings, []


def r2(ctx: Context) -> Measured:
    [experiment] = cut_experiment(ctx)
    states = _states(ctx, experiment)
    states = states[(states["us_cut_ceiling"] == 1.0) & states["veto"]]
    eu = states[states["eu_member"]]
    per_state = eu.groupby("iso3")["first_yes"].mean()
    findings = []
    for initiator in initiators():
        median_state = per_state.drop(initiator).median()
        own = eu.loc[eu["iso3"] == initiator, "first_yes"].to_numpy(bool)
        estimate = stats.share_of(own)
        findings.append(Finding(
            f"{initiator}: support for the package it initiates",
            f"P(yes in round 1) above the median EU member's ({median_state:.0%})",
            estimate, "share", bool(estimate.value > median_state)))
    return findings, []


def _expected_integration(merged: pd.DataFrame) -> pd.Series:
    """Whether each bargainer integrates by the bargain rule (reform_asks.csv)."""
    from wargame.reform.legal import asks

    table = asks()
    expected = []
    for row in merged.itertuples():
        ask = table[row.iso3]
        expected.append(row.inclusiveness >= ask.voice_ask
                        and (ask.fee_gap_bn <= 0 or bool(row.fee_paid))
                        and (not ask.objectors or bool(row.disputes_settled)))
    return pd.Series(expected, index=merged.index)


def r3(ctx: Context) -> Measured:
    [experiment] = offer_experiment(ctx)
    states = _states(ctx, experiment)
    findings: list[Finding] = []
    for iso3 in bargainers():
        merged = states[states["iso3"] == iso3]
        expected = _expected_integration(merged)
        agree = stats.share_of((merged["integrated"].astype(bool) == expected).to_numpy())
        findings.append(Finding(
            f"{iso3}: its choice follows the offer", "integrates exactly when the package "
            "meets every ask (voice, fee gap, rivals' objection) in 100% of runs", agree,
            "share", bool(agree.value == 1.0)))
        both = merged["integrated"].nunique() == 2
        integrated = stats.share_of(merged["integrated"].to_numpy(bool))
        findings.append(Finding(
            f"{iso3}: both options occur", "each option is taken somewhere in the grid",
            integrated, "share", bool(both)))
    from wargame.reform.legal import asks

    for iso3 in linked():
        rows = states[states["iso3"] == iso3]
        voice = rows[rows["inclusiveness"] >= asks()[iso3].voice_ask]
        settled = voice[voice["disputes_settled"]]["first_yes"].to_numpy(float)
        unsettled = voice[~voice["disputes_settled"]]["first_yes"].to_numpy(float)
        if not (len(settled) and len(unsettled)):
            continue
        a, b = stats.share_of(settled.astype(bool)), stats.share_of(unsettled.astype(bool))
        # A conservative interval for the difference of two independent shares.
        gap = stats.Estimate(a.value - b.value, a.low - b.high, a.high - b.low, a.n + b.n)
        findings.append(Finding(
            f"{iso3}: the linkage", f"says yes more often when its integration is not vetoed "
            f"by {' and '.join(asks()[iso3].objectors)} (dispute settled) than when it is",
            gap, "points", bool(gap.value > 0.0)))
    return findings, []


def r4(ctx: Context) -> Measured:
    [experiment] = path_experiment(ctx)
    runs = ctx.runs(experiment)
    findings: list[Finding] = []
    no_treaty = runs[~runs["treaty_change"].astype(bool)]
    failed = stats.share_of(((no_treaty["outcome"] == "ratification_failed")
                             | (no_treaty["ratification_blockers"].fillna("") != "")
                             ).to_numpy())
    findings.append(Finding(
        "no treaty change", "never blocked by a ratification step (0% of runs)", failed,
        "share", bool(failed.value == 0.0)))
    agreed = no_treaty[no_treaty["agreed"].astype(bool)]
    adopted = stats.share_of(agreed["adopted"].to_numpy(bool))
    findings.append(Finding(
        "no treaty change, agreed", "every agreed package is adopted (100%)", adopted,
        "share", bool(len(agreed) and adopted.value == 1.0)))
    treaty = runs[runs["treaty_change"].astype(bool) & runs["agreed"].astype(bool)]
    live = stats.share_of(treaty["ratified"].notna().to_numpy())
    findings.append(Finding(
        "treaty change, agreed", "goes to ratification in every agreed run (the check can "
        "fail)", live, "share", bool(len(treaty) and live.value == 1.0)))
    return findings, []


REFORM_CHECKS: tuple[Check, ...] = (
    Check("R1", "Frontline Atlanticists", "issue 19: Poland and the Baltic states were the "
          "reform's strongest supporters; us_guarantee.csv, forward_presence.csv",
          "Poland and the Baltic states value the US guarantee more than the average ally and "
          "are not the strongest supporters when the package cuts US funding",
          cut_experiment, r1),
    Check("R2", "The initiator", "issue 19: France held out in 27% of runs though an "
          "initiator in the seed", "France supports a package it initiates more often than "
          "the median EU member", cut_experiment, r2),
    Check("R3", "Bargains", "reform_asks.csv (the UK's SAFE fee gap; Greece's and Cyprus's "
          "objections to Türkiye)", "the UK's and Türkiye's choices follow from what the "
          "package offers them", offer_experiment, r3),
    Check("R4", "Legal paths", "reform_steps.csv, art427_procedure.csv: a European SACEUR "
          "and a double-hatted SG need no treaty change", "a package that needs no treaty "
          "change is never blocked by a ratification step", path_experiment, r4),
)
