"""The kinds of model a sweep can run, declared once: inputs, outputs, outcomes, how to run one.

A sweep file names its model (`model = "negotiation"`; "crisis" when absent). The sweep
spec checks its inputs against the kind's registry, the runner builds the Parquet schemas
from its declared outputs and runs each replication through its `replication` module, and
the readers (figures, export, `load_sweep`, compare) read a folder's columns and outcomes
from the kind its manifest names. Adding a model kind is an entry here and a module with
two functions; the runner does not change:

- ``prepare(parameters) -> inputs``: called once per design point in a worker (a point's
  replications share it), e.g. to check the point once;
- ``replicate(inputs, seed, keep_series) -> Replication``: one run, to its end.

Light on purpose: readers learn a folder's columns here without importing Mesa; the
`replication` module is imported by name, in the worker.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from types import ModuleType
from typing import Any, NamedTuple

from wargame.errors import WargameError
from wargame.input_record import Input
from wargame.inputs import INPUTS, by_role, check_inputs, unknown_input
from wargame.output_registry import OUTPUTS, Output
from wargame.palette import OUTCOME_COLOURS
from wargame.reform.inputs import REFORM_INPUTS, check_reform_inputs, unknown_reform_input
from wargame.reform.outputs import NEGOTIATION_OUTPUTS
from wargame.reform.outputs import OUTCOMES as NEGOTIATION_OUTCOMES


class Replication(NamedTuple):
    """What one run hands the sweep: its per-run outputs, and per-state and per-step
    columns (name -> values, one entry per row); `steps` is None unless series are kept."""

    outputs: dict[str, Any]
    states: dict[str, list]
    steps: dict[str, list] | None


@dataclass(frozen=True)
class ModelKind:
    """One kind of model: what it takes, what it reports and where its runs are run.

    `outputs` holds its output columns at every level it has (a sweep stores the levels
    "run" in runs/, "state" in states/ and "day" in steps/); the run column "outcome"
    takes the values of `outcomes`. `scenarios`: a sweep of this kind
    names a scenario whose parameters are its base; otherwise the base is the registry's
    defaults. `inert` names ("module:function") the rule that finds swept inputs that
    cannot act (wargame.levers.inert_inputs); `screened` gives the uncertainties a Morris
    design with `ranges = "registry"` varies, from the sweep's base inputs.
    """

    name: str
    docs: str  # where its inputs and outputs are defined
    inputs: Mapping[str, Input]
    check: Callable[[dict[str, Any], str], dict[str, Any]]
    unknown: Callable[[str, str], WargameError]
    outputs: tuple[Output, ...]
    outcomes: tuple[str, ...]
    outcome_colours: Mapping[str, str]
    replication: str
    scenarios: bool
    inert: str | None = None
    screened: Callable[[dict[str, Any]], Iterable[Input]] | None = None

    @cached_property
    def defaults(self) -> dict[str, Any]:
        return {name: i.default for name, i in self.inputs.items()}

    def columns(self, level: str) -> tuple[Output, ...]:
        """The declared outputs of one level, in column order."""
        return tuple(o for o in self.outputs if o.level == level)

    def names(self, level: str) -> tuple[str, ...]:
        return tuple(o.name for o in self.columns(level))

    @property
    def series(self) -> bool:
        """Whether a run of this kind has per-step series a sweep can keep."""
        return bool(self.columns("day"))

    def uncertainties(self, base: dict[str, Any]) -> list[Input]:
        """The numeric uncertainties a registry-wide screening varies for this base."""
        chosen = (self.screened(base) if self.screened is not None
                  else (i for i in self.inputs.values() if i.role == "uncertainty"))
        return [i for i in chosen if i.numeric]

    def inert_inputs(self, base: dict[str, Any], swept: dict[str, list]) -> dict[str, str]:
        """{swept input: why it cannot change anything}; empty for a kind without a rule."""
        if self.inert is None:
            return {}
        module, function = self.inert.split(":")
        return getattr(importlib.import_module(module), function)(base, swept)

    def runner(self) -> ModuleType:
        """The module with `prepare` and `replicate` (imports the model)."""
        return importlib.import_module(self.replication)


CRISIS = "crisis"

MODEL_KINDS: dict[str, ModelKind] = {kind.name: kind for kind in (
    ModelKind(
        name=CRISIS, docs="docs/MODEL.md",
        inputs=INPUTS, check=check_inputs, unknown=unknown_input,
        outputs=OUTPUTS,
        outcomes=tuple(OUTCOME_COLOURS), outcome_colours=OUTCOME_COLOURS,
        replication="wargame.crisis_replication", scenarios=True,
        inert="wargame.levers:inert_inputs",
        # The negotiation's inputs act only in two-stage runs: screened only then.
        screened=lambda base: by_role("uncertainty", reform=base["governance"] == "reform"),
    ),
    ModelKind(
        name="negotiation", docs="docs/REFORM.md",
        inputs=REFORM_INPUTS, check=check_reform_inputs, unknown=unknown_reform_input,
        outputs=NEGOTIATION_OUTPUTS, outcomes=NEGOTIATION_OUTCOMES,
        outcome_colours={"adopted": "#2166ac", "ratification_failed": "#f4a582",
                         "blocked": "#b2182b"},
        replication="wargame.reform.replication", scenarios=False,
    ),
)}


def model_kind(name: str, where: str = "model") -> ModelKind:
    """The kind called `name`, or one line listing the kinds there are."""
    kind = MODEL_KINDS.get(name) if isinstance(name, str) else None
    if kind is None:
        raise WargameError(f"{where} = {name!r} is not a model kind; expected one of "
                           f"{', '.join(MODEL_KINDS)}")
    return kind


def folder_kind(manifest: Mapping[str, Any], folder: object) -> ModelKind:
    """The kind of model a result folder's manifest says it holds (crisis if it says none:
    folders written before there were kinds)."""
    name = manifest.get("model", CRISIS)
    if name not in MODEL_KINDS:
        raise WargameError(f"{folder}: holds runs of model {name!r}, which this version of "
                           f"wargame does not know ({', '.join(MODEL_KINDS)})")
    return MODEL_KINDS[name]
