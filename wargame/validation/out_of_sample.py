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
  can mount in days, before a helper has decided on forces. A variant counts only the
  forces a state presented as its answer to the Art. 42.7 request.

Each is set beside one-line baselines from states.csv (a border with Russia, NATO
membership, defence spending, GDP...), with the model's gain over the best of them: an
order of helpers that a single column predicts as well says little about the model.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from wargame.roster import StateProfile, haversine_km
from wargame.tables import number, read_table
from wargame.validation import measures as m
from wargame.validation import stats
from wargame.validation.context import Context, ScenarioInfo
from wargame.validation.experiments import Experiment, Results, Settings, levers
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


@dataclass(frozen=True)
class Response:
    """A member's response to France in 2015: one of `RESPONSES`, and whether the state
    presented it as its answer to the Art. 42.7 request (yes, no or unclear)."""

    response: str
    framed_as_art427: str

    @property
    def sent_forces(self) -> bool:
        return self.response in FORCES_RESPONSES


FRAMINGS = ("yes", "no", "unclear")


def france_2015() -> dict[str, Response]:
    """Each EU member's response to France's 2015 invocation (France left out)."""
    from wargame.errors import WargameError

    responses = {}
    for row in read_table(FRANCE_FILE, ("iso3", "response", "detail", "source_url",
                                        "framed_as_art427")):
        if row["response"] not in RESPONSES:
            raise WargameError(f"{FRANCE_FILE}: {row['iso3']}: response {row['response']!r} is "
                               f"not one of {', '.join(RESPONSES)}")
        if row["framed_as_art427"] not in FRAMINGS:
            raise WargameError(f"{FRANCE_FILE}: {row['iso3']}: framed_as_art427 "
                               f"{row['framed_as_art427']!r} is not one of {', '.join(FRAMINGS)}")
        responses[row["iso3"]] = Response(row["response"], row["framed_as_art427"])
    return responses


@dataclass(frozen=True)
class Baseline:
    """A one-line predictor from states.csv: what the model must beat before its order of
    helpers says more than geography, alliance or size (a hostile review's point)."""

    name: str
    words: str
    score: Callable[[StateProfile, StateProfile], float]  # (helper, adversary) -> score


def _defence_share(state: StateProfile, adversary: StateProfile) -> float:
    return state.defence_exp_usd_bn / state.gdp_usd_bn if state.gdp_usd_bn else math.nan


def _proximity(state: StateProfile, adversary: StateProfile) -> float:
    return -haversine_km(state.lat, state.lon, adversary.lat, adversary.lon)


#: One list for both comparisons, chosen before either was scored against it: exposure to
#: Russia (border, proximity), the alliance, defence effort, and the means to help (size).
#: NATO membership is today's: two members of 2026 were not in NATO in 2015.
BASELINES = (
    Baseline("border", "a land border with Russia or Belarus",
             lambda state, adversary: float(state.border_with_russia_or_belarus)),
    Baseline("proximity", "nearness of its capital to the adversary's (minus the distance)",
             _proximity),
    Baseline("NATO", "NATO membership (today's)", lambda state, adversary: float(
        state.nato_member)),
    Baseline("defence share", "defence spending as a share of GDP (2024)", _defence_share),
    Baseline("defence spending", "defence spending (USD bn, 2024)",
             lambda state, adversary: state.defence_exp_usd_bn),
    Baseline("GDP", "GDP (USD bn)", lambda state, adversary: state.gdp_usd_bn),
)


def baseline_scores(iso3s: list[str], baseline: Baseline) -> np.ndarray:
    """A baseline's score for each state, read from the roster (states.csv)."""
    from wargame.roster import ADVERSARY, load_roster

    states = load_roster().states
    return np.array([baseline.score(states[iso3], states[ADVERSARY]) for iso3 in iso3s])


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


def ukraine_frame(by_scenario: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The model's help pooled over the scenarios (`pooled_help`) beside the tracker's
    military aid (% of GDP), for the states with a tracker figure."""
    return _with_tracker(pooled_help(list(by_scenario.values())), ukraine_aid())


def _with_tracker(model: pd.DataFrame, aid: dict[str, UkraineAid]) -> pd.DataFrame:
    frame = model[model.index.isin(list(aid))].copy()
    frame["military_pct_gdp"] = [aid[iso3].military_pct_gdp for iso3 in frame.index]
    return frame


def france_frame(by_scenario: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The model's help under Art. 42.7 alone, pooled, beside each EU member's 2015
    response, whether it sent forces and whether it framed its help as Art. 42.7's."""
    responses = france_2015()
    model = pooled_help(list(by_scenario.values()))
    frame = model[model.index.isin(list(responses))].copy()
    frame["response"] = [responses[iso3].response for iso3 in frame.index]
    frame["framed_as_art427"] = [responses[iso3].framed_as_art427 for iso3 in frame.index]
    frame["sent_forces"] = [responses[iso3].sent_forces for iso3 in frame.index]
    return frame


def _adversary(scenario: ScenarioInfo) -> str:
    from wargame.inputs import INPUTS

    return str(scenario.parameters.get("adversary", INPUTS["adversary"].default))


def russian_help(scenarios: list[ScenarioInfo], settings: Settings, results: Results
                 ) -> dict[str, pd.DataFrame]:
    """O1's per-scenario `per_state_help`: the lever grids whose adversary is Russia, as
    Ukraine's is (roster.ADVERSARY)."""
    from wargame.roster import ADVERSARY

    tables = {}
    for scenario in scenarios:
        if _adversary(scenario) == ADVERSARY:
            name = levers(scenario, settings).name
            tables[scenario.name] = per_state_help(results.runs(name), results.states(name))
    return tables


def art427_help(scenarios: list[ScenarioInfo], settings: Settings, results: Results
                ) -> dict[str, pd.DataFrame]:
    """O2's per-scenario `per_state_help`: the `art427_only` cells of every lever grid."""
    tables = {}
    for scenario in scenarios:
        name = levers(scenario, settings).name
        runs = results.runs(name)
        tables[scenario.name] = per_state_help(runs[runs["governance"] == ART427_ONLY],
                                               results.states(name))
    return tables


def help_tables_in(folder: Path) -> tuple[dict[str, pd.DataFrame], dict[str, pd.DataFrame]]:
    """`russian_help` and `art427_help` of a finished `wargame validate` folder (its
    validation.json names the scenarios, its sweeps/ holds the lever grids): what a
    figure of O1-O2 reads."""
    import json

    from wargame.errors import WargameError

    try:
        data = json.loads((folder / "validation.json").read_text(encoding="utf-8"))
        scenarios = [ScenarioInfo(name, entry["ref"], entry["inputs"])
                     for name, entry in data["scenarios"].items()]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise WargameError(f"{folder}: not a finished `wargame validate` folder "
                           f"(validation.json: {error})") from None
    settings = Settings(tuple(s.name for s in scenarios), progress=False)
    folders = {levers(s, settings).name: folder / "sweeps" / levers(s, settings).name
               for s in scenarios}
    missing = [str(path) for path in folders.values() if not path.is_dir()]
    if missing:
        raise WargameError(f"{folder}: no lever grid at {missing[0]} (run O1 and O2 there)")
    results = Results(folders)
    russian = russian_help(scenarios, settings, results)
    if not russian:
        raise WargameError(f"{folder}: none of its scenarios ({', '.join(settings.scenarios)}) "
                           "is attacked by Russia, so there is nothing to set beside aid to "
                           "Ukraine (O1); validate one that is, e.g. --scenario baltic")
    return russian, art427_help(scenarios, settings, results)


def ukraine_findings(by_scenario: dict[str, pd.DataFrame]
                     ) -> tuple[list[Finding], list[Table]]:
    """O1: the model's order of helpers against the tracker's, by rank correlation, pooled
    over the scenarios (each scenario's own rho in the note: pooling smooths them)."""
    aid = ukraine_aid()
    model = pooled_help(list(by_scenario.values()))
    frame = _with_tracker(model, aid)
    shared = list(frame.index)
    releases = sorted({aid[iso3].release for iso3 in shared})
    reference = frame["military_pct_gdp"].to_numpy()
    note = (f"{len(shared)} states with a tracker figure (release {', '.join(releases)}); "
            f"model: lever grids of {', '.join(by_scenario)}; each alone: ")

    def each(score: str) -> str:
        return _each_alone(by_scenario, ukraine_frame, stats.rank_correlation, score,
                           "military_pct_gdp", "+.2f")

    findings = [
        Finding("assistance (% of GDP)", "rank correlation of the model's mean assistance "
                "with the tracker's military aid, both as shares of GDP",
                stats.rank_correlation(frame["assistance_share"].to_numpy(), reference), "rho",
                None, note + each("assistance_share")),
        Finding("P(money or more)", "rank correlation of the model's P(money or more) with "
                "the tracker's military aid as a share of GDP",
                stats.rank_correlation(frame["p_money"].to_numpy(), reference), "rho", None,
                note + each("p_money")),
    ]
    findings += _baseline_findings(
        frame["assistance_share"].to_numpy(), reference, shared, stats.rank_correlation,
        stats.rank_correlation_gain, "rho", "the tracker's order")
    ranks_model = frame["assistance_share"].rank(ascending=False)
    ranks_reference = frame["military_pct_gdp"].rank(ascending=False)
    rows = sorted(((iso3, row["name"], f"{100 * row['p_money']:.0f}%",
                    f"{100 * row['assistance_share']:.3f}%", f"{row['military_pct_gdp']:.2f}%",
                    f"{ranks_model[iso3]:g}", f"{ranks_reference[iso3]:g}")
                   for iso3, row in frame.iterrows()), key=lambda row: float(row[6]))
    missing = sorted(set(model.index) - set(shared))
    table = Table(
        "The model's helpers against the Ukraine Support Tracker",
        ("iso3", "state", "P(money or more)", "model assistance (% of GDP, per war)",
         "tracker military aid (% of GDP)", "model rank", "tracker rank"), tuple(rows),
        "over armed attacks; ranks 1 = most" + (f"; no tracker figure: {', '.join(missing)}"
                                                if missing else ""), plain=True)
    return findings, [table]


def france_findings(by_scenario: dict[str, pd.DataFrame]
                    ) -> tuple[list[Finding], list[Table]]:
    """O2: does the model's P(forces) single out the states that sent forces in 2015?
    Pooled over the scenarios, each scenario's own AUC in the note."""
    model = france_frame(by_scenario)
    shared = list(model.index)
    sent = model["sent_forces"].to_numpy(dtype=bool)
    forces = model["p_forces"].to_numpy()
    each = _each_alone(by_scenario, france_frame, stats.separation, "p_forces", "sent_forces",
                       ".2f")
    note = (f"{int(sent.sum())} of {len(shared)} EU members sent forces in 2015 "
            f"({', '.join(FORCES_RESPONSES)}); model: the {ART427_ONLY} cells of the lever "
            f"grids of {', '.join(by_scenario)}; each alone: {each}")
    framed = sent & (model["framed_as_art427"] == "yes").to_numpy()
    known = (model["response"] != "none_reported").to_numpy()
    able = forces > 0.0
    findings = [
        Finding("P(forces) against 2015's senders", "area under the ROC curve of the model's "
                "P(forces) for telling the states that sent forces in 2015 from the others",
                stats.separation(forces, sent), "auc", None, note),
        Finding("P(forces) against senders citing Art. 42.7", "the same, counting only the "
                "forces a state presented as its answer to the Art. 42.7 request",
                stats.separation(forces, framed), "auc", None,
                f"{int(framed.sum())} senders; coalition strikes asked for by the US as well, "
                "and an escort asked for before the attacks, count as not sent"),
        Finding("P(forces), states with a known response", "the same, leaving out the states "
                "for which no response was found (not known to have done nothing)",
                stats.separation(forces[known], sent[known]), "auc", None,
                f"{int(known.sum())} states; left out: "
                f"{', '.join(model.index[~known]) or 'none'}"),
        Finding("P(forces), states able to send forces", "the same, leaving out the states "
                "the model never lets send forces (P(forces) 0: a neutral policy or no forces)",
                stats.separation(forces[able], sent[able]), "auc", None,
                f"{int(able.sum())} states; left out: {', '.join(model.index[~able]) or 'none'}"),
    ]
    findings += _baseline_findings(forces, sent, shared, stats.separation,
                                   stats.separation_gain, "auc", "2015's senders")
    rows = sorted(((iso3, row["name"], f"{100 * row['p_forces']:.0f}%",
                    f"{100 * row['p_money']:.0f}%", row["response"], row["framed_as_art427"])
                   for iso3, row in model.iterrows()),
                  key=lambda row: (row[4] not in FORCES_RESPONSES, -float(row[2][:-1]), row[0]))
    table = Table("The model's helpers under Art. 42.7 alone against the responses to France "
                  "in 2015", ("iso3", "state", "P(forces)", "P(money or more)",
                                     "2015 response", "framed as Art. 42.7"), tuple(rows),
                  f"over armed attacks in the {ART427_ONLY} cells, a state's shares averaged "
                  "over the scenarios in which it helps", plain=True)
    return findings, [table]


def _each_alone(by_scenario: dict[str, pd.DataFrame],
                frame: Callable[[dict[str, pd.DataFrame]], pd.DataFrame],
                measure: Callable[..., stats.Estimate], score: str, reference: str,
                style: str) -> str:
    """'baltic +0.70, finland +0.72': the measure on each scenario alone, which pooling
    smooths (a reader should see how far they spread)."""
    parts = []
    for name, table in by_scenario.items():
        alone = frame({name: table})
        value = measure(alone[score].to_numpy(), alone[reference].to_numpy()).value
        parts.append(f"{name} {value:{style}}")
    return ", ".join(parts)


def best_baseline(model: np.ndarray, reference: np.ndarray, iso3s: list[str],
                  measure: Callable[..., stats.Estimate], gain: Callable[..., stats.Estimate]
                  ) -> tuple[Baseline, dict[str, stats.Estimate], stats.Estimate]:
    """Every baseline's score on the same states, the best of them (chosen after the fact,
    which favours the baseline) and the model's gain over it with its paired interval."""
    scores = {b.name: baseline_scores(iso3s, b) for b in BASELINES}
    estimates = {b.name: measure(scores[b.name], reference) for b in BASELINES}
    best = max(BASELINES, key=lambda b: estimates[b.name].value)
    return best, estimates, gain(model, scores[best.name], reference)


def _baseline_findings(model: np.ndarray, reference: np.ndarray, iso3s: list[str],
                       measure: Callable[..., stats.Estimate],
                       gain: Callable[..., stats.Estimate], unit: str, what: str
                       ) -> list[Finding]:
    """Each baseline's score, then the model's gain over the best (`best_baseline`)."""
    best, estimates, lead = best_baseline(model, reference, iso3s, measure, gain)
    findings = [Finding(f"baseline: {b.name}", f"the same measure for {b.words} alone",
                        estimates[b.name], unit, None) for b in BASELINES]
    verdict = ("the interval spans 0: a gain over the baseline is not shown"
               if lead.low <= 0.0 <= lead.high else
               "the interval excludes 0" if lead.low > 0.0 else "the baseline does better")
    findings.append(Finding(
        f"model minus best baseline ({best.name})", f"the model's gain over {best.words} in "
        f"telling {what}, on the same states", lead, "difference", None,
        f"{verdict}; the interval leaves out the choice of the best baseline, which was made "
        "on these states"))
    return findings


# --- the checks ----------------------------------------------------------------------------
def _russian_grids(ctx: Context) -> list[Experiment]:
    """The lever grids whose adversary is Russia, as Ukraine's is (roster.ADVERSARY)."""
    from wargame.roster import ADVERSARY

    return [levers(s, ctx.settings) for s in ctx.scenarios if _adversary(s) == ADVERSARY]


def o1(ctx: Context) -> tuple[list[Finding], list[Table]]:
    return ukraine_findings(russian_help(ctx.scenarios, ctx.settings,
                                         ctx.results))  # type: ignore[arg-type]


def o2(ctx: Context) -> tuple[list[Finding], list[Table]]:
    return france_findings(art427_help(ctx.scenarios, ctx.settings,
                                       ctx.results))  # type: ignore[arg-type]


OUT_OF_SAMPLE_CHECKS: tuple[Check, ...] = (
    Check("O1", "Out of sample: aid to Ukraine",
          "Kiel Institute, Ukraine Support Tracker (data/out_of_sample/SOURCES.md); reserved "
          "by issue 18, never an input or a target",
          "reported, not judged: Spearman's rho between each helper's mean assistance in the "
          "model's wars against Russia and its military aid to Ukraine, both as shares of GDP",
          _russian_grids, o1, judged=False),
    Check("O2", "Out of sample: France 2015",
          "responses to France's invocation of Art. 42.7, November 2015 "
          "(data/out_of_sample/SOURCES.md); reserved by issue 18, never an input or a target",
          "reported, not judged: how well each EU member's P(forces) under Art. 42.7 alone "
          "(the art427_only cells of every lever grid) tells the states that sent forces in "
          "2015 from the others (AUC)",
          lambda ctx: [levers(s, ctx.settings) for s in ctx.scenarios], o2, judged=False),
)
