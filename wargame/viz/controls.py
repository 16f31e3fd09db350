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
from wargame.viz.model import shown_value, target_names


def label(i: Input) -> str:
    """'US commitment (share 0–1)': the input's label from the registry, with its unit (the
    page adds the value: wargame.viz.page)."""
    unit = "share 0–1" if i.unit == "share" else i.unit
    text = i.label[:1].upper() + i.label[1:]
    return f"{text} ({unit})" if unit and unit != "iso3" else text


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
        return {"type": "Select", "label": "Attacked state", "value": value,
                "values": target_names(parameters["adversary"])}
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
        "crisis": {"type": "Select", "label": "Scenario (Reset loads it)",
                     "value": origin.scenario, "values": scenarios},
        **{name: control(name, p) for name in controlled()},
        "seed": {"type": "InputText", "label": "Seed (integer; Enter, then Reset)",
                 "value": str(origin.seed)},
    }
