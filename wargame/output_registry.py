"""Every output the model reports, declared once: name, type, unit, label, level and how
it is computed.

A column is added, renamed or relabelled here and nowhere else: the per-run and per-state
values of a finished run (`wargame.outputs`, which loops over this table), the Parquet
schemas of a sweep (`wargame.sweep.store`), the files `wargame run` writes
(`wargame.single_run`), the model's per-day series (`wargame.model.STEP_SERIES`), the EMA
Workbench outcomes (`wargame.ema`), the data dictionary of an export (`wargame.export`),
the figures' axis labels (`wargame.figures.style`) and the table of docs/MODEL.md §3.11
all read it. This is EMA Workbench's `Outcome(name, function=...)`: an output is
declared with the function that computes it from the finished model. Definitions in words
are in docs/MODEL.md §3.11.

This module imports no model and nothing heavy: the command line lists it without loading
Mesa, and the figures read it. A `compute` function reads the finished model's attributes
(`day`, `state_list`, `adversary`, ...) and nothing else.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from wargame.inputs import RUNG_NAMES
from wargame.outcomes import NEGOTIATION_OUTCOME_NAMES, OUTCOME_NAMES

#: Where an output lives (its level), the files that hold it, and how it is computed.
LEVELS = {
    # sweep runs/; summary.json "outputs": `compute(model)` -> the run's value
    "run": "per run",
    # sweep states/; summary.json "states" (at the end): `compute(model)` -> one value per
    # state of `model.state_list`, in that order
    "state": "per run and state",
    # sweep steps/ (keep_series); steps.parquet: the model's attribute of the same name,
    # read at the end of every day by Mesa's DataCollector (`wargame.model.STEP_SERIES`)
    "day": "per day",
    # states.parquet of `wargame run`: the state agent's attribute of the same name,
    # recorded every day in the model's ledger (`wargame.model.STATE_SERIES`); a ladder by
    # its level's number, troops as they stand after losses, typed when the frame is built
    "day_state": "per day and state",
}

#: Column types, as Python type names (Arrow and pandas types are derived where needed).
DTYPES = ("int", "float", "str", "bool")

#: The rungs of a state's commitment ladder, lowest first (`wargame.agents.Commitment`).
COMMITMENT_LEVELS = ("NONE", "POLITICAL", "FINANCIAL", "FORCES")


@dataclass(frozen=True)
class Output:
    """One output column at one level.

    `label` is what a policy reader sees on an axis; `unit` follows it in brackets;
    `short` names it in a panel title. `index` marks columns that identify rather than
    measure (which day, state or negotiation). `categories` are the values a text output
    takes, in order; `ordered` says the order is a ladder (an EMA outcome is then the mean
    rung, else the share of runs per value). `missing` marks outputs that are missing (NaN,
    null) in runs where what they measure never happens; `two_stage` those only a
    two-stage run (governance "reform") reports, null in every other run. `compute`
    computes a per-run or per-state value from the finished model (see `LEVELS`).
    """

    name: str
    dtype: str
    unit: str
    label: str
    level: str
    short: str = ""
    index: bool = False
    categories: tuple[str, ...] = ()
    ordered: bool = False
    missing: bool = False
    two_stage: bool = False
    compute: Callable[[Any], Any] | None = None

    def __post_init__(self) -> None:
        if self.dtype not in DTYPES or self.level not in LEVELS:
            raise ValueError(f"output {self.name}: dtype {self.dtype!r}, level {self.level!r}")

    @property
    def axis_label(self) -> str:
        """'Day first allied forces arrive (days after the attack)'."""
        return f"{self.label} ({self.unit})" if self.unit else self.label

    @property
    def numeric(self) -> bool:
        """A number (true/false counts as 0/1): what EMA Workbench and a mean can take."""
        return self.dtype != "str"


# --- how the per-run and per-state outputs are computed ----------------------------------

def gini(values: list[float]) -> float:
    """Gini coefficient of non-negative values (0 = equal shares; 0 when all are zero)."""
    ordered = sorted(values)
    n, total = len(ordered), sum(ordered)
    if n == 0 or total <= 0:
        return 0.0
    weighted = sum((i + 1) * v for i, v in enumerate(ordered))
    return (2.0 * weighted) / (n * total) - (n + 1.0) / n


def burdens_bn(model: Any) -> dict[str, float]:
    """Each state's burden, EUR bn: what it paid itself plus its GNI-key share of the EU fund.

    The European Peace Facility is financed by member states by a GNI key; GDP stands in
    for GNI here. Reimbursements therefore move burden between EU members, not away.
    """
    fund_used = sum(s.reimbursed_bn for s in model.state_list)
    eu_gdp = sum(s.profile.gdp_eur_bn for s in model.state_list if s.profile.eu_member)
    eu_gdp += model.victim.gdp_eur_bn if model.victim.eu_member else 0.0
    return {
        s.iso3: s.net_cost_bn + (fund_used * s.profile.gdp_eur_bn / eu_gdp if s.profile.eu_member
                                 else 0.0)
        for s in model.state_list
    }


def burden_gini(model: Any) -> float:
    """Gini over states of each state's burden as a share of its GDP."""
    burdens = burdens_bn(model)
    return gini([burdens[s.iso3] / s.profile.gdp_eur_bn for s in model.state_list])


def troops_sustained_day_60(model: Any) -> int:
    """Allied troops in theatre on day 60: 0 after a defeat, the last count if the crisis
    ended otherwise before day 60 (what was still sustained when it ended)."""
    if model.deployed_on_day_60 is not None:
        return round(model.deployed_on_day_60)
    return 0 if model.outcome == "defeated" else model.deployed_troops


#: Days a crisis must last after the clauses are invoked for its runs to count in the
#: reliability shares: a war lost in 48 hours tests no ally's decision.
DECISION_WINDOW_DAYS = 7


def share_reaching(model: Any, level: int) -> float:
    """Share of the treaty-bound helpers whose commitment reached `level` (2 money, 3
    forces) in the run, as the alliance-reliability literature counts it: commitments
    honoured once the casus foederis arose (the clauses invoked) and there was time to
    decide (the crisis lasted DECISION_WINDOW_DAYS more); NaN in any other run.

    Each level is counted among the states that have it to give. Forces: a treaty bond
    on forces and forces to send. A neutral state that Art. 42.7 binds to aid but whose
    policy sends no combat forces abroad (Austria, Cyprus, Ireland, Malta), or Iceland
    with none, has not failed a commitment to send them; it counts for money and
    materiel. Money: a bond and an aid package, which a state with no defence budget
    (Iceland) does not have. A state with soldiers already in the target counts as having
    sent forces: it keeps them there.
    """
    if level >= 3:
        bound = [s for s in model.state_list if s.setup.bond.forces > 0 and s.may_send_forces]
    else:
        bound = [s for s in model.state_list if s.bound > 0 and s.may_give_money]
    if not bound or not model.invoked or model.day - model.day_invoked < DECISION_WINDOW_DAYS:
        return math.nan
    return sum(s.peak_commitment >= level for s in bound) / len(bound)


def _first_day(attribute: str) -> Callable[[Any], float]:
    """The day something first happened, NaN if it never did."""
    def day(model: Any) -> float:
        value = getattr(model, attribute)
        return float(value) if value is not None else math.nan
    return day


def _reform(name: str) -> Callable[[Any], Any]:
    """An output of the negotiation a two-stage run started from (None in other runs)."""
    return lambda model: model.reform_outputs[name]


def _each(value: Callable[[Any], Any] | str) -> Callable[[Any], list]:
    """A per-state column: `value(state)` (or the state's attribute of that dotted name) for
    every state of the run, in order."""
    read = attrgetter(value) if isinstance(value, str) else value
    return lambda model: list(map(read, model.state_list))


def _run(name: str, dtype: str, unit: str, label: str, short: str,
         compute: Callable[[Any], Any], **more: Any) -> Output:
    return Output(name, dtype, unit, label, "run", short, compute=compute, **more)


def _two_stage(name: str, dtype: str, unit: str, label: str, short: str,
               **more: Any) -> Output:
    return Output(name, dtype, unit, label, "run", short, two_stage=True,
                  compute=_reform(name), **more)


def _state(name: str, dtype: str, unit: str, label: str,
           compute: Callable[[Any], list], **more: Any) -> Output:
    return Output(name, dtype, unit, label, "state", compute=compute, **more)


def _daily(name: str, dtype: str, unit: str, label: str, level: str = "day",
           **more: Any) -> Output:
    return Output(name, dtype, unit, label, level, **more)


_DAYS = "days after the attack"

OUTPUTS: tuple[Output, ...] = (
    # --- per run: one row per run in a sweep's runs/, "outputs" in summary.json ----------
    _run("outcome", "str", "outcome name (wargame.outcomes)", "Outcome of the crisis",
         "outcome", lambda m: m.outcome or "running", categories=OUTCOME_NAMES),
    _run("days", "int", "days", "Length of the crisis", "days", lambda m: m.day),
    _run("day_first_assistance", "float", _DAYS, "Day of first money or forces",
         "day of first assistance", _first_day("day_first_assistance"), missing=True),
    _run("day_first_forces", "float", _DAYS, "Day first allied forces arrive",
         "day of first forces", _first_day("day_first_forces"), missing=True),
    _run("day_defeat", "float", _DAYS, "Day of defeat", "day of defeat",
         _first_day("day_defeat"), missing=True),  # the capital's fall, in a defeat
    _run("day_capital_falls", "float", _DAYS, "Day the capital first falls",
         "day the capital falls", _first_day("day_capital_falls"), missing=True),
    _run("coalition_size", "int", "count", "States giving money or forces at the end",
         "coalition size", lambda m: m.n_financial),  # states at FINANCIAL or FORCES
    _run("states_sending_forces", "int", "count", "States sending forces at the end",
         "states sending forces", lambda m: m.n_forces),
    _run("peak_pledged_troops", "int", "troops", "Peak troops pledged by European states",
         "peak troops pledged", lambda m: m.peak_pledged),
    _run("peak_deployed_troops", "int", "troops", "Peak troops deployed by European states",
         "peak troops deployed", lambda m: m.peak_deployed),
    _run("reinforcements_arrived", "int", "troops",
         "European troops that reached the theatre beyond those stationed there",
         "reinforcements arrived",
         lambda m: sum(s.arrived_troops - s.setup.stationed_troops for s in m.state_list)),
    _run("us_share", "float", "share of the effective defence",
         "US troops in the defence on the last day", "US share",
         lambda m: m.us_troops / m.defence_effective if m.defence_effective > 0 else 0.0),
    _run("eu_fund_used_bn", "float", "EUR bn", "EU common fund used", "EU fund used",
         lambda m: sum(s.reimbursed_bn for s in m.state_list)),
    _run("total_cost_bn", "float", "EUR bn", "Total cost of assistance", "total cost",
         lambda m: sum(s.cost_bn for s in m.state_list)),
    _run("burden_gini", "float", "0 = burden ∝ GDP for all, 1 = one state",
         "Burden Gini over states", "burden Gini", burden_gini),
    _run("max_escalation", "str", "rung name", "Highest rung the adversary reached",
         "highest escalation", lambda m: RUNG_NAMES[m.adversary.rung],  # only ever climbed
         categories=RUNG_NAMES, ordered=True),
    _run("territory_lost", "float", "share of the attacked state",
         "Territory held by the adversary at the end", "territory held",
         lambda m: m.territory_lost),
    _run("adversary_losses", "int", "troops", "Adversary troops lost", "adversary losses",
         lambda m: round(m.adversary.losses)),
    _run("defender_losses", "int", "troops", "Defending troops lost", "defender losses",
         lambda m: round(m.defender_losses)),
    _run("troops_sustained_day_60", "int", "troops",
         "Allied troops sustained in theatre on day 60", "troops on day 60",
         troops_sustained_day_60),
    _run("day_allied_100k", "float", _DAYS,
         "Day helpers' troops in theatre first reach 100,000 (an army)", "day of an army",
         _first_day("day_allied_100k"), missing=True),
    _run("armed_attack", "bool", "true or false",
         "The adversary attacked with armed force (an incursion or more)", "armed attack",
         lambda m: m.day_armed_attack is not None),
    _run("day_armed_attack", "float", _DAYS, "Day of the first armed attack",
         "day of armed attack", _first_day("day_armed_attack"), missing=True),
    _run("day_offensive_called_off", "float", _DAYS,
         "Day the adversary first called off an offensive it could not win even with its "
         "reserve (its culminating point; null if it never did)", "day of call-off",
         _first_day("day_offensive_called_off"), missing=True),
    _run("peak_territory_lost", "float", "share of the attacked state",
         "Most territory the adversary held during the crisis", "peak territory held",
         attrgetter("peak_territory_lost")),
    _run("advance_km", "float", "km", "Depth of the adversary's advance at the end",
         "depth of advance", attrgetter("advance_km")),
    _run("final_force_ratio", "float", "ratio",
         "Adversary power / effective defence on the last day (over 100: a defence all but "
         "gone)", "final force ratio", attrgetter("force_ratio")),
    _run("allied_losses", "int", "troops",
         "Allied troops lost: the helpers' contingents (those stationed included), forward "
         "presence no helper holds and the EU RRF", "allied losses",
         lambda m: round(m.allied_losses)),
    _run("us_losses", "int", "troops", "US troops lost", "US losses",
         lambda m: round(m.us.losses)),
    _run("victim_losses", "int", "troops", "The attacked state's troops lost",
         "victim's losses", lambda m: round(m.victim_losses)),
    _run("treaty_bound_forces_share", "float", "share",
         "Treaty-bound helpers that pledged forces, of those bound to send forces and able "
         "to, once the clauses were invoked and the crisis lasted a week more (null "
         "otherwise)", "treaty-bound sending forces",
         lambda m: share_reaching(m, 3), missing=True),
    _run("treaty_bound_money_share", "float", "share",
         "Treaty-bound helpers that gave money and materiel or more, once the clauses "
         "were invoked and the crisis lasted a week more (null otherwise)",
         "treaty-bound giving money or more", lambda m: share_reaching(m, 2), missing=True),
    # --- per run, two-stage runs only (governance "reform"; null otherwise) -----------
    _two_stage("reform_adopted", "bool", "true or false",
               "The reform was agreed and, where it needs a treaty change, ratified",
               "reform adopted"),
    _two_stage("reform_round", "int", "month of the negotiation",
               "Round the reform was adopted in (null if blocked)", "round of adoption",
               missing=True),
    _two_stage("reform_blocking", "str", "iso3 codes, space-separated",
               "Allies still refusing the reform at the deadline (empty if adopted)",
               "holdouts"),
    _two_stage("reform_side_payments_bn", "float", "EUR bn",
               "Side payments the EU promised to holdouts", "side payments"),
    _two_stage("reform_seed", "int", "seed", "Seed of the negotiation (`wargame reform --seed`)",
               "negotiation seed", index=True),
    _two_stage("reform_governance", "str", "governance name",
               "Governance the crisis ran under after the negotiation", "crisis governance"),
    _two_stage("reform_us_commitment", "float", "share",
               "US commitment in the crisis after the funding cut", "effective US commitment"),
    _two_stage("reform_spending_factor", "float", "ratio to 2024",
               "EU allies' defence spending in the crisis year against today's",
               "EU spending factor"),
    _two_stage("reform_non_eu_bond", "float", "share",
               "GDP-weighted bond of the non-EU allies set by their status choices (null if "
               "blocked)", "non-EU bond", missing=True),
    _two_stage("reform_outcome", "str", "outcome name (wargame.outcomes)",
               "Outcome of the negotiation and its ratification", "reform outcome",
               categories=NEGOTIATION_OUTCOME_NAMES),
    _two_stage("reform_us_cut", "float", "share",
               "Share of its European funding the US cut, as in force in the crisis year (0 "
               "if nothing was)", "US cut"),
    _two_stage("reform_in_force", "str", "element names, space-separated",
               "Elements of the package in force by the crisis year (docs/REFORM.md §5)",
               "in force"),
    _two_stage("reform_ratification_blockers", "str", "iso3 codes, space-separated",
               "States whose ratification of the treaty change failed",
               "ratification blockers"),
    # --- per run and state, at the end: a sweep's states/, "states" in summary.json ------
    _state("iso3", "str", "iso3", "State", _each("iso3"), index=True),
    _state("name", "str", "", "State's name", _each("profile.name")),
    _state("commitment", "str", "level name", "Commitment level at the end",
           _each("commitment.name"), categories=COMMITMENT_LEVELS, ordered=True),
    _state("pledged_troops", "int", "troops", "Troops the state has pledged at the end",
           _each("pledged_troops")),
    _state("deployed_troops", "int", "troops", "Troops the state has in theatre at the end",
           _each(lambda s: round(s.deployed_troops))),
    _state("cost_bn", "float", "EUR bn", "What the state paid, before reimbursement",
           _each("cost_bn")),
    _state("reimbursed_bn", "float", "EUR bn", "What the EU fund reimbursed the state",
           _each("reimbursed_bn")),
    _state("burden_bn", "float", "EUR bn",
           "The state's burden: own net cost plus its GNI-key share of the fund used",
           lambda m: list(burdens_bn(m).values())),
    _state("gdp_eur_bn", "float", "EUR bn", "The state's GDP", _each("profile.gdp_eur_bn")),
    _state("peak_commitment", "str", "level name", "Highest commitment level in the crisis",
           _each(lambda s: s.peak_commitment.name), categories=COMMITMENT_LEVELS,
           ordered=True),
    _state("troops_arrived", "int", "troops",
           "The state's troops that reached the theatre, its stationed troops included",
           _each("arrived_troops")),
    _state("stationed_troops", "int", "troops",
           "The state's troops in the target from the first day (its forward presence)",
           _each("setup.stationed_troops")),
    _state("losses", "float", "troops", "The state's troops lost in combat", _each("losses")),
    _state("bound", "float", "share", "The state's treaty bond to the attacked state",
           _each("bound")),
    # --- per day: steps.parquet of `wargame run`, a sweep's steps/ --------------------
    _daily("day", "int", "days after the attack", "Day (0 = the attack, before any decision)",
           index=True),
    _daily("escalation", "str", "rung name", "Rung of the escalation ladder",
           categories=RUNG_NAMES, ordered=True),
    _daily("adversary_committed", "float", "troops", "Adversary troops committed"),
    _daily("adversary_losses", "int", "troops", "Adversary troops lost so far"),
    _daily("defence_effective", "float", "quality-weighted troops",
           "Effective defence: own, forward presence, interoperable allied, RRF and US troops"),
    _daily("defence_timely", "float", "quality-weighted troops",
           "Defence the adversary expects within its timetable"),
    _daily("force_ratio", "float", "ratio", "Adversary power / effective defence"),
    _daily("pledged_troops", "int", "troops", "Troops pledged by European states"),
    _daily("deployed_troops", "int", "troops", "Troops deployed by European states"),
    _daily("defender_losses", "float", "troops", "Defending troops lost so far"),
    _daily("us_troops", "float", "troops", "US troops in theatre"),
    _daily("rrf_troops", "float", "troops", "EU rapid-reaction force in theatre"),
    _daily("interoperability", "float", "share", "Effectiveness of the allied troops"),
    _daily("territory_lost", "float", "share of the attacked state",
           "Territory held by the adversary"),
    _daily("advance_km", "float", "km", "Depth of the adversary's advance"),
    _daily("eu_fund_remaining_bn", "float", "EUR bn", "EU common fund left"),
    _daily("n_political", "int", "count", "States at political support or above"),
    _daily("n_financial", "int", "count", "States at money and materiel or above"),
    _daily("n_forces", "int", "count", "States pledging forces"),
    # --- per day and state: states.parquet of `wargame run` ----------------------------
    _daily("day", "int", "days after the attack", "Day", "day_state", index=True),
    _daily("iso3", "str", "iso3", "State", "day_state", index=True),
    _daily("commitment", "str", "level name", "Commitment level", "day_state",
           categories=COMMITMENT_LEVELS, ordered=True),
    _daily("pledged_troops", "int", "troops", "Troops the state has pledged", "day_state"),
    _daily("deployed_troops", "int", "troops", "Troops the state has in theatre", "day_state"),
    _daily("cost_bn", "float", "EUR bn", "What the state has paid so far", "day_state"),
    _daily("reimbursed_bn", "float", "EUR bn", "What the EU fund has reimbursed so far",
           "day_state"),
)

#: The columns a sweep's runs/ holds before the inputs and outputs: which run a row is
#: (`run_id` joins runs/, states/ and steps/); and the one it holds after them.
SWEEP_KEYS: tuple[Output, ...] = tuple(Output(*column, level="run", index=True) for column in (
    ("run_id", "int", "", "Run number in this sweep (joins runs, states and steps)"),
    ("point_id", "int", "", "Design point the run belongs to (manifest.json 'points')"),
    ("replication", "int", "", "Replication of the design point"),
    ("seed", "int", "", "Random seed of the run (reruns it exactly)"),
))
RUN_ERROR = Output("error", "str", "", "Why the run failed (empty for a run that finished)",
                   "run")

def check_computed(declared: tuple[Output, ...], where: str) -> None:
    """Every per-run and per-state output of a declared set says how it is computed; a
    per-day one is the model's attribute of its name (read by Mesa's DataCollector)."""
    unsaid = [o.name for o in declared if (o.compute is None) != (o.level in ("day", "day_state"))]
    if unsaid:
        raise ValueError(f"{where} {unsaid}: a per-run or per-state output says how it is "
                         "computed (`compute`); a per-day one is the model's attribute of its "
                         "name")


check_computed(OUTPUTS, "outputs")


_BY_LEVEL = {level: tuple(o for o in OUTPUTS if o.level == level) for level in LEVELS}


def outputs(level: str) -> tuple[Output, ...]:
    """The outputs of one level, in column order."""
    if level not in LEVELS:
        raise KeyError(f"unknown level {level!r}; levels: {', '.join(LEVELS)}")
    return _BY_LEVEL[level]


def names(level: str) -> tuple[str, ...]:
    """The column names of one level, in order."""
    return tuple(o.name for o in outputs(level))


def output(name: str, level: str = "run") -> Output:
    """One output by name and level."""
    for o in outputs(level):
        if o.name == name:
            return o
    raise KeyError(f"no output {name!r} {LEVELS[level]}")


def markdown_table() -> str:
    """The registry as the Markdown table of docs/MODEL.md §3.11 (kept in step by a test)."""
    lines = ["| level | output | type | unit | meaning |", "|---|---|---|---|---|"]
    for o in OUTPUTS:
        lines.append(f"| {LEVELS[o.level]} | `{o.name}` | {o.dtype} | {o.unit} | {o.label} |")
    return "\n".join(lines) + "\n"


def table_rows() -> list[dict[str, str]]:
    """The registry as text rows: level, name, dtype, unit, label."""
    return [{"level": o.level, "name": o.name, "dtype": o.dtype, "unit": o.unit,
             "label": o.label} for o in OUTPUTS]
