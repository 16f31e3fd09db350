"""What a check sees: the settings, the scenarios under validation and the experiments' results.

Everything a check knows about a scenario comes from its file and the data tables (its
target, whether the target is in NATO, how the crisis starts, the parties it names), never
from a list in the check.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from wargame.validation.experiments import Experiment, Results, Settings

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class ScenarioInfo:
    """A scenario as the checks need it."""

    name: str  # the file stem: names its experiments
    ref: str  # what the sweep file names: a shipped name or a path
    parameters: dict[str, Any]

    @property
    def target(self) -> str:
        return str(self.parameters["target"])

    @cached_property
    def target_name(self) -> str:
        from wargame.roster import load_roster

        return load_roster().states[self.target].name

    @cached_property
    def target_in_nato(self) -> bool:
        from wargame.roster import load_roster

        return bool(load_roster().states[self.target].nato_member)

    @property
    def parties(self) -> tuple[str, ...] | None:
        """States the scenario names as party to the conflict (iso3), or None if the model
        has no `parties` input."""
        from wargame.inputs import INPUTS

        if "parties" not in INPUTS:
            return None
        return tuple(str(self.parameters.get("parties") or "").split())


def load_info(ref: str, fixed: dict[str, Any]) -> ScenarioInfo:
    """A scenario by name or path, with the inputs every run fixes over its own."""
    from wargame.scenario import load_scenario

    scenario = load_scenario(ref)
    return ScenarioInfo(scenario.name, ref, {**scenario.parameters, **fixed})


class Context:
    """The settings, the scenarios and (once run) the results every check reads."""

    def __init__(self, settings: Settings, scenarios: list[ScenarioInfo]) -> None:
        self.settings = settings
        self.scenarios = scenarios
        self.results: Results | None = None

    def scenario(self, name: str) -> ScenarioInfo | None:
        """A scenario under validation by name, or None if it was not selected."""
        return next((s for s in self.scenarios if s.name == name), None)

    def runs(self, experiment: Experiment) -> pd.DataFrame:
        assert self.results is not None, "the experiments have not been run"
        return self.results.runs(experiment.name)

    def states(self, experiment: Experiment) -> pd.DataFrame:
        assert self.results is not None, "the experiments have not been run"
        return self.results.states(experiment.name)
