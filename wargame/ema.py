"""EMA Workbench without glue: the crisis model as an EMA Workbench model (docs/API.md).

`crisis_model` builds an `ema_workbench.ReplicatorModel` from the registries:

- inputs (`wargame.inputs.INPUTS`) keep their role: a lever becomes a lever, an
  uncertainty an uncertainty, over the range the registry documents, with the scenario's
  value as its default (EMA Workbench uses it when no policy or scenario is sampled);
  text inputs are `CategoricalParameter`s, true/false ones `BooleanParameter`s, integers
  `IntegerParameter`s, the rest `RealParameter`s. Settings (target, window, attacker) are
  `Constant`s at the scenario's value, as are inputs the caller fixes and inputs that can
  change nothing in this scenario (`wargame.levers.inert_inputs`: a PRIM box on a dead
  lever would mislead);
- each experiment runs `replications` times; replication r of the experiment whose
  inputs are x is seeded with ``run_seed(base_seed, point_key(x), r)``, the function
  that seeds a sweep's runs (`wargame.sweep.design.run_seed`), with the design point
  named by its values rather than by its place in a design (EMA Workbench does not pass
  the experiment's number to the model). The same inputs and base seed give the same
  runs, whatever the evaluator, order or process;
- outcomes are numbers, one per experiment (ScalarOutcomes), so that feature scoring and
  PRIM take them as they are; each is a loop over the per-run outputs the output registry
  declares (`wargame outputs`, `outcome_names`): for a text output with named values
  (`outcome`, of `wargame.outcomes`) the share of replications that ended with each
  value (`deterred`, ...); for a ladder (`max_escalation`) the mean rung index (0 =
  HYBRID, 1 = INCURSION, 2 = CONVENTIONAL); every other numeric output as its mean over
  the replications. Outputs that only identify (the negotiation's seed) and those missing
  where what they measure never happens (the days of first assistance, first forces and
  defeat; the round of adoption) are left out: a mean over some replications would hide
  how many;
- the two-stage run (governance "reform", docs/MODEL.md §3.12) is one only when the
  caller fixes governance to a two-stage regime: then the negotiation's inputs are sampled
  too and its outputs are outcomes. A sampled governance ranges over the crisis regimes
  without the two-stage one, whose outputs are null in every other run.

ema_workbench is an optional dependency (``pip install 'wargame[analysis]'``).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING, Any

import numpy as np

from wargame.errors import WargameError
from wargame.inputs import INPUTS, unknown_input
from wargame.levers import inert_inputs
from wargame.model import CrisisModel
from wargame.output_registry import Output, outputs
from wargame.outputs import run_outputs
from wargame.regimes import CRISIS_REGIMES, REGIMES
from wargame.rules import MAX_RUNS, check_run_count, check_seed
from wargame.scenario import check_inputs, load_scenario
from wargame.sweep.design import run_seed

if TYPE_CHECKING:
    import pandas as pd
    from ema_workbench import ReplicatorModel

#: A seed for the replications unless the caller gives one (any fixed number would do).
BASE_SEED = 20261201


def point_key(inputs: dict[str, Any]) -> int:
    """A stable number for a set of input values: the design point of `run_seed`.

    Parameters
    ----------
    inputs : dict
        Input values (NumPy scalars welcome).

    Returns
    -------
    int
        A 63-bit digest of the values, the same in every process and Python version.
    """
    plain = {name: value.item() if hasattr(value, "item") else value  # NumPy -> Python
             for name, value in inputs.items()}
    text = json.dumps(plain, sort_keys=True)
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest()) >> 1


def _outcomes(two_stage: bool) -> tuple[Output, ...]:
    """The per-run outputs that become EMA outcomes (see the module's docstring)."""
    return tuple(o for o in outputs("run")
                 if not o.index and not o.missing and (two_stage or not o.two_stage)
                 and (o.numeric or o.categories))


def outcome_names(two_stage: bool = False) -> tuple[str, ...]:
    """The EMA outcomes' names, in order: a share per named value of a text output, then
    mean rungs and means (the negotiation's too if `two_stage`)."""
    shares = [c for o in _outcomes(two_stage) if o.categories and not o.ordered
              for c in o.categories]
    return (*shares, *(o.name for o in _outcomes(two_stage) if o.ordered),
            *(o.name for o in _outcomes(two_stage) if not o.categories))


def _numbers(o: Output, value: Any) -> dict[str, float]:
    """One output of one run as EMA numbers: {name: number}."""
    if o.ordered:
        return {o.name: float(o.categories.index(value))}
    if o.categories:
        return {c: float(value == c) for c in o.categories}
    return {o.name: float(value)}


def replicate(*, replication: int, base_seed: int, two_stage: bool = False,
              **inputs: Any) -> dict[str, float]:
    """One replication of one experiment: the function EMA Workbench calls.

    Parameters
    ----------
    replication : int
        The replication's number (0, 1, ...).
    base_seed : int
        The seed every replication's seed derives from.
    two_stage : bool, default False
        Report the negotiation's outputs too (those the output registry marks
        `two_stage`; governance "reform").
    **inputs
        A value for every input of the model.

    Returns
    -------
    dict of str to float
        The run's outputs as numbers (see the module's docstring); EMA Workbench averages
        them over the replications.
    """
    checked = check_inputs(inputs, "wargame.ema")
    seed = run_seed(base_seed, point_key(checked), replication)
    result = run_outputs(CrisisModel(**checked, rng=seed, collect_series=False).run())
    numbers: dict[str, float] = {}
    for o in _outcomes(two_stage):
        numbers.update(_numbers(o, result[o.name]))
    return numbers


def _parameter(name: str, default: Any) -> Any:
    """The EMA Workbench parameter of one input over its registry range (governance
    without the two-stage regime: see `crisis_model`)."""
    from ema_workbench import (
        BooleanParameter,
        CategoricalParameter,
        IntegerParameter,
        RealParameter,
    )

    item = INPUTS[name]
    if item.kind is bool:
        return BooleanParameter(name, default=default)
    if item.kind is str:
        return CategoricalParameter(name, _values(name), default=default)
    if item.kind is int:
        return IntegerParameter(name, int(item.low), int(item.high), default=default)
    return RealParameter(name, float(item.low), float(item.high), default=default)


def _values(name: str) -> list[Any]:
    """The values an input can take when it is sampled (for `inert_inputs`)."""
    item = INPUTS[name]
    if item.kind is bool:
        return [False, True]
    if item.kind is str:
        return list(CRISIS_REGIMES) if name == "governance" else list(item.choices)
    return [item.low, item.high]


def crisis_model(scenario: str = "baltic", *, replications: int = 10,
                 base_seed: int = BASE_SEED, fixed: Iterable[str] = (),
                 max_runs: int = MAX_RUNS, **inputs: Any) -> ReplicatorModel:
    """The crisis model of one scenario as an EMA Workbench model.

    Parameters
    ----------
    scenario : str, default "baltic"
        A scenario name (``wargame scenarios``) or a path to a scenario file: the values
        of the constants and the defaults of the levers and uncertainties.
    replications : int, default 10
        Runs per experiment; outcomes are shares and means over them.
    base_seed : int, default BASE_SEED
        The seed the replications' seeds derive from (see the module's docstring).
    fixed : iterable of str, optional
        Levers or uncertainties to hold at the scenario's value (as constants).
    max_runs : int, default 1,000,000
        Refuse more replications per experiment than this (`wargame.rules`).
    **inputs
        Inputs to hold at the value given here (as constants), e.g. ``target="LVA"``.

    Returns
    -------
    ema_workbench.ReplicatorModel
        Ready for ``perform_experiments(model, 100)``.

    Raises
    ------
    WargameError
        An unknown scenario or input, a value outside its range, a bad count or seed.
    """
    try:
        from ema_workbench import Constant, ReplicatorModel, ScalarOutcome
    except ImportError:
        raise WargameError("wargame.ema needs EMA Workbench: "
                           "pip install 'wargame[analysis]'") from None
    where = "wargame.ema.crisis_model"
    check_seed(base_seed, f"{where}: base_seed")
    if isinstance(replications, bool) or not isinstance(replications, int) or replications < 1:
        raise WargameError(f"{where}: replications = {replications!r} is not allowed; expected "
                           "an integer >= 1")
    check_run_count(replications, max_runs, f"{where}: replications", "max_runs=N")
    fixed = [fixed] if isinstance(fixed, str) else list(fixed)
    for name in fixed:
        if name not in INPUTS:
            raise unknown_input(name, where)
    source = load_scenario(scenario)
    base = {**source.parameters, **check_inputs(inputs, where)}
    constant = {name for name, item in INPUTS.items()
                if item.role == "setting" or name in fixed or name in inputs}
    two_stage = REGIMES[base["governance"]].two_stage
    if "governance" not in constant and two_stage:
        raise WargameError(f"{where}: the scenario's governance is \"{base['governance']}\"; "
                           "sampled governance leaves the two-stage run out, so fix it: "
                           f"governance=\"{base['governance']}\" or fixed=[\"governance\"]")
    sampled = [name for name in INPUTS if name not in constant]
    constant |= set(inert_inputs(base, {name: _values(name) for name in sampled}))

    model = ReplicatorModel(re.sub(r"\W", "_", f"crisis_{source.name}"),
                            function=partial(replicate, base_seed=base_seed,
                                             two_stage=two_stage))
    model.replications = [{"replication": r} for r in range(replications)]
    model.uncertainties = [_parameter(name, base[name]) for name in sampled
                           if name not in constant and INPUTS[name].role == "uncertainty"]
    model.levers = [_parameter(name, base[name]) for name in sampled
                    if name not in constant and INPUTS[name].role == "lever"]
    model.constants = [Constant(name, base[name]) for name in INPUTS if name in constant]
    model.outcomes = [ScalarOutcome(name, function=np.mean)
                      for name in outcome_names(two_stage)]
    return model


def prim_inputs(experiments: pd.DataFrame) -> pd.DataFrame:
    """The experiments of `perform_experiments` as PRIM can take them: integers as floats.

    ema_workbench 3.0.0's PRIM writes a fractional box edge into the box's column of an
    integer input, which pandas 3 refuses (EMAworkbench issue #448, fixed upstream after
    3.0.0). The values are unchanged; drop this call once a fixed release is installed.

    Parameters
    ----------
    experiments : DataFrame
        The first element of what ``perform_experiments`` returns.

    Returns
    -------
    DataFrame
        A copy with every integer column as float64.
    """
    integers = experiments.select_dtypes(np.integer).columns
    return experiments.astype(dict.fromkeys(integers, "float64"))
