"""Every output the model reports, declared once: name, type, unit, label and level.

The Parquet schemas of a sweep (`wargame.sweep.store`), the files `wargame run` writes
(`wargame.single_run`), the model's per-day series (`wargame.model.STEP_SERIES`), the
figures' axis labels (`wargame.figures.style`), the table of docs/MODEL.md §3.11 and the
tests all read this table, so a column is added, renamed or relabelled here and nowhere
else. Definitions of how each is computed are in docs/MODEL.md §3.11 and `wargame.outputs`.

This module imports nothing heavy: the command line lists it without loading Mesa.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Where an output lives: its level, the files that hold it and how a reader says it.
LEVELS = {
    "run": "per run",  # sweep runs/; summary.json "outputs"
    "state": "per run and state",  # sweep states/; summary.json "states" (at the end)
    "day": "per day",  # sweep steps/ (keep_series); steps.parquet
    "day_state": "per day and state",  # states.parquet of `wargame run`
}

#: Column types, as Python type names (Arrow and pandas types are derived where needed).
DTYPES = ("int", "float", "str", "bool")


@dataclass(frozen=True)
class Output:
    """One output column at one level.

    `label` is what a policy reader sees on an axis; `unit` follows it in brackets;
    `short` names it in a panel title. `index` marks columns that say which row this is
    (day, state) rather than measure anything.
    """

    name: str
    dtype: str
    unit: str
    label: str
    level: str
    short: str = ""
    index: bool = False

    def __post_init__(self) -> None:
        if self.dtype not in DTYPES or self.level not in LEVELS:
            raise ValueError(f"output {self.name}: dtype {self.dtype!r}, level {self.level!r}")

    @property
    def axis_label(self) -> str:
        """'Day first allied forces arrive (days after the attack)'."""
        return f"{self.label} ({self.unit})" if self.unit else self.label


def _run(name: str, dtype: str, unit: str, label: str, short: str) -> Output:
    return Output(name, dtype, unit, label, "run", short)


def _day(name: str, dtype: str, unit: str, label: str, index: bool = False) -> Output:
    return Output(name, dtype, unit, label, "day", index=index)


def _state(name: str, dtype: str, unit: str, label: str, level: str = "state",
           index: bool = False) -> Output:
    return Output(name, dtype, unit, label, level, index=index)


_DAYS = "days after the attack"

OUTPUTS: tuple[Output, ...] = (
    # --- per run: one row per run in a sweep's runs/, "outputs" in summary.json ----------
    _run("outcome", "str", "outcome name (wargame.model.OUTCOMES)", "Outcome of the crisis",
         "outcome"),
    _run("days", "int", "days", "Length of the crisis", "days"),
    _run("day_first_assistance", "float", _DAYS, "Day of first money or forces",
         "day of first assistance"),
    _run("day_first_forces", "float", _DAYS, "Day first allied forces arrive",
         "day of first forces"),
    _run("day_defeat", "float", _DAYS, "Day of defeat", "day of defeat"),
    _run("coalition_size", "int", "count", "States giving money or forces at the end",
         "coalition size"),
    _run("states_sending_forces", "int", "count", "States sending forces at the end",
         "states sending forces"),
    _run("peak_pledged_troops", "int", "troops", "Peak troops pledged by European states",
         "peak troops pledged"),
    _run("peak_deployed_troops", "int", "troops", "Peak troops deployed by European states",
         "peak troops deployed"),
    _run("us_share", "float", "share of the effective defence",
         "US troops in the defence on the last day", "US share"),
    _run("eu_fund_used_bn", "float", "EUR bn", "EU common fund used", "EU fund used"),
    _run("total_cost_bn", "float", "EUR bn", "Total cost of assistance", "total cost"),
    _run("burden_gini", "float", "0 = burden ∝ GDP for all, 1 = one state",
         "Burden Gini over states", "burden Gini"),
    _run("max_escalation", "str", "rung name", "Highest rung the adversary reached",
         "highest escalation"),
    _run("territory_lost", "float", "share of the attacked state",
         "Territory held by the adversary at the end", "territory held"),
    _run("adversary_losses", "int", "troops", "Adversary troops lost", "adversary losses"),
    _run("defender_losses", "int", "troops", "Defending troops lost", "defender losses"),
    _run("troops_sustained_day_60", "int", "troops",
         "Allied troops sustained in theatre on day 60", "troops on day 60"),
    _run("day_allied_100k", "float", _DAYS,
         "Day helpers' troops in theatre first reach 100,000 (an army)", "day of an army"),
    _run("armed_attack", "bool", "true or false",
         "The adversary attacked with armed force (an incursion or more)", "armed attack"),
    _run("day_armed_attack", "float", _DAYS, "Day of the first armed attack",
         "day of armed attack"),
    _run("peak_territory_lost", "float", "share of the attacked state",
         "Most territory the adversary held during the crisis", "peak territory held"),
    _run("advance_km", "float", "km", "Depth of the adversary's advance at the end",
         "depth of advance"),
    _run("allied_losses", "int", "troops",
         "Allied troops lost: forward presence, helpers' contingents and the EU RRF",
         "allied losses"),
    _run("us_losses", "int", "troops", "US troops lost", "US losses"),
    _run("victim_losses", "int", "troops", "The attacked state's troops lost",
         "victim's losses"),
    _run("treaty_bound_forces_share", "float", "share",
         "Treaty-bound helpers that pledged forces, once the clauses were invoked (null "
         "if never)", "treaty-bound sending forces"),
    _run("treaty_bound_money_share", "float", "share",
         "Treaty-bound helpers that gave money and materiel or more, once the clauses "
         "were invoked (null if never)",
         "treaty-bound giving money or more"),
    # --- per run, two-stage runs only (governance "reform"; null otherwise) -----------
    _run("reform_adopted", "bool", "true or false",
         "The reform was agreed and, where it needs a treaty change, ratified",
         "reform adopted"),
    _run("reform_round", "int", "month of the negotiation",
         "Round the reform was adopted in (null if blocked)", "round of adoption"),
    _run("reform_blocking", "str", "iso3 codes, space-separated",
         "Allies still refusing the reform at the deadline (empty if adopted)", "holdouts"),
    _run("reform_side_payments_bn", "float", "EUR bn",
         "Side payments the EU promised to holdouts", "side payments"),
    _run("reform_seed", "int", "seed", "Seed of the negotiation (`wargame reform --seed`)",
         "negotiation seed"),
    _run("reform_governance", "str", "governance name",
         "Governance the crisis ran under after the negotiation", "crisis governance"),
    _run("reform_us_commitment", "float", "share",
         "US commitment in the crisis after the funding cut", "effective US commitment"),
    _run("reform_spending_factor", "float", "ratio to 2024",
         "EU allies' defence spending in the crisis year against today's", "EU spending factor"),
    _run("reform_non_eu_bond", "float", "share",
         "GDP-weighted bond of the non-EU allies set by their status choices (null if "
         "blocked)", "non-EU bond"),
    _run("reform_outcome", "str", "adopted, ratification_failed or blocked",
         "Outcome of the negotiation and its ratification", "reform outcome"),
    _run("reform_us_cut", "float", "share",
         "Share of its European funding the US cut, as in force in the crisis year (0 if "
         "nothing was)", "US cut"),
    _run("reform_in_force", "str", "element names, space-separated",
         "Elements of the package in force by the crisis year (docs/REFORM.md §5)",
         "in force"),
    _run("reform_ratification_blockers", "str", "iso3 codes, space-separated",
         "States whose ratification of the treaty change failed", "ratification blockers"),
    # --- per run and state, at the end: a sweep's states/, "states" in summary.json ------
    _state("iso3", "str", "iso3", "State", index=True),
    _state("name", "str", "", "State's name"),
    _state("commitment", "str", "level name", "Commitment level at the end"),
    _state("pledged_troops", "int", "troops", "Troops the state has pledged at the end"),
    _state("deployed_troops", "int", "troops", "Troops the state has in theatre at the end"),
    _state("cost_bn", "float", "EUR bn", "What the state paid, before reimbursement"),
    _state("reimbursed_bn", "float", "EUR bn", "What the EU fund reimbursed the state"),
    _state("burden_bn", "float", "EUR bn",
           "The state's burden: own net cost plus its GNI-key share of the fund used"),
    _state("gdp_eur_bn", "float", "EUR bn", "The state's GDP"),
    _state("peak_commitment", "str", "level name", "Highest commitment level in the crisis"),
    _state("troops_arrived", "int", "troops", "The state's troops that reached the theatre"),
    _state("losses", "float", "troops", "The state's troops lost in combat"),
    _state("bound", "float", "share", "The state's treaty bond to the attacked state"),
    # --- per day: steps.parquet of `wargame run`, a sweep's steps/ --------------------
    _day("day", "int", "days after the attack", "Day (0 = the attack, before any decision)",
         index=True),
    _day("escalation", "str", "rung name", "Rung of the escalation ladder"),
    _day("adversary_committed", "float", "troops", "Adversary troops committed"),
    _day("adversary_losses", "int", "troops", "Adversary troops lost so far"),
    _day("defence_effective", "float", "quality-weighted troops",
         "Effective defence: own, forward presence, interoperable allied, RRF and US troops"),
    _day("force_ratio", "float", "ratio", "Adversary power / effective defence"),
    _day("pledged_troops", "int", "troops", "Troops pledged by European states"),
    _day("deployed_troops", "int", "troops", "Troops deployed by European states"),
    _day("defender_losses", "float", "troops", "Defending troops lost so far"),
    _day("us_troops", "float", "troops", "US troops in theatre"),
    _day("rrf_troops", "float", "troops", "EU rapid-reaction force in theatre"),
    _day("interoperability", "float", "share", "Effectiveness of the allied troops"),
    _day("territory_lost", "float", "share of the attacked state",
         "Territory held by the adversary"),
    _day("advance_km", "float", "km", "Depth of the adversary's advance"),
    _day("defence_timely", "float", "quality-weighted troops",
         "Defence the adversary expects within its timetable"),
    _day("eu_fund_remaining_bn", "float", "EUR bn", "EU common fund left"),
    _day("n_political", "int", "count", "States at political support or above"),
    _day("n_financial", "int", "count", "States at money and materiel or above"),
    _day("n_forces", "int", "count", "States pledging forces"),
    # --- per day and state: states.parquet of `wargame run` ----------------------------
    _state("day", "int", "days after the attack", "Day", "day_state", index=True),
    _state("iso3", "str", "iso3", "State", "day_state", index=True),
    _state("commitment", "str", "level name", "Commitment level", "day_state"),
    _state("pledged_troops", "int", "troops", "Troops the state has pledged", "day_state"),
    _state("deployed_troops", "int", "troops", "Troops the state has in theatre", "day_state"),
    _state("cost_bn", "float", "EUR bn", "What the state has paid so far", "day_state"),
    _state("reimbursed_bn", "float", "EUR bn", "What the EU fund has reimbursed so far",
           "day_state"),
)


def outputs(level: str) -> tuple[Output, ...]:
    """The outputs of one level, in column order."""
    if level not in LEVELS:
        raise KeyError(f"unknown level {level!r}; levels: {', '.join(LEVELS)}")
    return tuple(o for o in OUTPUTS if o.level == level)


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
