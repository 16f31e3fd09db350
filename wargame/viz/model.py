"""The model as the page builds it: a CrisisModel made from the page's controls.

Mesa's run controller re-creates the model on Reset by calling its class with the values of
the controls, so the controls' names must be the constructor's keywords. This subclass
adds what the page needs on top of the model's own parameters: the scenario the controls
were loaded from, the seed typed as text, and the sweep run it reproduces, if any.
"""

from __future__ import annotations

import inspect
from typing import Any

from wargame.inputs import controlled
from wargame.model import CrisisModel
from wargame.roster import ADVERSARY, land_targets, load_roster, target_iso3
from wargame.scenario import load_scenario
from wargame.viz.launch import Launch


def state_names() -> dict[str, str]:
    """iso3 -> name of every state that can be attacked, for the target select."""
    roster = load_roster()
    return {iso3: roster.states[iso3].name for iso3 in target_iso3()}


def target_names(adversary: str) -> list[str]:
    """The names the target select offers under `adversary`: Russia attacks only a state on
    its or Belarus's land border, an attacker from the sea any target with a coast (the
    landlocked are no target at all: MODEL.md §3.9)."""
    names = state_names()
    allowed = land_targets() if adversary == ADVERSARY else list(names)
    return sorted(names[iso3] for iso3 in allowed)


class InspectedCrisis(CrisisModel):
    """One crisis as the analyst set it up on the page (docs/VIZ.md, "Controls").

    The scenario's keyword is `crisis`: Mesa reserves `scenario` for its own Scenario
    objects and would pass one in on Reset.

    Reset with the scenario select unchanged: the controls apply on top of the parameters
    the page was opened with. Reset with another scenario selected: that scenario is
    loaded as it is, and the page reloads its controls with the scenario's values.
    """

    def __init__(self, origin: Launch, crisis: str, seed: str, **controls: Any) -> None:
        """`controls` holds one value per name of `wargame.inputs.controlled()` (the
        page's controls; the target by the state's name, as the select shows it)."""
        # A typo in the seed field must not take the page down (Mesa's Reset has no error
        # handling): keep the seed the page was opened with, and say so on the page.
        notice = ""
        try:
            seed_value = int(str(seed).strip())
        except ValueError:
            seed_value = origin.seed
            notice = f"seed {seed!r} is not an integer: seed {seed_value} kept"
        if crisis != origin.scenario:
            parameters = load_scenario(crisis).parameters
            origin = Launch(crisis, parameters, seed_value)
        else:
            iso3_by_name = {name: iso3 for iso3, name in state_names().items()}
            missing = [name for name in controlled() if name not in controls]
            if missing:
                raise TypeError(f"InspectedCrisis: missing control(s) {', '.join(missing)}")
            values = {name: controls[name] for name in controlled()}
            chosen = values["target"]  # the state's name, as the select shows it
            if chosen not in target_names(origin.parameters["adversary"]):
                # A select left over from another scenario (Mesa keeps a control's value):
                # keep the page's target rather than take the page down, and say so.
                kept = state_names()[origin.parameters["target"]]
                unreachable = (f"{chosen} cannot be reached by this scenario's attacker "
                               f"(MODEL.md §3.9): target {kept} kept")
                notice = f"{notice}; {unreachable}" if notice else unreachable
                chosen = kept
            values["target"] = iso3_by_name[chosen]
            parameters = {**origin.parameters, **values}
        super().__init__(**parameters, rng=seed_value)
        self.origin = origin
        self.scenario_name = crisis
        self.notice = notice
        # The sweep run is only named while the page shows exactly that run.
        unchanged = self.inputs.as_dict() == origin.parameters and seed_value == origin.seed
        self.run_label = origin.run_label if unchanged else ""
        # A finished crisis stays finished. SolaraViz steps `render_interval` times per
        # click without looking at `running`, and Mesa's step wrapper would still advance
        # time and fire scheduled arrivals after the outcome.
        advance_one_day = self.step
        self.step = lambda: advance_one_day() if self.running else None


def shown_value(name: str, parameters: dict[str, Any]) -> Any:
    """A control's value as the page shows it (the target by its state's name)."""
    value = parameters[name]
    return state_names()[value] if name == "target" else value


def from_launch(launch: Launch) -> InspectedCrisis:
    """The model the page opens on."""
    controls = {name: shown_value(name, launch.parameters) for name in controlled()}
    return InspectedCrisis(origin=launch, crisis=launch.scenario, seed=str(launch.seed),
                           **controls)


def _signature() -> inspect.Signature:
    """The keywords SolaraViz checks its controls against: origin, crisis, one per
    control of the registry, and the seed."""
    keyword = inspect.Parameter.KEYWORD_ONLY
    names = ("origin", "crisis", *controlled(), "seed")
    return inspect.Signature(
        [inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD),
         *(inspect.Parameter(name, keyword) for name in names)],
        return_annotation=None,
    )


InspectedCrisis.__init__.__signature__ = _signature()
