"""EMA Workbench without glue: the crisis model as an EMA Workbench model (docs/API.md).

`crisis_model` builds an `ema_workbench.ReplicatorModel` from the registries:

- inputs (`wargame.inputs.INPUTS`) keep their role: a lever becomes a lever, an
  uncertainty an uncertainty, over the range the registry documents, with the scenario's
  value as its default (EMA Workbench uses it when no policy or scenario is sampled);
  text inputs are `CategoricalParameter`s, true/false ones `BooleanParameter`s, integers
  `IntegerParameter`s, the rest `RealParameter`s. Settings (target, window, attacker) are
  `Constant`s at the scenario's value, as are inputs the caller fixes, inputs that can
  change nothing in this scenario (`wargame.levers.inert_inputs`: a PRIM box on a dead
  lever would mislead) and the uncertainties that frame the scenario (`FRAMING`: the
  size of the attack, whose registry range spans every scenario up to most of Russia's
  army) unless the caller asks to sample them (`sample=`);
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
  value (`deterred`, ...; another text output's shares are prefixed by its name:
  `reform_outcome_blocked`); for a ladder (`max_escalation`) the mean rung index (0 =
  HYBRID, 1 = INCURSION, 2 = CONVENTIONAL); every other numeric output as its mean over
  the replications. Outputs that only identify (the negotiation's seed) and those the
  registry declares `missing` where what they measure never happens (the days of first
  forces, of the armed attack, of defeat, ...; the treaty-bound shares of a run whose
  clauses were never invoked; the round of adoption) are left out, one rule for all: a
  mean over some replications would hide how many (whether it happened is an outcome of
  its own where it matters: `armed_attack`, the outcome shares);
- each outcome has a kind, so that EMA Workbench's `optimize` has objectives: the
  attacked state's good ends are maximised, its bad ends, the ground it loses and what
  the defence costs in money and lives are minimised (`GOALS`); every other outcome is
  reported only (INFO: a larger coalition or more troops pledged is a means, not an
  aim). `goals=` changes them;
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
from wargame.outcomes import OUTCOMES
from wargame.output_registry import Output, outputs
from wargame.outputs import run_outputs
from wargame.regimes import CRISIS_REGIMES, REGIMES
from wargame.roster import check_attack, check_parties
from wargame.rules import MAX_RUNS, check_run_count, check_seed
from wargame.scenario import check_inputs, load_scenario
from wargame.sweep.design import run_seed

if TYPE_CHECKING:
    import pandas as pd
    from ema_workbench import ReplicatorModel

#: A seed for the replications unless the caller gives one (any fixed number would do).
BASE_SEED = 20261201
#: Uncertainties that frame the scenario rather than measure behaviour: held at the
#: scenario's value unless `sample=` names them. The size of the attack is each
#: scenario's stated figure; over the registry's range (5,000 to 400,000 troops, for every
#: scenario at once) it decides nearly every run and drowns every other input.
FRAMING = ("attack_troops",)
#: What a policy search aims at, by EMA outcome: the attacked state's good ends up and its
#: bad ends down (`wargame.outcomes`, `wanted`); the ground lost and the defence's cost in
#: money and lives down. Any outcome not named here is INFO (reported, not an objective
#: of `optimize`).
GOALS: dict[str, str] = {
    **{o.name: "maximize" if o.wanted == "more" else "minimize" for o in OUTCOMES if o.wanted},
    **dict.fromkeys(("territory_lost", "total_cost_bn", "allied_losses", "victim_losses"),
                    "minimize"),
}
KINDS = ("maximize", "minimize", "info")


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


def share_name(o: Output, value: str) -> str:
    """The EMA outcome of the share of runs in which `o` took `value`: the value itself for
    the crisis' outcome ("deterred"), else prefixed by the output ("reform_outcome_blocked")."""
    return value if o.name == "outcome" else f"{o.name}_{value}"


def outcome_names(two_stage: bool = False) -> tuple[str, ...]:
    """The EMA outcomes' names, in order: a share per named value of a text output, then
    mean rungs and means (the negotiation's too if `two_stage`)."""
    shares = [share_name(o, c) for o in _outcomes(two_stage) if o.categories and not o.ordered
              for c in o.categories]
    return (*shares, *(o.name for o in _outcomes(two_stage) if o.ordered),
            *(o.name for o in _outcomes(two_stage) if not o.categories))


def _numbers(o: Output, value: Any) -> dict[str, float]:
    """One output of one run as EMA numbers: {name: number}."""
    if o.ordered:
        return {o.name: float(o.categories.index(value))}
    if o.categories:
        return {share_name(o, c): float(value == c) for c in o.categories}
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


def _goals(goals: dict[str, str] | None, names: tuple[str, ...], where: str) -> dict[str, str]:
    """Each outcome's kind: GOALS, changed by the caller's `goals` (checked)."""
    chosen = {**GOALS, **(goals or {})}
    for name, kind in (goals or {}).items():
        if name not in names:
            raise WargameError(f"{where}: goals names {name!r}, which is no outcome; "
                               f"outcomes: {', '.join(names)}")
        if kind not in KINDS:
            raise WargameError(f"{where}: goals[{name!r}] = {kind!r}; expected one of "
                               f"{', '.join(KINDS)}")
    return {name: chosen.get(name, "info") for name in names}


def _sampled_framing(sample: Iterable[str], fixed: list[str], inputs: dict[str, Any],
                     where: str) -> set[str]:
    """The framing uncertainties the caller asks to sample (`sample=`), checked."""
    sample = [sample] if isinstance(sample, str) else list(sample)
    for name in sample:
        if name not in FRAMING:
            raise WargameError(f"{where}: sample names {name!r}; only the framing "
                               f"uncertainties are held unless sampled: {', '.join(FRAMING)}")
        if name in fixed or name in inputs:
            raise WargameError(f"{where}: {name} is both sampled and held constant; keep one")
    return set(sample)


def crisis_model(scenario: str = "baltic", *, replications: int = 10,
                 base_seed: int = BASE_SEED, fixed: Iterable[str] = (),
                 sample: Iterable[str] = (), goals: dict[str, str] | None = None,
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
    sample : iterable of str, optional
        Framing uncertainties (`FRAMING`: ``"attack_troops"``) to sample over their
        registry range instead of holding them at the scenario's value.
    goals : dict of str to str, optional
        Outcome kinds that replace `GOALS`' (``"maximize"``, ``"minimize"`` or
        ``"info"``), e.g. ``{"total_cost_bn": "info"}`` for an optimization that ignores
        cost; `optimize` searches over the outcomes that are not ``"info"``.
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
    sampled_framing = _sampled_framing(sample, fixed, inputs, where)
    source = load_scenario(scenario)
    base = {**source.parameters, **check_inputs(inputs, where)}
    check_attack(base["target"], base["adversary"], where)  # target and adversary are settings
    check_parties(base["parties"], base["target"], where)
    held = set(FRAMING) - sampled_framing
    constant = {name for name, item in INPUTS.items()
                if item.role == "setting" or name in fixed or name in inputs or name in held}
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
    kinds = {"maximize": ScalarOutcome.MAXIMIZE, "minimize": ScalarOutcome.MINIMIZE,
             "info": ScalarOutcome.INFO}
    model.outcomes = [ScalarOutcome(name, kind=kinds[kind], function=np.mean) for name, kind
                      in _goals(goals, outcome_names(two_stage), where).items()]
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
