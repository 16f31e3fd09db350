"""O1-O2: who helps, set beside what states did when it happened (reported, never judged).

The issue reserves two records of real help as out-of-sample checks, never inputs or
calibration targets: per-state Ukraine Support Tracker figures and per-state responses to
France's invocation of Art. 42.7 in November 2015. They live in `wargame/data/out_of_sample/`
(sources in its SOURCES.md) and only this module reads them.

Neither record is the model's case: Ukraine is in neither the EU nor NATO and got aid for
years, not help in a war of weeks; France in 2015 was hit by terrorists, not invaded, and
its partners helped in its operations abroad. So the comparisons are of order, not level
(does the model rank states as their real help ranks them?), and no threshold is set:
a verdict would be a threshold chosen after seeing the numbers. The battery reports them
with their intervals beside the checks, and they never move the exit status.

- O1: per helper, the model's mean assistance (money, materiel and forces, before EU
  reimbursement) as a share of its GDP, over the armed attacks of every lever grid whose
  adversary is Russia, against the Kiel Institute's military aid to Ukraine as a share of
  GDP: Spearman's rho over states.
- O2: per EU member, the model's P(forces) when only Art. 42.7 binds (the `art427_only`
  cells of every lever grid), against whether the state sent forces to France's operations
  in 2015: the area under the ROC curve (0.5: the model cannot tell who sent forces). The
  model's own case of an attack on France would not do: France repels any attack the model
  can mount in days, before a helper has decided on forces.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from wargame.tables import number, read_table
from wargame.validation import measures as m
from wargame.validation import stats
from wargame.validation.context import Context, ScenarioInfo
from wargame.validation.experiments import Experiment, levers
from wargame.validation.records import Check, Finding, Table

FOLDER = "out_of_sample"
UKRAINE_FILE = f"{FOLDER}/ukraine_support.csv"
FRANCE_FILE = f"{FOLDER}/art427_2015_responses.csv"
#: The 2015 responses that put a state's forces to work for France: in its operations
#: abroad, or taking over tasks so that French forces could go (SOURCES.md).
FORCES_RESPONSES = ("forces_to_france_operations", "relief_forces")
RESPONSES = (*FORCES_RESPONSES, "materiel_or_money", "political_only", "none_reported")
#: O2's analogue of 2015: the cells of every lever grid in which the EU clause alone binds.
ART427_ONLY = "art427_only"


@dataclass(frozen=True)
class UkraineAid:
    """A donor's military aid to Ukraine as a share of its GDP, from one tracker release."""

    iso3: str
    military_pct_gdp: float
    release: str


def ukraine_aid() -> dict[str, UkraineAid]:
    """The tracker's per-donor military aid (% of GDP), states with a figure only."""
    rows = read_table(UKRAINE_FILE, ("iso3", "military_pct_gdp", "release", "source_url"))
    aid = {}
    for row in rows:
        if row["military_pct_gdp"]:
            share = number(UKRAINE_FILE, row, "military_pct_gdp", low=0.0, high=100.0)
            aid[row["iso3"]] = UkraineAid(row["iso3"], share, row["release"])
    return aid


def france_2015() -> dict[str, str]:
    """Each EU member's response to France's 2015 invocation, one of `RESPONSES`."""
    from wargame.errors import WargameError

    responses = {}
    for row in read_table(FRANCE_FILE, ("iso3", "response", "detail", "source_url")):
        if row["response"] not in RESPONSES:
            raise WargameError(f"{FRANCE_FILE}: {row['iso3']}: response {row['response']!r} is "
                               f"not one of {', '.join(RESPONSES)}")
        responses[row["iso3"]] = row["response"]
    return responses


def per_state_help(runs: pd.DataFrame, states: pd.DataFrame) -> pd.DataFrame:
    """Per helper over the runs that reach an armed attack (of those in `runs`: a subset
    leaves out the other runs' state rows): name, P(forces), P(money or more) and the mean
    assistance as a share of GDP (gross of EU reimbursement)."""
    armed = m.armed(runs).set_axis(runs["run_id"])
    levels, _ = m.level_reached(states)
    frame = pd.DataFrame({
        "iso3": states["iso3"], "name": states["name"],
        "forces": m.at_least(m.commitment_rank(levels), "FORCES"),
        "money": m.at_least(m.commitment_rank(levels), "FINANCIAL"),
        "assistance": states["cost_bn"].astype(float) / states["gdp_eur_bn"].astype(float),
    })[states["run_id"].map(armed).fillna(False).astype(bool).to_numpy()]
    return frame.groupby("iso3", sort=True).agg(
        name=("name", "first"), p_forces=("forces", "mean"), p_money=("money", "mean"),
        assistance_share=("assistance", "mean"))


def pooled_help(tables: list[pd.DataFrame]) -> pd.DataFrame:
    """Per state, the mean over the scenarios in which it is a helper (each scenario counts
    once, whatever its number of armed attacks)."""
    both = pd.concat(tables)
    return both.groupby(level=0).agg(name=("name", "first"), p_forces=("p_forces", "mean"),
                                     p_money=("p_money", "mean"),
                                     assistance_share=("assistance_share", "mean"))


def ukraine_findings(model: pd.DataFrame, scenarios: list[str]
                     ) -> tuple[list[Finding], list[Table]]:
    """O1: the model's order of helpers against the tracker's, by rank correlation."""
    aid = ukraine_aid()
    shared = [iso3 for iso3 in model.index if iso3 in aid]
    releases = sorted({aid[iso3].release for iso3 in shared})
    reference = np.array([aid[iso3].military_pct_gdp for iso3 in shared])
    where = ", ".join(scenarios)
    note = (f"{len(shared)} states with a tracker figure (release {', '.join(releases)}); "
            f"model: lever grids of {where}")
    findings = [
        Finding("assistance (% of GDP)", "rank correlation of the model's mean assistance "
                "with the tracker's military aid, both as shares of GDP",
                stats.rank_correlation(model.loc[shared, "assistance_share"].to_numpy(),
                                       reference), "rho", None, note),
        Finding("P(money or more)", "rank correlation of the model's P(money or more) with "
                "the tracker's military aid as a share of GDP",
                stats.rank_correlation(model.loc[shared, "p_money"].to_numpy(), reference),
                "rho", None, note),
    ]
    ranks_model = model.loc[shared, "assistance_share"].rank(ascending=False)
    ranks_reference = pd.Series(reference, index=shared).rank(ascending=False)
    rows = sorted(((iso3, model.at[iso3, "name"], f"{100 * model.at[iso3, 'p_money']:.0f}%",
                    f"{100 * model.at[iso3, 'assistance_share']:.3f}%",
                    f"{aid[iso3].military_pct_gdp:.2f}%", f"{ranks_model[iso3]:g}",
                    f"{ranks_reference[iso3]:g}") for iso3 in shared),
                  key=lambda row: float(row[6]))
    missing = sorted(set(model.index) - set(shared))
    table = Table(
        "The model's helpers against the Ukraine Support Tracker",
        ("iso3", "state", "P(money or more)", "model assistance (% of GDP, per war)",
         "tracker military aid (% of GDP)", "model rank", "tracker rank"), tuple(rows),
        "over armed attacks; ranks 1 = most" + (f"; no tracker figure: {', '.join(missing)}"
                                                if missing else ""), plain=True)
    return findings, [table]


def france_findings(model: pd.DataFrame, scenarios: list[str]
                    ) -> tuple[list[Finding], list[Table]]:
    """O2: does the model's P(forces) single out the states that sent forces in 2015?"""
    responses = france_2015()
    shared = [iso3 for iso3 in model.index if iso3 in responses]
    sent = np.array([responses[iso3] in FORCES_RESPONSES for iso3 in shared])
    estimate = stats.separation(model.loc[shared, "p_forces"].to_numpy(), sent)
    note = (f"{int(sent.sum())} of {len(shared)} EU members sent forces in 2015 "
            f"({', '.join(FORCES_RESPONSES)}); model: the {ART427_ONLY} cells of the lever "
            f"grids of {', '.join(scenarios)}")
    finding = Finding("P(forces) against 2015's senders", "area under the ROC curve of the "
                      "model's P(forces) for telling the states that sent forces in 2015 from "
                      "the others", estimate, "auc", None, note)
    rows = sorted(((iso3, model.at[iso3, "name"], f"{100 * model.at[iso3, 'p_forces']:.0f}%",
                    f"{100 * model.at[iso3, 'p_money']:.0f}%", responses[iso3])
                   for iso3 in shared), key=lambda row: (row[4] not in FORCES_RESPONSES,
                                                         -float(row[2][:-1]), row[0]))
    table = Table("The model's helpers under Art. 42.7 alone against the responses to France "
                  "in 2015", ("iso3", "state", "P(forces)", "P(money or more)",
                                     "2015 response"), tuple(rows),
                  f"over armed attacks in the {ART427_ONLY} cells, a state's shares averaged "
                  "over the scenarios in which it helps", plain=True)
    return [finding], [table]


# --- the checks ----------------------------------------------------------------------------
def _adversary(scenario: ScenarioInfo) -> str:
    from wargame.inputs import INPUTS

    return str(scenario.parameters.get("adversary", INPUTS["adversary"].default))


def _russian_grids(ctx: Context) -> list[tuple[ScenarioInfo, Experiment]]:
    """The lever grids whose adversary is Russia, as Ukraine's is (roster.ADVERSARY)."""
    from wargame.roster import ADVERSARY

    return [(s, levers(s, ctx.settings)) for s in ctx.scenarios if _adversary(s) == ADVERSARY]


def o1(ctx: Context) -> tuple[list[Finding], list[Table]]:
    grids = _russian_grids(ctx)
    model = pooled_help([per_state_help(ctx.runs(e), ctx.states(e)) for _, e in grids])
    return ukraine_findings(model, [s.name for s, _ in grids])


def o2(ctx: Context) -> tuple[list[Finding], list[Table]]:
    tables = []
    for scenario in ctx.scenarios:
        experiment = levers(scenario, ctx.settings)
        runs = ctx.runs(experiment)
        tables.append(per_state_help(runs[runs["governance"] == ART427_ONLY],
                                     ctx.states(experiment)))
    return france_findings(pooled_help(tables), [s.name for s in ctx.scenarios])


OUT_OF_SAMPLE_CHECKS: tuple[Check, ...] = (
    Check("O1", "Out of sample: aid to Ukraine",
          "Kiel Institute, Ukraine Support Tracker (data/out_of_sample/SOURCES.md); reserved "
          "by issue 18, never an input or a target",
          "reported, not judged: Spearman's rho between each helper's mean assistance in the "
          "model's wars against Russia and its military aid to Ukraine, both as shares of GDP",
          lambda ctx: [e for _, e in _russian_grids(ctx)], o1, judged=False),
    Check("O2", "Out of sample: France 2015",
          "responses to France's invocation of Art. 42.7, November 2015 "
          "(data/out_of_sample/SOURCES.md); reserved by issue 18, never an input or a target",
          "reported, not judged: how well each EU member's P(forces) under Art. 42.7 alone "
          "(the art427_only cells of every lever grid) tells the states that sent forces in "
          "2015 from the others (AUC)",
          lambda ctx: [levers(s, ctx.settings) for s in ctx.scenarios], o2, judged=False),
)
