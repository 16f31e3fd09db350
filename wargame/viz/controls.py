"""The page's controls, as SolaraViz `model_params`, built from the parameter registry.

Which inputs have a control, their ranges, slider steps, units and choices come from
`wargame.inputs.INPUTS` (`Input.control`), so a control can never offer a value the
model would refuse, and adding a control is one edit there. Mesa applies a changed control on Reset.
"""

from __future__ import annotations

from typing import Any

from wargame.inputs import INPUTS, SELECT, Input, controlled
from wargame.scenario import list_scenarios
from wargame.viz.launch import Launch
from wargame.viz.model import shown_value, state_names


def label(i: Input) -> str:
    """'us_commitment (share)' — the name the docs use, with its unit."""
    return f"{i.name} ({i.unit})" if i.unit else i.name


def slider(p: Input, value: Any) -> dict[str, Any]:
    """A slider over the input's range by its `control` step (either model's registry)."""
    return {
        "type": "SliderInt" if p.kind is int else "SliderFloat",
        "label": label(p),
        "value": value,
        "min": p.low,
        "max": p.high,
        "step": p.control,
    }


def control(name: str, parameters: dict[str, Any]) -> dict[str, Any]:
    """The control of one input, showing its value in `parameters`."""
    value = shown_value(name, parameters)
    if INPUTS[name].control != SELECT:
        return slider(INPUTS[name], value)
    if name == "target":
        return {"type": "Select", "label": "target state", "value": value,
                "values": sorted(state_names().values())}
    return {"type": "Select", "label": label(INPUTS[name]), "value": value,
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
