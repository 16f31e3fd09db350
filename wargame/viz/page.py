"""The page both browser views are served in: Mesa's run buttons, our inputs, our panels.

Mesa's `SolaraViz` page shows its own machinery to an analyst (Play Interval, Render
Interval and Use Threads controls, a "PAGE 0" tab bar, draggable panels) and sliders that do
not show their value. This page keeps what is Mesa's to do, its `ModelController` (Reset,
▶, Step: one day per click, no threads), and lays out the rest itself: each input with its
label, unit and current value; the panels in a fixed two-column grid.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import solara
from mesa.visualization.solara_viz import ModelController

#: Milliseconds between steps while ▶ plays (Mesa's default is 100; the panels take longer).
PLAY_INTERVAL_MS = 150

PAGE_CSS = """
.wg-panels { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 8px;
             align-items: start; }
.wg-panel { min-height: 390px; }
.wg-inputs .v-input__slider .v-input__slot { flex-direction: column; align-items: stretch; }
.wg-inputs .v-input__slider .v-input__slot > .v-label { max-width: 100%; white-space: normal;
             height: auto; line-height: 1.3; margin: 0 0 4px 0; }
"""


def shown(spec: dict[str, Any], value: Any) -> str:
    """A control's value as precise as its step: '0.50' for a 0.05 step, '5,000' troops."""
    if spec["type"] == "SliderInt":
        return f"{int(value):,}"
    if spec["type"] == "SliderFloat":
        step = float(spec.get("step") or 0.01)
        return f"{float(value):.{max(0, -math.floor(math.log10(step)))}f}"
    return str(value)


def is_control(spec: Any) -> bool:
    return isinstance(spec, dict) and "type" in spec


@solara.component
def Inputs(model_params: dict[str, Any], parameters: solara.Reactive[dict]) -> None:
    """The inputs: a slider, select or text field per control of `model_params` (Mesa's
    format), a slider's label saying its value; fixed entries pass through to the model."""
    fixed = {k: v for k, v in model_params.items() if not is_control(v)}
    controls = {k: v for k, v in model_params.items() if is_control(v)}
    solara.use_effect(
        lambda: parameters.set({**fixed, **{k: v["value"] for k, v in controls.items()}}), [])
    for name, spec in controls.items():
        value = parameters.value.get(name, spec["value"])

        def change(new: Any, name: str = name) -> None:
            parameters.value = {**parameters.value, name: new}

        kind = spec["type"]
        if kind in ("SliderInt", "SliderFloat"):
            slider = solara.SliderInt if kind == "SliderInt" else solara.SliderFloat
            slider(f"{spec['label']}: {shown(spec, value)}", value=value, on_value=change,
                   min=spec["min"], max=spec["max"], step=spec["step"])
        elif kind == "Select":
            solara.Select(spec["label"], value=value, values=spec["values"], on_value=change)
        elif kind == "Checkbox":
            solara.Checkbox(label=spec["label"], value=value, on_value=change)
        else:
            solara.InputText(spec["label"], value=str(value), on_value=change)


@solara.component
def ModelPage(model: solara.Reactive, panels: list[Callable[[Any], Any]],
              model_params: dict[str, Any], name: str) -> None:
    """A title bar; in the sidebar the run buttons and the inputs (applied on Reset); the
    panels in two columns."""
    parameters = solara.use_reactive({})
    # Mesa's controller reads these as reactive values; the page sets them once, for good.
    play_interval = solara.use_reactive(PLAY_INTERVAL_MS)
    one_day = solara.use_reactive(1)
    no_threads = solara.use_reactive(False)
    solara.Style(PAGE_CSS)
    with solara.AppBar():
        solara.AppBarTitle(name)
    with solara.Sidebar(), solara.Column():
        with solara.Card("Run"):
            ModelController(model, model_parameters=parameters,
                            play_interval=play_interval, render_interval=one_day,
                            use_threads=no_threads)
        with solara.Card("Inputs (applied on Reset)"), solara.Div(classes=["wg-inputs"]):
            Inputs(model_params, parameters)
    with solara.Div(classes=["wg-panels"]):
        for panel in panels:
            with solara.Card(classes=["wg-panel"], margin=0):
                panel(model.value)
