"""The statistics a calibration target can name: functions over the runs of an experiment.

A target says which statistic of its experiment's runs should fall in its band, by name
("treaty_bound_forces_share") or by family and argument ("share_outcome:defeated",
"median:days"). Each function takes the experiment's runs (a `Runs`: the per-run outputs
of `wargame.outputs.run_outputs`, and for statistics that need them the per-state results,
one column dict per run) and returns one number. A statistic that has nothing to measure
(no run was defeated, so no median day of defeat) returns NaN or infinity, which the
distance counts as far outside any band.

There is deliberately no per-state statistic: per-state Ukraine Support Tracker figures and
per-state responses to France's 2015 invocation are reserved out-of-sample checks.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from wargame.errors import WargameError
from wargame.outcomes import OUTCOME_NAMES

#: Commitment levels, lowest first (wargame.agents.Commitment), by name.
LEVELS = ("NONE", "POLITICAL", "FINANCIAL", "FORCES")


@dataclass
class Runs:
    """The runs of one experiment at one parameter set: outputs per run, states per run."""

    outputs: list[dict[str, Any]] = field(default_factory=list)
    #: One dict of columns (iso3, peak_commitment, bound, ...) per run; empty unless a
    #: statistic of the experiment needs states.
    states: list[dict[str, list]] = field(default_factory=list)

    def extend(self, other: Runs) -> None:
        self.outputs.extend(other.outputs)
        self.states.extend(other.states)


@dataclass(frozen=True)
class Statistic:
    """A named statistic: its function, unit, meaning and the argument it takes, if any."""

    name: str
    function: Callable[[Runs, str | None], float]
    unit: str
    meaning: str
    needs_states: bool = False
    #: What the text after ':' names ("an outcome", "a day"); None: takes no argument.
    argument: str | None = None


STATISTICS: dict[str, Statistic] = {}


def _register(name: str, unit: str, meaning: str, *, needs_states: bool = False,
              argument: str | None = None) -> Callable:
    def add(function: Callable[[Runs, str | None], float]) -> Callable:
        STATISTICS[name] = Statistic(name, function, unit, meaning, needs_states, argument)
        return function
    return add


def _treaty_bound_share(runs: Runs, level: str, column: str) -> float:
    """Mean over runs of the share of treaty-bound helpers whose peak reached `level`.

    Reads the per-run output `column` where the model reports it (v3), else the per-state
    `peak_commitment` and `bound`. Runs with no treaty-bound helper do not count.
    """
    floor = LEVELS.index(level)
    shares = []
    for outputs, states in zip(runs.outputs, runs.states or [None] * len(runs.outputs),
                               strict=True):
        share = outputs.get(column)
        if share is None and states is not None:
            reached = [LEVELS.index(peak) >= floor
                       for peak, bound in zip(states["peak_commitment"], states["bound"],
                                              strict=True) if bound > 0]
            share = statistics.fmean(reached) if reached else None
        if share is not None and not math.isnan(share):
            shares.append(share)
    return statistics.fmean(shares) if shares else math.nan


@_register("treaty_bound_forces_share", "share of treaty-bound states",
           "treaty-bound states whose commitment reached forces, mean over runs",
           needs_states=True)
def treaty_bound_forces_share(runs: Runs, argument: str | None = None) -> float:
    return _treaty_bound_share(runs, "FORCES", "treaty_bound_forces_share")


@_register("treaty_bound_money_share", "share of treaty-bound states",
           "treaty-bound states whose commitment reached money and materiel or more, mean "
           "over runs", needs_states=True)
def treaty_bound_money_share(runs: Runs, argument: str | None = None) -> float:
    return _treaty_bound_share(runs, "FINANCIAL", "treaty_bound_money_share")


def _day_or_never(value: Any) -> float:
    return math.inf if value is None or math.isnan(value) else float(value)


@_register("median_day_defeat", "days after the attack",
           "median day of defeat, runs not defeated counting as never (infinite)")
def median_day_defeat(runs: Runs, argument: str | None = None) -> float:
    return median_day(runs, "day_defeat")


@_register("share_outcome", "share of runs", "share of runs ending in this outcome",
           argument="an outcome")
def share_outcome(runs: Runs, argument: str | None) -> float:
    if not runs.outputs:
        return math.nan
    return statistics.fmean(r["outcome"] == argument for r in runs.outputs)


def _share_by_day(runs: Runs, day_output: str, argument: str | None) -> float:
    """Share of runs whose `day_output` came on or before the day `argument`."""
    if not runs.outputs:
        return math.nan
    last = float(argument)
    return statistics.fmean(_day_or_never(r[day_output]) <= last for r in runs.outputs)


@_register("share_defeated_by_day", "share of runs",
           "share of runs defeated, dated by the capital's fall, on or before this day",
           argument="a day")
def share_defeated_by_day(runs: Runs, argument: str | None) -> float:
    return _share_by_day(runs, "day_defeat", argument)


@_register("share_capital_fallen_by_day", "share of runs",
           "share of runs in which the attacker reached the capital on or before this day "
           "(whether or not it was retaken)", argument="a day")
def share_capital_fallen_by_day(runs: Runs, argument: str | None) -> float:
    return _share_by_day(runs, "day_capital_falls", argument)


@_register("median_ground_when", "share of the attacked state",
           "median ground held at the end by the runs ending in this outcome",
           argument="an outcome")
def median_ground_when(runs: Runs, argument: str | None) -> float:
    held = [r["territory_lost"] for r in runs.outputs if r["outcome"] == argument]
    return statistics.median(held) if held else math.nan


def _numbers(runs: Runs, column: str) -> list[float]:
    values = (r[column] for r in runs.outputs)
    return [float(v) for v in values if v is not None and not math.isnan(v)]


@_register("mean", "the output's unit", "mean of a numeric per-run output over the runs that "
           "report it (of a true/false one: the share of runs where it is true)",
           argument="a numeric per-run output")
def mean_of(runs: Runs, argument: str | None) -> float:
    values = _numbers(runs, argument)
    return statistics.fmean(values) if values else math.nan


@_register("median", "the output's unit", "median of a numeric per-run output over the runs "
           "that report it", argument="a numeric per-run output")
def median_of(runs: Runs, argument: str | None) -> float:
    values = _numbers(runs, argument)
    return statistics.median(values) if values else math.nan


@_register("median_day", "days", "median of a day output over all the runs, a run that never "
           "reaches that day counting as never (infinite)", argument="a per-run day output")
def median_day(runs: Runs, argument: str | None) -> float:
    """Unlike `median`, a run that never reaches the event is not dropped: where most runs
    never reach it, the median is never, however soon the few that do reach it."""
    days = [_day_or_never(r[argument]) for r in runs.outputs]
    return statistics.median(days) if days else math.nan


def _check_argument(kind: str, argument: str, where: str) -> str:
    """The argument of a statistic family, checked against what it names."""
    if kind == "an outcome":
        if argument not in OUTCOME_NAMES:
            raise WargameError(f"{where}: unknown outcome {argument!r}; expected one of "
                               f"{', '.join(OUTCOME_NAMES)}")
    elif kind == "a day":
        try:
            day = float(argument)
        except ValueError:
            day = math.nan
        if not day >= 0:
            raise WargameError(f"{where}: {argument!r} is not a day (a number >= 0)")
    else:
        from wargame.output_registry import OUTPUTS

        numeric = [o.name for o in OUTPUTS
                   if o.level == "run" and o.dtype in ("int", "float", "bool")]
        if argument not in numeric:
            raise WargameError(f"{where}: {argument!r} is not a numeric (or true/false) "
                               "per-run output; `wargame outputs` lists them")
        if kind == "a per-run day output" and not argument.startswith("day_"):
            raise WargameError(f"{where}: {argument!r} is not a day output (day_...); "
                               "`wargame outputs` lists them")
    return argument


@dataclass(frozen=True)
class Measure:
    """A statistic with its argument, as a target names it: `compute(runs)` is its value."""

    text: str
    statistic: Statistic
    argument: str | None

    @property
    def needs_states(self) -> bool:
        return self.statistic.needs_states

    def compute(self, runs: Runs) -> float:
        return float(self.statistic.function(runs, self.argument))


def parse_measure(text: str, where: str) -> Measure:
    """'share_outcome:defeated' -> its Measure, or one line naming what is wrong."""
    name, sep, argument = text.partition(":")
    found = STATISTICS.get(name)
    if found is None:
        raise WargameError(f"{where}: unknown statistic {text!r}; known: "
                           f"{', '.join(describe(s) for s in STATISTICS.values())}")
    if found.argument is None and sep:
        raise WargameError(f"{where}: statistic {name!r} takes no argument (got {text!r})")
    if found.argument is not None and not argument:
        raise WargameError(f"{where}: statistic {name!r} needs {found.argument}, as "
                           f"{name}:ARGUMENT")
    checked = _check_argument(found.argument, argument, where) if found.argument else None
    return Measure(text, found, checked)


def describe(statistic: Statistic) -> str:
    return f"{statistic.name}:ARG" if statistic.argument else statistic.name
