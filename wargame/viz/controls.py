"""The page's controls, as SolaraViz `model_params`, built from the parameter registry.

Ranges, units and choices come from `wargame.inputs.INPUTS`, so a control can
never offer a value the model would refuse. Mesa applies a changed control on Reset.
"""

from __future__ import annotations

from typing import Any

from wargame.inputs import GOVERNANCE_REGIMES, INPUTS
from wargame.scenario import list_scenarios
from wargame.viz.launch import Launch
from wargame.viz.model import state_names

#: Slider steps: shares by the hundredth, troops by the thousand.
STEPS = {
    "us_commitment": 0.01,
    "eu_financing": 0.01,
    "command_integration": 0.01,
    "rapid_reaction_force": 1000,
    "aggression": 0.001,
}


def label(name: str) -> str:
    """'us_commitment (share)' — the name the docs use, with its unit."""
    unit = INPUTS[name].unit
    return f"{name} ({unit})" if unit else name


def slider(name: str, value: Any) -> dict[str, Any]:
    p = INPUTS[name]
    return {
        "type": "SliderInt" if p.kind is int else "SliderFloat",
        "label": label(name),
        "value": value,
        "min": p.low,
        "max": p.high,
        "step": STEPS[name],
    }


def controls(origin: Launch) -> dict[str, Any]:
    """model_params for `InspectedCrisis`, showing the values of `origin`."""
    scenarios = [s.name for s in list_scenarios()]
    if origin.scenario not in scenarios:  # a scenario given as a path, or a sweep's
        scenarios.append(origin.scenario)
    p = origin.parameters
    return {
        "origin": origin,  # fixed: what the page was loaded with
        "crisis": {"type": "Select", "label": "scenario (reset loads it)",
                     "value": origin.scenario, "values": scenarios},
        "target": {"type": "Select", "label": "target state",
                   "value": state_names()[p["target"]], "values": sorted(state_names().values())},
        "governance": {"type": "Select", "label": "governance", "value": p["governance"],
                       "values": list(GOVERNANCE_REGIMES)},
        **{name: slider(name, p[name]) for name in STEPS},
        "seed": {"type": "InputText", "label": "seed (integer, Enter to apply)",
                 "value": str(origin.seed)},
    }
