"""The page's controls, as SolaraViz `model_params`, built from the parameter registry.

Which inputs have a control, their ranges, slider steps, units and choices come from
`wargame.inputs.INPUTS` (`Input.control`), so a control can never offer a value the
model would refuse, and adding a control is one edit there. Mesa applies a changed control on Reset.
"""

from __future__ import annotations

from typing import Any

from wargame.inputs import INPUTS, SELECT, controlled
from wargame.scenario import list_scenarios
from wargame.viz.launch import Launch
from wargame.viz.model import shown_value, state_names


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
        "step": p.control,
    }


def control(name: str, parameters: dict[str, Any]) -> dict[str, Any]:
    """The control of one input, showing its value in `parameters`."""
    value = shown_value(name, parameters)
    if INPUTS[name].control != SELECT:
        return slider(name, value)
    if name == "target":
        return {"type": "Select", "label": "target state", "value": value,
                "values": sorted(state_names().values())}
    return {"type": "Select", "label": label(name), "value": value,
            "values": list(INPUTS[name].choices or ())}


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
        **{name: control(name, p) for name in controlled()},
        "seed": {"type": "InputText", "label": "seed (integer, Enter to apply)",
                 "value": str(origin.seed)},
    }
